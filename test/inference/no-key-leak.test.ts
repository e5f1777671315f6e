/**
 * The existing TypeScript client once put private-key bytes into the Authorization header when
 * signing failed. Here every step is made to fail, and everything observable — errors (message,
 * stack, cause chain, properties), headers that reached a server, console and stdio output, and
 * the objects users hold — is searched for any 8-byte window of the key, in hex or base64.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { inspect } from "node:util";
import {
  fetchTransferAgents,
  gonkaFetch,
  signerFromPrivateKey,
  signInferenceRequest,
  type InferenceSigner,
} from "../../src/inference/index.js";
import { keyVectors, requester } from "./fixtures.js";
import { chatBody, deadUrl, startTa } from "./local-ta.js";

const KEY_HEX = requester.privateKeyHex;
const N_HEX = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

/** Every 8-byte window of `hex` as lower/upper hex and as base64 of that window and of the full key. */
function needles(hex: string): string[] {
  const out = new Set<string>();
  const clean = hex.replace(/^0x/i, "").toLowerCase().replace(/[^0-9a-f]/g, "");
  for (let i = 0; i + 16 <= clean.length; i += 2) {
    const w = clean.slice(i, i + 16);
    out.add(w);
    out.add(w.toUpperCase());
  }
  if (clean.length % 2 === 0 && clean.length >= 16) {
    const b64 = Buffer.from(clean, "hex").toString("base64").replace(/=+$/, "");
    for (let i = 0; i + 12 <= b64.length; i += 4) out.add(b64.slice(i, i + 12));
    out.add(Buffer.from(clean, "hex").toString("latin1"));
    out.add(Array.from(Buffer.from(clean, "hex").subarray(0, 8)).join(",")); // Uint8Array printed as numbers
    out.add(Array.from(Buffer.from(clean, "hex").subarray(0, 8)).join(", "));
  }
  return [...out];
}

function describeThrown(e: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  let cur: unknown = e;
  while (cur !== undefined && cur !== null && !seen.has(cur)) {
    seen.add(cur);
    if (cur instanceof Error) parts.push(cur.message, cur.stack ?? "", JSON.stringify(Object.fromEntries(Object.entries(cur))));
    else parts.push(String(cur));
    cur = (cur as { cause?: unknown }).cause;
  }
  parts.push(inspect(e, { depth: Infinity, showHidden: true }));
  return parts.join("\n");
}

const output: string[] = [];
beforeEach(() => {
  output.length = 0;
  for (const m of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void output.push(args.map((a) => inspect(a)).join(" ")));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const orig = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      output.push(String(chunk));
      return (orig as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
});
afterEach(() => vi.restoreAllMocks());

async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a failure");
}

function expectClean(haystack: string, keyHex: string) {
  for (const n of needles(keyHex)) {
    if (haystack.includes(n)) throw new Error(`key material (${n.length} chars) leaked`);
  }
}

