import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import { createAdminClient, HttpError, NodeBatchRejectedError, type InferenceNodeConfig } from "../../src/admin/index.js";
import { startFakeAdmin, type FakeAdmin } from "./helpers/fake-admin.js";

let fake: FakeAdmin;
let admin: ReturnType<typeof createAdminClient>;
const node = (id: string, models: string[] = ["Qwen/Qwen2.5-7B-Instruct"]): InferenceNodeConfig => ({
  id,
  host: `mlnode-${id}`,
  inference_port: 5000,
  poc_port: 8080,
  inference_segment: "",
  poc_segment: "/v3.0.8",
  max_concurrent: 500,
  models: Object.fromEntries(models.map((m) => [m, { args: ["--quantization", "fp8"] }])),
  hardware: [{ type: "NVIDIA H100 80GB HBM3", count: 8 }],
});

beforeAll(async () => {
  fake = await startFakeAdmin();
  admin = createAdminClient({ baseUrl: fake.url, retries: 0 });
});
afterAll(() => fake.server.close());

describe("createAdminClient nodes", () => {
  it("creates a node (JSON with Content-Type), lists it with node_num and state, and removes it", async () => {
    await expect(admin.nodes.create(node("a"))).resolves.toEqual(node("a"));
    expect(fake.server.requests.at(-1)?.headers["content-type"]).toBe("application/json");
    const list = await admin.nodes.list();
    expect(list).toHaveLength(1);
    expect(list[0]?.node).toMatchObject({ id: "a", node_num: 1, poc_segment: "/v3.0.8" });
    expect(list[0]?.state).toMatchObject({ current_status: "UNKNOWN", admin_state: { enabled: true, epoch: 12 } });
    expect(list[0]?.state.epoch_ml_nodes?.["Qwen/Qwen2.5-7B-Instruct"]?.throughput).toBeUndefined();
    await expect(admin.nodes.remove("a")).resolves.toBe(true);
    await expect(admin.nodes.remove("a")).resolves.toBe(false);
  });

  it("explains the 400 for a model that is not a governance model", async () => {
    const e = (await admin.nodes.create(node("bad", ["no/model"])).catch((x: unknown) => x)) as HttpError;
    expect(e).toBeInstanceOf(HttpError);
    expect([e.status, e.method, e.url, e.serverMessage]).toEqual([400, "POST", `${fake.url}/admin/v1/nodes`, "failed to create node: one or more models are not valid governance models. Check logs for details."]);
    expect(e.details).toMatch(/governance model id/);
  });

  it("upserts: creating an existing id updates it (same node_num, no duplicate)", async () => {
    await admin.nodes.create(node("u1"));
    const num = (await admin.nodes.list()).find((n) => n.node.id === "u1")?.node.node_num;
    await expect(admin.nodes.create({ ...node("u1"), max_concurrent: 3 })).resolves.toMatchObject({ max_concurrent: 3 });
    const entries = (await admin.nodes.list()).filter((n) => n.node.id === "u1");
    expect(entries.map((n) => [n.node.node_num, n.node.max_concurrent])).toEqual([[num, 3]]);
    expect(entries[0]?.state).toMatchObject({ ml_node_version: "3.0.12", preserved_models: { "Qwen/Qwen2.5-7B-Instruct": true } });
    await admin.nodes.remove("u1");
  });

  it("checks a config as the node does before sending (ports, max_concurrent, models)", () => {
    const before = fake.server.requests.length;
    expect(() => admin.nodes.create({ ...node("p"), poc_port: 0 })).toThrow(/poc_port/);
    expect(() => admin.nodes.create({ ...node("p"), max_concurrent: 0 })).toThrow(/max_concurrent/);
    expect(() => admin.nodes.create({ ...node("p"), models: {} })).toThrow(/governance model/);
    expect(fake.server.requests.length).toBe(before);
  });

  it("registers a batch: 201 → all nodes, 206 → nodes and errors, 400 → NodeBatchRejectedError", async () => {
    await expect(admin.nodes.createBatch([node("b1"), node("b2")])).resolves.toEqual({ nodes: [node("b1"), node("b2")], errors: [] });
    await expect(admin.nodes.createBatch([node("b3"), node("bx", ["no/model"])])).resolves.toEqual({
      nodes: [node("b3")],
      errors: ["node[1] (id: bx): one or more models are not valid governance models. Check logs for details."],
    });
    const e = (await admin.nodes.createBatch([node("by", ["no/model"])]).catch((x: unknown) => x)) as NodeBatchRejectedError;
    expect(e).toBeInstanceOf(NodeBatchRejectedError);
    expect(e.errors).toEqual(["node[0] (id: by): one or more models are not valid governance models. Check logs for details."]);
    expect(e.message).toContain("- node[0] (id: by)");
    await admin.nodes.remove("b3");
  });

  it("updates a node with PUT and percent-encodes ids", async () => {
    await expect(admin.nodes.update("b1", { ...node("b1"), max_concurrent: 10 })).resolves.toMatchObject({ max_concurrent: 10 });
    expect(fake.server.requests.at(-1)).toMatchObject({ method: "PUT", path: "/admin/v1/nodes/b1" });
    await admin.nodes.remove("gpu/0 #1");
    expect(fake.server.requests.at(-1)?.path).toBe("/admin/v1/nodes/gpu%2F0%20%231");
  });

  it("enables and disables a node, and reports 404 for an unknown id", async () => {
    await expect(admin.nodes.disable("b2")).resolves.toEqual({ message: "node disabled successfully", node_id: "b2" });
    expect(fake.nodes.get("b2")?.enabled).toBe(false);
    await expect(admin.nodes.enable("b2")).resolves.toEqual({ message: "node enabled successfully", node_id: "b2" });
    const e = (await admin.nodes.enable("nope").catch((x: unknown) => x)) as HttpError;
    expect([e.status, e.serverMessage]).toEqual([404, "node not found: nope"]);
  });

  it("reads upgrade status (message or per-node reports) and version status", async () => {
    await expect(admin.nodes.upgradeStatus()).resolves.toEqual({ message: "No upgrade plan active" });
    fake.upgradePlan = "v3.0.9";
    await expect(admin.nodes.upgradeStatus()).resolves.toEqual({
      b1: { is_alive: false, error: "dial tcp: no v3.0.9 endpoint" },
      b2: { is_alive: false, error: "dial tcp: no v3.0.9 endpoint" },
    });
    await expect(admin.nodes.versionStatus("v3.0.8")).resolves.toEqual({ b1: { is_alive: true }, b2: { is_alive: true } });
    expect(() => admin.nodes.versionStatus("")).toThrow(InvalidArgumentError);
  });
});

