/**
 * Errors of the Proof-of-Compute engine. Every class extends a class of the SDK's one error tree
 * (`src/errors.ts`), so `err instanceof GonkaError` always holds.
 */
import { GonkaError, InvalidArgumentError, UnsupportedError, type GonkaErrorOptions } from "../errors.js";

/** The model hyper-parameters are unusable (dim not divisible by heads, zero layers, …). */
export class InvalidPocParamsError extends InvalidArgumentError {
  override name = "InvalidPocParamsError";
  constructor(field: string, problem: string, options: GonkaErrorOptions = {}) {
    super(`params.${field}`, problem, options);
  }
}

/**
 * A ProofBatch (generated or received for validation) is malformed: `nonces` and `dist` differ in
 * length, a distance is NaN or negative, a claimed distance is not below `r_target`, …
 */
export class InvalidProofBatchError extends InvalidArgumentError {
  override name = "InvalidProofBatchError";
  constructor(field: string, problem: string, options: GonkaErrorOptions = {}) {
    super(`batch.${field}`, problem, options);
  }
}

/** No WebGPU implementation or no adapter is available (no `webgpu` package, no driver, no GPU). */
export class WebGpuUnavailableError extends UnsupportedError {
  override name = "WebGpuUnavailableError";
}

/** The GPU device was lost while the engine was using it (driver reset, out of resources, destroy). */
export class GpuDeviceLostError extends GonkaError {
  override name = "GpuDeviceLostError";
  /** The reason reported by the implementation (`"destroyed"` or `"unknown"`). */
  readonly reason: string;
  constructor(reason: string, message: string, options: GonkaErrorOptions = {}) {
    super(`The WebGPU device was lost (${reason}): ${message}`, options);
    this.reason = reason;
  }
}

/** The GPU ran out of memory, or a buffer exceeds the device's limits. */
export class GpuOutOfMemoryError extends GonkaError {
  override name = "GpuOutOfMemoryError";
}

/** A WebGPU validation or internal error (a bug in the engine or the driver). */
export class GpuError extends GonkaError {
  override name = "GpuError";
}
