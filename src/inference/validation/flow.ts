/**
 * The validator's flow for one inference, in one call (inference-flow.md §4–§8): read the
 * inference from the chain, decide with `shouldValidate`, fetch and check the executor's payloads,
 * re-run the prompt on the validator's **own MLNode** with the executor's tokens enforced (the only
 * step that needs a GPU), score it like the network, and submit `MsgValidation` with
 * `value_decimal`. A score at or below the model's threshold is what starts the network's
 * invalidation: the chain then opens the vote, and every node revalidates
 * (`validateInference({ revalidation: true })`). Also a batch over an epoch's inferences.
 *
 * Network behaviour followed here:
 * - payloads that stay unavailable after every attempt, or whose signature or hashes do not
 *   match the chain's record, get `MsgValidation{value_decimal: 0, response_hash: ""}` (an
 *   invalidation); a 404 (pruned) is skipped silently;
 * - an executor answer that cannot be parsed, an MLNode that does not answer, or no logprobs on
 *   either side produce **no** message;
 * - the validator's MLNode answering 400/422 is a pass with 1.0; the executor's `"<EMPTY>"`
 *   sentinel with a 200 from the validator is invalid (0).
 *
 * What the SDK cannot read from the chain: `InferenceValidationDetails` (executor reputation,
 * powers, traffic basis) has no field numbers in the spec, so the sampling inputs are the caller's
 * (`sampling`). Enumerating an epoch's inferences uses `InferenceAll`; the network's nodes react
 * to `inference_finished` events instead (inferred equivalent).
 * @module
 */
import { Query } from "../../../generated/proto/inference/inference/query_pb.js";
import { InferenceStatus, type Inference } from "../../../generated/proto/inference/inference/inference_pb.js";
import type { ChainContext } from "../../chain/context.js";
import type { TxSigner } from "../../chain/keys.js";
import type { TxOptions } from "../../chain/send.js";
import { NodeRequestError } from "../../chain/errors.js";
import { binaryQuery } from "../../chain/query/binary.js";
import { getAccount } from "../../chain/query/auth.js";
import { getEpochInfo, getGranteesByMessageType, getParticipant } from "../../chain/query/inference.js";
import { submitValidation } from "../../chain/actions/inference.js";
import { GonkaError, InvalidArgumentError, messageOf } from "../../errors.js";
import type { FetchLike } from "../../http/index.js";
import { sha256Hex } from "../hashes.js";
import { Decimal, type DecimalInput } from "./decimal.js";
import type { DecimalValue } from "./decimal-from-float.js";
import { enforcedTokensFrom, hasEmptySentinel, hasNonNumericTokens } from "./enforced-tokens.js";
import {
  InferenceNotFoundError,
  PayloadRetrievalError,
  ValidationAbortedError,
  ValidationNoMlNodeError,
  ValidationReplayError,
} from "./flow-errors.js";
import { mlNodeFromUrl, type ValidationMlNode } from "./flow-mlnode.js";
import { checkInferencePayloads, fetchInferencePayloads, type InferencePayloads } from "./flow-payloads.js";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "./logprobs.js";
import { validatorReplayRequest } from "./replay-request.js";
import { scoreValidation, type ValidationOutcome, type ValidationResultKind, type ValidatorReplayResponse } from "./score-validation.js";
import { seedFromSignature } from "./seed.js";
import { shouldValidate, type ShouldValidateArgs, type ShouldValidateResult } from "./should-validate.js";
import { passesValidationThreshold, validationThresholdFor } from "./thresholds.js";

/** The sampling inputs of one inference (`InferenceValidationDetails` and the validator's weight). */
export type SamplingInputs = Pick<ShouldValidateArgs, "executorReputation" | "trafficBasis" | "executorPower" | "validatorPower" | "totalPower">;

/** Where sampling inputs come from: given, computed per inference, or `"always"` (validate without sampling). */
export type SamplingSource = SamplingInputs | "always" | ((inference: Inference) => SamplingInputs | "always" | Promise<SamplingInputs | "always">);

/** Payloads the caller already has (instead of asking the executor). */
export interface GivenPayloads {
  promptPayload: Uint8Array | string;
  responsePayload: Uint8Array | string;
  /** The executor's signature over them; checked against its keys when given. */
  executorSignature?: string;
}