describe("no private-key bytes in headers, errors or logs, whatever fails", () => {
  const badKeys: [string, string | Uint8Array, string][] = [
    ["a 31-byte hex key", KEY_HEX.slice(0, 62), KEY_HEX.slice(0, 62)],
    ["a 33-byte hex key", KEY_HEX + "ab", KEY_HEX],
    ["a hex key with a typo", KEY_HEX.slice(0, 40) + "zz" + KEY_HEX.slice(42), KEY_HEX.slice(0, 40) + KEY_HEX.slice(42)],
    ["a key equal to the curve order", N_HEX, N_HEX],
    ["a 0x key with spaces", `0x ${KEY_HEX}`, KEY_HEX],
    ["31 bytes", Buffer.from(KEY_HEX, "hex").subarray(1), KEY_HEX.slice(2)],
    ["a base64 key", Buffer.from(KEY_HEX, "hex").toString("base64"), KEY_HEX],
  ];

  it.each(badKeys)("rejects %s with an error that does not contain it", async (_name, key, material) => {
    const errors = [
      await thrown(() => gonkaFetch({ privateKey: key, endpoints: [{ url: "http://127.0.0.1:1", address: keyVectors[1]!.address }] })),
      await thrown(() => signInferenceRequest({ privateKey: key, body: "{}", timestampNs: 1n, transferAddress: keyVectors[1]!.address })),
      await thrown(() => signerFromPrivateKey(key)),
    ];
    for (const e of errors) {
      expect((e as Error).name).toBe("InvalidArgumentError");
      expectClean(describeThrown(e), material);
    }
    expectClean(output.join("\n"), material);
  });

  it("a valid key never appears anywhere when every later step fails", async () => {
    const observed: string[] = [];
    const ta401 = await startTa({ accounts: { [requester.address]: keyVectors[3]!.publicKeyHex } }); // wrong pubkey → 401
    const ta500 = await startTa({ accounts: {} }); // unknown account → 500
    const ta429 = await startTa({ capacityRejections: 99 });
    const dead = await deadUrl();
    const addr = keyVectors[1]!.address;
    const attempt = async (f: ReturnType<typeof gonkaFetch>, init: RequestInit = { method: "POST", body: chatBody("x") }) => {
      try {
        const r = await f("http://gonka.invalid/v1/chat/completions", init);
        observed.push(await r.text());
      } catch (e) {
        observed.push(describeThrown(e));
      }
    };
    const signer = signerFromPrivateKey(KEY_HEX);
    observed.push(inspect(signer, { depth: Infinity, showHidden: true }), JSON.stringify(signer), String(signer));

    // every TA failing in a different way, discovery failing, clock sync failing
    const everything = gonkaFetch({ privateKey: KEY_HEX, endpoints: [ta429.agent, ta500.agent, { url: dead, address: addr }, ta401.agent], syncClock: true, strategy: "ordered", attemptTimeoutMs: 500 });
    observed.push(inspect(everything, { depth: Infinity, showHidden: true }));
    await attempt(everything);
    await attempt(gonkaFetch({ privateKey: Buffer.from(KEY_HEX, "hex"), endpoints: [{ url: dead, address: addr }] }));
    await attempt(gonkaFetch({ privateKey: KEY_HEX, sourceUrl: dead }));
    await attempt(gonkaFetch({ privateKey: KEY_HEX, sourceUrl: ta401.url, allowedTransferAddresses: [addr] })); // filter leaves none
    // the body cannot be read
    const badBody = new ReadableStream({ start: (c) => c.error(new Error("disk on fire")) });
    await attempt(gonkaFetch({ privateKey: KEY_HEX, endpoints: [ta401.agent] }), { method: "POST", body: badBody });
    // the caller aborts
    await attempt(gonkaFetch({ privateKey: KEY_HEX, endpoints: [ta401.agent] }), { method: "POST", body: chatBody("x"), signal: AbortSignal.abort() });
    // signers that throw, return garbage, or return nothing
    const broken: InferenceSigner[] = [
      { address: signer.address, sign: () => { throw new Error("hsm offline"); } },
      { address: signer.address, sign: async () => signer.sign(new Uint8Array(1)).subarray(0, 63) },
      { address: signer.address, sign: () => undefined as unknown as Uint8Array },
      { address: signer.address, sign: () => new Uint8Array(64) },
    ];
    for (const s of broken) await attempt(gonkaFetch({ signer: s, endpoints: [ta401.agent] }));
    // invalid arguments after a valid key
    observed.push(describeThrown(await thrown(() => signInferenceRequest({ privateKey: KEY_HEX, body: "{}", timestampNs: -1n, transferAddress: addr }))));
    observed.push(describeThrown(await thrown(() => signInferenceRequest({ privateKey: KEY_HEX, body: "{}", timestampNs: 1n, transferAddress: "" }))));
    observed.push(describeThrown(await thrown(() => gonkaFetch({ privateKey: KEY_HEX, endpoints: "no-address-here" }))));
    observed.push(describeThrown(await thrown(() => gonkaFetch({ privateKey: KEY_HEX, apiKey: "x", endpoints: [ta401.agent] } as never))));
    observed.push(describeThrown(await thrown(() => fetchTransferAgents({ sourceUrl: dead }))));
    observed.push(describeThrown(await thrown(() => gonkaFetch({ privateKey: KEY_HEX, endpoints: [ta401.agent] })("not a url"))));

    // what reached the servers
    for (const ta of [ta401, ta500, ta429]) for (const r of ta.requests) observed.push(JSON.stringify(r));
    const allRequests = [ta401, ta500, ta429].flatMap((t) => t.requests);
    for (const ta of [ta401, ta500, ta429]) {
      expect(ta.requests.some((r) => r.path === "/v1/chat/completions" && r.headers["authorization"])).toBe(true);
    }
    expect(allRequests.map((r) => r.status)).toEqual(expect.arrayContaining([401, 429, 500]));

    const haystack = [...observed, ...output].join("\n");
    expect(haystack).toContain("hsm offline"); // the haystack really holds the errors
    expectClean(haystack, KEY_HEX);
  });
});
