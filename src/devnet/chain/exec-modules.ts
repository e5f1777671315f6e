/**
 * Handlers of the other modules the devnet models at v0.2.13: x/feegrant (grant, revoke, prune),
 * `inference.bls` (dealer-complaint responses, params) and `inference.streamvesting` (transfers
 * with vesting; a schedule releases an equal share each epoch).
 */
import { anyUnpack, timestampFromMs, timestampMs, type Any } from "@bufbuild/protobuf/wkt";
import { anyPack } from "@bufbuild/protobuf/wkt";
import { create } from "@bufbuild/protobuf";
import type { MsgGrantAllowance, MsgPruneAllowances, MsgRevokeAllowance } from "../../../generated/proto/cosmos/feegrant/v1beta1/tx_pb.js";
import { PeriodicAllowanceSchema, type AllowedMsgAllowance, type BasicAllowance, type PeriodicAllowance } from "../../../generated/proto/cosmos/feegrant/v1beta1/feegrant_pb.js";
import type { MsgRespondDealerComplaints, MsgUpdateParams as MsgUpdateBlsParams } from "../../../generated/proto/inference/bls/tx_pb.js";
import type { MsgBatchTransferWithVesting, MsgTransferWithVesting } from "../../../generated/proto/inference/streamvesting/tx_pb.js";
import { AbciError, sdk } from "./abci.js";
import { bech32Bytes, moduleAccount } from "./crypto.js";
import type { Handler } from "./exec.js";
import { allowanceKey } from "./fees.js";
import { requireGov } from "./exec-inference.js";
import { devRegistry } from "./registry.js";
import type { ChainState } from "./state.js";

/** The streamvesting module account: holds coins until they vest. */
export const STREAMVESTING_ADDRESS = moduleAccount("streamvesting");

function address(v: string, what: string): void {
  try {
    bech32Bytes(v, "gonka");
  } catch {
    throw sdk.invalidAddress(`invalid ${what} address ${JSON.stringify(v)}`);
  }
}

/** The expiry of an allowance (the basic one inside periodic / allowed-msg allowances). */
function expiresAt(allowance: Any): number | undefined {
  const m = anyUnpack(allowance, devRegistry);
  if (!m) throw sdk.invalidType(`unsupported fee allowance ${allowance.typeUrl}`);
  switch (m.$typeName) {
    case "cosmos.feegrant.v1beta1.BasicAllowance": {
      const e = (m as BasicAllowance).expiration;
      return e ? timestampMs(e) : undefined;
    }
    case "cosmos.feegrant.v1beta1.PeriodicAllowance": {
      const p = m as PeriodicAllowance;
      const periodMs = p.period ? Number(p.period.seconds) * 1000 + p.period.nanos / 1e6 : 0;
      if (periodMs <= 0) throw new AbciError("feegrant", 4, "non-positive period: invalid duration");
      const e = p.basic?.expiration;
      return e ? timestampMs(e) : undefined;
    }
    case "cosmos.feegrant.v1beta1.AllowedMsgAllowance": {
      const a = m as AllowedMsgAllowance;
      if (a.allowedMessages.length === 0) throw new AbciError("feegrant", 6, "allowed messages shouldn't be empty: allowed messages are empty");
      if (!a.allowance) throw sdk.invalidRequest("allowance must not be nil");
      return expiresAt(a.allowance);
    }
    default:
      throw sdk.invalidType(`unsupported fee allowance ${allowance.typeUrl}`);
  }
}

/** A periodic allowance starts its first period at the block time (`ClearPeriodReset`). */
function startPeriod(state: ChainState, allowance: Any): Any {
  if (allowance.typeUrl !== "/cosmos.feegrant.v1beta1.PeriodicAllowance") return allowance;
  const p = create(PeriodicAllowanceSchema, anyUnpack(allowance, devRegistry) as PeriodicAllowance);
  const periodMs = Number(p.period!.seconds) * 1000 + p.period!.nanos / 1e6;
  p.periodReset = timestampFromMs(state.time.getTime() + periodMs);
  if (p.periodCanSpend.length === 0) p.periodCanSpend = p.periodSpendLimit;
  return anyPack(PeriodicAllowanceSchema, p);
}

