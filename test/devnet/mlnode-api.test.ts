import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevnet, type Devnet, type MlNodePocBackend } from "../../src/devnet/index.js";

/** A stand-in engine: dist(nonce) = (nonce mod 10) / 5, so nonces ending in 0..6 are valid at r_target 1.4. */
const fakeEngine: MlNodePocBackend = {
  createWorker: async () => ({ distances: async (nonces) => nonces.map((n) => (n % 10) / 5) }),
  probabilityHonest: (n, bad) => (bad === 0 ? 1 : 1e-9 * n),
};

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet({ pocVersion: 1, poc: fakeEngine, pocSendIntervalMs: 20 }); // the PoW v1 routes and their /v1/poc-batches callbacks
});
afterAll(() => devnet.stop());

const post = async (path: string, body?: unknown) => {
  const res = await fetch(`${devnet.mlnodeUrl}/api/v1${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
};

const init = () => ({
  node_id: 1,
  node_count: 3,
  block_hash: "ABCDEF",
  block_height: 42,
  public_key: "024daacc24ae6754dd460961ea4c6aa114e717e036b7dff3853195483b8d692dd2",
  batch_size: 10,
  r_target: 1.4,
  fraud_threshold: 1e-7,
  url: devnet.pocCallbackUrl,
});

describe("devnet MLNode API", () => {
  it("requires node_id and node_count to generate (400) and validates the body (422)", async () => {
    const { node_id: _a, node_count: _b, ...noIds } = init();
    expect(await post("/pow/init/generate", noIds)).toEqual({ status: 400, json: { detail: "Node ID and node count must be set" } });
    const bad = await post("/pow/init/generate", { node_id: 0, node_count: 1 });
    expect(bad.status).toBe(422);
    expect(bad.json.detail.map((d: { loc: string[] }) => d.loc[1])).toContain("block_hash");
    await post("/stop");
  });

  it("generates with the node's nonce stride, keeps nonces under r_target and posts them to the callback", async () => {
    const started = await post("/pow/init/generate", init());
    expect(started.status).toBe(200);
    expect(started.json.status).toBe("OK");
    const batches = await devnet.waitForPocBatches({ height: 42, timeoutMs: 5000 });
    const nonces = batches.flatMap((b) => b.nonces);
    const dist = batches.flatMap((b) => b.dist);
    expect(nonces.length).toBeGreaterThan(0);
    for (const [i, n] of nonces.entries()) {
      expect(n % 3).toBe(1); // offset node_id=1, step node_count=3
      expect(n % 10).toBeLessThan(7);
      expect(dist[i]).toBeCloseTo((n % 10) / 5, 12);
    }
    expect((await (await fetch(`${devnet.mlnodeUrl}/api/v1/state`)).json()).state).toBe("POW");
    expect((await (await fetch(`${devnet.mlnodeUrl}/api/v1/pow/status`)).json()).status).toBe("GENERATING");
    // the public API lists what arrived for the stage
    const listed = await (await fetch(`${devnet.url}/v1/poc-batches/42`)).json();
    expect(listed.poc_batch[0].participant).toBe("gonka1k4swv40ur28fvu54p8mskjj4lxkgsj07u9f8ny");
    expect(await post("/inference/up", { model: "m", dtype: "float16" })).toMatchObject({ status: 409 });
  });

  it("recomputes submitted batches and posts a ValidatedBatch with n_invalid and the fraud verdict", async () => {
    await post("/pow/phase/validate");
    const honest = { public_key: init().public_key, block_hash: "ABCDEF", block_height: 42, nonces: [1, 4], dist: [0.2, 0.8], node_id: 0 };
    const cheat = { ...honest, nonces: [8, 9, 19], dist: [0.1, 0.1, 0.1] };
    expect(await post("/pow/validate", honest)).toEqual({ status: 200, json: null });
    expect(await post("/pow/validate", cheat)).toEqual({ status: 200, json: null });
    const deadline = Date.now() + 5000;
    while (devnet.state.pocValidations.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const [a, b] = devnet.state.pocValidations;
    expect(a).toMatchObject({ nonces: [1, 4], dist: [0.2, 0.8], received_dist: [0.2, 0.8], n_invalid: 0, fraud_detected: false });
    expect(b).toMatchObject({ nonces: [8, 9, 19], dist: [1.6, 1.8, 1.8], n_invalid: 3, fraud_detected: true });
  });

  it("stops PoW and reports a string status when nothing runs", async () => {
    expect((await post("/pow/stop")).json.status).toBe("OK");
    expect(await post("/pow/stop")).toEqual({ status: 200, json: { status: "OK", pow_status: "PoW is not running" } });
    expect(await post("/pow/phase/generate")).toEqual({ status: 400, json: { detail: "PoW is not running" } });
  });
});

const get = async (path: string) => {
  const res = await fetch(`${devnet.mlnodeUrl}${path}`);
  return { status: res.status, json: await res.json() };
};

const v2init = (extra: Record<string, unknown> = {}) => ({
  block_hash: "ABCDEF",
  block_height: 42,
  public_key: "024daacc24ae6754dd460961ea4c6aa114e717e036b7dff3853195483b8d692dd2",
  node_id: 1,
  node_count: 1,
  params: { model: "Qwen/Qwen2.5-7B-Instruct", seq_len: 1024 },
  url: "http://127.0.0.1:1/v2/poc-batches/Qwen%252FQwen2.5-7B-Instruct",
  ...extra,
});

describe("devnet MLNode API as of v0.2.13", () => {
  it("answers inference/up with 409 detail when vLLM already runs, 409 for parallel sizes that do not fit, 500 detail on failure", async () => {
    await post("/stop");
    expect(await post("/inference/up", { model: "Qwen/Qwen2.5-7B-Instruct", dtype: "auto", additional_args: ["--tensor-parallel-size", "4"] })).toEqual({
      status: 409,
      json: { detail: "tensor_parallel_size * pipeline_parallel_size = 4 does not fit the 1 GPU(s) of this MLNode" },
    });
    expect(await post("/inference/up", { model: "nope", dtype: "auto" })).toEqual({ status: 500, json: { detail: "vLLM failed to start: model nope could not be loaded" } });
    expect(await get("/api/v1/inference/up/status")).toMatchObject({ status: 200, json: { status: "failed", is_running: false, error: "vLLM failed to start: model nope could not be loaded" } });
    expect(await post("/inference/up", { model: "Qwen/Qwen2.5-7B-Instruct", dtype: "auto" })).toEqual({ status: 200, json: { status: "OK" } });
    expect(await post("/inference/up", { model: "Qwen/Qwen2.5-7B-Instruct", dtype: "auto" })).toEqual({
      status: 409,
      json: { detail: "VLLM is already running. Use /inference/down to stop it first." },
    });
    expect(await post("/inference/up/async", { model: "Qwen/Qwen2.5-7B-Instruct" })).toMatchObject({ status: 422 });
    await post("/stop");
  });

  it("validates PoC v2 bodies like pydantic (422 missing fields, extra params keys) and nonce sets (400)", async () => {
    const { node_count: _n, ...noCount } = v2init();
    const missing = await post("/inference/pow/init/generate", noCount);
    expect(missing).toEqual({ status: 422, json: { detail: [{ loc: ["body", "node_count"], msg: "Field required", type: "missing" }] } });
    const extra = await post("/inference/pow/init/generate", v2init({ params: { model: "m", seq_len: 8, poc_stronger_rng: true } }));
    expect(extra.json.detail[0]).toEqual({ loc: ["body", "params", "poc_stronger_rng"], msg: "Extra inputs are not permitted", type: "extra_forbidden" });
    const mismatch = await post("/inference/pow/generate", v2init({ nonces: [1, 2], validation: { artifacts: [{ nonce: 1, vector_b64: "AAAA" }] } }));
    expect(mismatch.status).toBe(400);
  });

  it("answers 503 'No vLLM backends available' without inference and, with it, starts the labelled stand-in model (not the real one)", async () => {
    await post("/stop");
    expect(await post("/inference/pow/init/generate", v2init())).toEqual({ status: 503, json: { detail: "No vLLM backends available" } });
    expect(await post("/inference/pow/generate", v2init({ nonces: [1] }))).toEqual({ status: 503, json: { detail: "No vLLM backends available" } });
    expect(await get("/api/v1/inference/pow/status")).toEqual({ status: 200, json: { status: "NO_BACKENDS", backends: [] } });
    await post("/inference/up", { model: "Qwen/Qwen2.5-7B-Instruct", dtype: "auto" });
    const started = await post("/inference/pow/init/generate", v2init());
    expect(started.status).toBe(200);
    expect(started.json).toMatchObject({ status: "OK", backends: 1, stand_in_model: true }); // the stand-in (test/devnet/pocv2-*.test.ts)
    await post("/stop");
  });

  it("checks queued-job ids: 400 for a malformed id, 404 'Request not found' otherwise", async () => {
    expect(await get("/api/v1/inference/pow/generate/no-colon")).toEqual({ status: 400, json: { detail: "Invalid request_id format (expected port:uuid)" } });
    expect(await get("/api/v1/inference/pow/generate/abc:123")).toEqual({ status: 400, json: { detail: "Invalid port in request_id" } });
    expect(await get("/api/v1/inference/pow/generate/5001:0f8c")).toEqual({ status: 404, json: { detail: "Request not found" } });
  });

  it("reports health as a GPU-less MLNode does: 503 unhealthy on /health and /livez, ready on /readyz, no NVML devices", async () => {
    const health = await get("/health");
    expect(health.status).toBe(503);
    expect(health.json).toMatchObject({ status: "unhealthy", gpu: { available: false, count: 0, devices: [] } });
    expect(Object.keys(health.json.managers).sort()).toEqual(["inference", "pow", "train"]);
    expect((await get("/livez")).status).toBe(503);
    expect(await get("/readyz")).toEqual({ status: 200, json: { ready: true } });
    expect(await get("/api/v1/gpu/devices")).toEqual({ status: 200, json: { devices: [], count: 0 } });
    expect((await get("/api/v1/gpu/driver")).status).toBe(503);
  });
});
