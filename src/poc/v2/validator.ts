/**
 * The validator's PoC v2 flow (spec §11, chain-upgrades.md §7.2–§7.3): for each (participant,
 * model) commit of a stage, sample leaves, fetch and check their proofs against the on-chain
 * `(count, root)`, have the validator's **own MLNode** recompute them with the served model
 * (the only step that needs a GPU) and test the result, then vote with `MsgSubmitPocValidationsV2`
 * (`validated_weight = n_total` to accept, −1 to reject).
 *
 * Upstream quirks followed here:
 * - the chain's `p_value_threshold` never reaches vLLM (the API node sends it under that name, the
 *   MLNode reads `fraud_threshold`), so vLLM decides with 0.01; this flow sends `fraud_threshold`
 *   explicitly, 0.01 by default ({@link VLLM_FRAUD_THRESHOLD}), or the chain's value on request;
 * - generation is seeded with the stage start's **upper-case** block hash (confirmation PoC: the
 *   event's lower-case one), leaf sampling with the *current* block hash at validation start;
 * - a proof with extra trailing hashes verifies (`verifyMmrProof`);
 * - `validation_sample_size` 0 means 200 (applied here, not in `sampleLeafIndices`).
 * @module
 */
import type { ChainContext } from "../../chain/context.js";
import type { TxSigner } from "../../chain/keys.js";
import { getAccount } from "../../chain/query/auth.js";
import { getInferenceParams, getParticipant } from "../../chain/query/inference.js";
import { getAllPoCV2StoreCommits, getPoCValidationSnapshot } from "../../chain/query/poc-v2.js";
import { submitPocValidationsV2, type PocV2TxOptions } from "../../chain/actions/poc-v2.js";
import type { Params } from "../../../generated/proto/inference/inference/params_pb.js";
import type { PoCValidationSnapshot } from "../../../generated/proto/inference/inference/poc_v2_pb.js";
import { GonkaError, InvalidArgumentError, messageOf } from "../../errors.js";
import type { FetchLike } from "../../http/index.js";
import { MlNodeValidationError, PocV2AbortedError, PocV2NoMlNodeError, PocV2WindowClosedError, ProofFetchError } from "./flow-errors.js";
import { chainHeight, checkAborted, hexOf, pocV2Windows, sleep, waitForHeight, type PocV2Windows } from "./flow-util.js";
import type { PocV2MlNode, PocV2Verdict } from "./mlnode-seam.js";
import { CHAIN_STAT_TEST_DEFAULTS, VLLM_FRAUD_THRESHOLD, pocV2Model } from "./models.js";
import { fetchPocV2Proofs, DEFAULT_MAX_PROOF_BYTES, DEFAULT_PROOF_TIMEOUT_MS } from "./proof-client.js";
import { DEFAULT_VALIDATION_SAMPLE_SIZE, sampleLeafIndices } from "./sampling.js";
import { assignSlots, sampledSlotCount } from "./slots.js";
import { checkProofResponse } from "./validation.js";

/** The statistical test of one model, under the MLNode's names. */
export interface PocV2StatTestValues {
  distThreshold: number;
  pMismatch: number;
  fraudThreshold: number;
}

/** One (participant, model) the validator looked at, and what it decided. */
export interface PocV2PairResult {
  participantAddress: string;
  modelId: string;
  /** The committed count. */
  count: number;
  /** The sampled leaf indices. */
  leafIndices: number[];
  /**
   * `accepted`: vote `n_total`; `rejected`: vote −1 (failed proof or fraud); `verified`: proofs
   * checked, no recomputation (dry run); `no-vote`: the participant could not be judged (proof
   * server unreachable after every attempt, MLNode failure, no URL or key on chain).
   */
  outcome: "accepted" | "rejected" | "verified" | "no-vote";
  /** The vote, for `accepted` / `rejected`. */
  validatedWeight?: bigint;
  /** Why it was rejected or not judged. */
  reason?: string;
  /** The error behind `rejected` / `no-vote` (typed: `ProofCoverageError`, `MmrProofError`, `ProofFetchError`, …). */
  error?: Error;
  /** The MLNode's verdict. */
  verdict?: PocV2Verdict;
  /** Proof-fetch attempts made. */
  attempts: number;
}

