/**
 * The MLNode's PoC v2 routes (`/api/v1/inference/pow/*`, spec poc-v2.md §7–§8) served by the
 * devnet's **stand-in model** ({@link standInArtifact}; not the real model — every answer says so
 * with `stand_in_model: true` and the {@link STAND_IN_HEADER} header).
 *
 * - `POST init/generate` starts background generation on the one "vLLM backend": nonces
 *   `node_id + x·node_count`, `batch_size` per step at `noncesPerSecond`, buffered and POSTed to
 *   `{url}/generated` every `sendIntervalMs` (re-sent on failure, dropped after 10 failures).
 * - `POST generate` queues (or, with `wait`, computes) given nonces; with `validation` it
 *   recomputes them and runs vLLM's comparison and binomial test (`compareArtifacts` →
 *   `fraudTest`); results at `GET generate/{port}:{uuid}` (kept 300 s) and, with `url`, POSTed
 *   to `{url}/generated` or `{url}/validated`. Jobs wait while generation runs.
 * - `GET status`, `POST stop` (stops generation and clears the queue).
 *
 * Without inference running (no vLLM backend) the routes answer 503 / `NO_BACKENDS` like the real
 * MLNode; a request for another model than the one served is refused ("params mismatch").
 * @module
 */
import { randomUUID } from "node:crypto";
import { ARTIFACT_ENCODING, compareArtifacts, VLLM_STAT_TEST_DEFAULTS, type PocArtifact } from "../../poc/v2/index.js";
import { messageOf } from "../../errors.js";
import { HttpRouteError, jsonBody, postJsonCallback, type Route, type RouteResult } from "../http-server.js";
import { checkPocV2Body, type MlNodePocV2Factory, type MlNodePocV2Routes } from "../mlnode-api.js";
import { checkHonesty, dishonestModelOf, forges, STAND_IN_HEADER, STAND_IN_NOTE, standInArtifact, type StandInHonesty } from "./stand-in.js";

/** Options of {@link createPocV2StandIn}. */
export interface PocV2StandInOptions {
  /** A dishonest stand-in: `true` forges every nonce (computes another "model"), a number that fraction of nonces. Default honest. */
  dishonest?: StandInHonesty;
  /** Generation speed of the one backend, nonces per second (default 50; a real H200 node is much faster, the devnet keeps stores small). */
  noncesPerSecond?: number;
  /** Callback period of generation, ms (default 200; the real vLLM sends every 5 s). */
  sendIntervalMs?: number;
  /** The "vLLM backend" port reported in answers and request ids (default 5000). */
  backendPort?: number;
  /** `fetch` for callbacks. */
  fetch?: typeof fetch;
  /** Called on callback failures and job errors. */
  onError?: (err: unknown) => void;
}

interface InitBody {
  block_hash: string;
  block_height: number;
  public_key: string;
  node_id: number;
  node_count: number;
  params: { model: string; seq_len: number; k_dim?: number };
  url: string;
  batch_size: number;
  poc_stronger_rng: boolean;
}

interface GenerateBody extends Omit<InitBody, "url"> {
  nonces: number[];
  url?: string;
  wait: boolean;
  validation?: { artifacts: { nonce: number; vector_b64: string }[] };
  stat_test: { dist_threshold: number; p_mismatch: number; fraud_threshold: number };
}

interface Generation {
  init: InitBody;
  stopped: boolean;
  next: number;
  buffer: { nonce: number; vector_b64: string }[];
  failures: number;
  totalProcessed: number;
  startedAt: number;
  loop: Promise<void>;
}

interface Job {
  id: string;
  body: GenerateBody;
  status: "queued" | "running" | "completed" | "failed";
  result?: Record<string, unknown>;
  doneAt?: number;
}

const JOB_TTL_MS = 300_000;
const MAX_QUEUED_NONCES = 100_000;
const MAX_CALLBACK_FAILURES = 10;

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);
function detail(status: number, message: string): never {
  throw new HttpRouteError(status, { detail: message });
}

