/**
 * Queries of the other modules the devnet answers at v0.2.13: x/feegrant allowances and the
 * `inference.bls` params.
 */
import type { Message } from "@bufbuild/protobuf";
import { QueryError, type QueryContext } from "./queries.js";
import { allowanceKey } from "./fees.js";
import { paginate } from "./pagination.js";
import type { DevFeeAllowance } from "./state.js";

type Handler = (ctx: QueryContext, req: Record<string, unknown> & Message) => object;

const grantOf = (g: DevFeeAllowance) => ({ granter: g.granter, grantee: g.grantee, allowance: g.allowance });

function list(all: DevFeeAllowance[], req: Record<string, unknown>) {
  const sorted = all.sort((a, b) => (allowanceKey(a.granter, a.grantee) < allowanceKey(b.granter, b.grantee) ? -1 : 1));
  const page = paginate(sorted, (g) => allowanceKey(g.granter, g.grantee), req.pagination as never);
  return { allowances: page.items.map(grantOf), pagination: page.pagination };
}

/** Handlers by `package.Service/Method`. */
export const moduleQueryHandlers: Record<string, Handler> = {
  "cosmos.feegrant.v1beta1.Query/Allowance": ({ state }, req) => {
    const g = state.feeAllowances.get(allowanceKey(String(req.granter), String(req.grantee)));
    if (!g) throw new QueryError(5, `fee-grant not found: not found`);
    return { allowance: grantOf(g) };
  },
  "cosmos.feegrant.v1beta1.Query/Allowances": ({ state }, req) =>
    list([...state.feeAllowances.values()].filter((g) => g.grantee === req.grantee), req),
  "cosmos.feegrant.v1beta1.Query/AllowancesByGranter": ({ state }, req) =>
    list([...state.feeAllowances.values()].filter((g) => g.granter === req.granter), req),
  "inference.bls.Query/Params": ({ state }) => ({ params: state.blsParams }),
};
