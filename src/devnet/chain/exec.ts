import { create, toBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import { anyPack, durationMs, timestampFromMs, timestampMs, type Any } from "@bufbuild/protobuf/wkt";
import type { MsgExec, MsgGrant, MsgRevoke } from "../../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import { MsgExecResponseSchema } from "../../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import type { MsgSend } from "../../../generated/proto/cosmos/bank/v1beta1/tx_pb.js";
import type { MsgDeposit, MsgSubmitProposal, MsgVote, MsgVoteWeighted } from "../../../generated/proto/cosmos/gov/v1/tx_pb.js";
import { MsgSubmitProposalResponseSchema } from "../../../generated/proto/cosmos/gov/v1/tx_pb.js";
import { ProposalSchema, ProposalStatus, TallyResultSchema, VoteOption, VoteSchema, DepositSchema } from "../../../generated/proto/cosmos/gov/v1/gov_pb.js";
import type { MsgUnjail } from "../../../generated/proto/cosmos/slashing/v1beta1/tx_pb.js";
import type { MsgSoftwareUpgrade } from "../../../generated/proto/cosmos/upgrade/v1beta1/tx_pb.js";
import type { MsgDepositCollateral, MsgWithdrawCollateral } from "../../../generated/proto/inference/collateral/tx_pb.js";
import { MsgWithdrawCollateralResponseSchema } from "../../../generated/proto/inference/collateral/tx_pb.js";
import { CoinSchema, type Coin } from "../../../generated/proto/cosmos/base/v1beta1/coin_pb.js";
import { TxMsgDataSchema } from "../../../generated/proto/cosmos/base/abci/v1beta1/abci_pb.js";
import { AbciError, sdk } from "./abci.js";
import { coinsProblem, messageSigners, signerAccount, unpackAny, type CheckedTx } from "./ante.js";
import { bech32Bytes, moduleAccount } from "./crypto.js";
import { devRegistry } from "./registry.js";
import { grantKey, type ChainState } from "./state.js";
import { inferenceHandlers } from "./exec-inference.js";
import { validationHandlers } from "./exec-validation.js";
import { pocHandlers } from "./exec-poc.js";
import { moduleHandlers } from "./exec-modules.js";
import { snapshotState } from "./snapshot.js";

/** The gov module account. */
export const GOV_ADDRESS = moduleAccount("gov");
const COLLATERAL_ADDRESS = moduleAccount("collateral");

/** Applies a validated message; returns its response (undefined = the empty `<Msg>Response`). */
export type Apply = () => Message | undefined;
/** An ABCI event as CometBFT reports it in `tx_result.events`. */
export interface DevEvent {
  /** Event type, e.g. `start_inference`. */
  type: string;
  /** Attributes. */
  attributes: { key: string; value: string }[];
}
/** What a message handler may record besides state: events. */
export interface ExecContext {
  /** Events of the tx, in order. */
  events: DevEvent[];
}
/** Validates a message against the state (throwing an {@link AbciError}) and returns how to apply it. */
export type Handler = (state: ChainState, msg: Message, signer: string, ctx: ExecContext) => Apply;

const gov = (code: number, log: string) => new AbciError("gov", code, log);
const authz = (code: number, log: string) => new AbciError("authz", code, log);

/** Throws the SDK's invalid-address error unless `value` is a `gonka1…` address. */
export function checkAddress(value: string, what: string): void {
  try {
    bech32Bytes(value, "gonka");
  } catch {
    throw sdk.invalidAddress(`invalid ${what} address ${JSON.stringify(value)}`);
  }
}

/**
 * Checks a coin transfer and returns its apply step. The coins must pass the SDK's
 * `Coins.Validate` (positive, valid, sorted, unique denoms); the apply step checks the balance
 * again, so a transfer never leaves a balance negative whatever ran before it in the tx.
 */
export function move(state: ChainState, from: string, to: string, coins: { denom: string; amount: string }[]): Apply {
  for (const c of coins) if (!/^\d+$/.test(c.amount)) throw sdk.invalidCoins(`${c.amount}${c.denom}`);
  const problem = coinsProblem(coins);
  if (problem) throw sdk.invalidCoins(problem);
  const check = () => {
    for (const c of coins) {
      const have = state.balance(from, c.denom);
      if (have < BigInt(c.amount)) throw sdk.insufficientFunds(`spendable balance ${have}${c.denom} is smaller than ${c.amount}${c.denom}`);
    }
  };
  check();
  return () => {
    check();
    for (const c of coins) {
      const from_ = state.balances.get(from)!;
      from_.set(c.denom, (from_.get(c.denom) ?? 0n) - BigInt(c.amount));
      state.fund(to, [{ denom: c.denom, amount: BigInt(c.amount) }]);
    }
    return undefined;
  };
}

/** Pays out collateral withdrawals whose unbonding period ended (the collateral module's EndBlock). */
export function completeUnbonding(state: ChainState): void {
  const due = state.unbonding.filter((u) => u.completionEpoch <= state.epoch.index);
  if (due.length === 0) return;
  state.unbonding = state.unbonding.filter((u) => u.completionEpoch > state.epoch.index);
  for (const u of due) {
    const module = state.balances.get(COLLATERAL_ADDRESS);
    const held = module?.get("ngonka") ?? 0n;
    const amount = u.amount <= held ? u.amount : held;
    module?.set("ngonka", held - amount);
    if (amount > 0n) state.fund(u.participant, [{ denom: "ngonka", amount }]);
  }
}

/** Throws when a tx left any balance negative (the bank keeper's invariant; the tx is rolled back). */
function assertNoNegativeBalance(state: ChainState): void {
  for (const [address, coins] of state.balances) {
    for (const [denom, amount] of coins) {
      if (amount < 0n) throw sdk.insufficientFunds(`balance of ${address} would be ${amount}${denom}`);
    }
  }
}

const handlers: Record<string, Handler> = {
  "/cosmos.authz.v1beta1.MsgGrant": (state, m) => {
    const msg = m as MsgGrant;
    checkAddress(msg.grantee, "grantee");
    if (msg.granter === msg.grantee) throw sdk.invalidRequest("granter and grantee cannot be same");
    const auth = msg.grant?.authorization;
    if (!auth) throw authz(3, "authorization is nil");
    let msgTypeUrl: string;
    if (auth.typeUrl === "/cosmos.authz.v1beta1.GenericAuthorization") {
      msgTypeUrl = (unpackAny(auth).message as unknown as { msg: string }).msg;
      // the authz keeper asks the msg router: a type the chain does not route is refused
      if (!routes(msgTypeUrl)) throw sdk.invalidType(`${msgTypeUrl} doesn't exist.`);
    } else {
      throw authz(3, `unsupported authorization type ${auth.typeUrl}`);
    }
    const exp = msg.grant?.expiration;
    if (exp && timestampMs(exp) <= state.time.getTime()) throw authz(13, "expiration must be after the current block time");
    return () => {
      state.grants.set(grantKey(msg.granter, msg.grantee, msgTypeUrl), {
        granter: msg.granter, grantee: msg.grantee, msgTypeUrl, authorization: { typeUrl: auth.typeUrl, value: auth.value },
        ...(exp ? { expiration: exp } : {}),
      });
      return undefined;
    };
  },
  "/cosmos.authz.v1beta1.MsgRevoke": (state, m) => {
    const msg = m as MsgRevoke;
    const key = grantKey(msg.granter, msg.grantee, msg.msgTypeUrl);
    if (!state.grants.has(key)) throw authz(2, "authorization not found");
    return () => {
      state.grants.delete(key);
      return undefined;
    };
  },
  "/cosmos.authz.v1beta1.MsgExec": (state, m, _signer, ctx) => {
    const msg = m as MsgExec;
    if (msg.msgs.length === 0) throw sdk.invalidRequest("messages cannot be empty");
    const inner = msg.msgs.map((any) => {
      const { schema, message } = unpackAny(any);
      const signers = messageSigners(schema, message);
      if (signers.length !== 1) throw authz(5, "authorization can be given to msg with only one signer");
      return { any, schema, message, granter: signerAccount(signers[0]!) };
    });
    return () => {
      // like DispatchActions: each inner message is authorized, validated and run in order
      const results = inner.map(({ any, schema, message, granter }) => {
        if (granter !== msg.grantee) {
          const g = state.grants.get(grantKey(granter, msg.grantee, any.typeUrl));
          if (!g || (g.expiration && timestampMs(g.expiration) <= state.time.getTime())) {
            throw sdk.unauthorized(`failed to get grant with given granter: ${granter}, grantee: ${msg.grantee} & msgType: ${any.typeUrl} : authorization not found`);
          }
        }
        const res = dispatch(state, any.typeUrl, schema, message, granter, ctx)();
        return responseBytes(any.typeUrl, res);
      });
      return create(MsgExecResponseSchema, { results });
    };
  },
  "/cosmos.bank.v1beta1.MsgSend": (state, m) => {
    const msg = m as MsgSend;
    checkAddress(msg.toAddress, "recipient");
    if (msg.amount.length === 0) throw sdk.invalidCoins("send amount must be positive");
    return move(state, msg.fromAddress, msg.toAddress, msg.amount);
  },
  "/inference.collateral.MsgDepositCollateral": (state, m) => {
    const msg = m as MsgDepositCollateral;
    if (msg.amount?.denom !== "ngonka") throw new AbciError("collateral", 1101, `invalid denom ${msg.amount?.denom ?? ""}; collateral must be ngonka`);
    const doMove = move(state, msg.participant, COLLATERAL_ADDRESS, [msg.amount]);
    return () => {
      doMove();
      state.collateral.set(msg.participant, (state.collateral.get(msg.participant) ?? 0n) + BigInt(msg.amount!.amount));
      return undefined;
    };
  },
  "/inference.collateral.MsgWithdrawCollateral": (state, m) => {
    const msg = m as MsgWithdrawCollateral;
    if (msg.amount?.denom !== "ngonka") throw new AbciError("collateral", 1101, "collateral must be ngonka");
    // ValidateBasic: a valid, positive coin
    if (!/^\d+$/.test(msg.amount.amount) || BigInt(msg.amount.amount) === 0n) throw sdk.invalidCoins(`${msg.amount.amount}${msg.amount.denom}`);
    const have = state.collateral.get(msg.participant) ?? 0n;
    const want = BigInt(msg.amount.amount);
    if (have < want) throw new AbciError("collateral", 1102, `insufficient collateral: have ${have}ngonka, requested ${want}ngonka`);
    return () => {
      state.collateral.set(msg.participant, have - want);
      const completionEpoch = state.epoch.index + 1n;
      state.unbonding.push({ participant: msg.participant, amount: want, completionEpoch });
      return create(MsgWithdrawCollateralResponseSchema, { completionEpoch });
    };
  },
  "/cosmos.slashing.v1beta1.MsgUnjail": (state, m) => {
    const msg = m as MsgUnjail;
    if (!state.jailed.has(msg.validatorAddr)) throw new AbciError("slashing", 6, "validator not jailed; cannot be unjailed");
    return () => {
      state.jailed.delete(msg.validatorAddr);
      return undefined;
    };
  },
  "/cosmos.gov.v1.MsgSubmitProposal": (state, m) => {
    const msg = m as MsgSubmitProposal;
    if (msg.messages.length === 0 && !msg.title) throw gov(3, "proposal must have at least one message or a title");
    for (const any of msg.messages) {
      const { schema, message } = unpackAny(any);
      const signers = messageSigners(schema, message);
      if (signers.length !== 1 || signers[0] !== GOV_ADDRESS) throw gov(12, `expected gov account as only signer for proposal message; got ${signers.join(",")}`);
      dispatch(state, any.typeUrl, schema, message, GOV_ADDRESS, { events: [] }); // validate now, execute on pass
    }
    const doMove = move(state, msg.proposer, GOV_ADDRESS, msg.initialDeposit);
    return () => {
      doMove();
      const id = state.nextProposalId++;
      const now = state.time.getTime();
      const proposal = create(ProposalSchema, {
        id, messages: msg.messages, status: ProposalStatus.DEPOSIT_PERIOD,
        finalTallyResult: create(TallyResultSchema, { yesCount: "0", abstainCount: "0", noCount: "0", noWithVetoCount: "0" }),
        submitTime: timestampFromMs(now), depositEndTime: timestampFromMs(now + durationMs(state.govParams.maxDepositPeriod!)),
        totalDeposit: msg.initialDeposit, metadata: msg.metadata, title: msg.title, summary: msg.summary, proposer: msg.proposer,
        expedited: msg.expedited,
      });
      state.proposals.set(id, proposal);
      if (msg.initialDeposit.length) addDeposit(state, id, msg.proposer, msg.initialDeposit);
      maybeStartVoting(state, proposal);
      return create(MsgSubmitProposalResponseSchema, { proposalId: id });
    };
  },
  "/cosmos.gov.v1.MsgDeposit": (state, m) => {
    const msg = m as MsgDeposit;
    const p = state.proposals.get(msg.proposalId);
    if (!p) throw gov(1, `unknown proposal ${msg.proposalId}`);
    if (p.status !== ProposalStatus.DEPOSIT_PERIOD && p.status !== ProposalStatus.VOTING_PERIOD) throw gov(2, `inactive proposal ${msg.proposalId}`);
    const doMove = move(state, msg.depositor, GOV_ADDRESS, msg.amount);
    return () => {
      doMove();
      addDeposit(state, p.id, msg.depositor, msg.amount);
      p.totalDeposit = sumCoins(p.totalDeposit, msg.amount);
      maybeStartVoting(state, p);
      return undefined;
    };
  },
  "/cosmos.gov.v1.MsgVote": (state, m) => {
    const msg = m as MsgVote;
    const p = activeProposal(state, msg.proposalId);
    if (msg.option === VoteOption.UNSPECIFIED || !(msg.option in VoteOption)) throw gov(6, `invalid vote option ${msg.option}`);
    return () => {
      recordVote(state, p.id, msg.voter, [{ option: msg.option, weight: "1.000000000000000000" }], msg.metadata);
      return undefined;
    };
  },
  "/cosmos.gov.v1.MsgVoteWeighted": (state, m) => {
    const msg = m as MsgVoteWeighted;
    const p = activeProposal(state, msg.proposalId);
    const total = msg.options.reduce((s, o) => s + Number(o.weight), 0);
    if (msg.options.length === 0 || Math.abs(total - 1) > 1e-12 || msg.options.some((o) => o.option === VoteOption.UNSPECIFIED)) {
      throw gov(6, "total weight of weighted vote options must be 1 and every option must be specified");
    }
    return () => {
      recordVote(state, p.id, msg.voter, msg.options.map((o) => ({ option: o.option, weight: o.weight })), msg.metadata);
      return undefined;
    };
  },
  "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade": (state, m) => {
    const msg = m as MsgSoftwareUpgrade;
    if (msg.authority !== GOV_ADDRESS) throw sdk.unauthorized("expected gov account as authority");
    if (!msg.plan?.name) throw sdk.invalidRequest("plan name cannot be empty");
    return () => {
      state.upgradePlans.push({ name: msg.plan!.name, height: msg.plan!.height, info: msg.plan!.info });
      return undefined;
    };
  },
};

function activeProposal(state: ChainState, id: bigint) {
  const p = state.proposals.get(id);
  if (!p) throw gov(1, `unknown proposal ${id}`);
  if (p.status !== ProposalStatus.VOTING_PERIOD) throw gov(2, `${id}: inactive proposal`);
  return p;
}

function recordVote(state: ChainState, id: bigint, voter: string, options: { option: VoteOption; weight: string }[], metadata: string): void {
  let votes = state.votes.get(id);
  if (!votes) state.votes.set(id, (votes = new Map()));
  votes.set(voter, create(VoteSchema, { proposalId: id, voter, options, metadata }));
}

function addDeposit(state: ChainState, id: bigint, depositor: string, amount: { denom: string; amount: string }[]): void {
  let deps = state.deposits.get(id);
  if (!deps) state.deposits.set(id, (deps = new Map()));
  const prev = deps.get(depositor);
  deps.set(depositor, create(DepositSchema, { proposalId: id, depositor, amount: sumCoins(prev?.amount ?? [], amount) }));
}

function sumCoins(a: { denom: string; amount: string }[], b: { denom: string; amount: string }[]): Coin[] {
  const m = new Map<string, bigint>();
  for (const c of [...a, ...b]) m.set(c.denom, (m.get(c.denom) ?? 0n) + BigInt(c.amount));
  return [...m].map(([denom, amount]) => create(CoinSchema, { denom, amount: amount.toString() }));
}

function maybeStartVoting(state: ChainState, p: ReturnType<typeof activeProposal>): void {
  if (p.status !== ProposalStatus.DEPOSIT_PERIOD) return;
  const min = p.expedited ? state.govParams.expeditedMinDeposit : state.govParams.minDeposit;
  const have = (denom: string) => BigInt(p.totalDeposit.find((c) => c.denom === denom)?.amount ?? "0");
  if (min.every((c) => have(c.denom) >= BigInt(c.amount))) {
    const now = state.time.getTime();
    const period = p.expedited ? state.govParams.expeditedVotingPeriod! : state.govParams.votingPeriod!;
    p.status = ProposalStatus.VOTING_PERIOD;
    p.votingStartTime = timestampFromMs(now);
    p.votingEndTime = timestampFromMs(now + durationMs(period));
  }
}

const allHandlers: Record<string, Handler> = { ...handlers, ...inferenceHandlers, ...pocHandlers, ...moduleHandlers, ...validationHandlers };

/**
 * Whether the chain's msg router has a handler for a type URL: a message of the v0.2.13 schema.
 * Every such inference, bls, streamvesting, collateral, restrictions, genesistransfer and
 * bookkeeper message is routed (those the devnet does not model are accepted without effect).
 */
export function routes(typeUrl: string): boolean {
  if (allHandlers[typeUrl]) return true;
  const schema = devRegistry.getMessage(typeUrl.slice(1));
  return !!schema && typeUrl.startsWith("/inference.") && /^Msg.+/.test(schema.name) && !schema.name.endsWith("Response");
}

/** Validates a message and returns the function that applies it. */
export function dispatch(state: ChainState, typeUrl: string, _schema: DescMessage, message: Message, signer: string, ctx: ExecContext): Apply {
  const h = allHandlers[typeUrl];
  if (h) return h(state, message, signer, ctx);
  if (routes(typeUrl)) return () => undefined; // routed by the chain, not modelled by the devnet
  throw sdk.unknownRequest(`unrecognized message type ${typeUrl} in the devnet`);
}

function responseBytes(typeUrl: string, res: Message | undefined): Uint8Array {
  if (!res) return new Uint8Array();
  return toBinary(devRegistry.getMessage(res.$typeName)!, res);
}

function responseAny(typeUrl: string, res: Message | undefined): Any {
  if (res) return { ...anyPack(devRegistry.getMessage(res.$typeName)!, res), typeUrl: `/${res.$typeName}` };
  return { $typeName: "google.protobuf.Any", typeUrl: `${typeUrl}Response`, value: new Uint8Array() };
}

/** Runs a tx's messages on a copy of the state (for Simulate); the state is left as it was. */
export function validateTx(state: ChainState, tx: CheckedTx): void {
  const restore = snapshotState(state);
  try {
    runMessages(state, tx, { events: [] });
  } finally {
    restore();
  }
}

function runMessages(state: ChainState, tx: CheckedTx, ctx: ExecContext): Any[] {
  return tx.messages.map((m, i) => {
    try {
      return responseAny(m.typeUrl, dispatch(state, m.typeUrl, m.schema, m.message, tx.signer.address, ctx)());
    } catch (e) {
      const err = e instanceof AbciError ? e : new AbciError("undefined", 1, `internal error: ${(e as Error).message}`);
      throw new AbciError(err.codespace, err.code, `failed to execute message; message index: ${i}: ${err.log}`);
    }
  });
}

/**
 * Executes a checked tx's messages in order, like `runMsgs`: when one fails, the state is rolled
 * back and the error (log prefixed with the message index) is thrown. Returns the encoded
 * `TxMsgData` with one response per message, and the events.
 */
export function deliverTx(state: ChainState, tx: CheckedTx): { data: Uint8Array; events: DevEvent[] } {
  const restore = snapshotState(state);
  const ctx: ExecContext = { events: [] };
  try {
    const msgResponses = runMessages(state, tx, ctx);
    assertNoNegativeBalance(state);
    return { data: toBinary(TxMsgDataSchema, create(TxMsgDataSchema, { msgResponses })), events: ctx.events };
  } catch (e) {
    restore();
    throw e;
  }
}

/**
 * Tallies a proposal with PoC voting power (`state.power`), as stock gov v1 does with the
 * power set by `SetComputeValidators`.
 */
export function tallyProposal(state: ChainState, id: bigint): { yes: bigint; abstain: bigint; no: bigint; noWithVeto: bigint; total: bigint } {
  const t = { yes: 0n, abstain: 0n, no: 0n, noWithVeto: 0n, total: 0n };
  for (const p of state.power.values()) t.total += p;
  const SCALE = 10n ** 18n;
  for (const vote of state.votes.get(id)?.values() ?? []) {
    const power = state.power.get(vote.voter) ?? 0n;
    for (const o of vote.options) {
      const w = decToScaled(o.weight);
      const share = (power * w) / SCALE;
      if (o.option === VoteOption.YES) t.yes += share;
      else if (o.option === VoteOption.ABSTAIN) t.abstain += share;
      else if (o.option === VoteOption.NO) t.no += share;
      else if (o.option === VoteOption.NO_WITH_VETO) t.noWithVeto += share;
    }
  }
  return t;
}

function decToScaled(s: string): bigint {
  const [int = "0", frac = ""] = s.split(".");
  return BigInt(int) * 10n ** 18n + BigInt((frac + "0".repeat(18)).slice(0, 18) || "0");
}

/** Ends proposals whose voting period is over: tally, then pass (and execute) or reject. */
export function endVotingPeriods(state: ChainState): void {
  for (const p of state.proposals.values()) {
    if (p.status !== ProposalStatus.VOTING_PERIOD || !p.votingEndTime || timestampMs(p.votingEndTime) > state.time.getTime()) continue;
    const t = tallyProposal(state, p.id);
    p.finalTallyResult = create(TallyResultSchema, {
      yesCount: t.yes.toString(), abstainCount: t.abstain.toString(), noCount: t.no.toString(), noWithVetoCount: t.noWithVeto.toString(),
    });
    const voted = t.yes + t.abstain + t.no + t.noWithVeto;
    const threshold = decToScaled(p.expedited ? state.govParams.expeditedThreshold : state.govParams.threshold);
    const quorum = decToScaled(state.govParams.quorum);
    const veto = decToScaled(state.govParams.vetoThreshold);
    const SCALE = 10n ** 18n;
    const nonAbstain = voted - t.abstain;
    const passes = t.total > 0n && voted * SCALE >= quorum * t.total && nonAbstain > 0n &&
      t.noWithVeto * SCALE < veto * voted && t.yes * SCALE > threshold * nonAbstain;
    if (!passes) {
      p.status = ProposalStatus.REJECTED;
      continue;
    }
    const restore = snapshotState(state, ["proposals"]);
    try {
      for (const any of p.messages) {
        const { schema, message } = unpackAny(any);
        dispatch(state, any.typeUrl, schema, message, GOV_ADDRESS, { events: [] })();
      }
      p.status = ProposalStatus.PASSED;
    } catch (e) {
      restore();
      p.status = ProposalStatus.FAILED;
      p.failedReason = (e as Error).message;
    }
  }
}

