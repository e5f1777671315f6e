/**
 * Every gonkaFetch attempt has a deadline that covers the body it reads (a stalled error body is
 * cut at attemptTimeoutMs and the next agent is tried), bodies handed back are bounded in bytes
 * (after decompression) and idle time, redirects are not followed, and numeric options are
 * checked (NaN, ±Infinity, fractions, negatives, timer overflow → InvalidArgumentError).
 */
import { describe, expect, it } from "vitest";
import { createGzip } from "node:zlib";
import {
  gonkaFetch,
  ResponseStalledError,
  ResponseTooLargeError,
  TransferAgentsUnavailableError,
  type GonkaFetchOptions,
} from "../../src/inference/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { keyVectors, requester } from "./fixtures.js";
import { chatBody, startTa } from "./local-ta.js";
import { startServer } from "./servers.js";

const post = { method: "POST", body: chatBody("hi") } as const;
const URL_ = "http://gonka.invalid/v1/chat/completions";

/** Answers `status` with a declared body, sends its first bytes, then never sends the rest. */
function stallingServer(status: number, first = '{"error":"signature is') {
  return startServer((_q, res) => {
    res.writeHead(status, { "content-type": "application/json", "content-length": "100000" });
    res.write(first);
  });
}

async function gzipBomb(decompressedBytes: number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on("data", (c: Buffer) => out.push(c));
  const done = new Promise((r) => gz.on("end", r));
  const chunk = Buffer.alloc(1 << 20, 0x20);
  for (let sent = 0; sent < decompressedBytes; sent += chunk.length) {
    if (!gz.write(chunk)) await new Promise((r) => gz.once("drain", r));
  }
  gz.end();
  await done;
  return Buffer.concat(out);
}

describe("the attempt deadline covers the body", () => {
  it.each([400, 403, 503])("a body that stalls after HTTP %i is cut at attemptTimeoutMs and the next agent answers", async (status) => {
    const stall = await stallingServer(status);
    const ok = await startTa();
    const f = gonkaFetch({
      privateKey: requester.privateKeyHex,
      endpoints: [{ url: stall.url, address: keyVectors[3]!.address }, ok.agent],
      strategy: "ordered",
      attemptTimeoutMs: 1500, // the stalled body is cut here; the next agent must answer within it too (slow CI)
    });
    const res = await f(URL_, post);
    expect(res.status).toBe(200);
    expect(stall.seen).toHaveLength(1);
    expect(ok.requests).toHaveLength(1);
  }, 15_000);

  it("when the only agent stalls, the error names the deadline", async () => {
    const stall = await stallingServer(503);
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [{ url: stall.url, address: keyVectors[3]!.address }], attemptTimeoutMs: 250 });
    const err = await f(URL_, post).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransferAgentsUnavailableError);
    const a = (err as TransferAgentsUnavailableError).attempts[0]!;
    expect(a.status).toBe(503);
    expect(a.reason).toMatch(/did not arrive within 250 ms/);
  }, 15_000);

  it("a 200 body handed back fails with ResponseStalledError when it stops arriving (bodyIdleTimeoutMs)", async () => {
    const srv = await startServer((_q, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"choices":[]}\n\n');
    });
    const f = gonkaFetch({ apiKey: "k", brokerUrl: srv.url, bodyIdleTimeoutMs: 200 });
    const res = await f(URL_, post);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: {"choices":[]}\n\n');
    await expect(reader.read()).rejects.toBeInstanceOf(ResponseStalledError);
  }, 15_000);

  it("a stream that keeps sending is not cut by the idle limit", async () => {
    const srv = await startServer(async (_q, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (let i = 0; i < 6; i++) {
        res.write(`data: ${i}\n\n`);
        await new Promise((r) => setTimeout(r, 400));
      }
      res.end("data: [DONE]\n\n");
    });
    const f = gonkaFetch({ apiKey: "k", brokerUrl: srv.url, attemptTimeoutMs: 1500 });
    const text = await (await f(URL_, post)).text();
    expect(text.split("\n\n").filter(Boolean)).toEqual(["data: 0", "data: 1", "data: 2", "data: 3", "data: 4", "data: 5", "data: [DONE]"]);
  }, 15_000);
});

