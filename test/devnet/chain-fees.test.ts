/**
 * Fees at chain v0.2.12+ on the devnet (spec chain-upgrades.md §6, §5): `min_gas_price_ngonka`,
 * the duty bypass, and fee grants — replayed with the vectors' own signed txs (grant-ml-ops +
 * allowance, then warm-key commits paid by the cold account) and with fresh SDK-signed txs.
 */
import { afterEach, describe, expect, it } from "vitest";
import { fromBinary } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import wire from "../fixtures/wire-upgrades.json" with { type: "json" };
import { BasicAllowanceSchema } from "../../generated/proto/cosmos/feegrant/v1beta1/feegrant_pb.js";
import { registry } from "../../src/proto/index.js";
import { FEE_COLLECTOR_ADDRESS, type ChainNode } from "../../src/devnet/chain/index.js";
import { broadcast, cold, GNK, register, startManualNode, submit, warm, third } from "./chain-helpers.js";

const tx = (i: number) => new Uint8Array(Buffer.from(wire.txs[i]!.txRawHex, "hex"));
const STAGE = 2476800n;

/** A node in the vectors' world: gonka-mainnet, cold = account 42 at sequence 5, warm = account 43, in the PoC stage of 2476800. */
async function vectorNode(minGasPriceNgonka: bigint): Promise<ChainNode> {
  const node = await startManualNode({
    chainId: "gonka-mainnet", minGasPriceNgonka, initialHeight: STAGE + 2n, genesisTime: new Date("2026-06-20T11:59:30Z"),
    nextBlockTime: (t) => new Date(t.getTime() + 1000),
  });
  Object.assign(node.state.accounts.get(cold.address)!, { accountNumber: 42n, sequence: 5n });
  Object.assign(node.state.accounts.get(warm.address)!, { accountNumber: 43n });
  node.state.epoch = { index: 200n, pocStartBlockHeight: STAGE };
  return node;
}

function supply(node: ChainNode): bigint {
  let n = 0n;
  for (const b of node.state.balances.values()) n += b.get("ngonka") ?? 0n;
  return n;
}

function spendLimit(node: ChainNode, granter: string, grantee: string): bigint | undefined {
  const g = node.state.feeAllowances.get(`${granter}|${grantee}`);
  if (!g) return undefined;
  const a = anyUnpack(g.allowance, registry) as ReturnType<typeof fromBinary<typeof BasicAllowanceSchema>>;
  return BigInt(a.spendLimit.find((c) => c.denom === "ngonka")?.amount ?? "0");
}

