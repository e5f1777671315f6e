/**
 * The clock of gonkaFetch: re-sync on today's freshness texts ("signature is too old" /
 * "signature is in the future", v0.2.4+), per client, bounded (a node cannot push it outside
 * ±10 minutes), and scoped to the agent that complained until several agents agree.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerResponse } from "node:http";
import { startDevnet, type Devnet } from "../../src/devnet/index.js";
import {
  createTimestampClock,
  gonkaFetch,
  signerFromPrivateKey,
  wallClockNs,
  type GonkaFetchAttemptInfo,
} from "../../src/inference/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { keyVectors, requester } from "./fixtures.js";
import { chatBody, startTa } from "./local-ta.js";
import { startServer } from "./servers.js";

const S = 1_000_000_000n;
const YEAR_2100_NS = 4_102_444_800n * S;

function rfc3339(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${(ns % S).toString().padStart(9, "0")}Z`);
}

/** A node whose block time is `blockTimeNs()`: answers chat with the TA's freshness check (60 s / 30 s). */
async function nodeWithBlockTime(blockTimeNs: () => bigint) {
  return startServer((_req, res: ServerResponse, seen) => {
    const send = (status: number, v: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(v));
    };
    if (seen.path === "/chain-rpc/status") return send(200, { result: { sync_info: { latest_block_time: rfc3339(blockTimeNs()) } } });
    const ts = BigInt(seen.headers["x-timestamp"] ?? "0");
    const offset = blockTimeNs() - ts;
    if (offset > 60n * S) return send(400, { error: "signature is too old" });
    if (offset < -30n * S) return send(400, { error: "signature is in the future" });
    send(200, { id: seen.headers["authorization"], choices: [] });
  });
}

describe("createTimestampClock: bounded, scoped corrections", () => {
  it("refuses a correction beyond ±10 minutes (the year 2100) and keeps the old offset", () => {
    let wall = 1_800_000_000n * S;
    const clock = createTimestampClock(() => wall);
    expect(clock.correct(wall + 120n * S)).toBe(true);
    expect(clock.offsetNs).toBe(120n * S);
    expect(clock.correct(YEAR_2100_NS)).toBe(false);
    expect(clock.correct(wall - 601n * S)).toBe(false);
    expect(clock.offsetNs).toBe(120n * S);
    expect(clock.correct(wall + 600n * S)).toBe(true); // the bound itself is allowed
    wall += 5n;
    expect(clock.next()).toBe(wall + 600n * S);
  });

  it("maxOffsetMs narrows or widens the bound; invalid options are typed errors", () => {
    const wall = 1_800_000_000n * S;
    expect(createTimestampClock(() => wall, { maxOffsetMs: 1000 }).correct(wall + 2n * S)).toBe(false);
    expect(createTimestampClock(() => wall, { maxOffsetMs: 3_600_000 }).correct(wall + 3000n * S)).toBe(true);
    expect(() => createTimestampClock(() => wall, { maxOffsetMs: NaN })).toThrow(InvalidArgumentError);
    expect(() => createTimestampClock(() => wall, { quorum: 0 })).toThrow(InvalidArgumentError);
    expect(() => createTimestampClock(() => wall, { toleranceMs: Infinity })).toThrow(InvalidArgumentError);
  });

  it("a correction from one endpoint applies only to that endpoint", () => {
    const wall = 1_800_000_000n * S;
    const clock = createTimestampClock(() => wall);
    expect(clock.correct(wall + 300n * S, "http://liar")).toBe(true);
    expect(clock.offsetFor("http://liar")).toBe(300n * S);
    expect(clock.offsetFor("http://honest")).toBe(0n);
    expect(clock.offsetNs).toBe(0n);
    expect(clock.next("http://liar") >= wall + 300n * S).toBe(true);
    expect(clock.next("http://honest") < wall + S).toBe(true);
    expect(clock.next() < wall + S).toBe(true);
  });

  it("agreement of two endpoints (within 2 s) makes their time client-wide; disagreement does not", () => {
    const wall = 1_800_000_000n * S;
    const clock = createTimestampClock(() => wall);
    clock.correct(wall + 40n * S, "http://a");
    clock.correct(wall - 200n * S, "http://b"); // disagrees with a
    expect(clock.offsetNs).toBe(0n);
    clock.correct(wall + 41n * S, "http://c"); // agrees with a
    expect(clock.offsetNs === 40n * S || clock.offsetNs === 41n * S).toBe(true);
    expect(clock.offsetFor("http://b")).toBe(-200n * S); // b keeps its own
    expect(clock.offsetFor("http://new")).toBe(clock.offsetNs);
  });

  it("timestamps stay unique across clients even when their offsets differ", () => {
    const wall = 1_800_000_000n * S;
    const a = createTimestampClock(() => wall);
    const b = createTimestampClock(() => wall);
    const seen = new Set<bigint>();
    for (let i = 0; i < 1000; i++) {
      seen.add(a.next("x"));
      seen.add(b.next("x"));
    }
    expect(seen.size).toBe(2000);
  });
});

