/**
 * An MLNode-compatible PoC runner: given the `init/generate` request it generates on the chosen
 * backend and POSTs ProofBatches to `{url}/generated` every few seconds, keeping whatever a POST
 * failed to deliver for the next attempt; given `/pow/validate` batches it POSTs ValidatedBatches
 * to `{url}/validated`.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import { GonkaError, InvalidArgumentError, messageOf, type GonkaErrorOptions } from "../errors.js";
import type { PocBackend, PocBackendKind, PocPrecision } from "./backends/types.js";
import type { WebGpuBackendOptions } from "./backends/webgpu/index.js";
import { createPocEngine, type GenerateProgress, type PocEngine } from "./engine.js";
import { fromInitRequest, type PowInitRequest } from "./init-request.js";
import { mergeBatches, parseProofBatch, type ProofBatch, type ValidatedBatch } from "./proof.js";

/** A callback POST failed (non-2xx or network error); the payload stays queued. */
export class CallbackDeliveryError extends GonkaError {
  override name = "CallbackDeliveryError";
}

/** Options shared by the generate and validate runners. */
export interface RunnerOptions {
  /** `"webgpu"` (default), `"cpu"` or a ready backend. */
  backend?: PocBackendKind | PocBackend;
  precision?: PocPrecision;
  /** Fall back to the CPU when WebGPU is unavailable or lost (default true). */
  fallbackToCpu?: boolean;
  webgpu?: WebGpuBackendOptions;
  /** An engine already loaded for the request's block hash (it is not destroyed at the end). */
  engine?: PocEngine;
  /** `fetch` to POST with (default: the global one). */
  fetch?: typeof fetch;
  /** Send cycle in ms (default 5000, as the MLNode). */
  sendIntervalMs?: number;
  /** Timeout of one POST in ms (default 15000). */
  requestTimeoutMs?: number;
  /**
   * How long to keep retrying undelivered payloads after the work is done (default 30000 ms);
   * what is still undelivered then makes the run reject with {@link UndeliveredWorkError}.
   */
  finalFlushMs?: number;
  /** Stops the run (pending payloads are still flushed). */
  signal?: AbortSignal;
  /** Called when a POST fails (the payload is kept and retried). */
  onSendError?: (error: CallbackDeliveryError) => void;
}

/** Options of {@link runGenerate}. */
export interface GenerateRunOptions extends RunnerOptions {
  /** Stop after this many nonces (default: until `signal` aborts). */
  maxNonces?: number;
  /** Nonces per forward pass (default: the request's `batch_size` capped by the backend's preference). */
  batchSize?: number;
  /** GPU group of this worker and the number of groups (default 0 of 1). */
  groupId?: number;
  nGroups?: number;
  /** Progress after every forward pass. */
  onProgress?: (p: GenerateRunProgress) => void;
}

/** Progress of {@link runGenerate}. */
export interface GenerateRunProgress extends GenerateProgress {
  /** Valid nonces delivered to `{url}/generated`. */
  sent: number;
  /** Valid nonces waiting for delivery. */
  pending: number;
  /** Failed POSTs so far. */
  sendErrors: number;
}

/** What a generation run did. */
export interface GenerateSummary extends GenerateRunProgress {
  /** Backend description. */
  backend: string;
}

/**
 * Work the runner could not deliver to the receiver before giving up (`finalFlushMs` after the
 * run ended): the receiver stayed down, or refused a payload it could not take even split to a
 * single entry. Nothing is dropped silently: `undelivered` holds every payload still queued, with
 * the idempotency key it was sent under, so the caller can store or re-send it.
 */
export class UndeliveredWorkError<T = unknown> extends GonkaError {
  override name = "UndeliveredWorkError";
  /** The payloads not delivered, each with its `Idempotency-Key`. */
  readonly undelivered: { key: string; payload: T }[];
  /** What the run did (counters as of giving up). */
  readonly summary: unknown;
  constructor(url: string, undelivered: { key: string; payload: T }[], weight: number, summary: unknown, options: GonkaErrorOptions = {}) {
    super(`${undelivered.length} payload(s) (${weight} entries) were not delivered to ${url}`, {
      details: "The receiver did not accept them before finalFlushMs ran out; re-send error.undelivered (each with its Idempotency-Key) when it is back.",
      ...options,
    });
    this.undelivered = undelivered;
    this.summary = summary;
  }
}

