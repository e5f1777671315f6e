/**
 * PoC v2 queries of the inference module (spec chain-upgrades.md §4.1–§4.2, poc-v2.md §10): store
 * commits, ML-node weight distributions, the validations of a stage and the validation snapshot.
 *
 * **Model ids and REST.** Model ids contain `/` (`Qwen/Qwen3-…`), and the REST gateway matches one
 * path segment per `{model_id}` variable against the already-decoded path, so the per-model routes
 * (`poc_v2_store_commit/{h}/{addr}/{model}`, `mlnode_weight_distribution/…`) cannot match such an id
 * (`%2F` does not help). Over REST the per-participant queries here therefore read the stage's
 * `all_*` query and filter it by participant and model; over gRPC they call the per-model RPC.
 * @module
 */
import { Query } from "../../../generated/proto/inference/inference/query_pb.js";
import type {
  MLNodeWeight,
  MLNodeWeightDistributionWithAddress,
  PoCV2StoreCommitWithAddress,
  PoCValidationSnapshot,
  PoCValidationsWithParticipantsV2,
} from "../../../generated/proto/inference/inference/poc_v2_pb.js";
import { InvalidArgumentError } from "../../errors.js";
import type { ChainContext } from "../context.js";
import { decodeAddress } from "../address.js";
import type { CallOptions } from "../transport/types.js";

const P = "/productscience/inference/inference";
type Ctx = Pick<ChainContext, "transport">;

/** A PoC stage start height as the chain's int64. */
function stageHeight(v: bigint | number | string, argument = "pocStageStartBlockHeight"): bigint {
  let h: bigint;
  try {
    h = BigInt(v);
  } catch {
    throw new InvalidArgumentError(argument, `expected a block height, got ${JSON.stringify(String(v))}`);
  }
  if (h <= 0n || h >= 1n << 63n) throw new InvalidArgumentError(argument, `must be a positive int64 block height, got ${h}`);
  return h;
}

function modelIdOf(v: unknown): string {
  if (typeof v !== "string" || v.trim() === "") throw new InvalidArgumentError("modelId", 'must name a PoC model, e.g. "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"');
  return v;
}

/** Which (stage, participant, model) a per-model query is about. */
export interface PocV2PairArgs {
  /** The PoC stage start height (`poc_stage_start_block_height`). */
  pocStageStartBlockHeight: bigint | number | string;
  /** The participant's account address (`gonka1…`). */
  participantAddress: string;
  /** The model id, e.g. `"moonshotai/Kimi-K2.6"`. */
  modelId: string;
}

/** A participant's committed `(count, root_hash)` for one model, or `found: false`. */
export interface PocV2StoreCommit {
  /** Whether the chain holds a commit for this (stage, participant, model). */
  found: boolean;
  /** The committed artifact count (0 when not found). */
  count: number;
  /** The committed 32-byte MMR root (empty when not found). */
  rootHash: Uint8Array;
}

function pair(args: PocV2PairArgs): { h: bigint; participant: string; modelId: string } {
  if (!args || typeof args !== "object") throw new InvalidArgumentError("args", "expected { pocStageStartBlockHeight, participantAddress, modelId }");
  decodeAddress(args.participantAddress, "gonka", "participantAddress");
  return { h: stageHeight(args.pocStageStartBlockHeight), participant: args.participantAddress, modelId: modelIdOf(args.modelId) };
}

/**
 * Every PoC v2 store commit of a stage (`AllPoCV2StoreCommitsForStage`): one entry per
 * (participant, model) with its latest `count`, `root_hash`, the participant's `hex_pub_key` (the
 * key the MLNode seeds with) and `model_id`.
 *
 * @example
 * ```ts
 * const commits = await getAllPoCV2StoreCommits(chain, 3450121n);
 * for (const c of commits) console.log(c.participantAddress, c.modelId, c.count);
 * ```
 */
export async function getAllPoCV2StoreCommits(ctx: Ctx, pocStageStartBlockHeight: bigint | number | string, options?: CallOptions): Promise<PoCV2StoreCommitWithAddress[]> {
  const h = stageHeight(pocStageStartBlockHeight);
  const res = await ctx.transport.unary(Query.method.allPoCV2StoreCommitsForStage, { pocStageStartBlockHeight: h }, { path: `${P}/all_poc_v2_store_commits/${h}` }, options);
  return res.commits;
}

/**
 * One participant's commit for one model (`PoCV2StoreCommit`). Over gRPC this is the per-model
 * RPC; over REST it filters {@link getAllPoCV2StoreCommits} (the per-model REST route cannot carry
 * a model id with `/`, see the module notes).
 *
 * @example
 * ```ts
 * const { found, count, rootHash } = await getPoCV2StoreCommit(chain, { pocStageStartBlockHeight: 3450121n, participantAddress, modelId });
 * ```
 */
