/**
 * Signed devnet round trips from a real Chromium, same origin: one loopback server serves the
 * page and the gonka-sdk/chain bundle and forwards everything else (`/chain-api/…` REST,
 * `/chain-rpc/…` CometBFT RPC) to a devnet chain node — the layout of a node's public entry, so
 * no CORS is involved. In the page: sign a bank send and a governance vote with
 * gonka-sdk/chain, broadcast them, wait for them, and read the balances / votes back.
 *
 * Skips with a notice when Chromium is missing; fails instead with GONKA_REQUIRE_BROWSER=1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, request, type Server } from "node:http";
import type { Browser } from "puppeteer-core";
import type { ChainNode } from "../../src/devnet/chain/index.js";
import wire from "../fixtures/wire.json" with { type: "json" };
import { clientFor, cold, other, startNode } from "../chain/helpers.js";
import { browserAvailability, bundleForBrowser, launchChromium, openPage, type OpenedPage } from "./harness.js";

const env = browserAvailability();

if (!env.executablePath && env.required) {
  it("Chromium is installed (GONKA_REQUIRE_BROWSER=1)", () => {
    throw new Error(env.notice);
  });
}

/** Serves `/` and `/chain.js`, forwards every other request to `upstream` (same origin for the page). */
async function sameOriginProxy(upstream: string, chainJs: string): Promise<{ origin: string; forwarded: string[]; close(): Promise<void> }> {
  const up = new URL(upstream);
  const forwarded: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(`<!doctype html><title>chain</title><script src="/chain.js"></script>`);
    }
    if (path === "/chain.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
      return res.end(chainJs);
    }
    forwarded.push(`${req.method} ${path.split("?")[0]}`);
    const fwd = request({ host: up.hostname, port: up.port, path: `${up.pathname.replace(/\/$/, "")}${path}`, method: req.method, headers: { ...req.headers, host: up.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    fwd.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(fwd);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    forwarded,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe.skipIf(!env.executablePath)("signed devnet round trips from Chromium through a same-origin proxy", () => {
  let node: ChainNode;
  let proxy: Awaited<ReturnType<typeof sameOriginProxy>>;
  let browser: Browser;
  let opened: OpenedPage;

  beforeAll(async () => {
    node = await startNode({ votingPeriodMs: 60_000 }); // long enough for the page to vote
    proxy = await sameOriginProxy(node.url, await bundleForBrowser("src/chain/index.ts", { globalName: "GonkaChain" }));
    browser = await launchChromium(env.executablePath!);
    opened = await openPage(browser, proxy.origin);
  }, 120_000);

  afterAll(async () => {
    await opened?.close().catch(() => undefined);
    await browser?.close();
    await proxy?.close();
    await node?.stop();
  });

  it("signs and broadcasts a bank send in the page, then reads it back", async () => {
    const r = await opened.page.evaluate(
      async (a) => {
        const sdk = (globalThis as unknown as { GonkaChain: typeof import("../../src/chain/index.js") }).GonkaChain;
        const chain = sdk.createChainClient({ url: location.origin, pollIntervalMs: 20, confirmTimeoutMs: 10_000 });
        const wallet = sdk.walletFromPrivateKey(a.key);
        const balance = async (addr: string) =>
          ((await (await fetch(`/chain-api/cosmos/bank/v1beta1/balances/${addr}`)).json()) as { balances: { denom: string; amount: string }[] }).balances.find((b) => b.denom === "ngonka")?.amount;
        const before = await balance(a.to);
        const tx = await chain.send(wallet, { to: a.to, amount: [{ denom: "ngonka", amount: "12345" }], memo: "from chromium" });
        const after = await balance(a.to);
        return { from: wallet.address, gasUsed: String(tx.gasUsed), hash: tx.hash, height: String(tx.height), before, after };
      },
      { key: wire.keys[0]!.privateKeyHex, to: other.address },
    );
    expect(r.from).toBe(cold.address);
    expect(BigInt(r.gasUsed)).toBeGreaterThan(0n);
    expect(BigInt(r.height)).toBeGreaterThan(0n);
    expect(r.hash).toMatch(/^[0-9A-F]{64}$/);
    expect(BigInt(r.after!) - BigInt(r.before!)).toBe(12345n);
    // read back from Node as well: the chain has the tx with the page's memo, signed by cold
    const got = (await (await fetch(`${node.url}/chain-api/cosmos/tx/v1beta1/txs/${r.hash}`)).json()) as { tx: { body: { memo: string } }; tx_response: { code: number } };
    expect(got.tx.body.memo).toBe("from chromium");
    expect(got.tx_response.code).toBe(0);
    // every chain request went through the page's own origin
    expect(proxy.forwarded.some((l) => l.startsWith("GET /chain-api/cosmos/auth/v1beta1/accounts/"))).toBe(true);
    expect(proxy.forwarded.some((l) => l.includes("/chain-rpc") || l.includes("/txs"))).toBe(true);
  }, 60_000);

  it("votes on a proposal in the page and reads the vote and tally back", async () => {
    const chain = clientFor(node);
    const prop = await chain.proposeInferenceParams(cold, {
      title: "Browser vote", summary: "A proposal voted on from Chromium.", initialDeposit: [{ denom: "ngonka", amount: 10_000_000n }],
      edit: (p) => {
        p.pocParams!.validationSampleSize = 250;
      },
    });
    await chain.deposit(other, { proposalId: prop.proposalId, amount: [{ denom: "ngonka", amount: 15_000_000n }] });
    const r = await opened.page.evaluate(
      async (a) => {
        const sdk = (globalThis as unknown as { GonkaChain: typeof import("../../src/chain/index.js") }).GonkaChain;
        const c = sdk.createChainClient({ url: location.origin, pollIntervalMs: 20, confirmTimeoutMs: 10_000 });
        const wallet = sdk.walletFromPrivateKey(a.key);
        const tx = await c.vote(wallet, { proposalId: BigInt(a.proposalId), option: "yes" });
        const votes = await c.getVotes(BigInt(a.proposalId));
        const tally = await c.getTally(BigInt(a.proposalId));
        return { hash: tx.hash, voters: votes.map((v) => v.voter), options: votes.map((v) => v.options.map((o) => Number(o.option))), yes: String(tally.yes) };
      },
      { key: wire.keys[0]!.privateKeyHex, proposalId: String(prop.proposalId) },
    );
    expect(r.hash).toMatch(/^[0-9A-F]{64}$/);
    expect(r.voters).toEqual([cold.address]);
    expect(r.options).toEqual([[1]]); // VOTE_OPTION_YES
    expect(r.yes).toBe("100"); // cold holds power 100
    const fromNode = await chain.getVotes(prop.proposalId);
    expect(fromNode.map((v) => v.voter)).toEqual([cold.address]);
  }, 60_000);
});
