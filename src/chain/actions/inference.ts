import { guardAction } from "../validate.js";
import { create, fromBinary, type Message } from "@bufbuild/protobuf";
import { MsgExecSchema, MsgExecResponseSchema } from "../../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import {
  MsgFinishInferenceResponseSchema,
  MsgFinishInferenceSchema,
  MsgStartInferenceResponseSchema,
  MsgStartInferenceSchema,
  MsgValidationSchema,
} from "../../../generated/proto/inference/inference/tx_pb.js";
import { InvalidArgumentError } from "../../errors.js";
import type { ChainContext } from "../context.js";
import type { TxSigner } from "../keys.js";
import { decodeAddress } from "../address.js";
import { tryFromBase64 } from "../bytes.js";
import { resolveMessages } from "../messages.js";
import { sendTx, txOptions, type TxOptions } from "../send.js";
import type { TxResult } from "../broadcast.js";
import { compareDecimal, toChainDecimal } from "../decimal.js";

/** Options of the duty actions: an optional granter for whom the signer acts through authz. */
export interface DutyOptions extends TxOptions {
  /**
   * The account (cold key) the message is for: its `creator`. The signer (the warm ML-ops key)
   * then sends it inside an authz `MsgExec`, as the API node does. Default: the signer itself.
   * Name the same account as `feeGranter` to have its fee allowance pay.
   */
  granter?: string;
}

const HASH_HEX = /^[0-9a-f]{64}$/;
const MAX_TOKENS = 1_000_000n;

function hash(argument: string, v: unknown, what: string): string {
  if (typeof v !== "string" || !HASH_HEX.test(v)) {
    throw new InvalidArgumentError(argument, `must be 64 lowercase hex characters: the SHA-256 of ${what}`);
  }
  return v;
}

function nonBlank(argument: string, v: unknown): string {
  if (typeof v !== "string" || !v.trim()) throw new InvalidArgumentError(argument, "must not be blank");
  return v;
}

function signature64(argument: string, v: unknown): string {
  const bytes = typeof v === "string" ? tryFromBase64(v) : undefined;
  if (!bytes || bytes.length !== 64) throw new InvalidArgumentError(argument, "must be standard base64 of a 64-byte signature");
  return v as string;
}

function address(argument: string, v: unknown): string {
  if (typeof v !== "string") throw new InvalidArgumentError(argument, "expected a gonka1… address");
  decodeAddress(v, "gonka", argument);
  return v;
}

function tokens(argument: string, v: bigint | number | string | undefined): bigint {
  let n: bigint;
  try {
    n = BigInt(v ?? 0);
  } catch {
    throw new InvalidArgumentError(argument, "expected a non-negative integer");
  }
  if (n < 0n || n > MAX_TOKENS) throw new InvalidArgumentError(argument, "must be in [0, 1,000,000] (the chain's cap)");
  return n;
}

function timestamp(argument: string, v: bigint | number | string): bigint {
  let n: bigint;
  try {
    n = BigInt(v);
  } catch {
    throw new InvalidArgumentError(argument, "expected an integer (Unix nanoseconds)");
  }
  if (n <= 0n || n >= 1n << 63n) throw new InvalidArgumentError(argument, "must be a positive int64 (Unix nanoseconds)");
  return n;
}

/** Fields of `MsgStartInference` (v0.2.6+: hashes only; the deprecated payload fields stay empty). */
export interface StartInferenceArgs {
  /** The developer's signature (base64, 64 bytes): the inference id. */
  inferenceId: string;
  /** SHA-256 (lowercase hex) of the original request body the developer signed. */
  originalPromptHash: string;
  /** SHA-256 (lowercase hex) of the prompt the transfer agent forwards. */
  promptHash: string;
  /** Model id, e.g. `"moonshotai/Kimi-K2.6"`. */
  model: string;
  /** The developer's address. */
  requestedBy: string;
  /** The executor's address. */
  assignedTo: string;
  /** Node version (optional). */
  nodeVersion?: string;
  /** `max_tokens` (≤ 1,000,000). */
  maxTokens: bigint | number | string;
  /** Prompt token count (≤ 1,000,000). */
  promptTokenCount: bigint | number | string;
  /** Request timestamp, Unix nanoseconds. */
  requestTimestamp: bigint | number | string;
  /** The transfer agent's signature (base64, 64 bytes). */
  transferSignature: string;
}

