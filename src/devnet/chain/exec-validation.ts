/**
 * Inference validation on the devnet chain (inference-flow.md §7–§9): `MsgValidation` decided
 * against the model's threshold, the invalidation vote a failure opens (the epoch group's two
 * proposals, modelled in memory), the votes that revalidations cast, `MsgInvalidateInference` /
 * `MsgRevalidateInference` and their effects on the executor (counters, the status update with
 * its quick-failure test and SPRTs, slashing, exclusion, reputation reset).
 *
 * Devnet model of the x/group machinery: the group is the model's epoch group (every ACTIVE
 * participant, weight = its voting power, snapshotted when the vote opens); the decision policy
 * is a percentage policy (0.50, voting period 4 min) that executes a proposal as soon as its YES
 * weight reaches half the group's weight (`Exec: TRY`). Votes after the voting period are not
 * counted; an expired vote stays open (the spec does not say what happens then).
 */
import { create } from "@bufbuild/protobuf";
import type { MsgInvalidateInference, MsgRevalidateInference, MsgValidation } from "../../../generated/proto/inference/inference/tx_pb.js";
import { CurrentEpochStatsSchema, ParticipantStatus, type Participant } from "../../../generated/proto/inference/inference/participant_pb.js";
import { DecimalSchema } from "../../../generated/proto/inference/inference/params_pb.js";
import { InferenceStatus, type Inference } from "../../../generated/proto/inference/inference/inference_pb.js";
import { Decimal, type DecimalInput } from "../../inference/validation/decimal.js";
import { computeParticipantStatus, type ParticipantStatus as StatusName } from "../../inference/validation/participant-status.js";
import { maxActiveInvalidations } from "../../inference/validation/max-invalidations.js";
import { reputation } from "../../inference/validation/reputation.js";
import { MAINNET_VALIDATION_PARAMS, type ValidationParams } from "../../inference/validation/params.js";
import { AbciError, inferenceErr, sdk } from "./abci.js";
import { moduleAccount } from "./crypto.js";
import type { Apply, ExecContext, Handler } from "./exec.js";
import type { ChainState } from "./state.js";

/** The decision policy's percentage (`0.50`) and voting period (4 min). */
export const INVALIDATION_VOTE_PERCENTAGE = new Decimal(5n, -1);
/** Voting period of the invalidation / revalidation proposals, ms. */
export const INVALIDATION_VOTING_PERIOD_MS = 4 * 60_000;

/** An open invalidation vote: the two proposals of one failed validation. */
export interface DevInferenceVote {
  inferenceId: string;
  model: string;
  /** The executor (proposer of the revalidation). */
  executor: string;
  /** The validator whose failed validation opened the vote (proposer of the invalidation). */
  invalidator: string;
  /** Epoch of the inference. */
  epochIndex: bigint;
  /** The group policy address that executes the proposals (`MsgInvalidate/RevalidateInference.creator`). */
  policyAddress: string;
  openedHeight: bigint;
  /** End of the voting period, ms since the epoch. */
  votingEndMs: number;
  /** Member weights at the start of the vote. */
  weights: Map<string, bigint>;
  /** Votes on the invalidation proposal. */
  invalidate: Map<string, "yes" | "no">;
  /** Votes on the revalidation proposal. */
  revalidate: Map<string, "yes" | "no">;
}

const STATUS_NAME: Record<number, StatusName> = { [ParticipantStatus.ACTIVE]: "ACTIVE", [ParticipantStatus.INVALID]: "INVALID", [ParticipantStatus.INACTIVE]: "INACTIVE" };

/** The group policy address of a model's epoch group (a devnet stand-in: a module-style address). */
export function groupPolicyAddress(model: string, epoch: bigint): string {
  return moduleAccount(`group-policy/${epoch}/${model}`);
}

/** `value × 10^exponent` of a chain decimal (missing = 0). */
function dec(d: { value: bigint; exponent: number } | undefined): Decimal {
  return d ? new Decimal(d.value, d.exponent) : Decimal.ZERO;
}

