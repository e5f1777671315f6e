/**
 * The host's PoC v2 flow (spec §1, §8–§10, chain-upgrades.md §7.2): artifacts arrive from the
 * MLNodes' `/generated` callbacks into a {@link PocV2ArtifactStore}; during the exchange window
 * `[S+1, S+stage+exchange]` the host commits `(count, root)` per model with `MsgPoCV2StoreCommit`
 * (at most once per block per model, counts strictly increasing); after generation it reports the
 * per-MLNode split with `MsgMLNodeWeightDistribution` (skipping models already distributed); and
 * its proof route ({@link createPocV2ProofHandler}) answers validators from the same store.
 *
 * Nothing here needs a GPU except the MLNodes that generate (they run the served model).
 * @module
 */
import type { ChainContext } from "../../chain/context.js";
import type { TxSigner } from "../../chain/keys.js";
import { ChainTxError, NodeRequestError } from "../../chain/errors.js";
import { getAccount } from "../../chain/query/auth.js";
import { getInferenceParams } from "../../chain/query/inference.js";
import { getMLNodeWeightDistribution, getPoCV2StoreCommit } from "../../chain/query/poc-v2.js";
import { storePoCV2Commit, submitMLNodeWeightDistribution, type PocV2TxOptions } from "../../chain/actions/poc-v2.js";
import { GonkaError, InvalidArgumentError, messageOf } from "../../errors.js";
import { PocCallbackRefused, type PocV2CallbackReceivers } from "../../mlnode/callback-handler.js";
import type { GeneratedArtifactBatchV2 } from "../../mlnode/types.js";
import { pocCallbackUrl } from "./callback.js";
import { PocV2WindowClosedError } from "./flow-errors.js";
import { chainHeight, checkAborted, hexOf, pocV2Windows, sleep, type PocV2EpochParams, type PocV2Windows } from "./flow-util.js";
import type { PocV2GenerationNode } from "./mlnode-seam.js";
import { POC_V2_MAINNET_PARAMS } from "./models.js";
import type { PocV2AddResult, PocV2ArtifactStore } from "./store.js";
import { weightDistribution, type MlNodeWeight } from "./weights.js";

/** Options of {@link createPocV2HostReceivers}. */
export interface PocV2HostReceiverOptions {
  /** The store batches go into. */
  store: PocV2ArtifactStore;
  /** The MLNodes' `node_num`s; a batch from another `node_id` is refused with 400 "unknown node_num" (default: any). */
  nodeIds?: readonly number[];
  /** Which stages are open for artifacts (default: any). A batch for another stage is refused with 503, as outside the generate phase. */
  acceptStage?: (stage: bigint, modelId: string) => boolean;
  /** Called after each stored batch. */
  onBatch?: (event: { modelId: string; stage: bigint; nodeId: number; result: PocV2AddResult }) => void;
}

/**
 * The `/generated` callback receiver of a host: mount it with `createPocCallbackHandler(receivers)`
 * from `gonka-sdk/mlnode` (any runtime) or `createPocCallbackServer(receivers)` from
 * `gonka-sdk/mlnode/node` (Node.js), or use
 * `startPocV2HostServer`. Each batch's artifacts go into the store of (`block_height`, model);
 * repeated nonces are skipped; the MLNode id is `String(node_id)` in `nodes.json`.
 *
 * @example
 * ```ts
 * const store = new PocV2ArtifactStore();
 * const server = await createPocCallbackServer(createPocV2HostReceivers({ store, nodeIds: [1, 2] }));
 * ```
 */
export function createPocV2HostReceivers(options: PocV2HostReceiverOptions): PocV2CallbackReceivers {
  const { store } = options;
  return {
    onArtifacts: async (batch: GeneratedArtifactBatchV2, info) => {
      if (options.nodeIds && !options.nodeIds.includes(batch.node_id)) throw new PocCallbackRefused(400, "unknown node_num");
      if (!Number.isSafeInteger(batch.block_height) || batch.block_height <= 0) throw new PocCallbackRefused(400, "block_height must be the PoC stage start height");
      const stage = BigInt(batch.block_height);
      if (options.acceptStage && !options.acceptStage(stage, info.modelId)) throw new PocCallbackRefused(503, "not in PoC generate phase");
      const result = await store.add(stage, info.modelId, String(batch.node_id), batch.artifacts);
      options.onBatch?.({ modelId: info.modelId, stage, nodeId: batch.node_id, result });
    },
  };
}

