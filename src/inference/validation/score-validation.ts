/**
 * A validator's decision for one inference, from the executor's stored response payload and its
 * own MLNode's answer to the replay request (inference-flow.md §6 steps 3–6 and §7): the result
 * kind, the similarity, the `MsgValidation.value_decimal` to send, or that no message is sent.
 */
import { InvalidArgumentError } from "../../errors.js";
import { decimalFromFloat, type DecimalValue } from "./decimal-from-float.js";
import {
  enforcedTokensFrom,
  hasEmptySentinel,
  hasNonNumericTokens,
  NON_NUMERIC_TOKENS_REASON,
  type EnforcedTokens,
} from "./enforced-tokens.js";
import { logprobsFromPayload, logprobsFromResponse, type LogprobExtractionOptions } from "./logprobs.js";
import { validationSimilarity } from "./similarity.js";

/** The reason a validator gives when the executor answered with an error but its own node serves the prompt. */
export const EXECUTOR_ERROR_SERVABLE_REASON = "Executor returned error but prompt is servable.";
/** The error when either side has no logprobs (no `MsgValidation` is sent). */
export const NO_LOGITS_ERROR = "no logits found in original or validation response";
/** A local "success" is only logged by the node: similarity above this. */
export const LOCAL_SUCCESS_SIMILARITY = 0.99;

/** Result kinds, in the network's words (`"invalid"`: value 0 without comparing). */
export type ValidationResultKind = "similarity" | "different_length" | "different_tokens" | "invalid";

/** The validator's MLNode answer to the replay request. */
export interface ValidatorReplayResponse {
  /** HTTP status (400 and 422 mean "the prompt is not servable", which counts as a pass). */
  status: number;
  /** Response body (JSON text or parsed object). */
  body: string | object;
}

/** Arguments of {@link scoreValidation}. */
export interface ScoreValidationArgs extends LogprobExtractionOptions {
  /** The executor's stored response payload (chat completion JSON or `{"events":[…]}`). */
  executorPayload: string | object;
  /** The validator's own MLNode answer to the replay (not consulted when the executor's tokens are not ids). */
  validatorResponse: ValidatorReplayResponse;
}

/** What {@link scoreValidation} decides. */
export interface ValidationOutcome {
  /** Whether the node sends a `MsgValidation` (false: it retries later or gives up, nothing is sent). */
  sendsMsgValidation: boolean;
  /** The result kind; `""` when no message is sent. */
  result: ValidationResultKind | "";
  /** The reason logged with an `"invalid"` result. */
  reason: string;
  /** The value sent (0 for every kind but `"similarity"`). */
  similarity: number;
  /** `MsgValidation.value_decimal` (only when a message is sent). */
  valueDecimal?: DecimalValue;
  /** The node's own log-only verdict: similarity > 0.99. */
  localSuccess: boolean;
  /** Why no message is sent, or the comparison's error (`"empty logprobs provided"`). */
  error?: string;
  /** The executor's forced tokens (as sent in the replay request). */
  enforcedTokens: EnforcedTokens;
}

function sent(result: ValidationResultKind, similarity: number, enforcedTokens: EnforcedTokens, reason = "", error?: string): ValidationOutcome {
  return {
    sendsMsgValidation: true,
    result,
    reason,
    similarity,
    valueDecimal: decimalFromFloat(similarity),
    localSuccess: similarity > LOCAL_SUCCESS_SIMILARITY,
    enforcedTokens,
    ...(error !== undefined ? { error } : {}),
  };
}

/**
 * Decides a validation like the network's validator:
 * - executor tokens that are not token ids (and no `"<EMPTY>"` sentinel) → `"invalid"`, 0;
 * - the validator's node answers 400 or 422 → passed with 1.0;
 * - the executor answered with the `"<EMPTY>"` sentinel but the validator's node served it (200) → `"invalid"`, 0;
 * - another non-200 status, or no logprobs on either side → no message (`sendsMsgValidation: false`);
 * - otherwise {@link validationSimilarity} of the two position lists.
 * Malformed payloads throw typed errors (`MalformedLogprobsError`, `OversizedPayloadError`, …);
 * the network sends nothing for those either.
 *
 * @example
 * ```ts
 * const o = scoreValidation({ executorPayload, validatorResponse: { status: 200, body } });
 * if (o.sendsMsgValidation) msg.valueDecimal = o.valueDecimal;
 * ```
 */
export function scoreValidation(args: ScoreValidationArgs): ValidationOutcome {
  const options: LogprobExtractionOptions = args.maxPayloadBytes !== undefined ? { maxPayloadBytes: args.maxPayloadBytes } : {};
  const enforcedTokens = enforcedTokensFrom(args.executorPayload, options);
  const sentinel = hasEmptySentinel(enforcedTokens);
  if (!sentinel && hasNonNumericTokens(enforcedTokens)) return sent("invalid", 0, enforcedTokens, NON_NUMERIC_TOKENS_REASON);

  const status = args.validatorResponse?.status;
  if (!Number.isInteger(status)) throw new InvalidArgumentError("validatorResponse.status", "expected an HTTP status code");
  if (status === 400 || status === 422) return sent("similarity", 1, enforcedTokens);
  if (status !== 200) {
    return {
      sendsMsgValidation: false,
      result: "",
      reason: "",
      similarity: 0,
      localSuccess: false,
      enforcedTokens,
      error: `the validator's node answered HTTP ${status}`,
    };
  }
  if (sentinel) return sent("invalid", 0, enforcedTokens, EXECUTOR_ERROR_SERVABLE_REASON);

  const executor = logprobsFromPayload(args.executorPayload, options);
  const validator = logprobsFromResponse(args.validatorResponse.body, options);
  if (executor.length === 0 || validator.length === 0) {
    return { sendsMsgValidation: false, result: "", reason: "", similarity: 0, localSuccess: false, enforcedTokens, error: NO_LOGITS_ERROR };
  }
  const c = validationSimilarity(executor, validator);
  return sent(c.result, c.similarity, enforcedTokens, "", c.error);
}
