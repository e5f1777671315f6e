import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import { FeeCapExceededError } from "../../src/chain/errors.js";
import { toCoins } from "../../src/chain/coins.js";
import type { ChainNode } from "../../src/devnet/chain/index.js";
import { clientFor, cold, GNK, other, startNode, warm } from "../chain/helpers.js";

let node: ChainNode;
beforeAll(async () => {
  node = await startNode();
});
afterAll(() => node.stop());

describe("fees are capped", () => {
  it("a dishonest simulate answer (gas_used 1e15) is not signed", async () => {
    let broadcasts = 0;
    const chain = clientFor(node, {
      gasPrice: "0.001",
      fetch: async (url, init) => {
        if (url.endsWith("/cosmos/tx/v1beta1/simulate")) {
          return new Response(JSON.stringify({ gas_info: { gas_wanted: "0", gas_used: "1000000000000000" }, result: { data: "", log: "", events: [], msg_responses: [] } }), {
            status: 200,
            headers: { "content-type": "application/json" },
          });
        }
        if (typeof init.body === "string" && init.body.includes("broadcast_tx")) broadcasts++;
        return fetch(url, init);
      },
    });
    const before = await chain.getBalance(other.address);
    const err = await chain.send(other, { to: warm.address, amount: [{ denom: "ngonka", amount: 1n }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeeCapExceededError);
    expect((err as FeeCapExceededError).what).toBe("gas");
    expect(broadcasts).toBe(0);
    expect(await chain.getBalance(other.address)).toEqual(before);
  });

  it("a fee above maxFee (default 10 GNK) is refused before signing; a zero-price 1e9-gas tx is not", async () => {
    const chain = clientFor(node);
    const err = await chain.send(other, { to: warm.address, amount: [{ denom: "ngonka", amount: 1n }], gasLimit: 1_000_000_000n, gasPrice: "100" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeeCapExceededError);
    expect((err as FeeCapExceededError).cap).toBe(10n * GNK);
    const explicit = await chain.send(other, { to: warm.address, amount: [{ denom: "ngonka", amount: 1n }], fee: [{ denom: "ngonka", amount: 11n * GNK }] }).catch((e: unknown) => e);
    expect(explicit).toBeInstanceOf(FeeCapExceededError);
    const ok = await chain.send(other, { to: warm.address, amount: [{ denom: "ngonka", amount: 1n }], gasLimit: 1_000_000_000n, gasPrice: "0" });
    expect(ok.height).toBeGreaterThan(0n);
    const raised = clientFor(node, { maxFee: 20n * GNK });
    const paid = await raised.send(cold, { to: warm.address, amount: [{ denom: "ngonka", amount: 1n }], fee: [{ denom: "ngonka", amount: 11n * GNK }] });
    expect(paid.height).toBeGreaterThan(0n);
  });
});

describe("coins are validated before signing", () => {
  it("refuses zero, duplicate and unknown denominations", () => {
    expect(() => toCoins("amount", [{ denom: "ngonka", amount: 0n }])).toThrow(InvalidArgumentError);
    expect(() => toCoins("amount", [{ denom: "ngonka", amount: 60n }, { denom: "ngonka", amount: 60n }])).toThrow(/twice/);
    expect(() => toCoins("amount", [{ denom: "atom", amount: 5n }])).toThrow(/not a denomination of the Gonka chain/);
    expect(() => toCoins("amount", [{ denom: "ngonka", amount: -1 }])).toThrow(InvalidArgumentError);
    expect(toCoins("amount", [{ denom: "ngonka", amount: 5 }])).toEqual([{ denom: "ngonka", amount: "5" }]);
  });

  it("a duplicate-denom fee is refused", async () => {
    const chain = clientFor(node);
    const err = await chain.send(other, { to: warm.address, amount: [{ denom: "ngonka", amount: 1n }], fee: [{ denom: "ngonka", amount: 1n }, { denom: "ngonka", amount: 1n }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
  });
});

describe("one signer's txs are queued", () => {
  it("20 concurrent sends from one key all succeed", async () => {
    const chain = clientFor(node, { confirmTimeoutMs: 30_000 });
    const before = await chain.getBalance(warm.address);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => chain.send(cold, { to: warm.address, amount: [{ denom: "ngonka", amount: 7n }] })));
    const failed = results.filter((r) => r.status === "rejected");
    expect(failed.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const hashes = new Set(results.map((r) => (r as PromiseFulfilledResult<{ hash: string }>).value.hash));
    expect(hashes.size).toBe(20);
    const after = await chain.getBalance(warm.address);
    expect(after - before).toBe(140n);
  }, 60_000);
});