/** Why an inference was not validated. */
export type ValidationSkipReason =
  | "not-selected"
  | "own-inference"
  | "not-finished"
  | "already-invalidated"
  | "already-validated"
  | "not-voting"
  | "stale-epoch"
  | "payloads-pruned";

/** Result kinds beyond the comparison's: the invalidations of §6 step 1. */
export type FlowResultKind = ValidationResultKind | "payloads-unavailable" | "payload-mismatch";

/** What happened, step by step. */
export type ValidationProgress =
  | { type: "inference"; inference: Inference }
  | { type: "sampling"; result: ShouldValidateResult }
  | { type: "payloads"; source: "executor" | "given"; attempts: number; promptBytes: number; responseBytes: number }
  | { type: "payload-retry"; attempt: number; delayMs: number; error: PayloadRetrievalError }
  | { type: "replayed"; status: number; attempts: number }
  | { type: "scored"; outcome: ValidationOutcome }
  | { type: "submitting"; valueDecimal: DecimalValue; revalidation: boolean }
  | { type: "submitted"; txHash: string; height: bigint };

/** Options of {@link validateInference}. */
export interface ValidateInferenceOptions {
  /** A chain client (`createChainClient`) or any `ChainContext`. */
  chain: ChainContext;
  /** Signs the payload request and the tx: the validator's account key, or its warm key with `granter`. */
  wallet: TxSigner;
  /** The validator's account (cold key) when `wallet` is its warm key (then sent inside `MsgExec`). */
  granter?: string;
  /** The inference to check, read from the chain… */
  inferenceId?: string;
  /** …or the record itself (e.g. from a batch listing). */
  inference?: Inference;
  /**
   * The validator's own MLNode: an OpenAI-compatible base URL of its vLLM (`http://gpu:5000`,
   * `…/v1`) or an object with `complete(request)`. Required: the re-run needs the served model.
   */
  mlNode?: string | ValidationMlNode;
  /** Payloads you already have (skips the request to the executor; hashes are still checked). */
  payloads?: GivenPayloads;
  /** The executor's public API base (default its `inference_url` on chain). */
  executorUrl?: string;
  /** The validator's seed for the inference's epoch (default: derived with `wallet` over the epoch, as the node does). */
  seed?: bigint;
  /** Sampling inputs (required unless `revalidation`): see {@link SamplingSource}. */
  sampling?: SamplingSource;
  /** Sampling parameters (default mainnet's). */
  samplingParams?: ShouldValidateArgs["params"];
  /** The model's threshold (default: the chain's `validation_threshold` for the model, else the known table). */
  threshold?: DecimalInput;
  /** A revalidation (the vote every node casts on an open invalidation): no sampling, sends `revalidation: true`. */
  revalidation?: boolean;
  /** Decide and score, but send nothing. */
  dryRun?: boolean;
  /** Largest payload (each) and largest MLNode answer, bytes (default 16 MiB). */
  maxPayloadBytes?: number;
  /** Deadline of one payload request, ms (default 20 000). */
  payloadTimeoutMs?: number;
  /** Payload attempts for transient failures (default 10, as the network). */
  payloadAttempts?: number;
  /** Delay before retry `attempt` (1-based), ms; default the network's: 10–20 s, then 2–4 min. */
  payloadRetryDelayMs?: number | ((attempt: number) => number);
  /** What payloads that stay unavailable get: an invalidation (value 0, the network's choice; default) or no message. */
  onPayloadsUnavailable?: "invalidate" | "no-message";
  /** Deadline of one re-run when `mlNode` is a URL, ms (default 300 000). */
  replayTimeoutMs?: number;
  /** Re-run attempts when the MLNode does not answer (default 1; the network retries 5 times, 4 min apart). */
  replayAttempts?: number;
  /** Delay between re-run attempts, ms (default 5000). */
  replayRetryDelayMs?: number;
  /** Options of the `MsgValidation` tx. */
  txOptions?: Omit<TxOptions, "skipSignerCheck">;
  /** Fetch for the payload request (and a URL MLNode). */
  fetch?: FetchLike;
  onProgress?: (event: ValidationProgress) => void;
  signal?: AbortSignal;
}

