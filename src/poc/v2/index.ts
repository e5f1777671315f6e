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
