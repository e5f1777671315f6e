import { afterAll, beforeAll, describe, expect, it } from "vitest";
import net from "node:net";
import type { ChainNode } from "../../src/devnet/chain/index.js";
import { startChainNode, createChainState } from "../../src/devnet/chain/index.js";
import type { ChainClient } from "../../src/chain/client.js";
import { signTx } from "../../src/chain/tx.js";
import { InsufficientFundsError } from "../../src/chain/errors.js";
import { cold, warm, GNK, startNode, clientFor } from "./helpers.js";

describe("devnet chain node wire formats", () => {
  let node: ChainNode;
  beforeAll(async () => {
    node = await startNode();
  });
  afterAll(async () => {
    await node.stop();
  });

  it("REST answers like the grpc-gateway: snake_case, int64 as strings, {code,message} errors", async () => {
    const ok = await fetch(`${node.restUrl}/cosmos/auth/v1beta1/accounts/${cold.address}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      account: { "@type": "/cosmos.auth.v1beta1.BaseAccount", address: cold.address, account_number: "0", sequence: "0" },
    });
    const missing = await fetch(`${node.restUrl}/cosmos/auth/v1beta1/accounts/gonka19k2ukzsxut4sftk87qzuv30cnjjfdw29vxnxgl`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 5, message: expect.stringMatching(/not found/) });
    const params = (await (await fetch(`${node.restUrl}/productscience/inference/inference/params`)).json()) as {
      params: { epoch_params: { epoch_length: string }; poc_params: { validation_sample_size: number } };
    };
    expect(params.params.epoch_params.epoch_length).toBe("17280");
    expect(params.params.poc_params.validation_sample_size).toBe(200);
  });

  it("CometBFT RPC answers JSON-RPC POSTs and URI GETs", async () => {
    const post = (await (
      await fetch(`${node.rpcUrl}/`, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "status", params: {} }) })
    ).json()) as { id: number; result: { node_info: { network: string }; sync_info: { latest_block_height: string } } };
    expect(post.id).toBe(7);
    expect(post.result.node_info.network).toBe("gonka-mainnet");
    expect(BigInt(post.result.sync_info.latest_block_height)).toBeGreaterThan(0n);
    const get = (await (await fetch(`${node.rpcUrl}/tx?hash=0x${"00".repeat(32)}`)).json()) as { error: { data: string } };
    expect(get.error.data).toMatch(/not found/);
    const s = await signTx({
      wallet: cold, chainId: "gonka-mainnet", accountNumber: 0n, sequence: 0n, gasLimit: 200000n,
      messages: [{ "@type": "/cosmos.bank.v1beta1.MsgSend", fromAddress: cold.address, toAddress: warm.address, amount: [{ denom: "ngonka", amount: "7" }] }],
    });
    const sync = (await (await fetch(`${node.rpcUrl}/broadcast_tx_sync?tx=0x${Buffer.from(s.txRaw).toString("hex")}`)).json()) as {
      result: { code: number; hash: string };
    };
    expect(sync.result).toMatchObject({ code: 0, hash: s.hash });
    node.produceBlock();
    const tx = (await (await fetch(`${node.rpcUrl}/tx?hash=0x${s.hash}`)).json()) as { result: { hash: string; tx_result: { code: number } } };
    expect(tx.result.hash).toBe(s.hash);
    expect(tx.result.tx_result.code).toBe(0);
    expect(node.state.balance(warm.address, "ngonka")).toBe(10n * GNK + 7n);
  });

  it("unknown REST routes and RPC methods get the node's error shapes", async () => {
    const r = await fetch(`${node.restUrl}/cosmos/nothing/here`);
    expect(r.status).toBe(501);
    const rpc = (await (await fetch(`${node.rpcUrl}/`, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "nope" }) })).json()) as {
      error: { code: number };
    };
    expect(rpc.error.code).toBe(-32601);
    expect((await fetch(`${node.url}/elsewhere`)).status).toBe(404);
  });
});

describe("devnet chain node lifecycle and behaviour", () => {
  it("stop() frees the port", async () => {
    const node = await startChainNode({ blockTimeMs: 5 });
    const port = Number(new URL(node.url).port);
    await fetch(`${node.rpcUrl}/status`);
    await node.stop();
    const refused = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, "127.0.0.1");
      sock.once("connect", () => {
        sock.destroy();
        resolve(false);
      });
      sock.once("error", () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it("serves a given state and enforces fee_params.min_gas_price_ngonka", async () => {
    const state = createChainState({ chainId: "prod-sim", minGasPriceNgonka: 2n, accounts: [{ address: cold.address, coins: [{ denom: "ngonka", amount: 10n * GNK }] }] });
    const node = await startChainNode({ state, blockTimeMs: 10 });
    const free = clientFor(node);
    const paying = clientFor(node, { gasPrice: 2 });
    try {
      expect(await free.getChainId()).toBe("prod-sim");
      // a tx paying less than gas limit × 2 ngonka is refused at CheckTx (code 13)
      const low = await signTx({
        wallet: cold, chainId: "prod-sim", accountNumber: 0n, sequence: 0n, gasLimit: 200000n, fee: [{ denom: "ngonka", amount: "399999" }],
        messages: [{ "@type": "/cosmos.bank.v1beta1.MsgSend", fromAddress: cold.address, toAddress: warm.address, amount: [{ denom: "ngonka", amount: "1" }] }],
      });
      const res = (await (await fetch(`${node.rpcUrl}/broadcast_tx_sync?tx=0x${Buffer.from(low.txRaw).toString("hex")}`)).json()) as { result: { code: number; log: string } };
      expect(res.result).toMatchObject({ code: 13, log: "insufficient fees; got: 399999ngonka required: 400000ngonka: insufficient fee" });
      const before = node.state.balance(cold.address, "ngonka");
      const r = await paying.send(cold, { to: warm.address, amount: [{ denom: "ngonka", amount: 1n }] });
      const fee = before - 1n - node.state.balance(cold.address, "ngonka");
      expect(fee).toBe(2n * r.gasWanted);
    } finally {
      free.close();
      paying.close();
      await node.stop();
    }
  });
});

describe("concurrent txs from one key", () => {
  let node: ChainNode;
  let chain: ChainClient;
  beforeAll(async () => {
    node = await startNode();
    chain = clientFor(node);
  });
  afterAll(async () => {
    chain.close();
    await node.stop();
  });

  it("two sends racing on the same sequence both land thanks to the re-query and retry", async () => {
    const [a, b] = await Promise.all([
      chain.send(cold, { to: warm.address, amount: [{ denom: "ngonka", amount: 11n }], gasLimit: 200_000 }),
      chain.send(cold, { to: warm.address, amount: [{ denom: "ngonka", amount: 13n }], gasLimit: 200_000 }),
    ]);
    expect(a.hash).not.toBe(b.hash);
    expect(node.state.balance(warm.address, "ngonka")).toBe(10n * GNK + 24n);
    expect(node.state.accounts.get(cold.address)!.sequence).toBe(2n);
  });

  it("unordered txs from one key do not need sequences at all", async () => {
    const results = await Promise.all(
      [1n, 2n, 3n].map((n) => chain.send(cold, { to: warm.address, amount: [{ denom: "ngonka", amount: n }], unordered: true })),
    );
    expect(new Set(results.map((r) => r.hash)).size).toBe(3);
    expect(node.state.accounts.get(cold.address)!.sequence).toBe(2n);
  });

  it("a simulated gas limit with multiplier 1 is enough (signature bytes are accounted for)", async () => {
    const r = await chain.send(cold, { to: warm.address, amount: [{ denom: "ngonka", amount: 1n }], gasMultiplier: 1 });
    expect(r.gasUsed).toBeLessThanOrEqual(r.gasWanted);
    expect(r.gasWanted - r.gasUsed).toBeLessThan(100n);
    const err = await chain.send(warm, { to: cold.address, amount: [{ denom: "ngonka", amount: 1000n * GNK }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InsufficientFundsError);
  });
});