/** What {@link validateInference} did. */
export interface InferenceValidationResult {
  inferenceId: string;
  executor: string;
  model: string;
  epochId: bigint;
  revalidation: boolean;
  /**
   * `skipped`: not validated (`skip` says why); `no-message`: validated but, like the network,
   * nothing to send (`error` says why); `decided`: a message was decided (`dryRun`); `submitted`:
   * `MsgValidation` is on chain.
   */
  outcome: "skipped" | "no-message" | "decided" | "submitted";
  skip?: ValidationSkipReason;
  /** One line saying why. */
  reason: string;
  /** The sampling decision (absent for revalidations and skips before it). */
  sampling?: ShouldValidateResult;
  /** The result kind sent. */
  kind?: FlowResultKind;
  /** The value sent, and its `value_decimal`. */
  similarity?: number;
  valueDecimal?: DecimalValue;
  /** `response_hash` sent: the validator's own answer (empty for the payload invalidations). */
  responseHash?: string;
  /** The threshold compared against, and whether the chain will count it as passed (`value > threshold`). */
  threshold?: Decimal;
  passes?: boolean;
  /** The full scoring outcome. */
  score?: ValidationOutcome;
  txHash?: string;
  height?: bigint;
  /** The inference's status after the tx (e.g. `VALIDATED`, `VOTING`, `INVALIDATED`). */
  statusAfter?: keyof typeof InferenceStatus;
  /** The typed error behind `no-message` (`ValidationReplayError`, `MalformedLogprobsError`, `PayloadRetrievalError`, …). */
  error?: Error;
}

const MSG_START = "/inference.inference.MsgStartInference";

/** The inference's status name. */
function statusName(s: InferenceStatus): keyof typeof InferenceStatus {
  return (InferenceStatus[s] ?? "STARTED") as keyof typeof InferenceStatus;
}

function checkAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new ValidationAbortedError(what, { cause: signal.reason });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  checkAborted(signal, "inference validation");
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(t);
      reject(new ValidationAbortedError("inference validation", { cause: signal?.reason }));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The network's retry schedule of payload retrieval: first after 10–20 s, then every 2–4 min. */
export function networkPayloadRetryDelayMs(attempt: number): number {
  return attempt <= 1 ? 10_000 + Math.random() * 10_000 : 120_000 + Math.random() * 120_000;
}

/**
 * Reads one inference from the chain (`Query/Inference` over gRPC or `abci_query`: inference ids
 * are base64 and may hold `/`, which the REST gateway cannot route).
 *
 * @throws {InferenceNotFoundError} when the chain has none.
 */
export async function getInference(chain: Pick<ChainContext, "transport" | "rpc">, inferenceId: string, options: { signal?: AbortSignal } = {}): Promise<Inference> {
  if (typeof inferenceId !== "string" || inferenceId === "") throw new InvalidArgumentError("inferenceId", "is required");
  try {
    const res = await binaryQuery(chain, Query.method.inference, { index: inferenceId }, options.signal ? { signal: options.signal } : {});
    if (!res.inference) throw new InferenceNotFoundError(inferenceId);
    return res.inference;
  } catch (e) {
    if (e instanceof NodeRequestError && (e.code === 22 || e.code === 5 || e.status === 404)) throw new InferenceNotFoundError(inferenceId, { cause: e });
    throw e;
  }
}

/** The model's `validation_threshold` from the chain's governance models, if the chain names one. */
export async function chainValidationThreshold(chain: Pick<ChainContext, "transport" | "rpc">, model: string, options: { signal?: AbortSignal } = {}): Promise<Decimal | undefined> {
  let key: Uint8Array | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await binaryQuery(chain, Query.method.modelsAll, { pagination: { key: key ?? new Uint8Array(), limit: 1000n } }, options.signal ? { signal: options.signal } : {});
    const m = res.model.find((x) => x.id === model);
    if (m) return m.validationThreshold ? new Decimal(m.validationThreshold.value, m.validationThreshold.exponent) : undefined;
    key = res.pagination?.nextKey;
    if (!key || key.length === 0) return undefined;
  }
  return undefined;
}

