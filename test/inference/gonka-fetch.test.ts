import { describe, expect, it } from "vitest";
import {
  createTimestampClock,
  gonkaFetch,
  openAiRoute,
  signerFromPrivateKey,
  TransferAgentsUnavailableError,
  type GonkaFetchAttemptInfo,
} from "../../src/inference/index.js";
import { keyVectors, requester } from "./fixtures.js";
import { chatBody, deadUrl, startTa } from "./local-ta.js";
import { opensslVerify } from "./openssl-verify.js";

const PLACEHOLDER = "http://gonka.invalid/v1/chat/completions";
const post = (body: string, init: RequestInit = {}): [string, RequestInit] => [
  PLACEHOLDER,
  { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer should-be-replaced" }, body, ...init },
];

describe("gonkaFetch signs what it sends", () => {
  it("sends the exact body bytes with Authorization, X-Requester-Address, X-Timestamp, X-Transfer-Address", async () => {
    const ta = await startTa();
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [ta.agent] });
    const body = chatBody("Grüße ✓ — \u{1F600}");
    const before = BigInt(Date.now()) * 1_000_000n;
    const res = await f(...post(body));
    expect(res.status).toBe(200);
    const json = (await res.json()) as { id: string; choices: { message: { content: string } }[] };
    const seen = ta.requests.at(-1)!;
    expect(seen.body).toBe(body);
    expect(seen.headers["x-requester-address"]).toBe(requester.address);
    expect(seen.headers["x-transfer-address"]).toBe(ta.address);
    expect(seen.headers["content-type"]).toBe("application/json");
    const ts = BigInt(seen.headers["x-timestamp"]!);
    expect(ts >= before - 1_000_000n && ts < before + 5_000_000_000n).toBe(true);
    expect(json.id).toBe(seen.headers["authorization"]);
    expect(json.choices[0]!.message.content).toBe("echo: Grüße ✓ — \u{1F600}");
    // verified independently by the TA (OpenSSL); check here as well
    expect(
      opensslVerify({ authorization: seen.headers["authorization"]!, body, timestampNs: ts, transferAddress: ta.address, publicKey: requester.publicKeyHex }),
    ).toBe(true);
    expect(f.address).toBe(requester.address);
  });

  it("signs bodyless requests over the empty body and keeps the query string", async () => {
    const ta = await startTa();
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [ta.agent] });
    const res = await f("http://gonka.invalid/v1/status?x=1");
    expect(await res.json()).toEqual({ status: "ok" });
    const seen = ta.requests.at(-1)!;
    expect(seen.path).toBe("/v1/status?x=1");
    expect(
      opensslVerify({ authorization: seen.headers["authorization"]!, body: "", timestampNs: seen.headers["x-timestamp"]!, transferAddress: ta.address, publicKey: requester.publicKeyHex }),
    ).toBe(true);
  });

  it("200 concurrent requests get unique timestamps and none is rejected as a replay", async () => {
    const ta = await startTa();
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [ta.agent] });
    const statuses = await Promise.all(Array.from({ length: 200 }, () => f(...post(chatBody("same body"))).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const stamps = new Set(ta.requests.map((r) => r.headers["x-timestamp"]));
    expect(stamps.size).toBe(200);
  });

  it("two gonkaFetch instances with the same key never reuse a timestamp", async () => {
    const ta = await startTa();
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [ta.agent] });
    const g = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [ta.agent] });
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? f : g)(...post(chatBody("same body"))).then((r) => r.status)),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(new Set(ta.requests.map((r) => r.headers["authorization"])).size).toBe(100);
  });

  it("the TA rejects a replayed request (same signature) with 400", async () => {
    const ta = await startTa();
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [ta.agent] });
    expect((await f(...post(chatBody("once")))).status).toBe(200);
    const first = ta.requests.at(-1)!;
    const replay = await fetch(`${ta.url}/v1/chat/completions`, { method: "POST", headers: first.headers, body: first.body });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({ error: "AuthKey has already been used for a transfer request" });
  });

  it("works with an async signer object", async () => {
    const signer = signerFromPrivateKey(requester.privateKeyHex);
    const asyncSigner = { address: signer.address, sign: async (m: Uint8Array) => signer.sign(m) };
    const ta = await startTa();
    const f = gonkaFetch({ signer: asyncSigner, endpoints: [ta.agent] });
    expect((await f(...post(chatBody("async")))).status).toBe(200);
    const seen = ta.requests.at(-1)!;
    expect(
      opensslVerify({ authorization: seen.headers["authorization"]!, body: seen.body, timestampNs: seen.headers["x-timestamp"]!, transferAddress: ta.address, publicKey: requester.publicKeyHex }),
    ).toBe(true);
  });

  it("maps the OpenAI route after /v1 onto each agent", () => {
    expect(openAiRoute(new URL("http://x/v1/chat/completions"))).toBe("/chat/completions");
    expect(openAiRoute(new URL("http://x/api/v1/models?a=b"))).toBe("/models?a=b");
    expect(openAiRoute(new URL("http://x/v1"))).toBe("");
    expect(openAiRoute(new URL("http://x/other"))).toBe("/other");
  });
});