/**
 * Builds `MsgStartInference` with the checks of its `ValidateBasic` plus the hash format: both
 * hashes are 64 lowercase hex characters.
 *
 * @example
 * ```ts
 * const msg = startInferenceMessage(agent.address, { inferenceId, originalPromptHash, promptHash, model, requestedBy, assignedTo, maxTokens: 2048, promptTokenCount: 137, requestTimestamp, transferSignature });
 * ```
 */
export function startInferenceMessage(creator: string, a: StartInferenceArgs) {
  return create(MsgStartInferenceSchema, {
    creator: address("creator", creator),
    inferenceId: signature64("inferenceId", a.inferenceId),
    promptHash: hash("promptHash", a.promptHash, "the forwarded prompt"),
    originalPromptHash: hash("originalPromptHash", a.originalPromptHash, "the original request body"),
    model: nonBlank("model", a.model),
    requestedBy: address("requestedBy", a.requestedBy),
    assignedTo: address("assignedTo", a.assignedTo),
    nodeVersion: a.nodeVersion ?? "",
    maxTokens: tokens("maxTokens", a.maxTokens),
    promptTokenCount: tokens("promptTokenCount", a.promptTokenCount),
    requestTimestamp: timestamp("requestTimestamp", a.requestTimestamp),
    transferSignature: signature64("transferSignature", a.transferSignature),
  });
}

/** Fields of `MsgFinishInference` (v0.2.6+). */
export interface FinishInferenceArgs {
  /** The inference id (the developer's signature, base64, 64 bytes). */
  inferenceId: string;
  /** Hash of the response (non-blank). */
  responseHash: string;
  /** SHA-256 (lowercase hex) of the forwarded prompt. */
  promptHash: string;
  /** SHA-256 (lowercase hex) of the original request body. */
  originalPromptHash: string;
  /** Prompt token count (≤ 1,000,000). */
  promptTokenCount: bigint | number | string;
  /** Completion token count (≤ 1,000,000). */
  completionTokenCount: bigint | number | string;
  /** The executor's address. */
  executedBy: string;
  /** The transfer agent's address. */
  transferredBy: string;
  /** The developer's address. */
  requestedBy: string;
  /** Request timestamp, Unix nanoseconds. */
  requestTimestamp: bigint | number | string;
  /** The transfer agent's signature (base64, 64 bytes). */
  transferSignature: string;
  /** The executor's signature (base64, 64 bytes). */
  executorSignature: string;
  /** Model id. */
  model: string;
}

/** Builds `MsgFinishInference` with the checks of its `ValidateBasic` plus the hash format. */
export function finishInferenceMessage(creator: string, a: FinishInferenceArgs) {
  return create(MsgFinishInferenceSchema, {
    creator: address("creator", creator),
    inferenceId: signature64("inferenceId", a.inferenceId),
    responseHash: nonBlank("responseHash", a.responseHash),
    promptTokenCount: tokens("promptTokenCount", a.promptTokenCount),
    completionTokenCount: tokens("completionTokenCount", a.completionTokenCount),
    executedBy: address("executedBy", a.executedBy),
    transferredBy: address("transferredBy", a.transferredBy),
    requestTimestamp: timestamp("requestTimestamp", a.requestTimestamp),
    transferSignature: signature64("transferSignature", a.transferSignature),
    executorSignature: signature64("executorSignature", a.executorSignature),
    requestedBy: address("requestedBy", a.requestedBy),
    model: nonBlank("model", a.model),
    promptHash: hash("promptHash", a.promptHash, "the forwarded prompt"),
    originalPromptHash: hash("originalPromptHash", a.originalPromptHash, "the original request body"),
  });
}

/** Fields of `MsgValidation` (v0.2.8+: `value_decimal`). */
export interface ValidationArgs {
  /** The inference id. */
  inferenceId: string;
  /**
   * The validation score in [0, 1]: a number (sent as its shortest round-trip decimal, as the API
   * node does: 0.9873 → `{value: 9873, exponent: -4}`) or a decimal string (`"0.9873"`).
   */
  value: number | string;
  /** Validation id (optional). */
  id?: string;
  /** Hash of the response the validator saw (optional). */
  responseHash?: string;
  /** A revalidation (default false). */
  revalidation?: boolean;
}

