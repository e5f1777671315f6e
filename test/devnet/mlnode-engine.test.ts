import { afterAll, beforeAll, describe, expect, it } from "vitest";
import poc from "../fixtures/poc.json";
import { startDevnet, type Devnet } from "../../src/devnet/index.js";

const tiny = poc.cases.find((c) => c.name === "tiny")!;
const R_TARGET = 1.4013564660458173;
let devnet: Devnet;

beforeAll(async () => {
  devnet = await startDevnet({ pocVersion: 1, poc: "cpu", pocSendIntervalMs: 20 });
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

const init = {
  node_id: 0,
  node_count: 1,
  block_hash: tiny.blockHash,
  block_height: 1,
  public_key: tiny.publicKey,
  batch_size: 12,
  r_target: R_TARGET,
  fraud_threshold: 1e-7,
  params: tiny.params,
  url: "",
};

describe("devnet MLNode over the CPU PoC engine", () => {
  it("generates the golden valid nonces of the tiny model and posts them to the callback", async () => {
    const started = await post("/pow/init/generate", { ...init, url: devnet.pocCallbackUrl });
    expect(started.status).toBe(200);
    const batches = await devnet.waitForPocBatches({ height: 1, timeoutMs: 20_000 });
    await post("/pow/stop");
    const got = new Map<number, number>();
    for (const b of batches) b.nonces.forEach((n, i) => got.set(n, b.dist[i]!));
    const expected = tiny.nonces.slice(0, 12).filter((_, i) => tiny.distances[i]! < R_TARGET);
    expect([...got.keys()].filter((n) => n < 12).sort((a, b) => a - b)).toEqual(expected);
    for (const n of expected) expect(got.get(n)).toBeCloseTo(tiny.distances[tiny.nonces.indexOf(n)]!, 6);
  });

  it("refuses params too large for the CPU engine with a 400 detail", async () => {
    const big = { ...init, url: devnet.pocCallbackUrl, params: { ...tiny.params, dim: 4096, n_layers: 64, n_heads: 32, n_kv_heads: 32 } };
    const r = await post("/pow/init/generate", big);
    expect(r.status).toBe(400);
    expect(r.json.detail).toMatch(/accepts at most/);
  });

  it("validates honest and forged batches against recomputed distances", async () => {
    await post("/pow/init/validate", { ...init, url: devnet.pocCallbackUrl });
    const honest = { public_key: tiny.publicKey, block_hash: tiny.blockHash, block_height: 1, nonces: [0, 1], dist: [tiny.distances[0], tiny.distances[1]], node_id: 0 };
    const forged = { ...honest, nonces: [2, 6], dist: [1.0, 1.0] }; // both recompute above r_target
    await post("/pow/validate", honest);
    await post("/pow/validate", forged);
    const deadline = Date.now() + 20_000;
    while (devnet.state.pocValidations.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const [a, b] = devnet.state.pocValidations;
    expect(a!.n_invalid).toBe(0);
    expect(a!.fraud_detected).toBe(false);
    expect(a!.probability_honest).toBe(1);
    expect(b!.n_invalid).toBe(2);
    expect(b!.dist[0]).toBeCloseTo(tiny.distances[2]!, 6);
    // P(X >= 2), X ~ Bin(2, 5e-4) = 2.5e-7, above the 1e-7 fraud threshold
    expect(b!.probability_honest).toBeCloseTo(2.5e-7, 12);
    expect(b!.fraud_detected).toBe(false);
    await post("/stop");
  });
});
