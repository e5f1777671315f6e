/**
 * The MLNode management API at `/api/v1/…` as v0.2.13 serves it (rest-upgrades.md §6): state with
 * version, inference start-up (409/500 `detail`, async start and status), the model cache, GPU and
 * health routes (a devnet MLNode has no GPU: `/health` answers 503 "unhealthy" like a real one
 * without CUDA), and the PoC v2 routes' HTTP shape and validation. The PoC v2 artifacts themselves
 * need a served model: without inference running the routes answer 503 "No vLLM backends
 * available" like the real MLNode; with it, they are computed by `options.pocV2` (the devnet's
 * stand-in model, `src/devnet/poc-v2/`), or answer **501** when none is plugged in. PoW v1 (`/api/v1/pow/*`, unused by the network node since
 * v0.2.8) runs on a PoC v1 backend that computes distances: generation runs in the background and a
 * sender loop POSTs merged batches to `{url}/generated`; batches submitted to `/pow/validate` are
 * recomputed and POSTed to `{url}/validated`.
 */
import { filterValid, mergeBatches, type ProofBatch } from "../poc/index.js";
import { HttpRouteError, jsonBody, postJsonCallback, type Route, type RouteContext } from "./http-server.js";

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
  /** GPUs the devnet MLNode pretends to have for the vLLM parallelism check (default 1; it reports none through NVML). */
  gpus?: number;
  /** `version` reported by `GET /api/v1/state` (default `"devnet"`). */
  version?: string;
  /** Sender loop period (the real MLNode uses 5000 ms; the devnet default is 200 ms). */
  sendIntervalMs?: number;
  /** `fetch` used for callbacks. */
  fetch?: typeof fetch;
  /** Called on sender errors (default: ignored; batches are kept and re-sent). */
  onError?: (err: unknown) => void;
  /** The PoC v2 routes over a served model (the devnet's stand-in: `createPocV2StandIn`); default: shape checks, then 501. */
  pocV2?: MlNodePocV2Factory;
}

/** PoC v2 routes plugged into the MLNode API; `stop` runs when vLLM goes down, `close` when the API stops. */
export interface MlNodePocV2Routes {
  routes: Route[];
  stop(): Promise<void>;
  close?(): void;
}

/** Builds the PoC v2 routes; `servedModel()` is the model vLLM serves (null: no backend). */
export type MlNodePocV2Factory = (mlnode: { servedModel(): string | null }) => MlNodePocV2Routes;

/** A running MLNode API: its routes plus a `stop()` that ends background work. */
export interface MlNodeApi {
  routes: Route[];
  /** Stops generation, validation and the sender; resolves when all background work ended. */
  stop(): Promise<void>;
}

type PowPhase = "IDLE" | "GENERATING" | "VALIDATING" | "STOPPED";