describe("devnet chain fees", () => {
  let node: ChainNode | undefined;
  afterEach(async () => {
    await node?.stop();
    node = undefined;
  });

  it("replays the vectors: grant-ml-ops at 10 ngonka/gas, then the cold account's allowance pays the warm key's commit and is exhausted", async () => {
    node = await vectorNode(10n);
    const before = supply(node);
    const grant = await broadcast(node, tx(0));
    expect(grant.check.code).toBe(0);
    expect(grant.deliver).toMatchObject({ code: 0 });
    expect(node.state.grants.size).toBe(20);
    expect(spendLimit(node, cold.address, warm.address)).toBe(10n * GNK);
    expect(node.state.balance(FEE_COLLECTOR_ADDRESS, "ngonka")).toBe(20_000_000n);

    const coldBefore = node.state.balance(cold.address, "ngonka");
    const warmBefore = node.state.balance(warm.address, "ngonka");
    const commit = await broadcast(node, tx(1));
    expect(commit.check).toEqual({ code: 0, log: "[]", codespace: "" });
    expect(commit.deliver).toMatchObject({ code: 0 });
    // the 10 GNK fee came out of the cold account through the allowance, which is used up and removed
    expect(node.state.balance(cold.address, "ngonka")).toBe(coldBefore - 10n * GNK);
    expect(node.state.balance(warm.address, "ngonka")).toBe(warmBefore);
    expect(node.state.feeAllowances.size).toBe(0);
    expect(node.state.balance(FEE_COLLECTOR_ADDRESS, "ngonka")).toBe(20_000_000n + 10n * GNK);
    expect(node.state.pocV2Commits.get(`${STAGE}|${cold.address}|Qwen/Qwen3-235B-A22B-Instruct-2507-FP8`)?.count).toBe(48213);
    expect(supply(node)).toBe(before);
  });

  it("replays the zero-fee vector: with min gas price 0 an empty fee still needs the granter's allowance", async () => {
    node = await vectorNode(0n);
    const without = await broadcast(node, tx(2));
    expect(without.check).toEqual({
      code: 38, codespace: "sdk",
      log: `${cold.address} does not allow to pay fees for ${warm.address}: fee-grant not found: not found`,
    });
    expect((await broadcast(node, tx(0))).deliver?.code).toBe(0);
    const withGrant = await broadcast(node, tx(2));
    expect(withGrant.deliver?.code).toBe(0);
    expect(spendLimit(node, cold.address, warm.address)).toBe(10n * GNK);
  });

  it("refuses a fee below gas limit × min_gas_price_ngonka (code 13) and charges exactly what is stated", async () => {
    node = await startManualNode({ minGasPriceNgonka: 3n });
    const send = { "@type": "/cosmos.bank.v1beta1.MsgSend", fromAddress: cold.address, toAddress: third.address, amount: [{ denom: "ngonka", amount: "5" }] };
    const low = await submit(node, cold, [send], { gasLimit: 100_000n, fee: [{ denom: "ngonka", amount: "299999" }] });
    expect(low.check).toEqual({ code: 13, codespace: "sdk", log: "insufficient fees; got: 299999ngonka required: 300000ngonka: insufficient fee" });
    const other = await submit(node, cold, [send], { gasLimit: 100_000n, fee: [{ denom: `ibc/${"A".repeat(64)}`, amount: "999999999" }] });
    expect(other.check.code).toBe(13); // only ngonka counts
    const before = node.state.balance(cold.address, "ngonka");
    const ok = await submit(node, cold, [send], { gasLimit: 100_000n, fee: [{ denom: "ngonka", amount: "300000" }] });
    expect(ok.deliver?.code).toBe(0);
    expect(node.state.balance(cold.address, "ngonka")).toBe(before - 300_000n - 5n);
    expect(node.state.balance(FEE_COLLECTOR_ADDRESS, "ngonka")).toBe(300_000n);
  });

  it("duty messages bypass the minimum (also inside one MsgExec) and are charged nothing; nested MsgExec and mixed txs are not exempt", async () => {
    node = await startManualNode({ minGasPriceNgonka: 3n });
    const paid = { gasLimit: 200_000n, fee: [{ denom: "ngonka", amount: "600000" }] };
    await register(node, cold, paid);
    const start = {
      "@type": "/inference.inference.MsgStartInference", creator: cold.address, inferenceId: Buffer.alloc(64, 1).toString("base64"),
      promptHash: "ab", originalPromptHash: "cd", model: "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", requestedBy: third.address,
      assignedTo: cold.address, requestTimestamp: String(BigInt(Date.now()) * 1_000_000n), transferSignature: Buffer.alloc(64, 2).toString("base64"),
      maxTokens: "10", promptTokenCount: "5",
    };
    const before = node.state.balance(cold.address, "ngonka");
    const duty = await submit(node, cold, [start], { gasLimit: 1_000_000_000n, fee: [{ denom: "ngonka", amount: "777" }] });
    expect(duty.check.code).toBe(0);
    expect(duty.deliver?.code).toBe(0);
    expect(node.state.balance(cold.address, "ngonka")).toBe(before); // the stated fee is not charged

    const grant = { "@type": "/cosmos.authz.v1beta1.MsgGrant", granter: cold.address, grantee: warm.address, grant: { authorization: { "@type": "/cosmos.authz.v1beta1.GenericAuthorization", msg: "/inference.inference.MsgStartInference" } } };
    expect((await submit(node, cold, [grant], paid)).deliver?.code).toBe(0);
    const exec = { "@type": "/cosmos.authz.v1beta1.MsgExec", grantee: warm.address, msgs: [start] };
    const viaExec = await submit(node, warm, [exec], { gasLimit: 1_000_000_000n });
    expect(viaExec.check.code).toBe(0);
    expect(viaExec.deliver?.code).toBe(0);

    const nested = await submit(node, warm, [{ "@type": "/cosmos.authz.v1beta1.MsgExec", grantee: warm.address, msgs: [exec] }], { gasLimit: 1_000_000n, skipSignerCheck: true });
    expect(nested.check).toMatchObject({ code: 13, log: "insufficient fees; got: 0ngonka required: 3000000ngonka: insufficient fee" });
    const send = { "@type": "/cosmos.bank.v1beta1.MsgSend", fromAddress: cold.address, toAddress: third.address, amount: [{ denom: "ngonka", amount: "1" }] };
    expect((await submit(node, cold, [start, send], { gasLimit: 1_000_000n })).check.code).toBe(13);
    const tooMuchGas = await submit(node, cold, [start], { gasLimit: 3_000_000_001n });
    expect(tooMuchGas.check).toMatchObject({ code: 41, codespace: "sdk" });
  });

  it("an SDK-signed warm-key tx with feeGranter spends the cold allowance, expires with it and fails once it is exceeded", async () => {
    node = await startManualNode({ minGasPriceNgonka: 1n });
    const paid = { gasLimit: 200_000n, fee: [{ denom: "ngonka", amount: "200000" }] };
    const expiration = new Date(node.state.time.getTime() + 24 * 3600_000);
    const allowance = {
      "@type": "/cosmos.feegrant.v1beta1.MsgGrantAllowance", granter: cold.address, grantee: warm.address,
      allowance: { "@type": "/cosmos.feegrant.v1beta1.BasicAllowance", spendLimit: [{ denom: "ngonka", amount: "500000" }], expiration: expiration.toISOString() },
    };
    expect((await submit(node, cold, [allowance], paid)).deliver?.code).toBe(0);
    const again = await submit(node, cold, [allowance], paid);
    expect(again.deliver).toMatchObject({ code: 18, log: "failed to execute message; message index: 0: fee allowance already exists: invalid request" });

    const send = { "@type": "/cosmos.bank.v1beta1.MsgSend", fromAddress: warm.address, toAddress: third.address, amount: [{ denom: "ngonka", amount: "1" }] };
    const coldBefore = node.state.balance(cold.address, "ngonka");
    const warmBefore = node.state.balance(warm.address, "ngonka");
    const total = supply(node);
    const r = await submit(node, warm, [send], { gasLimit: 300_000n, fee: [{ denom: "ngonka", amount: "300000" }], feeGranter: cold.address });
    expect(r.deliver?.code).toBe(0);
    expect(node.state.balance(cold.address, "ngonka")).toBe(coldBefore - 300_000n);
    expect(node.state.balance(warm.address, "ngonka")).toBe(warmBefore - 1n);
    expect(spendLimit(node, cold.address, warm.address)).toBe(200_000n);
    expect(supply(node)).toBe(total);

    const over = await submit(node, warm, [send], { gasLimit: 300_000n, fee: [{ denom: "ngonka", amount: "300000" }], feeGranter: cold.address });
    expect(over.check).toEqual({
      code: 2, codespace: "feegrant", log: `${cold.address} does not allow to pay fees for ${warm.address}: basic allowance: fee limit exceeded`,
    });
    node.state.time = new Date(expiration.getTime() + 1000);
    const expired = await submit(node, warm, [send], { gasLimit: 100_000n, fee: [{ denom: "ngonka", amount: "100000" }], feeGranter: cold.address });
    expect(expired.check).toEqual({
      code: 3, codespace: "feegrant", log: `${cold.address} does not allow to pay fees for ${warm.address}: basic allowance: fee allowance expired`,
    });

    const revoke = { "@type": "/cosmos.feegrant.v1beta1.MsgRevokeAllowance", granter: cold.address, grantee: warm.address };
    expect((await submit(node, cold, [revoke], paid)).deliver?.code).toBe(0);
    const gone = await submit(node, cold, [revoke], paid);
    expect(gone.deliver).toMatchObject({ code: 38, log: "failed to execute message; message index: 0: fee-grant not found: not found" });
  });
});
