/**
 * The MLNode-compatible runner against receivers that lose acks, refuse large bodies or never come
 * back (issue 14, "Losing work silently"), and the devnet's v1 receiver deduplicating replays.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { callbackApiRoutes } from "../../src/devnet/callback-api.js";
import { startLoopbackServer, type LoopbackServer } from "../../src/devnet/http-server.js";
import { createDevnetState } from "../../src/devnet/state.js";
import { idempotencyKeyOf, runGenerate, UndeliveredWorkError, type ProofBatch } from "../../src/poc/index.js";
import { pocCase } from "../poc/engine/fixtures.js";

const tiny = pocCase("tiny");
const R = 1.4013564660458173;
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

interface Seen { status: number; key: string | undefined; body: string }

/** A receiver answering each POST with `answer(body, attempt)`; records every attempt. */
async function receiver(answer: (body: string, attempt: number) => number): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const status = answer(body, seen.length);
    seen.push({ status, key: req.headers["idempotency-key"] as string | undefined, body });
    res.writeHead(status).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closers.push(() => new Promise((r) => { server.closeAllConnections(); server.close(r); }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/poc-batches`, seen };
}

function initBody(url: string): Record<string, unknown> {
  return {
    node_id: 0, node_count: 1, block_hash: tiny.blockHash, block_height: 321, public_key: tiny.publicKey,
    batch_size: 100, r_target: R, fraud_threshold: 1e-7, params: tiny.params, url,
  };
}

const wanted = tiny.nonces.slice(0, 12).filter((_, i) => tiny.distances[i] < R);

describe("runGenerate delivery", () => {
  it("re-sends a batch whose ack was lost under the same Idempotency-Key, the SHA-256 of the body", async () => {
    // The receiver stores the first two attempts but answers 503 (the ack is lost).
    const rx = await receiver((_, attempt) => (attempt < 2 ? 503 : 200));
    const summary = await runGenerate(initBody(rx.url), { backend: "cpu", maxNonces: 12, batchSize: 12, sendIntervalMs: 30, finalFlushMs: 5000 });
    expect(rx.seen.length).toBe(3);
    const keys = new Set(rx.seen.map((s) => s.key));
    expect(keys.size).toBe(1);
    expect(rx.seen.every((s) => s.body === rx.seen[0].body)).toBe(true);
    expect(rx.seen[0].key).toBe(idempotencyKeyOf(rx.seen[0].body));
    expect(rx.seen[0].key).toMatch(/^[0-9a-f]{64}$/);
    expect((JSON.parse(rx.seen[2].body) as ProofBatch).nonces).toEqual(wanted);
    expect(summary).toMatchObject({ sent: wanted.length, pending: 0 });
  });

  it("halves a batch the receiver refuses with 413 until the pieces fit, losing nothing", async () => {
    // Accept bodies of at most ~2 nonces.
    const one = JSON.stringify({ nonces: [wanted[0]], dist: [1.23456789] }).length;
    let limit = 0;
    const rx = await receiver((body) => (body.length > limit ? 413 : 200));
    const probe = await receiver(() => 200);
    await runGenerate(initBody(probe.url), { backend: "cpu", maxNonces: 12, batchSize: 12, sendIntervalMs: 30 });
    const full = probe.seen[0].body.length;
    limit = full - Math.floor(((wanted.length - 2) * one) / 2); // room for about two nonces, not for all
    const errors: string[] = [];
    const summary = await runGenerate(initBody(rx.url), {
      backend: "cpu", maxNonces: 12, batchSize: 12, sendIntervalMs: 30, finalFlushMs: 5000, onSendError: (e) => errors.push(e.message),
    });
    const delivered = rx.seen.filter((s) => s.status === 200).map((s) => JSON.parse(s.body) as ProofBatch);
    expect(delivered.length).toBeGreaterThan(1);
    expect(delivered.flatMap((b) => b.nonces).sort((a, b) => a - b)).toEqual([...wanted].sort((a, b) => a - b));
    expect(errors.some((m) => m.includes("413"))).toBe(true);
    expect(summary).toMatchObject({ sent: wanted.length, pending: 0 });
  });

  it("rejects with UndeliveredWorkError listing every undelivered nonce when the receiver never comes back", async () => {
    const rx = await receiver(() => 503);
    const t0 = performance.now();
    const err = await runGenerate(initBody(rx.url), { backend: "cpu", maxNonces: 12, batchSize: 4, sendIntervalMs: 30, finalFlushMs: 300 })
      .then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(UndeliveredWorkError);
    const u = err as UndeliveredWorkError<ProofBatch>;
    expect(u.undelivered.flatMap((x) => x.payload.nonces).sort((a, b) => a - b)).toEqual([...wanted].sort((a, b) => a - b));
    for (const x of u.undelivered) expect(x.key).toBe(idempotencyKeyOf(JSON.stringify(x.payload)));
    expect(u.summary).toMatchObject({ sent: 0, pending: wanted.length });
    expect(u.message).toContain(`${wanted.length} entries`);
    expect(performance.now() - t0).toBeLessThan(20_000);
  });
});

describe("the devnet's v1 callback receiver", () => {
  async function devnetReceiver(): Promise<{ srv: LoopbackServer; state: ReturnType<typeof createDevnetState> }> {
    const state = createDevnetState();
    const srv = await startLoopbackServer({ routes: callbackApiRoutes(state, { pocV1: true }) });
    closers.push(() => srv.close());
    return { srv, state };
  }
  const batch = { public_key: "02AB", block_hash: "H", block_height: 7, nonces: [1, 2, 3], dist: [1.1, 1.2, 1.3], node_id: 0 };
  const post = (url: string, body: unknown, key?: string) => fetch(`${url}/v1/poc-batches/generated`, {
    method: "POST", headers: { "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) }, body: JSON.stringify(body),
  });

  it("counts a nonce posted three times once (same Idempotency-Key, or none)", async () => {
    const { srv, state } = await devnetReceiver();
    for (let i = 0; i < 3; i++) expect((await post(srv.url, batch, "k1")).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await post(srv.url, batch)).status).toBe(200);
    expect(state.pocBatches.flatMap((b) => b.nonces)).toEqual([1, 2, 3]);
    // A new batch overlapping old nonces adds only the new ones; another stage counts apart.
    await post(srv.url, { ...batch, nonces: [3, 4, 4], dist: [1.3, 1.0, 1.0] }, "k2");
    await post(srv.url, { ...batch, block_height: 8 }, "k3");
    expect(state.pocBatches.map((b) => [b.block_height, b.nonces])).toEqual([[7, [1, 2, 3]], [7, [4]], [8, [1, 2, 3]]]);
  });

  it("weighs a runner's replays once end to end", async () => {
    const { srv, state } = await devnetReceiver();
    let calls = 0;
    // Lose the first two acks: the devnet stores, the runner sees 503 and re-sends.
    const lossy: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      return ++calls <= 2 ? new Response(null, { status: 503 }) : res;
    };
    await runGenerate(initBody(`${srv.url}/v1/poc-batches`), { backend: "cpu", maxNonces: 12, batchSize: 12, sendIntervalMs: 30, fetch: lossy });
    expect(calls).toBe(3);
    expect(state.pocBatches.flatMap((b) => b.nonces)).toEqual(wanted);
  });
});
