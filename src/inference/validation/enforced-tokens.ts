/**
 * The tokens a validator forces its own vLLM to produce when it re-runs an inference
 * (inference-flow.md §6 step 3): the executor's chosen token and its top-k token ids, per
 * position, in order.
 */
import { logprobsFromPayload, type LogprobExtractionOptions } from "./logprobs.js";
import { MalformedLogprobsError } from "./errors.js";

/** One forced position. */
export interface EnforcedToken {
  /** The executor's chosen token id (decimal string). */
  token: string;
  /** The executor's top-k token ids in its order. */
  top_tokens: string[];
}

/** The `enforced_tokens` field of a validation replay request. */
export interface EnforcedTokens {
  /** One entry per executor position that has top logprobs. */
  tokens: EnforcedToken[];
}

/** The token of the executor's synthetic answer when vLLM rejected the request (400/422). */
export const EMPTY_SENTINEL_TOKEN = "<EMPTY>";

/** The reason a validator gives when the executor's logprobs carry text instead of token ids. */
export const NON_NUMERIC_TOKENS_REASON = "Logprobs contain decoded text instead of numeric token IDs.";

/**
 * Builds `enforced_tokens` from an executor's stored response payload (a chat completion JSON or
 * the `{"events":[…]}` form of a stream). Positions whose `top_logprobs` is null are skipped;
 * an empty `top_logprobs` list is refused with {@link MalformedLogprobsError}, as the network
 * refuses it.
 *
 * @example
 * ```ts
 * enforcedTokensFrom(executorPayload);
 * // { tokens: [{ token: "37412", top_tokens: ["37412", "90530", "20565", "139930", "140406"] }, …] }
 * ```
 */
export function enforcedTokensFrom(executorPayload: string | object, options: LogprobExtractionOptions = {}): EnforcedTokens {
  const positions = logprobsFromPayload(executorPayload, options);
  const tokens: EnforcedToken[] = [];
  positions.forEach((p, i) => {
    if (p.top_logprobs === null) return;
    if (p.top_logprobs.length === 0) throw new MalformedLogprobsError(`position ${i}`, "has an empty top_logprobs list");
    tokens.push({ token: p.token, top_tokens: p.top_logprobs.map((t) => t.token) });
  });
  return { tokens };
}

/** True when the executor answered with its synthetic error response (a `"<EMPTY>"` token). */
export function hasEmptySentinel(enforced: EnforcedTokens): boolean {
  return enforced.tokens.some((t) => t.token === EMPTY_SENTINEL_TOKEN);
}

/** True when a token or top token is not a non-negative integer string (decoded text, not ids). */
export function hasNonNumericTokens(enforced: EnforcedTokens): boolean {
  const numeric = (s: string) => /^[0-9]+$/.test(s);
  return enforced.tokens.some((t) => !numeric(t.token) || t.top_tokens.some((x) => !numeric(x)));
}
