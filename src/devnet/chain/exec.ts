import { create, toBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import { anyPack, durationMs, timestampFromMs, timestampMs, type Any } from "@bufbuild/protobuf/wkt";
import type { MsgExec, MsgGrant, MsgRevoke } from "../../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import type { MsgSend } from "../../../generated/proto/cosmos/bank/v1beta1/tx_pb.js";
import type { MsgDeposit, MsgSubmitProposal, MsgVote, MsgVoteWeighted } from "../../../generated/proto/cosmos/gov/v1/tx_pb.js";
import { MsgSubmitProposalResponseSchema } from "../../../generated/proto/cosmos/gov/v1/tx_pb.js";
import { ProposalSchema, ProposalStatus, TallyResultSchema, VoteOption, VoteSchema, DepositSchema } from "../../../generated/proto/cosmos/gov/v1/gov_pb.js";
import type { MsgUnjail } from "../../../generated/proto/cosmos/slashing/v1beta1/tx_pb.js";
import type { MsgSoftwareUpgrade } from "../../../generated/proto/cosmos/upgrade/v1beta1/tx_pb.js";
import type { MsgSubmitNewParticipant, MsgSubmitPocBatch, MsgUpdateParams } from "../../../generated/proto/inference/inference/tx_pb.js";
import { PoCBatchSchema } from "../../../generated/proto/inference/inference/pocbatch_pb.js";
import type { MsgDepositCollateral, MsgWithdrawCollateral } from "../../../generated/proto/inference/collateral/tx_pb.js";
import { MsgWithdrawCollateralResponseSchema } from "../../../generated/proto/inference/collateral/tx_pb.js";
import { CoinSchema, type Coin } from "../../../generated/proto/cosmos/base/v1beta1/coin_pb.js";
import { ParticipantSchema, ParticipantStatus } from "../../../generated/proto/inference/inference/participant_pb.js";
import { TxMsgDataSchema } from "../../../generated/proto/cosmos/base/abci/v1beta1/abci_pb.js";
import { AbciError, sdk } from "./abci.js";
import { messageSigners, signerAccount, unpackAny, type CheckedTx } from "./ante.js";
import { bech32Bytes, moduleAccount } from "./crypto.js";
import { devRegistry } from "./registry.js";
import { grantKey, type ChainState } from "./state.js";

/** The gov module account. */
export const GOV_ADDRESS = moduleAccount("gov");
const COLLATERAL_ADDRESS = moduleAccount("collateral");

type Apply = () => Message | undefined;
type Handler = (state: ChainState, msg: Message, signer: string) => Apply;

const gov = (code: number, log: string) => new AbciError("gov", code, log);
const authz = (code: number, log: string) => new AbciError("authz", code, log);
const inference = (code: number, log: string) => new AbciError("inference", code, log);

function checkAddress(value: string, what: string): void {
  try {
    bech32Bytes(value, "gonka");
  } catch {
    throw sdk.invalidAddress(`invalid ${what} address ${JSON.stringify(value)}`);
  }
}

function move(state: ChainState, from: string, to: string, coins: { denom: string; amount: string }[]): Apply {
  for (const c of coins) {
    if (!/^\d+$/.test(c.amount)) throw sdk.invalidCoins(`${c.amount}${c.denom}`);
    const have = state.balance(from, c.denom);
    if (have < BigInt(c.amount)) throw sdk.insufficientFunds(`spendable balance ${have}${c.denom} is smaller than ${c.amount}${c.denom}`);
  }
  return () => {
    for (const c of coins) {
      const from_ = state.balances.get(from)!;
      from_.set(c.denom, (from_.get(c.denom) ?? 0n) - BigInt(c.amount));
      state.fund(to, [{ denom: c.denom, amount: BigInt(c.amount) }]);
    }
    return undefined;
  };
}

function isB64Key32(s: string): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return false;
  return Buffer.from(s, "base64").length === 32;
}

