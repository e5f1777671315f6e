import { InvalidArgumentError } from "../errors.js";

/** A coin as callers write it: `{ denom: "ngonka", amount: 25000000n }` (amount as bigint, number or string). */
export interface CoinLike {
  /** Denomination; Gonka's base denom is `ngonka` (1 GNK = 10^9 ngonka). */
  denom: string;
  /** Integer amount in the base denom. */
  amount: bigint | number | string;
}

/** Gonka's base denomination. */
export const BASE_DENOM = "ngonka";

/** True for a denomination the Gonka chain holds: `ngonka`, or an IBC voucher `ibc/<64 hex>`. */
export function isKnownDenom(denom: string): boolean {
  return denom === BASE_DENOM || /^ibc\/[0-9A-F]{64}$/.test(denom);
}

/**
 * Normalises coins to the wire form `{ denom, amount: string }` and validates them as the chain's
 * `Coins.Validate` does, before anything is signed: each amount a positive integer, each denom
 * known to the chain (`ngonka` or `ibc/…`), no denom twice.
 *
 * @example
 * ```ts
 * toCoins("amount", [{ denom: "ngonka", amount: 1000n }]); // [{ denom: "ngonka", amount: "1000" }]
 * ```
 */
export function toCoins(argument: string, coins: readonly CoinLike[]): { denom: string; amount: string }[] {
  if (!Array.isArray(coins)) throw new InvalidArgumentError(argument, "expected an array of coins");
  const seen = new Set<string>();
  return coins.map((c, i) => {
    const coin = toCoin(`${argument}[${i}]`, c);
    if (coin.amount === "0") throw new InvalidArgumentError(`${argument}[${i}].amount`, "must be positive", { details: "Leave a zero coin out." });
    if (!isKnownDenom(coin.denom)) {
      throw new InvalidArgumentError(`${argument}[${i}].denom`, `"${coin.denom}" is not a denomination of the Gonka chain`, {
        details: 'Amounts are in ngonka (1 GNK = 1 000 000 000 ngonka); IBC vouchers are written "ibc/<HASH>".',
      });
    }
    if (seen.has(coin.denom)) throw new InvalidArgumentError(`${argument}[${i}].denom`, `"${coin.denom}" appears twice; add the amounts up into one coin`);
    seen.add(coin.denom);
    return coin;
  });
}

/** Normalises one coin (see {@link toCoins}). */
export function toCoin(argument: string, c: CoinLike): { denom: string; amount: string } {
  if (!c || typeof c !== "object") throw new InvalidArgumentError(argument, "expected { denom, amount }");
  if (typeof c.denom !== "string" || !/^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/.test(c.denom)) {
    throw new InvalidArgumentError(`${argument}.denom`, "is not a valid denomination");
  }
  let amount: bigint;
  try {
    if (typeof c.amount === "number" && !Number.isSafeInteger(c.amount)) throw new Error();
    if (typeof c.amount === "string" && !/^\d+$/.test(c.amount)) throw new Error();
    amount = BigInt(c.amount);
  } catch {
    throw new InvalidArgumentError(`${argument}.amount`, "expected a non-negative integer");
  }
  if (amount < 0n) throw new InvalidArgumentError(`${argument}.amount`, "must not be negative");
  return { denom: c.denom, amount: amount.toString() };
}