/**
 * Builds `MsgValidation` with `value_decimal` (field 8; the deprecated double `value` stays unset).
 *
 * @example
 * ```ts
 * validationMessage(validator.address, { inferenceId, value: 0.9873, responseHash }).valueDecimal; // { value: 9873n, exponent: -4 }
 * ```
 * @throws {InvalidArgumentError} when the value is not a decimal in [0, 1].
 */
export function validationMessage(creator: string, a: ValidationArgs) {
  const d = toChainDecimal("value", a.value);
  if (compareDecimal(d, 0n) < 0 || compareDecimal(d, 1n) > 0) throw new InvalidArgumentError("value", "must be in [0, 1]");
  return create(MsgValidationSchema, {
    creator: address("creator", creator),
    id: a.id ?? "",
    inferenceId: nonBlank("inferenceId", a.inferenceId),
    responseHash: a.responseHash ?? "",
    revalidation: a.revalidation ?? false,
    valueDecimal: { value: d.value, exponent: d.exponent },
  });
}

/** Sends one message as the signer, or inside `MsgExec` for `granter`; returns the result and the message's response bytes. */
async function sendDuty(ctx: ChainContext, wallet: TxSigner, msg: Message, args: DutyOptions): Promise<{ result: TxResult; response: Uint8Array | undefined }> {
  if (args.granter === undefined || args.granter === wallet.address) {
    const result = await sendTx(ctx, wallet, [msg], txOptions(args));
    return { result, response: result.msgResponses[0]?.value };
  }
  const [inner] = resolveMessages([msg]);
  const exec = create(MsgExecSchema, { grantee: wallet.address, msgs: [inner!.any] });
  const result = await sendTx(ctx, wallet, [exec], txOptions(args));
  const r = result.msgResponses[0];
  return { result, response: r ? fromBinary(MsgExecResponseSchema, r.value).results[0] : undefined };
}

/**
 * Records the start of an inference on chain (the transfer agent's `MsgStartInference`). Since
 * v0.2.6 most handler failures come back as a successful tx whose response carries
 * `error_message`; this action throws {@link ChainMsgError} then, never reports success.
 *
 * @example
 * ```ts
 * const { inferenceIndex } = await startInference(chain, warm, { granter: cold.address, feeGranter: cold.address, ...fields });
 * ```
 */
export const startInference = /* @__PURE__ */ guardAction("startInference", async function startInference(ctx: ChainContext, wallet: TxSigner, args: DutyOptions & StartInferenceArgs): Promise<TxResult & { inferenceIndex: string }> {
  const msg = startInferenceMessage(args.granter ?? wallet.address, args);
  const { result, response } = await sendDuty(ctx, wallet, msg, args);
  return { ...result, inferenceIndex: response ? fromBinary(MsgStartInferenceResponseSchema, response).inferenceIndex : "" };
});

/**
 * Records the end of an inference (the executor's `MsgFinishInference`); like
 * {@link startInference}, an `error_message` in the response throws {@link ChainMsgError}.
 */
export const finishInference = /* @__PURE__ */ guardAction("finishInference", async function finishInference(ctx: ChainContext, wallet: TxSigner, args: DutyOptions & FinishInferenceArgs): Promise<TxResult & { inferenceIndex: string }> {
  const msg = finishInferenceMessage(args.granter ?? wallet.address, args);
  const { result, response } = await sendDuty(ctx, wallet, msg, args);
  return { ...result, inferenceIndex: response ? fromBinary(MsgFinishInferenceResponseSchema, response).inferenceIndex : "" };
});

/**
 * Submits a validation of an inference (`MsgValidation` with `value_decimal`).
 *
 * @example
 * ```ts
 * await submitValidation(chain, warm, { granter: cold.address, inferenceId, value: 0.9873, responseHash });
 * ```
 */
export const submitValidation = /* @__PURE__ */ guardAction("submitValidation", async function submitValidation(ctx: ChainContext, wallet: TxSigner, args: DutyOptions & ValidationArgs): Promise<TxResult> {
  const msg = validationMessage(args.granter ?? wallet.address, args);
  return (await sendDuty(ctx, wallet, msg, args)).result;
});
