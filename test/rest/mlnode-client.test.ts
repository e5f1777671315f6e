import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import {
  createMlNodeClient,
  DEFAULT_R_TARGET,
  HttpError,
  InferenceStartConflictError,
  InferenceStartError,
  ServiceUnavailableError,
  MAINNET_POW_PARAMS,
  type PowInitRequest,
  type ProofBatch,
  type ValidatedBatch,
} from "../../src/mlnode/index.js";
import { createPocCallbackServer, type PocCallbackServer } from "../../src/mlnode/node/index.js";
import { startFakeMlNode, type FakeMlNode } from "./helpers/fake-mlnode.js";

let node: FakeMlNode;
let callbacks: PocCallbackServer;
const generated: ProofBatch[] = [];
const validated: ValidatedBatch[] = [];
let client: ReturnType<typeof createMlNodeClient>;

const PUBKEY = "02" + "ab".repeat(32);
const init = (url: string): PowInitRequest => ({
  node_id: 1,
  node_count: 2,
  block_hash: "C0FFEE".padEnd(64, "0"),
  block_height: 123_456,
  public_key: PUBKEY,
  batch_size: 100,
  r_target: DEFAULT_R_TARGET,
  fraud_threshold: 1e-7,
  params: MAINNET_POW_PARAMS,
  url,
});

beforeAll(async () => {
  node = await startFakeMlNode();
  callbacks = await createPocCallbackServer({ onGenerated: (b) => void generated.push(b), onValidated: (b) => void validated.push(b) });
  client = createMlNodeClient({ baseUrl: node.url, inferenceUrl: `${node.url}/vllm`, retries: 0 });
});
afterAll(async () => {
  await callbacks.close();
  await node.server.close();
});
beforeEach(async () => {
  await client.stop();
});

