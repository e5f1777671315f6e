import { Query } from "../../../generated/proto/cosmos/gov/v1/query_pb.js";
import { ProposalStatus, type Params, type Proposal, type TallyResult, type Vote } from "../../../generated/proto/cosmos/gov/v1/gov_pb.js";
import { pathSegment } from "../../http/index.js";
import type { ChainContext } from "../context.js";
import { MalformedResponseError } from "../errors.js";
import type { CallOptions } from "../transport/types.js";

const G = "/cosmos/gov/v1";
const STATUS_NAMES: Record<number, string> = {
  [ProposalStatus.DEPOSIT_PERIOD]: "PROPOSAL_STATUS_DEPOSIT_PERIOD",
  [ProposalStatus.VOTING_PERIOD]: "PROPOSAL_STATUS_VOTING_PERIOD",
  [ProposalStatus.PASSED]: "PROPOSAL_STATUS_PASSED",
  [ProposalStatus.REJECTED]: "PROPOSAL_STATUS_REJECTED",
  [ProposalStatus.FAILED]: "PROPOSAL_STATUS_FAILED",
};

/** One gov v1 proposal. */
export async function getProposal(ctx: Pick<ChainContext, "transport">, proposalId: bigint | number, options?: CallOptions): Promise<Proposal> {
  const id = BigInt(proposalId);
  const res = await ctx.transport.unary(Query.method.proposal, { proposalId: id }, { path: `${G}/proposals/${id}` }, options);
  if (!res.proposal) throw new MalformedResponseError(`${G}/proposals/${id}`, "the response has no proposal");
  return res.proposal;
}

/** Gov v1 proposals, optionally filtered by status. */
export async function getProposals(ctx: Pick<ChainContext, "transport">, filter: { status?: ProposalStatus } = {}, options?: CallOptions): Promise<Proposal[]> {
  const status = filter.status ?? ProposalStatus.UNSPECIFIED;
  const res = await ctx.transport.unary(
    Query.method.proposals,
    { proposalStatus: status },
    { path: `${G}/proposals`, ...(status ? { query: { proposal_status: STATUS_NAMES[status] } } : {}) },
    options,
  );
  return res.proposals;
}

/**
 * The tally of a proposal (live while voting is open), counts as bigint.
 *
 * @example
 * ```ts
 * const t = await getTally(chain, 2n); // { yes: 120n, no: 0n, abstain: 0n, noWithVeto: 0n }
 * ```
 */
export async function getTally(
  ctx: Pick<ChainContext, "transport">,
  proposalId: bigint | number,
  options?: CallOptions,
): Promise<{ yes: bigint; abstain: bigint; no: bigint; noWithVeto: bigint; raw: TallyResult }> {
  const id = BigInt(proposalId);
  const res = await ctx.transport.unary(Query.method.tallyResult, { proposalId: id }, { path: `${G}/proposals/${id}/tally` }, options);
  if (!res.tally) throw new MalformedResponseError(`${G}/proposals/${id}/tally`, "the response has no tally");
  const n = (s: string) => BigInt(s || "0");
  return { yes: n(res.tally.yesCount), abstain: n(res.tally.abstainCount), no: n(res.tally.noCount), noWithVeto: n(res.tally.noWithVetoCount), raw: res.tally };
}

/** The votes cast on a proposal. */
export async function getVotes(ctx: Pick<ChainContext, "transport">, proposalId: bigint | number, options?: CallOptions): Promise<Vote[]> {
  const id = BigInt(proposalId);
  const res = await ctx.transport.unary(Query.method.votes, { proposalId: id }, { path: `${G}/proposals/${id}/votes` }, options);
  return res.votes;
}

/** Gov params (`params_type` is `voting`, `deposit` or `tallying`; all are returned in `params`). */
export async function getGovParams(ctx: Pick<ChainContext, "transport">, options?: CallOptions): Promise<Params> {
  const res = await ctx.transport.unary(Query.method.params, { paramsType: "tallying" }, { path: `${G}/params/${pathSegment("tallying")}` }, options);
  if (!res.params) throw new MalformedResponseError(`${G}/params`, "the response has no params");
  return res.params;
}