function resolveMlNode(o: ValidateInferenceOptions, model: string): ValidationMlNode {
  if (typeof o.mlNode === "string") {
    return mlNodeFromUrl(o.mlNode, {
      ...(o.replayTimeoutMs !== undefined ? { timeoutMs: o.replayTimeoutMs } : {}),
      ...(o.maxPayloadBytes !== undefined ? { maxBytes: o.maxPayloadBytes } : {}),
      ...(o.fetch ? { fetch: o.fetch } : {}),
    });
  }
  if (o.mlNode && typeof o.mlNode.complete === "function") return o.mlNode;
  if (o.mlNode !== undefined) throw new InvalidArgumentError("mlNode", "expected a base URL or an object with complete(request)");
  throw new ValidationNoMlNodeError(model);
}

async function epochSeed(wallet: TxSigner, epoch: bigint): Promise<bigint> {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, epoch);
  return seedFromSignature(await wallet.signBytes(bytes));
}

function u8(x: Uint8Array | string): Uint8Array {
  return typeof x === "string" ? new TextEncoder().encode(x) : x;
}

/** One submission at a time per wallet (sequence numbers): a batch shares one lock. */
type SubmitLock = <T>(fn: () => Promise<T>) => Promise<T>;

function createLock(): SubmitLock {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * Validates one inference like a network validator, in one call: reads it, decides with
 * `shouldValidate` (skips with a reason when not selected), fetches and checks the executor's
 * payloads, re-runs it on the validator's own MLNode with the executor's tokens enforced, scores
 * it, and submits `MsgValidation` with `value_decimal` (an invalidation, value 0, when the payloads
 * are unavailable or do not match the chain's record). The chain then passes it (`value >
 * threshold`) or opens the invalidation vote; `statusAfter` says which.
 *
 * @example
 * ```ts
 * const r = await validateInference({
 *   chain, wallet, inferenceId,
 *   mlNode: "http://gpu-host:5000",                     // your vLLM (the re-run needs the model)
 *   sampling: { executorReputation: 0, trafficBasis: 150, executorPower: 90_000, validatorPower: 150_000, totalPower: 1_000_000 },
 *   onProgress: (e) => console.log(e.type),
 * });
 * r.outcome;      // "submitted" | "skipped" | "no-message"
 * r.valueDecimal; // { value: 999057070427818n, exponent: -15 }
 * r.statusAfter;  // "VALIDATED" | "VOTING"
 * ```
 * @throws {ValidationNoMlNodeError} when no MLNode is configured (the re-run needs the served model on a GPU).
 * @throws {InferenceNotFoundError} when the chain has no such inference.
 * @throws {ValidationAbortedError} when `signal` aborts.
 * Chain errors of the submission (e.g. `ChainTxError`) propagate.
 */
export async function validateInference(options: ValidateInferenceOptions): Promise<InferenceValidationResult> {
  return validateOne(options, createLock());
}

async function validateOne(o: ValidateInferenceOptions, lock: SubmitLock): Promise<InferenceValidationResult> {
  if (!o || typeof o !== "object") throw new InvalidArgumentError("options", "expected an object");
  if (!o.chain || !o.wallet || typeof o.wallet.signBytes !== "function") throw new InvalidArgumentError("options", "chain and wallet are required");
  if (!o.inference && !o.inferenceId) throw new InvalidArgumentError("inferenceId", "pass inferenceId or inference");
  const { chain, wallet, signal } = o;
  const call = signal ? { signal } : {};
  const emit = (e: ValidationProgress) => o.onProgress?.(e);
  const validator = o.granter ?? wallet.address;
  const revalidation = o.revalidation === true;
  checkAborted(signal, "inference validation");

  const inf = o.inference ?? (await getInference(chain, o.inferenceId!, call));
  const mlNode = resolveMlNode(o, inf.model);
  emit({ type: "inference", inference: inf });
  const base = { inferenceId: inf.inferenceId || inf.index, executor: inf.executedBy, model: inf.model, epochId: inf.epochId, revalidation };
  const skip = (why: ValidationSkipReason, reason: string, extra: Partial<InferenceValidationResult> = {}): InferenceValidationResult => ({
    ...base,
    outcome: "skipped",
    skip: why,
    reason,
    ...extra,
  });
  const id = base.inferenceId;

  // What the node checks before sampling.
  if (inf.status === InferenceStatus.STARTED) return skip("not-finished", "the inference has not finished");
  if (inf.status === InferenceStatus.INVALIDATED) return skip("already-invalidated", "the inference is already invalidated");
  if (revalidation && inf.status !== InferenceStatus.VOTING) return skip("not-voting", `no invalidation vote is open (status ${statusName(inf.status)})`);
  if (!revalidation && inf.executedBy === validator) return skip("own-inference", "the validator executed this inference");
  if (!revalidation && inf.validatedBy.includes(validator)) return skip("already-validated", "this validator already validated it");
  const current = (await getEpochInfo(chain, call)).latestEpoch?.index;
  if (current !== undefined && current >= inf.epochId + 2n) return skip("stale-epoch", `epoch ${inf.epochId} is too old (current ${current})`);

  let sampling: ShouldValidateResult | undefined;
  if (!revalidation) {
    if (o.sampling === undefined) {
      throw new InvalidArgumentError(
        "sampling",
        "is required: pass { executorReputation, trafficBasis, executorPower, validatorPower, totalPower } (the chain's InferenceValidationDetails, whose field numbers the SDK does not have), a function of the inference, or \"always\"",
      );
    }
    const inputs = typeof o.sampling === "function" ? await o.sampling(inf) : o.sampling;
    if (inputs !== "always") {
      const seed = o.seed ?? (await epochSeed(wallet, inf.epochId));
      sampling = shouldValidate({ seed, inferenceId: id, ...inputs, ...(o.samplingParams ? { params: o.samplingParams } : {}) });
      emit({ type: "sampling", result: sampling });
      if (!sampling.shouldValidate) {
        const p = sampling.probability?.toString();
        return skip("not-selected", p ? `not selected (u = ${sampling.randomValue?.toString()} ≥ p = ${p})` : sampling.message, { sampling });
      }
    }
  }

  const maxPayloadBytes = o.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const finish = async (decided: {
    kind: FlowResultKind;
    similarity: number;
    valueDecimal: DecimalValue;
    responseHash: string;
    score?: ValidationOutcome;
    reason: string;
  }): Promise<InferenceValidationResult> => {
    const threshold = o.threshold !== undefined ? Decimal.from(o.threshold) : ((await chainValidationThreshold(chain, inf.model, call)) ?? validationThresholdFor(inf.model));
    const result: InferenceValidationResult = {
      ...base,
      outcome: "decided",
      reason: decided.reason,
      ...(sampling ? { sampling } : {}),
      kind: decided.kind,
      similarity: decided.similarity,
      valueDecimal: decided.valueDecimal,
      responseHash: decided.responseHash,
      ...(decided.score ? { score: decided.score } : {}),
      ...(threshold ? { threshold, passes: passesValidationThreshold(decided.valueDecimal, threshold) } : {}),
    };
    if (o.dryRun) return result;
    checkAborted(signal, "inference validation");
    emit({ type: "submitting", valueDecimal: decided.valueDecimal, revalidation });
    const tx = await lock(() =>
      submitValidation(chain, wallet, {
        ...o.txOptions,
        ...(o.granter ? { granter: o.granter } : {}),
        inferenceId: id,
        value: decimalText(decided.valueDecimal),
        id: crypto.randomUUID(),
        responseHash: decided.responseHash,
        revalidation,
      }),
    );
    emit({ type: "submitted", txHash: tx.hash, height: tx.height });
    result.outcome = "submitted";
    result.txHash = tx.hash;
    result.height = tx.height;
    try {
      result.statusAfter = statusName((await getInference(chain, id, call)).status);
    } catch {
      // the tx is on chain; the status is informational
    }
    return result;
  };
  const invalidation = (kind: "payloads-unavailable" | "payload-mismatch", error: PayloadRetrievalError) =>
    finish({ kind, similarity: 0, valueDecimal: { value: 0n, exponent: 0 }, responseHash: "", reason: error.shortMessage }).then((r) => ({ ...r, error }));
  const noMessage = (reason: string, error?: Error): InferenceValidationResult => ({
    ...base,
    outcome: "no-message",
    reason,
    ...(sampling ? { sampling } : {}),
    ...(error ? { error } : {}),
  });

  // 1. payloads
  let payloads: InferencePayloads;
  try {
    payloads = await getPayloads();
  } catch (e) {
    if (!(e instanceof PayloadRetrievalError)) throw e;
    if (e.failure === "not-found") return skip("payloads-pruned", e.shortMessage, { ...(sampling ? { sampling } : {}), error: e } as Partial<InferenceValidationResult>);
    if (e.failure === "bad-signature" || e.failure === "hash-mismatch") return invalidation("payload-mismatch", e);
    if ((o.onPayloadsUnavailable ?? "invalidate") === "invalidate") return invalidation("payloads-unavailable", e);
    return noMessage(e.shortMessage, e);
  }

  // 2. re-run with the executor's tokens enforced
  const responseText = new TextDecoder().decode(payloads.responsePayload);
  const promptText = new TextDecoder().decode(payloads.promptPayload);
  let replayResponse: ValidatorReplayResponse;
  let replayBody = "";
  try {
    const enforcedTokens = enforcedTokensFrom(responseText, { maxPayloadBytes });
    if (!hasEmptySentinel(enforcedTokens) && hasNonNumericTokens(enforcedTokens)) {
      replayResponse = { status: 200, body: "{}" }; // not consulted: the executor's text tokens make it invalid
    } else {
      const request = validatorReplayRequest({ promptPayload: promptText, enforcedTokens });
      const attempts = Math.max(1, o.replayAttempts ?? 1);
      let last: Error | undefined;
      let answered: ValidatorReplayResponse | undefined;
      for (let attempt = 1; attempt <= attempts && !answered; attempt++) {
        try {
          answered = await mlNode.complete(request, { ...call, inferenceId: id });
          emit({ type: "replayed", status: answered.status, attempts: attempt });
        } catch (e) {
          if (e instanceof ValidationAbortedError || signal?.aborted) throw e instanceof ValidationAbortedError ? e : new ValidationAbortedError("the re-run", { cause: e });
          last = e instanceof ValidationReplayError ? e : new ValidationReplayError(id, "unreachable", messageOf(e), { cause: e });
          if (attempt < attempts) await sleep(o.replayRetryDelayMs ?? 5000, signal);
        }
      }
      if (!answered) return noMessage(last!.message.split("\n")[0]!, last);
      if (typeof answered.status !== "number" || (typeof answered.body !== "string" && (typeof answered.body !== "object" || answered.body === null))) {
        const err = new ValidationReplayError(id, "malformed", "the MLNode seam returned no { status, body }");
        return noMessage(err.shortMessage, err);
      }
      replayResponse = answered;
      replayBody = typeof answered.body === "string" ? answered.body : JSON.stringify(answered.body);
      if (new TextEncoder().encode(replayBody).length > maxPayloadBytes) {
        const err = new ValidationReplayError(id, "too-large", `the MLNode's answer exceeds ${maxPayloadBytes} bytes`);
        return noMessage(err.shortMessage, err);
      }
    }
  } catch (e) {
    if (e instanceof ValidationAbortedError) throw e;
    if (e instanceof GonkaError) return noMessage(`the executor's response payload cannot be used: ${e.shortMessage}`, e);
    throw e;
  }

  // 3. score
  let score: ValidationOutcome;
  try {
    score = scoreValidation({ executorPayload: responseText, validatorResponse: replayResponse, maxPayloadBytes });
  } catch (e) {
    if (e instanceof GonkaError) return noMessage(`cannot score: ${e.shortMessage}`, e);
    throw e;
  }
  emit({ type: "scored", outcome: score });
  if (!score.sendsMsgValidation) return noMessage(score.error ?? "nothing to send", score.error ? new GonkaError(score.error) : undefined);
  return finish({
    kind: score.result as ValidationResultKind,
    similarity: score.similarity,
    valueDecimal: score.valueDecimal!,
    responseHash: replayBody ? sha256Hex(replayBody) : "",
    score,
    reason: score.reason || `${score.result} ${score.similarity}`,
  });

  async function getPayloads(): Promise<InferencePayloads> {
    let executor: { address: string; publicKeys: (string | Uint8Array)[] } | undefined;
    const keysOfExecutor = async () => {
      if (executor) return executor;
      const keys: (string | Uint8Array)[] = [];
      try {
        const k = (await getAccount(chain, inf.executedBy, call)).publicKey;
        if (k) keys.push(k);
      } catch {
        // no account key: only grantees can have signed
      }
      for (const g of await getGranteesByMessageType(chain, inf.executedBy, MSG_START, call)) if (g.pubKey) keys.push(g.pubKey);
      executor = { address: inf.executedBy, publicKeys: keys };
      return executor;
    };
    if (o.payloads) {
      const given: InferencePayloads = {
        promptPayload: u8(o.payloads.promptPayload),
        responsePayload: u8(o.payloads.responsePayload),
        ...(o.payloads.executorSignature !== undefined ? { executorSignature: o.payloads.executorSignature } : {}),
      };
      for (const [name, p] of [["promptPayload", given.promptPayload], ["responsePayload", given.responsePayload]] as const) {
        if (p.length > maxPayloadBytes) throw new PayloadRetrievalError(id, "too-large", `${name} is ${p.length} bytes, more than ${maxPayloadBytes}`);
      }
      checkInferencePayloads({
        inferenceId: id,
        payloads: given,
        promptHash: inf.promptHash,
        responseHash: inf.responseHash,
        ...(given.executorSignature !== undefined ? { executor: await keysOfExecutor() } : {}),
      });
      emit({ type: "payloads", source: "given", attempts: 0, promptBytes: given.promptPayload.length, responseBytes: given.responsePayload.length });
      return given;
    }
    const url = o.executorUrl ?? (await getParticipant(chain, inf.executedBy, call)).inferenceUrl;
    if (!url) throw new PayloadRetrievalError(id, "unreachable", `the executor ${inf.executedBy} has no inference_url on chain`);
    const attempts = Math.max(1, o.payloadAttempts ?? 10);
    for (let attempt = 1; ; attempt++) {
      try {
        const p = await fetchInferencePayloads({
          executorUrl: url,
          inferenceId: id,
          epochId: inf.epochId,
          validatorAddress: validator,
          signer: wallet,
          maxPayloadBytes,
          ...(o.payloadTimeoutMs !== undefined ? { timeoutMs: o.payloadTimeoutMs } : {}),
          ...(o.fetch ? { fetch: o.fetch } : {}),
          ...call,
        });
        checkInferencePayloads({ inferenceId: id, payloads: p, promptHash: inf.promptHash, responseHash: inf.responseHash, executor: await keysOfExecutor() });
        emit({ type: "payloads", source: "executor", attempts: attempt, promptBytes: p.promptPayload.length, responseBytes: p.responsePayload.length });
        return p;
      } catch (e) {
        if (!(e instanceof PayloadRetrievalError) || !e.transient || attempt >= attempts) throw e;
        const d = o.payloadRetryDelayMs;
        const delayMs = typeof d === "function" ? d(attempt) : (d ?? networkPayloadRetryDelayMs(attempt));
        emit({ type: "payload-retry", attempt, delayMs, error: e });
        await sleep(delayMs, signal);
      }
    }
  }
}

