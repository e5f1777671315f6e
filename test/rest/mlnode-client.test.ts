import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import {
  createMlNodeClient,
  createPocCallbackServer,
  DEFAULT_R_TARGET,
  HttpError,
  InferenceStartError,
  MAINNET_POW_PARAMS,
  type PocCallbackServer,
  type PowInitRequest,
  type ProofBatch,
  type ValidatedBatch,
} from "../../src/mlnode/index.js";
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
    await expect(client.state()).resolves.toEqual({ state: "STOPPED" });
    await client.pow.init(init(callbacks.url));
    await expect(client.state()).resolves.toEqual({ state: "POW" });
    await expect(client.stop()).resolves.toEqual({ status: "OK" });
    await expect(client.state()).resolves.toEqual({ state: "STOPPED" });
  });

  it("defaults the vLLM URL to port 5000 of the management host", () => {
    const c = createMlNodeClient({ baseUrl: "http://10.1.2.3:8080/v3.0.8" });
    expect([c.baseUrl, c.inferenceUrl]).toEqual(["http://10.1.2.3:8080/v3.0.8", "http://10.1.2.3:5000"]);
  });

  it("starts inference with dtype float16, reports health, tokenizes and stops", async () => {
    await expect(client.health()).resolves.toBe(false);
    await expect(client.inferenceUp({ model: "Qwen/Qwen2.5-7B-Instruct", additional_args: ["--tensor-parallel-size", "1"] })).resolves.toEqual({ status: "OK" });
    const sent = node.server.requests.at(-1);
    expect(sent?.json).toEqual({ model: "Qwen/Qwen2.5-7B-Instruct", dtype: "float16", additional_args: ["--tensor-parallel-size", "1"] });
    expect(sent?.headers["content-type"]).toBe("application/json");
    await expect(client.health()).resolves.toBe(true);
    await expect(client.tokenize({ model: "Qwen/Qwen2.5-7B-Instruct", prompt: "one two three" })).resolves.toMatchObject({ count: 3 });
    await expect(client.inferenceDown()).resolves.toEqual({ status: "OK" });
    await expect(client.health()).resolves.toBe(false);
  });

  it("turns an HTTP 200 {status: ERROR} from inference/up into InferenceStartError", async () => {
    const e = (await client.inferenceUp({ model: "no/such-model" }).catch((x: unknown) => x)) as InferenceStartError;
    expect(e).toBeInstanceOf(InferenceStartError);
    expect(e.serverMessage).toBe("Model no/such-model not found on Hugging Face");
    expect(e.message).toContain("Server said: Model no/such-model not found");
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

  it("reads the later releases' service health and readiness, answering 503 bodies instead of throwing", async () => {
    await expect(client.serviceHealth()).resolves.toMatchObject({ status: "healthy", service_state: "STOPPED", gpu: { available: true, count: 2 }, managers: { inference: { running: false } } });
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
