/**
 * gonka-sdk/devnet — an embedded local Gonka network on loopback, in memory, speaking the real
 * wire formats. Node-only. See `docs/devnet.md`.
 *
 * @example
 * ```ts
 * import { startDevnet } from "gonka-sdk/devnet";
 * const devnet = await startDevnet();
 * console.log(devnet.url, devnet.adminUrl, devnet.mlnodeUrl);
 * await devnet.stop();
 * ```
 * @packageDocumentation
 */
export { startDevnet, type Devnet, type DevnetOptions } from "./start.js";
export type { DevnetChainView, DevnetModel, DevnetParticipant } from "./chain-view.js";
export { createMemoryChainView, DEVNET_DEFAULT_MODEL, type MemoryChainView } from "./memory-chain-view.js";
export { startLoopbackServer, STOCK_RATE_LIMITS, type LoopbackServer, type ProxyPolicy, type ProxyRateLimits, type Route, type RouteContext, type RouteResult } from "./http-server.js";
export {
  createMlNodeApi, type MlNodeApi, type MlNodePocBackend, type MlNodePocWorker, type PowInitRequest, type ProofBatchJson, type MlNodePocV2Factory, type MlNodePocV2Routes,
} from "./mlnode-api.js";
export { createPocV2StandIn, type PocV2StandInOptions } from "./poc-v2/mlnode-routes.js";
export {
  standInArtifact, standInHidden, dishonestModelOf, STAND_IN_HIDDEN_SIZE, STAND_IN_NOTE, STAND_IN_HEADER, type StandInArgs, type StandInHonesty,
} from "./poc-v2/stand-in.js";
export { tallyPocV2Stage, pocV2ParticipantWeights, type DevnetPocV2Tally } from "./poc-v2/tally.js";
export type { DevnetPocV2HostInfo, DevnetPocV2HostOptions } from "./poc-v2/hosts.js";
export type { DevnetPocV2StageOptions, DevnetPocV2StageReport, DevnetPocV2StageEvent, DevnetPocV2HostOutcome } from "./poc-v2/stage.js";
export { createEnginePocBackend, type DevnetPocBackendKind, type EnginePocBackendOptions } from "./poc-backend.js";
export { verifyInferenceSignature, addressOfPubkey, type SignatureScheme } from "./verify-request.js";
export { fakeChatCompletion, fakeChatCompletionStream, fakeCompletionTokens, fakeModelReplay, fakeTokenId, FAKE_ANSWER_TOKENS, type ChatRequest, type FakeModelOptions, type LogprobEntry } from "./fake-model.js";
export type { DevnetInferenceValidation, DevnetInferenceValidationOptions, DevnetParticipantStanding } from "./inference-validation.js";
export { devnetExecutorIdentity, type DevnetExecutor, type DevnetExecutorSpec, type DevnetExecutedInference } from "./inference-executors.js";
export { devnetSamplingInputs, type DevnetValidationRecord, type DevnetValidators, type DevnetValidatorNode } from "./inference-validators.js";
export type { DevnetExtraParticipant } from "./public-api.js";
export type { DevnetState, DevnetNode, InferenceNodeConfig, ReceivedPocBatch, ReceivedValidation, DevnetInference } from "./state.js";
export {
  startChainNode,
  createChainState,
  pocWindows,
  FEE_COLLECTOR_ADDRESS,
  FEE_EXEMPT_TYPE_URLS,
  MAINNET_POC_MODELS,
  type ChainNode,
  type ChainNodeOptions,
  type ChainState,
  type ChainStateOptions,
  type UnknownParamsFields,
  type DevPocV2Commit,
  type DevPocV2Distribution,
} from "./chain/index.js";
export { pocV2Weights } from "./chain-adapter.js";