/** What happened during {@link runPocV2Validator}. */
export type PocV2ValidatorEvent =
  | { type: "windows"; windows: PocV2Windows; height: bigint }
  | { type: "pairs"; total: number; assigned: number; skippedModels: number; skippedNotAssigned: number }
  | { type: "proof-retry"; participantAddress: string; modelId: string; attempt: number; error: ProofFetchError }
  | { type: "pair-done"; result: PocV2PairResult }
  | { type: "submitted"; txHash: string; votes: number }
  | { type: "submit-skipped"; reason: "dry-run" | "no-votes" };

/** Options of {@link runPocV2Validator}. */
export interface PocV2ValidatorOptions {
  chain: ChainContext;
  /** Signs proof requests and the votes: the validator's account key, or its warm key with `granter`. */
  signer: TxSigner;
  /** The validator's account (cold key) when `signer` is its warm key. */
  granter?: string;
  /** Extra tx options of the vote. */
  txOptions?: Omit<PocV2TxOptions, "granter">;
  /** The validator's public key as lower-case hex (sampling seed; default: the account's key). */
  validatorPubKey?: string;
  /** The PoC stage start height S. */
  pocStageStartBlockHeight: bigint | number;
  /** The block hash generation was seeded with (regular PoC: the hash of S, upper-case hex). */
  generationBlockHash: string;
  /** The sampling hash: the current block hash when validation starts (upper-case hex). */
  samplingBlockHash: string;
  /**
   * The validator's own MLNode serving the models to check (the seam; recomputation needs the
   * served model on a GPU). Required unless `dryRun`.
   */
  mlNode?: PocV2MlNode;
  /** Per-model MLNodes, when they differ (falls back to `mlNode`). */
  mlNodes?: Readonly<Record<string, PocV2MlNode>>;
  /** Check only these models (default: every committed model, restricted to the snapshot's when it lists any). */
  models?: readonly string[];
  /** Check only these participants. */
  participants?: readonly string[];
  /** Leaves per pair (default: the chain's `validation_sample_size`, where 0 means 200). */
  sampleSize?: number;
  /**
   * `fraud_threshold` sent to the MLNode: a number, or `"chain"` for the model's
   * `p_value_threshold` (default 0.01, what vLLM decides with on mainnet because the chain's value
   * never reaches it).
   */
  fraudThreshold?: number | "chain";
  /** Stat tests per model (default: the chain's `poc_params.models[].stat_test`). */
  statTests?: Readonly<Record<string, Partial<PocV2StatTestValues>>>;
  /** Deadline of one proof request, ms (default 20 000). */
  proofTimeoutMs?: number;
  /** Largest proof answer, bytes (default 4 MiB). */
  maxProofBytes?: number;
  /** Proof-fetch attempts for transient failures (default 15). */
  proofAttempts?: number;
  /** Delay between attempts, ms (default 3000). */
  retryDelayMs?: number;
  /** MLNode attempts (default 3). */
  mlNodeAttempts?: number;
  /** Pairs in flight (default 10). */
  concurrency?: number;
  /** What a participant whose proof server never answers gets: no vote (default) or −1. */
  unreachable?: "no-vote" | "reject";
  /** Check proofs only; no recomputation, no vote. */
  dryRun?: boolean;
  /** Wait for the validation window before reading commits and voting (default true). */
  waitForWindow?: boolean;
  /** Chain polling interval while waiting, ms (default 1000). */
  pollMs?: number;
  /** Fetch for the proof requests. */
  fetch?: FetchLike;
  onEvent?: (event: PocV2ValidatorEvent) => void;
  signal?: AbortSignal;
}

/** The outcome of {@link runPocV2Validator}. */
export interface PocV2ValidatorReport {
  pocStageStartBlockHeight: bigint;
  windows: PocV2Windows;
  results: PocV2PairResult[];
  /** The votes decided (accepted and rejected pairs); sent unless `dryRun`. */
  votes: { participantAddress: string; modelId: string; validatedWeight: bigint }[];
  txHash?: string;
}

function decimal(d: { value: bigint; exponent: number } | undefined): number | undefined {
  return d ? Number(d.value) * 10 ** d.exponent : undefined;
}

function statTestFor(modelId: string, params: Params | undefined, o: PocV2ValidatorOptions): PocV2StatTestValues {
  const onChain = params?.pocParams?.models.find((m) => m.modelId === modelId)?.statTest;
  const known = pocV2Model(modelId)?.statTest ?? CHAIN_STAT_TEST_DEFAULTS;
  const given = o.statTests?.[modelId] ?? {};
  const pValueThreshold = decimal(onChain?.pValueThreshold) ?? known.pValueThreshold;
  return {
    distThreshold: given.distThreshold ?? decimal(onChain?.distThreshold) ?? known.distThreshold,
    pMismatch: given.pMismatch ?? decimal(onChain?.pMismatch) ?? known.pMismatch,
    fraudThreshold: given.fraudThreshold ?? (o.fraudThreshold === "chain" ? pValueThreshold : (o.fraudThreshold ?? VLLM_FRAUD_THRESHOLD)),
  };
}