describe("createMlNodeClient", () => {
  it("reads the mode and stops everything", async () => {
    await expect(client.state()).resolves.toEqual({ state: "STOPPED", version: "3.0.12", poc_status: null, inference_healthy: null, loaded_model: null });
    await client.pow.init(init(callbacks.url));
    await expect(client.state()).resolves.toMatchObject({ state: "POW" });
    await expect(client.stop()).resolves.toEqual({ status: "OK" });
    await expect(client.state()).resolves.toMatchObject({ state: "STOPPED" });
    await client.inferenceUp({ model: "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8" });
    await expect(client.state()).resolves.toEqual({ state: "INFERENCE", version: "3.0.12", poc_status: "IDLE", inference_healthy: true, loaded_model: "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8" });
  });

  it("defaults the vLLM URL to port 5000 of the management host", () => {
    const c = createMlNodeClient({ baseUrl: "http://10.1.2.3:8080/v3.0.8" });
    expect([c.baseUrl, c.inferenceUrl]).toEqual(["http://10.1.2.3:8080/v3.0.8", "http://10.1.2.3:5000"]);
  });

  it("starts inference with dtype auto (as the network node sends since v0.2.4), reports health, tokenizes and stops", async () => {
    await expect(client.health()).resolves.toBe(false);
    await expect(client.inferenceUp({ model: "Qwen/Qwen2.5-7B-Instruct", additional_args: ["--tensor-parallel-size", "1"] })).resolves.toEqual({ status: "OK" });
    const sent = node.server.requests.at(-1);
    expect(sent?.json).toEqual({ model: "Qwen/Qwen2.5-7B-Instruct", dtype: "auto", additional_args: ["--tensor-parallel-size", "1"] });
    expect(sent?.headers["content-type"]).toBe("application/json");
    await expect(client.health()).resolves.toBe(true);
    await expect(client.tokenize({ model: "Qwen/Qwen2.5-7B-Instruct", prompt: "one two three" })).resolves.toMatchObject({ count: 3 });
    await expect(client.inferenceDown()).resolves.toEqual({ status: "OK" });
    await expect(client.health()).resolves.toBe(false);
  });

  it("turns inference/up's 500 {detail} into InferenceStartError with the detail", async () => {
    const e = (await client.inferenceUp({ model: "no/such-model" }).catch((x: unknown) => x)) as InferenceStartError;
    expect(e).toBeInstanceOf(InferenceStartError);
    expect([e.status, e.detail]).toEqual([500, "Repository Not Found for url: https://huggingface.co/api/models/no/such-model"]);
    expect(e.message).toContain("Server said: Repository Not Found");
    expect(e.cause).toBeInstanceOf(HttpError);
  });

  it("turns inference/up's 409 'already running' into InferenceStartConflictError (it no longer restarts vLLM)", async () => {
    await client.inferenceUp({ model: "Qwen/Qwen2.5-7B-Instruct" });
    const e = (await client.inferenceUp({ model: "Qwen/Qwen2.5-7B-Instruct" }).catch((x: unknown) => x)) as InferenceStartConflictError;
    expect(e).toBeInstanceOf(InferenceStartConflictError);
    expect([e.status, e.reason, e.detail]).toEqual([409, "running", "VLLM is already running. Use /inference/down to stop it first."]);
    const again = (await client.inferenceUpAsync({ model: "Qwen/Qwen2.5-7B-Instruct" }).catch((x: unknown) => x)) as InferenceStartConflictError;
    expect(again.reason).toBe("starting");
    expect(again.details).toMatch(/inferenceUpStatus/);
    await client.stop();
    await client.pow.init(init(callbacks.url));
    const mode = await client.inferenceUp({ model: "Qwen/Qwen2.5-7B-Instruct" }).catch((x: unknown) => x);
    expect(mode).not.toBeInstanceOf(InferenceStartConflictError); // a mode conflict stays a plain 409 HttpError
    expect((mode as HttpError).status).toBe(409);
  });

  it("starts inference in the background and reads the start-up status", async () => {
    await expect(client.inferenceUpStatus()).resolves.toEqual({ status: "not_started", is_starting: false, is_running: false, elapsed_seconds: null, error: null });
    await expect(client.inferenceUpAsync({ model: "Qwen/Qwen2.5-7B-Instruct" })).resolves.toEqual({ status: "starting", message: "Inference startup initiated in background" });
    expect(node.server.requests.at(-1)?.json).toEqual({ model: "Qwen/Qwen2.5-7B-Instruct", dtype: "auto", additional_args: [] });
    await expect(client.inferenceUpStatus()).resolves.toMatchObject({ status: "completed", is_running: true });
  });

  it("refuses PoW status with a typed 409 while in INFERENCE mode, with an actionable hint", async () => {
    await client.inferenceUp({ model: "Qwen/Qwen2.5-7B-Instruct" });
    const e = (await client.pow.status().catch((x: unknown) => x)) as HttpError;
    expect(e).toBeInstanceOf(HttpError);
    expect([e.status, e.method, e.url]).toEqual([409, "GET", `${node.url}/api/v1/pow/status`]);
    expect(e.body).toEqual({ detail: "Cannot run POW because MLNode is currently in INFERENCE mode. Please stop INFERENCE first." });
    expect(e.details).toMatch(/Call stop\(\)/);
    const down = (await client.pow.stop().catch((x: unknown) => x)) as HttpError;
    expect(down.status).toBe(409);
  });

  it("runs the PoW lifecycle: init, phases, status, stop (object, then string)", async () => {
    await expect(client.pow.status()).resolves.toEqual({ status: "NOT_LOADED" });
    await expect(client.pow.init(init(callbacks.url))).resolves.toEqual({ status: "OK", pow_status: { status: "IDLE", is_model_initialized: true } });
    expect(node.server.requests.at(-1)?.json).toMatchObject({ params: { dim: 1792, n_layers: 64, seq_len: 256 }, url: callbacks.url });
    await expect(client.pow.phaseGenerate()).resolves.toMatchObject({ pow_status: { status: "GENERATING" } });
    await expect(client.pow.phaseValidate()).resolves.toMatchObject({ pow_status: { status: "VALIDATING" } });
    await expect(client.pow.status()).resolves.toEqual({ status: "VALIDATING", is_model_initialized: true });
    await expect(client.pow.initGenerate(init(callbacks.url))).resolves.toMatchObject({ pow_status: { status: "GENERATING" } });
    await expect(client.pow.initValidate(init(callbacks.url))).resolves.toMatchObject({ pow_status: { status: "VALIDATING" } });
    await expect(client.pow.stop()).resolves.toEqual({ status: "OK", pow_status: { status: "STOPPED", is_model_initialized: false } });
    await expect(client.pow.stop()).resolves.toEqual({ status: "OK", pow_status: "PoW is not running" });
  });

  it("reports phase errors: 400 detail when PoW is not running, 500 text when never initialised", async () => {
    const a = (await client.pow.phaseValidate().catch((x: unknown) => x)) as HttpError;
    expect([a.status, a.serverMessage]).toEqual([400, "PoW is not running"]);
    const b = (await client.pow.phaseGenerate().catch((x: unknown) => x)) as HttpError;
    expect([b.status, b.body, b.serverMessage]).toEqual([500, "Internal Server Error", "Internal Server Error"]);
  });

  it("surfaces a FastAPI 422 as HttpError naming the missing field", async () => {
    const partial = { ...init(callbacks.url) } as Partial<PowInitRequest>;
    delete partial.block_hash;
    const e = (await client.pow.init(partial as PowInitRequest).catch((x: unknown) => x)) as HttpError;
    expect(e.status).toBe(422);
    expect(e.serverMessage).toBe("body.block_hash: Field required");
  });

  it("checks arguments before sending: init/generate needs node_id/node_count; batch arrays must match", async () => {
    const before = node.server.requests.length;
    expect(() => client.pow.initGenerate({ ...init(callbacks.url), node_id: -1 })).toThrow(InvalidArgumentError);
    expect(() => client.pow.validate({ public_key: PUBKEY, block_hash: "AA", block_height: 1, nonces: [1, 2], dist: [0.5], node_id: 0 })).toThrow(/same length/);
    expect(node.server.requests.length).toBe(before);
  });

  it("delivers generated and validated batches to the callback server, typed", async () => {
    await client.pow.initGenerate(init(callbacks.url));
    const batch: ProofBatch = { public_key: PUBKEY, block_hash: init("").block_hash, block_height: 123_456, nonces: [7, 11, 42], dist: [1.2, 0.9, 1.39], node_id: 1 };
    await expect(node.sendGenerated(batch)).resolves.toBe(200);
    expect(generated.at(-1)).toEqual(batch);
    await client.pow.phaseValidate();
    await expect(client.pow.validate({ ...batch, node_id: 0 })).resolves.toBeNull();
    const deadline = Date.now() + 5000;
    while (validated.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(validated.at(-1)).toMatchObject({ nonces: [7, 11, 42], received_dist: [1.2, 0.9, 1.39], n_invalid: 0, fraud_detected: false });
  });

  it("reads service health (pow, inference, train managers) and readiness, answering 503 bodies instead of throwing", async () => {
    await expect(client.serviceHealth()).resolves.toMatchObject({ status: "healthy", service_state: "STOPPED", gpu: { available: true, count: 2 }, managers: { pow: { running: false }, inference: { running: false } } });
    await expect(client.readiness()).resolves.toEqual({ ready: true });
    node.state.gpus = 0;
    try {
      await expect(client.serviceHealth()).resolves.toMatchObject({ status: "unhealthy", gpu: { available: false, count: 0, devices: [] } });
    } finally {
      node.state.gpus = 2;
    }
    const old = createMlNodeClient({ baseUrl: `${node.url}/old-release`, retries: 0 });
    const e = (await old.serviceHealth().catch((x: unknown) => x)) as HttpError;
    expect([e.status, e.serverMessage]).toEqual([404, "Not Found"]);
  });

  it("runs the training routes, including 400 when not running", async () => {
    await expect(client.train.status()).resolves.toEqual({ status: false });
    await expect(client.train.start({ train_config: { project: "p", train: { micro_bs: 1 } }, train_env: { TASK_ID: "1", GLOBAL_PORT: "5565" } })).resolves.toEqual({ status: "Training started" });
    await expect(client.train.status()).resolves.toEqual({ status: true });
    await expect(client.train.stop()).resolves.toEqual({ status: "Training stopped" });
    const e = (await client.train.stop().catch((x: unknown) => x)) as HttpError;
    expect([e.status, e.serverMessage]).toEqual([400, "Training is not running"]);
  });
});

const V2_MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
const v2init = () => ({
  block_hash: "C0FFEE".padEnd(64, "0"),
  block_height: 123_456,
  public_key: PUBKEY,
  node_id: 1,
  node_count: 2,
  params: { model: V2_MODEL, seq_len: 1024 },
  url: callbacks.pocV2Url(V2_MODEL),
});

describe("createMlNodeClient PoC v2 (/api/v1/inference/pow/*)", () => {
  it("answers 503 'No vLLM backends available' as a typed ServiceUnavailableError with a hint", async () => {
    const e = (await client.pocV2.initGenerate(v2init()).catch((x: unknown) => x)) as ServiceUnavailableError;
    expect(e).toBeInstanceOf(ServiceUnavailableError);
    expect(e.serverMessage).toBe("No vLLM backends available");
    expect(e.details).toMatch(/start inference/);
    await expect(client.pocV2.status()).resolves.toEqual({ status: "NO_BACKENDS", backends: [] });
    await expect(client.pocV2.stop()).resolves.toEqual({ status: "OK", message: "No backends to stop" });
  });

  it("starts generation with the twice-escaped callback URL, queues jobs and fetches their artifacts by port:id", async () => {
    await client.inferenceUp({ model: V2_MODEL });
    await expect(client.pocV2.initGenerate(v2init())).resolves.toEqual({ status: "OK", backends: 1, n_groups: 1, results: [{ port: 5001, status: "OK" }], errors: null });
    expect(node.server.requests.at(-1)?.json).toMatchObject({ url: `${callbacks.origin}/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8` });
    await expect(client.pocV2.status()).resolves.toMatchObject({ status: "GENERATING", backends: [{ port: 5001 }] });
    const queued = await client.pocV2.generate({ ...v2init(), nonces: [3, 7] });
    expect(queued).toMatchObject({ status: "queued", queued_count: 2 });
    expect(queued.request_id).toMatch(/^5001:job-\d+$/);
    const done = await client.pocV2.result(queued.request_id!);
    expect(done.status).toBe("completed");
    expect(done.artifacts?.map((a) => a.nonce)).toEqual([3, 7]);
    expect(done.encoding).toEqual({ dtype: "f16", k_dim: 12, endian: "le" });
    const e = (await client.pocV2.result("5001:missing").catch((x: unknown) => x)) as HttpError;
    expect([e.status, e.serverMessage]).toEqual([404, "Request not found"]);
    expect(() => client.pocV2.result("no-port")).toThrow(InvalidArgumentError);
    await expect(client.pocV2.stop()).resolves.toEqual({ status: "OK", results: [{ port: 5001, status: "stopped" }], errors: null });
  });

  it("validates received artifacts with stat_test (sent as fraud_threshold) and reads the verdict", async () => {
    await client.inferenceUp({ model: V2_MODEL });
    const honest = await client.pocV2.generate({ ...v2init(), nonces: [5], wait: true });
    const artifacts = honest.artifacts!;
    const verdict = await client.pocV2.generate({ ...v2init(), nonces: [5], wait: true, validation: { artifacts }, stat_test: { dist_threshold: 0.4, p_mismatch: 0.1, fraud_threshold: 0.05 } });
    expect(verdict).toMatchObject({ status: "completed", n_total: 1, n_mismatch: 0, fraud_detected: false });
    expect((node.server.requests.at(-1)?.json as { stat_test: unknown }).stat_test).toEqual({ dist_threshold: 0.4, p_mismatch: 0.1, fraud_threshold: 0.05 });
    const forged = await client.pocV2.generate({ ...v2init(), nonces: [5], wait: true, validation: { artifacts: [{ nonce: 5, vector_b64: "AAAA" }] } });
    expect(forged).toMatchObject({ n_mismatch: 1, mismatch_nonces: [5], fraud_detected: true });
  });

  it("checks PoC v2 requests before sending: params keys, nonce sets, ids", () => {
    const before = node.server.requests.length;
    expect(() => client.pocV2.initGenerate({ ...v2init(), params: { model: V2_MODEL, seq_len: 1024, poc_stronger_rng: true } as never })).toThrow(/422/);
    expect(() => client.pocV2.initGenerate({ ...v2init(), params: { model: "", seq_len: 1024 } })).toThrow(InvalidArgumentError);
    expect(() => client.pocV2.generate({ ...v2init(), nonces: [1, 2], validation: { artifacts: [{ nonce: 1, vector_b64: "AAAA" }] } })).toThrow(/exactly the set/);
    expect(() => client.pocV2.generate({ ...v2init(), nonces: [] })).toThrow(InvalidArgumentError);
    expect(node.server.requests.length).toBe(before);
  });
});

describe("createMlNodeClient model cache and GPU routes", () => {
  it("reads and manages the Hugging Face cache", async () => {
    const model = { hf_repo: V2_MODEL, hf_commit: null };
    await expect(client.models.status(model)).resolves.toMatchObject({ status: "DOWNLOADED", model });
    await expect(client.models.download({ hf_repo: V2_MODEL })).resolves.toEqual({ task_id: `${V2_MODEL}:latest`, status: "DOWNLOADING", model: { hf_repo: V2_MODEL, hf_commit: null } });
    const busy = (await client.models.download({ hf_repo: "busy/model" }).catch((x: unknown) => x)) as HttpError;
    expect(busy.status).toBe(409);
    await expect(client.models.remove(model)).resolves.toEqual({ status: "deleted", model });
    expect(node.server.requests.at(-1)).toMatchObject({ method: "DELETE", json: model });
    expect(((await client.models.remove({ hf_repo: "gone/model" }).catch((x: unknown) => x)) as HttpError).status).toBe(404);
    await expect(client.models.list()).resolves.toEqual({ models: [{ model: { hf_repo: V2_MODEL, hf_commit: null }, status: "DOWNLOADED" }] });
    await expect(client.models.space()).resolves.toEqual({ cache_size_gb: 470.2, available_gb: 1210.5, cache_path: "/root/.cache/huggingface/hub" });
    expect(() => client.models.status({ hf_repo: "" })).toThrow(InvalidArgumentError);
  });

  it("reads GPU devices and the driver", async () => {
    const gpus = await client.gpu.devices();
    expect(gpus.count).toBe(2);
    expect(gpus.devices[1]).toMatchObject({ index: 1, name: "NVIDIA H200", is_available: true });
    await expect(client.gpu.driver()).resolves.toEqual({ driver_version: "580.95.05", cuda_driver_version: "13.0", nvml_version: "13.580.95.05" });
  });
});
