import { Query } from "../../generated/proto/inference/inference/query_pb.js";
import { InvalidArgumentError } from "../errors.js";
import type { ChainContext } from "./context.js";
import { FeeTooLowError, GasPriceTooLowError } from "./errors.js";
import type { CoinLike } from "./coins.js";
import type { CallOptions } from "./transport/types.js";

const PARAMS_PATH = "/productscience/inference/inference/params";

/**
 * The chain-wide minimum gas price in ngonka per gas: `Params.fee_params.min_gas_price_ngonka`
 * (v0.2.12+; 0 on mainnet today and on older nodes, which have no fee params). Cached per client
 * for `network.feeTtlMs` (30 s by default).
 *
 * @example
 * ```ts
 * const price = await getMinGasPrice(chain); // 0n
 * ```
 */
export async function getMinGasPrice(ctx: Pick<ChainContext, "transport" | "cache" | "network">, options?: CallOptions): Promise<bigint> {
  const load = async (): Promise<bigint> => {
    const res = await ctx.transport.unary(Query.method.params, {}, { path: PARAMS_PATH }, options);
    return res.params?.feeParams?.minGasPriceNgonka ?? 0n;
  };
  return ctx.cache ? ctx.cache.get("minGasPrice", ctx.network?.feeTtlMs ?? 30_000, load) : load();
}

/** A non-negative decimal as `num / 10^scale`. */
interface Decimal {
  num: bigint;
  scale: number;
  text: string;
}

/**
 * Parses a gas price: a non-negative finite number (taken by its shortest round-trip decimal,
 * `String(n)`), a decimal string (`"0.025"`, `"10"`) or a bigint.
 *
 * @throws {InvalidArgumentError} for anything else.
 */
export function parseGasPrice(argument: string, v: number | string | bigint): Decimal {
  let text: string;
  if (typeof v === "bigint") text = v.toString();
  else if (typeof v === "number") {
    if (!Number.isFinite(v) || v < 0) throw new InvalidArgumentError(argument, "must be a finite number ≥ 0");
    text = String(v);
    if (/e/i.test(text)) text = expandExponent(text);
  } else text = String(v).trim();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new InvalidArgumentError(argument, `"${text}" is not a non-negative decimal (ngonka per gas)`);
  const frac = m[2] ?? "";
  return { num: BigInt(m[1]! + frac), scale: frac.length, text };
}

function expandExponent(text: string): string {
  const [mant, expText] = text.toLowerCase().split("e") as [string, string];
  const exp = Number(expText);
  const [i, f = ""] = mant.split(".") as [string, string?];
  const digits = i + f;
  const point = i.length + exp;
  if (point <= 0) return `0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + "0".repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** gas × price in ngonka, rounded up. */
function feeAmount(gasLimit: bigint, price: Decimal): bigint {
  const den = 10n ** BigInt(price.scale);
  return (gasLimit * price.num + den - 1n) / den;
}

/** True when `a < b` for decimals. */
function lessThan(a: Decimal, b: bigint): boolean {
  return a.num < b * 10n ** BigInt(a.scale);
}

/**
 * The fee coins for a tx: `gasLimit × price` ngonka rounded up, where the price is the caller's
 * (`gasPrice`) or the chain's minimum; a zero price gives no fee coin at all. A duty tx
 * (`exempt`) pays nothing unless the caller names a price or a fee.
 *
 * @throws {GasPriceTooLowError} when the caller's price is below the chain's minimum (not for a duty tx).
 * @throws {FeeTooLowError} when the caller's explicit fee offers less ngonka than gas × minimum.
 */
export function resolveFee(args: {
  gasLimit: bigint;
  minGasPrice: bigint;
  exempt: boolean;
  gasPrice?: number | string | bigint | undefined;
  fee?: readonly CoinLike[] | undefined;
}): CoinLike[] {
  const min = args.exempt ? 0n : args.minGasPrice;
  if (args.fee !== undefined) {
    if (min > 0n) {
      const offered = args.fee.filter((c) => c.denom === "ngonka").reduce((s, c) => s + BigInt(c.amount), 0n);
      const required = args.gasLimit * min;
      if (offered < required) throw new FeeTooLowError(offered, required);
    }
    return [...args.fee];
  }
  let price: Decimal;
  if (args.gasPrice !== undefined) {
    price = parseGasPrice("gasPrice", args.gasPrice);
    if (lessThan(price, min)) throw new GasPriceTooLowError(price.text, min);
  } else price = { num: min, scale: 0, text: min.toString() };
  const amount = feeAmount(args.gasLimit, price);
  return amount === 0n ? [] : [{ denom: "ngonka", amount }];
}
