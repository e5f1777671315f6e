/**
 * gonka-sdk/poc — the network's Proof-of-Compute: numpy-compatible randomness, the model's
 * parameters and weights, a CPU and a WebGPU forward pass, ProofBatch generation and validation
 * with the fraud test, and an MLNode-compatible runner.
 *
 * @example
 * ```ts
 * import { createPocEngine, POC_PARAMS_V2 } from "gonka-sdk/poc";
 * const engine = await createPocEngine({ params: POC_PARAMS_V2, blockHash, publicKey, backend: "webgpu", fallbackToCpu: true });
 * const dist = await engine.distances([0n, 1n, 2n]);
 * ```
 * @packageDocumentation
 */
export * from "./rng/index.js";
export * from "./model/index.js";
export {
  InvalidPocParamsError, InvalidProofBatchError, WebGpuUnavailableError, GpuDeviceLostError, GpuOutOfMemoryError, GpuError,
} from "./errors.js";
export { derivePocShape, ffnHiddenSize, type PocShape, type PocModelParams } from "./shape.js";
export { weightsFromRecord, layerParameterNames, type PocWeightSource } from "./weights.js";
export { ropeFrequencies, ropeTables } from "./rope.js";
export type { PocBackend, PocBackendKind, PocPrecision } from "./backends/types.js";
export {
  createCpuBackend, createReferenceCpuBackend, cpuKernelInfo, defaultCpuThreads,
  type CpuBackend, type CpuBackendOptions, type CpuBackendStatus,
} from "./backends/cpu/index.js";
export { createWebGpuBackend, probeWebGpu, type WebGpuBackend, type WebGpuBackendOptions, type WebGpuProbe } from "./backends/webgpu/index.js";
export {
  DAWN_SUBGROUP_MATRIX_TOGGLES,
  SUBGROUP_MATRIX_FEATURE,
  GpuFeatureUnavailableError,
  defaultTuning,
  resolveTuning,
  type SubgroupMatrixConfig,
  type KernelTuning,
  type MatmulKernel,
  type ResolvedTuning,
} from "./backends/webgpu/index.js";
export { pocDistance } from "./distance.js";
export { binomialUpperTail, POC_MISMATCH_PROBABILITY } from "./binomial.js";
export {
  DEFAULT_R_TARGET, DEFAULT_FRAUD_THRESHOLD, parseProofBatch, checkClaimedBatch, checkBatchIntegrity, assessBatch, filterValid, mergeBatches,
  type ProofBatch, type ValidatedBatch, type ValidationOptions, type BatchIntegrity,
} from "./proof.js";
export {
  createPocEngine, nonceAt, type PocEngine, type PocEngineOptions, type GenerateOptions, type GenerateProgress,
} from "./engine.js";
export { fromInitRequest, type PowInitRequest } from "./init-request.js";
export {
  runGenerate, runValidate, CallbackDeliveryError, UndeliveredWorkError, idempotencyKeyOf,
  type RunnerOptions, type GenerateRunOptions, type GenerateRunProgress, type GenerateSummary,
  type ValidateRunOptions, type ValidateSummary, type RejectedBatch,
} from "./runner.js";