const handlers: Record<string, Handler> = {
  "/inference.inference.MsgSubmitNewParticipant": (state, m) => {
    const msg = m as MsgSubmitNewParticipant;
    if (msg.url && !/^https?:\/\/[^/]+/.test(msg.url)) throw inference(1100, `invalid url ${msg.url}`);
    if (msg.validatorKey && !isB64Key32(msg.validatorKey)) throw inference(1101, "invalid validator key: expected base64 of 32 bytes");
    if (msg.workerKey && !isB64Key32(msg.workerKey)) throw inference(1101, "invalid worker key: expected base64 of 32 bytes");
    return () => {
      state.participants.set(msg.creator, create(ParticipantSchema, {
        index: msg.creator, address: msg.creator, weight: -1, inferenceUrl: msg.url, validatorKey: msg.validatorKey,
        workerPublicKey: msg.workerKey, status: ParticipantStatus.ACTIVE, joinTime: BigInt(state.time.getTime()), joinHeight: state.height,
      }));
      return undefined;
    };
  },
  "/inference.inference.MsgSubmitPocBatch": (state, m) => {
    const msg = m as MsgSubmitPocBatch;
    if (msg.pocStageStartBlockHeight <= 0n || !msg.batchId.trim() || msg.nonces.length === 0 || msg.nonces.length !== msg.dist.length ||
        msg.dist.some((d) => !Number.isFinite(d) || d < 0) || msg.nonces.some((n) => n < 0n)) {
      throw inference(1102, "invalid PoC batch");
    }
    if (state.epoch.pocStartBlockHeight !== 0n && msg.pocStageStartBlockHeight !== state.epoch.pocStartBlockHeight) {
      throw inference(1103, `wrong PoC stage start height ${msg.pocStageStartBlockHeight}, expected ${state.epoch.pocStartBlockHeight}`);
    }
    return () => {
      state.pocBatches.push(create(PoCBatchSchema, {
        participantAddress: msg.creator, pocStageStartBlockHeight: msg.pocStageStartBlockHeight, receivedAtBlockHeight: state.height,
        nonces: [...msg.nonces], dist: [...msg.dist], batchId: msg.batchId, nodeId: msg.nodeId,
      }));
      return undefined;
    };
  },
  // MsgSubmitPocValidation was removed by the chain's v0.2.12 upgrade: its type URL no longer resolves.
  "/inference.inference.MsgUpdateParams": (state, m) => {
    const msg = m as MsgUpdateParams;
    if (msg.authority !== GOV_ADDRESS) throw sdk.unauthorized(`invalid authority; expected ${GOV_ADDRESS}, got ${msg.authority}`);
    const p = msg.params;
    if (!p?.epochParams || !p.validationParams || !p.pocParams || !p.tokenomicsParams || !p.collateralParams || !p.bitcoinRewardParams || !p.dynamicPricingParams) {
      throw inference(1104, "invalid params: every sub-message is required");
    }
    return () => {
      state.inferenceParams = p;
      return undefined;
    };
  },
  "/cosmos.authz.v1beta1.MsgGrant": (state, m) => {
    const msg = m as MsgGrant;
    checkAddress(msg.grantee, "grantee");
    if (msg.granter === msg.grantee) throw sdk.invalidRequest("granter and grantee cannot be same");
    const auth = msg.grant?.authorization;
    if (!auth) throw authz(3, "authorization is nil");
    let msgTypeUrl: string;
    if (auth.typeUrl === "/cosmos.authz.v1beta1.GenericAuthorization") {
      msgTypeUrl = (unpackAny(auth).message as unknown as { msg: string }).msg;
      if (!devRegistry.getMessage(msgTypeUrl.slice(1))) throw sdk.invalidRequest(`${msgTypeUrl} doesn't exist`);
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
  "/cosmos.authz.v1beta1.MsgExec": (state, m) => {
    const msg = m as MsgExec;
    if (msg.msgs.length === 0) throw sdk.invalidRequest("messages cannot be empty");
    const applies: Apply[] = [];
    for (const any of msg.msgs) {
      const { schema, message } = unpackAny(any);
      const signers = messageSigners(schema, message);
      if (signers.length !== 1) throw authz(5, "authorization can be given to msg with only one signer");
      const granter = signerAccount(signers[0]!);
      if (granter !== msg.grantee) {
        const g = state.grants.get(grantKey(granter, msg.grantee, any.typeUrl));
        if (!g || (g.expiration && timestampMs(g.expiration) <= state.time.getTime())) {
          throw sdk.unauthorized(`failed to get grant with given granter: ${granter}, grantee: ${msg.grantee} & msgType: ${any.typeUrl} : authorization not found`);
        }
      }
      applies.push(dispatch(state, any.typeUrl, schema, message, granter));
    }
    return () => {
      for (const a of applies) a();
      return undefined;
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
      dispatch(state, any.typeUrl, schema, message, GOV_ADDRESS); // validate now, execute on pass
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

/** Validates a message and returns the function that applies it. */
function dispatch(state: ChainState, typeUrl: string, _schema: DescMessage, message: Message, signer: string): Apply {
  const h = handlers[typeUrl];
  if (h) return h(state, message, signer);
  if (typeUrl.startsWith("/inference.")) return () => undefined; // accepted, not modelled by the devnet
  throw sdk.unknownRequest(`unrecognized message type ${typeUrl} in the devnet`);
}

/** Runs every message's checks without applying anything (for Simulate). */
export function validateTx(state: ChainState, tx: CheckedTx): void {
  for (const m of tx.messages) dispatch(state, m.typeUrl, m.schema, m.message, tx.signer.address);
}

/**
 * Executes a checked tx's messages atomically (all validated before any applies). Returns the
 * encoded `TxMsgData` with one response per message.
 */
export function deliverTx(state: ChainState, tx: CheckedTx): Uint8Array {
  const applies = tx.messages.map((m) => dispatch(state, m.typeUrl, m.schema, m.message, tx.signer.address));
  const responses: Any[] = applies.map((apply, i) => {
    const res = apply();
    const typeUrl = `${tx.messages[i]!.typeUrl}Response`;
    if (res) return { ...anyPack(devRegistry.getMessage(res.$typeName)!, res), typeUrl: `/${res.$typeName}` };
    return { $typeName: "google.protobuf.Any", typeUrl, value: new Uint8Array() };
  });
  return toBinary(TxMsgDataSchema, create(TxMsgDataSchema, { msgResponses: responses }));
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
    try {
      const applies = p.messages.map((any) => {
        const { schema, message } = unpackAny(any);
        return dispatch(state, any.typeUrl, schema, message, GOV_ADDRESS);
      });
      for (const a of applies) a();
      p.status = ProposalStatus.PASSED;
    } catch (e) {
      p.status = ProposalStatus.FAILED;
      p.failedReason = (e as Error).message;
    }
  }
}

