/**
 * In a real Chromium: a page served from one loopback origin signs an inference request with
 * gonkaFetch (bundled for the browser from src/inference/index.ts) and sends it through the
 * local gateway (gonka-sdk/inference/node) to a node — the devnet behind a stand-in for the stock
 * node proxy's CORS settings. The same request sent to the node directly is stopped by the
 * browser at the CORS preflight: the stock proxy does not allow X-Requester-Address, X-Timestamp
 * and X-Transfer-Address.
 *
 * Skips with a notice when Chromium is missing; fails instead with GONKA_REQUIRE_BROWSER=1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "puppeteer-core";
import { fakeCompletionTokens, startDevnet, type Devnet } from "../../src/devnet/index.js";
import { signerFromPrivateKey } from "../../src/inference/index.js";
import { startInferenceGateway, type InferenceGateway } from "../../src/inference/node/index.js";
import { keyVectors } from "../inference/fixtures.js";
import { opensslVerify } from "../inference/openssl-verify.js";
import {
  browserAvailability,
  bundleForBrowser,
  launchChromium,
  openPage,
  runInPage,
  servePage,
  startStockCorsProxy,
  type OpenedPage,
  type PageServer,
  type StockCorsProxy,
} from "./harness.js";

const env = browserAvailability();
const developer = keyVectors[2]!;

/** What the page calls: the bundle's global. */
interface InPageArgs {
  base: string;
  keyHex: string;
  model: string;
  content: string;
  stream?: boolean;
  address?: string;
}

if (!env.executablePath && env.required) {
  it("Chromium is installed (GONKA_REQUIRE_BROWSER=1)", () => {
    throw new Error(env.notice);
  });
}