/** `value_decimal` as text `toChainDecimal` reads back to the same digits and exponent. */
function decimalText(d: DecimalValue): string {
  return d.exponent === 0 ? d.value.toString() : `${d.value}e${d.exponent}`;
}

/** Options of {@link validateInferences}. */
export interface ValidateInferencesOptions extends Omit<ValidateInferenceOptions, "inferenceId" | "inference" | "onProgress"> {
  /** The epoch whose inferences to check (default the current one). */
  epoch?: bigint | number;
  /** Check only these inference ids (default every finished inference of the epoch). */
  inferenceIds?: readonly string[];
  /** Inferences in flight (default 4); submissions stay one at a time. */
  concurrency?: number;
  /** Called with each result as it is known. */
  onResult?: (result: InferenceValidationResult) => void;
  /** Progress of each inference. */
  onProgress?: (inferenceId: string, event: ValidationProgress) => void;
}

/** What {@link validateInferences} did. */
export interface EpochValidationReport {
  epoch: bigint;
  /** One result per inference considered, in listing order (failures carry `outcome: "no-message"` and `error`). */
  results: InferenceValidationResult[];
  /** How many were submitted, skipped (by reason), or sent nothing. */
  counts: { submitted: number; skipped: number; noMessage: number; decided: number };
}