describe("gonkaFetch fails over across transfer agents", () => {
  it("on 429 it re-signs with a fresh timestamp and the next TA's address", async () => {
    const busy = await startTa({ capacityRejections: 1 });
    const free = await startTa();
    const attempts: GonkaFetchAttemptInfo[] = [];
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [busy.agent, free.agent], strategy: "ordered", onAttempt: (a) => attempts.push(a) });
    const res = await f(...post(chatBody("hi")));
    expect(res.status).toBe(200);
    const a = busy.requests[0]!;
    const b = free.requests[0]!;
    expect(a.status).toBe(429);
    expect(b.status).toBe(200);
    expect(a.body).toBe(b.body);
    expect(BigInt(b.headers["x-timestamp"]!) > BigInt(a.headers["x-timestamp"]!)).toBe(true);
    expect(a.headers["x-transfer-address"]).toBe(busy.address);
    expect(b.headers["x-transfer-address"]).toBe(free.address);
    expect(a.headers["authorization"]).not.toBe(b.headers["authorization"]);
    expect(attempts.map((x) => [x.status, x.willRetry])).toEqual([[429, true], [200, false]]);
    // the busy agent cools down: the next request starts at the free one
    await f(...post(chatBody("again")));
    expect(busy.requests).toHaveLength(1);
    expect(free.requests).toHaveLength(2);
  });

  it("on 5xx and on network errors it moves on", async () => {
    const broken = await startTa({ failFirst: { count: 5, status: 503 } });
    const ok = await startTa();
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [{ url: await deadUrl(), address: keyVectors[3]!.address }, broken.agent, ok.agent], strategy: "ordered" });
    const res = await f(...post(chatBody("hi")));
    expect(res.status).toBe(200);
    expect(broken.requests.map((r) => r.status)).toEqual([503]);
    expect(ok.requests).toHaveLength(1);
  });

  it("on 403 'Transfer Agent not allowed' it moves on; other 403s are returned", async () => {
    const offList = await startTa({ failFirst: { count: 1, status: 403, message: "Transfer Agent not allowed" } });
    const gated = await startTa({ failFirst: { count: 1, status: 403, message: "developer access is gated until block 100" } });
    const ok = await startTa();
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [offList.agent, ok.agent], strategy: "ordered" });
    expect((await f(...post(chatBody("hi")))).status).toBe(200);
    const g = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [gated.agent, ok.agent], strategy: "ordered" });
    expect((await g(...post(chatBody("hi")))).status).toBe(403);
    expect(ok.requests).toHaveLength(1);
  });

  it("does not retry a 4xx that another TA would answer the same way", async () => {
    const a = await startTa();
    const b = await startTa();
    const wrongKey = signerFromPrivateKey(keyVectors[3]!.privateKeyHex);
    const impostor = { address: requester.address, sign: (m: Uint8Array) => wrongKey.sign(m) };
    const f = gonkaFetch({ signer: impostor, endpoints: [a.agent, b.agent], strategy: "ordered" });
    const res = await f(...post(chatBody("hi")));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toMatch(/^Unable to validate request against PubKey/);
    expect(b.requests).toHaveLength(0);
  });

  it("when every TA answers 429/5xx, the last answer is returned for the caller to handle", async () => {
    const a = await startTa({ capacityRejections: 9 });
    const b = await startTa({ failFirst: { count: 9, status: 500 } });
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [a.agent, b.agent], strategy: "ordered" });
    const res = await f(...post(chatBody("hi")));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "no nodes available for inference" });
  });

  it("when no TA can be reached it throws TransferAgentsUnavailableError listing the attempts", async () => {
    const urls = [await deadUrl(), await deadUrl()];
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: urls.map((u, i) => `${u};${keyVectors[i]!.address}`).join(","), strategy: "ordered" });
    const err = await f(...post(chatBody("hi"))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransferAgentsUnavailableError);
    const attempts = (err as TransferAgentsUnavailableError).attempts;
    expect(attempts.map((x) => x.url)).toEqual(urls);
    expect(attempts.every((x) => x.status === undefined && /ECONNREFUSED/.test(x.reason))).toBe(true);
  });

  it("maxAttempts caps the number of agents tried", async () => {
    const tas = await Promise.all([1, 2, 3].map(() => startTa({ capacityRejections: 9 })));
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: tas.map((t) => t.agent), maxAttempts: 2, strategy: "ordered" });
    expect((await f(...post(chatBody("hi")))).status).toBe(429);
    expect(tas.map((t) => t.requests.length)).toEqual([1, 1, 0]);
  });

  it("an attempt timeout moves to the next agent; a caller abort does not", async () => {
    const slow = await startTa({ streamDelayMs: 0, reply: () => "x" });
    const ok = await startTa();
    // a server that never answers
    const { createServer } = await import("node:http");
    const hang = createServer(() => undefined);
    await new Promise<void>((r) => hang.listen(0, "127.0.0.1", () => r()));
    const port = (hang.address() as { port: number }).port;
    try {
      const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [{ url: `http://127.0.0.1:${port}`, address: keyVectors[4]!.address }, ok.agent], strategy: "ordered", attemptTimeoutMs: 1000 });
      expect((await f(...post(chatBody("hi")))).status).toBe(200);

      const g = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [{ url: `http://127.0.0.1:${port}`, address: keyVectors[4]!.address }, slow.agent], strategy: "ordered" });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const err = await g(...post(chatBody("hi"), { signal: controller.signal })).catch((e: unknown) => e);
      expect((err as Error).name).toBe("AbortError");
      expect(slow.requests).toHaveLength(0);
    } finally {
      hang.closeAllConnections();
      await new Promise((r) => hang.close(r));
    }
  });
});