describe.skipIf(!env.executablePath)("gonkaFetch in Chromium, through the local gateway", () => {
  let devnet: Devnet;
  let node: StockCorsProxy;
  let site: PageServer;
  let gateway: InferenceGateway;
  let browser: Browser;
  let opened: OpenedPage;
  let page: Page;
  let model: string;

  beforeAll(async () => {
    devnet = await startDevnet();
    model = devnet.chain.models()[0]!.id;
    const signer = signerFromPrivateKey(developer.privateKeyHex);
    await fetch(`${devnet.url}/v1/participants`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ address: signer.address, pub_key: Buffer.from(signer.publicKey).toString("base64") }),
    });
    node = await startStockCorsProxy(devnet.url);
    site = await servePage({ "/inference.js": { body: await bundleForBrowser("src/inference/index.ts", { globalName: "GonkaInference" }) } });
    gateway = await startInferenceGateway({ upstream: node.url, allowedOrigins: [site.origin], port: 0 });
    browser = await launchChromium(env.executablePath!);
    opened = await openPage(browser, site.origin);
    page = opened.page;
  }, 120_000);

  afterAll(async () => {
    await opened?.close().catch(() => undefined);
    await browser?.close();
    await gateway?.close();
    await site?.close();
    await node?.close();
    await devnet?.stop();
  });

  /** Runs in the page: discovers the TA behind `base` (or uses `address`), signs and sends one chat request. */
  const chatInPage = async (a: InPageArgs) => {
    const sdk = (globalThis as unknown as { GonkaInference: typeof import("../../src/inference/index.js") }).GonkaInference;
    const ta = a.address ? { url: a.base, address: a.address } : await sdk.fetchTransferAgentIdentity(a.base);
    const stamps: string[] = [];
    const f = sdk.gonkaFetch({ privateKey: a.keyHex, endpoints: [ta], onAttempt: (x) => void (x.timestampNs !== undefined && stamps.push(x.timestampNs.toString())) });
    const body = JSON.stringify({ model: a.model, messages: [{ role: "user", content: a.content }], max_tokens: 12, ...(a.stream ? { stream: true } : {}) });
    const res = await f(`${a.base}/v1/chat/completions`, { method: "POST", body });
    if (!a.stream) return { status: res.status, json: await res.json(), body, stamps, ta, streamed: "" };
    const reader = res.body!.getReader();
    let text = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    return { status: res.status, json: null, body, stamps, ta, streamed: text };
  };

  it("the bundle loads without Node built-ins and exposes gonkaFetch", async () => {
    const r = await runInPage(page, () => typeof (globalThis as unknown as { GonkaInference?: { gonkaFetch?: unknown } }).GonkaInference?.gonkaFetch, undefined);
    expect(r).toEqual({ ok: true, value: "function" });
    expect(opened.console.filter((l) => l.startsWith("pageerror"))).toEqual([]);
  });

  it("a signed chat completion through the gateway is answered by the node (devnet), signature verified independently", async () => {
    const r = await runInPage(page, chatInPage, { base: gateway.url, keyHex: developer.privateKeyHex, model, content: "Hello from Chromium" });
    if (!r.ok) throw new Error(`in the page: ${r.name}: ${r.message}`);
    const { status, json, body, stamps, ta } = r.value;
    expect(status).toBe(200);
    expect(ta).toEqual({ url: gateway.url, address: devnet.participant.address }); // from /v1/identity, through the gateway
    const answer = json as { id: string; choices: { message: { content: string } }[] };
    const expected = fakeCompletionTokens({ model, messages: [{ role: "user", content: "Hello from Chromium" }], max_tokens: 12 }).join("");
    expect(answer.choices[0]!.message.content).toBe(expected);
    const recorded = devnet.state.inferences.get(answer.id)!;
    expect([recorded.requestedBy, recorded.transferredBy]).toEqual([developer.address, devnet.participant.address]);
    expect(stamps).toHaveLength(1);
    expect(opensslVerify({ authorization: answer.id, body, timestampNs: stamps[0]!, transferAddress: devnet.participant.address, publicKey: developer.publicKeyHex })).toBe(true);
    // the page's origin really is another one than the gateway's
    expect(new URL(site.origin).port).not.toBe(new URL(gateway.url).port);
  }, 60_000);

  it("streams through the gateway (SSE arrives in the page)", async () => {
    const r = await runInPage(page, chatInPage, { base: gateway.url, keyHex: developer.privateKeyHex, model, content: "Stream please", stream: true });
    if (!r.ok) throw new Error(`in the page: ${r.name}: ${r.message}`);
    const events = r.value.streamed.split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    const content = events
      .slice(0, -1)
      .map((e) => JSON.parse(e.slice(6)) as { choices: { delta?: { content?: string } }[] })
      .map((c) => c.choices[0]?.delta?.content ?? "")
      .join("");
    expect(content).toBe(fakeCompletionTokens({ model, messages: [{ role: "user", content: "Stream please" }], max_tokens: 12 }).join(""));
  }, 60_000);

  it("the same request straight to the node is stopped by the browser at the CORS preflight", async () => {
    const before = node.seen.length;
    const r = await runInPage(page, chatInPage, { base: node.url, keyHex: developer.privateKeyHex, model, content: "direct", address: devnet.participant.address });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.name).toBe("TransferAgentsUnavailableError");
    expect(r.message).toMatch(/Failed to fetch/);
    // the browser asked (preflight) and never sent the signed POST
    expect(node.seen.slice(before)).toEqual(["OPTIONS /v1/chat/completions"]);
    // while a simple request to the same node passes its CORS settings: the wall is the signing headers
    const simple = await runInPage(page, async (url: string) => (await fetch(`${url}/v1/status`)).status, node.url);
    expect(simple).toEqual({ ok: true, value: 200 });
  }, 60_000);

  it("the devnet's own public entry (stock CORS, like a node) stops the signed request too, and passes a simple one", async () => {
    const r = await runInPage(page, chatInPage, { base: devnet.url, keyHex: developer.privateKeyHex, model, content: "direct", address: devnet.participant.address });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/Failed to fetch/);
    const simple = await runInPage(page, async (url: string) => (await fetch(`${url}/v1/status`)).status, devnet.url);
    expect(simple).toEqual({ ok: true, value: 200 });
  }, 60_000);

  it("a page from an origin the gateway does not allow is refused by it", async () => {
    const other = await servePage({ "/inference.js": { body: await bundleForBrowser("src/inference/index.ts", { globalName: "GonkaInference" }) } });
    const p = await openPage(browser, other.origin);
    try {
      const r = await runInPage(p.page, chatInPage, { base: gateway.url, keyHex: developer.privateKeyHex, model, content: "x", address: devnet.participant.address });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/Failed to fetch/);
    } finally {
      await p.close();
      await other.close();
    }
  }, 60_000);
});
