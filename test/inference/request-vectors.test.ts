/**
 * gonkaFetch against the network's own vectors (test/fixtures/inference-upgrades.json, computed
 * by the node's Go code): the headers and bytes of every `requestSignatures` entry, the devshard
 * request signatures on both routes, the removed raw-body scheme, and the freshness texts.
 */
import { describe, expect, it } from "vitest";
import { createHash, createPublicKey, verify } from "node:crypto";
import upgrades from "../fixtures/inference-upgrades.json";
import {
  detectSignatureScheme,
  gonkaFetch,
  inferenceSignaturePayload,
  LegacySignatureSchemeError,
  signerFromPrivateKey,
  signInferenceRequest,
  TIMESTAMP_REJECTED,
  type TimestampClock,
} from "../../src/inference/index.js";
import { createLocalTransferAgent } from "../../src/inference/node/index.js";
import { startServer } from "./servers.js";

interface RequestVector {
  description: string;
  path: string;
  private_key_hex: string;
  requester_address: string;
  body_utf8: string;
  timestamp_ns: string;
  transfer_address: string;
  headers: Record<string, string>;
}
interface DevshardVector {
  private_key_hex: string;
  sender_address: string;
  escrow_id: string;
  body_utf8: string;
  timestamp_s: number;
  message_sha256_hex: string;
  headers: Record<string, string>;
}
interface LegacyVector {
  body_utf8: string;
  timestamp_ns: string;
  transfer_address: string;
  private_key_hex: string;
  authorization: string;
}
const requestVectors = upgrades.requestSignatures as RequestVector[];
const devshardVectors = upgrades.devshardRequestSignatures as DevshardVector[];
const legacyVectors = upgrades.legacyRawBodySignatures as LegacyVector[];
const windows = upgrades.timestampWindow as { accepted: boolean; error: string }[];
const developer = (upgrades.keys as { developers: { private_key_hex: string; pubkey_b64: string; address: string }[] }).developers[0]!;

/** A clock that always answers one time (the vectors' timestamps). */
function fixedClock(ns: bigint): TimestampClock {
  return { next: () => ns, correct: () => false, offsetNs: 0n, offsetFor: () => 0n };
}

const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
const ok = (_req: unknown, res: import("node:http").ServerResponse) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end("{}");
};

describe("gonkaFetch reproduces the network's request signatures", () => {
  it.each(requestVectors.map((v) => [v.description, v] as const))("%s: the exact body and headers of the vector", async (_d, v) => {
    const ta = await startServer(ok);
    const f = gonkaFetch({
      privateKey: v.private_key_hex,
      endpoints: [{ url: ta.url, address: v.transfer_address }],
      clock: fixedClock(BigInt(v.timestamp_ns)),
      syncClock: false,
    });
    // the caller's own Authorization (openai's apiKey) is replaced, never forwarded
    const res = await f(`http://gonka.invalid${v.path}`, { method: "POST", headers: { authorization: "Bearer sk-openai-placeholder" }, body: v.body_utf8 });
    expect(res.status).toBe(200);
    const seen = ta.seen[0]!;
    expect(seen.path).toBe(v.path);
    expect(seen.body.toString("utf8")).toBe(v.body_utf8);
    const sent = seen.headers;
    for (const [name, value] of Object.entries(lower(v.headers))) expect([name, sent[name]]).toEqual([name, value]);
    expect(f.address).toBe(v.requester_address);
  });
});