export async function getPoCV2StoreCommit(ctx: Ctx, args: PocV2PairArgs, options?: CallOptions): Promise<PocV2StoreCommit> {
  const { h, participant, modelId } = pair(args);
  if (ctx.transport.kind === "grpc") {
    const r = await ctx.transport.unary(
      Query.method.poCV2StoreCommit,
      { pocStageStartBlockHeight: h, participantAddress: participant, modelId },
      { path: `${P}/poc_v2_store_commit/${h}/${participant}/${encodeURIComponent(modelId)}` },
      options,
    );
    return { found: r.found, count: r.count, rootHash: r.rootHash };
  }
  const c = (await getAllPoCV2StoreCommits(ctx, h, options)).find((x) => x.participantAddress === participant && x.modelId === modelId);
  return c ? { found: true, count: c.count, rootHash: c.rootHash } : { found: false, count: 0, rootHash: new Uint8Array() };
}

/** Every ML-node weight distribution of a stage (`AllMLNodeWeightDistributionsForStage`). */
export async function getAllMLNodeWeightDistributions(
  ctx: Ctx,
  pocStageStartBlockHeight: bigint | number | string,
  options?: CallOptions,
): Promise<MLNodeWeightDistributionWithAddress[]> {
  const h = stageHeight(pocStageStartBlockHeight);
  const res = await ctx.transport.unary(
    Query.method.allMLNodeWeightDistributionsForStage,
    { pocStageStartBlockHeight: h },
    { path: `${P}/all_mlnode_weight_distributions/${h}` },
    options,
  );
  return res.distributions;
}

/**
 * One participant's weight distribution for one model (`MLNodeWeightDistribution`): the per-MLNode
 * split of its committed count, or `found: false`. gRPC: the per-model RPC; REST: filters
 * {@link getAllMLNodeWeightDistributions}.
 */
export async function getMLNodeWeightDistribution(ctx: Ctx, args: PocV2PairArgs, options?: CallOptions): Promise<{ found: boolean; weights: MLNodeWeight[] }> {
  const { h, participant, modelId } = pair(args);
  if (ctx.transport.kind === "grpc") {
    const r = await ctx.transport.unary(
      Query.method.mLNodeWeightDistribution,
      { pocStageStartBlockHeight: h, participantAddress: participant, modelId },
      { path: `${P}/mlnode_weight_distribution/${h}/${participant}/${encodeURIComponent(modelId)}` },
      options,
    );
    return { found: r.found, weights: r.weights };
  }
  const d = (await getAllMLNodeWeightDistributions(ctx, h, options)).find((x) => x.participantAddress === participant && x.modelId === modelId);
  return d ? { found: true, weights: d.weights } : { found: false, weights: [] };
}

/**
 * The PoC v2 votes of a stage (`PocV2ValidationsForStage`), grouped per (participant, model): each
 * group lists the validators' `validated_weight` (−1 = fraud).
 *
 * @example
 * ```ts
 * for (const g of await getPocV2ValidationsForStage(chain, stage)) console.log(g.participant, g.modelId, g.pocValidation.length, "votes");
 * ```
 */
export async function getPocV2ValidationsForStage(
  ctx: Ctx,
  pocStageStartBlockHeight: bigint | number | string,
  options?: CallOptions,
): Promise<PoCValidationsWithParticipantsV2[]> {
  const h = stageHeight(pocStageStartBlockHeight);
  const res = await ctx.transport.unary(Query.method.pocV2ValidationsForStage, { blockHeight: h }, { path: `${P}/poc_v2_validations_for_stage/${h}` }, options);
  return res.pocValidation;
}

/**
 * The validation snapshot of a stage (`PoCValidationSnapshot`, v0.2.12 shape): `app_hash` (slot
 * sampling seed), timestamps for time normalisation, per-model voting powers and the total
 * network weight; `undefined` when the chain has none.
 *
 * @example
 * ```ts
 * const snap = await getPoCValidationSnapshot(chain, stage);
 * snap?.modelVotingPowers.map((m) => m.modelId);
 * ```
 */
export async function getPoCValidationSnapshot(
  ctx: Ctx,
  pocStageStartHeight: bigint | number | string,
  options?: CallOptions,
): Promise<PoCValidationSnapshot | undefined> {
  const h = stageHeight(pocStageStartHeight, "pocStageStartHeight");
  const res = await ctx.transport.unary(Query.method.poCValidationSnapshot, { pocStageStartHeight: h }, { path: `${P}/poc_validation_snapshot/${h}` }, options);
  return res.found && res.snapshot ? res.snapshot : undefined;
}
