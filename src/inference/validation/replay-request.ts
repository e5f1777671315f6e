/**
 * The request a validator sends to its own MLNode (vLLM) to re-run an inference with the
 * executor's tokens enforced (inference-flow.md §6 step 4).
 */
import { goJsonStringify } from "./go-json.js";
import { EMPTY_SENTINEL_TOKEN, type EnforcedTokens } from "./enforced-tokens.js";
import { parseJsonObject } from "./prompt-rewrite.js";

/** Path of the replay request on the validator's MLNode inference URL. */
export const VALIDATION_REPLAY_PATH = "/v1/chat/completions";

/** Arguments of {@link validatorReplayRequest}. */
export interface ValidatorReplayRequestArgs {
  /** The prompt payload served by the executor (the canonical rewritten body). */
  promptPayload: Uint8Array | string;
  /** The executor's forced tokens (see `enforcedTokensFrom`). */
  enforcedTokens: EnforcedTokens;
}

/** The replay request: method, path and the exact body. */
export interface ValidatorReplayRequest {
  method: "POST";
  path: typeof VALIDATION_REPLAY_PATH;
  headers: { "Content-Type": "application/json" };
  /** The prompt payload with `enforced_tokens`, `stream: false`, `skip_special_tokens: false`, no `stream_options`. */
  body: string;
}

/**
 * Builds the replay request: the stored prompt with `enforced_tokens` set (or removed when the
 * executor answered with the `"<EMPTY>"` sentinel), `stream: false`, `skip_special_tokens: false`
 * and `stream_options` removed, encoded as the node encodes it (sorted keys).
 *
 * @example
 * ```ts
 * const req = validatorReplayRequest({ promptPayload, enforcedTokens: enforcedTokensFrom(responsePayload) });
 * await fetch(mlNodeInferenceUrl + req.path, { method: req.method, headers: req.headers, body: req.body });
 * ```
 */
export function validatorReplayRequest(args: ValidatorReplayRequestArgs): ValidatorReplayRequest {
  const body = parseJsonObject(args.promptPayload, "prompt payload");
  const sentinel = args.enforcedTokens.tokens.some((t) => t.token === EMPTY_SENTINEL_TOKEN);
  if (sentinel) delete body["enforced_tokens"];
  else {
    body["enforced_tokens"] = {
      tokens: args.enforcedTokens.tokens.map((t) => ({ token: t.token, top_tokens: [...t.top_tokens] })),
    };
  }
  body["stream"] = false;
  body["skip_special_tokens"] = false;
  delete body["stream_options"];
  return {
    method: "POST",
    path: VALIDATION_REPLAY_PATH,
    headers: { "Content-Type": "application/json" },
    body: goJsonStringify(body),
  };
}
