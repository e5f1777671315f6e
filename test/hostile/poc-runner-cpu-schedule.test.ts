/**
 * On the CPU backend the runner must keep its send cycle while the compute runs and stop promptly
 * on abort (issue 14: batches only at the end, abort honoured after 5 s).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { runGenerate, type ProofBatch } from "../../src/poc/index.js";
import { pocCase } from "../poc/engine/fixtures.js";

const small = pocCase("small");
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
});

describe("runGenerate on the CPU backend", () => {
  it("posts batches every sendIntervalMs during the run and returns within ~1 s of an abort", async () => {
    const posts: { at: number; batch: ProofBatch }[] = [];
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      posts.push({ at: performance.now(), batch: JSON.parse(Buffer.concat(chunks).toString("utf8")) as ProofBatch });
      res.writeHead(200).end();
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/poc-batches`;
    const ac = new AbortController();
    let abortedAt = 0;
    let passes = 0;
    const t0 = performance.now();
    const run = runGenerate({
      node_id: 0, node_count: 1, block_hash: small.blockHash, block_height: 5, public_key: small.publicKey,
      batch_size: 2, r_target: 2, fraud_threshold: 1e-7, params: small.params, url,
    }, {
      backend: "cpu", batchSize: 2, sendIntervalMs: 150, finalFlushMs: 2000, signal: ac.signal,
      // r_target 2 keeps every nonce, so each pass queues a batch; abort once a few were posted.
      onProgress: () => {
        passes++;
        if (posts.length >= 2 && abortedAt === 0) { abortedAt = performance.now(); ac.abort(); }
      },
    });
    // Safety net: never let a blocked loop hang the test.
    const guard = setTimeout(() => { if (abortedAt === 0) { abortedAt = performance.now(); ac.abort(); } }, 20_000);
    const summary = await run.finally(() => clearTimeout(guard));
    const end = performance.now();
    expect(passes).toBeGreaterThan(1);
    // Batches reached the receiver while the run was still computing, not only at the end.
    expect(posts.length).toBeGreaterThanOrEqual(2);
    expect(posts[0].at).toBeLessThan(abortedAt);
    expect(posts[0].at - t0).toBeLessThan(abortedAt - t0);
    expect(end - abortedAt).toBeLessThan(1500);
    expect(summary.pending).toBe(0);
    expect(posts.flatMap((p) => p.batch.nonces).length).toBe(summary.sent);
  }, 60_000);
});
