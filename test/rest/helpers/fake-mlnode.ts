/**
 * A loopback MLNode that answers as `spec/rest-apis.md` §1 says, written independently of the SDK:
 * mode conflicts (409 FastAPI `detail`), 422 validation lists, `pow/stop` with a string status,
 * `pow/validate` answering `null`, `inference/up` with `{"status":"ERROR"}` under HTTP 200, and
 * callbacks POSTed to `{url}/generated` / `{url}/validated`. The vLLM routes of the inference port
 * are served under the segment `/vllm`; `/health` and `/readyz` are the later releases' routes.
 */
import { json, startServer, type Reply, type SeenRequest, type TestServer } from "./server.js";

type Mode = "POW" | "INFERENCE" | "TRAIN" | "STOPPED";

export interface FakeMlNode {
  server: TestServer;
  url: string;
  state: { mode: Mode; pow: string | null; nodeId: number; nodeCount: number; callbackUrl: string | null; training: boolean; vllmUp: boolean; gpus: number };
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
  const state: FakeMlNode["state"] = { mode: "STOPPED", pow: null, nodeId: -1, nodeCount: -1, callbackUrl: null, training: false, vllmUp: false, gpus: 2 };
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
      managers: { inference: { running: state.vllmUp, healthy: state.vllmUp }, train: { running: state.training, healthy: true } },
    });
  };
  const server = await startServer({
    "GET /api/v1/state": () => json(200, { state: state.mode }),
    "POST /api/v1/stop": () => {
      Object.assign(state, { mode: "STOPPED", pow: null, training: false, vllmUp: false });
      return json(200, { status: "OK" });
    },
    "POST /api/v1/inference/up": (req) => {
      const c = conflict(req);
      if (c) return c;
      const bad = missing(req.json, ["model", "dtype"]);
      if (bad) return bad;
      const model = (req.json as { model: string }).model;
      if (model === "no/such-model") return json(200, { status: "ERROR", message: `Model ${model} not found on Hugging Face` });
      Object.assign(state, { mode: "INFERENCE", vllmUp: true });
      return json(200, { status: "OK" });
    },
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
