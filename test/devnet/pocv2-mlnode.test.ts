/**
 * The devnet MLNode's PoC v2 routes over the stand-in model (NOT the real model): generation
 * callbacks, queued and waited `generate` jobs, recomputation with `validation` + `stat_test`
 * (the real comparison and binomial test), the served-model checks, status/stop, and the labels
 * that say it is a stand-in. Independent checks: artifacts are recomputed here from seeded normals
 * through `artifactFromHidden`, p-values from `fraudTest`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMlNodeApi, createPocV2StandIn, startLoopbackServer, STAND_IN_HEADER, STAND_IN_HIDDEN_SIZE, type LoopbackServer, type MlNodeApi, type MlNodePocBackend } from "../../src/devnet/index.js";
import { artifactFromHidden, decodeVector, fraudTest, normals, seedFromString, artifactDistance } from "../../src/poc/v2/index.js";

const MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
const BH = "3F".repeat(32);
const PK = "024daacc24ae6754dd460961ea4c6aa114e717e036b7dff3853195483b8d692dd2";
const noV1: MlNodePocBackend = { createWorker: async () => ({ distances: async (n) => n.map(() => 0) }), probabilityHonest: () => 1 };

/** The stand-in's artifact computed here from its definition (seeded normals → artifactFromHidden). */
function expected(nonce: number, model = MODEL, seqLen = 1024): string {
  const hidden = normals(seedFromString(`gonka-devnet-stand-in|${model}|seq_len=${seqLen}|stronger_rng=false|${BH}_${PK}_nonce${nonce}`), STAND_IN_HIDDEN_SIZE);
  return artifactFromHidden({ blockHash: BH, publicKey: PK, nonce, hidden }).vectorB64;
}

