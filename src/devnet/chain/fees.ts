/**
 * Fees at chain v0.2.12+ (spec chain-upgrades.md §6): the consensus minimum gas price of
 * `fee_params.min_gas_price_ngonka`, the duty-message bypass, and x/feegrant allowances paying
 * through `AuthInfo.fee.granter`. Fees go to the fee collector module account.
 */
import { anyPack, anyUnpack, timestampMs, type Any } from "@bufbuild/protobuf/wkt";
import { create } from "@bufbuild/protobuf";
import {
  AllowedMsgAllowanceSchema,
  BasicAllowanceSchema,
  PeriodicAllowanceSchema,
  type BasicAllowance,
} from "../../../generated/proto/cosmos/feegrant/v1beta1/feegrant_pb.js";
import type { MsgExec } from "../../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import { CoinSchema } from "../../../generated/proto/cosmos/base/v1beta1/coin_pb.js";
import { AbciError, feegrantErr, sdk, wrapError } from "./abci.js";
import { devRegistry } from "./registry.js";
import type { ChainState, DevFeeAllowance } from "./state.js";

/** Message types a tx may consist of to be fee-exempt (spec §2.1 "fee" column and the four bls duty messages). */
export const FEE_EXEMPT_TYPE_URLS: ReadonlySet<string> = new Set([
  "/inference.inference.MsgStartInference",
  "/inference.inference.MsgFinishInference",
  "/inference.inference.MsgValidation",
  "/inference.inference.MsgInvalidateInference",
  "/inference.inference.MsgRevalidateInference",
  "/inference.inference.MsgSubmitPocBatch",
  "/inference.inference.MsgSubmitPocValidationsV2",
  "/inference.inference.MsgMLNodeWeightDistribution",
  "/inference.bls.MsgSubmitDealerPart",
  "/inference.bls.MsgSubmitVerificationVector",
  "/inference.bls.MsgSubmitGroupKeyValidationSignature",
  "/inference.bls.MsgSubmitPartialSignature",
]);

/** The largest gas limit a fee-exempt tx may state. */
export const MAX_EXEMPT_GAS = 3_000_000_000n;

/**
 * Whether every message is a duty message, directly or inside one level of `MsgExec` (a `MsgExec`
 * inside a `MsgExec` is not exempt).
 */
export function isFeeExempt(messages: readonly { typeUrl: string; message: unknown }[]): boolean {
  return messages.every((m) => {
    if (FEE_EXEMPT_TYPE_URLS.has(m.typeUrl)) return true;
    if (m.typeUrl !== "/cosmos.authz.v1beta1.MsgExec") return false;
    const inner = (m.message as MsgExec).msgs;
    return inner.length > 0 && inner.every((a) => FEE_EXEMPT_TYPE_URLS.has(a.typeUrl));
  });
}

/** The `ngonka` fee a tx must pay: gas limit × `min_gas_price_ngonka` (0 when the price is 0 or the tx is exempt). */
export function requiredFee(state: ChainState, gasLimit: bigint, exempt: boolean): bigint {
  const price = state.inferenceParams.feeParams?.minGasPriceNgonka ?? 0n;
  return exempt ? 0n : gasLimit * price;
}

/** Key of a fee allowance in {@link ChainState.feeAllowances}. */
export function allowanceKey(granter: string, grantee: string): string {
  return `${granter}|${grantee}`;
}

type Coins = { denom: string; amount: bigint }[];

function subtract(have: readonly { denom: string; amount: string }[], fee: Coins): { left: Coins; short: boolean } {
  const left = new Map(have.map((c) => [c.denom, BigInt(c.amount)]));
  let short = false;
  for (const c of fee) {
    if (c.amount === 0n) continue;
    const v = (left.get(c.denom) ?? 0n) - c.amount;
    if (v < 0n) short = true;
    left.set(c.denom, v);
  }
  return { left: [...left].filter(([, v]) => v > 0n).map(([denom, amount]) => ({ denom, amount })), short };
}

const coinsOf = (c: Coins) => c.map((x) => create(CoinSchema, { denom: x.denom, amount: x.amount.toString() }));

/** The outcome of accepting a fee against an allowance: the allowance to store, or removal. */
type Accepted = { remove: true } | { remove: false; updated: Any };

function acceptBasic(a: BasicAllowance, fee: Coins, now: number, what = "basic allowance"): { remove: boolean; next: BasicAllowance } {
  if (a.expiration && timestampMs(a.expiration) < now) throw feegrantErr.feeLimitExpired(what);
  if (a.spendLimit.length === 0) return { remove: false, next: a };
  const { left, short } = subtract(a.spendLimit, fee);
  if (short) throw feegrantErr.feeLimitExceeded(what);
  return { remove: left.length === 0, next: create(BasicAllowanceSchema, { spendLimit: coinsOf(left), ...(a.expiration ? { expiration: a.expiration } : {}) }) };
}

