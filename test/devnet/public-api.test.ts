/**
 * The devnet's public API answers like a v0.2.13 network node (rest-upgrades.md §0–§2,
 * inference-flow.md §2), so every break of the August-2025 client shows here: the inference lookup
 * moved to `?id=`, the models list is an OpenAI list, accounts are `{pubkey, balance, denom}` with
 * 404/400, registration takes `{address, pub_key}` only, the TA's freshness texts are "signature is
 * too old / in the future", raw-body signatures are refused, and the proxy's CORS headers do not
 * allow the signing headers.
 */
import { Secp256k1, Sha256 } from "@cosmjs/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryChainView, startDevnet, type Devnet, type MemoryChainView } from "../../src/devnet/index.js";
import { createTimestampClock, gonkaFetch, wallClockNs } from "../../src/inference/index.js";
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

/** A signature over the pre-v0.2.6 payload `body ‖ ts ‖ TA` (cosmjs, independent of src/). */
async function rawBodySignature(b: string, ts: string, ta: string): Promise<string> {
  const kp = await Secp256k1.makeKeypair(new Sha256(new TextEncoder().encode("public-api-test")).digest());
  const sig = await Secp256k1.createSignature(new Sha256(new TextEncoder().encode(b + ts + ta)).digest(), kp.privkey);
  const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  let sv = BigInt(`0x${Buffer.from(sig.s(32)).toString("hex")}`);
  if (sv > n / 2n) sv = n - sv;
  return Buffer.concat([Buffer.from(sig.r(32)), Buffer.from(sv.toString(16).padStart(64, "0"), "hex")]).toString("base64");
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
    expect(info).toEqual({ pubkey: pubB64, balance: 0, denom: "ngonka" }); // a DTO since v0.2.12: balance present at 0
    expect(await (await fetch(`${devnet.url}/v2/accounts/${dev.address}`)).json()).toEqual(info);
  });

  it("takes only {address, pub_key} for registration: anything else is 400 'Address and PubKey are required'", async () => {
    for (const bad of [{ url: "http://me:8000", validator_key: "m2lY" }, { address: dev.address }, { pub_key: "A1sE" }]) {
      const res = await fetch(`${devnet.url}/v1/participants`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(bad) });
      expect([res.status, await res.json()]).toEqual([400, { error: "Address and PubKey are required" }]);
    }
  });

  it("maps account lookups to 404/400 instead of 500 (account not found, no public key, invalid address)", async () => {
    const get = async (path: string) => {
      const res = await fetch(`${devnet.url}${path}`);
      return [res.status, await res.json()];
    };
    expect(await get("/v1/participants/gonka1c73uxrxztjtcjptrj54ryyw7fw55htw73r3m2a")).toEqual([404, { error: "account not found" }]);
    const funded = (await testDeveloper("public-api-funded-no-key")).address;
    chain.accounts.set(funded, { balance: 5n });
    expect(await get(`/v1/participants/${funded}`)).toEqual([404, { error: "account has no public key" }]);
    expect(await get("/v2/accounts/not-an-address")).toEqual([400, { error: "invalid address" }]);
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
    const record = await (await fetch(`${devnet.url}/v1/chat/completions?id=${encodeURIComponent(json.id)}`)).json();
    expect(record.requested_by).toBe(dev.address);
    expect(record.status).toBe(1);
    expect(record.original_prompt_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(record).not.toHaveProperty("prompt_payload"); // payloads are off chain since v0.2.6
  });

  it("looks inferences up with ?id= only: the old /v1/chat/completions/:id answers 404", async () => {
    const json = await (await chat(body({ seed: 7 }))).json();
    const old = await fetch(`${devnet.url}/v1/chat/completions/${encodeURIComponent(json.id)}`);
    expect(old.status).toBe(404);
    const viaQuery = await fetch(`${devnet.url}/api/v1/chat/completions?id=${encodeURIComponent(json.id)}`);
    expect(viaQuery.status).toBe(200);
    expect((await viaQuery.json()).inference_id).toBe(json.id);
    expect(await (await fetch(`${devnet.url}/v1/chat/completions?id=nope`)).json()).toEqual({ error: "Inference not found" });
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
    expect((await stale.json()).error).toBe("signature is too old"); // v0.2.4+ (was "Request timestamp is too old")
    const ahead = (BigInt(Date.now()) * 1_000_000n + 120n * 10n ** 9n).toString();
    const future = await chat(b, { ts: ahead });
    expect([future.status, (await future.json()).error]).toEqual([400, "signature is in the future"]);
    const noAuth = await fetch(`${devnet.url}/v1/chat/completions`, { method: "POST", body: b });
    expect(noAuth.status).toBe(401);
  });

  it("refuses the raw-body signature scheme of releases before v0.2.6 with 401", async () => {
    const b = body({ seed: 11 });
    const ts = nextTs();
    const res = await chat(b, { ts, sig: await rawBodySignature(b, ts, devnet.participant.address) });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatch(/^Unable to validate request against PubKey:/);
  });

  it("applies the TA's checks in the node's order with its texts", async () => {
    const post = (b: string) => fetch(`${devnet.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: b });
    expect(await (await post("{oops")).json()).toMatchObject({ error: expect.stringMatching(/^invalid chat completion request: /) });
    expect(await (await post(JSON.stringify({ model: "m", messages: [] }))).json()).toEqual({ error: "messages is required" });
    expect((await post(body())).status).toBe(401); // no Authorization
    const noModel = JSON.stringify({ messages: [{ role: "user", content: "hi" }] });
    expect(await (await chat(noModel)).json()).toEqual({ error: "No model specified" });
    const unknownModel = await chat(body({ model: "nobody/serves-this" }));
    expect([unknownModel.status, await unknownModel.json()]).toEqual([404, { error: "model not found" }]);
    const typedParts = await chat(JSON.stringify({ model: "Qwen/Qwen2.5-7B-Instruct", messages: [{ role: "user", content: [{ type: "text", text: "Hello parts" }] }], max_tokens: 4 }));
    expect(typedParts.status).toBe(200); // arrays of typed parts are accepted since v0.2.x (were a 500)
  });

  it("serves the models list as an OpenAI list and the legacy governance list under 'model'", async () => {
    const list = await (await fetch(`${devnet.url}/v1/models`)).json();
    expect(list.object).toBe("list");
    expect(list.data[0]).toMatchObject({ object: "model", id: "Qwen/Qwen2.5-7B-Instruct", hugging_face_id: "Qwen/Qwen2.5-7B-Instruct", input_modalities: ["text"] });
    expect(list).not.toHaveProperty("models");
    expect((await (await fetch(`${devnet.url}/v1/governance/models-legacy`)).json()).model[0].id).toBe("Qwen/Qwen2.5-7B-Instruct");
  });

  it("sends the stock proxy's CORS headers, which do not allow the signing headers", async () => {
    const preflight = await fetch(`${devnet.url}/v1/chat/completions`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type,x-requester-address,x-timestamp,x-transfer-address" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    const allowed = preflight.headers.get("access-control-allow-headers")!.split(",").map((h) => h.trim().toLowerCase());
    expect(allowed).toEqual(["dnt", "user-agent", "x-requested-with", "if-modified-since", "cache-control", "content-type", "range", "authorization"]);
    for (const h of ["x-requester-address", "x-timestamp", "x-transfer-address"]) expect(allowed).not.toContain(h);
    const plain = await fetch(`${devnet.url}/v1/status`);
    expect(plain.headers.get("access-control-allow-origin")).toBe("*");
    expect(plain.headers.get("access-control-expose-headers")).toBe("Content-Length, Content-Range");
  });

  it("answers the stats routes 503 like a node without a stats store, and PoC proofs 503 without an artifact store", async () => {
    const stats = await fetch(`${devnet.url}/v1/stats/summary/epochs?epochs_n=3`);
    expect([stats.status, await stats.json()]).toEqual([503, { error: "stats storage is not configured" }]);
    expect((await fetch(`${devnet.url}/v1/poc/artifacts/state?height=1&model_id=m`)).status).toBe(503);
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

  it("signs /v1/identity with the participant's key over the Go-encoded data", async () => {
    const id = await (await fetch(`${devnet.url}/v1/identity`)).json();
    expect(Object.keys(id.data)).toEqual(["address", "block", "timestamp"]);
    expect(id.data.address).toBe(devnet.participant.address);
    expect(id.data.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(id).not.toHaveProperty("delegate_ta");
    expect(Buffer.from(id.signature, "base64")).toHaveLength(64);
  });

  it("lists governance models and prices in ngonka per token", async () => {
    const pricing = await (await fetch(`${devnet.url}/v1/pricing`)).json();
    expect(pricing.models[0]).toEqual({ id: "Qwen/Qwen2.5-7B-Instruct", units_of_compute_per_token: 100, price_per_token: 100 });
    const models = await (await fetch(`${devnet.url}/api/v1/governance/models`)).json();
    expect(models.models[0].id).toBe("Qwen/Qwen2.5-7B-Instruct");
  });
});

describe("devnet with the stock proxy's rate limits turned on", () => {
  let limited: Devnet;
  beforeAll(async () => {
    limited = await startDevnet({ chainView: createMemoryChainView(), proxy: { rateLimit: { apiBurst: 3, apiPerMinute: 10 }, blockedRoutes: ["poc-batches"] } });
  });
  afterAll(() => limited.stop());

  it("answers nginx's 503 page once a client exceeds the /v1 zone, without Retry-After, but not on exempt inference routes", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${limited.url}/v1/status`);
      statuses.push(res.status);
      if (res.status === 503) {
        expect(res.headers.get("retry-after")).toBeNull();
        expect(await res.text()).toContain("<center>nginx</center>");
      } else await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 503, 503]);
    // /api/v1/… shares the zone; chat routes are exempt.
    expect((await fetch(`${limited.url}/api/v1/models`)).status).toBe(503);
    expect((await fetch(`${limited.url}/v1/chat/completions`, { method: "POST", body: "{}" })).status).toBe(400);
  });

  it("blocks poc-batches routes with 403 Access Denied", async () => {
    const res = await fetch(`${limited.url}/v1/poc-batches/1`);
    expect([res.status, await res.json()]).toEqual([403, { error: "Access Denied", message: "This route is currently blocked." }]);
  });
});