describe("gonkaFetch re-syncs on today's texts", () => {
  it('"signature is in the future": re-syncs to that agent\'s block time and retries once', async () => {
    const behind = (): bigint => wallClockNs() - 120n * S; // this node's chain is 2 minutes behind us
    const node = await nodeWithBlockTime(behind);
    const attempts: GonkaFetchAttemptInfo[] = [];
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [{ url: node.url, address: keyVectors[1]!.address }], onAttempt: (a) => attempts.push(a) });
    const res = await f("http://x/v1/chat/completions", { method: "POST", body: chatBody("hi") });
    expect(res.status).toBe(200);
    expect(node.seen.map((s) => s.path)).toEqual(["/v1/chat/completions", "/chain-rpc/status", "/v1/chat/completions"]);
    expect(attempts.map((a) => [a.status, a.willRetry])).toEqual([[400, true], [200, false]]);
    const retried = BigInt(node.seen[2]!.headers["x-timestamp"]!);
    const lag = wallClockNs() - retried;
    expect(lag > 119n * S && lag < 121n * S).toBe(true);
  });

  it('"signature is too old" from the local transfer agent (today\'s text) triggers the same re-sync', async () => {
    const ta = await startTa({ blockTimeNs: () => wallClockNs() + 90n * S });
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [ta.agent] });
    expect((await f("http://x/v1/chat/completions", { method: "POST", body: chatBody("hi") })).status).toBe(200);
    expect(ta.requests.map((r) => `${r.path}:${r.status}`)).toEqual(["/v1/chat/completions:400", "/chain-rpc/status:200", "/v1/chat/completions:200"]);
    expect(JSON.parse(ta.requests[0]!.body || "{}")).toMatchObject({ model: "local/echo" });
  });

  it("syncClock: false turns the re-sync off: the 400 is returned", async () => {
    const node = await nodeWithBlockTime(() => wallClockNs() + 120n * S);
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [{ url: node.url, address: keyVectors[1]!.address }], syncClock: false });
    const res = await f("http://x/v1/chat/completions", { method: "POST", body: chatBody("hi") });
    expect([res.status, await res.json()]).toEqual([400, { error: "signature is too old" }]);
    expect(node.seen).toHaveLength(1);
  });
});

