/**
 * The MLNode management API (rest-apis.md §1) at `/api/v1/…`, backed by a PoC backend that
 * computes distances. Generation runs in the background and a sender loop POSTs merged batches
 * to `{url}/generated`; batches submitted to `/pow/validate` are recomputed and POSTed to
 * `{url}/validated` — as the Python MLNode does, with FastAPI-style errors.
 */
import { filterValid, mergeBatches, type ProofBatch } from "../poc/index.js";
import { HttpRouteError, jsonBody, type Route } from "./http-server.js";

/** `PowInitRequestUrl` (§1.6), snake_case as on the wire. */
export interface PowInitRequest {
  node_id: number;
  node_count: number;
  block_hash: string;
  block_height: number;
  public_key: string;
  batch_size: number;
  r_target: number;
  fraud_threshold: number;
  params?: Record<string, number | boolean>;
  url: string;
}

/** `ProofBatch` (§1.6): gonka-sdk/poc's {@link ProofBatch}. */
export type ProofBatchJson = ProofBatch;

/** A backend that computes PoC distances for one init request (block hash, key, params). */
export interface MlNodePocWorker {
  /** Distances of the given nonces, in order, for the init's public key unless another is given. */
  distances(nonces: number[], publicKey?: string): Promise<number[]>;
  /** Frees GPU/worker resources. */
  close?(): Promise<void> | void;
}

/** What the MLNode API needs from the PoC engine. */
export interface MlNodePocBackend {
  /** Prepares a worker for an init request (model weights from the block hash, etc.). */
  createWorker(init: PowInitRequest): Promise<MlNodePocWorker>;
  /** Binomial-test p-value `P(X ≥ nInvalid)`, `X ~ Bin(n, 5e-4)`. */
  probabilityHonest(n: number, nInvalid: number): number;
  /** Optional guard: throw to refuse params too large for this machine. */
  checkParams?(init: PowInitRequest): void;
}

/** Settings of the MLNode API. */
export interface MlNodeApiOptions {
  backend: MlNodePocBackend;
  /** Sender loop period (the real MLNode uses 5000 ms; the devnet default is 200 ms). */
  sendIntervalMs?: number;
  /** `fetch` used for callbacks. */
  fetch?: typeof fetch;
  /** Called on sender errors (default: ignored; batches are kept and re-sent). */
  onError?: (err: unknown) => void;
}

/** A running MLNode API: its routes plus a `stop()` that ends background work. */
export interface MlNodeApi {
  routes: Route[];
  /** Stops generation, validation and the sender; resolves when all background work ended. */
  stop(): Promise<void>;
}

type PowPhase = "IDLE" | "GENERATING" | "VALIDATING" | "STOPPED";
type ServiceState = "POW" | "INFERENCE" | "TRAIN" | "STOPPED";

interface Controller {
  init: PowInitRequest;
  phase: PowPhase;
  worker: Promise<MlNodePocWorker>;
  loaded: boolean;
  abort: AbortController;
  generated: ProofBatchJson[];
  validated: Record<string, unknown>[];
  generation?: Promise<void>;
  validations: Promise<void>[];
  nextIndex: number;
}

function detail(status: number, message: string): never {
  throw new HttpRouteError(status, { detail: message });
}

const REQUIRED: (keyof PowInitRequest)[] = ["block_hash", "block_height", "public_key", "batch_size", "r_target", "fraud_threshold", "url"];

function parseInit(raw: unknown): PowInitRequest {
  if (typeof raw !== "object" || raw === null) detail(422, "body must be an object");
  const o = raw as Record<string, unknown>;
  const missing = REQUIRED.filter((k) => o[k] === undefined);
  if (missing.length) {
    throw new HttpRouteError(422, { detail: missing.map((k) => ({ loc: ["body", k], msg: "Field required", type: "missing" })) });
  }
  return {
    node_id: typeof o.node_id === "number" ? o.node_id : -1,
    node_count: typeof o.node_count === "number" ? o.node_count : -1,
    block_hash: String(o.block_hash),
    block_height: Number(o.block_height),
    public_key: String(o.public_key),
    batch_size: Number(o.batch_size),
    r_target: Number(o.r_target),
    fraud_threshold: Number(o.fraud_threshold),
    params: (o.params as Record<string, number | boolean> | undefined) ?? undefined,
    url: String(o.url),
  };
}

function sameInit(a: PowInitRequest, b: PowInitRequest): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Creates the MLNode API routes over a PoC backend.
 *
 * @example
 * ```ts
 * const mlnode = createMlNodeApi({ backend });
 * const server = await startLoopbackServer({ routes: mlnode.routes, dialect: "fastapi" });
 * ```
 */