/** The `Idempotency-Key` of a payload: hex SHA-256 of its JSON body (the same body, the same key). */
export function idempotencyKeyOf(body: string): string {
  return hex.encode(sha256(new TextEncoder().encode(body)));
}

class PayloadTooLargeError extends CallbackDeliveryError {
  override name = "CallbackDeliveryError";
}

async function postJson(f: typeof fetch, url: string, body: string, key: string, timeoutMs: number): Promise<void> {
  let res: Response;
  try {
    res = await f(url, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": key },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new CallbackDeliveryError(`POST ${url} failed: ${messageOf(e)}`, { cause: e });
  }
  await res.body?.cancel().catch(() => undefined);
  if (res.status === 413) throw new PayloadTooLargeError(`POST ${url} answered HTTP 413 (payload too large)`);
  if (!res.ok) throw new CallbackDeliveryError(`POST ${url} answered HTTP ${res.status}`);
}

/** A payload sealed for delivery: its body and key never change across retries. */
interface Sealed<T> {
  payload: T;
  body: string;
  key: string;
}

/**
 * A queue of payloads POSTed to one URL, retried every cycle until delivered (at least once).
 * Items pushed since the last cycle are merged and sealed once; a sealed payload keeps its body and
 * `Idempotency-Key` across retries, so the receiver can drop replays. A 413 splits the payload in
 * halves (each sealed anew) when it can be split.
 */
class Outbox<T> {
  private fresh: T[] = [];
  private sealed: Sealed<T>[] = [];
  private inFlight: Promise<void> | null = null;
  errors = 0;
  delivered = 0;
  constructor(
    readonly url: string,
    private readonly opts: RunnerOptions,
    private readonly merge: (items: T[]) => T[],
    private readonly weight: (item: T) => number,
    private readonly split: (item: T) => [T, T] | null,
  ) {}
  push(item: T): void {
    this.fresh.push(item);
  }
  get pending(): number {
    return [...this.fresh, ...this.sealed.map((x) => x.payload)].reduce((s, x) => s + this.weight(x), 0);
  }
  get size(): number {
    return this.fresh.length + this.sealed.length;
  }
  /** Every payload not delivered yet, sealed with its key. */
  undelivered(): Sealed<T>[] {
    this.sealFresh();
    return [...this.sealed];
  }
  private seal(p: T): Sealed<T> {
    const body = JSON.stringify(p);
    return { payload: p, body, key: idempotencyKeyOf(body) };
  }
  private sealFresh(): void {
    if (this.fresh.length === 0) return;
    const items = this.fresh;
    this.fresh = [];
    this.sealed.push(...this.merge(items).map((p) => this.seal(p)));
  }
  private report(e: unknown): void {
    this.errors++;
    this.opts.onSendError?.(e instanceof CallbackDeliveryError ? e : new CallbackDeliveryError(messageOf(e), { cause: e }));
  }
  /** Tries to deliver everything queued now; failures stay queued. */
  flush(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.sealFresh();
    if (this.sealed.length === 0) return Promise.resolve();
    const f = this.opts.fetch ?? fetch;
    const taken = this.sealed;
    this.sealed = [];
    this.inFlight = (async () => {
      const failed: Sealed<T>[] = [];
      const work = [...taken];
      while (work.length) {
        const p = work.shift() as Sealed<T>;
        try {
          await postJson(f, this.url, p.body, p.key, this.opts.requestTimeoutMs ?? 15_000);
          this.delivered += this.weight(p.payload);
        } catch (e) {
          this.report(e);
          const halves = e instanceof PayloadTooLargeError ? this.split(p.payload) : null;
          if (halves) work.unshift(...halves.map((h) => this.seal(h)));
          else failed.push(p);
        }
      }
      this.sealed = [...failed, ...this.sealed];
    })().finally(() => { this.inFlight = null; });
    return this.inFlight;
  }
  /** Keeps flushing until empty or `ms` have passed. */
  async drain(ms: number, interval: number): Promise<void> {
    const end = Date.now() + ms;
    for (;;) {
      await this.flush();
      if (this.size === 0 || Date.now() >= end) return;
      await new Promise((r) => setTimeout(r, Math.min(interval, Math.max(0, end - Date.now()))));
    }
  }
  /** Throws {@link UndeliveredWorkError} when anything is still queued. */
  assertDelivered(summary: unknown): void {
    const left = this.undelivered();
    if (left.length === 0) return;
    const weight = left.reduce((s, x) => s + this.weight(x.payload), 0);
    throw new UndeliveredWorkError(this.url, left.map(({ key, payload }) => ({ key, payload })), weight, summary);
  }
}

/** Splits a ProofBatch in two halves of its nonces (null for a single nonce). */
function splitBatch(b: ProofBatch): [ProofBatch, ProofBatch] | null {
  if (b.nonces.length < 2) return null;
  const h = Math.ceil(b.nonces.length / 2);
  return [
    { ...b, nonces: b.nonces.slice(0, h), dist: b.dist.slice(0, h) },
    { ...b, nonces: b.nonces.slice(h), dist: b.dist.slice(h) },
  ];
}

function requestOf(request: PowInitRequest | unknown): PowInitRequest {
  if (request && typeof request === "object" && "blockHash" in request && "params" in request) return request as PowInitRequest;
  return fromInitRequest(request);
}

async function engineFor(req: PowInitRequest, opts: RunnerOptions): Promise<{ engine: PocEngine; owned: boolean }> {
  if (opts.engine) {
    if (opts.engine.blockHash !== req.blockHash) throw new InvalidArgumentError("engine", "was loaded for another block hash");
    return { engine: opts.engine, owned: false };
  }
  const engine = await createPocEngine({
    params: req.params, blockHash: req.blockHash, publicKey: req.publicKey,
    backend: opts.backend ?? "webgpu", fallbackToCpu: opts.fallbackToCpu ?? true,
    ...(opts.precision ? { precision: opts.precision } : {}), ...(opts.webgpu ? { webgpu: opts.webgpu } : {}),
  });
  return { engine, owned: true };
}

/**
 * Runs PoC generation as an MLNode would after `POST /api/v1/pow/init/generate`: nonces over the
 * network's stride for `node_id`/`node_count`, valid ones POSTed (merged) to `{url}/generated`
 * every `sendIntervalMs`; undelivered batches are retried every cycle and flushed at the end.
 * Every POST carries an `Idempotency-Key` (SHA-256 of its body) that stays the same on retries;
 * a 413 splits the batch in halves. Rejects with {@link UndeliveredWorkError} (listing every
 * undelivered batch) when the receiver has not taken everything by `finalFlushMs`.
 *
 * @example
 * ```ts
 * const summary = await runGenerate(JSON.parse(readFileSync("init.json", "utf8")), {
 *   backend: "webgpu", maxNonces: 2000,
 *   onProgress: (p) => console.log(`${p.noncesPerSecond.toFixed(1)} nonces/s, ${p.valid} valid`),
 * });
 * ```
 */
export async function runGenerate(request: PowInitRequest | unknown, opts: GenerateRunOptions = {}): Promise<GenerateSummary> {
  const req = requestOf(request);
  if (req.nodeId < 0 || req.nodeCount < 1) throw new InvalidArgumentError("request.node_id", "Node ID and node count must be set");
  const interval = opts.sendIntervalMs ?? 5000;
  const outbox = new Outbox<ProofBatch>(
    `${req.url.replace(/\/+$/, "")}/generated`, opts,
    (items) => { const m = mergeBatches(items); return m ? [m] : []; },
    (b) => b.nonces.length,
    splitBatch,
  );
  const { engine, owned } = await engineFor(req, opts);
  const timer = setInterval(() => void outbox.flush(), interval);
  let last: GenerateProgress = { computed: 0, valid: 0, seconds: 0, noncesPerSecond: 0, nextIndex: 0 };
  const progress = (): GenerateRunProgress => ({ ...last, sent: outbox.delivered, pending: outbox.pending, sendErrors: outbox.errors });
  try {
    const batchSize = opts.batchSize ?? Math.max(1, Math.min(req.batchSize, engine.backend.preferredBatch));
    for await (const batch of engine.generate({
      nodeId: req.nodeId, nodeCount: req.nodeCount, groupId: opts.groupId ?? 0, nGroups: opts.nGroups ?? 1,
      batchSize, rTarget: req.rTarget, blockHeight: req.blockHeight, maxNonces: opts.maxNonces, signal: opts.signal,
      onProgress: (p) => { last = p; },
    })) {
      if (batch.nonces.length) outbox.push(batch);
      opts.onProgress?.(progress());
    }
  } finally {
    clearInterval(timer);
    try {
      await outbox.drain(opts.finalFlushMs ?? 30_000, Math.min(interval, 1000));
    } finally {
      if (owned) engine.destroy();
    }
  }
  const summary = { ...progress(), backend: engine.backend.description };
  outbox.assertDelivered(summary);
  return summary;
}

/** One batch the validator could not process, with the typed error. */
export interface RejectedBatch {
  index: number;
  error: GonkaError;
}

/** What a validation run did. */
export interface ValidateSummary {
  validated: ValidatedBatch[];
  rejected: RejectedBatch[];
  /** ValidatedBatches delivered to `{url}/validated` (0 with `post: false`). */
  sent: number;
  sendErrors: number;
}

/** Options of {@link runValidate}. */
export interface ValidateRunOptions extends RunnerOptions {
  /** POST results to `{url}/validated` (default true). */
  post?: boolean;
  /** Called after each batch. */
  onBatch?: (result: ValidatedBatch | RejectedBatch) => void;
}

/**
 * Validates batches as an MLNode does for `POST /api/v1/pow/validate` after `init/validate`:
 * recomputes every nonce with the batch's public key, runs the fraud test with the request's
 * `r_target`/`fraud_threshold`, and POSTs each ValidatedBatch to `{url}/validated` (retried until
 * delivered or `finalFlushMs` passes, then {@link UndeliveredWorkError}). Malformed batches are
 * reported in `rejected` with a typed error; they never stop the run.
 *
 * @example
 * ```ts
 * const { validated } = await runValidate(initBody, [batchJson], { backend: "cpu" });
 * validated[0].fraud_detected; // false for an honest batch
 * ```
 */
export async function runValidate(request: PowInitRequest | unknown, batches: readonly unknown[], opts: ValidateRunOptions = {}): Promise<ValidateSummary> {
  const req = requestOf(request);
  const interval = opts.sendIntervalMs ?? 5000;
  const outbox = new Outbox<ValidatedBatch>(`${req.url.replace(/\/+$/, "")}/validated`, opts, (items) => items, () => 1, () => null);
  const summary: ValidateSummary = { validated: [], rejected: [], sent: 0, sendErrors: 0 };
  const { engine, owned } = await engineFor(req, opts);
  const timer = setInterval(() => void outbox.flush(), interval);
  try {
    for (let i = 0; i < batches.length && !opts.signal?.aborted; i++) {
      try {
        const batch = parseProofBatch(batches[i]);
        const v = await engine.validateBatch(batch, { rTarget: req.rTarget, fraudThreshold: req.fraudThreshold });
        summary.validated.push(v);
        if (opts.post !== false) outbox.push(v);
        opts.onBatch?.(v);
      } catch (e) {
        if (!(e instanceof GonkaError)) throw e;
        const r = { index: i, error: e };
        summary.rejected.push(r);
        opts.onBatch?.(r);
      }
    }
  } finally {
    clearInterval(timer);
    try {
      await outbox.drain(opts.finalFlushMs ?? 30_000, Math.min(interval, 1000));
    } finally {
      if (owned) engine.destroy();
    }
  }
  summary.sent = outbox.delivered;
  summary.sendErrors = outbox.errors;
  outbox.assertDelivered(summary);
  return summary;
}