describe("one node cannot poison the clock", () => {
  it("a node claiming the year 2100 changes nothing: its 400 comes back, other agents and other clients are unaffected", async () => {
    const liar = await nodeWithBlockTime(() => YEAR_2100_NS);
    const honest = await nodeWithBlockTime(() => wallClockNs());
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [{ url: liar.url, address: keyVectors[1]!.address }], syncClock: true });
    const res = await f("http://x/v1/chat/completions", { method: "POST", body: chatBody("a") });
    expect(res.status).toBe(400); // its "too old" answer is returned; the correction was refused
    const sent = BigInt(liar.seen.find((s) => s.path === "/v1/chat/completions")!.headers["x-timestamp"]!);
    expect(sent < wallClockNs() + S).toBe(true);

    const g = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [{ url: honest.url, address: keyVectors[2]!.address }] });
    expect((await g("http://x/v1/chat/completions", { method: "POST", body: chatBody("b") })).status).toBe(200);
    const t = BigInt(honest.seen.at(-1)!.headers["x-timestamp"]!);
    expect(t - wallClockNs() < S && wallClockNs() - t < 5n * S).toBe(true);
  });

  it("a node 5 minutes ahead (inside the bound) shifts only requests to itself", async () => {
    const ahead = await nodeWithBlockTime(() => wallClockNs() + 300n * S);
    const honest = await nodeWithBlockTime(() => wallClockNs());
    const clock = createTimestampClock();
    const f = gonkaFetch({
      privateKey: requester.privateKeyHex,
      endpoints: [
        { url: ahead.url, address: keyVectors[1]!.address },
        { url: honest.url, address: keyVectors[2]!.address },
      ],
      strategy: "ordered",
      clock,
    });
    expect((await f("http://x/v1/chat/completions", { method: "POST", body: chatBody("1") })).status).toBe(200); // re-synced to `ahead`
    expect(clock.offsetFor(ahead.url) > 299n * S).toBe(true);
    expect(clock.offsetNs).toBe(0n);
    // the next request starts at `honest` (round of the ordered strategy after a healthy answer stays at ahead, so send there directly)
    const g = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [{ url: honest.url, address: keyVectors[2]!.address }], clock });
    expect((await g("http://x/v1/chat/completions", { method: "POST", body: chatBody("2") })).status).toBe(200);
    const t = BigInt(honest.seen.at(-1)!.headers["x-timestamp"]!);
    expect(t < wallClockNs() + S).toBe(true);
    expect(honest.seen.map((s) => s.path)).toEqual(["/v1/chat/completions"]); // no complaint, no re-sync
  });
});

describe("against the devnet (v0.2.13 texts)", () => {
  let devnet: Devnet;
  const signer = signerFromPrivateKey(keyVectors[2]!.privateKeyHex);
  beforeAll(async () => {
    devnet = await startDevnet();
    const res = await fetch(`${devnet.url}/v1/participants`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ address: signer.address, pub_key: Buffer.from(signer.publicKey).toString("base64") }),
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await devnet?.stop();
  });
  const model = () => devnet.chain.models()[0]!.id;
  const body = () => JSON.stringify({ model: model(), messages: [{ role: "user", content: "Hello" }], max_tokens: 8 });
  const agent = () => ({ url: devnet.url, address: devnet.participant.address });

  it('our clock 5 minutes slow: the devnet answers 400 "signature is too old"', async () => {
    const slow = createTimestampClock(() => wallClockNs() - 300n * S);
    const f = gonkaFetch({ signer, endpoints: [agent()], clock: slow, syncClock: false });
    const res = await f(`${devnet.url}/v1/chat/completions`, { method: "POST", body: body() });
    expect([res.status, await res.json()]).toEqual([400, { error: "signature is too old" }]);
  });

  it('our clock 5 minutes fast: "signature is in the future"; with re-sync the same request succeeds', async () => {
    const fast = () => createTimestampClock(() => wallClockNs() + 300n * S);
    const off = gonkaFetch({ signer, endpoints: [agent()], clock: fast(), syncClock: false });
    const res = await off(`${devnet.url}/v1/chat/completions`, { method: "POST", body: body() });
    expect([res.status, await res.json()]).toEqual([400, { error: "signature is in the future" }]);

    const attempts: GonkaFetchAttemptInfo[] = [];
    const on = gonkaFetch({ signer, endpoints: [agent()], clock: fast(), onAttempt: (a) => attempts.push(a) });
    const ok = await on(`${devnet.url}/v1/chat/completions`, { method: "POST", body: body() });
    expect(ok.status).toBe(200);
    const answer = (await ok.json()) as { id: string };
    expect(attempts.map((a) => [a.status, a.willRetry])).toEqual([[400, true], [200, false]]);
    const recorded = devnet.state.inferences.get(answer.id)!;
    expect(recorded.requestedBy).toBe(signer.address);
    expect(recorded.transferredBy).toBe(devnet.participant.address);
  });

  it("with sourceUrl the clock is aligned to the devnet before the first request (no 400 at all)", async () => {
    const attempts: GonkaFetchAttemptInfo[] = [];
    const f = gonkaFetch({ signer, sourceUrl: devnet.url, clock: createTimestampClock(() => wallClockNs() + 300n * S), onAttempt: (a) => attempts.push(a) });
    const res = await f(`${devnet.url}/v1/chat/completions`, { method: "POST", body: body() });
    expect(res.status).toBe(200);
    expect(attempts.map((a) => a.status)).toEqual([200]);
  });
});