interface Callbacks {
  url: string;
  posts: { path: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}
async function callbackServer(): Promise<Callbacks> {
  const posts: Callbacks["posts"] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      posts.push({ path: req.url ?? "", body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown> });
      res.writeHead(200);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8`,
    posts,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

async function startMlNode(dishonest?: boolean | number): Promise<{ api: MlNodeApi; server: LoopbackServer; url: string }> {
  const api = createMlNodeApi({ backend: noV1, pocV2: createPocV2StandIn({ noncesPerSecond: 400, sendIntervalMs: 30, ...(dishonest !== undefined ? { dishonest } : {}) }) });
  const server = await startLoopbackServer({ routes: api.routes, dialect: "fastapi" });
  return { api, server, url: server.url };
}

const req = async (base: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${base}${path}`, { method, headers: { "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
};
const body = (extra: Record<string, unknown> = {}) => ({ block_hash: BH, block_height: 77, public_key: PK, node_id: 2, node_count: 3, params: { model: MODEL, seq_len: 1024 }, ...extra });
const until = async (f: () => boolean, ms = 10_000) => {
  const t = Date.now();
  while (!f()) {
    if (Date.now() - t > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("devnet MLNode PoC v2 stand-in", () => {
  let honest: Awaited<ReturnType<typeof startMlNode>>;
  let cheat: Awaited<ReturnType<typeof startMlNode>>;
  let cb: Callbacks;
  beforeAll(async () => {
    [honest, cheat, cb] = await Promise.all([startMlNode(), startMlNode(true), callbackServer()]);
    for (const m of [honest, cheat]) expect((await req(m.url, "POST", "/api/v1/inference/up", { model: MODEL, dtype: "bfloat16" })).status).toBe(200);
  });
  afterAll(async () => {
    for (const m of [honest, cheat]) {
      await m?.api.stop();
      await m?.server.close();
    }
    await cb?.close();
  });

  it("init/generate walks node_id + x·node_count and posts artifacts of the stand-in to {url}/generated, labelled", async () => {
    const r = await req(honest.url, "POST", "/api/v1/inference/pow/init/generate", body({ url: cb.url, batch_size: 8 }));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: "OK", backends: 1, n_groups: 1, results: [{ port: 5000, status: "OK" }], errors: null, stand_in_model: true });
    expect(String(r.json.note)).toMatch(/stand-in for the served model.*not a forward pass/);
    expect(r.headers.get(STAND_IN_HEADER)).toBe("true");
    const status = await req(honest.url, "GET", "/api/v1/inference/pow/status");
    expect(status.json).toMatchObject({ status: "GENERATING", stand_in_model: true, backends: [{ port: 5000, status: "GENERATING", config: { block_hash: BH, node_id: 2, node_count: 3, group_id: 0, n_groups: 1, seq_len: 1024, k_dim: 12 } }] });
    await until(() => cb.posts.flatMap((p) => (p.body.artifacts as unknown[]) ?? []).length >= 24);
    const stop = await req(honest.url, "POST", "/api/v1/inference/pow/stop");
    expect(stop.json).toMatchObject({ status: "OK", results: [{ port: 5000, status: "stopped" }], errors: null });
    expect((await req(honest.url, "GET", "/api/v1/inference/pow/status")).json).toMatchObject({ status: "IDLE", backends: [{ config: null, stats: null }] });
    const generated = cb.posts.filter((p) => p.path.endsWith("/generated"));
    expect(generated[0]!.body).toMatchObject({ public_key: PK, block_hash: BH, block_height: 77, node_id: 2, encoding: { dtype: "f16", k_dim: 12, endian: "le" } });
    const artifacts = generated.flatMap((p) => p.body.artifacts as { nonce: number; vector_b64: string }[]);
    expect(artifacts.map((a) => a.nonce)).toEqual(artifacts.map((_, x) => 2 + 3 * x));
    for (const a of artifacts.slice(0, 12)) expect(a.vector_b64).toBe(expected(a.nonce));
    cb.posts.length = 0;
  });

  it("generate with wait computes the given nonces; another seq_len or model id gives other artifacts", async () => {
    const r = await req(honest.url, "POST", "/api/v1/inference/pow/generate", body({ nonces: [5, 9, 1000], wait: true }));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: "completed", encoding: { dtype: "f16", k_dim: 12, endian: "le" }, stand_in_model: true });
    expect(r.json.artifacts).toEqual([5, 9, 1000].map((n) => ({ nonce: n, vector_b64: expected(n) })));
    const other = await req(honest.url, "POST", "/api/v1/inference/pow/generate", body({ nonces: [5], wait: true, params: { model: MODEL, seq_len: 512 } }));
    expect((other.json.artifacts as { vector_b64: string }[])[0]!.vector_b64).toBe(expected(5, MODEL, 512));
    expect(expected(5, MODEL, 512)).not.toBe(expected(5));
  });

  it("recomputes for validation: honest artifacts pass, forged ones fail the binomial test (p from fraudTest), verdict POSTed to {url}/validated", async () => {
    const nonces = Array.from({ length: 40 }, (_, i) => 3 * i + 1);
    const honestArtifacts = nonces.map((n) => ({ nonce: n, vector_b64: expected(n) }));
    const stat = { dist_threshold: 0.2, p_mismatch: 0.1, fraud_threshold: 0.01 };
    const ok = await req(honest.url, "POST", "/api/v1/inference/pow/generate", body({ nonces, wait: true, validation: { artifacts: honestArtifacts }, stat_test: stat }));
    expect(ok.json).toMatchObject({ status: "completed", n_total: 40, n_mismatch: 0, mismatch_nonces: [], p_value: 1, fraud_detected: false, stand_in_model: true });

    // the dishonest stand-in's artifacts (another "model") recomputed by the honest one
    const forged = await req(cheat.url, "POST", "/api/v1/inference/pow/generate", body({ nonces, wait: true }));
    const forgedArtifacts = forged.json.artifacts as { nonce: number; vector_b64: string }[];
    for (const a of forgedArtifacts) expect(artifactDistance(decodeVector(a.vector_b64), decodeVector(expected(a.nonce)))).toBeGreaterThan(0.2);
    const mixed = honestArtifacts.map((a, i) => (i % 4 === 0 ? forgedArtifacts[i]! : a)); // 10 of 40 forged
    const queued = await req(honest.url, "POST", "/api/v1/inference/pow/generate", body({ nonces, validation: { artifacts: mixed }, stat_test: stat, url: cb.url }));
    expect(queued.json).toMatchObject({ status: "queued", queued_count: 40 });
    const id = String(queued.json.request_id);
    expect(id).toMatch(/^5000:[0-9a-f-]{36}$/);
    let result = await req(honest.url, "GET", `/api/v1/inference/pow/generate/${id}`);
    await until(() => cb.posts.some((p) => p.path.endsWith("/validated")));
    result = await req(honest.url, "GET", `/api/v1/inference/pow/generate/${id}`);
    const want = fraudTest({ nMismatch: 10, nTotal: 40, pMismatch: 0.1, fraudThreshold: 0.01 });
    expect(result.json).toMatchObject({ status: "completed", request_id: id, n_total: 40, n_mismatch: 10, fraud_detected: want.fraudDetected });
    expect(result.json.p_value).toBeCloseTo(want.pValue, 12);
    expect(want.fraudDetected).toBe(true);
    expect(result.json.mismatch_nonces).toEqual(nonces.filter((_, i) => i % 4 === 0));
    const v = cb.posts.find((p) => p.path.endsWith("/validated"))!.body;
    expect(v).toMatchObject({ request_id: id, block_hash: BH, block_height: 77, public_key: PK, node_id: 2, n_total: 40, n_mismatch: 10, fraud_detected: true });
  });

  it("ignores the chain's p_value_threshold name (vLLM reads fraud_threshold, default 0.01) and applies vLLM's stat-test defaults", async () => {
    const nonces = [1, 4, 7, 10];
    const artifacts = nonces.map((n) => ({ nonce: n, vector_b64: n === 1 ? expected(99) : expected(n) }));
    const r = await req(honest.url, "POST", "/api/v1/inference/pow/generate", body({ nonces, wait: true, validation: { artifacts }, stat_test: { dist_threshold: 0.2, p_mismatch: 0.1, p_value_threshold: 0.99 } }));
    const want = fraudTest({ nMismatch: 1, nTotal: 4, pMismatch: 0.1, fraudThreshold: 0.01 });
    expect(r.json).toMatchObject({ n_mismatch: 1, fraud_detected: want.fraudDetected });
    expect(want.fraudDetected).toBe(false); // with the dropped 0.99 it would have been fraud
    const defaults = await req(honest.url, "POST", "/api/v1/inference/pow/generate", body({ nonces, wait: true, validation: { artifacts } }));
    const d = fraudTest({ nMismatch: 1, nTotal: 4, pMismatch: 0.001, fraudThreshold: 0.01 });
    expect(defaults.json).toMatchObject({ n_mismatch: 1, fraud_detected: d.fraudDetected });
    expect(defaults.json.p_value).toBeCloseTo(d.pValue, 12);
  });

  it("a dishonest stand-in with a fraction forges only that share of nonces", async () => {
    const part = await startMlNode(0.25);
    try {
      await req(part.url, "POST", "/api/v1/inference/up", { model: MODEL, dtype: "bfloat16" });
      const nonces = Array.from({ length: 200 }, (_, i) => i);
      const r = await req(part.url, "POST", "/api/v1/inference/pow/generate", body({ nonces, wait: true }));
      const forged = (r.json.artifacts as { nonce: number; vector_b64: string }[]).filter((a) => a.vector_b64 !== expected(a.nonce)).length;
      expect(forged).toBeGreaterThan(30);
      expect(forged).toBeLessThan(70);
    } finally {
      await part.api.stop();
      await part.server.close();
    }
  });

  it("refuses another model than the one served (502 on init, 409 on generate), answers 503 / NO_BACKENDS without vLLM, 404 for unknown jobs", async () => {
    const other = { model: "moonshotai/Kimi-K2.6", seq_len: 1024 };
    const init = await req(honest.url, "POST", "/api/v1/inference/pow/init/generate", body({ url: cb.url, params: other }));
    expect(init.status).toBe(502);
    expect(JSON.stringify(init.json)).toMatch(/params mismatch/);
    const gen = await req(honest.url, "POST", "/api/v1/inference/pow/generate", body({ nonces: [1], params: other }));
    expect(gen).toMatchObject({ status: 409, json: { error: "params mismatch" } });
    expect((await req(honest.url, "GET", "/api/v1/inference/pow/generate/5000:not-a-job")).status).toBe(404);
    expect((await req(honest.url, "POST", "/api/v1/inference/pow/init/generate", body({ url: "ftp://x" }))).status).toBe(422);
    const idle = await startMlNode();
    try {
      expect(await req(idle.url, "POST", "/api/v1/inference/pow/generate", body({ nonces: [1] }))).toMatchObject({ status: 503, json: { detail: "No vLLM backends available" } });
      expect((await req(idle.url, "GET", "/api/v1/inference/pow/status")).json).toEqual({ status: "NO_BACKENDS", backends: [] });
    } finally {
      await idle.api.stop();
      await idle.server.close();
    }
  });

  it("a second init/generate while generating fails like the MLNode (502), and /api/v1/stop ends generation", async () => {
    expect((await req(cheat.url, "POST", "/api/v1/inference/pow/init/generate", body({ url: cb.url }))).status).toBe(200);
    const again = await req(cheat.url, "POST", "/api/v1/inference/pow/init/generate", body({ url: cb.url }));
    expect(again.status).toBe(502);
    expect(JSON.stringify(again.json)).toMatch(/already generating/);
    expect((await req(cheat.url, "POST", "/api/v1/stop")).status).toBe(200);
    expect((await req(cheat.url, "GET", "/api/v1/inference/pow/status")).json).toEqual({ status: "NO_BACKENDS", backends: [] });
  });
});
