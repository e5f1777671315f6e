/**
 * The three PoC v2 messages a host and a validator send (spec chain-upgrades.md §7.2, poc-v2.md
 * §10), built with the chain's checks applied before signing, and sent as the signer or — for a
 * warm ML-ops key — inside an authz `MsgExec` for the cold account, as the API node does.
 * @module
 */
import { guardAction } from "../validate.js";
import { create, type Message } from "@bufbuild/protobuf";
import { MsgExecSchema } from "../../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import {
  MsgMLNodeWeightDistributionSchema,
  MsgPoCV2StoreCommitSchema,
  MsgSubmitPocValidationsV2Schema,
} from "../../../generated/proto/inference/inference/tx_pb.js";
import { InvalidArgumentError } from "../../errors.js";
import type { ChainContext } from "../context.js";
import type { TxSigner } from "../keys.js";
import { decodeAddress } from "../address.js";
import { tryFromBase64 } from "../bytes.js";
import { resolveMessages } from "../messages.js";
import { sendTx, txOptions, type TxOptions } from "../send.js";
import type { TxResult } from "../broadcast.js";

/** Type URLs of the three messages (also the authz grant names of the ML-ops warm key). */
export const POC_V2_MSG_TYPE_URLS = Object.freeze({
  storeCommit: "/inference.inference.MsgPoCV2StoreCommit",
  weightDistribution: "/inference.inference.MsgMLNodeWeightDistribution",
  validations: "/inference.inference.MsgSubmitPocValidationsV2",
});

const UINT32_MAX = 0xffff_ffff;
const INT64_MAX = (1n << 63n) - 1n;

function creatorOf(creator: unknown): string {
  if (typeof creator !== "string") throw new InvalidArgumentError("creator", "expected a gonka1… address");
  decodeAddress(creator, "gonka", "creator");
  return creator;
}

function stageOf(v: unknown): bigint {
  let h: bigint;
  try {
    h = BigInt(v as bigint | number | string);
  } catch {
    throw new InvalidArgumentError("pocStageStartBlockHeight", "expected the PoC stage start height (a positive integer)");
  }
  if (h <= 0n || h > INT64_MAX) throw new InvalidArgumentError("pocStageStartBlockHeight", `must be a positive int64, got ${h}`);
  return h;
}

function modelOf(v: unknown, argument: string): string {
  if (typeof v !== "string" || v.trim() === "") throw new InvalidArgumentError(argument, 'must name a PoC model, e.g. "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"');
  return v;
}

function uint32(v: unknown, argument: string, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > UINT32_MAX) {
    throw new InvalidArgumentError(argument, `must be an integer in [${min}, ${UINT32_MAX}], got ${String(v)}`);
  }
  return v;
}

function root32(v: unknown, argument: string): Uint8Array {
  const bytes = typeof v === "string" ? tryFromBase64(v) : v instanceof Uint8Array ? v : undefined;
  if (!bytes) throw new InvalidArgumentError(argument, "expected the 32-byte MMR root (bytes or standard base64)");
  if (bytes.length !== 32) throw new InvalidArgumentError(argument, `must be exactly 32 bytes (the chain refuses any other length), got ${bytes.length}`);
  return bytes;
}

/** One model's commitment in `MsgPoCV2StoreCommit`. */
export interface PocV2CommitEntryArgs {
  /** The model id. */
  modelId: string;
  /** Artifacts committed so far (> 0, strictly increasing per stage and model). */
  count: number;
  /** The MMR root at `count` (32 bytes, or their standard base64). */
  rootHash: Uint8Array | string;
}

/** Fields of `MsgPoCV2StoreCommit`. */
export interface PocV2StoreCommitArgs {
  /** The PoC stage start height S (the upcoming epoch's PoC start, or a confirmation event's trigger height). */
  pocStageStartBlockHeight: bigint | number | string;
  /** One entry per model (non-empty, each model once). */
  entries: readonly PocV2CommitEntryArgs[];
}

/**
 * Builds `MsgPoCV2StoreCommit` with the chain's checks: entries non-empty, each model once, a
 * non-empty model id, `count > 0` (uint32) and a root of exactly 32 bytes. The deprecated fields 3
 * and 4 stay empty, as the API node leaves them. (The chain also requires the count to grow, one
 * commit per block per model and the exchange window `[S+1, S+stage+exchange]`; those depend on
 * chain state and are the caller's to respect — `runPocV2Host` does.)
 *
 * @example
 * ```ts
 * pocV2StoreCommitMessage(cold.address, { pocStageStartBlockHeight: 3450121n, entries: [{ modelId, count: store.count, rootHash: store.root() }] });
 * ```
 */
