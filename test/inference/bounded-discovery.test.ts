/**
 * Discovery driven by the chain's transfer-agent allow-list, and bounded: at most maxCandidates
 * agents (heaviest first), at most maxAttempts attempts per request, byte and time limits on
 * every read, hostile participant entries dropped, error messages quoting short excerpts.
 */
import { describe, expect, it } from "vitest";
import { createGzip } from "node:zlib";
import {
  discoverTransferAgents,
  fetchAllowedTransferAddresses,
  fetchTransferAgentIdentity,
  gonkaFetch,
  InferenceApiError,
  INFERENCE_PARAMS_PATH,
  ResponseTooLargeError,
  signerFromPrivateKey,
  TransferAgentsUnavailableError,
} from "../../src/inference/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { keyVectors, requester } from "./fixtures.js";
import { chatBody, deadUrl, startTa } from "./local-ta.js";
import { json, startServer } from "./servers.js";

const addr = (i: number) => keyVectors[i % keyVectors.length]!.address;
/** Distinct valid bech32 addresses (derived keys), for long participant lists. */
const manyAddresses = (n: number) => Array.from({ length: n }, (_, i) => signerFromPrivateKey((BigInt(i) + 1n).toString(16).padStart(64, "0")).address);

/** A node serving a participant list and (optionally) chain params with an allow-list. */
async function node(participants: unknown[], allow?: string[] | "fail") {
  return startServer((_q, res, seen) => {
    if (seen.path === "/v1/epochs/current/participants") return json(res, 200, { active_participants: { participants, epoch_id: 9 } });
    if (seen.path === INFERENCE_PARAMS_PATH) {
      if (allow === "fail") return json(res, 500, { error: "unable to fetch chain params" });
      return json(res, 200, { params: { transfer_agent_access_params: { allowed_transfer_addresses: allow ?? [] } } });
    }
    json(res, 404, { error: "Not Found" });
  });
}

describe("the TA allow-list drives discovery", () => {
  it("only allow-listed participants are candidates, each at its inference_url", async () => {
    const list = [1, 2, 3, 4, 5].map((i) => ({ index: addr(i), inference_url: `http://10.0.0.${i}:8000`, weight: 10 * i, models: ["m"] }));
    const src = await node(list, [addr(2), addr(4)]);
    const found = await discoverTransferAgents({ sourceUrl: src.url });
    expect(found.allowListSource).toBe("chain");
    expect(found.allowList).toEqual([addr(2), addr(4)]);
    expect(found.agents).toEqual([
      { url: "http://10.0.0.4:8000", address: addr(4), models: ["m"] },
      { url: "http://10.0.0.2:8000", address: addr(2), models: ["m"] },
    ]);
    expect([found.participants, found.eligible]).toEqual([5, 2]);
  });

  it("an empty chain list means every participant may act as TA; a given list overrides the chain", async () => {
    const list = [1, 2, 3].map((i) => ({ index: addr(i), inference_url: `http://10.0.0.${i}:8000`, weight: i }));
    const open = await node(list, []);
    const found = await discoverTransferAgents({ sourceUrl: open.url });
    expect([found.allowList, found.agents.length]).toEqual([null, 3]);
    expect(await fetchAllowedTransferAddresses(open.url)).toBeNull();
    const given = await discoverTransferAgents({ sourceUrl: open.url, allowedTransferAddresses: [addr(1)] });
    expect([given.allowListSource, given.agents.map((a) => a.address)]).toEqual(["given", [addr(1)]]);
  });

  it("a chain list whose entries are all malformed still restricts: no candidate", async () => {
    const list = [{ index: addr(1), inference_url: "http://10.0.0.1:8000" }];
    const found = await discoverTransferAgents({ sourceUrl: (await node(list, ["not-an-address"])).url });
    expect([found.allowList, found.agents]).toEqual([[], []]);
  });

  it("when the params cannot be read, nothing is filtered and the result says so", async () => {
    const list = [{ index: addr(1), inference_url: "http://10.0.0.1:8000" }];
    const found = await discoverTransferAgents({ sourceUrl: (await node(list, "fail")).url });
    expect(found.allowListSource).toBe("unavailable");
    expect(found.agents).toHaveLength(1);
  });

  it("gonkaFetch with sourceUrl sends only to allow-listed agents; an off-list TA is never tried", async () => {
    const allowed = await startTa({ address: addr(2) });
    const offList = await startTa({ address: addr(3) });
    const src = await startTa({
      address: addr(4),
      participants: [offList.agent, allowed.agent],
      allowedTransferAddresses: [addr(2)],
    });
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, sourceUrl: src.url });
    expect((await f.transferAgents()).map((a) => a.url)).toEqual([allowed.url]);
    expect((await f("http://x/v1/chat/completions", { method: "POST", body: chatBody("hi") })).status).toBe(200);
    expect(allowed.requests.filter((r) => r.path === "/v1/chat/completions")).toHaveLength(1);
    expect(offList.requests).toHaveLength(0);
    expect(src.requests.filter((r) => r.path === "/v1/chat/completions")).toHaveLength(0);
  });

  it("a TA that is not on the list answers 403 'Transfer Agent not allowed' and gonkaFetch moves on", async () => {
    const gated = await startTa({ allowedTransferAddresses: [addr(2)] });
    const ok = await startTa();
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [gated.agent, ok.agent], strategy: "ordered" });
    expect((await f("http://x/v1/chat/completions", { method: "POST", body: chatBody("hi") })).status).toBe(200);
    expect(gated.requests.map((r) => r.status)).toEqual([403]);
  });
});

