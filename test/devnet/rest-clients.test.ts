/**
 * The SDK's REST clients (typed from openapi/*.yaml, with runtime shape checks) accept every
 * devnet answer — an independent check of the devnet's wire shapes — and map the v0.2.13 errors
 * onto their typed errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminClient, NodeBatchRejectedError } from "../../src/admin/index.js";
import { createDapiClient } from "../../src/dapi/index.js";
import { startDevnet, type Devnet } from "../../src/devnet/index.js";
import { HttpError, ServiceUnavailableError } from "../../src/http/index.js";
import { createMlNodeClient, InferenceStartConflictError, InferenceStartError } from "../../src/mlnode/index.js";

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
    expect(await dapi.participants.get(devnet.participant.address)).toMatchObject({ balance: 10 ** 15, denom: "ngonka" });
    expect((await dapi.accounts.get(devnet.participant.address)).denom).toBe("ngonka");
    expect((await dapi.participants.record(devnet.participant.address)).participant.inference_url).toBe(devnet.url);
    expect((await dapi.participants.list()).participants?.[0]?.voting_power).toBe(10);
    expect((await dapi.identity()).data.address).toBe(devnet.participant.address);
    expect((await dapi.epochs.latest()).latest_epoch.index).toBe(1);
    const epoch = await dapi.epochs.participants();
    expect(epoch.active_participants.participants?.[0]?.inference_url).toBe(devnet.url);
    expect(epoch.excluded_participants).toEqual([]);
    expect((await dapi.models.governance())[0]?.id).toBe("Qwen/Qwen2.5-7B-Instruct");
    expect((await dapi.models.governanceLegacy())[0]?.id).toBe("Qwen/Qwen2.5-7B-Instruct");
    expect((await dapi.models.list()).map((m) => [m.object, m.id])).toEqual([["model", "Qwen/Qwen2.5-7B-Instruct"]]);
    expect((await dapi.pricing.governance()).models?.[0]?.price_per_token).toBe(0);
    expect((await dapi.pocBatches.get(1)).poc_batch).toEqual([]);
    const stats = await dapi.stats.summaryEpochs(3, { retries: 0 }).catch((e: unknown) => e);
    expect(stats).toBeInstanceOf(ServiceUnavailableError);
    expect((stats as HttpError).serverMessage).toBe("stats storage is not configured");
  });

  it("public API: an unknown account is a 404 HttpError with a hint", async () => {
    const dapi = createDapiClient({ baseUrl: devnet.url });
    const e = (await dapi.participants.get("gonka1c73uxrxztjtcjptrj54ryyw7fw55htw73r3m2a").catch((x: unknown) => x)) as HttpError;
    expect([e.status, e.serverMessage]).toEqual([404, "account not found"]);
    expect(e.details).toMatch(/register it with participants\.register/);
  });

  it("admin API", async () => {
    const admin = createAdminClient({ baseUrl: devnet.adminUrl });
    const node = { id: "n1", host: "h", inference_port: 5000, poc_port: 8080, max_concurrent: 1, models: { "Qwen/Qwen2.5-7B-Instruct": { args: [] } } };
    expect((await admin.nodes.create(node)).id).toBe("n1");
    expect(await admin.nodes.createBatch([{ ...node, id: "n2" }])).toEqual({ nodes: [{ ...node, id: "n2", inference_segment: "", poc_segment: "", hardware: [] }], errors: [] });
    const partial = await admin.nodes.createBatch([{ ...node, id: "n3" }, { ...node, id: "n4", models: { "x/unknown": { args: [] } } }]);
    expect(partial.nodes.map((n) => n.id)).toEqual(["n3"]);
    expect(partial.errors).toEqual(["node[1] (id: n4): one or more models are not valid governance models. Check logs for details."]);
    const rejected = await admin.nodes.createBatch([{ ...node, id: "n5", models: { "x/unknown": { args: [] } } }]).catch((x: unknown) => x);
    expect(rejected).toBeInstanceOf(NodeBatchRejectedError);
    expect((rejected as NodeBatchRejectedError).errors).toHaveLength(1);
    expect((await admin.nodes.update("n1", { ...node, max_concurrent: 4 })).max_concurrent).toBe(4);
    const listed = await admin.nodes.list();
    expect(listed.map((n) => n.node.node_num)).toEqual([1, 2, 3]);
    expect(listed[0]?.state.preserved_models).toEqual({});
    expect((await admin.nodes.disable("n1")).message).toBe("node disabled successfully");
    expect((await admin.nodes.enable("n1")).node_id).toBe("n1");
    expect(await admin.nodes.upgradeStatus()).toEqual({ message: "No upgrade plan active" });
    expect(await admin.nodes.remove("n2")).toBe(true);
  });

  it("MLNode API", async () => {
    const ml = createMlNodeClient({ baseUrl: devnet.mlnodeUrl });
    expect(await ml.state()).toMatchObject({ state: "STOPPED", version: "devnet", poc_status: null });
    expect((await ml.pow.status()).status).toBe("NOT_LOADED");
    expect((await ml.pow.stop()).pow_status).toBe("PoW is not running");
    expect(await ml.pocV2.status()).toEqual({ status: "NO_BACKENDS", backends: [] });
    expect(await ml.pocV2.stop()).toEqual({ status: "OK", message: "No backends to stop" });
    expect((await ml.inferenceUp({ model: "Qwen/Qwen2.5-7B-Instruct" })).status).toBe("OK");
    expect(await ml.state()).toMatchObject({ state: "INFERENCE", inference_healthy: true, loaded_model: "Qwen/Qwen2.5-7B-Instruct" });
    const again = await ml.inferenceUp({ model: "Qwen/Qwen2.5-7B-Instruct" }).catch((x: unknown) => x);
    expect(again).toBeInstanceOf(InferenceStartConflictError);
    expect((again as InferenceStartConflictError).reason).toBe("running");
    expect((await ml.inferenceUpStatus()).is_running).toBe(true);
    expect((await ml.inferenceDown()).status).toBe("OK");
    const failed = await ml.inferenceUp({ model: "not-a-repo" }).catch((x: unknown) => x);
    expect(failed).toBeInstanceOf(InferenceStartError);
    expect((failed as InferenceStartError).status).toBe(500);
    expect((await ml.inferenceUpStatus()).status).toBe("failed");
    expect((await ml.inferenceUpAsync({ model: "Qwen/Qwen2.5-7B-Instruct" })).status).toBe("starting");
    await ml.stop();
    expect((await ml.train.status()).status).toBe(false);
    expect(await ml.gpu.devices()).toEqual({ devices: [], count: 0 });
    expect((await ml.serviceHealth()).status).toBe("unhealthy");
    expect((await ml.readiness()).ready).toBe(true);
    const download = await ml.models.download({ hf_repo: "Qwen/Qwen2.5-7B-Instruct" });
    expect(download).toMatchObject({ task_id: "Qwen/Qwen2.5-7B-Instruct:latest", status: "DOWNLOADING" });
    expect((await ml.models.status({ hf_repo: "Qwen/Qwen2.5-7B-Instruct" })).status).toBe("DOWNLOADING");
    expect((await ml.models.list()).models.map((m) => m.status)).toEqual(["DOWNLOADED"]);
    expect((await ml.models.remove({ hf_repo: "Qwen/Qwen2.5-7B-Instruct", hf_commit: null })).status).toBe("deleted");
    expect((await ml.models.space()).cache_path).toBeTypeOf("string");
  });
});
