import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { MsgSubmitPocBatchSchema } from "../../generated/proto/inference/inference/tx_pb.js";
import type { ChainNode } from "../../src/devnet/chain/index.js";
import { createChainClient, type ChainClient } from "../../src/chain/client.js";
import { signTx } from "../../src/chain/tx.js";
import { TimeoutError, InvalidArgumentError } from "../../src/errors.js";
import {
  UnknownTypeUrlError,
  SequenceMismatchError,
  UnauthorizedError,
  OutOfGasError,
  ChainTxError,
  MalformedResponseError,
  AccountNotFoundError,
} from "../../src/chain/errors.js";
import { generateWallet } from "../../src/chain/keys.js";
import { cold, warm, startNode, clientFor } from "./helpers.js";

const vote = (voter: string) => ({ "@type": "/cosmos.gov.v1.MsgVote", proposalId: "1", voter, option: "VOTE_OPTION_YES" });
const base = { wallet: cold, chainId: "gonka-mainnet", accountNumber: 0n, sequence: 0n, gasLimit: 200000n } as const;

describe("bad messages are refused before signing", () => {
  it("unknown type URL", async () => {
    const err = await signTx({ ...base, messages: [{ "@type": "/inference.inference.MsgDoesNotExist", creator: cold.address }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownTypeUrlError);
    expect((err as UnknownTypeUrlError).typeUrl).toBe("/inference.inference.MsgDoesNotExist");
  });

  it("message missing its signer, or signed by someone else", async () => {
    await expect(signTx({ ...base, messages: [vote("")] })).rejects.toThrow(/messages\[0\]\.voter: is empty/);
    await expect(signTx({ ...base, messages: [vote(warm.address)] })).rejects.toThrow(/but the tx is signed by/);
    const noCreator = create(MsgSubmitPocBatchSchema, { pocStageStartBlockHeight: 1n, batchId: "b", nonces: [1n], dist: [1] });
    await expect(signTx({ ...base, messages: [noCreator] })).rejects.toThrow(/creator: is empty/);
  });

  it("non-finite PoC distances", async () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      const m = create(MsgSubmitPocBatchSchema, { creator: cold.address, pocStageStartBlockHeight: 10n, batchId: "b", nonces: [1n, 2n], dist: [1, bad] });
      const err = await signTx({ ...base, messages: [m] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect((err as InvalidArgumentError).argument).toBe("messages[0].dist[1]");
    }
  });

  it("nonces / dist length mismatch, also inside MsgExec", async () => {
    const m = create(MsgSubmitPocBatchSchema, { creator: cold.address, pocStageStartBlockHeight: 10n, batchId: "b", nonces: [1n, 2n, 3n], dist: [1, 2] });
    await expect(signTx({ ...base, messages: [m] })).rejects.toThrow(/has 2 entries but nonces has 3/);
    const exec = { "@type": "/cosmos.authz.v1beta1.MsgExec", grantee: cold.address, msgs: [{ "@type": "/inference.inference.MsgSubmitPocBatch", creator: warm.address, pocStageStartBlockHeight: "10", batchId: "b", nonces: ["1"], dist: [] }] };
    await expect(signTx({ ...base, messages: [exec] })).rejects.toThrow(/msgs\[0\]\.dist/);
  });

  it("malformed JSON messages and numbers", async () => {
    await expect(signTx({ ...base, messages: [{ "@type": "/cosmos.gov.v1.MsgVote", proposalId: "x" }] })).rejects.toThrow(/not valid proto3 JSON/);
    await expect(signTx({ ...base, sequence: -1n, messages: [vote(cold.address)] })).rejects.toThrow(/sequence/);
    await expect(signTx({ ...base, messages: [] })).rejects.toThrow(/at least one message/);
    await expect(signTx({ ...base, unordered: true, sequence: 3n, messages: [vote(cold.address)] })).rejects.toThrow(/must be 0 for an unordered tx/);
  });
});

describe("the devnet chain node rejects what a real node rejects", () => {
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

  it("wrong chain ID → signature verification failed (UnauthorizedError)", async () => {
    const s = await signTx({ ...base, chainId: "prod-sim", messages: [{ "@type": "/cosmos.bank.v1beta1.MsgSend", fromAddress: cold.address, toAddress: warm.address, amount: [{ denom: "ngonka", amount: "1" }] }] });
    const err = await chain.broadcastTx(s.txRaw).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnauthorizedError);
    expect((err as UnauthorizedError).log).toMatch(/chain-id \(gonka-mainnet\)/);
  });

  it("a tampered signature is refused", async () => {
    const s = await signTx({ ...base, messages: [{ "@type": "/cosmos.bank.v1beta1.MsgSend", fromAddress: cold.address, toAddress: warm.address, amount: [{ denom: "ngonka", amount: "1" }] }] });
    const tampered = s.txRaw.slice();
    tampered[tampered.length - 1] ^= 1;
    await expect(chain.broadcastTx(tampered)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it("wrong sequence → SequenceMismatchError with the expected value", async () => {
    const s = await signTx({ ...base, sequence: 5n, messages: [{ "@type": "/cosmos.bank.v1beta1.MsgSend", fromAddress: cold.address, toAddress: warm.address, amount: [{ denom: "ngonka", amount: "1" }] }] });
    const err = await chain.broadcastTx(s.txRaw).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SequenceMismatchError);
    expect((err as SequenceMismatchError).expected).toBe(node.state.accounts.get(cold.address)!.sequence);
    expect((err as SequenceMismatchError).codespace).toBe("sdk");
    expect((err as SequenceMismatchError).code).toBe(32);
  });

  it("gas below the need → OutOfGasError", async () => {
    const err = await chain.send(cold, { to: warm.address, amount: [{ denom: "ngonka", amount: 1n }], gasLimit: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutOfGasError);
    expect((err as OutOfGasError).code).toBe(11);
  });

  it("an unordered tx cannot be replayed; its timeout is bounded", async () => {
    const acc = await chain.getAccount(cold.address);
    const msg = { "@type": "/cosmos.bank.v1beta1.MsgSend", fromAddress: cold.address, toAddress: warm.address, amount: [{ denom: "ngonka", amount: "1" }] };
    const ts = new Date(Date.now() + 30_000);
    const s = await signTx({ ...base, accountNumber: acc.accountNumber, unordered: true, timeoutTimestamp: ts, messages: [msg] });
    await chain.broadcastTx(s.txRaw);
    const again = await chain.broadcastTx(s.txRaw).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ChainTxError);
    expect((again as ChainTxError).log).toMatch(/duplicated/);
    const far = await signTx({ ...base, accountNumber: acc.accountNumber, unordered: true, timeoutTimestamp: new Date(Date.now() + 3600_000), messages: [msg] });
    await expect(chain.broadcastTx(far.txRaw)).rejects.toThrow(/ttl exceeds/);
  });

  it("a sequence mismatch on broadcast is retried once after re-querying the account", async () => {
    let injected = 0;
    node.hooks.onBroadcast = () => {
      if (injected > 0) return undefined;
      injected++;
      const seq = node.state.accounts.get(cold.address)!.sequence;
      return { code: 32, codespace: "sdk", log: `account sequence mismatch, expected ${seq + 1n}, got ${seq}: incorrect account sequence` };
    };
    try {
      const r = await chain.send(cold, { to: warm.address, amount: [{ denom: "ngonka", amount: 5n }] });
      expect(r.height).toBeGreaterThan(0n);
      expect(injected).toBe(1);
    } finally {
      delete node.hooks.onBroadcast;
    }
  });

  it("a persistent sequence mismatch surfaces after one retry", async () => {
    let calls = 0;
    node.hooks.onBroadcast = () => {
      calls++;
      return { code: 32, codespace: "sdk", log: "account sequence mismatch, expected 99, got 1: incorrect account sequence" };
    };
    try {
      const err = await chain.send(cold, { to: warm.address, amount: [{ denom: "ngonka", amount: 5n }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SequenceMismatchError);
      expect((err as SequenceMismatchError).expected).toBe(99n);
      expect(calls).toBe(2);
    } finally {
      delete node.hooks.onBroadcast;
    }
  });

  it("an account that never received funds", async () => {
    const { wallet } = await generateWallet({ words: 12 });
    await expect(chain.getAccount(wallet.address)).rejects.toBeInstanceOf(AccountNotFoundError);
    await expect(chain.send(wallet, { to: cold.address, amount: [{ denom: "ngonka", amount: 1n }] })).rejects.toBeInstanceOf(AccountNotFoundError);
  });

  it("waitForTx times out for a tx that is never included", async () => {
    const err = await chain.waitForTx("AB".repeat(32), { timeoutMs: 150, pollIntervalMs: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
  });
});

describe("misbehaving servers", () => {
  const servers: http.Server[] = [];
  async function serve(handler: http.RequestListener): Promise<string> {
    const s = http.createServer(handler);
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  }
  afterAll(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  it("malformed REST replies → MalformedResponseError", async () => {
    const url = await serve((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      if (req.url?.includes("/accounts/")) res.end(JSON.stringify({ account: { "@type": "/cosmos.auth.v1beta1.BaseAccount", account_number: "not-a-number" } }));
      else if (req.url?.includes("/balances/")) res.end("[1,2,3]");
      else res.end(JSON.stringify({ params: { poc_params: { validation_sample_size: "many" } } }));
    });
    const chain = createChainClient({ url, chainId: "gonka-mainnet", timeoutMs: 2000 });
    await expect(chain.getAccount(cold.address)).rejects.toBeInstanceOf(MalformedResponseError);
    await expect(chain.getBalances(cold.address)).rejects.toBeInstanceOf(MalformedResponseError);
    await expect(chain.getInferenceParams()).rejects.toBeInstanceOf(MalformedResponseError);
  });

  it("malformed RPC replies → MalformedResponseError", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: { node_info: {} } }));
    });
    const chain = createChainClient({ url, timeoutMs: 2000 });
    await expect(chain.getChainId()).rejects.toBeInstanceOf(MalformedResponseError);
    await expect(chain.broadcastTx(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(MalformedResponseError);
  });

  it("a server that hangs → TimeoutError (REST, RPC)", async () => {
    const url = await serve(() => {
      /* never answers */
    });
    const chain = createChainClient({ url, chainId: "gonka-mainnet", timeoutMs: 150 });
    const t0 = Date.now();
    const err = await chain.getAccount(cold.address).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    const err2 = await chain.broadcastTx(new Uint8Array([1])).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(TimeoutError);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it("a gRPC server that hangs → TimeoutError", async () => {
    const http2 = await import("node:http2");
    const s = http2.createServer(() => {
      /* never answers */
    });
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
    const port = (s.address() as AddressInfo).port;
    const chain = createChainClient({ url: `http://127.0.0.1:${port}`, transport: "grpc", timeoutMs: 150 });
    try {
      const err = await chain.getAccount(cold.address).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimeoutError);
    } finally {
      chain.close();
      await new Promise((r) => s.close(r));
    }
  });
});