/** Every inference on chain (`InferenceAll`, paginated). */
export async function listInferences(chain: Pick<ChainContext, "transport" | "rpc">, options: { signal?: AbortSignal } = {}): Promise<Inference[]> {
  const out: Inference[] = [];
  let key: Uint8Array | undefined;
  for (let page = 0; page < 10_000; page++) {
    const res = await binaryQuery(chain, Query.method.inferenceAll, { pagination: { key: key ?? new Uint8Array(), limit: 1000n } }, options.signal ? { signal: options.signal } : {});
    out.push(...res.inference);
    key = res.pagination?.nextKey;
    if (!key || key.length === 0) break;
  }
  return out;
}

/**
 * The batch variant: validates every finished inference of an epoch (or the given ids) that the
 * validator did not execute, each with {@link validateInference}'s rules — sampling included, so
 * most are skipped as `not-selected` on a busy network. Inferences run `concurrency` at a time;
 * the `MsgValidation` txs go out one at a time (one wallet, one sequence). A failure of one
 * inference (e.g. a tx refused) is recorded in its result and the batch goes on.
 *
 * @example
 * ```ts
 * const report = await validateInferences({ chain, wallet, mlNode: "http://gpu-host:5000", sampling: (inf) => inputsFor(inf) });
 * report.counts; // { submitted: 3, skipped: 41, noMessage: 0, decided: 0 }
 * ```
 */
