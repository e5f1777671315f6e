/**
 * `createPocEngine`: one block hash's model on a backend, turning nonces into distances,
 * generating ProofBatches over the network's nonce stride, and validating received batches.
 */
import { GonkaError, InvalidArgumentError } from "../errors.js";
import { createCpuBackend, type CpuBackendOptions } from "./backends/cpu/index.js";
import type { PocBackend, PocBackendKind, PocPrecision } from "./backends/types.js";
import type { WebGpuBackendOptions } from "./backends/webgpu/index.js";
import { pocDistance } from "./distance.js";
import { GpuDeviceLostError, InvalidProofBatchError } from "./errors.js";
import { initWeights, pocParamsToWire, toPocParams, type PocParams, type PocParamsWire } from "./model/index.js";
import { assessBatch, checkClaimedBatch, DEFAULT_R_TARGET, filterValid, type ProofBatch, type ValidatedBatch, type ValidationOptions } from "./proof.js";
import { float16ArrayToFloat32, pocInputs, pocPermutation, pocTarget, type Nonce } from "./rng/index.js";
import { derivePocShape, type PocShape } from "./shape.js";
import type { PocWeightSource } from "./weights.js";

/** Options of {@link createPocEngine}. */
export interface PocEngineOptions {
  /** Model hyper-parameters (camelCase `PocParams` or the MLNode's snake_case JSON). */
  params: PocParams | PocParamsWire;
  /** PoC-start block hash, exactly as the API node sends it (seed of weights and target). */
  blockHash: string;
  /** Hex public key of the participant generating (seed of inputs and permutations). */
  publicKey: string;
  /** `"webgpu"` (default), `"cpu"`, or a ready {@link PocBackend}. */
  backend?: PocBackendKind | PocBackend;
  /** Weight storage on the GPU: `"f16"` (default when `shader-f16` exists) or `"f32"`. */
  precision?: PocPrecision;
  /** When the WebGPU backend is unavailable or its device is lost, continue on the CPU backend. */
  fallbackToCpu?: boolean;
  /** Extra WebGPU options (batch size, tuning, a `GPU` object…). */
  webgpu?: WebGpuBackendOptions;
  /** CPU backend options (worker threads, kernels), also used after a fallback to the CPU. */
  cpu?: CpuBackendOptions;
  /** Weights to use instead of initialising them from the block hash (tests, custom pools). */
  weights?: PocWeightSource;
  /** Called when the engine falls back to the CPU (with the reason). */
  onFallback?: (reason: unknown) => void;
}

/** Options of {@link PocEngine.generate}. */
export interface GenerateOptions {
  /** This MLNode's id among the participant's nodes. */
  nodeId: number;
  /** Number of the participant's nodes. */
  nodeCount: number;
  /** GPU group of this worker (default 0). */
  groupId?: number;
  /** Number of GPU groups on this node (default 1). */
  nGroups?: number;
  /** Nonces per forward pass (default: the backend's preference). */
  batchSize?: number;
  /** Distance threshold (default the network's 1.4013564660458173). */
  rTarget?: number;
  /** PoC stage start height, copied into the batches (default 0). */
  blockHeight?: number;
  /** First index `x` of the stride (to resume; default 0). */
  startIndex?: number;
  /** Stop after this many nonces (default: never). */
  maxNonces?: number;
  /**
   * Stops the generator: no new batch starts, and the batch in flight is delivered if it completes
   * within half a second; otherwise the backend stops it (the CPU backend terminates its worker
   * threads, restarted on the next call) and the generator returns without it.
   */
  signal?: AbortSignal;
  /** Called after every forward pass. */
  onProgress?: (p: GenerateProgress) => void;
}

/** Progress of a generation run. */
export interface GenerateProgress {
  /** Nonces computed so far. */
  computed: number;
  /** Valid nonces (`dist < r_target`) found so far. */
  valid: number;
  /** Seconds since the start. */
  seconds: number;
  /** `computed / seconds`. */
  noncesPerSecond: number;
  /** The next stride index to compute. */
  nextIndex: number;
}