interface InferenceStartup {
  status: "not_started" | "in_progress" | "completed" | "failed" | "cancelled";
  running: boolean;
  model: string | null;
  startedAt?: number;
  error?: string;
}
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
  let inference: InferenceStartup = { status: "not_started", running: false, model: null };
  const gpus = options.gpus ?? 1;
  const v2 = options.pocV2?.({ servedModel: () => (service === "INFERENCE" && inference.running ? inference.model : null) });

  /** `inference/up` and `up/async`: the MLNode's checks (the devnet's "vLLM" starts at once). */
  function startInference(ctx: RouteContext): void {
    const body = jsonBody<{ model?: unknown; dtype?: unknown; additional_args?: unknown }>(ctx, "fastapi");
    const missing = (["model", "dtype"] as const).filter((k) => typeof body[k] !== "string");
    if (missing.length) throw new HttpRouteError(422, { detail: missing.map((k) => ({ loc: ["body", k], msg: "Field required", type: "missing" })) });
    conflict("INFERENCE");
    if (inference.running) detail(409, "VLLM is already running. Use /inference/down to stop it first.");
    const args = Array.isArray(body.additional_args) ? body.additional_args.map(String) : [];
    const size = (flag: string): number => {
      const i = args.indexOf(flag);
      return i >= 0 ? Number(args[i + 1]) : 1;
    };
    const perInstance = size("--tensor-parallel-size") * size("--pipeline-parallel-size");
    if (!Number.isInteger(perInstance) || perInstance < 1 || perInstance > gpus)
      detail(409, `tensor_parallel_size * pipeline_parallel_size = ${perInstance} does not fit the ${gpus} GPU(s) of this MLNode`);
    const model = String(body.model);
    if (!/^[\w.-]+\/[\w.-]+$/.test(model)) {
      inference = { status: "failed", running: false, model: null, startedAt: Date.now(), error: `vLLM failed to start: model ${model} could not be loaded` };
      detail(500, inference.error!);
    }
    inference = { status: "completed", running: true, model, startedAt: Date.now() };
    service = "INFERENCE";
  }

  const timer = setInterval(() => void flush(), options.sendIntervalMs ?? 200);
  timer.unref();
  let flushing: Promise<void> | undefined;

  const post = (url: string, body: unknown): Promise<boolean> => postJsonCallback(doFetch, url, body, options.onError);

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
    {
      method: "GET",
      pattern: "/api/v1/state",
      handler: () => ({
        json: {
          state: service,
          version: options.version ?? "devnet",
          poc_status: service === "INFERENCE" ? "IDLE" : null,
          inference_healthy: service === "INFERENCE" ? true : null,
          loaded_model: service === "INFERENCE" ? inference.model : null,
        },
      }),
    },
    {
      method: "POST",
      pattern: "/api/v1/stop",
      handler: async () => {
        await stopPow();
        await v2?.stop();
        training = false;
        inference = { ...inference, running: false, status: inference.status === "completed" ? "cancelled" : inference.status };
        service = "STOPPED";
        return { json: { status: "OK" } };
      },
    },
    { method: "POST", pattern: "/api/v1/inference/up", handler: (ctx) => (startInference(ctx), { json: { status: "OK" } }) },
    {
      method: "POST",
      pattern: "/api/v1/inference/up/async",
      handler: (ctx) => (startInference(ctx), { json: { status: "starting", message: "Inference startup initiated in background" } }),
    },
    {
      method: "GET",
      pattern: "/api/v1/inference/up/status",
      handler: () => {
        conflict("INFERENCE");
        return {
          json: {
            status: inference.status,
            is_starting: false,
            is_running: inference.running,
            ...(inference.startedAt !== undefined ? { elapsed_seconds: 0 } : {}),
            ...(inference.error ? { error: inference.error } : {}),
          },
        };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/inference/down",
      handler: async () => {
        conflict("INFERENCE");
        await v2?.stop();
        inference = { ...inference, running: false };
        service = "STOPPED";
        return { json: { status: "OK" } };
      },
    },
    ...(v2 ? v2.routes : pocV2Routes(() => service === "INFERENCE")),
    ...modelCacheRoutes(),
    {
      method: "GET",
      pattern: "/api/v1/gpu/devices",
      handler: () => ({ json: { devices: [], count: 0 } }),
    },
    { method: "GET", pattern: "/api/v1/gpu/driver", handler: () => detail(503, "NVML is not available") },
    ...["/health", "/livez"].map(
      (pattern): Route => ({
        method: "GET",
        pattern,
        handler: () => ({
          status: 503,
          json: {
            status: "unhealthy",
            service_state: service,
            gpu: { available: false, count: 0, devices: [] },
            managers: {
              pow: { running: service === "POW", healthy: true },
              inference: { running: service === "INFERENCE", healthy: true },
              train: { running: training, healthy: true },
            },
          },
        }),
      }),
    ),
    { method: "GET", pattern: "/readyz", handler: () => ({ json: { ready: true } }) },
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
      await v2?.stop();
      v2?.close?.();
    },
  };
}

const POC_V2_INIT_FIELDS = ["block_hash", "block_height", "public_key", "node_id", "node_count", "params"] as const;

/** Pydantic-like checks of a PoC v2 body: 422 lists for missing fields and unknown `params` keys, 400 for a nonce mismatch. */
export function checkPocV2Body(raw: unknown, generate: boolean): void {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) detail(422, "body must be an object");
  const o = raw as Record<string, unknown>;
  const issues: { loc: (string | number)[]; msg: string; type: string }[] = [];
  for (const k of generate ? [...POC_V2_INIT_FIELDS, "nonces"] : POC_V2_INIT_FIELDS) if (o[k] === undefined) issues.push({ loc: ["body", k], msg: "Field required", type: "missing" });
  const params = o.params as Record<string, unknown> | undefined;
  if (params && typeof params === "object") {
    for (const k of ["model", "seq_len"]) if (params[k] === undefined) issues.push({ loc: ["body", "params", k], msg: "Field required", type: "missing" });
    for (const k of Object.keys(params)) if (!["model", "seq_len", "k_dim"].includes(k)) issues.push({ loc: ["body", "params", k], msg: "Extra inputs are not permitted", type: "extra_forbidden" });
  }
  if (issues.length) throw new HttpRouteError(422, { detail: issues });
  const validation = o.validation as { artifacts?: { nonce?: unknown }[] } | undefined;
  if (generate && validation) {
    const nonces = new Set((o.nonces as unknown[]).map(Number));
    const given = new Set((validation.artifacts ?? []).map((a) => Number(a?.nonce)));
    if (nonces.size !== given.size || [...nonces].some((n) => !given.has(n))) detail(400, "validation artifacts must cover exactly the requested nonces");
  }
}