describe("the removed raw-body scheme is refused", () => {
  it.each(legacyVectors.map((v, i) => [i, v] as const))("legacy vector %i: recognised as raw-body, and signing it that way throws LegacySignatureSchemeError", (_i, v) => {
    expect(
      detectSignatureScheme({ authorization: v.authorization, body: v.body_utf8, timestampNs: v.timestamp_ns, transferAddress: v.transfer_address, publicKeys: [developer.pubkey_b64] }),
    ).toBe("raw-body");
    const args = { privateKey: v.private_key_hex, body: v.body_utf8, timestampNs: v.timestamp_ns, transferAddress: v.transfer_address };
    expect(() => signInferenceRequest({ ...args, scheme: "raw-body" })).toThrow(LegacySignatureSchemeError);
    expect(() => inferenceSignaturePayload({ ...args, scheme: "raw-body" })).toThrow(LegacySignatureSchemeError);
    // the current scheme gives a different signature, which the node accepts
    expect(signInferenceRequest(args)).not.toBe(v.authorization);
  });

  it("gonkaFetch and the local transfer agent refuse scheme: raw-body", async () => {
    const endpoints = [{ url: "http://127.0.0.1:9", address: developer.address }];
    expect(() => gonkaFetch({ privateKey: developer.private_key_hex, endpoints, scheme: "raw-body" })).toThrow(LegacySignatureSchemeError);
    const err = (() => {
      try {
        gonkaFetch({ privateKey: developer.private_key_hex, endpoints, scheme: "raw-body" });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toMatch(/removed raw-body scheme/);
    expect(err?.message).toMatch(/hashed-body/);
    await expect(createLocalTransferAgent({ scheme: "raw-body" })).rejects.toThrow(LegacySignatureSchemeError);
    expect(() => gonkaFetch({ privateKey: developer.private_key_hex, endpoints, scheme: "sha3" as never })).toThrow(/hashed-body/);
  });
});

describe("freshness texts", () => {
  it("the resync trigger matches every rejection text of the timestampWindow vectors and the executor's text, nothing else", () => {
    const rejected = windows.filter((w) => !w.accepted).map((w) => w.error);
    expect(new Set(rejected)).toEqual(new Set(["signature is too old", "signature is in the future"]));
    for (const t of rejected) expect(TIMESTAMP_REJECTED.test(`{"error":"${t}"}`)).toBe(true);
    expect(TIMESTAMP_REJECTED.test("Request timestamp is too old")).toBe(true);
    expect(TIMESTAMP_REJECTED.test("AuthKey has already been used for a transfer request")).toBe(false);
    expect(TIMESTAMP_REJECTED.test("Unable to validate request against PubKey:invalid signature")).toBe(false);
  });
});

/** Independent check of a devshard signature with OpenSSL: ECDSA(r‖s) over sha256(digest) with the sender's key. */
function opensslVerifyDevshard(v: { escrow_id: string; body: Buffer; timestamp_s: number }, signatureHex: string, pubkeyB64: string): boolean {
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(BigInt(v.timestamp_s));
  const digest = createHash("sha256").update(Buffer.concat([Buffer.from(v.escrow_id), v.body, ts])).digest();
  const spki = Buffer.concat([Buffer.from("3036301006072a8648ce3d020106052b8104000a032200", "hex"), Buffer.from(pubkeyB64, "base64")]);
  const key = createPublicKey({ key: spki, format: "der", type: "spki" });
  return verify("sha256", digest, { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signatureHex.slice(0, 128), "hex"));
}

describe("gonkaFetch devshard mode", () => {
  it.each(devshardVectors.map((v) => [v.escrow_id, v] as const))("escrow %s: the vector's X-Devshard-Signature on /v1/devshard and on /devshard/<version>", async (_e, v) => {
    const host = await startServer(ok);
    for (const version of [undefined, "v2"]) {
      const f = gonkaFetch({
        devshard: { escrowId: v.escrow_id, hosts: host.url, privateKey: v.private_key_hex, envelope: false, ...(version ? { version } : {}) },
        clock: fixedClock(BigInt(v.timestamp_s) * 1_000_000_000n + 123_456_789n),
      });
      expect(f.address).toBe(v.sender_address);
      const res = await f("http://gonka.invalid/v1/chat/completions", { method: "POST", body: v.body_utf8 });
      expect(res.status).toBe(200);
      const seen = host.seen.at(-1)!;
      expect(seen.path).toBe(`${version ? `/devshard/${version}` : "/v1/devshard"}/sessions/${v.escrow_id}/chat/completions`);
      expect(seen.body.toString("utf8")).toBe(v.body_utf8);
      expect(seen.headers["x-devshard-signature"]).toBe(v.headers["X-Devshard-Signature"]);
      expect(seen.headers["x-devshard-timestamp"]).toBe(v.headers["X-Devshard-Timestamp"]);
      expect(seen.headers["authorization"]).toBeUndefined();
    }
  });

  it("a signer object gets the recovery byte added and gives the vector's signature", async () => {
    const v = devshardVectors[0]!;
    const real = signerFromPrivateKey(v.private_key_hex);
    const signer = { address: real.address, sign: async (m: Uint8Array) => real.sign(m) };
    const host = await startServer(ok);
    const f = gonkaFetch({ devshard: { escrowId: v.escrow_id, hosts: [host.url], signer, envelope: false }, clock: fixedClock(BigInt(v.timestamp_s) * 1_000_000_000n) });
    await f("http://gonka.invalid/v1/chat/completions", { method: "POST", body: v.body_utf8 });
    expect(host.seen[0]!.headers["x-devshard-signature"]).toBe(v.headers["X-Devshard-Signature"]);
    // a signer whose key is not its address is refused before anything is sent
    const liar = { address: developer.address === v.sender_address ? (upgrades.keys as { developers: { address: string }[] }).developers[1]!.address : developer.address, sign: real.sign };
    const g = gonkaFetch({ devshard: { escrowId: v.escrow_id, hosts: [host.url], signer: liar, envelope: false } });
    await expect(g("http://gonka.invalid/v1/chat/completions", { method: "POST", body: v.body_utf8 })).rejects.toThrow(/does not recover/);
    expect(host.seen).toHaveLength(1);
  });

  it("wraps an OpenAI body into the session body {diffs, nonce, payload, stream}, signs it (OpenSSL verifies), and counts nonces", async () => {
    const host = await startServer(ok);
    const f = gonkaFetch({ devshard: { escrowId: "escrow-42", hosts: host.url, privateKey: developer.private_key_hex, version: "v0.2.13-devshard-v2" } });
    const openAiBody = { model: "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", messages: [{ role: "user", content: "Hi ✓" }], stream: true };
    await f("http://gonka.invalid/v1/chat/completions", { method: "POST", body: JSON.stringify(openAiBody) });
    await f("http://gonka.invalid/v1/chat/completions", { method: "POST", body: JSON.stringify({ ...openAiBody, stream: false }) });
    const [a, b] = host.seen;
    expect(a!.path).toBe("/devshard/v0.2.13-devshard-v2/sessions/escrow-42/chat/completions");
    expect(JSON.parse(a!.body.toString("utf8"))).toEqual({ diffs: [], nonce: 1, payload: openAiBody, stream: true });
    expect(JSON.parse(b!.body.toString("utf8"))).toMatchObject({ nonce: 2, stream: false });
    for (const s of [a!, b!]) {
      const ts = Number(s.headers["x-devshard-timestamp"]);
      expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(5);
      expect(s.headers["x-devshard-signature"]).toMatch(/^[0-9a-f]{128}0[01]$/);
      expect(opensslVerifyDevshard({ escrow_id: "escrow-42", body: s.body, timestamp_s: ts }, s.headers["x-devshard-signature"]!, developer.pubkey_b64)).toBe(true);
    }
  });

  it("fails over across hosts on 5xx, but not on 503 with X-Devshard-Error (disabled by chain params) or 403", async () => {
    const broken = await startServer((_q, res) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end("bad gateway");
    });
    const good = await startServer(ok);
    const f = gonkaFetch({ devshard: { escrowId: "7", hosts: [broken.url, good.url], privateKey: developer.private_key_hex }, strategy: "ordered" });
    expect((await f("http://x/v1/chat/completions", { method: "POST", body: "{}" })).status).toBe(200);
    expect([broken.seen.length, good.seen.length]).toEqual([1, 1]);

    const disabled = await startServer((_q, res) => {
      res.writeHead(503, { "content-type": "application/json", "x-devshard-error": "devshard requests disabled" });
      res.end('{"error":"devshard requests are disabled"}');
    });
    const other = await startServer(ok);
    const g = gonkaFetch({ devshard: { escrowId: "7", hosts: [disabled.url, other.url], privateKey: developer.private_key_hex }, strategy: "ordered" });
    const res = await g("http://x/v1/chat/completions", { method: "POST", body: "{}" });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: "devshard requests are disabled" });
    expect(other.seen).toHaveLength(0);
  });

  it("refuses bad devshard options with typed errors", () => {
    const base = { hosts: "http://127.0.0.1:9", privateKey: developer.private_key_hex };
    expect(() => gonkaFetch({ devshard: { ...base, escrowId: "a/b" } })).toThrow(/escrowId/);
    expect(() => gonkaFetch({ devshard: { ...base, escrowId: "1", version: "../admin" } })).toThrow(/version/);
    expect(() => gonkaFetch({ devshard: { escrowId: "1", hosts: "http://127.0.0.1:9" } })).toThrow(/privateKey or signer/);
    expect(() => gonkaFetch({ devshard: { ...base, escrowId: "1", hosts: [] } })).toThrow(/empty/);
    expect(() => gonkaFetch({ devshard: { ...base, escrowId: "1" }, apiKey: "k" } as never)).toThrow(/exactly one/);
  });
});