/** The chain's validation params in the SDK's shape (mainnet's for anything the chain lacks). */
export function chainValidationParams(state: ChainState): ValidationParams {
  const v = state.inferenceParams.validationParams;
  const m = MAINNET_VALIDATION_PARAMS;
  const d = (x: { value: bigint; exponent: number } | undefined, fallback: Decimal) => (x ? dec(x) : fallback);
  if (!v) return { ...m };
  return {
    ...m,
    falsePositiveRate: d(v.falsePositiveRate, m.falsePositiveRate),
    minValidationAverage: d(v.minValidationAverage, m.minValidationAverage),
    maxValidationAverage: d(v.maxValidationAverage, m.maxValidationAverage),
    epochsToMax: Number(v.epochsToMax || BigInt(m.epochsToMax)),
    fullValidationTrafficCutoff: Number(v.fullValidationTrafficCutoff || BigInt(m.fullValidationTrafficCutoff)),
    minValidationHalfway: d(v.minValidationHalfway, m.minValidationHalfway),
    minValidationTrafficCutoff: Number(v.minValidationTrafficCutoff || BigInt(m.minValidationTrafficCutoff)),
    missPercentageCutoff: d(v.missPercentageCutoff, m.missPercentageCutoff),
    missRequestsPenalty: d(v.missRequestsPenalty, m.missRequestsPenalty),
    badParticipantInvalidationRate: d(v.badParticipantInvalidationRate, m.badParticipantInvalidationRate),
    invalidationHThreshold: d(v.invalidationHThreshold, m.invalidationHThreshold),
    downtimeGoodPercentage: d(v.downtimeGoodPercentage, m.downtimeGoodPercentage),
    downtimeBadPercentage: d(v.downtimeBadPercentage, m.downtimeBadPercentage),
    downtimeHThreshold: d(v.downtimeHThreshold, m.downtimeHThreshold),
    quickFailureThreshold: d(v.quickFailureThreshold, m.quickFailureThreshold),
  };
}

/** A participant's reputation (0–100) from its completed epochs (the devnet keeps no miss history). */
export function participantReputation(state: ChainState, address: string): number {
  const p = state.participants.get(address);
  return reputation({ epochCount: p?.epochsCompleted ?? 0, params: chainValidationParams(state) });
}

/** The model's epoch group: ACTIVE participants with voting power (the devnet's participants serve every model). */
export function modelGroupWeights(state: ChainState): Map<string, bigint> {
  const weights = new Map<string, bigint>();
  for (const p of state.participants.values()) {
    const address = p.address || p.index;
    const w = state.power.get(address) ?? 0n;
    if (p.status === ParticipantStatus.ACTIVE && w > 0n) weights.set(address, w);
  }
  return weights;
}

/** The validator's cap on open invalidations (§9.4) with the chain's bandwidth limits. */
export function invalidationCap(state: ChainState, validator: string, model: string): number {
  const limits = state.inferenceParams.bandwidthLimitsParams;
  const periodMs = Number(limits?.invalidationsSamplePeriod ?? 120n) * 1000;
  const now = state.time.getTime();
  let recent = 0;
  for (const inf of state.inferences.values()) {
    if (inf.model === model && inf.endBlockTimestamp > 0n && Number(inf.endBlockTimestamp) >= now - periodMs) recent++;
  }
  const weights = modelGroupWeights(state);
  const total = [...weights.values()].reduce((a, b) => a + b, 0n);
  const own = weights.get(validator) ?? 0n;
  return maxActiveInvalidations({
    inferencesInWindow: recent,
    weightFraction: total > 0n ? new Decimal(own, 0).div(new Decimal(total, 0)) : Decimal.ZERO,
    reputation: participantReputation(state, validator),
    limits: {
      invalidationsLimit: Number(limits?.invalidationsLimit ?? 500n),
      invalidationsLimitCurve: Number(limits?.invalidationsLimitCurve ?? 250n),
      minimumConcurrentInvalidations: limits?.minimumConcurrentInvalidations ?? 1,
    },
  });
}

/** Open invalidation votes started by `validator`. */
export function openInvalidations(state: ChainState, validator: string): number {
  let n = 0;
  for (const v of state.inferenceVotes.values()) if (v.invalidator === validator) n++;
  return n;
}