/** A model the host generates for. */
export interface PocV2HostModel {
  modelId: string;
  /** `seq_len` (default: the chain's `poc_params.models` entry). */
  seqLen?: number;
  /** `k_dim` (default: omitted, the MLNode's 12). */
  kDim?: number;
}

/** An MLNode the host drives (optional: without MLNodes the host only commits what arrives at its receivers). */
export interface PocV2HostMlNode {
  /** The API node's `node_num` for it: 1, 2, … (never 0). */
  nodeId: number;
  /** The model it serves. */
  modelId: string;
  /** Its PoC v2 routes (e.g. `createMlNodeClient({ baseUrl }).pocV2`). */
  node: PocV2GenerationNode;
}

/** What happened during {@link runPocV2Host}, in order. */
export type PocV2HostEvent =
  | { type: "windows"; windows: PocV2Windows; height: bigint }
  | { type: "generation-started"; modelId: string; nodeId: number; callbackUrl: string }
  | { type: "generation-failed"; modelId: string; nodeId: number; error: Error }
  | { type: "committed"; height: bigint; txHash: string; entries: { modelId: string; count: number; rootHash: Uint8Array }[] }
  | { type: "commit-failed"; height: bigint; error: Error }
  | { type: "generation-stopped"; nodeId: number }
  | { type: "distributed"; txHash: string; entries: { modelId: string; weights: MlNodeWeight[] }[] }
  | { type: "distribution-skipped"; modelId: string; reason: "already-distributed" | "no-commit" | "window-closed" };

/** Options of {@link runPocV2Host}. */
export interface PocV2HostOptions {
  /** The chain (a `ChainClient` or any `ChainContext`). */
  chain: ChainContext;
  /** Signs the commits: the account key, or a warm key with `granter` set to the account. */
  signer: TxSigner;
  /** The participant's account (cold key) when `signer` is its warm key. */
  granter?: string;
  /** Extra tx options for every message (gas, fees, …). */
  txOptions?: Omit<PocV2TxOptions, "granter">;
  /** The store the receivers fill and the proof route reads. */
  store: PocV2ArtifactStore;
  /** The PoC stage start height S. */
  pocStageStartBlockHeight: bigint | number;
  /** Models to commit for. */
  models: readonly PocV2HostModel[];
  /**
   * MLNodes to start (`init/generate`) at the beginning and stop after the exchange window.
   * Needs `blockHash` and `callbackBaseUrl`.
   */
  mlNodes?: readonly PocV2HostMlNode[];
  /** The stage start's block hash as the network node passes it (regular PoC: upper-case hex). Needed with `mlNodes`. */
  blockHash?: string;
  /** Where the MLNodes reach this host's receivers: `{base}` of `{base}/v2/poc-batches/{model}`. Needed with `mlNodes`. */
  callbackBaseUrl?: string;
  /** The participant's public key (lower-case hex, 33 bytes) the MLNodes seed with (default: the signer's, or the granter's account key). */
  publicKey?: string;
  /** `poc_stronger_rng` (default: the chain's `poc_stronger_rng_enabled`). */
  strongerRng?: boolean;
  /** Epoch params (default: read from the chain). */
  epochParams?: PocV2EpochParams;
  /** How often to flush and commit, ms (default 5000, `poc_commit_interval_seconds`). */
  commitIntervalMs?: number;
  /** Report `MsgMLNodeWeightDistribution` after the exchange window (default true). */
  distribute?: boolean;
  /** Progress. */
  onEvent?: (event: PocV2HostEvent) => void;
  /** Stops the flow (the MLNodes it started are stopped too). */
  signal?: AbortSignal;
}

