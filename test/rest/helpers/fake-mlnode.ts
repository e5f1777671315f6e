/**
 * A loopback MLNode that answers as `spec/rest-upgrades.md` §6 says v0.2.13 does (starting from
 * `rest-apis.md` §1), written independently of the SDK: mode conflicts (409 FastAPI `detail`), 422
 * validation lists, `inference/up` with 409 (running) and 500 `{"detail"}` (failure), up/async and
 * up/status, the PoC v2 routes over one pretend vLLM backend on port 5001 (queued jobs with
 * `<port>:<uuid>` ids), the model cache and GPU routes, `/health` with three managers, and the PoW v1
 * routes (`pow/stop` with a string status, `pow/validate` answering `null`, callbacks POSTed to
 * `{url}/generated` / `{url}/validated`). The vLLM routes of the inference port are served under the
 * segment `/vllm`.
 */
import { json, startServer, type Reply, type SeenRequest, type TestServer } from "./server.js";

type Mode = "POW" | "INFERENCE" | "TRAIN" | "STOPPED";

export interface FakeMlNode {
  server: TestServer;
  url: string;
  state: { mode: Mode; pow: string | null; nodeId: number; nodeCount: number; callbackUrl: string | null; training: boolean; vllmUp: boolean; gpus: number; pocV2: "IDLE" | "GENERATING"; jobs: Map<string, Record<string, unknown>> };
  /** Sends a generated batch to the callback URL given at init (like the 5 s sender loop). */
  sendGenerated(batch: Record<string, unknown>): Promise<number>;
}

const INIT_REQUIRED = ["block_hash", "block_height", "public_key", "batch_size", "r_target", "fraud_threshold", "url"];
const BATCH_REQUIRED = ["public_key", "block_hash", "block_height", "nonces", "dist", "node_id"];

function missing(body: unknown, fields: string[]): Reply | undefined {
  const record = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const absent = fields.filter((f) => !(f in record));
  if (absent.length === 0 && body && typeof body === "object") return undefined;
  const list = (body && typeof body === "object" ? absent : fields).map((f) => ({ type: "missing", loc: ["body", f], msg: "Field required", input: body ?? null }));
  return json(422, { detail: list });
}