describe("createAdminClient chain routes", () => {
  it("reads and proposes the unit-of-compute price, refusing an unknown denom before sending", async () => {
    await expect(admin.unitOfComputePrice.get()).resolves.toEqual({
      proposal: { participant: "gonka1node", price: 150, proposed_at_block_height: 4242, proposed_at_epoch: 3 },
      default: 100,
    });
    await expect(admin.unitOfComputePrice.propose(2, "ugonka")).resolves.toBeUndefined();
    expect(fake.server.requests.at(-1)?.json).toEqual({ price: 2, denom: "ugonka" });
    expect(() => admin.unitOfComputePrice.propose(1, "GNK" as "gonka")).toThrow(/denom/);
  });

  it("registers a model", async () => {
    await expect(admin.models.register({ id: "Qwen/QwQ-32B", units_of_compute_per_token: 1000 })).resolves.toBeUndefined();
    expect(fake.server.requests.at(-1)?.json).toEqual({ id: "Qwen/QwQ-32B", units_of_compute_per_token: 1000 });
  });

  it("sends a tx and maps 'no messages' to a typed error before or after the wire", async () => {
    const tx = { body: { messages: [{ "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: "gonka1a", to_address: "gonka1b", amount: [{ denom: "ngonka", amount: "1" }] }] }, auth_info: {}, signatures: [] };
    await expect(admin.tx.send(tx)).resolves.toEqual({ txhash: "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", raw_log: "[]" });
    expect(() => admin.tx.send({ body: { messages: [] } })).toThrow(InvalidArgumentError);
  });

  it("requests a BLS signature with bytes encoded as base64", async () => {
    await admin.bls.request({ currentEpochId: 7n, chainId: new TextEncoder().encode("gonka-mainnet"), requestId: new Uint8Array(32).fill(1), data: ["AAEC", new Uint8Array([255])] });
    expect(fake.server.requests.at(-1)?.json).toEqual({
      current_epoch_id: "7",
      chain_id: "Z29ua2EtbWFpbm5ldA==",
      request_id: "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
      data: ["AAEC", "/w=="],
    });
    expect(() => admin.bls.request({ currentEpochId: -1, chainId: "", requestId: "", data: [] })).toThrow(/currentEpochId/);
  });

  it("submits a bridge block to the admin API (moved from the public API in v0.2.5)", async () => {
    await expect(admin.bridge.submitBlock({ blockNumber: "100", originChain: "ethereum", receiptsRoot: "0xabc", receipts: [{ contract: "0x1", owner: "0x2", publicKey: "02ab", amount: "5", receiptIndex: "0" }] })).resolves.toEqual({ status: "success", message: "Block queued for processing", blockNumber: "100", receiptsCount: 1, queueSize: 1 });
    expect(fake.server.requests.at(-1)?.path).toBe("/admin/v1/bridge/block");
  });

  it("reads the operations routes and stores payloads with inference_id in the query", async () => {
    await expect(admin.operations.config()).resolves.toMatchObject({ api: { port: 9000 } });
    await expect(admin.operations.exportDb()).resolves.toEqual({ kv: { "poc.last_stage": "3450120" } });
    await expect(admin.operations.setupReport()).resolves.toMatchObject({ overall_status: "PASS", checks: [{ id: "mlnode_reachable" }] });
    await expect(admin.operations.recoverClaimReward({ force_claim: true, epoch_index: 41 })).resolves.toMatchObject({ success: true, epoch_index: 41, claim_executed: true });
    await expect(admin.operations.storePayloads("id+/=", { prompt_payload: "{}", response_payload: "{}", epoch_id: "41" })).resolves.toEqual({ status: "success", inference_id: "id+/=", epoch_id: "41" });
    expect(fake.server.requests.at(-1)?.query.get("inference_id")).toBe("id+/=");
    expect(() => admin.operations.storePayloads("x", { prompt_payload: "", response_payload: "", epoch_id: "4a" })).toThrow(/epoch_id/);
  });
});

describe("createAdminClient options", () => {
  it("sends custom headers through a custom fetch", async () => {
    const seen: string[] = [];
    const custom = createAdminClient({
      baseUrl: fake.url,
      headers: { "x-proxy-token": "secret-for-proxy" },
      fetch: (input, init) => {
        seen.push(`${init.method} ${input}`);
        return fetch(input, init);
      },
    });
    await custom.nodes.list();
    expect(seen).toEqual([`GET ${fake.url}/admin/v1/nodes`]);
    expect(fake.server.requests.at(-1)?.headers["x-proxy-token"]).toBe("secret-for-proxy");
  });
});

