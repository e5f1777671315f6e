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

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${devnet.adminUrl}/admin/v1${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

describe("devnet admin API", () => {
  it("registers, lists, disables, enables and deletes MLNodes like the network node", async () => {
    const created = await call("POST", "/nodes", node("node1"));
    expect(created.status).toBe(200);
    expect(created.json.id).toBe("node1");
    expect(created.json.node_num).toBeUndefined();

    const batch = await call("POST", "/nodes/batch", [node("node2"), node("bad", "no/such-model")]);
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

  it("refuses a node serving a model governance does not know (500 error creating new node)", async () => {
    expect(await call("POST", "/nodes", node("x", "unknown/model"))).toEqual({ status: 500, json: { error: "error creating new node" } });
  });
});
