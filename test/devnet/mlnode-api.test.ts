import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevnet, type Devnet, type MlNodePocBackend } from "../../src/devnet/index.js";

/** A stand-in engine: dist(nonce) = (nonce mod 10) / 5, so nonces ending in 0..6 are valid at r_target 1.4. */
const fakeEngine: MlNodePocBackend = {
  createWorker: async () => ({ distances: async (nonces) => nonces.map((n) => (n % 10) / 5) }),
  probabilityHonest: (n, bad) => (bad === 0 ? 1 : 1e-9 * n),
};

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet({ poc: fakeEngine, pocSendIntervalMs: 20 });
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
