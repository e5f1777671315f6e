/**
 * The devnet stays up and answers malformed or oversized requests with 400/413 (issue 14, "The
 * devnet falls over"), and a large `/pow/validate` does not freeze its public API.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import poc from "../fixtures/poc.json";
import { startDevnet, type Devnet } from "../../src/devnet/index.js";

const tiny = poc.cases.find((c) => c.name === "tiny")!;
let devnet: Devnet;

beforeAll(async () => {
  devnet = await startDevnet({ pocVersion: 1, poc: "cpu", pocSendIntervalMs: 50 });
});
afterAll(() => devnet.stop());

/** Sends a raw request line (fetch would normalise a bad escape) and returns the status line. */
function rawGet(base: string, path: string): Promise<string> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(u.port), u.hostname, () => s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let out = "";
    s.on("data", (c) => { out += c; });
    s.on("close", () => resolve(out.split("\r\n")[0]!));
    s.on("error", reject);
  });
}

describe("devnet against malformed requests", () => {
  it("answers a GET with a malformed percent-escape with 400 on every server and stays up", async () => {
    const servers = [devnet.url, devnet.adminUrl, devnet.mlnodeUrl, new URL(devnet.pocCallbackUrl).origin];
    for (const base of servers) {
      for (const path of ["/v1/%E0%A4%A", "/api/v1/%zz/x", "/%"]) expect(await rawGet(base, path)).toBe("HTTP/1.1 400 Bad Request");
    }
    for (const path of ["/chain-api/cosmos/bank/v1beta1/balances/%E0%A4%A", "/chain-rpc/%zz"]) {
      expect(await rawGet(devnet.url, path)).toBe("HTTP/1.1 400 Bad Request");
    }
    const ok = await fetch(`${devnet.url}/chain-rpc/status`);
    expect(ok.status).toBe(200);
  });

  it("refuses a body over the limit on /chain-api and /chain-rpc with 413 and keeps serving", async () => {
    const big = new Uint8Array(11 * 1024 * 1024).fill(0x20);
    for (const path of ["/chain-api/cosmos/tx/v1beta1/txs", "/chain-rpc"]) {
      const r = await fetch(`${devnet.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: big }).catch((e: unknown) => e);
      // The server answers 413 and closes; a client still writing may see the reset instead.
      if (r instanceof Response) expect(r.status).toBe(413);
      else expect(String((r as Error).cause ?? r)).toMatch(/ECONNRESET|EPIPE|socket|closed/i);
    }
    expect((await fetch(`${devnet.url}/chain-rpc/status`)).status).toBe(200);
  });

  it("keeps the public API answering while /pow/validate recomputes 4000 nonces", async () => {
    const post = (path: string, body: unknown) => fetch(`${devnet.mlnodeUrl}/api/v1${path}`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    });
    const init = {
      node_id: 0, node_count: 1, block_hash: tiny.blockHash, block_height: 1, public_key: tiny.publicKey, batch_size: 12,
      r_target: 1.4013564660458173, fraud_threshold: 1e-7, params: tiny.params, url: devnet.pocCallbackUrl,
    };
    expect((await post("/pow/init/validate", init)).status).toBe(200);
    const nonces = Array.from({ length: 4000 }, (_, i) => i);
    const t0 = performance.now();
    expect((await post("/pow/validate", { public_key: tiny.publicKey, block_hash: tiny.blockHash, block_height: 1, node_id: 0, nonces, dist: nonces.map(() => 1) })).status).toBe(200);
    // While the recomputation runs, the public API answers each probe without waiting for it.
    let worst = 0;
    for (let i = 0; i < 10; i++) {
      const s = performance.now();
      expect((await fetch(`${devnet.url}/chain-rpc/status`)).status).toBe(200);
      worst = Math.max(worst, performance.now() - s);
      await new Promise((r) => setTimeout(r, 50));
    }
    const validations = devnet.state.pocValidations;
    const done = await new Promise<number>((resolve) => {
      const check = () => (devnet.state.pocValidations.length > 0 ? resolve(performance.now() - t0) : setTimeout(check, 50));
      check();
    });
    expect(validations.length).toBe(1);
    expect(validations[0]!.nonces).toHaveLength(4000);
    // The recomputation takes far longer than any probe waited.
    expect(worst).toBeLessThan(Math.max(1000, done / 3));
  }, 120_000);
});