const VESTING_MAX_EPOCHS = 3650n;
const VESTING_MAX_DENOMS = 10;

/** Checks one recipient's vesting coins (spec §2.6) and returns them as bigints. */
function vestingCoins(coins: readonly { denom: string; amount: string }[]): { denom: string; amount: bigint }[] {
  if (coins.length === 0) throw sdk.invalidCoins("amount must not be empty");
  if (coins.length > VESTING_MAX_DENOMS) throw sdk.invalidCoins(`at most ${VESTING_MAX_DENOMS} denoms per recipient, got ${coins.length}`);
  return coins.map((c) => {
    if (!/^\d+$/.test(c.amount)) throw sdk.invalidCoins(`${c.amount}${c.denom}`);
    const amount = BigInt(c.amount);
    if (c.denom === "ngonka" && amount < 10_000_000_000n) throw sdk.invalidCoins(`${amount}ngonka is below the minimum vesting transfer of 10000000000ngonka`);
    else if (c.denom === "gonka" && amount < 10n) throw sdk.invalidCoins(`${amount}gonka is below the minimum vesting transfer of 10gonka`);
    else if (c.denom !== "ngonka" && c.denom !== "gonka") throw sdk.invalidCoins(`denom ${c.denom} cannot be transferred with vesting; use ngonka or gonka`);
    return { denom: c.denom, amount };
  });
}

function vestingEpochs(n: bigint): bigint {
  const epochs = n === 0n ? 180n : n;
  if (epochs > VESTING_MAX_EPOCHS) throw sdk.invalidRequest(`vesting_epochs ${epochs} exceeds ${VESTING_MAX_EPOCHS}`);
  return epochs;
}

function debit(state: ChainState, from: string, coins: { denom: string; amount: bigint }[]): void {
  const total = new Map<string, bigint>();
  for (const c of coins) total.set(c.denom, (total.get(c.denom) ?? 0n) + c.amount);
  for (const [denom, amount] of total) {
    const have = state.balance(from, denom);
    if (have < amount) throw sdk.insufficientFunds(`spendable balance ${have}${denom} is smaller than ${amount}${denom}`);
  }
}

function schedule(state: ChainState, sender: string, outputs: { recipient: string; coins: { denom: string; amount: bigint }[] }[], epochs: bigint): void {
  const bal = state.balances.get(sender)!;
  for (const o of outputs) {
    for (const c of o.coins) bal.set(c.denom, (bal.get(c.denom) ?? 0n) - c.amount);
    state.fund(STREAMVESTING_ADDRESS, o.coins);
    state.ensureAccount(o.recipient);
    state.vesting.push({ recipient: o.recipient, sender, coins: o.coins, epochs, startEpoch: state.epoch.index, released: 0n });
  }
}

/** Releases one epoch's share of every vesting schedule (the devnet calls it at each epoch end). */
export function releaseVesting(state: ChainState): void {
  for (const v of state.vesting) {
    if (v.released >= v.epochs) continue;
    v.released += 1n;
    const coins = v.coins.map((c) => {
      const per = c.amount / v.epochs;
      // the last epoch also releases the remainder
      return { denom: c.denom, amount: v.released === v.epochs ? c.amount - per * (v.epochs - 1n) : per };
    });
    const bal = state.balances.get(STREAMVESTING_ADDRESS)!;
    for (const c of coins) bal.set(c.denom, (bal.get(c.denom) ?? 0n) - c.amount);
    state.fund(v.recipient, coins.filter((c) => c.amount > 0n));
  }
  state.vesting = state.vesting.filter((v) => v.released < v.epochs);
}