function requireActive(state: ChainState, address: string): void {
  if (state.participants.get(address)?.status !== ParticipantStatus.ACTIVE) throw inferenceErr.activeParticipantNotFound();
}

function statsOf(p: Participant) {
  p.currentEpochStats ??= create(CurrentEpochStatsSchema, {});
  return p.currentEpochStats;
}

/**
 * Changes a participant's epoch stats with `edit`, then runs the chain's status update
 * (`ComputeStatus`) over the difference. A transition to INVALID / INACTIVE slashes its collateral
 * (`slash_fraction_invalid` / `slash_fraction_downtime`), records an exclusion, scales
 * `epochs_completed` by the reputation-preserve factor (0 on mainnet), and after
 * `consecutive_failures` resets the consecutive counter.
 */
export function updateParticipantStats(state: ChainState, address: string, edit: (p: Participant) => void): void {
  const p = state.participants.get(address);
  if (!p) return;
  const s = statsOf(p);
  const old = { inferenceCount: s.inferenceCount, missedRequests: s.missedRequests, validatedInferences: s.validatedInferences, invalidatedInferences: s.invalidatedInferences };
  edit(p);
  const status = STATUS_NAME[p.status];
  if (!status) return;
  const params = chainValidationParams(state);
  const alpha = state.inferenceParams.confirmationPocParams?.alphaThreshold;
  const ratio = s.confirmationPoCRatio;
  const update = computeParticipantStatus({
    status,
    consecutiveInvalidInferences: p.consecutiveInvalidInferences,
    stats: {
      inferenceCount: s.inferenceCount,
      missedRequests: s.missedRequests,
      validatedInferences: s.validatedInferences,
      invalidatedInferences: s.invalidatedInferences,
      invalidLLR: dec(s.invalidLLR),
      inactiveLLR: dec(s.inactiveLLR),
      // the devnet runs no confirmation PoC: a ratio is only set by editing the state
      confirmationPocRatio: ratio ? (dec(ratio) as DecimalInput) : null,
    },
    oldStats: old,
    params,
    ...(alpha ? { confirmationPocAlpha: dec(alpha) } : {}),
  });
  s.invalidLLR = create(DecimalSchema, { value: update.stats.invalidLLR.value, exponent: update.stats.invalidLLR.exponent });
  s.inactiveLLR = create(DecimalSchema, { value: update.stats.inactiveLLR.value, exponent: update.stats.inactiveLLR.exponent });
  if (update.status === status || update.status === "ACTIVE") return;
  const v = state.inferenceParams.validationParams;
  const c = state.inferenceParams.collateralParams;
  const invalid = update.status === "INVALID";
  p.status = invalid ? ParticipantStatus.INVALID : ParticipantStatus.INACTIVE;
  const slash = dec(invalid ? c?.slashFractionInvalid : c?.slashFractionDowntime);
  const held = state.collateral.get(address) ?? 0n;
  if (held > 0n && slash.sign() > 0) {
    const cut = new Decimal(held, 0).mul(slash).floor().intPart();
    state.collateral.set(address, held - cut);
    const module = moduleAccount("collateral");
    const b = state.balances.get(module);
    if (b) b.set("ngonka", (b.get("ngonka") ?? 0n) - cut); // burned
  }
  state.excludedParticipants.push({ address, epochIndex: state.epoch.index, reason: update.reason, exclusionBlockHeight: state.height });
  const preserve = dec(invalid ? v?.invalidReputationPreserve : v?.downtimeReputationPreserve);
  p.epochsCompleted = Number(new Decimal(BigInt(p.epochsCompleted), 0).mul(preserve).round(0).intPart());
  if (update.reason === "consecutive_failures") p.consecutiveInvalidInferences = 0n;
}

