import { guardAction } from "../validate.js";
import { create } from "@bufbuild/protobuf";
import { MsgBatchTransferWithVestingSchema, MsgTransferWithVestingSchema } from "../../../generated/proto/inference/streamvesting/tx_pb.js";
import { InvalidArgumentError } from "../../errors.js";
import type { ChainContext } from "../context.js";
import type { TxSigner } from "../keys.js";
import { decodeAddress } from "../address.js";
import { toCoins, type CoinLike } from "../coins.js";
import { sendTx, txOptions, type TxOptions } from "../send.js";
import type { TxResult } from "../broadcast.js";

/** The most epochs a vesting transfer may span. */
export const MAX_VESTING_EPOCHS = 3650n;
/** The fewest ngonka per coin entry of a vesting transfer (10 GNK). */
export const MIN_VESTING_NGONKA = 10_000_000_000n;

function vestingEpochs(v: bigint | number | undefined): bigint {
  const n = BigInt(v ?? 0);
  if (n < 0n || n > MAX_VESTING_EPOCHS) throw new InvalidArgumentError("vestingEpochs", "must be in [0, 3650] (0 = the chain's default, 180)");
  return n;
}

function vestingCoins(argument: string, amount: readonly CoinLike[]) {
  const coins = toCoins(argument, amount);
  if (coins.length === 0) throw new InvalidArgumentError(argument, "must not be empty");
  if (new Set(coins.map((c) => c.denom)).size > 10) throw new InvalidArgumentError(argument, "has more than 10 denominations");
  coins.forEach((c, i) => {
    const a = BigInt(c.amount);
    if (c.denom === "ngonka" && a < MIN_VESTING_NGONKA) throw new InvalidArgumentError(`${argument}[${i}]`, "must be at least 10,000,000,000 ngonka (10 GNK)");
    else if (c.denom === "gonka" && a < 10n) throw new InvalidArgumentError(`${argument}[${i}]`, "must be at least 10 gonka");
    else if (c.denom !== "ngonka" && c.denom !== "gonka") throw new InvalidArgumentError(`${argument}[${i}].denom`, "vesting transfers accept only ngonka or gonka");
  });
  return coins;
}

/**
 * Builds streamvesting `MsgTransferWithVesting` (v0.2.10) with its checks: ngonka entries of at
 * least 10 GNK (or gonka ≥ 10), at most 10 denominations, at most 3650 epochs.
 *
 * @example
 * ```ts
 * transferWithVestingMessage(cold.address, { recipient, amount: [{ denom: "ngonka", amount: 25_000_000_000n }], vestingEpochs: 180 });
 * ```
 */
export function transferWithVestingMessage(sender: string, a: { recipient: string; amount: readonly CoinLike[]; vestingEpochs?: bigint | number }) {
  decodeAddress(sender, "gonka", "sender");
  decodeAddress(a.recipient, "gonka", "recipient");
  return create(MsgTransferWithVestingSchema, { sender, recipient: a.recipient, amount: vestingCoins("amount", a.amount), vestingEpochs: vestingEpochs(a.vestingEpochs) });
}

/** Builds streamvesting `MsgBatchTransferWithVesting` (v0.2.11): at most 500 recipients and 2000 coin entries. */
export function batchTransferWithVestingMessage(
  sender: string,
  a: { outputs: readonly { recipient: string; amount: readonly CoinLike[] }[]; vestingEpochs?: bigint | number },
) {
  decodeAddress(sender, "gonka", "sender");
  if (!a.outputs?.length) throw new InvalidArgumentError("outputs", "at least one recipient is required");
  if (a.outputs.length > 500) throw new InvalidArgumentError("outputs", `has ${a.outputs.length} recipients; the chain allows 500`);
  const outputs = a.outputs.map((o, i) => {
    decodeAddress(o.recipient, "gonka", `outputs[${i}].recipient`);
    return { recipient: o.recipient, amount: vestingCoins(`outputs[${i}].amount`, o.amount) };
  });
  const entries = outputs.reduce((s, o) => s + o.amount.length, 0);
  if (entries > 2000) throw new InvalidArgumentError("outputs", `has ${entries} coin entries; the chain allows 2000`);
  return create(MsgBatchTransferWithVestingSchema, { sender, outputs, vestingEpochs: vestingEpochs(a.vestingEpochs) });
}

/**
 * Sends coins that vest to the recipient over `vestingEpochs` epochs (0 = the chain's 180).
 *
 * @example
 * ```ts
 * await transferWithVesting(chain, cold, { recipient: "gonka1…", amount: [{ denom: "ngonka", amount: 25_000_000_000n }], vestingEpochs: 180 });
 * ```
 */
export const transferWithVesting = /* @__PURE__ */ guardAction("transferWithVesting", async function transferWithVesting(
  ctx: ChainContext,
  wallet: TxSigner,
  args: TxOptions & { recipient: string; amount: readonly CoinLike[]; vestingEpochs?: bigint | number },
): Promise<TxResult> {
  return sendTx(ctx, wallet, [transferWithVestingMessage(wallet.address, args)], txOptions(args));
});

/**
 * Vesting transfers to many recipients in one message.
 *
 * @example
 * ```ts
 * await batchTransferWithVesting(chain, cold, { vestingEpochs: 365, outputs: [{ recipient: a, amount: [{ denom: "ngonka", amount: 10_000_000_000n }] }] });
 * ```
 */
export const batchTransferWithVesting = /* @__PURE__ */ guardAction("batchTransferWithVesting", async function batchTransferWithVesting(
  ctx: ChainContext,
  wallet: TxSigner,
  args: TxOptions & { outputs: readonly { recipient: string; amount: readonly CoinLike[] }[]; vestingEpochs?: bigint | number },
): Promise<TxResult> {
  return sendTx(ctx, wallet, [batchTransferWithVestingMessage(wallet.address, args)], txOptions(args));
});
