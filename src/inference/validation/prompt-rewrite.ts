/**
 * The body rewrite a transfer agent and an executor apply before an inference runs
 * (inference-flow.md §3.2), and the canonical prompt payload whose SHA-256 is `prompt_hash`.
 */
import { InvalidArgumentError } from "../../errors.js";
import { PromptRewriteError } from "./errors.js";
import { goJsonStringify, type JsonValue } from "./go-json.js";
import { messageSchemaError } from "./message-schema.js";

/** The `validation_params.logprobs_mode` values the chain uses (`""` leaves the body alone). */
export type LogprobsMode = "processed_logprobs" | "raw_logprobs" | "" | (string & {});

/** Arguments of {@link rewriteInferenceBody}. */
export interface RewriteInferenceBodyArgs {
  /** The developer's raw request body (bytes or a string sent UTF-8 encoded). */
  body: Uint8Array | string;
  /** The `X-Seed` the transfer agent chose (an int31); used only when the body has no `seed`. */
  seed: number | bigint;
  /** The chain's `validation_params.logprobs_mode`; default `"processed_logprobs"` (v0.2.12+). */
  logprobsMode?: LogprobsMode;
}

/** What {@link rewriteInferenceBody} returns. */
export interface RewrittenInferenceBody {
  /** The rewritten body as the node forwards it to vLLM (sorted keys, HTML characters escaped). */
  modifiedBody: string;
  /** The canonical JSON (sorted keys, no HTML escaping, trailing newline) stored as the prompt payload. */
  promptPayload: string;
}

type JsonObject = { [key: string]: JsonValue };

const decoder = new TextDecoder("utf-8", { fatal: false });

/** Parses a request or payload body into a JSON object; throws {@link PromptRewriteError}. */
export function parseJsonObject(body: Uint8Array | string, what = "body"): JsonObject {
  const text = typeof body === "string" ? body : decoder.decode(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new PromptRewriteError(`${what} is not valid JSON`, { cause: err });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new PromptRewriteError(`${what} must be a JSON object`);
  }
  return parsed as JsonObject;
}

function has(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function seedNumber(seed: number | bigint): number {
  const n = typeof seed === "bigint" ? Number(seed) : seed;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError("seed", "must be an integer (the X-Seed header value)");
  return n;
}

/**
 * Applies the transfer agent's / executor's rewrite: `logprobs: true` (when absent, null or
 * false), `top_logprobs: 5`, `max_tokens` = `max_completion_tokens` = the body's `max_tokens`
 * (truncated), else its `max_completion_tokens`, else 5000, `skip_special_tokens: false`,
 * `return_token_ids: true`, `seed` (only when the body has none), `stream_options.include_usage:
 * true` for streams, `logprobs_mode` (when non-empty). Throws {@link PromptRewriteError} with the
 * node's reason when the body fails its message checks.
 *
 * @example
 * ```ts
 * const { promptPayload } = rewriteInferenceBody({ body, seed: 1911974985 });
 * promptHash({ body, seed: 1911974985 }); // hex(sha256(promptPayload))
 * ```
 */
export function rewriteInferenceBody(args: RewriteInferenceBodyArgs): RewrittenInferenceBody {
  const body = parseJsonObject(args.body);
  const schemaError = messageSchemaError(body);
  if (schemaError !== undefined) throw new PromptRewriteError(schemaError);
  const seed = seedNumber(args.seed);
  const mode = args.logprobsMode ?? "processed_logprobs";

  const logprobs = has(body, "logprobs") ? body["logprobs"] : undefined;
  if (logprobs === undefined || logprobs === null || logprobs === false) body["logprobs"] = true;
  // JSON numbers decode as float64 in Go, so the "integer ≥ 5" exemption never applies.
  body["top_logprobs"] = 5;

  let maxTokens = 5000;
  const mt = has(body, "max_tokens") ? body["max_tokens"] : undefined;
  const mct = has(body, "max_completion_tokens") ? body["max_completion_tokens"] : undefined;
  if (typeof mt === "number") maxTokens = Math.trunc(mt);
  else if (typeof mct === "number") maxTokens = Math.trunc(mct);
  body["max_tokens"] = maxTokens;
  body["max_completion_tokens"] = maxTokens;

  body["skip_special_tokens"] = false;
  body["return_token_ids"] = true;
  if (!has(body, "seed")) body["seed"] = seed;
  if (body["stream"] === true) {
    const so = has(body, "stream_options") ? body["stream_options"] : undefined;
    if (so !== null && typeof so === "object" && !Array.isArray(so)) so["include_usage"] = true;
    else body["stream_options"] = { include_usage: true };
  }
  if (mode !== "") body["logprobs_mode"] = mode;

  return {
    modifiedBody: goJsonStringify(body),
    promptPayload: `${goJsonStringify(body, { escapeHtml: false })}\n`,
  };
}

/**
 * The canonical form of a stored prompt payload (parsed and re-encoded with sorted keys, no HTML
 * escaping, numbers as float64, trailing newline), whose SHA-256 must equal `Inference.prompt_hash`.
 */
export function canonicalPromptPayload(payload: Uint8Array | string): string {
  return `${goJsonStringify(parseJsonObject(payload, "prompt payload"), { escapeHtml: false })}\n`;
}