/** `MsgInvalidateInference`'s effect: INVALIDATED, the executor's counters, refund, the open entry closed. */
export function invalidateInference(state: ChainState, inf: Inference): void {
  inf.status = InferenceStatus.INVALIDATED;
  updateParticipantStats(state, inf.executedBy, (p) => {
    statsOf(p).invalidatedInferences += 1n;
    p.consecutiveInvalidInferences += 1n;
  });
  // before claims: the cost goes back to the requester, taken from the executor
  const cost = inf.actualCost;
  const have = state.balance(inf.executedBy, "ngonka");
  if (cost > 0n && have >= cost) {
    state.balances.get(inf.executedBy)!.set("ngonka", have - cost);
    state.fund(inf.requestedBy, [{ denom: "ngonka", amount: cost }]);
  }
  state.inferenceVotes.delete(inf.inferenceId);
}

/** `MsgRevalidateInference`'s effect: VALIDATED, the executor's consecutive failures reset, the open entry closed. */
export function revalidateInference(state: ChainState, inf: Inference): void {
  inf.status = InferenceStatus.VALIDATED;
  updateParticipantStats(state, inf.executedBy, (p) => {
    statsOf(p).validatedInferences += 1n;
    p.consecutiveInvalidInferences = 0n;
  });
  state.inferenceVotes.delete(inf.inferenceId);
}

function yesWeight(vote: DevInferenceVote, ballots: Map<string, "yes" | "no">): bigint {
  let w = 0n;
  for (const [voter, option] of ballots) if (option === "yes") w += vote.weights.get(voter) ?? 0n;
  return w;
}

function passes(vote: DevInferenceVote, ballots: Map<string, "yes" | "no">): boolean {
  const total = [...vote.weights.values()].reduce((a, b) => a + b, 0n);
  return total > 0n && new Decimal(yesWeight(vote, ballots), 0).gte(new Decimal(total, 0).mul(INVALIDATION_VOTE_PERCENTAGE));
}

/** `Decimal` string of a `value_decimal` (or the deprecated double). */
function valueOf(msg: MsgValidation): Decimal {
  if (msg.valueDecimal) return new Decimal(msg.valueDecimal.value, msg.valueDecimal.exponent);
  if (!Number.isFinite(msg.value)) throw sdk.invalidRequest(`validation value ${msg.value} is outside [0,1]`);
  return Decimal.parse(String(msg.value));
}

/** The model's `validation_threshold` (devnet: the governance model's; 0 when the model is unknown). */
export function modelThreshold(state: ChainState, model: string): Decimal {
  return dec(state.models.get(model)?.validationThreshold);
}


