import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPocCallbackHandler, type ProofBatch, type ValidatedBatch } from "../../src/mlnode/index.js";
import { createPocCallbackServer, type PocCallbackServer } from "../../src/mlnode/node/index.js";

const batch: ProofBatch = { public_key: "02" + "cd".repeat(32), block_hash: "AB".repeat(32), block_height: 99, nonces: [3, 5], dist: [1.1, 1.3], node_id: 2 };
const result: ValidatedBatch = { ...batch, received_dist: [1.1, 1.3], r_target: 1.4013564660458173, fraud_threshold: 1e-7, n_invalid: 1, probability_honest: 0.0009995, fraud_detected: false };

let server: PocCallbackServer;
const got: { kind: string; path: string; body: unknown }[] = [];
const errors: string[] = [];
let failNext = false;
beforeAll(async () => {
  server = await createPocCallbackServer({
    onGenerated: (b, info) => {
      if (failNext) {
        failNext = false;
        throw new Error("database is locked");
      }
      got.push({ kind: "generated", path: info.path, body: b });
    },
    onValidated: async (b, info) => void got.push({ kind: "validated", path: info.path, body: b }),
    onError: (e) => void errors.push(e.message),
  });
});
afterAll(() => server.close());

const post = async (path: string, body: string, method = "POST") => {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`, { method, headers: { "content-type": "application/json" }, ...(method === "POST" ? { body } : {}) });
  return { status: res.status, text: await res.text() };
};

describe("createPocCallbackServer", () => {
  it("exposes the URL to give the MLNode", () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/v1/poc-batches`);
  });

  it("hands typed batches to the receivers on the current and the legacy path, answering 200 empty", async () => {
    await expect(post("/v1/poc-batches/generated", JSON.stringify(batch))).resolves.toEqual({ status: 200, text: "" });
    await expect(post("/mlnode/v1/poc-batches/validated", JSON.stringify(result))).resolves.toEqual({ status: 200, text: "" });
    expect(got.slice(-2)).toEqual([
      { kind: "generated", path: "/v1/poc-batches/generated", body: batch },
      { kind: "validated", path: "/mlnode/v1/poc-batches/validated", body: result },
    ]);
  });

  it("answers 400 {error} for malformed JSON and for a payload of the wrong shape", async () => {
    const a = await post("/v1/poc-batches/generated", "{nonces: [1,");
    expect(a.status).toBe(400);
    expect(JSON.parse(a.text).error).toMatch(/^Request body is not valid JSON/);
    const b = await post("/v1/poc-batches/validated", JSON.stringify(batch));
    expect(b.status).toBe(400);
    expect(JSON.parse(b.text).error).toBe("Request body is not a ValidatedBatch: at $.received_dist: missing (expected an array of a number)");
  });

  it("answers 500 when a receiver throws, so the MLNode resends the batch", async () => {
    failNext = true;
    const r = await post("/v1/poc-batches/generated", JSON.stringify(batch));
    expect(r).toEqual({ status: 500, text: JSON.stringify({ error: "Callback receiver failed: database is locked" }) });
    expect(errors.at(-1)).toBe("Callback receiver failed: database is locked");
  });

  it("answers 404 for other paths and 405 for other methods", async () => {
    expect((await post("/v1/other", "{}")).status).toBe(404);
    expect((await post("/v1/poc-batches/generated", "", "GET")).status).toBe(405);
  });
});

describe("createPocCallbackHandler", () => {
  it("works as a fetch-style handler with a custom base path", async () => {
    const seen: ProofBatch[] = [];
    const handler = createPocCallbackHandler({ basePath: "/hooks/", onGenerated: (b) => void seen.push(b) });
    const ok = await handler(new Request("http://x/hooks/generated", { method: "POST", body: JSON.stringify(batch) }));
    expect(ok.status).toBe(200);
    expect(seen).toEqual([batch]);
    const bad = await handler(new Request("http://x/v1/poc-batches/generated", { method: "POST", body: JSON.stringify(batch) }));
    expect(bad.status).toBe(404);
  });
});