export function pocV2StoreCommitMessage(creator: string, args: PocV2StoreCommitArgs) {
  const stage = stageOf(args?.pocStageStartBlockHeight);
  if (!Array.isArray(args.entries) || args.entries.length === 0) throw new InvalidArgumentError("entries", "at least one model's (count, root) is required");
  const seen = new Set<string>();
  const entries = args.entries.map((e, i) => {
    const modelId = modelOf(e?.modelId, `entries[${i}].modelId`);
    if (seen.has(modelId)) throw new InvalidArgumentError(`entries[${i}].modelId`, `${modelId} appears twice; the chain allows one commit per model per block`);
    seen.add(modelId);
    return { modelId, count: uint32(e.count, `entries[${i}].count`, 1), rootHash: root32(e.rootHash, `entries[${i}].rootHash`) };
  });
  return create(MsgPoCV2StoreCommitSchema, { creator: creatorOf(creator), pocStageStartBlockHeight: stage, entries });
}

/** One model's per-MLNode split in `MsgMLNodeWeightDistribution`. */
export interface MlNodeDistributionEntryArgs {
  /** The model id. */
  modelId: string;
  /** Per-MLNode weights (non-empty); their sum must equal the model's committed count. */
  weights: readonly { nodeId: string; weight: number }[];
}

/** Fields of `MsgMLNodeWeightDistribution`. */
export interface MlNodeWeightDistributionArgs {
  pocStageStartBlockHeight: bigint | number | string;
  /** One entry per model (non-empty, each model once). */
  entries: readonly MlNodeDistributionEntryArgs[];
  /**
   * The committed count of each model, when known: each entry's weights must then sum to it
   * exactly (the chain refuses any other sum).
   */
  committedCounts?: Readonly<Record<string, number>>;
}

/**
 * Builds `MsgMLNodeWeightDistribution`: entries non-empty, each model once, non-empty weights with
 * distinct non-empty node ids and uint32 weights summing to a positive uint32 — and to the model's
 * committed count when `committedCounts` names it. The deprecated field 3 stays empty.
 *
 * @example
 * ```ts
 * mlNodeWeightDistributionMessage(cold.address, { pocStageStartBlockHeight: stage, entries: [{ modelId, weights: weightDistribution({ nodeCounts, targetCount }) }] });
 * ```
 */
export function mlNodeWeightDistributionMessage(creator: string, args: MlNodeWeightDistributionArgs) {
  const stage = stageOf(args?.pocStageStartBlockHeight);
  if (!Array.isArray(args.entries) || args.entries.length === 0) throw new InvalidArgumentError("entries", "at least one model's distribution is required");
  const seen = new Set<string>();
  const entries = args.entries.map((e, i) => {
    const modelId = modelOf(e?.modelId, `entries[${i}].modelId`);
    if (seen.has(modelId)) throw new InvalidArgumentError(`entries[${i}].modelId`, `${modelId} appears twice`);
    seen.add(modelId);
    if (!Array.isArray(e.weights) || e.weights.length === 0) throw new InvalidArgumentError(`entries[${i}].weights`, "at least one MLNode weight is required (the chain refuses an empty list)");
    const nodes = new Set<string>();
    let sum = 0;
    const weights = e.weights.map((w: { nodeId: string; weight: number }, j: number) => {
      if (typeof w?.nodeId !== "string" || w.nodeId === "") throw new InvalidArgumentError(`entries[${i}].weights[${j}].nodeId`, "must be a non-empty node id");
      if (nodes.has(w.nodeId)) throw new InvalidArgumentError(`entries[${i}].weights[${j}].nodeId`, `${w.nodeId} appears twice`);
      nodes.add(w.nodeId);
      sum += uint32(w.weight, `entries[${i}].weights[${j}].weight`, 0);
      return { nodeId: w.nodeId, weight: w.weight };
    });
    if (sum === 0 || sum > UINT32_MAX) throw new InvalidArgumentError(`entries[${i}].weights`, `must sum to the committed count (a positive uint32), got ${sum}`);
    const committed = args.committedCounts?.[modelId];
    if (committed !== undefined && committed !== sum) {
      throw new InvalidArgumentError(`entries[${i}].weights`, `sum to ${sum}, but ${modelId}'s committed count is ${committed}; the chain requires them equal (use weightDistribution({ nodeCounts, targetCount }))`);
    }
    return { modelId, weights };
  });
  return create(MsgMLNodeWeightDistributionSchema, { creator: creatorOf(creator), pocStageStartBlockHeight: stage, entries });
}

/** One vote of `MsgSubmitPocValidationsV2`. */
export interface PocValidationV2Args {
  /** The participant voted on. */
  participantAddress: string;
  /** The model voted on (required: the chain skips entries without one). */
  modelId: string;
  /** The number of artifacts checked (`n_total`, > 0) to accept, or `-1` to reject (fraud or a failed proof). */
  validatedWeight: bigint | number;
}

/** Fields of `MsgSubmitPocValidationsV2`. */
export interface PocValidationsV2Args {
  pocStageStartBlockHeight: bigint | number | string;
  /** The votes (non-empty; each (participant, model) once). */
  validations: readonly PocValidationV2Args[];
}

/**
 * Builds `MsgSubmitPocValidationsV2`. The chain silently skips an entry without a model, a weight
 * of 0 or below −1, and a second vote for the same (participant, model); this builder refuses all
 * three instead, so nothing is dropped unseen.
 *
 * @example
 * ```ts
 * submitPocValidationsV2Message(cold.address, { pocStageStartBlockHeight: stage, validations: [{ participantAddress, modelId, validatedWeight: 200 }, { participantAddress: cheat, modelId, validatedWeight: -1 }] });
 * ```
 */