/** The handlers, mounted over the inference module's. */
export const validationHandlers: Record<string, Handler> = {
  "/inference.inference.MsgValidation": (state, m, _signer, ctx: ExecContext): Apply => {
    const msg = m as MsgValidation;
    // ValidateBasic
    if (!msg.inferenceId.trim()) throw sdk.invalidRequest("inference_id cannot be empty");
    if (msg.id !== "" && !msg.id.trim()) throw sdk.invalidRequest("id cannot be whitespace");
    if (msg.responseHash !== "" && !msg.responseHash.trim()) throw sdk.invalidRequest("response_hash cannot be whitespace");
    if (msg.responsePayload !== "") throw sdk.invalidRequest("response_payload is deprecated and must be empty");
    const value = valueOf(msg);
    if (value.sign() < 0 || value.gt(Decimal.ONE)) throw sdk.invalidRequest(`validation value ${value.toString()} is outside [0,1]`);
    requireActive(state, msg.creator);
    const inf = state.inferences.get(msg.inferenceId);
    if (!inf) throw inferenceErr.inferenceNotFound(msg.inferenceId);
    const noop: Apply = () => undefined;
    if (state.epoch.index > inf.epochId + 1n) return noop; // too old: ignored
    // one validation per validator; a revalidation replaces the record (its vote is counted once)
    const key = `${msg.inferenceId}|${msg.creator}`;
    if (!msg.revalidation && state.validations.has(key)) throw inferenceErr.duplicateValidation(msg.inferenceId);
    if (inf.status === InferenceStatus.STARTED) throw inferenceErr.illegalState(`inference ${msg.inferenceId} has not finished`);
    if (!msg.revalidation && inf.executedBy === msg.creator) throw inferenceErr.cannotValidateOwn(msg.inferenceId);
    const passed = value.gt(modelThreshold(state, inf.model));
    const record = () =>
      state.validations.set(key, { inferenceId: msg.inferenceId, validator: msg.creator, value: value.toString(), revalidation: msg.revalidation, height: state.height });
    if (inf.status === InferenceStatus.INVALIDATED) return () => (record(), undefined);
    // (a first validation that passes while a vote is open leaves the vote to decide: devnet choice, the spec is silent)

    if (msg.revalidation) {
      return () => {
        record();
        const vote = state.inferenceVotes.get(inf.inferenceId);
        if (!vote || inf.status !== InferenceStatus.VOTING) return undefined;
        if (!vote.weights.has(msg.creator) || vote.invalidate.has(msg.creator)) return undefined; // not a member, or voted already
        if (state.time.getTime() > vote.votingEndMs) return undefined; // the voting period is over
        vote.invalidate.set(msg.creator, passed ? "no" : "yes");
        vote.revalidate.set(msg.creator, passed ? "yes" : "no");
        if (passes(vote, vote.invalidate)) invalidateInference(state, inf);
        else if (passes(vote, vote.revalidate)) revalidateInference(state, inf);
        return undefined;
      };
    }

    if (passed) {
      return () => {
        record();
        if (inf.status === InferenceStatus.FINISHED) inf.status = InferenceStatus.VALIDATED;
        if (!inf.validatedBy.includes(msg.creator)) inf.validatedBy.push(msg.creator);
        updateParticipantStats(state, inf.executedBy, (p) => {
          p.consecutiveInvalidInferences = 0n;
          statsOf(p).validatedInferences += 1n;
        });
        return undefined;
      };
    }

    return () => {
      record();
      if (inf.epochId !== state.epoch.index) {
        inf.status = InferenceStatus.FINISHED; // failed after the epoch changed: no vote
        return undefined;
      }
      if (inf.status === InferenceStatus.VOTING) return undefined; // a vote is already open
      if (openInvalidations(state, msg.creator) >= invalidationCap(state, msg.creator, inf.model)) return undefined;
      inf.status = InferenceStatus.VOTING;
      state.inferenceVotes.set(inf.inferenceId, {
        inferenceId: inf.inferenceId,
        model: inf.model,
        executor: inf.executedBy,
        invalidator: msg.creator,
        epochIndex: inf.epochId,
        policyAddress: groupPolicyAddress(inf.model, inf.epochId),
        openedHeight: state.height,
        votingEndMs: state.time.getTime() + INVALIDATION_VOTING_PERIOD_MS,
        weights: modelGroupWeights(state),
        invalidate: new Map(),
        revalidate: new Map(),
      });
      ctx.events.push({
        type: "inference_validation",
        attributes: [
          { key: "inference_id", value: inf.inferenceId },
          { key: "validator", value: msg.creator },
          { key: "needs_revalidation", value: "true" },
        ],
      });
      return undefined;
    };
  },
  "/inference.inference.MsgInvalidateInference": (state, m) => {
    const msg = m as MsgInvalidateInference;
    const { inf } = policyCheck(state, msg.inferenceId, msg.creator);
    return () => (invalidateInference(state, inf), undefined);
  },
  "/inference.inference.MsgRevalidateInference": (state, m) => {
    const msg = m as MsgRevalidateInference;
    const { inf } = policyCheck(state, msg.inferenceId, msg.creator);
    return () => (revalidateInference(state, inf), undefined);
  },
};

/** Only the inference's group policy may execute these (they are not something a user sends). */
function policyCheck(state: ChainState, inferenceId: string, creator: string): { inf: Inference } {
  const inf = state.inferences.get(inferenceId);
  if (!inf) throw inferenceErr.inferenceNotFound(inferenceId);
  const vote = state.inferenceVotes.get(inferenceId);
  if (!vote || vote.policyAddress !== creator) {
    throw new AbciError("sdk", 4, `${creator} is not the group policy of inference ${inferenceId}'s vote: unauthorized`);
  }
  return { inf };
}
