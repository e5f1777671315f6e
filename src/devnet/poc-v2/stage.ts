/**
 * One PoC v2 stage on the devnet, the way mainnet runs it (spec poc-v2.md §1): the stage starts
 * at the next heights; every devnet host's network node starts its MLNodes (`init/generate`),
 * stores the artifacts they post, commits `(count, root)` with `MsgPoCV2StoreCommit` during the
 * exchange window and reports `MsgMLNodeWeightDistribution` (`runPocV2Host`); when validation
 * opens, each host validates every commit of the stage (`runPocV2Validator`: sample leaves with
 * the validation start's block hash, fetch signed proofs, verify them against the on-chain root,
 * recompute on its own MLNode, binomial test) and votes with `MsgSubmitPocValidationsV2`; the
 * chain's tally turns votes and counts into weight per model ({@link tallyPocV2Stage}).
 * @module
 */
import { setMaxListeners } from "node:events";
import type { ChainContext } from "../../chain/context.js";
import { createMlNodeClient } from "../../mlnode/index.js";
import { GonkaError, messageOf } from "../../errors.js";
import {
  pocV2MlNodeFromClient, pocV2Windows, runPocV2Host, runPocV2Validator,
  type PocV2HostEvent, type PocV2HostReport, type PocV2MlNode, type PocV2ValidatorEvent, type PocV2ValidatorReport, type PocV2Windows,
} from "../../poc/v2/index.js";
import type { ChainState } from "../chain/index.js";
import { devnetBlockHash } from "../chain/queries-inference.js";
import { mlNodesFor, nodeUrl, serveModel, type DevnetPocV2Host } from "./hosts.js";
import { tallyPocV2Stage, type DevnetPocV2Tally } from "./tally.js";

/** Progress of {@link runDevnetPocV2Stage}, in order. */
export type DevnetPocV2StageEvent =
  | { type: "stage"; stage: bigint; blockHash: string; windows: PocV2Windows; models: string[] }
  | { type: "mlnode"; host: string; modelId: string; nodeId: number; url: string }
  | { type: "host"; host: string; event: PocV2HostEvent }
  | { type: "validator"; host: string; event: PocV2ValidatorEvent }
  | { type: "tally"; tally: DevnetPocV2Tally[] };

/** Options of `devnet.runPocV2Stage`. */
export interface DevnetPocV2StageOptions {
  /** PoC models to run (default: every `poc_params.models` entry that is a governance model). */
  models?: readonly string[];
  /** Host names that take part (default all). */
  hosts?: readonly string[];
  /** How often hosts flush and commit, ms (default: the devnet's `pocCommitIntervalMs`, 500). */
  commitIntervalMs?: number;
  onEvent?: (event: DevnetPocV2StageEvent) => void;
  signal?: AbortSignal;
}

/** What one host did in the stage. */
export interface DevnetPocV2HostOutcome {
  name: string;
  address: string;
  host?: PocV2HostReport;
  hostError?: Error;
  validator?: PocV2ValidatorReport;
  validatorError?: Error;
}

/** The outcome of a stage. */
export interface DevnetPocV2StageReport {
  /** The stage start height S. */
  stage: bigint;
  /** The generation seed: the devnet "hash" of S (upper-case hex). */
  blockHash: string;
  /** The leaf-sampling hash: the devnet "hash" of the first validation block. */
  samplingBlockHash: string;
  windows: PocV2Windows;
  models: string[];
  hosts: DevnetPocV2HostOutcome[];
  /** The chain's tally per (participant, model) after the votes. */
  tally: DevnetPocV2Tally[];
}

/** What the stage needs from the devnet. */
export interface DevnetPocV2StageContext {
  chain: ChainContext;
  chainState: ChainState;
  hosts: readonly DevnetPocV2Host[];
  commitIntervalMs: number;
}

const err = (e: unknown): Error => (e instanceof Error ? e : new Error(messageOf(e)));

/**
 * Runs one PoC v2 stage on the devnet and returns when every host has voted (the validation window
 * stays open; call `devnet.endEpoch()` to turn the tally into weights).
 */