interface Pair {
  participantAddress: string;
  modelId: string;
  count: number;
  rootHash: Uint8Array;
  hexPubKey: string;
}

/** Which commits this validator checks (spec §11.1): the snapshot's models, and its slots when `validation_slots > 0`. */
export function selectPocV2Pairs(args: {
  commits: readonly { participantAddress: string; modelId: string; count: number; rootHash: Uint8Array; hexPubKey: string }[];
  snapshot: PoCValidationSnapshot | undefined;
  validationSlots: number;
  validatorAddress: string;
}): { pairs: Pair[]; skippedModels: number; skippedNotAssigned: number } {
  const sampling = new Map<string, Record<string, bigint>>();
  for (const m of args.snapshot?.modelVotingPowers ?? []) sampling.set(m.modelId, Object.fromEntries(m.votingPowers.map((v) => [v.address, v.votingPower])));
  const authoritative = args.snapshot !== undefined && sampling.size > 0;
  const slots = args.snapshot ? args.validationSlots : 0;
  let skippedModels = 0;
  let skippedNotAssigned = 0;
  const pairs: Pair[] = [];
  for (const c of args.commits) {
    if (authoritative && !sampling.has(c.modelId)) {
      skippedModels++;
      continue;
    }
    const weights = sampling.get(c.modelId);
    if (slots > 0 && weights && args.snapshot) {
      const total = Object.values(weights).reduce((s, w) => s + (w > 0n ? w : 0n), 0n);
      const nSlots = sampledSlotCount({ modelVotingPower: total, totalNetworkWeight: args.snapshot.totalNetworkWeight, nSlots: slots });
      const holders = assignSlots({ appHash: args.snapshot.appHash, participant: c.participantAddress, modelId: c.modelId, nSlots, weights });
      if (!holders.includes(args.validatorAddress)) {
        skippedNotAssigned++;
        continue;
      }
    }
    pairs.push({ participantAddress: c.participantAddress, modelId: c.modelId, count: c.count, rootHash: c.rootHash, hexPubKey: c.hexPubKey });
  }
  return { pairs, skippedModels, skippedNotAssigned };
}

/**
 * Runs the validator's side of one PoC v2 stage in one call: reads the stage's commits and
 * snapshot, keeps the pairs it must check, and for each (up to `concurrency` at once) samples
 * leaves, fetches the signed proofs (retrying transient failures), checks them
 * (`checkProofResponse`: coverage, fp16, MMR proofs, duplicate nonces, porosity — any failure
 * votes −1), asks its MLNode to recompute and test, and finally submits one
 * `MsgSubmitPocValidationsV2` with every vote inside the validation window.
 *
 * @example
 * ```ts
 * const report = await runPocV2Validator({
 *   chain, signer: warm, granter: cold.address, pocStageStartBlockHeight: stage,
 *   generationBlockHash, samplingBlockHash,
 *   mlNode: pocV2MlNodeFromClient(createMlNodeClient({ baseUrl: "http://gpu1:8080" })),
 *   onEvent: (e) => e.type === "pair-done" && console.log(e.result.participantAddress, e.result.outcome),
 * });
 * ```
 * @throws {PocV2NoMlNodeError} when a model to check has no MLNode (and not `dryRun`).
 * @throws {PocV2WindowClosedError} when the validation window has ended.
 * @throws {PocV2AbortedError} when `signal` aborts.
 */
