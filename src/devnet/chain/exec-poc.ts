/**
 * PoC handlers of the devnet chain (spec chain-upgrades.md §7): v2 store commits, ML-node weight
 * distributions and validations with their windows relative to the stage start S, per-model
 * delegation modes, and the v1 `MsgSubmitPocBatch` (accepted only while `poc_v2_enabled=false`).
 */
import { create, type Message } from "@bufbuild/protobuf";
import type {
  MsgMLNodeWeightDistribution,
  MsgPoCV2StoreCommit,
  MsgSubmitPocBatch,
  MsgSubmitPocValidationsV2,
} from "../../../generated/proto/inference/inference/tx_pb.js";
import type { MsgDeclarePoCIntent, MsgRefusePoCDelegation, MsgSetPoCDelegation } from "../../../generated/proto/inference/inference/poc_delegation_pb.js";
import type { MsgExec } from "../../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import { PoCBatchSchema } from "../../../generated/proto/inference/inference/pocbatch_pb.js";
import { PoCValidationV2Schema } from "../../../generated/proto/inference/inference/poc_v2_pb.js";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { inferenceErr, sdk } from "./abci.js";
import { bech32Bytes } from "./crypto.js";
import type { Handler } from "./exec.js";
import { devRegistry } from "./registry.js";
import { pocKey, type ChainState, type DevPocV2Commit } from "./state.js";

/** The PoC windows of a stage starting at S (spec §7.1), from the epoch params. */
export function pocWindows(state: ChainState, stageStart: bigint): { commit: [bigint, bigint]; validation: [bigint, bigint] } {
  const e = state.inferenceParams.epochParams;
  const stage = e?.pocStageDuration ?? 0n;
  const exchange = e?.pocExchangeDuration ?? 0n;
  const delay = e?.pocValidationDelay ?? 0n;
  const validation = e?.pocValidationDuration ?? 0n;
  return {
    commit: [stageStart + 1n, stageStart + stage + exchange],
    validation: [stageStart + stage + delay + 1n, stageStart + stage + delay + validation],
  };
}

function requireV2(state: ChainState): void {
  if (!state.inferenceParams.pocParams?.pocV2Enabled) throw inferenceErr.notSupported("V2 disabled when poc_v2_enabled=false");
}

function requireNotBlocked(state: ChainState, creator: string): void {
  if (state.inferenceParams.participantAccessParams?.blockedParticipantAddresses.includes(creator)) throw inferenceErr.participantBlocked(creator);
}

/** S must be the current (devnet: latest) PoC stage start. */
function requireStage(state: ChainState, s: bigint): void {
  const expected = state.epoch.pocStartBlockHeight;
  if (s !== expected) throw inferenceErr.pocWrongStartBlockHeight(`start block height ${s} doesn't match PoC stage start ${expected}`);
}

function requireGovernanceModel(state: ChainState, modelId: string): void {
  if (!modelId) throw inferenceErr.illegalState("model_id must not be empty");
  if (!state.models.has(modelId)) throw inferenceErr.invalidModel(`model_id ${JSON.stringify(modelId)} is not a governance model`);
}

function requireParticipant(state: ChainState, address: string): void {
  if (!state.participants.has(address)) throw inferenceErr.participantNotFound();
}

/** The commit updates a store-commit message makes, checked against the stored commits. */
function commitUpdates(state: ChainState, msg: MsgPoCV2StoreCommit): { updates: DevPocV2Commit[]; first: boolean; countDelta: bigint } {
  if (msg.entries.length === 0) throw inferenceErr.illegalState("entries must not be empty");
  const s = msg.pocStageStartBlockHeight;
  let first = true;
  for (const c of state.pocV2Commits.values()) if (c.participantAddress === msg.creator && c.pocStageStartBlockHeight === s) first = false;
  let countDelta = 0n;
  const updates = msg.entries.map((entry) => {
    if (entry.count === 0) throw inferenceErr.illegalState("entry count must be greater than 0");
    if (entry.rootHash.length !== 32) throw inferenceErr.illegalState(`root_hash must be 32 bytes, got ${entry.rootHash.length}`);
    requireGovernanceModel(state, entry.modelId);
    const existing = state.pocV2Commits.get(pocKey(s, msg.creator, entry.modelId));
    let delta = BigInt(entry.count);
    if (existing) {
      if (existing.commitBlockHeight === state.height) throw inferenceErr.illegalState("only one commit per block allowed");
      if (entry.count <= existing.count) throw inferenceErr.illegalState(`count must increase: got ${entry.count}, last recorded ${existing.count}`);
      delta = BigInt(entry.count - existing.count);
    }
    countDelta += delta;
    return {
      participantAddress: msg.creator, pocStageStartBlockHeight: s, modelId: entry.modelId, count: entry.count,
      rootHash: entry.rootHash, commitBlockHeight: state.height,
    };
  });
  return { updates, first, countDelta };
}