function accept(allowance: Any, fee: Coins, typeUrls: readonly string[], now: number): Accepted {
  const m = anyUnpack(allowance, devRegistry);
  if (!m) throw feegrantErr.noAllowance(`unknown allowance type ${allowance.typeUrl}`);
  switch (m.$typeName) {
    case "cosmos.feegrant.v1beta1.BasicAllowance": {
      const r = acceptBasic(m as BasicAllowance, fee, now);
      return r.remove ? { remove: true } : { remove: false, updated: pack(BasicAllowanceSchema, r.next) };
    }
    case "cosmos.feegrant.v1beta1.PeriodicAllowance": {
      const p = create(PeriodicAllowanceSchema, m as never);
      const basic = p.basic ?? create(BasicAllowanceSchema);
      if (basic.expiration && timestampMs(basic.expiration) < now) throw feegrantErr.feeLimitExpired("absolute limit");
      const periodMs = p.period ? Number(p.period.seconds) * 1000 + p.period.nanos / 1e6 : 0;
      const resetMs = p.periodReset ? timestampMs(p.periodReset) : 0;
      if (now >= resetMs) {
        // refill: the period limit, capped by what is left of the absolute limit
        const cap = basic.spendLimit.length ? new Map(basic.spendLimit.map((c) => [c.denom, BigInt(c.amount)])) : undefined;
        p.periodCanSpend = p.periodSpendLimit.map((c) => {
          const v = cap ? (BigInt(c.amount) < (cap.get(c.denom) ?? 0n) ? BigInt(c.amount) : (cap.get(c.denom) ?? 0n)) : BigInt(c.amount);
          return create(CoinSchema, { denom: c.denom, amount: v.toString() });
        });
        const next = resetMs + periodMs;
        const at = now > next ? now + periodMs : next;
        p.periodReset = { $typeName: "google.protobuf.Timestamp", seconds: BigInt(Math.floor(at / 1000)), nanos: (at % 1000) * 1e6 };
      }
      const period = subtract(p.periodCanSpend, fee);
      if (period.short) throw feegrantErr.feeLimitExceeded("period limit");
      p.periodCanSpend = coinsOf(period.left);
      if (basic.spendLimit.length) {
        const r = acceptBasic(basic, fee, now, "absolute limit");
        if (r.remove) return { remove: true };
        p.basic = r.next;
      }
      return { remove: false, updated: pack(PeriodicAllowanceSchema, p) };
    }
    case "cosmos.feegrant.v1beta1.AllowedMsgAllowance": {
      const a = create(AllowedMsgAllowanceSchema, m as never);
      if (typeUrls.some((t) => !a.allowedMessages.includes(t))) throw feegrantErr.messageNotAllowed("message does not exist in allowed messages");
      if (!a.allowance) throw feegrantErr.noAllowance("allowed msg allowance without an inner allowance");
      const inner = accept(a.allowance, fee, typeUrls, now);
      if (inner.remove) return { remove: true };
      a.allowance = inner.updated;
      return { remove: false, updated: pack(AllowedMsgAllowanceSchema, a) };
    }
    default:
      throw feegrantErr.noAllowance(`unsupported allowance type ${allowance.typeUrl}`);
  }
}

function pack<T extends Parameters<typeof anyPack>[0]>(schema: T, message: Parameters<typeof anyPack<T>>[1]): Any {
  return anyPack(schema, message);
}

/**
 * Checks that `granter`'s allowance to `grantee` covers `fee` for these messages and returns
 * what to apply: the spent allowance (or its removal when used up). Errors are the ante
 * handler's, e.g. `"<granter> does not allow to pay fees for <grantee>: fee-grant not found: not found"`.
 */
export function useGrantedFees(state: ChainState, granter: string, grantee: string, fee: Coins, typeUrls: readonly string[]): () => void {
  const prefix = `${granter} does not allow to pay fees for ${grantee}`;
  const key = allowanceKey(granter, grantee);
  const grant = state.feeAllowances.get(key);
  if (!grant) throw wrapError(sdk.notFound("fee-grant not found"), prefix);
  let result: Accepted;
  try {
    result = accept(grant.allowance, fee, typeUrls, state.time.getTime());
  } catch (e) {
    // a failing ante handler writes nothing: an expired allowance stays until revoked or pruned
    throw e instanceof AbciError ? wrapError(e, prefix) : e;
  }
  return () => {
    if (result.remove) state.feeAllowances.delete(key);
    else state.feeAllowances.set(key, { ...grant, allowance: result.updated } satisfies DevFeeAllowance);
  };
}