/**
 * The PoC v2 routes: their HTTP shape and validation. Without inference running there are no
 * vLLM backends (503, as on a real MLNode); with it the devnet has no stand-in model yet (501).
 */
function pocV2Routes(hasBackends: () => boolean): Route[] {
  const notYet = (): never => detail(501, "PoC v2 artifacts are not implemented in this devnet yet (its stand-in for the served model is not built)");
  const needBackends = (): void => {
    if (!hasBackends()) detail(503, "No vLLM backends available");
  };
  return [
    {
      method: "POST",
      pattern: "/api/v1/inference/pow/init/generate",
      handler: (ctx) => {
        checkPocV2Body(jsonBody(ctx, "fastapi"), false);
        needBackends();
        return notYet();
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/inference/pow/generate",
      handler: (ctx) => {
        checkPocV2Body(jsonBody(ctx, "fastapi"), true);
        needBackends();
        return notYet();
      },
    },
    {
      method: "GET",
      pattern: "/api/v1/inference/pow/generate/:request_id",
      handler: ({ params }) => {
        const id = params.request_id!;
        const colon = id.indexOf(":");
        if (colon <= 0) detail(400, "Invalid request_id format (expected port:uuid)");
        if (!/^\d+$/.test(id.slice(0, colon))) detail(400, "Invalid port in request_id");
        return detail(404, "Request not found");
      },
    },
    { method: "GET", pattern: "/api/v1/inference/pow/status", handler: () => (hasBackends() ? notYet() : { json: { status: "NO_BACKENDS", backends: [] } }) },
    { method: "POST", pattern: "/api/v1/inference/pow/stop", handler: () => (hasBackends() ? notYet() : { json: { status: "OK", message: "No backends to stop" } }) },
  ];
}

type CacheEntry = { model: { hf_repo: string; hf_commit: string | null }; status: "DOWNLOADED" | "DOWNLOADING" };

/** The Hugging Face cache routes over an in-memory cache (a download completes on the next status read). */
function modelCacheRoutes(): Route[] {
  const cache = new Map<string, CacheEntry>();
  const parse = (ctx: RouteContext) => {
    const body = jsonBody<{ hf_repo?: unknown; hf_commit?: unknown }>(ctx, "fastapi");
    if (typeof body.hf_repo !== "string") throw new HttpRouteError(422, { detail: [{ loc: ["body", "hf_repo"], msg: "Field required", type: "missing" }] });
    const model = { hf_repo: body.hf_repo, hf_commit: typeof body.hf_commit === "string" ? body.hf_commit : null };
    return { model, key: `${model.hf_repo}:${model.hf_commit ?? "latest"}` };
  };
  return [
    {
      method: "POST",
      pattern: "/api/v1/models/status",
      handler: (ctx) => {
        const { model, key } = parse(ctx);
        const entry = cache.get(key);
        if (!entry) return { json: { model, status: "NOT_FOUND" } };
        const answer = { json: { ...entry } };
        entry.status = "DOWNLOADED";
        return answer;
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/models/download",
      handler: (ctx) => {
        const { model, key } = parse(ctx);
        if (cache.get(key)?.status === "DOWNLOADING") detail(409, `Model ${key} is already downloading`);
        if ([...cache.values()].filter((e) => e.status === "DOWNLOADING").length >= 3) detail(429, "Too many concurrent downloads (max 3)");
        cache.set(key, { model, status: "DOWNLOADING" });
        return { status: 202, json: { task_id: key, status: "DOWNLOADING", model } };
      },
    },
    {
      method: "DELETE",
      pattern: "/api/v1/models",
      handler: (ctx) => {
        const { model, key } = parse(ctx);
        const keys = model.hf_commit === null ? [...cache.keys()].filter((k) => k.startsWith(`${model.hf_repo}:`)) : [key];
        const found = keys.filter((k) => cache.has(k));
        if (found.length === 0) detail(404, `Model ${key} not found`);
        const cancelled = found.some((k) => cache.get(k)!.status === "DOWNLOADING");
        for (const k of found) cache.delete(k);
        return { json: { status: cancelled ? "cancelled" : "deleted", model } };
      },
    },
    { method: "GET", pattern: "/api/v1/models/list", handler: () => ({ json: { models: [...cache.values()].map((e) => ({ model: e.model, status: e.status })) } }) },
    { method: "GET", pattern: "/api/v1/models/space", handler: () => ({ json: { cache_size_gb: 0, available_gb: 0, cache_path: "(devnet: in memory)" } }) },
  ];
}