/**
 * Gas a message burns beyond the devnet's flat per-message gas: a PoC v2 store commit costs
 * `base_validation_gas` on the participant's first commit of the stage plus `gas_per_poc_count`
 * per unit of count increase (also inside `MsgExec`). Messages that would fail cost nothing extra.
 */
export function extraMessageGas(state: ChainState, typeUrl: string, message: Message): bigint {
  if (typeUrl === "/cosmos.authz.v1beta1.MsgExec") {
    let gas = 0n;
    for (const any of (message as MsgExec).msgs) {
      const inner = devRegistry.getMessage(any.typeUrl.slice(1)) ? anyUnpack(any, devRegistry) : undefined;
      if (inner) gas += extraMessageGas(state, any.typeUrl, inner);
    }
    return gas;
  }
  if (typeUrl !== "/inference.inference.MsgPoCV2StoreCommit") return 0n;
  try {
    const { first, countDelta } = commitUpdates(state, message as MsgPoCV2StoreCommit);
    const fee = state.inferenceParams.feeParams;
    return (first ? (fee?.baseValidationGas ?? 0n) : 0n) + countDelta * (fee?.gasPerPocCount ?? 0n);
  } catch {
    return 0n;
  }
}

function checkAddress(v: string, what: string): void {
  try {
    bech32Bytes(v, "gonka");
  } catch {
    throw inferenceErr.invalidAddress(`invalid ${what} address ${JSON.stringify(v)}`);
  }
}

function requirePocModel(state: ChainState, modelId: string): void {
  if (!state.inferenceParams.pocParams?.models.some((m) => m.modelId === modelId)) {
    throw inferenceErr.invalidModel(`model_id ${JSON.stringify(modelId)} is not a PoC model`);
  }
}

