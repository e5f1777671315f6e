import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { fromInitRequest, InvalidProofBatchError, runGenerate, runValidate, type ProofBatch, type ValidatedBatch } from "../../../src/poc/index.js";
import { pocCase } from "./fixtures.js";

const tiny = pocCase("tiny");

/** A loopback callback receiver that can be switched to answer 503 ("down"). */
async function receiver(): Promise<{ url: string; server: Server; bodies: Map<string, unknown[]>; setDown(d: boolean): void; attempts: number }> {
  const bodies = new Map<string, unknown[]>();
  const state = { down: false, attempts: 0 };
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    state.attempts++;
    if (state.down) { res.writeHead(503).end(); return; }
    expect(req.headers["content-type"]).toBe("application/json");
    const path = req.url ?? "";
    bodies.set(path, [...(bodies.get(path) ?? []), JSON.parse(Buffer.concat(chunks).toString("utf8"))]);
    res.writeHead(200).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1/poc-batches`, server, bodies,
    setDown: (d) => { state.down = d; },
    get attempts() { return state.attempts; },
  };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function initBody(url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    node_id: 0, node_count: 1, block_hash: tiny.blockHash, block_height: 321, public_key: tiny.publicKey,
    batch_size: 100, r_target: 1.4013564660458173, fraud_threshold: 1e-7, params: tiny.params, url, ...extra,
  };
}

describe("runGenerate (MLNode init/generate)", () => {
  it("POSTs merged ProofBatches to {url}/generated; nothing is lost while the receiver is down", async () => {
    const rx = await receiver();
    servers.push(rx.server);
    rx.setDown(true);
    const errors: string[] = [];
    let progressCalls = 0;
    const run = runGenerate(initBody(rx.url), {
      backend: "cpu", maxNonces: 12, batchSize: 4, sendIntervalMs: 40, finalFlushMs: 5000,
      // Bring the receiver back after two failed delivery cycles (not after a fixed time: on a loaded
      // machine the first batch may take longer than any fixed outage to compute).
      onSendError: (e) => {
        errors.push(e.name);
        if (errors.length === 2) rx.setDown(false);
      },
      onProgress: () => { progressCalls++; },
    });
    const summary = await run;
    const got = (rx.bodies.get("/v1/poc-batches/generated") ?? []) as ProofBatch[];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((n) => n === "CallbackDeliveryError")).toBe(true);
    const nonces = got.flatMap((b) => b.nonces);
    const dist = got.flatMap((b) => b.dist);
    // Nonces 0..11 of node 0 of 1 are exactly the first twelve nonces of the vector.
    const want = tiny.nonces.slice(0, 12).map((n, i) => [n, tiny.distances[i]] as const).filter(([, d]) => d < 1.4013564660458173);
    expect(nonces).toEqual(want.map(([n]) => n));
    dist.forEach((d, i) => expect(Math.abs(d - want[i][1])).toBeLessThan(1e-6));
    for (const b of got) {
      expect(b).toMatchObject({ public_key: tiny.publicKey, block_hash: tiny.blockHash, block_height: 321, node_id: 0 });
    }
    expect(summary).toMatchObject({ computed: 12, valid: want.length, sent: want.length, pending: 0 });
    expect(progressCalls).toBe(3);
  });

  it("follows the network's nonce stride for node_id / node_count", async () => {
    const rx = await receiver();
    servers.push(rx.server);
    const summary = await runGenerate(initBody(rx.url, { node_id: 2, node_count: 5 }), {
      backend: "cpu", maxNonces: 3, batchSize: 3, sendIntervalMs: 20, groupId: 1, nGroups: 2,
    });
    expect(summary.computed).toBe(3);
    const got = (rx.bodies.get("/v1/poc-batches/generated") ?? []) as ProofBatch[];
    // offset = 2 + 1*5 = 7, step = 2*5 = 10 → nonces 7, 17, 27; only valid ones are sent.
    for (const n of got.flatMap((b) => b.nonces)) expect([7, 17, 27]).toContain(n);
  });

  it("refuses a request without node_id/node_count, like the MLNode's 400", async () => {
    const body = initBody("http://127.0.0.1:1/x");
    delete body.node_id;
    await expect(runGenerate(body, { backend: "cpu", maxNonces: 1 })).rejects.toThrow(/Node ID and node count must be set/);
    expect(fromInitRequest(body).nodeId).toBe(-1);
  });
});

describe("runValidate (MLNode /pow/validate)", () => {
  it("POSTs ValidatedBatches to {url}/validated and reports malformed batches without stopping", async () => {
    const rx = await receiver();
    servers.push(rx.server);
    const honestIdx = tiny.nonces.map((_, i) => i).filter((i) => tiny.distances[i] < 1.4);
    const honest = {
      public_key: tiny.publicKey, block_hash: tiny.blockHash, block_height: 321, node_id: 0,
      nonces: honestIdx.map((i) => tiny.nonces[i]), dist: honestIdx.map((i) => tiny.distances[i]),
    };
    const cheatIdx = tiny.nonces.map((_, i) => i).filter((i) => tiny.distances[i] > 1.42);
    const cheat = { ...honest, nonces: cheatIdx.map((i) => tiny.nonces[i]), dist: cheatIdx.map(() => 1.1) };
    const malformed = { ...honest, dist: honest.dist.slice(1) };
    const summary = await runValidate(initBody(rx.url), [honest, malformed, cheat, "junk"], { backend: "cpu", sendIntervalMs: 20 });
    expect(summary.validated.map((v) => v.fraud_detected)).toEqual([false, true]);
    expect(summary.rejected.map((r) => r.index)).toEqual([1, 3]);
    expect(summary.rejected[0].error).toBeInstanceOf(InvalidProofBatchError);
    const posted = (rx.bodies.get("/v1/poc-batches/validated") ?? []) as ValidatedBatch[];
    expect(posted.length).toBe(2);
    expect(posted[1]).toMatchObject({ n_invalid: cheatIdx.length, fraud_detected: true, r_target: 1.4013564660458173, fraud_threshold: 1e-7 });
    expect(posted[1].received_dist).toEqual(cheat.dist);
    expect(summary.sent).toBe(2);
  });
});