export async function startFakeMlNode(): Promise<FakeMlNode> {
  const state: FakeMlNode["state"] = { mode: "STOPPED", pow: null, nodeId: -1, nodeCount: -1, callbackUrl: null, training: false, vllmUp: false, gpus: 2, pocV2: "IDLE", jobs: new Map() };
  let jobCounter = 0;
  // A 12-value fp16 artifact whose bytes depend on the nonce (not a real model: a wire fixture).
  const vector = (nonce: number) => Buffer.from(Array.from({ length: 24 }, (_, i) => (nonce * 31 + i) & 0xff)).toString("base64");
  const conflict = (req: SeenRequest): Reply | undefined => {
    const wanted = req.path.split("/")[3]?.toUpperCase() as Mode;
    if (state.mode !== "STOPPED" && state.mode !== wanted)
      return json(409, { detail: `Cannot run ${wanted} because MLNode is currently in ${state.mode} mode. Please stop ${state.mode} first.` });
    return undefined;
  };
  const powStatus = () => (state.pow === null ? { status: "NOT_LOADED" } : { status: state.pow, is_model_initialized: true });
  const init = (req: SeenRequest, phase: string | null): Reply => {
    const c = conflict(req);
    if (c) return c;
    const bad = missing(req.json, INIT_REQUIRED);
    if (bad) return bad;
    const body = req.json as Record<string, unknown>;
    const nodeId = (body.node_id as number | undefined) ?? -1;
    const nodeCount = (body.node_count as number | undefined) ?? -1;
    if (phase === "GENERATING" && (nodeId === -1 || nodeCount === -1)) return json(400, { detail: "Node ID and node count must be set" });
    Object.assign(state, { mode: "POW", pow: phase ?? "IDLE", nodeId, nodeCount, callbackUrl: body.url as string });
    return json(200, { status: "OK", pow_status: powStatus() });
  };
  // Later releases: the same body with 200 (healthy) or 503 (no GPU / unhealthy vLLM).
  const serviceHealth = () => {
    const healthy = state.gpus > 0;
    return json(healthy ? 200 : 503, {
      status: healthy ? "healthy" : "unhealthy",
      service_state: state.mode,
      gpu: { available: healthy, count: state.gpus, devices: Array.from({ length: state.gpus }, (_, i) => ({ index: i, name: "NVIDIA H100 80GB HBM3", total_memory_mb: 81559 })) },
      managers: { pow: { running: state.mode === "POW", healthy: true }, inference: { running: state.vllmUp, healthy: state.vllmUp }, train: { running: state.training, healthy: true } },
    });
  };
  const server = await startServer({
    "GET /api/v1/state": () =>
      json(200, {
        state: state.mode,
        version: "3.0.12",
        poc_status: state.mode === "INFERENCE" ? state.pocV2 : null,
        inference_healthy: state.mode === "INFERENCE" ? state.vllmUp : null,
        loaded_model: state.mode === "INFERENCE" ? "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8" : null,
      }),
    "POST /api/v1/stop": () => {
      Object.assign(state, { mode: "STOPPED", pow: null, training: false, vllmUp: false });
      return json(200, { status: "OK" });
    },
    "POST /api/v1/inference/up": (req) => {
      const bad = missing(req.json, ["model", "dtype"]);
      if (bad) return bad;
      const c = conflict(req);
      if (c) return c;
      if (state.vllmUp) return json(409, { detail: "VLLM is already running. Use /inference/down to stop it first." });
      const model = (req.json as { model: string }).model;
      if (model === "no/such-model") return json(500, { detail: `Repository Not Found for url: https://huggingface.co/api/models/${model}` });
      Object.assign(state, { mode: "INFERENCE", vllmUp: true });
      return json(200, { status: "OK" });
    },
    "POST /api/v1/inference/up/async": (req) => {
      const bad = missing(req.json, ["model", "dtype"]);
      if (bad) return bad;
      if (state.vllmUp) return json(409, { detail: "VLLM startup is already in progress. Use /inference/up/status to check status." });
      Object.assign(state, { mode: "INFERENCE", vllmUp: true });
      return json(200, { status: "starting", message: "Inference startup initiated in background" });
    },
    "GET /api/v1/inference/up/status": () => json(200, { status: state.vllmUp ? "completed" : "not_started", is_starting: false, is_running: state.vllmUp, elapsed_seconds: state.vllmUp ? 41.5 : null, error: null }),
    "POST /api/v1/inference/pow/init/generate": (req) => {
      const bad = missing(req.json, ["block_hash", "block_height", "public_key", "node_id", "node_count", "params"]);
      if (bad) return bad;
      const extra = Object.keys((req.json as { params: Record<string, unknown> }).params).filter((k) => !["model", "seq_len", "k_dim"].includes(k));
      if (extra.length) return json(422, { detail: extra.map((k) => ({ type: "extra_forbidden", loc: ["body", "params", k], msg: "Extra inputs are not permitted" })) });
      if (!state.vllmUp) return json(503, { detail: "No vLLM backends available" });
      state.pocV2 = "GENERATING";
      state.callbackUrl = (req.json as { url?: string }).url ?? null;
      return json(200, { status: "OK", backends: 1, n_groups: 1, results: [{ port: 5001, status: "OK" }], errors: null });
    },
    "POST /api/v1/inference/pow/generate": (req) => {
      const bad = missing(req.json, ["block_hash", "block_height", "public_key", "node_id", "node_count", "params", "nonces"]);
      if (bad) return bad;
      if (!state.vllmUp) return json(503, { detail: "No vLLM backends available" });
      const body = req.json as { nonces: number[]; wait?: boolean; validation?: { artifacts: { nonce: number; vector_b64: string }[] }; stat_test?: Record<string, number> };
      let result: Record<string, unknown>;
      if (body.validation) {
        const given = new Set(body.validation.artifacts.map((a) => a.nonce));
        if (given.size !== body.nonces.length || body.nonces.some((n) => !given.has(n))) return json(400, { detail: "Artifact nonces must match requested nonces" });
        const mismatch = body.validation.artifacts.filter((a) => a.vector_b64 !== vector(a.nonce)).map((a) => a.nonce);
        const fraudThreshold = body.stat_test?.fraud_threshold ?? 0.01;
        const pValue = mismatch.length === 0 ? 1 : 1e-6;
        result = { status: "completed", n_total: body.nonces.length, n_mismatch: mismatch.length, mismatch_nonces: mismatch, p_value: pValue, fraud_detected: pValue < fraudThreshold };
      } else {
        result = { status: "completed", artifacts: body.nonces.map((n) => ({ nonce: n, vector_b64: vector(n) })), encoding: { dtype: "f16", k_dim: 12, endian: "le" } };
      }
      if (body.wait) return json(200, { ...result, request_id: `job-${++jobCounter}` });
      const id = `job-${++jobCounter}`;
      state.jobs.set(id, { ...result, request_id: `5001:${id}` });
      return json(200, { status: "queued", request_id: `5001:${id}`, queued_count: body.nonces.length });
    },
    "GET /api/v1/inference/pow/generate/:id": (req) => {
      const id = decodeURIComponent(req.path.split("/").at(-1)!);
      const colon = id.indexOf(":");
      if (colon < 0) return json(400, { detail: "Invalid request_id format (expected port:uuid)" });
      if (!/^\d+$/.test(id.slice(0, colon))) return json(400, { detail: "Invalid port in request_id" });
      const job = state.jobs.get(id.slice(colon + 1));
      return job ? json(200, job) : json(404, { detail: "Request not found" });
    },
    "GET /api/v1/inference/pow/status": () =>
      json(200, state.vllmUp ? { status: state.pocV2, backends: [{ port: 5001, status: state.pocV2, config: null, stats: null }] } : { status: "NO_BACKENDS", backends: [] }),
    "POST /api/v1/inference/pow/stop": () => {
      if (!state.vllmUp) return json(200, { status: "OK", message: "No backends to stop" });
      state.pocV2 = "IDLE";
      return json(200, { status: "OK", results: [{ port: 5001, status: "stopped" }], errors: null });
    },
    "POST /api/v1/models/status": (req) => json(200, { model: req.json, status: "DOWNLOADED", progress: null, error_message: null }),
    "POST /api/v1/models/download": (req) => {
      const m = req.json as { hf_repo: string; hf_commit?: string | null };
      if (m.hf_repo === "busy/model") return json(409, { detail: "Model busy/model:latest is already downloading" });
      return json(202, { task_id: `${m.hf_repo}:${m.hf_commit ?? "latest"}`, status: "DOWNLOADING", model: m });
    },
    "DELETE /api/v1/models": (req) => {
      const m = req.json as { hf_repo: string } | undefined;
      if (req.headers["content-type"] !== "application/json" || !m) return json(422, { detail: [{ type: "missing", loc: ["body"], msg: "Field required" }] });
      return m.hf_repo === "gone/model" ? json(404, { detail: "Model not found" }) : json(200, { status: "deleted", model: m });
    },
    "GET /api/v1/models/list": () => json(200, { models: [{ model: { hf_repo: "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", hf_commit: null }, status: "DOWNLOADED" }] }),
    "GET /api/v1/models/space": () => json(200, { cache_size_gb: 470.2, available_gb: 1210.5, cache_path: "/root/.cache/huggingface/hub" }),
    "GET /api/v1/gpu/devices": () =>
      json(200, {
        devices: Array.from({ length: state.gpus }, (_, i) => ({ index: i, name: "NVIDIA H200", total_memory_mb: 143771, free_memory_mb: 1024, used_memory_mb: 142747, utilization_percent: 97, temperature_c: 61, is_available: true, error_message: null })),
        count: state.gpus,
      }),
    "GET /api/v1/gpu/driver": () => json(200, { driver_version: "580.95.05", cuda_driver_version: "13.0", nvml_version: "13.580.95.05" }),
    "POST /api/v1/inference/down": (req) => {
      const c = conflict(req);
      if (c) return c;
      Object.assign(state, { mode: "STOPPED", vllmUp: false });
      return json(200, { status: "OK" });
    },
    "POST /api/v1/pow/init": (req) => init(req, null),
    "POST /api/v1/pow/init/generate": (req) => init(req, "GENERATING"),
    "POST /api/v1/pow/init/validate": (req) => init(req, "VALIDATING"),
    "POST /api/v1/pow/phase/generate": (req) => {
      const c = conflict(req);
      if (c) return c;
      if (state.pow === null) return { status: 500, raw: "Internal Server Error", headers: { "content-type": "text/plain; charset=utf-8" } };
      if (state.nodeId === -1) return json(400, { detail: "Node ID and node count must be set to start generating" });
      state.pow = "GENERATING";
      return json(200, { status: "OK", pow_status: powStatus() });
    },
    "POST /api/v1/pow/phase/validate": (req) => {
      const c = conflict(req);
      if (c) return c;
      if (state.pow === null) return json(400, { detail: "PoW is not running" });
      state.pow = "VALIDATING";
      return json(200, { status: "OK", pow_status: powStatus() });
    },
    "POST /api/v1/pow/validate": (req) => {
      const c = conflict(req);
      if (c) return c;
      const bad = missing(req.json, BATCH_REQUIRED);
      if (bad) return bad;
      if (state.pow === null) return json(400, { detail: "PoW is not running" });
      const batch = req.json as { nonces: number[]; dist: number[] };
      if (state.callbackUrl) {
        const validated = { ...batch, received_dist: batch.dist, r_target: 1.4013564660458173, fraud_threshold: 1e-7, n_invalid: 0, probability_honest: 1, fraud_detected: false };
        setTimeout(() => void fetch(`${state.callbackUrl}/validated`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(validated) }).catch(() => undefined), 5);
      }
      return { status: 200, raw: "null", headers: { "content-type": "application/json" } };
    },
    "GET /api/v1/pow/status": (req) => conflict(req) ?? json(200, powStatus()),
    "POST /api/v1/pow/stop": (req) => {
      const c = conflict(req);
      if (c) return c;
      if (state.pow === null) return json(200, { status: "OK", pow_status: "PoW is not running" });
      Object.assign(state, { mode: "STOPPED", pow: null });
      return json(200, { status: "OK", pow_status: { status: "STOPPED", is_model_initialized: false } });
    },
    "POST /api/v1/train/start": (req) => {
      const c = conflict(req);
      if (c) return c;
      const bad = missing(req.json, ["train_config", "train_env"]);
      if (bad) return bad;
      if (state.training) return json(400, { detail: "Training is already running" });
      Object.assign(state, { mode: "TRAIN", training: true });
      return json(200, { status: "Training started" });
    },
    "POST /api/v1/train/stop": (req) => {
      const c = conflict(req);
      if (c) return c;
      if (!state.training) return json(400, { detail: "Training is not running" });
      Object.assign(state, { mode: "STOPPED", training: false });
      return json(200, { status: "Training stopped" });
    },
    "GET /api/v1/train/status": (req) => conflict(req) ?? json(200, { status: state.training }),
    "GET /health": () => serviceHealth(),
    "GET /livez": () => serviceHealth(),
    "GET /readyz": () => json(state.mode === "INFERENCE" && !state.vllmUp ? 503 : 200, { ready: !(state.mode === "INFERENCE" && !state.vllmUp) }),
    "GET /vllm/health": () => (state.vllmUp ? { status: 200, raw: "" } : { status: 503, raw: "No vLLM backend available", headers: { "content-type": "text/plain" } }),
    "POST /vllm/tokenize": (req) => {
      const prompt = String((req.json as { prompt?: string } | undefined)?.prompt ?? "");
      const tokens = prompt.split(/\s+/).filter(Boolean).map((_, i) => i + 1);
      return json(200, { count: tokens.length, max_model_len: 32768, tokens });
    },
  });
  return {
    server,
    url: server.url,
    state,
    async sendGenerated(batch) {
      const res = await fetch(`${state.callbackUrl}/generated`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(batch) });
      await res.text();
      return res.status;
    },
  };
}
