import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryChainView, startDevnet, type Devnet, type MemoryChainView } from "../../src/devnet/index.js";
import { testDeveloper, type TestDeveloper } from "./helpers.js";

let devnet: Devnet;
let chain: MemoryChainView;
let dev: TestDeveloper;
let clock = BigInt(Date.now()) * 1_000_000n;
const nextTs = () => (clock += 1000n).toString();

beforeAll(async () => {
  chain = createMemoryChainView();
  devnet = await startDevnet({ chainView: chain, pricePerToken: 1n });
  dev = await testDeveloper("public-api-test");
});
afterAll(() => devnet.stop());

async function chat(body: string, opts: { ts?: string; ta?: string; sig?: string } = {}) {
  const ts = opts.ts ?? nextTs();
  const ta = opts.ta ?? devnet.participant.address;
  const sig = opts.sig ?? (await dev.sign(body, ts, ta));
  return fetch(`${devnet.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: sig, "x-requester-address": dev.address, "x-timestamp": ts, "x-transfer-address": ta },
    body,
  });
}

const body = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: "Qwen/Qwen2.5-7B-Instruct", messages: [{ role: "user", content: "Hello devnet" }], max_tokens: 8, ...extra });

describe("devnet public API", () => {
  it("registers a developer account through POST /v1/participants and reports its pubkey", async () => {
    const pubB64 = Buffer.from(dev.pubkey).toString("base64");
    const res = await fetch(`${devnet.url}/v1/participants`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ address: dev.address, pub_key: pubB64 }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    const info = await (await fetch(`${devnet.url}/v1/participants/${dev.address}`)).json();
    expect(info).toEqual({ pubkey: pubB64 }); // balance 0 is omitted (Go omitempty)
    const unknown = await fetch(`${devnet.url}/v1/participants/gonka1c73uxrxztjtcjptrj54ryyw7fw55htw73r3m2a`);
    expect(unknown.status).toBe(500);
  });

  it("lists the devnet participant as the active transfer agent of the current epoch", async () => {
    const res = await (await fetch(`${devnet.url}/v1/epochs/current/participants`)).json();
    const [p] = res.active_participants.participants;
    expect(p.index).toBe(devnet.participant.address);
    expect(p.inference_url).toBe(devnet.url);
    expect(p.models).toEqual(["Qwen/Qwen2.5-7B-Instruct"]);
    expect((await fetch(`${devnet.url}/v1/epochs/0/participants`)).status).toBe(400);
    const latest = await (await fetch(`${devnet.url}/v1/epochs/latest`)).json();
    expect(latest.latest_epoch).toEqual({ index: 1, poc_start_block_height: 1 });
    expect((await fetch(`${devnet.url}/v1/epochs/7`)).status).toBe(400);
  });

  it("refuses a signed request when the balance cannot cover the escrow (402), then answers once funded", async () => {
    const poor = await chat(body());
    expect(poor.status).toBe(402);
    expect(await poor.json()).toEqual({ error: "Insufficient balance" });
    chain.accounts.get(dev.address)!.balance = 10n ** 9n;
    const res = await chat(body());
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json.choices[0].message.content).toMatch(/^Echo: Hello devnet/);
    expect(json.choices[0].logprobs.content.length).toBe(json.usage.completion_tokens);
    expect(typeof json.id).toBe("string");
    const record = await (await fetch(`${devnet.url}/v1/chat/completions/${encodeURIComponent(json.id)}`)).json();
    expect(record.requested_by).toBe(dev.address);
    expect(record.status).toBe(1);
  });

  it("answers deterministically: the same request gets the same content", async () => {
    const a = await (await chat(body({ seed: 1 }))).json();
    const b = await (await chat(body({ seed: 1 }))).json();
    expect(a.id).not.toBe(b.id);
    expect(a.choices[0].message.content).toBe(b.choices[0].message.content);
  });

  it("rejects bad signatures, replays and stale timestamps with the network's statuses", async () => {
    const b = body();
    const ts = nextTs();
    const sig = await dev.sign(b, ts, devnet.participant.address);
    expect((await chat(b, { ts, sig })).status).toBe(200);
    const replay = await chat(b, { ts, sig });
    expect(replay.status).toBe(400);
    expect((await replay.json()).error).toMatch(/already been used/);
    const wrongTa = await chat(b, { ts: nextTs(), sig: await dev.sign(b, ts, devnet.participant.address) });
    expect(wrongTa.status).toBe(401);
    const old = (BigInt(Date.now()) * 1_000_000n - 120n * 10n ** 9n).toString();
    const stale = await chat(b, { ts: old });
    expect(stale.status).toBe(400);
    expect((await stale.json()).error).toBe("Request timestamp is too old");
    const noAuth = await fetch(`${devnet.url}/v1/chat/completions`, { method: "POST", body: b });
    expect(noAuth.status).toBe(401);
  });

  it("streams a completion as server-sent events ending with usage and [DONE]", async () => {
    const res = await chat(body({ stream: true }));
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const text = await res.text();
    const events = text.split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    const usage = JSON.parse(events.at(-2)!.slice(6));
    expect(usage.usage.completion_tokens).toBeGreaterThan(0);
  });

  it("lists governance models and prices in ngonka per token", async () => {
    const pricing = await (await fetch(`${devnet.url}/v1/pricing`)).json();
    expect(pricing.models[0]).toEqual({ id: "Qwen/Qwen2.5-7B-Instruct", units_of_compute_per_token: 100, price_per_token: 100 });
    const models = await (await fetch(`${devnet.url}/api/v1/governance/models`)).json();
    expect(models.models[0].id).toBe("Qwen/Qwen2.5-7B-Instruct");
  });
});