describe("gonkaFetch timestamps follow block time", () => {
  const skewed = (offsetSec: number) => () => BigInt(Date.now()) * 1_000_000n + BigInt(offsetSec) * 1_000_000_000n;

  it("the TA enforces the window: too old and in the future are rejected", async () => {
    const ahead = await startTa({ blockTimeNs: skewed(60) });
    const behind = await startTa({ blockTimeNs: skewed(-60) });
    const clock = createTimestampClock();
    const a = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [ahead.agent], clock, syncClock: false });
    const b = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [behind.agent], clock: createTimestampClock(), syncClock: false });
    const ra = await a(...post(chatBody("hi")));
    expect([ra.status, await ra.json()]).toEqual([400, { error: "signature is too old" }]);
    const rb = await b(...post(chatBody("hi")));
    expect([rb.status, await rb.json()]).toEqual([400, { error: "signature is in the future" }]);
  });

  it("syncClock: true aligns requests to a fixed endpoint to that node's block time before the first request", async () => {
    const ahead = await startTa({ blockTimeNs: skewed(60) });
    const clock = createTimestampClock();
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [ahead.agent], clock, syncClock: true });
    expect((await f(...post(chatBody("hi")))).status).toBe(200);
    expect(ahead.requests.map((r) => r.path)).toEqual(["/chain-rpc/status", "/v1/chat/completions"]);
    const off = clock.offsetFor(ahead.url);
    expect(off > 59_000_000_000n && off < 61_000_000_000n).toBe(true);
    expect(clock.offsetNs).toBe(0n); // one node's time stays scoped to that node
  });

  it("a 'timestamp too old' answer triggers one re-sync and a retry on the same TA", async () => {
    let skew = 0;
    const ta = await startTa({ blockTimeNs: () => skewed(skew)() });
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [ta.agent], clock: createTimestampClock(), syncClock: true });
    expect((await f(...post(chatBody("one")))).status).toBe(200);
    skew = 45; // the chain jumps ahead (or our clock drifts back)
    expect((await f(...post(chatBody("two")))).status).toBe(200);
    expect(ta.requests.map((r) => `${r.path}:${r.status}`)).toEqual([
      "/chain-rpc/status:200",
      "/v1/chat/completions:200",
      "/v1/chat/completions:400",
      "/chain-rpc/status:200",
      "/v1/chat/completions:200",
    ]);
  });
});

describe("gonkaFetch streaming and Bearer mode", () => {
  it("passes SSE through as it arrives, untouched", async () => {
    const ta = await startTa({ streamDelayMs: 40, reply: () => "one two three four five six seven eight" });
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [ta.agent] });
    const t0 = Date.now();
    const res = await f(...post(chatBody("stream please", { stream: true })));
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = res.body!.getReader();
    const first = await reader.read();
    const tFirst = Date.now() - t0;
    let text = new TextDecoder().decode(first.value);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const tAll = Date.now() - t0;
    expect(tAll - tFirst).toBeGreaterThan(200); // 8 pieces × 40 ms arrived after the first chunk
    const events = text.split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)) as { id: string; choices: { delta?: { content?: string } }[]; usage?: unknown });
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe("one two three four five six seven eight");
    expect(chunks.every((c) => c.id === ta.requests[0]!.headers["authorization"])).toBe(true);
    expect(chunks.at(-1)!.usage).toBeDefined();
  });

  it("Bearer mode sends the key as Bearer and no signature headers, with plain URLs", async () => {
    const ta = await startTa();
    const f = gonkaFetch({ apiKey: "obk-test-key", brokerUrl: ta.url });
    await f(...post(chatBody("hi")));
    const seen = ta.requests[0]!;
    expect(seen.headers["authorization"]).toBe("Bearer obk-test-key");
    expect(seen.headers["x-timestamp"]).toBeUndefined();
    expect(seen.headers["x-requester-address"]).toBeUndefined();
    expect(f.address).toBeUndefined();
  });
});
