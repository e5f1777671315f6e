import { Query } from "../../../generated/proto/cosmos/bank/v1beta1/query_pb.js";
import { pathSegment } from "../../http/index.js";
import type { ChainContext } from "../context.js";
import { decodeAddress } from "../address.js";
import { BASE_DENOM } from "../coins.js";
import type { CallOptions } from "../transport/types.js";

/**
 * All balances of an address, amounts as bigint.
 *
 * @example
 * ```ts
 * const balances = await getBalances(chain, wallet.address); // [{ denom: "ngonka", amount: 1000000000n }]
 * ```
 */
export async function getBalances(ctx: Pick<ChainContext, "transport">, address: string, options?: CallOptions): Promise<{ denom: string; amount: bigint }[]> {
  decodeAddress(address);
  const res = await ctx.transport.unary(Query.method.allBalances, { address }, { path: `/cosmos/bank/v1beta1/balances/${pathSegment(address)}` }, options);
  return res.balances.map((c) => ({ denom: c.denom, amount: BigInt(c.amount || "0") }));
}

/** Balance of one denom (default `ngonka`). */
export async function getBalance(ctx: Pick<ChainContext, "transport">, address: string, denom = BASE_DENOM, options?: CallOptions): Promise<bigint> {
  decodeAddress(address);
  const res = await ctx.transport.unary(
    Query.method.balance,
    { address, denom },
    { path: `/cosmos/bank/v1beta1/balances/${pathSegment(address)}/by_denom`, query: { denom } },
    options,
  );
  return BigInt(res.balance?.amount || "0");
}