export function createMlNodeApi(options: MlNodeApiOptions): MlNodeApi {
  const doFetch = options.fetch ?? fetch;
  let service: ServiceState = "STOPPED";
  let pow: Controller | undefined;
  let training = false;
  const timer = setInterval(() => void flush(), options.sendIntervalMs ?? 200);
  timer.unref();
  let flushing: Promise<void> | undefined;

  async function post(url: string, body: unknown): Promise<boolean> {
    try {
      const res = await doFetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      await res.arrayBuffer();
      return res.ok;
    } catch (e) {
      options.onError?.(e);
      return false;
    }
  }

  async function flushOnce(c: Controller): Promise<void> {
    if (c.generated.length) {
      const batches = c.generated.splice(0);
      const merged = mergeBatches(batches)!;
      if (!(await post(`${c.init.url}/generated`, merged))) c.generated.unshift(...batches);
    }
    while (c.validated.length) {
      const v = c.validated[0]!;
      if (!(await post(`${c.init.url}/validated`, v))) break;
      c.validated.shift();
    }
  }

  function flush(): Promise<void> {
    const c = pow;
    if (!c || flushing) return flushing ?? Promise.resolve();
    flushing = flushOnce(c).finally(() => (flushing = undefined));
    return flushing;
  }

  async function generate(c: Controller): Promise<void> {
    const worker = await c.worker;
    const { node_id, node_count, batch_size, r_target } = c.init;
    while (!c.abort.signal.aborted && c.phase === "GENERATING") {
      const nonces: number[] = [];
      for (let i = 0; i < Math.max(1, batch_size); i++) nonces.push(node_id + (c.nextIndex + i) * node_count);
      c.nextIndex += nonces.length;
      const dist = await worker.distances(nonces);
      const keep = filterValid(nonces, dist, r_target);
      if (keep.nonces.length) {
        c.generated.push({
          public_key: c.init.public_key,
          block_hash: c.init.block_hash,
          block_height: c.init.block_height,
          nonces: keep.nonces,
          dist: keep.dist,
          node_id,
        });
      }
      await new Promise((r) => setImmediate(r));
    }
  }

  async function validate(c: Controller, batch: ProofBatchJson): Promise<void> {
    const worker = await c.worker;
    const dist = await worker.distances(batch.nonces, batch.public_key);
    if (c.abort.signal.aborted) return;
    const nInvalid = dist.filter((d) => d > c.init.r_target).length;
    const probabilityHonest = options.backend.probabilityHonest(batch.nonces.length, nInvalid);
    c.validated.push({
      public_key: batch.public_key,
      block_hash: batch.block_hash,
      block_height: batch.block_height,
      nonces: batch.nonces,
      dist,
      node_id: batch.node_id,
      received_dist: batch.dist,
      r_target: c.init.r_target,
      fraud_threshold: c.init.fraud_threshold,
      n_invalid: nInvalid,
      probability_honest: probabilityHonest,
      fraud_detected: probabilityHonest < c.init.fraud_threshold,
    });
  }

  async function stopPow(): Promise<void> {
    const c = pow;
    if (!c) return;
    pow = undefined;
    c.abort.abort();
    c.phase = "STOPPED";
    await Promise.allSettled([c.generation, ...c.validations]);
    await flushing;
    const worker = await c.worker.catch(() => undefined);
    await worker?.close?.();
  }

  function powStatus(): Record<string, unknown> {
    if (!pow) return { status: "NOT_LOADED" };
    return { status: pow.phase === "IDLE" && !pow.loaded ? "LOADING" : pow.phase, is_model_initialized: pow.loaded };
  }

  function conflict(requested: ServiceState): void {
    if (service !== "STOPPED" && service !== requested) {
      detail(409, `Cannot run ${requested} because MLNode is currently in ${service} mode. Please stop ${service} first.`);
    }
  }

  async function startPow(init: PowInitRequest): Promise<Controller> {
    options.backend.checkParams?.(init);
    await stopPow();
    const worker = options.backend.createWorker(init);
    const c: Controller = {
      init,
      phase: "IDLE",
      worker,
      loaded: false,
      abort: new AbortController(),
      generated: [],
      validated: [],
      validations: [],
      nextIndex: 0,
    };
    worker.then(
      () => (c.loaded = true),
      (e: unknown) => options.onError?.(e),
    );
    pow = c;
    service = "POW";
    return c;
  }

  function startGenerating(c: Controller): void {
    if (c.phase === "GENERATING") return;
    c.phase = "GENERATING";
    c.generation = generate(c).catch((e: unknown) => {
      options.onError?.(e);
      c.phase = "IDLE";
    });
  }

  const ok = () => ({ json: { status: "OK", pow_status: powStatus() } });

  const routes: Route[] = [
    { method: "GET", pattern: "/api/v1/state", handler: () => ({ json: { state: service } }) },
    {
      method: "POST",
      pattern: "/api/v1/stop",
      handler: async () => {
        await stopPow();
        training = false;
        service = "STOPPED";
        return { json: { status: "OK" } };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/inference/up",
      handler: (ctx) => {
        conflict("INFERENCE");
        const body = jsonBody<{ model?: unknown; dtype?: unknown }>(ctx, "fastapi");
        if (typeof body.model !== "string" || typeof body.dtype !== "string") {
          throw new HttpRouteError(422, { detail: [{ loc: ["body", "model"], msg: "Field required", type: "missing" }] });
        }
        service = "INFERENCE";
        return { json: { status: "OK" } };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/inference/down",
      handler: () => {
        conflict("INFERENCE");
        service = "STOPPED";
        return { json: { status: "OK" } };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/pow/init",
      handler: async (ctx) => {
        conflict("POW");
        await startPow(parseInit(jsonBody(ctx, "fastapi")));
        return ok();
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/pow/init/generate",
      handler: async (ctx) => {
        conflict("POW");
        const init = parseInit(jsonBody(ctx, "fastapi"));
        if (init.node_id < 0 || init.node_count < 1) detail(400, "Node ID and node count must be set");
        const c = pow && sameInit(pow.init, init) ? pow : await startPow(init);
        startGenerating(c);
        return ok();
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/pow/init/validate",
      handler: async (ctx) => {
        conflict("POW");
        const init = parseInit(jsonBody(ctx, "fastapi"));
        const c = pow && sameInit(pow.init, init) ? pow : await startPow(init);
        c.phase = "VALIDATING";
        return ok();
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/pow/phase/generate",
      handler: () => {
        conflict("POW");
        if (!pow) detail(400, "PoW is not running");
        if (pow.init.node_id < 0 || pow.init.node_count < 1) detail(400, "Node ID and node count must be set to start generating");
        startGenerating(pow);
        return ok();
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/pow/phase/validate",
      handler: () => {
        conflict("POW");
        if (!pow) detail(400, "PoW is not running");
        pow.phase = "VALIDATING";
        return ok();
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/pow/validate",
      handler: (ctx) => {
        conflict("POW");
        if (!pow) detail(400, "PoW is not running");
        const b = jsonBody<Partial<ProofBatchJson>>(ctx, "fastapi");
        if (!Array.isArray(b.nonces) || !Array.isArray(b.dist) || b.nonces.length !== b.dist.length) {
          throw new HttpRouteError(422, { detail: [{ loc: ["body", "dist"], msg: "nonces and dist must be arrays of equal length", type: "value_error" }] });
        }
        const batch: ProofBatchJson = {
          public_key: String(b.public_key ?? ""),
          block_hash: String(b.block_hash ?? ""),
          block_height: Number(b.block_height ?? 0),
          nonces: b.nonces.map(Number),
          dist: b.dist.map(Number),
          node_id: Number(b.node_id ?? 0),
        };
        const c = pow;
        c.validations.push(validate(c, batch).catch((e: unknown) => options.onError?.(e)));
        return { json: null };
      },
    },
    {
      method: "GET",
      pattern: "/api/v1/pow/status",
      handler: () => {
        conflict("POW");
        return { json: powStatus() };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/pow/stop",
      handler: async () => {
        conflict("POW");
        if (!pow) return { json: { status: "OK", pow_status: "PoW is not running" } };
        await flush();
        await stopPow();
        service = "STOPPED";
        return { json: { status: "OK", pow_status: { status: "STOPPED", is_model_initialized: false } } };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/train/start",
      handler: () => {
        conflict("TRAIN");
        if (training) detail(400, "Training is already running");
        training = true;
        service = "TRAIN";
        return { json: { status: "Training started" } };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/train/stop",
      handler: () => {
        conflict("TRAIN");
        if (!training) detail(400, "Training is not running");
        training = false;
        service = "STOPPED";
        return { json: { status: "Training stopped" } };
      },
    },
    {
      method: "GET",
      pattern: "/api/v1/train/status",
      handler: () => {
        conflict("TRAIN");
        return { json: { status: training } };
      },
    },
  ];
  return {
    routes,
    async stop() {
      clearInterval(timer);
      await stopPow();
    },
  };
}
