import { create, toBinary, type DescMessage, type Message, type MessageInitShape } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import { BaseAccountSchema } from "../../../generated/proto/cosmos/auth/v1beta1/auth_pb.js";
import { PubKeySchema } from "../../../generated/proto/cosmos/crypto/secp256k1/keys_pb.js";
import { TxSchema, TxBodySchema, AuthInfoSchema, TxRawSchema } from "../../../generated/proto/cosmos/tx/v1beta1/tx_pb.js";
import { ProposalStatus, TallyResultSchema } from "../../../generated/proto/cosmos/gov/v1/gov_pb.js";
import { GrantSchema } from "../../../generated/proto/cosmos/authz/v1beta1/authz_pb.js";
import { fromBinary } from "@bufbuild/protobuf";
import { AbciError } from "./abci.js";
import { anteHandle } from "./ante.js";
import { tallyProposal, validateTx } from "./exec.js";
import type { ChainState, DevTxRecord } from "./state.js";
import type { ChainNodeHooks, Mempool } from "./mempool.js";

/** A query failure with its gRPC status code (5 NotFound, 3 InvalidArgument, 12 Unimplemented, …). */
export class QueryError extends Error {
  override name = "QueryError";
  constructor(
    readonly grpcCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Context of the query handlers. */
export interface QueryContext {
  /** Chain state. */
  state: ChainState;
  /** Mempool (for BroadcastTx). */
  mempool: Mempool;
  /** Test hooks. */
  hooks: ChainNodeHooks;
}

type Req = Record<string, unknown> & Message;
type Handler = (ctx: QueryContext, req: Req) => MessageInitShape<DescMessage> | Message;

const big = (v: unknown): bigint => (typeof v === "bigint" ? v : BigInt(String(v ?? 0)));

function txResponseOf(r: DevTxRecord) {
  const raw = fromBinary(TxRawSchema, r.txRaw);
  const tx = create(TxSchema, { body: fromBinary(TxBodySchema, raw.bodyBytes), authInfo: fromBinary(AuthInfoSchema, raw.authInfoBytes), signatures: raw.signatures });
  return {
    tx,
    txResponse: {
      height: r.height, txhash: r.hash, codespace: r.codespace, code: r.code, data: Buffer.from(r.data).toString("hex").toUpperCase(),
      rawLog: r.log, gasWanted: r.gasWanted, gasUsed: r.gasUsed, tx: { ...anyPack(TxSchema, tx), typeUrl: "/cosmos.tx.v1beta1.Tx" },
      timestamp: r.time.toISOString().replace(/\.\d{3}Z$/, "Z"),
    },
  };
}

/**
 * Query and tx-service handlers by `package.Service/Method`: auth, bank, tx, gov, authz and the
 * older inference queries (the v0.2.13 ones are in queries-inference.ts; query-router.ts merges).
 */
export const queryHandlers: Record<string, Handler> = {
  "cosmos.auth.v1beta1.Query/Account": ({ state }, req) => {
    const address = String(req.address);
    const a = state.accounts.get(address);
    if (!a) throw new QueryError(5, `account ${address} not found`);
    const base = create(BaseAccountSchema, {
      address: a.address,
      accountNumber: a.accountNumber,
      sequence: a.sequence,
      ...(a.pubKey
        ? { pubKey: { $typeName: "google.protobuf.Any", typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: toBinary(PubKeySchema, create(PubKeySchema, { key: a.pubKey })) } }
        : {}),
    });
    return { account: { $typeName: "google.protobuf.Any", typeUrl: "/cosmos.auth.v1beta1.BaseAccount", value: toBinary(BaseAccountSchema, base) } };
  },
  "cosmos.bank.v1beta1.Query/AllBalances": ({ state }, req) => {
    const b = state.balances.get(String(req.address)) ?? new Map<string, bigint>();
    const balances = [...b].filter(([, v]) => v > 0n).sort(([x], [y]) => (x < y ? -1 : 1)).map(([denom, amount]) => ({ denom, amount: amount.toString() }));
    return { balances, pagination: { total: BigInt(balances.length) } };
  },
  "cosmos.bank.v1beta1.Query/Balance": ({ state }, req) => ({
    balance: { denom: String(req.denom), amount: state.balance(String(req.address), String(req.denom)).toString() },
  }),
  "cosmos.tx.v1beta1.Service/BroadcastTx": (ctx, req) => {
    const r = ctx.mempool.checkTx(req.txBytes as Uint8Array);
    return { txResponse: { txhash: r.hash, code: r.code, codespace: r.codespace, rawLog: r.log } };
  },
  "cosmos.tx.v1beta1.Service/GetTx": ({ state }, req) => {
    const hash = String(req.hash).toUpperCase();
    const r = state.txs.get(hash);
    if (!r) throw new QueryError(5, `tx not found: ${hash}`);
    return txResponseOf(r);
  },
  "cosmos.tx.v1beta1.Service/Simulate": ({ state }, req) => {
    const bytes = req.txBytes as Uint8Array;
    if (!bytes || bytes.length === 0) throw new QueryError(3, "empty txBytes is not allowed");
    try {
      const checked = anteHandle(state, bytes, "simulate");
      validateTx(state, checked);
      return { gasInfo: { gasWanted: checked.gasWanted, gasUsed: checked.gasUsed }, result: { log: "" } };
    } catch (e) {
      if (e instanceof AbciError) throw new QueryError(2, e.log);
      throw e;
    }
  },
  "cosmos.gov.v1.Query/Proposal": ({ state }, req) => {
    const p = state.proposals.get(big(req.proposalId));
    if (!p) throw new QueryError(5, `proposal ${String(req.proposalId)} doesn't exist`);
    return { proposal: p };
  },
  "cosmos.gov.v1.Query/Proposals": ({ state }, req) => {
    const status = Number(req.proposalStatus ?? 0);
    const list = [...state.proposals.values()].filter((p) => status === 0 || p.status === status);
    return { proposals: list, pagination: { total: BigInt(list.length) } };
  },
  "cosmos.gov.v1.Query/TallyResult": ({ state }, req) => {
    const id = big(req.proposalId);
    const p = state.proposals.get(id);
    if (!p) throw new QueryError(5, `proposal ${id} doesn't exist`);
    if (p.status !== ProposalStatus.VOTING_PERIOD && p.finalTallyResult) return { tally: p.finalTallyResult };
    const t = tallyProposal(state, id);
    return { tally: create(TallyResultSchema, { yesCount: `${t.yes}`, abstainCount: `${t.abstain}`, noCount: `${t.no}`, noWithVetoCount: `${t.noWithVeto}` }) };
  },
  "cosmos.gov.v1.Query/Votes": ({ state }, req) => {
    const votes = [...(state.votes.get(big(req.proposalId))?.values() ?? [])];
    return { votes, pagination: { total: BigInt(votes.length) } };
  },
  "cosmos.gov.v1.Query/Vote": ({ state }, req) => {
    const v = state.votes.get(big(req.proposalId))?.get(String(req.voter));
    if (!v) throw new QueryError(5, `voter: ${String(req.voter)} not found for proposal: ${String(req.proposalId)}`);
    return { vote: v };
  },
  "cosmos.gov.v1.Query/Deposits": ({ state }, req) => {
    const deposits = [...(state.deposits.get(big(req.proposalId))?.values() ?? [])];
    return { deposits, pagination: { total: BigInt(deposits.length) } };
  },
  "cosmos.gov.v1.Query/Params": ({ state }) => {
    const p = state.govParams;
    return {
      params: p,
      votingParams: { votingPeriod: p.votingPeriod },
      depositParams: { minDeposit: p.minDeposit, maxDepositPeriod: p.maxDepositPeriod },
      tallyParams: { quorum: p.quorum, threshold: p.threshold, vetoThreshold: p.vetoThreshold },
    };
  },
  "cosmos.authz.v1beta1.Query/Grants": ({ state }, req) => {
    const grants = [...state.grants.values()]
      .filter((g) => g.granter === req.granter && g.grantee === req.grantee && (!req.msgTypeUrl || g.msgTypeUrl === req.msgTypeUrl))
      .map((g) => create(GrantSchema, { authorization: { typeUrl: g.authorization.typeUrl, value: g.authorization.value }, ...(g.expiration ? { expiration: g.expiration } : {}) }));
    return { grants, pagination: { total: BigInt(grants.length) } };
  },
  "inference.inference.Query/Participant": ({ state }, req) => {
    const p = state.participants.get(String(req.index));
    if (!p) throw new QueryError(5, "not found");
    return { participant: p };
  },
  "inference.inference.Query/ParticipantAll": ({ state }) => {
    const participant = [...state.participants.values()];
    return { participant, pagination: { total: BigInt(participant.length) }, blockHeight: state.height };
  },
  "inference.inference.Query/PocBatchesForStage": ({ state }, req) => {
    const h = big(req.blockHeight);
    const by = new Map<string, typeof state.pocBatches>();
    for (const b of state.pocBatches) {
      if (b.pocStageStartBlockHeight !== h) continue;
      let list = by.get(b.participantAddress);
      if (!list) by.set(b.participantAddress, (list = []));
      list.push(b);
    }
    return {
      pocBatch: [...by].map(([participant, batches]) => {
        const pk = state.accounts.get(participant)?.pubKey;
        return { participant, pubKey: pk ? Buffer.from(pk).toString("base64") : "", hexPubKey: pk ? Buffer.from(pk).toString("hex") : "", pocBatch: batches };
      }),
    };
  },
};