describe("gonkaFetch against the devnet's transfer agent texts", () => {
  let net: Devnet;
  beforeAll(async () => {
    net = await startDevnet();
  });
  afterAll(() => net.stop());

  it("re-syncs its clock when the TA answers 'signature is too old', then succeeds on the same TA", async () => {
    const developer = await testDeveloper("public-api-resync");
    net.fund(developer.address, 10n ** 12n);
    const register = await fetch(`${net.url}/v1/participants`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ address: developer.address, pub_key: Buffer.from(developer.pubkey).toString("base64") }),
    });
    expect(register.status).toBe(200);
    const clock = createTimestampClock();
    clock.correct(wallClockNs() - 120n * 1_000_000_000n); // our clock runs two minutes behind the chain
    const seen: number[] = [];
    const privateKey = Buffer.from(new Sha256(new TextEncoder().encode("public-api-resync")).digest()).toString("hex");
    const f = gonkaFetch({
      privateKey,
      endpoints: [{ url: net.url, address: net.participant.address }],
      clock,
      onAttempt: (a) => void (a.status !== undefined && seen.push(a.status)),
    });
    const res = await f(`${net.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: body({ seed: 3 }) });
    expect(res.status).toBe(200);
    expect(seen).toEqual([400, 200]);
  });
});