function typeIssues(o: Record<string, unknown>, generate: boolean): void {
  const issues: { loc: (string | number)[]; msg: string; type: string }[] = [];
  const want = (k: string, ok: boolean, msg: string, at: (string | number)[] = ["body", k]) => {
    if (!ok) issues.push({ loc: at, msg, type: "type_error" });
  };
  want("block_hash", typeof o.block_hash === "string", "Input should be a valid string");
  want("public_key", typeof o.public_key === "string", "Input should be a valid string");
  for (const k of ["block_height", "node_id", "node_count"]) want(k, isInt(o[k]), "Input should be a valid integer");
  const p = o.params as Record<string, unknown>;
  want("params", typeof p === "object" && p !== null, "Input should be a valid dictionary");
  if (p && typeof p === "object") {
    want("model", typeof p.model === "string", "Input should be a valid string", ["body", "params", "model"]);
    want("seq_len", isInt(p.seq_len) && p.seq_len > 0, "Input should be a positive integer", ["body", "params", "seq_len"]);
    if (p.k_dim !== undefined) want("k_dim", isInt(p.k_dim) && p.k_dim > 0, "Input should be a positive integer", ["body", "params", "k_dim"]);
  }
  if (o.batch_size !== undefined) want("batch_size", isInt(o.batch_size) && o.batch_size > 0, "Input should be a positive integer");
  if (!generate || o.url !== undefined) want("url", typeof o.url === "string" && /^https?:\/\//.test(o.url), generate ? "Input should be a valid URL" : "Field required");
  if (generate) {
    want("nonces", Array.isArray(o.nonces) && o.nonces.every(isInt), "Input should be a list of integers");
    const v = o.validation as { artifacts?: unknown } | undefined;
    if (v !== undefined) {
      const ok = typeof v === "object" && v !== null && Array.isArray(v.artifacts) && v.artifacts.every((a: unknown) => {
        const x = a as { nonce?: unknown; vector_b64?: unknown } | null;
        return !!x && isInt(x.nonce) && typeof x.vector_b64 === "string";
      });
      want("validation", ok, "Input should be {artifacts: [{nonce, vector_b64}]}");
    }
    const s = o.stat_test as Record<string, unknown> | undefined;
    if (s !== undefined) want("stat_test", typeof s === "object" && s !== null && ["dist_threshold", "p_mismatch", "fraud_threshold"].every((k) => s[k] === undefined || typeof s[k] === "number"), "Input should be {dist_threshold, p_mismatch, fraud_threshold}");
  }
  if (issues.length) throw new HttpRouteError(422, { detail: issues });
}

function parseInit(raw: unknown): InitBody {
  checkPocV2Body(raw, false);
  const o = raw as Record<string, unknown>;
  typeIssues(o, false);
  const p = o.params as InitBody["params"];
  if ((o.node_count as number) < 1 || (o.node_id as number) < 0) detail(400, "Node ID and node count must be set");
  return {
    block_hash: o.block_hash as string, block_height: o.block_height as number, public_key: o.public_key as string,
    node_id: o.node_id as number, node_count: o.node_count as number,
    params: { model: p.model, seq_len: p.seq_len, ...(p.k_dim !== undefined ? { k_dim: p.k_dim } : {}) },
    url: String(o.url).replace(/\/+$/, ""), batch_size: (o.batch_size as number | undefined) ?? 32, poc_stronger_rng: o.poc_stronger_rng === true,
  };
}

function parseGenerate(raw: unknown): GenerateBody {
  checkPocV2Body(raw, true);
  const o = raw as Record<string, unknown>;
  typeIssues(o, true);
  const p = o.params as InitBody["params"];
  const s = (o.stat_test ?? {}) as Partial<GenerateBody["stat_test"]>;
  return {
    block_hash: o.block_hash as string, block_height: o.block_height as number, public_key: o.public_key as string,
    node_id: o.node_id as number, node_count: o.node_count as number,
    params: { model: p.model, seq_len: p.seq_len, ...(p.k_dim !== undefined ? { k_dim: p.k_dim } : {}) },
    nonces: o.nonces as number[], batch_size: (o.batch_size as number | undefined) ?? 32, wait: o.wait === true,
    ...(typeof o.url === "string" ? { url: o.url.replace(/\/+$/, "") } : {}),
    ...(o.validation !== undefined ? { validation: o.validation as GenerateBody["validation"] } : {}),
    // vLLM reads `fraud_threshold`; the API node's `p_value_threshold` is dropped (spec §7.3)
    stat_test: {
      dist_threshold: s.dist_threshold ?? VLLM_STAT_TEST_DEFAULTS.distThreshold,
      p_mismatch: s.p_mismatch ?? VLLM_STAT_TEST_DEFAULTS.pMismatch,
      fraud_threshold: s.fraud_threshold ?? VLLM_STAT_TEST_DEFAULTS.fraudThreshold,
    },
    poc_stronger_rng: o.poc_stronger_rng === true,
  };
}

const labelled = (json: Record<string, unknown>, status = 200): RouteResult => ({ status, json: { ...json, stand_in_model: true }, headers: { [STAND_IN_HEADER]: "true" } });

/**
 * The PoC v2 routes of a devnet MLNode over the stand-in model; pass the result as
 * `createMlNodeApi({ pocV2 })` (`startDevnet` does).
 *
 * @example
 * ```ts
 * const mlnode = createMlNodeApi({ backend, pocV2: createPocV2StandIn({ dishonest: true }) });
 * ```
 */
export function createPocV2StandIn(options: PocV2StandInOptions = {}): MlNodePocV2Factory {
  const honesty = checkHonesty(options.dishonest, "dishonest");
  const rate = options.noncesPerSecond ?? 50;
  if (!(rate > 0) || !Number.isFinite(rate)) throw new HttpRouteError(500, { detail: "noncesPerSecond must be positive" });
  return (mlnode) => standInRoutes(mlnode, { ...options, dishonest: honesty, noncesPerSecond: rate });
}

function standInRoutes(mlnode: { servedModel(): string | null }, o: PocV2StandInOptions & { dishonest: StandInHonesty; noncesPerSecond: number }): MlNodePocV2Routes {
  const port = o.backendPort ?? 5000;
  const doFetch = o.fetch ?? fetch;
  let generation: Generation | undefined;
  const jobs = new Map<string, Job>();
  const queue: Job[] = [];
  let pumping: Promise<void> | undefined;
  let sending: Promise<void> | undefined;
  const sender = setInterval(() => void send(), o.sendIntervalMs ?? 200);
  sender.unref();

  const artifactOf = (b: Omit<InitBody, "url">, nonce: number): PocArtifact => {
    const model = forges(o.dishonest, nonce) ? dishonestModelOf(b.params.model) : b.params.model;
    return standInArtifact({ blockHash: b.block_hash, publicKey: b.public_key, nonce, model, seqLen: b.params.seq_len, ...(b.params.k_dim !== undefined ? { kDim: b.params.k_dim } : {}), strongerRng: b.poc_stronger_rng });
  };

  const served = (): string => {
    const m = mlnode.servedModel();
    if (m === null) detail(503, "No vLLM backends available");
    return m;
  };
  const sameModel = (model: string, status: number): void => {
    const m = served();
    if (m !== model) {
      if (status === 502) throw new HttpRouteError(502, { detail: "All backends failed", results: [], errors: [{ port, error: `params mismatch: the backend serves ${m}, the request names ${model}` }] });
      throw new HttpRouteError(409, { error: "params mismatch", detail: `the backend serves ${m}, the request names ${model}` });
    }
  };

  const post = (url: string, body: unknown): Promise<boolean> => postJsonCallback(doFetch, url, body, o.onError);

  async function sendOnce(g: Generation): Promise<void> {
    if (g.buffer.length === 0) return;
    const artifacts = g.buffer.splice(0);
    const { init } = g;
    const ok = await post(`${init.url}/generated`, {
      public_key: init.public_key, block_hash: init.block_hash, block_height: init.block_height, node_id: init.node_id, artifacts, encoding: ARTIFACT_ENCODING,
    });
    if (ok) g.failures = 0;
    else if (++g.failures < MAX_CALLBACK_FAILURES) g.buffer.unshift(...artifacts);
    else o.onError?.(new Error(`dropped ${artifacts.length} artifacts after ${MAX_CALLBACK_FAILURES} failed callbacks to ${init.url}/generated`));
  }

  function send(): Promise<void> {
    const g = generation;
    if (!g || sending) return sending ?? Promise.resolve();
    sending = sendOnce(g).finally(() => (sending = undefined));
    return sending;
  }

  async function generate(g: Generation): Promise<void> {
    const { init } = g;
    const stepMs = (init.batch_size * 1000) / o.noncesPerSecond;
    let due = Date.now();
    while (!g.stopped) {
      for (let i = 0; i < init.batch_size && !g.stopped; i++) {
        const nonce = init.node_id + g.next * init.node_count; // one backend: group_id 0, n_groups 1 (spec §6)
        g.next++;
        const a = artifactOf(init, nonce);
        g.buffer.push({ nonce: a.nonce, vector_b64: a.vectorB64 });
        g.totalProcessed++;
      }
      due += stepMs;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    }
  }

  async function stopGeneration(): Promise<void> {
    const g = generation;
    if (!g) return;
    g.stopped = true;
    await g.loop;
    await sending;
    await sendOnce(g); // what was buffered still goes out once, as the sender's last round
    if (generation === g) generation = undefined;
    void pump();
  }

  async function compute(job: Job): Promise<Record<string, unknown>> {
    const b = job.body;
    const computed: PocArtifact[] = [];
    for (let i = 0; i < b.nonces.length; i += b.batch_size) {
      for (const n of b.nonces.slice(i, i + b.batch_size)) computed.push(artifactOf(b, n));
      await new Promise((r) => setImmediate(r));
    }
    if (!b.validation) {
      return { status: "completed", request_id: job.id, artifacts: computed.map((a) => ({ nonce: a.nonce, vector_b64: a.vectorB64 })), encoding: { ...ARTIFACT_ENCODING, k_dim: b.params.k_dim ?? ARTIFACT_ENCODING.k_dim } };
    }
    const v = compareArtifacts({
      nonces: b.nonces, computed, received: b.validation.artifacts.map((a) => ({ nonce: a.nonce, vectorB64: a.vector_b64 })),
      distThreshold: b.stat_test.dist_threshold, pMismatch: b.stat_test.p_mismatch, fraudThreshold: b.stat_test.fraud_threshold,
      ...(b.params.k_dim !== undefined ? { kDim: b.params.k_dim } : {}),
    });
    return { status: "completed", request_id: job.id, n_total: v.nTotal, n_mismatch: v.nMismatch, mismatch_nonces: v.mismatchNonces, p_value: v.pValue, fraud_detected: v.fraudDetected };
  }

  async function run(job: Job): Promise<void> {
    job.status = "running";
    try {
      job.result = await compute(job);
      job.status = "completed";
    } catch (e) {
      job.status = "failed";
      job.result = { status: "failed", request_id: job.id, error: messageOf(e) };
      o.onError?.(e);
    }
    job.doneAt = Date.now();
    const b = job.body;
    if (b.url && job.status === "completed") {
      const r = job.result!;
      const body = b.validation
        ? { request_id: job.id, block_hash: b.block_hash, block_height: b.block_height, public_key: b.public_key, node_id: b.node_id, n_total: r.n_total, n_mismatch: r.n_mismatch, mismatch_nonces: r.mismatch_nonces, p_value: r.p_value, fraud_detected: r.fraud_detected }
        : { request_id: job.id, public_key: b.public_key, block_hash: b.block_hash, block_height: b.block_height, node_id: b.node_id, artifacts: r.artifacts, encoding: r.encoding };
      for (let attempt = 0; attempt < 3 && !(await post(`${b.url}/${b.validation ? "validated" : "generated"}`, body)); attempt++) await new Promise((res) => setTimeout(res, 100));
    }
  }

  /** Runs queued jobs one at a time, never while generation runs. */
  function pump(): Promise<void> {
    if (pumping) return pumping;
    pumping = (async () => {
      while (queue.length > 0 && !generation) await run(queue.shift()!);
    })().finally(() => (pumping = undefined));
    return pumping;
  }

  const prune = () => {
    const now = Date.now();
    for (const [id, j] of jobs) if (j.doneAt !== undefined && now - j.doneAt > JOB_TTL_MS) jobs.delete(id);
  };

  const backendStatus = () => {
    const g = generation;
    const elapsed = g ? (Date.now() - g.startedAt) / 1000 : 0;
    return {
      port,
      status: g ? "GENERATING" : "IDLE",
      config: g
        ? { block_hash: g.init.block_hash, block_height: g.init.block_height, public_key: g.init.public_key, node_id: g.init.node_id, node_count: g.init.node_count, group_id: 0, n_groups: 1, seq_len: g.init.params.seq_len, k_dim: g.init.params.k_dim ?? 12 }
        : null,
      stats: g ? { total_processed: g.totalProcessed, nonces_per_second: elapsed > 0 ? g.totalProcessed / elapsed : 0 } : null,
    };
  };

  const routes: Route[] = [
    {
      method: "POST",
      pattern: "/api/v1/inference/pow/init/generate",
      handler: (ctx) => {
        const init = parseInit(jsonBody(ctx, "fastapi"));
        sameModel(init.params.model, 502);
        if (generation) throw new HttpRouteError(502, { detail: "All backends failed", results: [], errors: [{ port, error: "already generating; POST /api/v1/inference/pow/stop first" }] });
        const g: Generation = { init, stopped: false, next: 0, buffer: [], failures: 0, totalProcessed: 0, startedAt: Date.now(), loop: Promise.resolve() };
        g.loop = generate(g).catch((e: unknown) => o.onError?.(e));
        generation = g;
        return labelled({ status: "OK", backends: 1, n_groups: 1, results: [{ port, status: "OK" }], errors: null, note: STAND_IN_NOTE });
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/inference/pow/generate",
      handler: async (ctx) => {
        const body = parseGenerate(jsonBody(ctx, "fastapi"));
        sameModel(body.params.model, 409);
        prune();
        const queued = queue.reduce((n, j) => n + j.body.nonces.length, 0);
        if (queued + body.nonces.length > MAX_QUEUED_NONCES) detail(429, `Too many queued nonces (${queued} queued, limit ${MAX_QUEUED_NONCES})`);
        const job: Job = { id: `${port}:${randomUUID()}`, body, status: "queued" };
        jobs.set(job.id, job);
        if (body.wait) {
          await run(job);
          return labelled(job.result!, job.status === "failed" ? 500 : 200);
        }
        queue.push(job);
        void pump();
        return labelled({ status: "queued", request_id: job.id, queued_count: body.nonces.length });
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
        prune();
        const job = jobs.get(id);
        if (!job) return detail(404, "Request not found");
        return labelled(job.result ?? { status: job.status, request_id: job.id });
      },
    },
    {
      method: "GET",
      pattern: "/api/v1/inference/pow/status",
      handler: () => {
        if (mlnode.servedModel() === null) return { json: { status: "NO_BACKENDS", backends: [] } }; // no backend, no stand-in
        const b = backendStatus();
        return labelled({ status: b.status, backends: [b], note: STAND_IN_NOTE });
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/inference/pow/stop",
      handler: async () => {
        if (mlnode.servedModel() === null) return { json: { status: "OK", message: "No backends to stop" } };
        queue.length = 0; // vLLM's stop also clears the /generate queue
        await stopGeneration();
        return labelled({ status: "OK", results: [{ port, status: "stopped" }], errors: null });
      },
    },
  ];

  return {
    routes,
    async stop() {
      queue.length = 0;
      await stopGeneration();
      await pumping;
    },
    close() {
      clearInterval(sender);
    },
  };
}