export async function runDevnetPocV2Stage(ctx: DevnetPocV2StageContext, o: DevnetPocV2StageOptions = {}): Promise<DevnetPocV2StageReport> {
  const { chainState, chain, signal } = { ...ctx, signal: o.signal };
  const emit = (e: DevnetPocV2StageEvent) => o.onEvent?.(e);
  if (signal) setMaxListeners(0, signal); // every flow, request and wait of every host listens to it
  if (!chainState.inferenceParams.pocParams?.pocV2Enabled) {
    throw new GonkaError("This devnet runs PoC v1 (poc_v2_enabled = false)", { details: "Start it with pocVersion: 2 (the default) to run PoC v2 stages." });
  }
  const pocModels = (chainState.inferenceParams.pocParams.models ?? []).map((m) => m.modelId).filter((id) => chainState.models.has(id));
  const models = o.models ? [...o.models] : pocModels;
  for (const m of models) if (!pocModels.includes(m)) throw new GonkaError(`${m} is not a PoC model of this devnet`, { details: `PoC models (poc_params.models that are governance models): ${pocModels.join(", ") || "none"}` });
  if (models.length === 0) throw new GonkaError("This devnet has no PoC model", { details: "poc_params.models must name a governance model" });
  const hosts = ctx.hosts.filter((h) => !o.hosts || o.hosts.includes(h.name));

  const outcomes: DevnetPocV2HostOutcome[] = hosts.map((h) => ({ name: h.name, address: h.address }));
  // Each host's MLNodes serve the models first (PoC v2 runs on vLLM), as its network node prepares them.
  const prepared = await Promise.all(hosts.map(async (h, i) => {
    try {
      const used = new Set<string>();
      const nodes: { modelId: string; nodeId: number; url: string }[] = [];
      for (const modelId of models) {
        for (const n of await mlNodesFor(h, modelId, used, chainState.epoch.index)) {
          await serveModel(nodeUrl(n), modelId, signal);
          nodes.push({ modelId, nodeId: n.nodeNum, url: nodeUrl(n) });
        }
      }
      return nodes;
    } catch (e) {
      outcomes[i]!.hostError = err(e);
      return undefined;
    }
  }));

  // The stage starts two blocks ahead: the API node reads the hash of S when S is produced.
  const stage = chainState.height + 2n;
  chainState.epoch = { ...chainState.epoch, pocStartBlockHeight: stage };
  const blockHash = devnetBlockHash(chainState, stage);
  const epochParams = chainState.inferenceParams.epochParams!;
  const windows = pocV2Windows(epochParams, stage);
  const samplingBlockHash = devnetBlockHash(chainState, windows.validation[0]);
  emit({ type: "stage", stage, blockHash, windows, models });
  const seqLen = (modelId: string) => Number(chainState.inferenceParams.pocParams!.models.find((m) => m.modelId === modelId)!.seqLen);

  const validatorNodes = new Map<DevnetPocV2Host, Record<string, PocV2MlNode>>();
  const hostRuns = hosts.map(async (h, i) => {
    const nodes = prepared[i];
    if (!nodes) return;
    try {
      const byModel: Record<string, PocV2MlNode> = {};
      const mlNodes = nodes.map((n) => {
        const client = createMlNodeClient({ baseUrl: n.url, retries: 0 });
        byModel[n.modelId] ??= pocV2MlNodeFromClient(client, { pollMs: 25 });
        emit({ type: "mlnode", host: h.name, modelId: n.modelId, nodeId: n.nodeId, url: n.url });
        return { nodeId: n.nodeId, modelId: n.modelId, node: client.pocV2 };
      });
      validatorNodes.set(h, byModel);
      outcomes[i]!.host = await runPocV2Host({
        chain, signer: h.signer, ...(h.granter ? { granter: h.granter } : {}), store: h.store, pocStageStartBlockHeight: stage, blockHash,
        models: models.map((modelId) => ({ modelId, seqLen: seqLen(modelId) })), mlNodes, callbackBaseUrl: h.callbackUrl,
        epochParams, strongerRng: chainState.inferenceParams.pocParams!.pocStrongerRngEnabled,
        commitIntervalMs: o.commitIntervalMs ?? ctx.commitIntervalMs,
        onEvent: (event) => emit({ type: "host", host: h.name, event }), ...(signal ? { signal } : {}),
      });
    } catch (e) {
      outcomes[i]!.hostError = err(e);
    }
  });
  await Promise.all(hostRuns);
  if (signal?.aborted) throw err(signal.reason ?? new Error("aborted"));

  await Promise.all(hosts.map(async (h, i) => {
    const mlNodes = validatorNodes.get(h);
    if (!mlNodes) return; // its MLNodes never came up: it cannot recompute
    try {
      outcomes[i]!.validator = await runPocV2Validator({
        chain, signer: h.signer, ...(h.granter ? { granter: h.granter } : {}), pocStageStartBlockHeight: stage, generationBlockHash: blockHash, samplingBlockHash,
        mlNodes, models, proofTimeoutMs: 5_000, proofAttempts: 3, retryDelayMs: 200, pollMs: 50,
        onEvent: (event) => emit({ type: "validator", host: h.name, event }), ...(signal ? { signal } : {}),
      });
    } catch (e) {
      outcomes[i]!.validatorError = err(e);
    }
  }));

  const tally = tallyPocV2Stage(chainState, stage);
  emit({ type: "tally", tally });
  return { stage, blockHash, samplingBlockHash, windows, models, hosts: outcomes, tally };
}