export async function runPocV2Validator(options: PocV2ValidatorOptions): Promise<PocV2ValidatorReport> {
  if (!options || !options.chain || !options.signer) throw new InvalidArgumentError("options", "chain and signer are required");
  const { chain, signer, signal } = options;
  const stage = BigInt(options.pocStageStartBlockHeight);
  if (stage <= 0n) throw new InvalidArgumentError("pocStageStartBlockHeight", "must be a positive block height");
  for (const k of ["generationBlockHash", "samplingBlockHash"] as const) {
    if (typeof options[k] !== "string" || options[k] === "") throw new InvalidArgumentError(k, "is required (a block hash as the network node formats it)");
  }
  const emit = (e: PocV2ValidatorEvent) => options.onEvent?.(e);
  const validatorAddress = options.granter ?? signer.address;
  const what = "the PoC v2 validator";

  const params = await getInferenceParams(chain, signal ? { signal } : undefined);
  if (!params.epochParams) throw new GonkaError("The chain's params have no epoch_params");
  const windows = pocV2Windows(params.epochParams, stage);
  let height = await chainHeight(chain);
  emit({ type: "windows", windows, height });
  if (height + 1n > windows.validation[1]) throw new PocV2WindowClosedError("validation", height, windows.validation[1], `too late to vote for stage ${stage}`);
  if (options.waitForWindow !== false) height = await waitForHeight(chain, windows.validation[0], { pollMs: options.pollMs ?? 1000, ...(signal ? { signal } : {}), what });

  const validatorPubKey = options.validatorPubKey ?? hexOf(options.granter && options.granter !== signer.address ? await accountKey(chain, options.granter) : signer.publicKey);
  const sampleSize = options.sampleSize ?? (params.pocParams?.validationSampleSize || DEFAULT_VALIDATION_SAMPLE_SIZE);

  const commits = await getAllPoCV2StoreCommits(chain, stage, signal ? { signal } : undefined);
  let snapshot: PoCValidationSnapshot | undefined;
  try {
    snapshot = await getPoCValidationSnapshot(chain, stage, signal ? { signal } : undefined);
  } catch {
    snapshot = undefined; // as the network node: no snapshot → every commit, no slots
  }
  const selected = selectPocV2Pairs({ commits, snapshot, validationSlots: params.pocParams?.validationSlots ?? 0, validatorAddress });
  const pairs = selected.pairs.filter(
    (p) => (!options.models || options.models.includes(p.modelId)) && (!options.participants || options.participants.includes(p.participantAddress)),
  );
  emit({ type: "pairs", total: commits.length, assigned: pairs.length, skippedModels: selected.skippedModels, skippedNotAssigned: selected.skippedNotAssigned });

  if (!options.dryRun) for (const p of pairs) if (!(options.mlNodes?.[p.modelId] ?? options.mlNode)) throw new PocV2NoMlNodeError(p.modelId);
  if (!options.dryRun) {
    const nodes = new Set([options.mlNode, ...Object.values(options.mlNodes ?? {})].filter((n): n is PocV2MlNode => !!n));
    for (const n of nodes) await n.stop?.(signal ? { signal } : undefined).catch(() => undefined);
  }

  const results: PocV2PairResult[] = new Array(pairs.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= pairs.length) return;
      checkAborted(signal, what);
      results[i] = await judge(pairs[i]!);
      emit({ type: "pair-done", result: results[i] });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 10, pairs.length)) }, worker));

  const votes = results
    .filter((r) => r.validatedWeight !== undefined)
    .map((r) => ({ participantAddress: r.participantAddress, modelId: r.modelId, validatedWeight: r.validatedWeight! }));
  const report: PocV2ValidatorReport = { pocStageStartBlockHeight: stage, windows, results, votes };
  if (options.dryRun) {
    emit({ type: "submit-skipped", reason: "dry-run" });
    return report;
  }
  if (votes.length === 0) {
    emit({ type: "submit-skipped", reason: "no-votes" });
    return report;
  }
  if (options.waitForWindow !== false) height = await waitForHeight(chain, windows.validation[0], { pollMs: options.pollMs ?? 1000, ...(signal ? { signal } : {}), what });
  else height = await chainHeight(chain);
  if (height + 1n > windows.validation[1]) throw new PocV2WindowClosedError("validation", height, windows.validation[1], `${votes.length} votes not sent`);
  const r = await submitPocValidationsV2(chain, signer, {
    ...options.txOptions,
    ...(options.granter ? { granter: options.granter } : {}),
    pocStageStartBlockHeight: stage,
    validations: votes,
  });
  report.txHash = r.hash;
  emit({ type: "submitted", txHash: r.hash, votes: votes.length });
  return report;

  async function judge(p: Pair): Promise<PocV2PairResult> {
    const leafIndices = sampleLeafIndices({ validatorPubKey, blockHash: options.samplingBlockHash, blockHeight: stage, modelId: p.modelId, count: p.count, sampleSize });
    const base = { participantAddress: p.participantAddress, modelId: p.modelId, count: p.count, leafIndices, attempts: 0 };
    const noVote = (reason: string, error?: Error): PocV2PairResult => ({ ...base, outcome: "no-vote", reason, ...(error ? { error } : {}) });
    const reject = (reason: string, error?: Error): PocV2PairResult => ({ ...base, outcome: "rejected", validatedWeight: -1n, reason, ...(error ? { error } : {}) });
    if (leafIndices.length === 0) return noVote("nothing committed");
    if (!p.hexPubKey) return noVote("the commit carries no public key");
    let url: string;
    try {
      url = (await getParticipant(chain, p.participantAddress, signal ? { signal } : undefined)).inferenceUrl;
    } catch (e) {
      return noVote(`participant not found: ${messageOf(e)}`, e instanceof Error ? e : undefined);
    }
    if (!url) return noVote("the participant has no inference URL");

    // Fetch proofs, retrying transient failures.
    const attempts = options.proofAttempts ?? 15;
    let proofs;
    for (;;) {
      base.attempts++;
      try {
        proofs = await fetchPocV2Proofs({
          url, participantAddress: p.participantAddress, pocStageStartBlockHeight: stage, modelId: p.modelId, rootHash: p.rootHash, count: p.count,
          leafIndices, validatorAddress, signer, timeoutMs: options.proofTimeoutMs ?? DEFAULT_PROOF_TIMEOUT_MS,
          maxBytes: options.maxProofBytes ?? DEFAULT_MAX_PROOF_BYTES, ...(options.fetch ? { fetch: options.fetch } : {}), ...(signal ? { signal } : {}),
        });
        break;
      } catch (e) {
        if (signal?.aborted) throw new PocV2AbortedError(what, { cause: e });
        if (!(e instanceof ProofFetchError)) throw e;
        if (!e.transient) return reject(e.shortMessage, e);
        if (base.attempts >= attempts) return options.unreachable === "reject" ? reject(e.shortMessage, e) : noVote(e.shortMessage, e);
        emit({ type: "proof-retry", participantAddress: p.participantAddress, modelId: p.modelId, attempt: base.attempts, error: e });
        await sleep(options.retryDelayMs ?? 3000, signal, what);
      }
    }

    let artifacts;
    try {
      artifacts = checkProofResponse({ leafIndices, proofs, root: p.rootHash, count: p.count });
    } catch (e) {
      if (!(e instanceof GonkaError)) throw e;
      return reject(e.shortMessage, e);
    }
    if (options.dryRun) return { ...base, outcome: "verified" };

    const mlNode = (options.mlNodes?.[p.modelId] ?? options.mlNode)!;
    const seqLen = Number(params.pocParams?.models.find((m) => m.modelId === p.modelId)?.seqLen ?? BigInt(pocV2Model(p.modelId)?.seqLen ?? 0));
    if (!seqLen) return noVote(`the chain names no seq_len for ${p.modelId}`);
    const request = {
      blockHash: options.generationBlockHash, blockHeight: Number(stage), publicKey: p.hexPubKey, modelId: p.modelId, seqLen,
      ...(params.pocParams?.pocStrongerRngEnabled ? { strongerRng: true } : {}),
      nonces: artifacts.map((a) => a.nonce), artifacts: artifacts.map((a) => ({ nonce: a.nonce, vector_b64: a.vectorB64 })),
      statTest: statTestFor(p.modelId, params, options),
    };
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= (options.mlNodeAttempts ?? 3); attempt++) {
      try {
        const verdict = await mlNode.validate(request, signal ? { signal } : undefined);
        const accept = !verdict.fraudDetected && verdict.nTotal > 0;
        return accept
          ? { ...base, outcome: "accepted", validatedWeight: BigInt(verdict.nTotal), verdict }
          : { ...base, outcome: "rejected", validatedWeight: -1n, reason: verdict.nTotal > 0 ? `fraud: ${verdict.nMismatch} of ${verdict.nTotal} artifacts do not reproduce (p = ${verdict.pValue})` : "nothing recomputed", verdict };
      } catch (e) {
        if (signal?.aborted) throw new PocV2AbortedError(what, { cause: e });
        lastError = e instanceof MlNodeValidationError ? e : new MlNodeValidationError(p.modelId, messageOf(e), { cause: e });
      }
    }
    return noVote(lastError!.message.split("\n")[0]!, lastError);
  }
}

async function accountKey(chain: ChainContext, address: string): Promise<Uint8Array> {
  const k = (await getAccount(chain, address)).publicKey;
  if (!k) throw new InvalidArgumentError("validatorPubKey", `the account ${address} has no public key on chain; pass validatorPubKey`);
  return k;
}