/** A loaded PoC model. */
export interface PocEngine {
  readonly params: PocParams;
  readonly shape: PocShape;
  readonly blockHash: string;
  readonly publicKey: string;
  /** The backend in use (may change to the CPU after a fallback). */
  readonly backend: PocBackend;
  /** Last-position logits `[nonces.length, vocab]` of `publicKey`'s nonces. */
  logits(nonces: readonly Nonce[], publicKey?: string): Promise<Float32Array>;
  /** Distances of nonces (float64), for this engine's public key unless another is given. */
  distances(nonces: readonly Nonce[], publicKey?: string): Promise<Float64Array>;
  /** Generates ProofBatches (valid nonces only), one per forward pass, over the network's nonce stride. */
  generate(options: GenerateOptions): AsyncGenerator<ProofBatch>;
  /** Recomputes a received batch and runs the fraud test. Throws `InvalidProofBatchError` on malformed batches. */
  validateBatch(batch: ProofBatch, options?: ValidationOptions): Promise<ValidatedBatch>;
  /** Releases the backend. */
  destroy(): void;
}

/**
 * The nonce of stride index `x` for a worker: `offset + x * step`, `offset = nodeId + groupId *
 * nodeCount`, `step = nGroups * nodeCount`.
 *
 * @example nonceAt({ nodeId: 1, nodeCount: 3, groupId: 0, nGroups: 2 }, 4) // 1 + 4 * 6 = 25
 */
export function nonceAt(o: { nodeId: number; nodeCount: number; groupId?: number; nGroups?: number }, x: number): number {
  const groupId = o.groupId ?? 0, nGroups = o.nGroups ?? 1;
  return o.nodeId + groupId * o.nodeCount + x * nGroups * o.nodeCount;
}

/** How long a batch in flight may still finish after `generate`'s signal aborts. */
const ABORT_GRACE_MS = 500;

function checkStride(o: GenerateOptions): void {
  const ints: [string, number | undefined, number][] = [
    ["nodeId", o.nodeId, 0], ["nodeCount", o.nodeCount, 1], ["groupId", o.groupId ?? 0, 0], ["nGroups", o.nGroups ?? 1, 1],
    ["startIndex", o.startIndex ?? 0, 0],
  ];
  for (const [name, v, min] of ints) {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) throw new InvalidArgumentError(name, `must be an integer ≥ ${min}`);
  }
  if ((o.groupId ?? 0) >= (o.nGroups ?? 1)) throw new InvalidArgumentError("groupId", "must be below nGroups");
}

async function openBackend(opts: PocEngineOptions, shape: PocShape, weights: () => PocWeightSource): Promise<PocBackend> {
  const kind = opts.backend ?? "webgpu";
  if (typeof kind === "object") return kind;
  if (kind === "cpu") return createCpuBackend(shape, weights(), opts.cpu);
  if (kind !== "webgpu") throw new InvalidArgumentError("backend", `must be "webgpu", "cpu" or a PocBackend, got ${String(kind)}`);
  try {
    const { createWebGpuBackend } = await import("./backends/webgpu/index.js");
    return await createWebGpuBackend(shape, weights(), { ...opts.webgpu, ...(opts.precision ? { precision: opts.precision } : {}) });
  } catch (e) {
    if (opts.fallbackToCpu && e instanceof GonkaError && !(e instanceof InvalidArgumentError)) {
      opts.onFallback?.(e);
      return createCpuBackend(shape, weights(), opts.cpu);
    }
    throw e;
  }
}

/**
 * Loads the model of a block hash on a backend.
 *
 * @example
 * ```ts
 * const engine = await createPocEngine({ params: POC_PARAMS_V2, blockHash, publicKey, backend: "webgpu" });
 * const dist = await engine.distances([0n, 1n, 2n]); // Float64Array
 * for await (const batch of engine.generate({ nodeId: 1, nodeCount: 1, maxNonces: 1000 })) post(batch);
 * engine.destroy();
 * ```
 */
