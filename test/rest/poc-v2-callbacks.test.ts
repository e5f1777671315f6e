/**
 * The PoC v2 callback receiver (`/v2/poc-batches/{model id escaped twice}/generated|validated`,
 * the only callback routes of a v0.2.12+ network node) and its URL helpers, checked against the
 * `go.callback_urls` vectors (built by the network node's Go code) and the node's answers
 * (rest-upgrades.md §5, poc-v2.md §8).
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPocCallbackHandler,
  goPathEscape,
  goPathUnescape,
  parsePocV2CallbackPath,
  PocCallbackRefused,
  pocV2CallbackUrl,
  type GeneratedArtifactBatchV2,
  type ValidatedResultV2,
} from "../../src/mlnode/index.js";
import { createPocCallbackServer, type PocCallbackServer } from "../../src/mlnode/node/index.js";

interface CallbackUrlVector {
  model_id: string;
  generation_url: string;
  validation_url: string;
}
const vectors = (JSON.parse(readFileSync(new URL("../fixtures/poc-v2.json", import.meta.url), "utf8")) as { go: { callback_urls: CallbackUrlVector[] } }).go.callback_urls;

const MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
const vector12 = Buffer.alloc(24, 7).toString("base64");
const artifacts: GeneratedArtifactBatchV2 = {
  block_hash: "AB".repeat(32),
  block_height: 3_450_120,
  public_key: "02" + "cd".repeat(32),
  node_id: 3,
  artifacts: [
    { nonce: 1, vector_b64: vector12 },
    { nonce: 4, vector_b64: vector12 },
  ],
  encoding: { dtype: "f16", k_dim: 12, endian: "le" },
};
const verdict: ValidatedResultV2 = { request_id: "5001:ab", block_hash: "AB".repeat(32), block_height: 3_450_120, public_key: "02" + "cd".repeat(32), node_id: 0, n_total: 200, n_mismatch: 31, mismatch_nonces: [9], p_value: 0.004, fraud_detected: true };

describe("PoC v2 callback URLs (go.callback_urls vectors)", () => {
  it("builds every vector's URL: the model id path-escaped twice", () => {
    expect(vectors.length).toBe(4);
    for (const v of vectors) {
      expect(pocV2CallbackUrl("http://api:9100", v.model_id)).toBe(v.generation_url);
      expect(pocV2CallbackUrl("http://api:9100/", v.model_id)).toBe(v.validation_url);
    }
  });

  it("parses every vector back to its model id, for both callbacks", () => {
    for (const v of vectors) {
      const path = new URL(v.generation_url).pathname;
      expect(parsePocV2CallbackPath(`${path}/generated`)).toEqual({ ok: true, modelId: v.model_id, kind: "generated" });
      expect(parsePocV2CallbackPath(`${path}/validated`)).toEqual({ ok: true, modelId: v.model_id, kind: "validated" });
    }
  });

  it("escapes like Go's url.PathEscape (keeps $&+:=@, escapes / ; , ? space % and UTF-8 bytes)", () => {
    expect(goPathEscape("a/b c%d")).toBe("a%2Fb%20c%25d");
    expect(goPathEscape("$&+:=@-_.~")).toBe("$&+:=@-_.~");
    expect(goPathEscape(";,?!*'()")).toBe("%3B%2C%3F%21%2A%27%28%29");
    expect(goPathEscape("é")).toBe("%C3%A9");
    expect(goPathUnescape("a%2fb+c")).toBe("a/b+c");
    expect(() => goPathUnescape("bad%zz")).toThrow(/invalid URL escape/);
    expect(() => goPathUnescape("%ff")).toThrow(/not UTF-8/);
  });

  it("answers the node's 400s for an empty or undecodable model id and 404 for other routes", () => {
    expect(parsePocV2CallbackPath("/v2/poc-batches//generated")).toEqual({ ok: false, status: 400, error: "model_id required" });
    expect(parsePocV2CallbackPath("/v2/poc-batches/a%25zz/generated")).toEqual({ ok: false, status: 400, error: "invalid model_id" });
    expect(parsePocV2CallbackPath("/v2/poc-batches/m/other")).toMatchObject({ ok: false, status: 404 });
    expect(parsePocV2CallbackPath("/v1/poc-batches/generated")).toMatchObject({ ok: false, status: 404 });
    expect(() => pocV2CallbackUrl("api:9100", MODEL)).toThrow(/absolute/);
    expect(() => pocV2CallbackUrl("http://api:9100", "")).toThrow(/model id/);
  });
});

describe("PoC v2 callback receiver", () => {
  let server: PocCallbackServer;
  const got: { kind: string; modelId: string; body: unknown }[] = [];
  let refuse: PocCallbackRefused | undefined;
  beforeAll(async () => {
    server = await createPocCallbackServer({
      onArtifacts: (b, info) => {
        if (refuse) throw refuse;
        got.push({ kind: "generated", modelId: info.modelId, body: b });
      },
      onValidatedV2: (r, info) => void got.push({ kind: "validated", modelId: info.modelId, body: r }),
    });
  });
  afterAll(() => server.close());
  const post = async (url: string, body: unknown) => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  };

  it("receives artifacts and verdicts at pocV2Url(model)/generated|validated with the model id decoded", async () => {
    const base = server.pocV2Url(MODEL);
    expect(base).toBe(`${server.origin}/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8`);
    expect(await post(`${base}/generated`, artifacts)).toEqual({ status: 200, text: "" });
    expect(await post(`${base}/validated`, verdict)).toEqual({ status: 200, text: "" });
    expect(got).toEqual([
      { kind: "generated", modelId: MODEL, body: artifacts },
      { kind: "validated", modelId: MODEL, body: verdict },
    ]);
  });

  it("refuses bad vectors with the node's texts", async () => {
    const base = server.pocV2Url("moonshotai/Kimi-K2.6");
    const badB64 = await post(`${base}/generated`, { ...artifacts, artifacts: [{ nonce: 1, vector_b64: "not base64!" }] });
    expect(badB64).toEqual({ status: 400, text: JSON.stringify({ error: "invalid base64 in artifact vector" }) });
    const empty = await post(`${base}/generated`, { ...artifacts, artifacts: [{ nonce: 1, vector_b64: "" }] });
    expect(empty).toEqual({ status: 400, text: JSON.stringify({ error: "empty artifact vector" }) });
    const shape = await post(`${base}/generated`, { ...artifacts, node_id: "three" });
    expect(shape.status).toBe(400);
    expect(JSON.parse(shape.text).error).toMatch(/GeneratedArtifactBatchV2.*\$\.node_id/);
    const noModel = await post(`${server.origin}/v2/poc-batches//generated`, artifacts);
    expect(noModel).toEqual({ status: 400, text: JSON.stringify({ error: "model_id required" }) });
  });

  it("answers a receiver's PocCallbackRefused with its status and text (e.g. 503 outside the generate phase)", async () => {
    refuse = new PocCallbackRefused(503, "not in PoC generate phase");
    try {
      expect(await post(`${server.pocV2Url(MODEL)}/generated`, artifacts)).toEqual({ status: 503, text: JSON.stringify({ error: "not in PoC generate phase" }) });
    } finally {
      refuse = undefined;
    }
  });

  it("works as a fetch-style handler", async () => {
    const seen: string[] = [];
    const handler = createPocCallbackHandler({ onArtifacts: (_b, info) => void seen.push(info.modelId) });
    const res = await handler(new Request(`${pocV2CallbackUrl("http://x", "a b%c")}/generated`, { method: "POST", body: JSON.stringify(artifacts) }));
    expect(res.status).toBe(200);
    expect(seen).toEqual(["a b%c"]);
  });
});
