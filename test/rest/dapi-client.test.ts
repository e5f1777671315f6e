import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import { createDapiClient, HttpError } from "../../src/dapi/index.js";
import { activeParticipants, INFERENCE_ID, startFakeDapi, TA_ADDRESS } from "./helpers/fake-dapi.js";
import type { TestServer } from "./helpers/server.js";

let server: TestServer;
let dapi: ReturnType<typeof createDapiClient>;
beforeAll(async () => {
  ({ server } = await startFakeDapi());
  dapi = createDapiClient({ baseUrl: server.url, retries: 0 });
});
afterAll(() => server.close());
const last = () => server.requests.at(-1);

describe("createDapiClient", () => {
  it("reads status and versions", async () => {
    await expect(dapi.status()).resolves.toEqual({ status: "ok" });
    await expect(dapi.versions()).resolves.toMatchObject({ api_version: { application_name: "decentralized-api", commit: "312044d2" } });
  });

  it("reads an account identity, with balance omitted when zero", async () => {
    await expect(dapi.participants.get(TA_ADDRESS)).resolves.toEqual({ pubkey: "A1sE0eYq6Vb0V7o5Rk0wq5R4n9WmJ3bFZ2fK3x8Y9Z0a" });
  });

  it("explains the 500 NotFound for an account never seen on chain", async () => {
    const e = (await dapi.participants.get("gonka1new").catch((x: unknown) => x)) as HttpError;
    expect(e).toBeInstanceOf(HttpError);
    expect(e.status).toBe(500);
    expect(e.serverMessage).toBe("rpc error: code = NotFound desc = account gonka1new not found");
    expect(e.details).toMatch(/participants\.register/);
  });

  it("lists participants with balances as numbers", async () => {
    const list = await dapi.participants.list();
    expect(list.block_height).toBe(1_210_000);
    expect(list.participants?.[0]).toMatchObject({ id: TA_ADDRESS, balance: 9_000_000_000_000, voting_power: 4231 });
  });

  it("registers a developer (empty 200 → null) and an operator (summary)", async () => {
    await expect(dapi.participants.register({ address: "gonka1dev", pub_key: "A1sE0eYq6Vb0V7o5Rk0wq5R4n9WmJ3bFZ2fK3x8Y9Z0a" })).resolves.toBeNull();
    expect(last()?.json).toEqual({ address: "gonka1dev", pub_key: "A1sE0eYq6Vb0V7o5Rk0wq5R4n9WmJ3bFZ2fK3x8Y9Z0a" });
    await expect(dapi.participants.register({ url: "http://me:8000", validator_key: "m2lY" })).resolves.toMatchObject({ id: "gonka1operator0000000000000000000000000000op", url: "http://me:8000" });
    await expect(dapi.participants.register({ address: "gonka1dev", pub_key: "02" + "ab".repeat(32) })).rejects.toThrow(/base64/);
  });

  it("reads the latest epoch with phase and stages", async () => {
    const epoch = await dapi.epochs.latest();
    expect(epoch).toMatchObject({ phase: "Inference", latest_epoch: { index: 41, poc_start_block_height: 1_209_600 } });
    expect(epoch.epoch_stages?.poc_validation_exchange_window).toEqual({ start: 1_209_671, end: 1_209_695 });
  });

  it("reads current-epoch participants with the proof fields, by name or number", async () => {
    await expect(dapi.epochs.participants()).resolves.toEqual(activeParticipants);
    expect(last()?.path).toBe("/v1/epochs/current/participants");
    await dapi.epochs.participants(41n);
    expect(last()?.path).toBe("/v1/epochs/41/participants");
    expect(() => dapi.epochs.participants(0)).toThrow(InvalidArgumentError);
    const e = (await dapi.epochs.participants(40).catch((x: unknown) => x)) as HttpError;
    expect([e.status, e.details]).toEqual([404, "The chain stored no active participants for this epoch (PoC failed or the epoch is too old)."]);
  });

  it("lists models (null → []) and prices, and finds one model's price", async () => {
    await expect(dapi.models.list()).resolves.toMatchObject([{ id: "Qwen/Qwen2.5-7B-Instruct", validation_threshold: { value: 85, exponent: -2 } }]);
    await expect(dapi.models.governance()).resolves.toEqual([]);
    await expect(dapi.pricing.get()).resolves.toMatchObject({ unit_of_compute_price: 100, dynamic_pricing_enabled: false, models: [{ price_per_token: 10000 }] });
    await expect(dapi.pricing.forModel("Qwen/Qwen2.5-7B-Instruct")).resolves.toEqual({ id: "Qwen/Qwen2.5-7B-Instruct", units_of_compute_per_token: 100, price_per_token: 12500, capacity: 1000000, utilization: 0.42 });
    await expect(dapi.pricing.forModel("nope")).resolves.toBeUndefined();
    await expect(dapi.pricing.governance()).resolves.toMatchObject({ dynamic_pricing_enabled: true });
  });

  it("looks up an inference by id, percent-encoding + / =", async () => {
    const inf = await dapi.inferences.get(INFERENCE_ID);
    expect(inf).toMatchObject({ inference_id: INFERENCE_ID, status: 1, actual_cost: 520000 });
    // Known limitation (docs/rest.md): 64-bit JSON numbers above 2^53 are rounded by JSON.parse.
    expect(inf.request_timestamp).toBe(Number("1795298400123456789"));
    expect(last()?.path).toBe(`/v1/chat/completions/${encodeURIComponent(INFERENCE_ID)}`);
    expect(last()?.path).toContain("%2B");
    const e = (await dapi.inferences.get("missing").catch((x: unknown) => x)) as HttpError;
    expect([e.status, e.serverMessage]).toEqual([404, "Inference not found"]);
  });

  it("reads PoC batches of a stage by block height", async () => {
    const r = await dapi.pocBatches.get(1_209_600n);
    expect(r.poc_batch?.[0]?.poc_batch?.[0]).toMatchObject({ nonces: [17, 99, 4096], dist: [1.21, 1.33, 1.4], received_at_block_height: 1_209_603 });
  });

  it("reads BLS epoch data and signing status (null when unknown; hex only)", async () => {
    await expect(dapi.bls.epoch(41)).resolves.toMatchObject({ epoch_id: 41 });
    await expect(dapi.bls.signingStatus("00ff")).resolves.toEqual({ signing_request: { request_id: "AP8=", status: 2 } });
    await expect(dapi.bls.signingStatus("abcd")).resolves.toEqual({ signing_request: null });
    expect(() => dapi.bls.signingStatus("AP8=")).toThrow(/hex/);
  });

  it("reads restrictions status, exemptions and usage", async () => {
    await expect(dapi.restrictions.status()).resolves.toMatchObject({ is_active: true });
    await expect(dapi.restrictions.exemptions()).resolves.toMatchObject({ exemptions: [{ exemption_id: "team" }] });
    await expect(dapi.restrictions.usage("team", "gonka1a")).resolves.toEqual({ usage_entries: [{ exemption_id: "team", account_address: "gonka1a", usage_count: 2 }] });
  });

  it("creates, lists and reads training tasks and locks nodes", async () => {
    await expect(dapi.training.createTask({ hardware_resources: [{ type: "H100", count: 8 }], config: { datasets: { train: "s3://t", test: "s3://v" }, num_uoc_estimation_steps: 10 } })).resolves.toMatchObject({ task: { id: 7 } });
    await expect(dapi.training.listTasks()).resolves.toEqual({ tasks: [{ id: 7 }] });
    await expect(dapi.training.getTask(7)).resolves.toEqual({ task: { id: 7 } });
    await expect(dapi.training.lockNodes({ training_task_id: 7, node_ids: ["node1"] })).resolves.toBeUndefined();
    expect(last()?.json).toEqual({ training_task_id: 7, node_ids: ["node1"] });
  });

  it("verifies proofs and blocks (typed error when invalid)", async () => {
    await expect(dapi.verify.block({ block: { header: { height: "5" } }, validators: [{ pub_key: "m2lY", voting_power: 10 }] })).resolves.toBeUndefined();
    await expect(dapi.verify.proof({ value: "0a", app_hash: "ff", proof_ops: { ops: [] }, epoch: 41 })).resolves.toBeUndefined();
    const e = (await dapi.verify.proof({ value: "00", app_hash: "ff", proof_ops: { ops: [] }, epoch: 41 }).catch((x: unknown) => x)) as HttpError;
    expect([e.status, e.serverMessage]).toEqual([400, "proof verification failed: value mismatch"]);
  });

  it("reads the plain-text debug routes", async () => {
    await expect(dapi.debug.pubkeyToAddress("035b04d1e62ae956f457ba39464d30ab91e27f5a")).resolves.toBe(TA_ADDRESS);
    await expect(dapi.debug.verifyBlock(100)).resolves.toBe("Block signatures verified");
  });

  it("submits a bridge block (camelCase) and reads bridge status", async () => {
    await expect(dapi.bridge.submitBlock({ blockNumber: "100", originChain: "ethereum", receiptsRoot: "0xabc", receipts: [{ contract: "0x1", owner: "0x2", publicKey: "02ab", amount: "5", receiptIndex: "0" }] })).resolves.toEqual({ status: "success", message: "Block queued for processing", blockNumber: "100", receiptsCount: 1, queueSize: 1 });
    await expect(dapi.bridge.status()).resolves.toMatchObject({ pendingBlocksCount: 1, readyToProcess: false });
  });

  it("works behind the nginx /api prefix", async () => {
    const prefixed = createDapiClient({ baseUrl: `${server.url}/api` });
    const e = (await prefixed.status().catch((x: unknown) => x)) as HttpError;
    expect(e.url).toBe(`${server.url}/api/v1/status`);
    expect(e.status).toBe(404);
  });
});
