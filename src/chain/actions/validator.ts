import { guardAction } from "../validate.js";
import { create } from "@bufbuild/protobuf";
import { MsgUnjailSchema } from "../../../generated/proto/cosmos/slashing/v1beta1/tx_pb.js";
import { MsgDepositCollateralSchema, MsgWithdrawCollateralSchema, MsgWithdrawCollateralResponseSchema } from "../../../generated/proto/inference/collateral/tx_pb.js";
import { MsgSendSchema } from "../../../generated/proto/cosmos/bank/v1beta1/tx_pb.js";
import { fromBinary } from "@bufbuild/protobuf";
import type { ChainContext } from "../context.js";
import type { TxSigner } from "../keys.js";
import { decodeAddress, toValoperAddress } from "../address.js";
import { BASE_DENOM, toCoin, toCoins, type CoinLike } from "../coins.js";
import { sendTx, txOptions, type TxOptions } from "../send.js";
import type { TxResult } from "../broadcast.js";
import { InvalidArgumentError } from "../../errors.js";

/**
 * Unjails the signer's validator (`tx slashing unjail`); the valoper is derived from the wallet.
 *
 * @example
 * ```ts
 * await unjail(chain, cold);
 * ```
 */
export const unjail = /* @__PURE__ */ guardAction("unjail", async function unjail(ctx: ChainContext, wallet: TxSigner, args: TxOptions = {}): Promise<TxResult> {
  const msg = create(MsgUnjailSchema, { validatorAddr: toValoperAddress(wallet.address) });
  return sendTx(ctx, wallet, [msg], txOptions(args));
}, true);

function ngonka(argument: string, amount: bigint | number | string): { denom: string; amount: string } {
  const c = toCoin(argument, { denom: BASE_DENOM, amount });
  if (c.amount === "0") throw new InvalidArgumentError(argument, "must be positive");
  return c;
}

/**
 * Deposits collateral (ngonka) for the signer (`tx collateral deposit-collateral`).
 *
 * @example
 * ```ts
 * await depositCollateral(chain, cold, { amount: 4_200_000_000n });
 * ```
 */
export const depositCollateral = /* @__PURE__ */ guardAction("depositCollateral", async function depositCollateral(ctx: ChainContext, wallet: TxSigner, args: TxOptions & { amount: bigint | number | string }): Promise<TxResult> {
  const msg = create(MsgDepositCollateralSchema, { participant: wallet.address, amount: ngonka("amount", args.amount) });
  return sendTx(ctx, wallet, [msg], txOptions(args));
});

/** Starts withdrawing collateral; resolves with the epoch in which it completes. */
export const withdrawCollateral = /* @__PURE__ */ guardAction("withdrawCollateral", async function withdrawCollateral(
  ctx: ChainContext,
  wallet: TxSigner,
  args: TxOptions & { amount: bigint | number | string },
): Promise<TxResult & { completionEpoch: bigint }> {
  const msg = create(MsgWithdrawCollateralSchema, { participant: wallet.address, amount: ngonka("amount", args.amount) });
  const result = await sendTx(ctx, wallet, [msg], txOptions(args));
  const res = result.msgResponses.find((a) => a.typeUrl === "/inference.collateral.MsgWithdrawCollateralResponse");
  return { ...result, completionEpoch: res ? fromBinary(MsgWithdrawCollateralResponseSchema, res.value).completionEpoch : 0n };
});

/**
 * Sends coins (`tx bank send`). Before block 1,555,000 mainnet blocks user-to-user transfers
 * (x/restrictions); expect a {@link ChainTxError} there.
 *
 * @example
 * ```ts
 * await send(chain, wallet, { to: "gonka1…", amount: [{ denom: "ngonka", amount: 1_000_000_000n }] });
 * ```
 */
export const send = /* @__PURE__ */ guardAction("send", async function send(ctx: ChainContext, wallet: TxSigner, args: TxOptions & { to: string; amount: CoinLike[] }): Promise<TxResult> {
  decodeAddress(args.to, "gonka", "to");
  const amount = toCoins("amount", args.amount);
  if (amount.length === 0) throw new InvalidArgumentError("amount", "must not be empty");
  const msg = create(MsgSendSchema, { fromAddress: wallet.address, toAddress: args.to, amount });
  return sendTx(ctx, wallet, [msg], txOptions(args));
});
