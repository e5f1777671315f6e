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

/**
 * Normalises coins to the wire form `{ denom, amount: string }` and validates them.
 *
 * @example
 * ```ts
 * toCoins("amount", [{ denom: "ngonka", amount: 1000n }]); // [{ denom: "ngonka", amount: "1000" }]
 * ```
 */
export function toCoins(argument: string, coins: readonly CoinLike[]): { denom: string; amount: string }[] {
  if (!Array.isArray(coins)) throw new InvalidArgumentError(argument, "expected an array of coins");
  return coins.map((c, i) => toCoin(`${argument}[${i}]`, c));
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