/** The outcome of {@link runPocV2Host}. */
export interface PocV2HostReport {
  pocStageStartBlockHeight: bigint;
  windows: PocV2Windows;
  /** The last successful commit per model (models never committed are absent). */
  commits: { modelId: string; count: number; rootHash: Uint8Array; height: bigint }[];
  /** The reported distributions. */
  distributions: { modelId: string; weights: MlNodeWeight[] }[];
  /** Hashes of every transaction sent. */
  txHashes: string[];
}

function positive(v: bigint | number, name: string): bigint {
  const b = typeof v === "bigint" ? v : Number.isSafeInteger(v) ? BigInt(v) : 0n;
  if (b <= 0n) throw new InvalidArgumentError(name, `must be a positive block height, got ${String(v)}`);
  return b;
}

function checkOptions(o: PocV2HostOptions): void {
  if (!o || typeof o !== "object") throw new InvalidArgumentError("options", "expected the host options");
  if (!o.chain || !o.signer || !o.store) throw new InvalidArgumentError("options", "chain, signer and store are required");
  if (!Array.isArray(o.models) || o.models.length === 0) throw new InvalidArgumentError("models", "name at least one model");
  const ids = new Set<string>();
  for (const m of o.models) {
    if (typeof m?.modelId !== "string" || m.modelId === "") throw new InvalidArgumentError("models[].modelId", "must be a model id");
    if (ids.has(m.modelId)) throw new InvalidArgumentError("models", `${m.modelId} appears twice`);
    ids.add(m.modelId);
  }
  if (o.mlNodes?.length) {
    if (typeof o.blockHash !== "string" || o.blockHash === "") throw new InvalidArgumentError("blockHash", "the stage start's block hash is needed to start generation");
    if (typeof o.callbackBaseUrl !== "string" || !/^https?:\/\//.test(o.callbackBaseUrl)) throw new InvalidArgumentError("callbackBaseUrl", "an http(s) URL where the MLNodes reach this host is needed to start generation");
    for (const n of o.mlNodes) {
      if (!Number.isSafeInteger(n.nodeId) || n.nodeId < 1) throw new InvalidArgumentError("mlNodes[].nodeId", "node numbers start at 1 (the network never uses 0)");
      if (!ids.has(n.modelId)) throw new InvalidArgumentError("mlNodes[].modelId", `${n.modelId} is not among models`);
    }
  }
  if (o.commitIntervalMs !== undefined && (!Number.isFinite(o.commitIntervalMs) || o.commitIntervalMs < 1)) throw new InvalidArgumentError("commitIntervalMs", "must be a positive number of ms");
}

/**
 * Runs the host's side of one PoC v2 stage, in one call: optionally starts its MLNodes, commits
 * `(count, root)` per model every `commitIntervalMs` inside the exchange window (a commit only when
 * the flushed count grew, never twice in one block), stops the MLNodes when the window closes, then
 * sends `MsgMLNodeWeightDistribution` for the committed models that have none yet (the split sums
 * to the **on-chain** committed count). Returns after that; keep serving proofs from the same store
 * (`createPocV2ProofHandler`) until the validation window ends.
 *
 * @example
 * ```ts
 * const store = new PocV2ArtifactStore({ storage: await createNodePocV2Storage("./poc") });
 * const server = await startPocV2HostServer({ store, signer: warm, authorize: chainProofAuthorizer(chain), port: 9100 });
 * const report = await runPocV2Host({
 *   chain, signer: warm, granter: cold.address, store, pocStageStartBlockHeight: stage, blockHash,
 *   models: [{ modelId: "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8" }],
 *   mlNodes: [{ nodeId: 1, modelId: "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", node: createMlNodeClient({ baseUrl: "http://gpu1:8080" }).pocV2 }],
 *   callbackBaseUrl: server.origin, onEvent: (e) => console.log(e.type),
 * });
 * ```
 * Started after the exchange window (a restart), it commits nothing and only sends the
 * distributions still missing.
 *
 * @throws {PocV2WindowClosedError} when `mlNodes` are given but the exchange window has closed.
 * @throws {PocV2AbortedError} when `signal` aborts.
 */
export async function runPocV2Host(options: PocV2HostOptions): Promise<PocV2HostReport> {
  checkOptions(options);
  const { chain, signer, store, signal } = options;
  const stage = positive(options.pocStageStartBlockHeight, "pocStageStartBlockHeight");
  const emit = (e: PocV2HostEvent) => options.onEvent?.(e);
  const tx: PocV2TxOptions = { ...options.txOptions, ...(options.granter ? { granter: options.granter } : {}) };
  const interval = options.commitIntervalMs ?? POC_V2_MAINNET_PARAMS.commitIntervalSeconds * 1000;
  const report: PocV2HostReport = { pocStageStartBlockHeight: stage, windows: undefined as unknown as PocV2Windows, commits: [], distributions: [], txHashes: [] };

  let params = options.epochParams;
  let chainParams: Awaited<ReturnType<typeof getInferenceParams>> | undefined;
  const needParams = !params || (options.mlNodes?.length && (options.models.some((m) => m.seqLen === undefined) || options.strongerRng === undefined));
  if (needParams) chainParams = await getInferenceParams(chain, { ...(signal ? { signal } : {}) });
  if (!params) {
    if (!chainParams?.epochParams) throw new GonkaError("The chain's params have no epoch_params; pass epochParams");
    params = chainParams.epochParams;
  }
  const windows = pocV2Windows(params, stage);
  report.windows = windows;
  const [from, to] = windows.exchange;
  let height = await chainHeight(chain);
  emit({ type: "windows", windows, height });
  const late = height + 1n > to;
  if (late && options.mlNodes?.length) throw new PocV2WindowClosedError("exchange", height, to, `too late to start generation for stage ${stage}`);

  // Start generation on the MLNodes.
  const started: PocV2HostMlNode[] = [];
  if (options.mlNodes?.length) {
    const publicKey = options.publicKey ?? hexOf(options.granter && options.granter !== signer.address ? await granterKey(chain, options.granter) : signer.publicKey);
    const nodeCount = Math.max(...options.mlNodes.map((n) => n.nodeId)) + 1;
    for (const n of options.mlNodes) {
      checkAborted(signal, "the PoC v2 host");
      const m = options.models.find((x) => x.modelId === n.modelId)!;
      const seqLen = m.seqLen ?? Number(chainParams?.pocParams?.models.find((x) => x.modelId === n.modelId)?.seqLen ?? 0n);
      if (!seqLen) throw new InvalidArgumentError("models[].seqLen", `the chain names no seq_len for ${n.modelId}; pass it`);
      const callbackUrl = pocCallbackUrl(options.callbackBaseUrl!, n.modelId);
      const strongerRng = options.strongerRng ?? chainParams?.pocParams?.pocStrongerRngEnabled ?? false;
      try {
        await n.node.initGenerate({
          block_hash: options.blockHash!,
          block_height: Number(stage),
          public_key: publicKey,
          node_id: n.nodeId,
          node_count: nodeCount,
          params: { model: n.modelId, seq_len: seqLen, ...(m.kDim !== undefined ? { k_dim: m.kDim } : {}) },
          url: callbackUrl,
          ...(strongerRng ? { poc_stronger_rng: true } : {}),
        } as Parameters<PocV2GenerationNode["initGenerate"]>[0], signal ? { signal } : undefined);
        started.push(n);
        emit({ type: "generation-started", modelId: n.modelId, nodeId: n.nodeId, callbackUrl });
      } catch (e) {
        emit({ type: "generation-failed", modelId: n.modelId, nodeId: n.nodeId, error: e instanceof Error ? e : new Error(messageOf(e)) });
      }
    }
  }

  const committed = new Map<string, { count: number; rootHash: Uint8Array; height: bigint }>();
  const stopAll = async () => {
    for (const n of started.splice(0)) {
      try {
        await n.node.stop();
        emit({ type: "generation-stopped", nodeId: n.nodeId });
      } catch {
        /* a node that does not stop is reported by its own status route; nothing to undo */
      }
    }
  };

  try {
    // Commit loop. The chain checks the window at the height a tx is simulated and checked at (the
    // latest block h) and again in block h+1 that includes it, so commit while both lie in [from, to].
    for (;;) {
      checkAborted(signal, "the PoC v2 host");
      height = await chainHeight(chain);
      if (height + 1n > to) break;
      if (height >= from) await commitRound(height);
      await sleep(interval, signal, "the PoC v2 host");
    }
  } finally {
    await stopAll();
  }
  report.commits = [...committed].map(([modelId, c]) => ({ modelId, ...c }));

  if (options.distribute !== false) await distribute();
  return report;

  async function commitRound(h: bigint): Promise<void> {
    await store.flush();
    const entries: { modelId: string; count: number; rootHash: Uint8Array }[] = [];
    for (const m of options.models) {
      const s = await store.state(stage, m.modelId);
      const last = committed.get(m.modelId);
      if (s.count === 0 || !s.root || (last && (s.count <= last.count || last.height > h))) continue;
      entries.push({ modelId: m.modelId, count: s.count, rootHash: s.root });
    }
    if (entries.length === 0) return;
    try {
      const r = await storePoCV2Commit(chain, signer, { ...tx, pocStageStartBlockHeight: stage, entries });
      report.txHashes.push(r.hash);
      for (const e of entries) committed.set(e.modelId, { count: e.count, rootHash: e.rootHash, height: r.height });
      emit({ type: "committed", height: r.height, txHash: r.hash, entries });
    } catch (e) {
      if (!refusedByChain(e)) throw e;
      emit({ type: "commit-failed", height: h, error: e as Error });
      // learn what the chain holds (a commit may have landed while we waited)
      for (const m of entries) {
        const c = await getPoCV2StoreCommit(chain, { pocStageStartBlockHeight: stage, participantAddress: creator(), modelId: m.modelId });
        if (c.found) committed.set(m.modelId, { count: c.count, rootHash: c.rootHash, height: h });
      }
    }
  }

  function creator(): string {
    return options.granter ?? signer.address;
  }

  async function distribute(): Promise<void> {
    const entries: { modelId: string; weights: MlNodeWeight[] }[] = [];
    const h = await chainHeight(chain);
    for (const m of options.models) {
      checkAborted(signal, "the PoC v2 host");
      if (h + 1n > windows.validation[1]) {
        emit({ type: "distribution-skipped", modelId: m.modelId, reason: "window-closed" });
        continue;
      }
      const pair = { pocStageStartBlockHeight: stage, participantAddress: creator(), modelId: m.modelId };
      const c = await getPoCV2StoreCommit(chain, pair);
      if (!c.found || c.count === 0) {
        emit({ type: "distribution-skipped", modelId: m.modelId, reason: "no-commit" });
        continue;
      }
      if ((await getMLNodeWeightDistribution(chain, pair)).found) {
        emit({ type: "distribution-skipped", modelId: m.modelId, reason: "already-distributed" });
        continue;
      }
      const mmr = await store.mmr(stage, m.modelId);
      entries.push({ modelId: m.modelId, weights: weightDistribution({ nodeCounts: mmr.nodeCounts(), targetCount: c.count }) });
    }
    if (entries.length === 0) return;
    const r = await submitMLNodeWeightDistribution(chain, signer, { ...tx, pocStageStartBlockHeight: stage, entries });
    report.txHashes.push(r.hash);
    report.distributions = entries;
    emit({ type: "distributed", txHash: r.hash, entries });
  }
}

/** The chain refused a tx: in CheckTx/DeliverTx, or already while simulating it (window closed, count not increasing, …). */
function refusedByChain(e: unknown): boolean {
  return e instanceof ChainTxError || (e instanceof NodeRequestError && /\/simulate$/.test(e.endpoint) && e.status !== undefined);
}

async function granterKey(chain: ChainContext, granter: string): Promise<Uint8Array> {
  const k = (await getAccount(chain, granter)).publicKey;
  if (!k) throw new InvalidArgumentError("publicKey", `the account ${granter} has no public key on chain yet; pass publicKey (lower-case hex of its 33-byte key)`);
  return k;
}
