/**
 * The contract between the PoC engine and a compute backend: a batch of nonce inputs in, the
 * last position's logits out.
 */
import type { PocShape } from "../shape.js";

/** Which backend computes the forward pass. */
export type PocBackendKind = "cpu" | "webgpu";

/** Storage precision of the weights on the GPU: `"f16"` needs the `shader-f16` feature. */
export type PocPrecision = "f32" | "f16";

/**
 * A loaded model (weights of one block hash) that computes last-position logits.
 */
export interface PocBackend {
  /** `"cpu"` or `"webgpu"`. */
  readonly kind: PocBackendKind;
  /** The model's sizes. */
  readonly shape: PocShape;
  /** Weight storage precision actually in use. */
  readonly precision: PocPrecision;
  /** How many nonces one `forward` call handles best (callers may pass fewer or more). */
  readonly preferredBatch: number;
  /** A one-line description (adapter name, variant), for logs and benches. */
  readonly description: string;
  /**
   * Runs the model on `count` inputs laid out as `[count, seq_len, dim]` float32 and returns the
   * last position's logits as `[count, vocab_size]` float32. A backend that can stop mid-pass
   * (the CPU backend) rejects with `signal.reason` soon after `signal` aborts.
   */
  forward(inputs: Float32Array, count: number, options?: { signal?: AbortSignal }): Promise<Float32Array>;
  /** Releases the backend's memory (GPU buffers, device). Idempotent. */
  destroy(): void;
}
