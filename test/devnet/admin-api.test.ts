/**
 * The devnet's admin API answers like a v0.2.13 network node (rest-upgrades.md §4): POST is an
 * upsert, the batch route answers 201/206/400, validation errors are 400 "failed to create node: …",
 * the node state carries ml_node_version and preserved_models and no training_task, and `version`
 * is gone from the config. (Until the August-2025 node: re-POST appended, invalid batch entries were
 * skipped silently with 201, unknown models were 500 "error creating new node".)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevnet, type Devnet } from "../../src/devnet/index.js";

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet();
});
afterAll(() => devnet.stop());

const node = (id: string, model = "Qwen/Qwen2.5-7B-Instruct") => ({
  id,
  host: "127.0.0.1",
  inference_port: 5000,
  poc_port: 8080,
  models: { [model]: { args: ["--quantization", "fp8"] } },
  max_concurrent: 500,
  hardware: [{ type: "NVIDIA H100", count: 8 }],
});

async function call(method: string, path: string, body?: unknown, raw?: string) {
  const res = await fetch(`${devnet.adminUrl}/admin/v1${path}`, {
    method,
    headers: body === undefined && raw === undefined ? {} : { "content-type": "application/json" },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  return { status: res.status, json: await res.json() };
}

describe("devnet admin API", () => {
  it("registers, lists, disables, enables and deletes MLNodes like the network node", async () => {
    const created = await call("POST", "/nodes", node("node1"));
    expect(created.status).toBe(200);
    expect(created.json.id).toBe("node1");
    expect(created.json.node_num).toBeUndefined();
    expect("version" in created.json).toBe(false);

    const batch = await call("POST", "/nodes/batch", [node("node2")]);
    expect(batch.status).toBe(201);
    expect(batch.json.map((n: { id: string }) => n.id)).toEqual(["node2"]);

    const list = await call("GET", "/nodes");
    expect(list.json.map((n: { node: { id: string; node_num: number } }) => [n.node.id, n.node.node_num])).toEqual([
      ["node1", 1],
      ["node2", 2],
    ]);
    expect(list.json[0].state.admin_state).toEqual({ enabled: true, epoch: 1 });

    expect(await call("POST", "/nodes/node1/disable")).toEqual({ status: 200, json: { message: "node disabled successfully", node_id: "node1" } });
    expect((await call("GET", "/nodes")).json[0].state.admin_state.enabled).toBe(false);
    expect(await call("POST", "/nodes/node1/enable")).toEqual({ status: 200, json: { message: "node enabled successfully", node_id: "node1" } });
    expect(await call("POST", "/nodes/ghost/enable")).toEqual({ status: 404, json: { error: "node not found: ghost" } });

    expect(await call("DELETE", "/nodes/node2")).toEqual({ status: 200, json: true });
    expect(await call("DELETE", "/nodes/node2")).toEqual({ status: 200, json: false });
    expect((await call("GET", "/nodes")).json).toHaveLength(1);
  });

  it("POST /nodes is an upsert: re-posting an id updates it in place (same node_num, no duplicate)", async () => {
    await call("POST", "/nodes", node("up1"));
    const before = (await call("GET", "/nodes")).json.find((n: { node: { id: string } }) => n.node.id === "up1");
    const updated = await call("POST", "/nodes", { ...node("up1"), max_concurrent: 7, host: "10.0.0.9" });
    expect(updated).toMatchObject({ status: 200, json: { id: "up1", max_concurrent: 7, host: "10.0.0.9" } });
    const viaPut = await call("PUT", "/nodes/ignored-path-id", { ...node("up1"), host: "10.0.0.9", max_concurrent: 9 });
    expect(viaPut.json.max_concurrent).toBe(9);
    const after = (await call("GET", "/nodes")).json.filter((n: { node: { id: string } }) => n.node.id === "up1");
    expect(after).toHaveLength(1);
    expect(after[0].node).toMatchObject({ host: "10.0.0.9", max_concurrent: 9, node_num: before.node.node_num });
    await call("DELETE", "/nodes/up1");
  });

  it("reports the v0.2.13 node state fields: ml_node_version and preserved_models, no training_task", async () => {
    await call("POST", "/nodes", node("st1"));
    const entry = (await call("GET", "/nodes")).json.find((n: { node: { id: string } }) => n.node.id === "st1");
    expect(entry.state).toHaveProperty("ml_node_version");
    expect(entry.state.preserved_models).toEqual({});
    expect(entry.state).not.toHaveProperty("training_task");
    expect(entry.node).not.toHaveProperty("version");
    await call("DELETE", "/nodes/st1");
  });

  it("refuses invalid configs with 400 'failed to create node: …' (unknown model, ports, max_concurrent, no models)", async () => {
    expect(await call("POST", "/nodes", node("x", "unknown/model"))).toEqual({
      status: 400,
      json: { error: "failed to create node: one or more models are not valid governance models. Check logs for details." },
    });
    for (const bad of [{ ...node("x"), poc_port: 0 }, { ...node("x"), inference_port: 70000 }, { ...node("x"), max_concurrent: 0 }, { ...node("x"), models: {} }, { ...node(""), id: "" }]) {
      const r = await call("POST", "/nodes", bad);
      expect(r.status).toBe(400);
      expect(r.json.error).toMatch(/^failed to create node: /);
    }
    const unbound = await call("POST", "/nodes", undefined, "{not json");
    expect(unbound.status).toBe(400);
    expect(typeof unbound.json.error).toBe("string");
    expect(unbound.json.error).toMatch(/^invalid request body: /);
  });

  it("answers a partly valid batch with 206 {nodes, errors} and an all-invalid batch with 400", async () => {
    const partial = await call("POST", "/nodes/batch", [node("b1"), node("b2", "no/such-model")]);
    expect(partial.status).toBe(206);
    expect(partial.json.nodes.map((n: { id: string }) => n.id)).toEqual(["b1"]);
    expect(partial.json.errors).toEqual(["node[1] (id: b2): one or more models are not valid governance models. Check logs for details."]);
    const none = await call("POST", "/nodes/batch", [{ ...node("b3"), max_concurrent: 0 }]);
    expect(none.status).toBe(400);
    expect(none.json).toEqual({ error: { error: "all nodes failed validation", errors: ["node[0] (id: b3): max_concurrent must be greater than 0"] } });
    await call("DELETE", "/nodes/b1");
  });

  it("answers the upgrade and version status routes", async () => {
    expect(await call("GET", "/nodes/upgrade-status")).toEqual({ status: 200, json: { message: "No upgrade plan active" } });
    expect(await call("POST", "/nodes/version-status", {})).toEqual({ status: 400, json: { error: "Version field is required" } });
    await call("POST", "/nodes", node("v1"));
    expect((await call("POST", "/nodes/version-status", { version: "v3.0.12" })).json.v1).toEqual({ is_alive: true });
    await call("DELETE", "/nodes/v1");
  });
});