export function submitPocValidationsV2Message(creator: string, args: PocValidationsV2Args) {
  const stage = stageOf(args?.pocStageStartBlockHeight);
  if (!Array.isArray(args.validations) || args.validations.length === 0) throw new InvalidArgumentError("validations", "at least one vote is required (the chain refuses an empty list)");
  const seen = new Set<string>();
  const validations = args.validations.map((v, i) => {
    if (typeof v?.participantAddress !== "string") throw new InvalidArgumentError(`validations[${i}].participantAddress`, "expected a gonka1… address");
    decodeAddress(v.participantAddress, "gonka", `validations[${i}].participantAddress`);
    const modelId = modelOf(v.modelId, `validations[${i}].modelId`);
    const key = `${v.participantAddress}|${modelId}`;
    if (seen.has(key)) throw new InvalidArgumentError(`validations[${i}]`, `a second vote for ${v.participantAddress} / ${modelId}; the chain keeps only the first`);
    seen.add(key);
    let w: bigint;
    try {
      w = BigInt(v.validatedWeight);
    } catch {
      throw new InvalidArgumentError(`validations[${i}].validatedWeight`, "expected an integer: n_total (> 0) to accept or -1 to reject");
    }
    if (w !== -1n && (w <= 0n || w > INT64_MAX)) {
      throw new InvalidArgumentError(`validations[${i}].validatedWeight`, `must be -1 (reject) or a positive count (accept), got ${w}; the chain ignores other values`);
    }
    return { participantAddress: v.participantAddress, modelId, validatedWeight: w };
  });
  return create(MsgSubmitPocValidationsV2Schema, { creator: creatorOf(creator), pocStageStartBlockHeight: stage, validations });
}

/** Options of the PoC v2 actions: send for a granter (cold key) through authz, as the API node's warm key does. */
export interface PocV2TxOptions extends TxOptions {
  /**
   * The account the message is for (its `creator`, the cold key). The signer (the warm ML-ops key
   * holding the grant) then sends it inside `MsgExec`. Default: the signer itself.
   */
  granter?: string;
}

async function sendAs(ctx: ChainContext, wallet: TxSigner, msg: Message, args: PocV2TxOptions): Promise<TxResult> {
  if (args.granter === undefined || args.granter === wallet.address) return sendTx(ctx, wallet, [msg], txOptions(args));
  const [inner] = resolveMessages([msg]);
  const exec = create(MsgExecSchema, { grantee: wallet.address, msgs: [inner!.any] });
  return sendTx(ctx, wallet, [exec], txOptions(args));
}

/**
 * Commits `(count, root)` per model for a PoC stage (`MsgPoCV2StoreCommit`).
 *
 * @example
 * ```ts
 * await storePoCV2Commit(chain, warm, { granter: cold.address, pocStageStartBlockHeight: stage, entries: [{ modelId, count, rootHash }] });
 * ```
 * @throws {ChainTxError} when the chain refuses it (window closed, count not increasing, a second commit in the block, …).
 */
export const storePoCV2Commit = /* @__PURE__ */ guardAction("storePoCV2Commit", async function storePoCV2Commit(ctx: ChainContext, wallet: TxSigner, args: PocV2TxOptions & PocV2StoreCommitArgs): Promise<TxResult> {
  return sendAs(ctx, wallet, pocV2StoreCommitMessage(args.granter ?? wallet.address, args), args);
});

/**
 * Reports the per-MLNode split of each model's committed count (`MsgMLNodeWeightDistribution`).
 *
 * @example
 * ```ts
 * await submitMLNodeWeightDistribution(chain, warm, { granter: cold.address, pocStageStartBlockHeight: stage, entries: [{ modelId, weights }] });
 * ```
 */
export const submitMLNodeWeightDistribution = /* @__PURE__ */ guardAction("submitMLNodeWeightDistribution", async function submitMLNodeWeightDistribution(ctx: ChainContext, wallet: TxSigner, args: PocV2TxOptions & MlNodeWeightDistributionArgs): Promise<TxResult> {
  return sendAs(ctx, wallet, mlNodeWeightDistributionMessage(args.granter ?? wallet.address, args), args);
});

/**
 * Submits PoC v2 votes (`MsgSubmitPocValidationsV2`): `validatedWeight` = checked count to accept,
 * −1 to reject. A vote cannot be changed once on chain.
 *
 * @example
 * ```ts
 * await submitPocValidationsV2(chain, warm, { granter: cold.address, pocStageStartBlockHeight: stage, validations });
 * ```
 */
export const submitPocValidationsV2 = /* @__PURE__ */ guardAction("submitPocValidationsV2", async function submitPocValidationsV2(ctx: ChainContext, wallet: TxSigner, args: PocV2TxOptions & PocValidationsV2Args): Promise<TxResult> {
  return sendAs(ctx, wallet, submitPocValidationsV2Message(args.granter ?? wallet.address, args), args);
});
