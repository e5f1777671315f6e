/**
 * The chain part of the embedded devnet: an in-memory Gonka chain (v0.2.13 behaviour) on loopback
 * that speaks CometBFT RPC (`/chain-rpc/`), Cosmos REST (`/chain-api/`) and gRPC (`/chain-grpc/`).
 * @packageDocumentation
 */
export { startChainNode, createChainRequestHandler, type ChainNode, type ChainNodeOptions, type ChainRequestHandler } from "./server.js";
export {
  createChainState,
  grantKey,
  pocKey,
  FEE_COLLECTOR_ADDRESS,
  type ChainState,
  type ChainStateOptions,
  type DevAccount,
  type DevGrant,
  type DevTxRecord,
  type DevFeeAllowance,
  type DevPocV2Commit,
  type DevPocV2Distribution,
  type DevPocMode,
  type DevVestingSchedule,
  type DevExcludedParticipant,
  type UnknownParamsFields,
} from "./state.js";
export { Mempool, type ChainNodeHooks, type CheckTxResult } from "./mempool.js";
export { mainnetInferenceParams, mainnetGovParams, mainnetBlsParams, governanceModels, MAINNET_POC_MODELS, type PocModelSpec, type GenesisParamsOptions } from "./genesis.js";
export { tallyProposal, GOV_ADDRESS, type DevEvent } from "./exec.js";
export { pocWindows } from "./exec-poc.js";
export { INFERENCE_MODULE_ADDRESS } from "./exec-inference.js";
export { STREAMVESTING_ADDRESS, releaseVesting } from "./exec-modules.js";
export { FEE_EXEMPT_TYPE_URLS, isFeeExempt } from "./fees.js";
export { verifySecp256k1 } from "./crypto.js";