describe("discovery is bounded", () => {
  it("2000 dead participants: 16 candidates, 5 attempts, a short error", async () => {
    const dead = await deadUrl();
    const addresses = manyAddresses(2000);
    const list = addresses.map((a, i) => ({ index: a, inference_url: `${dead}/p${i}`, weight: i % 7 }));
    const src = await node(list, []);
    const found = await discoverTransferAgents({ sourceUrl: src.url });
    expect([found.participants, found.eligible, found.agents.length]).toEqual([2000, 2000, 16]);
    expect(found.agents.every((a, i, all) => i === 0 || Number(list.find((p) => p.index === all[i - 1]!.address)!.weight) >= Number(list.find((p) => p.index === a.address)!.weight))).toBe(true);

    const f = gonkaFetch({ privateKey: requester.privateKeyHex, sourceUrl: src.url, syncClock: false });
    const err = await f("http://x/v1/chat/completions", { method: "POST", body: chatBody("hi") }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransferAgentsUnavailableError);
    expect((err as TransferAgentsUnavailableError).attempts).toHaveLength(5);
    expect((err as Error).message.length).toBeLessThan(2_000);

    const g = gonkaFetch({ privateKey: requester.privateKeyHex, sourceUrl: src.url, syncClock: false, maxCandidates: 40, maxAttempts: 30 });
    const err2 = await g("http://x/v1/chat/completions", { method: "POST", body: chatBody("hi") }).catch((e: unknown) => e);
    expect((err2 as TransferAgentsUnavailableError).attempts).toHaveLength(30);
    expect((err2 as Error).message).toMatch(/and 20 more attempts/);
  }, 30_000);

  it("hostile entries are dropped: non-HTTP schemes, credentials in URLs, bad addresses, duplicate URLs", async () => {
    const list = [
      { index: addr(1), inference_url: "javascript:alert(1)" },
      { index: addr(2), inference_url: "file:///etc/passwd" },
      { index: addr(3), inference_url: "http://user:pw@10.0.0.3:8000" },
      { index: "not-an-address", inference_url: "http://10.0.0.4:8000" },
      { index: addr(5), inference_url: "http://10.0.0.5:8000/" },
      { index: addr(6), inference_url: "http://10.0.0.5:8000/v1" }, // same URL again
      { index: addr(7), inference_url: 42 },
      null,
    ];
    const found = await discoverTransferAgents({ sourceUrl: (await node(list)).url });
    expect(found.agents).toEqual([{ url: "http://10.0.0.5:8000", address: addr(5) }]);
  });

  it("a participant list over the byte limit, or a compressed bomb, stops at the limit", async () => {
    const list = manyAddresses(50).map((a, i) => ({ index: a, inference_url: `http://10.0.0.1:${8000 + i}`, pad: "x".repeat(4000) }));
    const src = await node(list);
    await expect(discoverTransferAgents({ sourceUrl: src.url, maxBytes: 64 * 1024 })).rejects.toBeInstanceOf(ResponseTooLargeError);

    const gz = createGzip();
    const parts: Buffer[] = [];
    gz.on("data", (c: Buffer) => parts.push(c));
    const ended = new Promise((r) => gz.on("end", r));
    gz.write('{"active_participants":{"participants":[], "pad":"');
    const chunk = Buffer.alloc(1 << 20, 0x61);
    for (let i = 0; i < 128; i++) if (!gz.write(chunk)) await new Promise((r) => gz.once("drain", r));
    gz.end('"}}');
    await ended;
    const bomb = Buffer.concat(parts);
    const bombing = await startServer((_q, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(bomb);
    });
    await expect(discoverTransferAgents({ sourceUrl: bombing.url })).rejects.toBeInstanceOf(ResponseTooLargeError);
  }, 30_000);

  it("an error page of a megabyte is quoted as a short excerpt", async () => {
    const srv = await startServer((_q, res) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end("E".repeat(1 << 20));
    });
    const err = await discoverTransferAgents({ sourceUrl: srv.url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InferenceApiError);
    expect((err as Error).message.length).toBeLessThan(600);
    expect((err as Error).message).toMatch(/more characters/);
  });

  it("bad options are typed errors that do not repeat the value", async () => {
    await expect(discoverTransferAgents({ sourceUrl: "http://127.0.0.1:9", maxCandidates: NaN })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(discoverTransferAgents({ sourceUrl: "http://127.0.0.1:9", maxCandidates: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(discoverTransferAgents({ sourceUrl: "http://127.0.0.1:9", allowedTransferAddresses: ["x"] })).rejects.toThrow(/allowedTransferAddresses\[0\]/);
    const secret = requester.privateKeyHex;
    const err = (await discoverTransferAgents({ sourceUrl: secret }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err.message).not.toContain(secret.slice(0, 16));
    expect(() => gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: `${secret};${addr(1)}` })).toThrow(InvalidArgumentError);
    let e2: Error | undefined;
    try {
      gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: secret });
    } catch (e) {
      e2 = e as Error;
    }
    expect(e2?.message).not.toContain(secret.slice(0, 16));
  });
});

describe("a gateway's transfer agent from /v1/identity", () => {
  it("reads data.address and refuses an answer without one", async () => {
    const good = await startServer((_q, res) => json(res, 200, { data: { address: addr(2), block: 5, timestamp: "2026-06-19T00:00:00Z" }, signature: "c2ln" }));
    expect(await fetchTransferAgentIdentity(`${good.url}/v1`)).toEqual({ url: good.url, address: addr(2) });
    const bad = await startServer((_q, res) => json(res, 200, { data: { address: "evil" } }));
    await expect(fetchTransferAgentIdentity(bad.url)).rejects.toBeInstanceOf(InferenceApiError);
  });
});