export async function createPocEngine(opts: PocEngineOptions): Promise<PocEngine> {
  if (typeof opts.blockHash !== "string" || opts.blockHash.length === 0) throw new InvalidArgumentError("blockHash", "must be a non-empty string");
  if (typeof opts.publicKey !== "string") throw new InvalidArgumentError("publicKey", "must be a string");
  const params = toPocParams(opts.params);
  const shape = derivePocShape(pocParamsToWire(params));
  let cachedWeights: PocWeightSource | undefined = opts.weights;
  const weights = (): PocWeightSource => (cachedWeights ??= initWeights(params, opts.blockHash));
  let backend = await openBackend(opts, shape, weights);
  const target = pocTarget(opts.blockHash, shape.vocab);
  const perNonce = shape.seqLen * shape.dim;

  const forward = async (inputs: Float32Array, count: number, signal?: AbortSignal): Promise<Float32Array> => {
    try {
      return await backend.forward(inputs, count, signal ? { signal } : undefined);
    } catch (e) {
      if (opts.fallbackToCpu && e instanceof GpuDeviceLostError && backend.kind === "webgpu") {
        opts.onFallback?.(e);
        backend.destroy();
        backend = createCpuBackend(shape, weights(), opts.cpu);
        return backend.forward(inputs, count, signal ? { signal } : undefined);
      }
      throw e;
    }
  };

  const logitsOf = async (nonces: readonly Nonce[], publicKey: string, signal?: AbortSignal): Promise<Float32Array> => {
    const out = new Float32Array(nonces.length * shape.vocab);
    const step = Math.max(1, backend.preferredBatch);
    const bits = new Uint16Array(step * perNonce);
    // While the backend computes one chunk (asynchronously on a GPU), the next chunk's inputs are drawn.
    let inFlight: { at: number; result: Promise<Float32Array> } | null = null;
    for (let b0 = 0; b0 < nonces.length; b0 += step) {
      const n = Math.min(step, nonces.length - b0);
      for (let j = 0; j < n; j++) pocInputs(opts.blockHash, publicKey, nonces[b0 + j], shape.seqLen, shape.dim, bits.subarray(j * perNonce, (j + 1) * perNonce));
      const inputs = float16ArrayToFloat32(bits.subarray(0, n * perNonce));
      const previous: { at: number; result: Promise<Float32Array> } | null = inFlight;
      inFlight = { at: b0, result: forward(inputs, n, signal) };
      inFlight.result.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
      if (previous) out.set(await previous.result, previous.at * shape.vocab);
    }
    if (inFlight) out.set(await inFlight.result, inFlight.at * shape.vocab);
    return out;
  };

  const logits = (nonces: readonly Nonce[], publicKey = opts.publicKey): Promise<Float32Array> => logitsOf(nonces, publicKey);

  const distancesOf = async (nonces: readonly Nonce[], publicKey: string, signal?: AbortSignal): Promise<Float64Array> => {
    const lg = await logitsOf(nonces, publicKey, signal);
    const out = new Float64Array(nonces.length);
    for (let i = 0; i < nonces.length; i++) {
      const perm = pocPermutation(opts.blockHash, publicKey, nonces[i], shape.vocab);
      out[i] = pocDistance(lg.subarray(i * shape.vocab, (i + 1) * shape.vocab), perm, target);
    }
    return out;
  };

  const distances = (nonces: readonly Nonce[], publicKey = opts.publicKey): Promise<Float64Array> => distancesOf(nonces, publicKey);

  async function* generate(o: GenerateOptions): AsyncGenerator<ProofBatch> {
    checkStride(o);
    const rTarget = o.rTarget ?? DEFAULT_R_TARGET;
    const batchSize = o.batchSize ?? backend.preferredBatch;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError("batchSize", "must be a positive integer");
    const t0 = performance.now();
    let x = o.startIndex ?? 0, computed = 0, valid = 0, scheduled = 0;
    // After an abort the batch in flight gets ABORT_GRACE_MS to finish, then its forward pass is stopped.
    const stop = new AbortController();
    let grace: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      grace ??= setTimeout(() => stop.abort(o.signal?.reason), ABORT_GRACE_MS);
    };
    if (o.signal?.aborted) onAbort();
    o.signal?.addEventListener("abort", onAbort, { once: true });
    const more = (): boolean => !o.signal?.aborted && (o.maxNonces === undefined || scheduled < o.maxNonces);
    const start = (): { nonces: number[]; dist: Promise<Float64Array> } => {
      const n = o.maxNonces === undefined ? batchSize : Math.min(batchSize, o.maxNonces - scheduled);
      const nonces = Array.from({ length: n }, (_, j) => nonceAt(o, x + scheduled - computed + j));
      scheduled += n;
      const dist = distancesOf(nonces, opts.publicKey, stop.signal);
      dist.catch(() => undefined);
      return { nonces, dist };
    };
    try {
      // One batch ahead: the next batch's inputs are drawn while the backend computes the current one.
      let next = more() ? start() : null;
      while (next) {
        const { nonces } = next;
        let dist: Float64Array;
        try {
          dist = await next.dist;
        } catch (e) {
          if (stop.signal.aborted) return;
          throw e;
        }
        next = more() ? start() : null;
        const n = nonces.length;
        x += n;
        computed += n;
        const kept = filterValid(nonces, dist, rTarget);
        valid += kept.nonces.length;
        const seconds = (performance.now() - t0) / 1000;
        o.onProgress?.({ computed, valid, seconds, noncesPerSecond: computed / seconds, nextIndex: x });
        yield {
          public_key: opts.publicKey, block_hash: opts.blockHash, block_height: o.blockHeight ?? 0,
          nonces: kept.nonces, dist: kept.dist, node_id: o.nodeId,
        };
      }
    } finally {
      o.signal?.removeEventListener("abort", onAbort);
      if (grace !== undefined) clearTimeout(grace);
    }
  }

  const VALIDATION_CHUNK = 256;
  const validateBatch = async (batch: ProofBatch, v: ValidationOptions = {}): Promise<ValidatedBatch> => {
    if (batch.block_hash !== opts.blockHash) {
      throw new InvalidProofBatchError("block_hash", "differs from the engine's block hash (the weights belong to another PoC stage)");
    }
    checkClaimedBatch(batch, v.rTarget ?? DEFAULT_R_TARGET);
    // Each distinct nonce is computed once: repeats are counted invalid by assessBatch anyway,
    // and must not cost the validator more work than the prover did. Chunks bound the memory of
    // one pass and let `signal` stop a large batch between them.
    const unique = [...new Set(batch.nonces)];
    const d = new Float64Array(unique.length);
    const chunk = Math.max(1, Math.min(VALIDATION_CHUNK, backend.preferredBatch * 4));
    for (let i = 0; i < unique.length; i += chunk) {
      // A macrotask turn between chunks: a backend that answers without real I/O resolves in
      // microtasks only, and timers (a --timeout, an abort) would never get to run otherwise.
      if (i > 0) await new Promise<void>((resolve) => setTimeout(resolve, 0));
      v.signal?.throwIfAborted();
      d.set(await distancesOf(unique.slice(i, i + chunk), batch.public_key, v.signal), i);
    }
    let recomputed: ArrayLike<number> = d;
    if (unique.length !== batch.nonces.length) {
      const byNonce = new Map<number, number>();
      unique.forEach((n, i) => byNonce.set(n, d[i]));
      recomputed = batch.nonces.map((n) => byNonce.get(n) as number);
    }
    return assessBatch(batch, recomputed, v);
  };

  return {
    params, shape, blockHash: opts.blockHash, publicKey: opts.publicKey,
    get backend() { return backend; },
    logits, distances, generate, validateBatch,
    destroy() { backend.destroy(); },
  };
}