export async function validateInferences(options: ValidateInferencesOptions): Promise<EpochValidationReport> {
  if (!options || !options.chain || !options.wallet) throw new InvalidArgumentError("options", "chain and wallet are required");
  const { chain, signal } = options;
  const call = signal ? { signal } : {};
  const epoch = options.epoch !== undefined ? BigInt(options.epoch) : ((await getEpochInfo(chain, call)).latestEpoch?.index ?? 0n);
  const validator = options.granter ?? options.wallet.address;
  let list = (await listInferences(chain, call)).filter((i) => i.epochId === epoch);
  if (options.inferenceIds) {
    const wanted = new Set(options.inferenceIds);
    list = list.filter((i) => wanted.has(i.inferenceId || i.index));
  } else {
    list = list.filter((i) => i.status === InferenceStatus.FINISHED && i.executedBy !== validator);
  }
  const lock = createLock();
  const results: InferenceValidationResult[] = new Array(list.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= list.length) return;
      checkAborted(signal, "inference validation");
      const inf = list[i]!;
      const id = inf.inferenceId || inf.index;
      const { epoch: _e, inferenceIds: _ids, concurrency: _c, onResult: _r, onProgress, ...rest } = options;
      try {
        results[i] = await validateOne({ ...rest, inference: inf, ...(onProgress ? { onProgress: (e) => onProgress(id, e) } : {}) }, lock);
      } catch (e) {
        if (e instanceof ValidationAbortedError || e instanceof ValidationNoMlNodeError || e instanceof InvalidArgumentError) throw e;
        results[i] = {
          inferenceId: id, executor: inf.executedBy, model: inf.model, epochId: inf.epochId, revalidation: options.revalidation === true,
          outcome: "no-message", reason: e instanceof Error ? e.message.split("\n")[0]! : String(e), error: e instanceof Error ? e : new GonkaError(String(e)),
        };
      }
      options.onResult?.(results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, list.length || 1)) }, worker));
  const counts = { submitted: 0, skipped: 0, noMessage: 0, decided: 0 };
  for (const r of results) {
    if (r.outcome === "submitted") counts.submitted++;
    else if (r.outcome === "skipped") counts.skipped++;
    else if (r.outcome === "decided") counts.decided++;
    else counts.noMessage++;
  }
  return { epoch, results, counts };
}
