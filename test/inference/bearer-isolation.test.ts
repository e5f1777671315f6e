/**
 * Bearer/broker mode: the API key goes only to the broker (or devshard gateway) URLs it was given
 * for. Discovered participants never see it — discovery is refused in this mode — and a broker's
 * redirect to another host is not followed.
 */
import { describe, expect, it } from "vitest";
import { inspect } from "node:util";
import {
  gonkaFetch,
  gonkaFetchOptionsFromEnv,
  TransferAgentsUnavailableError,
} from "../../src/inference/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { keyVectors, requester } from "./fixtures.js";
import { chatBody, deadUrl, startTa } from "./local-ta.js";
import { json, startServer, type TestServer } from "./servers.js";

const KEY = "sk-broker-7f3a9c1e5b2d4f6a8c0e";

function everything(servers: TestServer[]): string {
  return servers.flatMap((s) => s.seen.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.headers)} ${r.body.toString("latin1")}`)).join("\n");
}

/** A source node listing three participants, each a recording server. */
async function networkOfThree() {
  const participants = await Promise.all([0, 1, 2].map(() => startServer((_q, res) => json(res, 200, { id: "x", choices: [] }))));
  const source = await startTa({ participants: participants.map((p, i) => ({ url: p.url, address: keyVectors[i + 1]!.address })) });
  return { participants, source };
}

describe("a Bearer key goes only to its broker", () => {
  it("discovery with a Bearer key is refused before any request is made", async () => {
    const { participants, source } = await networkOfThree();
    let err: unknown;
    try {
      gonkaFetch({ apiKey: KEY, sourceUrl: source.url } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toMatch(/brokerUrl/);
    expect(inspect(err)).not.toContain(KEY);
    expect(source.requests).toHaveLength(0);
    expect(participants.every((p) => p.seen.length === 0)).toBe(true);
    expect(() => gonkaFetch({ apiKey: KEY } as never)).toThrow(/brokerUrl/);
  });

  it("requests go to the broker whatever URL the caller names; participants see nothing", async () => {
    const { participants } = await networkOfThree();
    const broker = await startServer((_q, res) => json(res, 200, { id: "broker-1", choices: [] }));
    const f = gonkaFetch({ apiKey: KEY, brokerUrl: `${broker.url}/v1` });
    for (const p of participants) {
      const res = await f(`${p.url}/v1/chat/completions`, { method: "POST", headers: { authorization: "Bearer unused" }, body: chatBody("hi") });
      expect(res.status).toBe(200);
    }
    expect(broker.seen.map((s) => [s.path, s.headers["authorization"]])).toEqual(Array(3).fill(["/v1/chat/completions", `Bearer ${KEY}`]));
    expect(everything(participants)).toBe("");
    expect(broker.seen[0]!.headers["x-requester-address"]).toBeUndefined();
    expect(f.address).toBeUndefined();
    expect((await f.transferAgents()).map((a) => a.url)).toEqual([broker.url]);
  });

  it("a broker's redirect to another host is not followed (the key does not travel), and the next broker URL is tried", async () => {
    const { participants } = await networkOfThree();
    const redirecting = await startServer((_q, res) => {
      res.writeHead(307, { location: `${participants[0]!.url}/v1/chat/completions` });
      res.end();
    });
    const second = await startServer((_q, res) => json(res, 200, { id: "second", choices: [] }));
    const f = gonkaFetch({ apiKey: KEY, brokerUrl: [redirecting.url, second.url], strategy: "ordered" });
    const res = await f("http://x/v1/chat/completions", { method: "POST", body: chatBody("hi") });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe("second");
    expect(everything(participants)).toBe("");

    const only = gonkaFetch({ apiKey: KEY, brokerUrl: redirecting.url });
    const err = await only("http://x/v1/chat/completions", { method: "POST", body: chatBody("hi") }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransferAgentsUnavailableError);
    expect((err as TransferAgentsUnavailableError).attempts[0]!.reason).toMatch(/redirect/);
    expect(everything(participants)).toBe("");
  });

  it("no error, attempt record or onAttempt info carries the key", async () => {
    const seen: string[] = [];
    const f = gonkaFetch({ apiKey: KEY, brokerUrl: [await deadUrl(), await deadUrl()], onAttempt: (a) => seen.push(inspect(a, { depth: 5 })) });
    const err = await f("http://x/v1/chat/completions", { method: "POST", body: chatBody("hi") }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransferAgentsUnavailableError);
    const text = [inspect(err, { depth: 10, showHidden: true }), (err as Error).stack, ...seen].join("\n");
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KEY.slice(0, 12));
  });

  it("the environment: GONKA_API_KEY with only GONKA_SOURCE_URL is refused without echoing the key", () => {
    let err: Error | undefined;
    try {
      gonkaFetchOptionsFromEnv({ GONKA_API_KEY: KEY, GONKA_SOURCE_URL: "http://node:8000" });
    } catch (e) {
      err = e as Error;
    }
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err!.message).not.toContain(KEY);
    expect(gonkaFetchOptionsFromEnv({ GONKA_API_KEY: KEY, GONKA_BROKER_URL: "https://gw.example" })).toEqual({ apiKey: KEY, brokerUrl: "https://gw.example" });
  });

  it("signed mode never forwards the caller's own Authorization (openai's apiKey) to a transfer agent", async () => {
    const { participants, source } = await networkOfThree();
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, sourceUrl: source.url, allowedTransferAddresses: [keyVectors[1]!.address], syncClock: false });
    await f("http://x/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: chatBody("hi") });
    expect(participants[0]!.seen.map((s) => s.path)).toEqual(["/v1/chat/completions"]); // the allow-listed one got the request…
    expect(participants[0]!.seen[0]!.headers["authorization"]).toMatch(/^[A-Za-z0-9+/]{86}==$/); // …signed, not with the caller's key
    expect(everything(participants) + JSON.stringify(source.requests)).not.toContain(KEY);
  });

  it("a broker URL with a user name or password is refused, and the error does not repeat it", () => {
    let err: Error | undefined;
    try {
      gonkaFetch({ apiKey: KEY, brokerUrl: "https://user:hunter2secret@broker.example" });
    } catch (e) {
      err = e as Error;
    }
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err!.message).not.toContain("hunter2secret");
    expect(() => gonkaFetch({ apiKey: "two\nlines", brokerUrl: "https://b.example" })).toThrow(/one line/);
  });
});
