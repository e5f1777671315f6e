/**
 * The devnet chain keeps the bank's invariants against hostile txs (issue 14, "Money and state"):
 * no negative balance, the SDK's `Coins.Validate` on amounts and fees, supply conserved, fees at
 * the fee collector, collateral withdrawals positive and paid out after unbonding.
 */
import { afterEach, describe, expect, it } from "vitest";
import { create, toBinary } from "@bufbuild/protobuf";
import { MsgSendSchema } from "../../generated/proto/cosmos/bank/v1beta1/tx_pb.js";
import { MsgDepositCollateralSchema, MsgWithdrawCollateralSchema } from "../../generated/proto/inference/collateral/tx_pb.js";
import { FEE_COLLECTOR_ADDRESS, type ChainNode } from "../../src/devnet/chain/index.js";
import { moduleAccount } from "../../src/devnet/chain/crypto.js";
import { cold, fourth, GNK, rawAny, startManualNode, submitRaw, third, type Submitted } from "../devnet/chain-helpers.js";

const COLLATERAL = moduleAccount("collateral");

function supply(node: ChainNode): bigint {
  let n = 0n;
  for (const b of node.state.balances.values()) n += b.get("ngonka") ?? 0n;
  return n;
}

function negatives(node: ChainNode): string[] {
  const out: string[] = [];
  for (const [a, b] of node.state.balances) for (const [d, v] of b) if (v < 0n) out.push(`${a} ${v}${d}`);
  return out;
}

const send = (from: string, to: string, amount: { denom: string; amount: string }[]) =>
  rawAny("/cosmos.bank.v1beta1.MsgSend", toBinary(MsgSendSchema, create(MsgSendSchema, { fromAddress: from, toAddress: to, amount })));
const collateral = (kind: "Deposit" | "Withdraw", participant: string, amount: string) => {
  const schema = kind === "Deposit" ? MsgDepositCollateralSchema : MsgWithdrawCollateralSchema;
  return rawAny(`/inference.collateral.Msg${kind}Collateral`, toBinary(schema, create(schema, { participant, amount: { denom: "ngonka", amount } })));
};

/** The failure of a tx, at CheckTx or at delivery. */
function failure(r: Submitted): { code: number; log: string } {
  if (r.check.code !== 0) return r.check;
  expect(r.deliver).toBeDefined();
  return r.deliver!;
}