export const pocHandlers: Record<string, Handler> = {
  "/inference.inference.MsgSubmitPocBatch": (state, m) => {
    const msg = m as MsgSubmitPocBatch;
    requireParticipant(state, msg.creator);
    if (state.inferenceParams.pocParams?.pocV2Enabled) throw inferenceErr.deprecated("MsgSubmitPocBatch is not accepted while poc_v2_enabled=true");
    if (msg.pocStageStartBlockHeight <= 0n || !msg.batchId.trim() || msg.nonces.length === 0 || msg.nonces.length !== msg.dist.length ||
        msg.dist.some((d) => !Number.isFinite(d) || d < 0) || msg.nonces.some((n) => n < 0n)) {
      throw inferenceErr.illegalState("invalid PoC batch");
    }
    if (!msg.nodeId) throw inferenceErr.nodeIdEmpty();
    if (state.epoch.pocStartBlockHeight !== 0n && msg.pocStageStartBlockHeight !== state.epoch.pocStartBlockHeight) {
      throw inferenceErr.pocWrongStartBlockHeight(`wrong PoC stage start height ${msg.pocStageStartBlockHeight}, expected ${state.epoch.pocStartBlockHeight}`);
    }
    return () => {
      state.pocBatches.push(create(PoCBatchSchema, {
        participantAddress: msg.creator, pocStageStartBlockHeight: msg.pocStageStartBlockHeight, receivedAtBlockHeight: state.height,
        nonces: [...msg.nonces], dist: [...msg.dist], batchId: msg.batchId, nodeId: msg.nodeId,
      }));
      return undefined;
    };
  },
  // MsgSubmitPocValidation was removed by v0.2.12: its type URL no longer resolves.
  "/inference.inference.MsgPoCV2StoreCommit": (state, m) => {
    const msg = m as MsgPoCV2StoreCommit;
    requireV2(state);
    requireNotBlocked(state, msg.creator);
    if (msg.entries.length === 0) throw inferenceErr.illegalState("entries must not be empty");
    requireStage(state, msg.pocStageStartBlockHeight);
    const [from, to] = pocWindows(state, msg.pocStageStartBlockHeight).commit;
    if (state.height < from || state.height > to) throw inferenceErr.pocTooLate("PoC exchange window closed");
    const { updates } = commitUpdates(state, msg);
    return () => {
      for (const u of updates) state.pocV2Commits.set(pocKey(u.pocStageStartBlockHeight, u.participantAddress, u.modelId), u);
      return undefined;
    };
  },
  "/inference.inference.MsgMLNodeWeightDistribution": (state, m) => {
    const msg = m as MsgMLNodeWeightDistribution;
    requireV2(state);
    requireNotBlocked(state, msg.creator);
    if (msg.entries.length === 0) throw inferenceErr.illegalState("entries must not be empty");
    const s = msg.pocStageStartBlockHeight;
    requireStage(state, s);
    if (state.height > pocWindows(state, s).validation[1]) throw inferenceErr.pocTooLate("PoC validation window closed");
    for (const entry of msg.entries) {
      if (entry.weights.length === 0) throw inferenceErr.illegalState("entry weights must not be empty");
      requireGovernanceModel(state, entry.modelId);
      const commit = state.pocV2Commits.get(pocKey(s, msg.creator, entry.modelId));
      if (!commit) throw inferenceErr.illegalState("no store commit found for this stage and model");
      const sum = entry.weights.reduce((n, w) => n + w.weight, 0);
      if (sum !== commit.count) throw inferenceErr.illegalState(`weight sum ${sum} does not match committed count ${commit.count}`);
    }
    return () => {
      for (const entry of msg.entries) {
        state.pocV2Distributions.set(pocKey(s, msg.creator, entry.modelId), {
          participantAddress: msg.creator, pocStageStartBlockHeight: s, modelId: entry.modelId, weights: entry.weights,
        });
      }
      return undefined;
    };
  },
  "/inference.inference.MsgSubmitPocValidationsV2": (state, m) => {
    const msg = m as MsgSubmitPocValidationsV2;
    requireV2(state);
    const s = msg.pocStageStartBlockHeight;
    requireStage(state, s);
    const [from, to] = pocWindows(state, s).validation;
    if (state.height < from) throw inferenceErr.pocTooLate(`PoC validation window opens at ${from}`);
    if (state.height > to) throw inferenceErr.pocTooLate("PoC validation window closed");
    return () => {
      for (const v of msg.validations) {
        // an entry without a model, a bad weight or a repeated vote is skipped; the rest still count
        if (!v.modelId || !v.participantAddress) continue;
        if (v.validatedWeight === 0n || v.validatedWeight < -1n) continue;
        const key = pocKey(s, v.participantAddress, v.modelId, msg.creator);
        if (state.pocV2Validations.has(key)) continue;
        state.pocV2Validations.set(key, create(PoCValidationV2Schema, {
          participantAddress: v.participantAddress, validatorParticipantAddress: msg.creator, pocStageStartBlockHeight: s,
          validatedWeight: v.validatedWeight, modelId: v.modelId,
        }));
      }
      return undefined;
    };
  },
  "/inference.inference.MsgSetPoCDelegation": (state, m) => {
    const msg = m as MsgSetPoCDelegation;
    requireParticipant(state, msg.sender);
    requirePocModel(state, msg.modelId);
    if (msg.delegateTo) {
      checkAddress(msg.delegateTo, "delegate_to");
      if (msg.delegateTo === msg.sender) throw sdk.invalidRequest("cannot delegate PoC to yourself");
    }
    return () => {
      const key = pocKey(msg.sender, msg.modelId);
      if (msg.delegateTo) state.pocModes.set(key, { mode: "delegate", delegateTo: msg.delegateTo });
      else if (state.pocModes.get(key)?.mode === "delegate") state.pocModes.delete(key);
      return undefined;
    };
  },
  "/inference.inference.MsgRefusePoCDelegation": (state, m) => {
    const msg = m as MsgRefusePoCDelegation;
    requireParticipant(state, msg.sender);
    requirePocModel(state, msg.modelId);
    return () => {
      state.pocModes.set(pocKey(msg.sender, msg.modelId), { mode: "refuse" });
      return undefined;
    };
  },
  "/inference.inference.MsgDeclarePoCIntent": (state, m) => {
    const msg = m as MsgDeclarePoCIntent;
    requireParticipant(state, msg.sender);
    if (!msg.modelId) throw inferenceErr.illegalState("model_id must not be empty");
    requireGovernanceModel(state, msg.modelId);
    return () => {
      state.pocModes.set(pocKey(msg.sender, msg.modelId), { mode: "intent" });
      return undefined;
    };
  },
};