describe("response bytes are bounded", () => {
  it("a body over maxResponseBytes fails with ResponseTooLargeError", async () => {
    const srv = await startServer((_q, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(Buffer.alloc(4 << 20, 0x61));
    });
    const f = gonkaFetch({ apiKey: "k", brokerUrl: srv.url, maxResponseBytes: 1 << 20 });
    const res = await f(URL_, post);
    const err = await res.text().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect((err as ResponseTooLargeError).limit).toBe(1 << 20);
  });

  it("a gzip bomb (256 MiB of spaces in a few hundred KiB) stops at the limit after decompression, without holding the whole body", async () => {
    const bomb = await gzipBomb(256 << 20);
    expect(bomb.length).toBeLessThan(1 << 20);
    const srv = await startServer((_q, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(bomb);
    });
    const f = gonkaFetch({ apiKey: "k", brokerUrl: srv.url, maxResponseBytes: 2 << 20 });
    const before = process.memoryUsage();
    const res = await f(URL_, post);
    expect(res.headers.get("content-encoding")).toBeNull(); // what the caller reads is already decoded
    const err = await res.arrayBuffer().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    const after = process.memoryUsage();
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 << 20);
  }, 30_000);

  it("an error body of 20 MB comes back cut to 64 KiB, and an error message quotes at most a short excerpt", async () => {
    const huge = JSON.stringify({ error: "x".repeat(20_000_000) });
    const srv = await startServer((_q, res) => {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(huge);
    });
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [{ url: srv.url, address: keyVectors[3]!.address }] });
    const res = await f(URL_, post);
    expect(res.status).toBe(503);
    expect((await res.text()).length).toBe(64 * 1024);

    const dead = await startServer((_q, res) => void res.destroy());
    const g = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [{ url: srv.url, address: keyVectors[3]!.address }, { url: dead.url, address: keyVectors[4]!.address }], strategy: "ordered" });
    const err = await g(URL_, post).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransferAgentsUnavailableError);
    expect((err as Error).message.length).toBeLessThan(2_000);
    expect((err as TransferAgentsUnavailableError).attempts[0]!.reason).toMatch(/more characters\)$/);
  });
});

describe("redirects are not followed in signed mode either", () => {
  it("a TA redirecting elsewhere counts as a failed attempt; the target never sees the signed request", async () => {
    const elsewhere = await startServer((_q, res) => void res.end("{}"));
    const redirecting = await startServer((_q, res) => {
      res.writeHead(308, { location: `${elsewhere.url}/v1/chat/completions` });
      res.end();
    });
    const ok = await startTa();
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [{ url: redirecting.url, address: keyVectors[3]!.address }, ok.agent], strategy: "ordered" });
    expect((await f(URL_, post)).status).toBe(200);
    expect(elsewhere.seen).toHaveLength(0);
  });
});

describe("numeric options are checked", () => {
  const endpoints = [{ url: "http://127.0.0.1:9", address: keyVectors[3]!.address }];
  const make = (extra: Partial<GonkaFetchOptions>) => () => gonkaFetch({ privateKey: requester.privateKeyHex, endpoints, ...extra } as GonkaFetchOptions);
  it.each([
    ["maxAttempts", NaN],
    ["maxAttempts", Infinity],
    ["maxAttempts", 0],
    ["maxAttempts", -1],
    ["maxAttempts", 1.5],
    ["attemptTimeoutMs", 2 ** 31],
    ["attemptTimeoutMs", 0],
    ["attemptTimeoutMs", NaN],
    ["bodyIdleTimeoutMs", -Infinity],
    ["maxResponseBytes", NaN],
    ["cooldownMs", -5],
    ["refreshMs", 2 ** 31],
    ["maxCandidates", NaN],
    ["maxClockOffsetMs", Infinity],
  ] as const)("%s: %s → InvalidArgumentError", (name, value) => {
    expect(make({ [name]: value } as Partial<GonkaFetchOptions>)).toThrow(InvalidArgumentError);
    expect(make({ [name]: value } as Partial<GonkaFetchOptions>)).toThrow(new RegExp(name));
  });
  it("accepts the largest timer and zero cool-down", () => {
    expect(make({ attemptTimeoutMs: 2 ** 31 - 1, cooldownMs: 0 })).not.toThrow();
  });
  it("maxAttempts: 1 makes exactly one attempt", async () => {
    const busy = await startTa({ capacityRejections: 5 });
    const other = await startTa();
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [busy.agent, other.agent], strategy: "ordered", maxAttempts: 1 });
    expect((await f(URL_, post)).status).toBe(429);
    expect(other.requests).toHaveLength(0);
  });
});