describe("devnet chain invariants", () => {
  let node: ChainNode;
  afterEach(async () => {
    await node?.stop();
  });

  it("two sends of 600 from 1000 in one tx: the second fails and the whole tx is rolled back", async () => {
    node = await startManualNode();
    const before = { from: node.state.balance(fourth.address, "ngonka"), to: node.state.balance(third.address, "ngonka") };
    const amount = [{ denom: "ngonka", amount: String(600n * GNK) }];
    const r = await submitRaw(node, fourth, [send(fourth.address, third.address, amount), send(fourth.address, third.address, amount)]);
    const f = failure(r);
    expect(f.code).toBe(5);
    expect(f.log).toContain("insufficient funds");
    expect(node.state.balance(fourth.address, "ngonka")).toBe(before.from);
    expect(node.state.balance(third.address, "ngonka")).toBe(before.to);
    expect(negatives(node)).toEqual([]);
  });

  it("refuses [600, 600] of one denom as the SDK's Coins.Validate does: duplicate denomination", async () => {
    node = await startManualNode();
    const s0 = supply(node), b0 = node.state.balance(fourth.address, "ngonka");
    const r = await submitRaw(node, fourth, [send(fourth.address, third.address, [
      { denom: "ngonka", amount: String(600n * GNK) }, { denom: "ngonka", amount: String(600n * GNK) },
    ])]);
    const f = failure(r);
    expect(f.code).toBe(10);
    expect(f.log).toContain("duplicate denomination ngonka");
    expect(node.state.balance(fourth.address, "ngonka")).toBe(b0);
    expect(supply(node)).toBe(s0);
    expect(negatives(node)).toEqual([]);
  });

  it("refuses zero and unsorted coin lists", async () => {
    node = await startManualNode();
    const zero = failure(await submitRaw(node, fourth, [send(fourth.address, third.address, [{ denom: "ngonka", amount: "0" }])]));
    expect(zero).toMatchObject({ code: 10 });
    expect(zero.log).toContain("amount is not positive");
    const unsorted = failure(await submitRaw(node, fourth, [send(fourth.address, third.address, [{ denom: "zzz", amount: "1" }, { denom: "ngonka", amount: "1" }])]));
    expect(unsorted).toMatchObject({ code: 10 });
    expect(unsorted.log).toContain("is not sorted");
  });

  it("refuses a fee with a duplicate denom (DeductFees: invalid fee amount) and charges nothing", async () => {
    node = await startManualNode();
    const s0 = supply(node), b0 = node.state.balance(fourth.address, "ngonka");
    const collector0 = node.state.balance(FEE_COLLECTOR_ADDRESS, "ngonka");
    const fee = [{ denom: "ngonka", amount: String(600n * GNK) }, { denom: "ngonka", amount: String(600n * GNK) }];
    const r = await submitRaw(node, fourth, [send(fourth.address, third.address, [{ denom: "ngonka", amount: "1" }])], { fee });
    const f = failure(r);
    expect(f.code).toBe(13);
    expect(f.log).toContain("invalid fee amount");
    expect(f.log).toContain("duplicate denomination ngonka");
    expect(node.state.balance(fourth.address, "ngonka")).toBe(b0);
    expect(node.state.balance(FEE_COLLECTOR_ADDRESS, "ngonka")).toBe(collector0);
    expect(supply(node)).toBe(s0);
    expect(negatives(node)).toEqual([]);
  });

  it("conserves supply: a paid fee reaches the fee collector", async () => {
    node = await startManualNode();
    const s0 = supply(node), b0 = node.state.balance(fourth.address, "ngonka");
    const collector0 = node.state.balance(FEE_COLLECTOR_ADDRESS, "ngonka");
    const r = await submitRaw(node, fourth, [send(fourth.address, third.address, [{ denom: "ngonka", amount: "7" }])], { fee: [{ denom: "ngonka", amount: "5000" }] });
    expect(r.deliver?.code).toBe(0);
    expect(node.state.balance(fourth.address, "ngonka")).toBe(b0 - 5007n);
    expect(node.state.balance(FEE_COLLECTOR_ADDRESS, "ngonka")).toBe(collector0 + 5000n);
    expect(supply(node)).toBe(s0);
  });

  it("refuses a negative or zero collateral withdrawal; collateral and balances are unchanged", async () => {
    node = await startManualNode();
    expect((await submitRaw(node, cold, [collateral("Deposit", cold.address, "100")])).deliver?.code).toBe(0);
    const s0 = supply(node);
    for (const amount of ["-5000", "0"]) {
      const f = failure(await submitRaw(node, cold, [collateral("Withdraw", cold.address, amount)]));
      expect(f.code).toBe(10);
    }
    expect(node.state.collateral.get(cold.address)).toBe(100n);
    expect(node.state.balance(COLLATERAL, "ngonka")).toBe(100n);
    expect(supply(node)).toBe(s0);
  });

  it("completes collateral unbonding: after the unbonding epoch the withdrawn funds return", async () => {
    node = await startManualNode();
    const b0 = node.state.balance(cold.address, "ngonka");
    expect((await submitRaw(node, cold, [collateral("Deposit", cold.address, "1000")])).deliver?.code).toBe(0);
    const w = await submitRaw(node, cold, [collateral("Withdraw", cold.address, "400")]);
    expect(w.deliver?.code).toBe(0);
    expect(node.state.collateral.get(cold.address)).toBe(600n);
    expect(node.state.unbonding).toHaveLength(1);
    node.produceBlock();
    expect(node.state.balance(cold.address, "ngonka")).toBe(b0 - 1000n); // still unbonding in this epoch
    node.state.epoch = { ...node.state.epoch, index: node.state.epoch.index + 1n };
    node.produceBlock();
    expect(node.state.unbonding).toHaveLength(0);
    expect(node.state.balance(cold.address, "ngonka")).toBe(b0 - 600n);
    expect(node.state.balance(COLLATERAL, "ngonka")).toBe(600n);
  });
});