export const moduleHandlers: Record<string, Handler> = {
  "/cosmos.feegrant.v1beta1.MsgGrantAllowance": (state, m) => {
    const msg = m as MsgGrantAllowance;
    address(msg.granter, "granter");
    address(msg.grantee, "grantee");
    if (msg.granter === msg.grantee) throw sdk.invalidAddress("cannot self-grant fee authorization");
    if (!msg.allowance) throw sdk.invalidRequest("allowance must not be nil");
    const exp = expiresAt(msg.allowance);
    if (state.feeAllowances.has(allowanceKey(msg.granter, msg.grantee))) throw sdk.invalidRequest("fee allowance already exists");
    if (exp !== undefined && exp < state.time.getTime()) throw sdk.invalidRequest("expiration is before current block time");
    const allowance = startPeriod(state, msg.allowance);
    return () => {
      state.ensureAccount(msg.grantee);
      state.feeAllowances.set(allowanceKey(msg.granter, msg.grantee), { granter: msg.granter, grantee: msg.grantee, allowance });
      return undefined;
    };
  },
  "/cosmos.feegrant.v1beta1.MsgRevokeAllowance": (state, m) => {
    const msg = m as MsgRevokeAllowance;
    address(msg.granter, "granter");
    address(msg.grantee, "grantee");
    if (msg.granter === msg.grantee) throw sdk.invalidAddress("addresses must be different");
    if (!state.feeAllowances.has(allowanceKey(msg.granter, msg.grantee))) throw sdk.notFound("fee-grant not found");
    return () => {
      state.feeAllowances.delete(allowanceKey(msg.granter, msg.grantee));
      return undefined;
    };
  },
  "/cosmos.feegrant.v1beta1.MsgPruneAllowances": (state, m) => {
    address((m as MsgPruneAllowances).pruner, "pruner");
    return () => {
      for (const [k, g] of state.feeAllowances) {
        const exp = expiresAt(g.allowance);
        if (exp !== undefined && exp <= state.time.getTime()) state.feeAllowances.delete(k);
      }
      return undefined;
    };
  },
  "/inference.bls.MsgRespondDealerComplaints": (state, m) => {
    const msg = m as MsgRespondDealerComplaints;
    if (msg.responses.length === 0) throw sdk.invalidRequest("responses must not be empty");
    return () => {
      for (const r of msg.responses) {
        state.dealerComplaintResponses.set(`${msg.epochId}|${msg.dealerIndex}|${r.complainerIndex}`, {
          creator: msg.creator, shareBytes: r.responseShareBytes, openingMaterial: r.responseOpeningMaterial,
        });
      }
      return undefined;
    };
  },
  "/inference.bls.MsgUpdateParams": (state, m) => {
    const msg = m as MsgUpdateBlsParams;
    requireGov(msg.authority);
    if (!msg.params) throw sdk.invalidRequest("params must be set");
    const p = msg.params;
    return () => {
      state.blsParams = p;
      return undefined;
    };
  },
  "/inference.streamvesting.MsgTransferWithVesting": (state, m) => {
    const msg = m as MsgTransferWithVesting;
    address(msg.recipient, "recipient");
    const coins = vestingCoins(msg.amount);
    const epochs = vestingEpochs(msg.vestingEpochs);
    debit(state, msg.sender, coins);
    return () => {
      schedule(state, msg.sender, [{ recipient: msg.recipient, coins }], epochs);
      return undefined;
    };
  },
  "/inference.streamvesting.MsgBatchTransferWithVesting": (state, m) => {
    const msg = m as MsgBatchTransferWithVesting;
    if (msg.outputs.length === 0) throw sdk.invalidRequest("outputs must not be empty");
    if (msg.outputs.length > 500) throw sdk.invalidRequest(`at most 500 recipients, got ${msg.outputs.length}`);
    const entries = msg.outputs.reduce((n, o) => n + o.amount.length, 0);
    if (entries > 2000) throw sdk.invalidRequest(`at most 2000 coin entries in total, got ${entries}`);
    const outputs = msg.outputs.map((o) => {
      address(o.recipient, "recipient");
      return { recipient: o.recipient, coins: vestingCoins(o.amount) };
    });
    const epochs = vestingEpochs(msg.vestingEpochs);
    debit(state, msg.sender, outputs.flatMap((o) => o.coins));
    return () => {
      schedule(state, msg.sender, outputs, epochs);
      return undefined;
    };
  },
};
