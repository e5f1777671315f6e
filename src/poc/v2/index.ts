/**
 * `gonka-sdk/poc/v2`: PoC v2 as mainnet runs it since v0.2.9 (see docs/poc-v2.md).
 * Everything around the served model: seeds, inputs, artifacts, MMR commitments, proofs,
 * sampling, the statistical test and weights. Only the model's forward pass needs a GPU; every
 * function here runs anywhere.
 *
 * @example
 * ```ts
 * import { pocInputs, artifactFromHidden, ArtifactMmr, sampleLeafIndices, verifyMmrProof, fraudTest } from "gonka-sdk/poc/v2";
 * ```
 * @packageDocumentation
 */
export {
  InvalidEncodingError, InvalidFp16VectorError, DuplicateNonceError, LeafIndexOutOfRangeError, MmrProofError,
  ProofCoverageError, PorosityTooHighError, NonFiniteHiddenStateError, WeightDistributionError,
} from "./errors.js";
export { decodeHex, encodeHex, decodeBase64, encodeBase64 } from "./bytes.js";
export { seedFromString, murmur3, uniform, normals, MAX_STREAM_LENGTH } from "./random.js";
export {
  pocInputs, inputSeedString, strongerRngSubSeeds, toFloat16, toBfloat16, fromBfloat16, type PocInputsArgs, type PocNonce,
} from "./inputs.js";
export { layerHouseholder, layerHouseholderSeedString } from "./householder.js";
export { pickIndices, pickSeedString, DEFAULT_K_DIM, type PickIndicesArgs } from "./pick.js";
export { haarRotate, haarReflectionVector, haarSeedString, type HaarRotateArgs } from "./haar.js";
export {
  artifactFromHidden, artifactSteps, encodeVector, decodeVector, checkFp16Vector, artifactDistance, ARTIFACT_ENCODING,
  type PocArtifact, type ArtifactFromHiddenArgs, type ArtifactSteps,
} from "./artifact.js";
export {
  ArtifactMmr, verifyMmrProof, checkMmrProof, leafHash, nodeHash, mmrSize, mmrPeakPositions, MAX_MMR_LEAVES,
  type ArtifactMmrOptions, type StoredArtifact, type MmrProofArgs,
} from "./mmr.js";
export { GoRand } from "./go-rand.js";
export {
  sampleLeafIndices, leafSamplingSeedInput, leafSamplingSeed, DEFAULT_VALIDATION_SAMPLE_SIZE, type SampleLeafIndicesArgs,
} from "./sampling.js";
export {
  fraudTest, minMismatchesForFraud, compareArtifacts, porosity, parseProofEntries, checkProofResponse,
  type FraudTestArgs, type CompareArtifactsArgs, type ArtifactComparison, type Porosity, type ProofEntry, type ProofEntryJson,
  type CheckProofResponseArgs,
} from "./validation.js";
export { sampledSlotCount, sortedSlotEntries, slotRandomValue, assignSlots, type SlotEntry } from "./slots.js";
export { LegacyDec } from "./legacy-dec.js";
export {
  weightDistribution, timeNormalizationFactor, pocWeight, nodePocWeights, consensusContribution,
  type MlNodeWeight, type TimeNormalizationArgs,
} from "./weights.js";
export {
  proofRequestSignBytes, proofResponseSignBytes, signProofRequest, signProofResponse, verifyProofRequestSignature,
  verifyProofResponseSignature, MAX_PROOF_LEAF_INDICES, PROOF_REQUEST_MAX_SKEW_NS,
  type ProofRequestFields, type ProofResponseFields, type ProofResponseEntryText, type PocProofSigner,
} from "./proof-signing.js";
export { pocCallbackUrl, modelIdFromCallbackSegment, goPathEscape, goPathUnescape } from "./callback.js";
export { generationNonce, generationBatch, type NonceScheduleArgs } from "./nonces.js";
export {
  POC_V2_MAINNET_MODELS, POC_V2_MAINNET_PARAMS, VLLM_FRAUD_THRESHOLD, VLLM_STAT_TEST_DEFAULTS, CHAIN_STAT_TEST_DEFAULTS, pocV2Model,
  type PocV2Model, type PocStatTest,
} from "./models.js";
export {
  PocV2AbortedError, PocV2NoMlNodeError, ProofFetchError, MlNodeValidationError, PocV2WindowClosedError, PocV2HeightTimeoutError,
  ProofRequestRefusedError, type ProofFetchFailure,
} from "./flow-errors.js";
export { pocV2Windows, waitForHeight, chainHeight, cometBlockHash, type PocV2EpochParams, type PocV2Windows } from "./flow-util.js";
export {
  PocV2ArtifactStore, createMemoryPocV2Storage, ARTIFACTS_DATA_FILE, NODES_JSON_FILE, DEFAULT_KEPT_STAGES,
  type PocV2Storage, type PocV2AddResult, type PocV2StoreState, type PocV2ArtifactStoreOptions,
} from "./store.js";
export { createNodePocV2Storage } from "./store-node.js";
export {
  createPocV2ProofHandler, answerPocV2ProofRequest, answerPocV2ArtifactsState, parseProofRequest, chainProofAuthorizer,
  type PocV2ProofServerOptions, type PocV2ProofAuthorizer, type PocV2ProofsResponseJson,
} from "./proof-server.js";
export { fetchPocV2Proofs, DEFAULT_PROOF_TIMEOUT_MS, DEFAULT_MAX_PROOF_BYTES, type FetchPocV2ProofsArgs } from "./proof-client.js";
export {
  pocV2MlNodeFromClient, type PocV2MlNode, type PocV2GenerationNode, type PocV2RecomputeRequest, type PocV2Verdict, type PocV2MlNodeClientOptions,
} from "./mlnode-seam.js";
export {
  runPocV2Host, createPocV2HostReceivers,
  type PocV2HostOptions, type PocV2HostReport, type PocV2HostEvent, type PocV2HostModel, type PocV2HostMlNode, type PocV2HostReceiverOptions,
} from "./host.js";
export { startPocV2HostServer, createPocV2HostFetchHandler, type PocV2HostServer, type PocV2HostServerOptions, type PocV2HostHandlerOptions } from "./host-server.js";
export {
  runPocV2Validator, selectPocV2Pairs,
  type PocV2ValidatorOptions, type PocV2ValidatorReport, type PocV2ValidatorEvent, type PocV2PairResult, type PocV2StatTestValues,
} from "./validator.js";
export {
  pocV2StoreCommitMessage, mlNodeWeightDistributionMessage, submitPocValidationsV2Message, storePoCV2Commit, submitMLNodeWeightDistribution,
  submitPocValidationsV2, POC_V2_MSG_TYPE_URLS,
  type PocV2CommitEntryArgs, type PocV2StoreCommitArgs, type MlNodeDistributionEntryArgs, type MlNodeWeightDistributionArgs,
  type PocValidationV2Args, type PocValidationsV2Args, type PocV2TxOptions,
} from "../../chain/actions/poc-v2.js";
export {
  getAllPoCV2StoreCommits, getPoCV2StoreCommit, getAllMLNodeWeightDistributions, getMLNodeWeightDistribution, getPocV2ValidationsForStage,
  getPoCValidationSnapshot, type PocV2PairArgs, type PocV2StoreCommit,
} from "../../chain/query/poc-v2.js";
