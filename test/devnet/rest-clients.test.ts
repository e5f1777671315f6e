/**
 * The SDK's REST clients (typed from openapi/*.yaml, with runtime shape checks) accept every
 * devnet answer — an independent check of the devnet's wire shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminClient } from "../../src/admin/index.js";
import { createDapiClient } from "../../src/dapi/index.js";
import { startDevnet, type Devnet } from "../../src/devnet/index.js";
import { createMlNodeClient } from "../../src/mlnode/index.js";

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet();
});
afterAll(() => devnet.stop());

describe("devnet answers pass the REST clients' shape checks", () => {
  it("public API", async () => {
    const dapi = createDapiClient({ baseUrl: devnet.url });
    expect((await dapi.status()).status).toBe("ok");
    expect((await dapi.versions()).api_version.version).toBe("devnet");
    expect((await dapi.participants.get(devnet.participant.address)).balance).toBe(10 ** 15);
    expect((await dapi.participants.list()).participants?.[0]?.voting_power).toBe(10);
    expect((await dapi.epochs.latest()).latest_epoch.index).toBe(1);
    expect((await dapi.epochs.participants()).active_participants.participants?.[0]?.inference_url).toBe(devnet.url);
    expect((await dapi.models.governance())[0]?.id).toBe("Qwen/Qwen2.5-7B-Instruct");
    expect((await dapi.models.list())).toHaveLength(1);
    expect((await dapi.pricing.governance()).models?.[0]?.price_per_token).toBe(0);
    expect((await dapi.pocBatches.get(1)).poc_batch).toEqual([]);
  });

  it("admin API", async () => {
    const admin = createAdminClient({ baseUrl: devnet.adminUrl });
    const node = { id: "n1", host: "h", inference_port: 5000, poc_port: 8080, max_concurrent: 1, models: { "Qwen/Qwen2.5-7B-Instruct": { args: [] } } };
    expect((await admin.nodes.create(node)).id).toBe("n1");
    expect((await admin.nodes.createBatch([{ ...node, id: "n2" }])).map((n) => n.id)).toEqual(["n2"]);
    expect((await admin.nodes.list()).map((n) => n.node.node_num)).toEqual([1, 2]);
    expect((await admin.nodes.disable("n1")).message).toBe("node disabled successfully");
    expect((await admin.nodes.enable("n1")).node_id).toBe("n1");
    expect(await admin.nodes.remove("n2")).toBe(true);
  });

  it("MLNode API", async () => {
    const ml = createMlNodeClient({ baseUrl: devnet.mlnodeUrl });
    expect((await ml.state()).state).toBe("STOPPED");
    expect((await ml.pow.status()).status).toBe("NOT_LOADED");
    expect((await ml.pow.stop()).pow_status).toBe("PoW is not running");
    expect((await ml.inferenceUp({ model: "m" })).status).toBe("OK");
    expect((await ml.state()).state).toBe("INFERENCE");
    expect((await ml.inferenceDown()).status).toBe("OK");
    expect((await ml.train.status()).status).toBe(false);
  });
});
