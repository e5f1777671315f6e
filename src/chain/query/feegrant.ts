import { fromBinary } from "@bufbuild/protobuf";
import { Query } from "../../../generated/proto/cosmos/feegrant/v1beta1/query_pb.js";
import { BasicAllowanceSchema, type BasicAllowance, type Grant } from "../../../generated/proto/cosmos/feegrant/v1beta1/feegrant_pb.js";
import { pathSegment } from "../../http/index.js";
import type { ChainContext } from "../context.js";
import { decodeAddress } from "../address.js";
import { NodeRequestError } from "../errors.js";
import type { CallOptions } from "../transport/types.js";

/** A fee allowance from a granter to a grantee, as the chain stores it. */
export interface FeeAllowance {
  /** The x/feegrant grant: granter, grantee and the packed allowance. */
  grant: Grant;
  /** The allowance's type URL, e.g. `/cosmos.feegrant.v1beta1.BasicAllowance`. */
  typeUrl: string;
  /** The allowance decoded, when it is a `BasicAllowance` (the ML-ops kind). */
  basic?: BasicAllowance;
}

/**
 * The x/feegrant allowance `granter` gave `grantee` (`/cosmos/feegrant/v1beta1/allowance/{granter}/{grantee}`),
 * or `undefined` when there is none. The ML-ops flow gives the warm key one from the cold account.
 *
 * @example
 * ```ts
 * const a = await getFeeAllowance(chain, cold.address, warm.address);
 * a?.basic?.spendLimit; // [{ denom: "ngonka", amount: "10000000000" }]
 * ```
 */
export async function getFeeAllowance(
  ctx: Pick<ChainContext, "transport">,
  granter: string,
  grantee: string,
  options?: CallOptions,
): Promise<FeeAllowance | undefined> {
  decodeAddress(granter, "gonka", "granter");
  decodeAddress(grantee, "gonka", "grantee");
  let res;
  try {
    res = await ctx.transport.unary(
      Query.method.allowance,
      { granter, grantee },
      { path: `/cosmos/feegrant/v1beta1/allowance/${pathSegment(granter)}/${pathSegment(grantee)}` },
      options,
    );
  } catch (e) {
    // x/feegrant answers NotFound (gRPC 5; the gateway maps it to HTTP 404 or a 500 with "fee-grant not found")
    if (e instanceof NodeRequestError && (e.code === 5 || e.status === 404 || /fee-?grant not found|not found/i.test(e.serverMessage))) return undefined;
    throw e;
  }
  const grant = res.allowance;
  if (!grant?.allowance) return undefined;
  const typeUrl = grant.allowance.typeUrl.startsWith("/") ? grant.allowance.typeUrl : `/${grant.allowance.typeUrl.split("/").pop()}`;
  const out: FeeAllowance = { grant, typeUrl };
  if (typeUrl === "/cosmos.feegrant.v1beta1.BasicAllowance") {
    try {
      out.basic = fromBinary(BasicAllowanceSchema, grant.allowance.value);
    } catch {
      // left undecoded; typeUrl still says what it is
    }
  }
  return out;
}
