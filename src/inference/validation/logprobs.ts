/**
 * Per-position logprobs as the network carries them, and helpers that pull them out of a chat
 * completion response, a list of SSE chunks, or an executor's stored response payload
 * (inference-flow.md §3.5): `choices[i].logprobs.content[j] = { token, logprob, bytes,
 * top_logprobs: [{ token, logprob, bytes }] }`, positions of all choices joined in order, stream
 * chunks joined in order. `token` strings are token ids in decimal (`"9707"`).
 */
import { InvalidArgumentError } from "../../errors.js";
import { InvalidLogprobError, MalformedLogprobsError, MissingLogprobPositionError, OversizedPayloadError } from "./errors.js";

/** One of the top-k alternatives at a position. */
export interface TopLogprob {
  /** Token id in decimal (or the decoded text, which validators treat as invalid). */
  token: string;
  /** Natural-log probability (≤ 0). */
  logprob: number;
}

/** One generated position: the chosen token, its logprob and the top-k alternatives. */
export interface LogprobPosition {
  /** The chosen token id in decimal. */
  token: string;
  /** Its logprob. */
  logprob: number;
  /** The top-k alternatives in vLLM's order; `null` when the node sent none. */
  top_logprobs: TopLogprob[] | null;
}

/** Options of the extraction helpers. */
export interface LogprobExtractionOptions {
  /**
   * Largest payload accepted, in UTF-8 bytes (default {@link DEFAULT_MAX_PAYLOAD_BYTES}).
   * Larger input throws {@link OversizedPayloadError} before it is parsed.
   */
  maxPayloadBytes?: number;
}

/** Default bound on a response payload: 16 MiB (a 5 000-token answer with top-5 logprobs is ≈ 1.5 MB). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

const encoder = new TextEncoder();

/** Throws {@link OversizedPayloadError} when `text` is longer than the bound in UTF-8 bytes. */
export function checkPayloadSize(text: string, what: string, maxPayloadBytes: number = DEFAULT_MAX_PAYLOAD_BYTES): void {
  if (!Number.isSafeInteger(maxPayloadBytes) || maxPayloadBytes < 0) {
    throw new InvalidArgumentError("maxPayloadBytes", "must be a non-negative integer");
  }
  if (text.length <= maxPayloadBytes / 3) return; // a UTF-16 unit is at most 3 UTF-8 bytes
  const size = encoder.encode(text).length;
  if (size > maxPayloadBytes) throw new OversizedPayloadError(what, size, maxPayloadBytes);
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new MalformedLogprobsError(path, "is not valid JSON", { cause: err });
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Reads a logprob like Go's decoder: a JSON number; `null` or absent reads as 0. */
function payloadLogprob(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== "number") throw new MalformedLogprobsError(path, `is a ${typeof v}, expected a number`);
  if (!Number.isFinite(v)) throw new InvalidLogprobError(path, String(v));
  return v;
}

/** Reads a token like Go's decoder: a JSON string; `null` or absent reads as "". */
function payloadToken(v: unknown, path: string): string {
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw new MalformedLogprobsError(path, `is a ${typeof v}, expected a string`);
  return v;
}

function positionsFromChoices(response: unknown, path: string, out: LogprobPosition[]): void {
  if (!isObject(response)) throw new MalformedLogprobsError(path, "must be a JSON object");
  const choices = response["choices"];
  if (choices === undefined || choices === null) return;
  if (!Array.isArray(choices)) throw new MalformedLogprobsError(`${path}.choices`, "must be an array");
  choices.forEach((choice, ci) => {
    const cpath = `${path}.choices[${ci}]`;
    if (!isObject(choice)) throw new MalformedLogprobsError(cpath, "must be an object");
    const logprobs = choice["logprobs"];
    if (logprobs === undefined || logprobs === null) return;
    if (!isObject(logprobs)) throw new MalformedLogprobsError(`${cpath}.logprobs`, "must be an object");
    const content = logprobs["content"];
    if (content === undefined || content === null) return;
    if (!Array.isArray(content)) throw new MalformedLogprobsError(`${cpath}.logprobs.content`, "must be an array");
    for (let j = 0; j < content.length; j++) {
      const ppath = `${cpath}.logprobs.content`;
      const entry: unknown = content[j];
      if (entry === undefined || entry === null) throw new MissingLogprobPositionError(ppath, j);
      if (!isObject(entry)) throw new MalformedLogprobsError(`${ppath}[${j}]`, "must be an object");
      const topRaw = entry["top_logprobs"];
      let top: TopLogprob[] | null = null;
      if (topRaw !== undefined && topRaw !== null) {
        if (!Array.isArray(topRaw)) throw new MalformedLogprobsError(`${ppath}[${j}].top_logprobs`, "must be an array");
        top = topRaw.map((t: unknown, k) => {
          const tpath = `${ppath}[${j}].top_logprobs[${k}]`;
          if (!isObject(t)) throw new MalformedLogprobsError(tpath, "must be an object");
          return { token: payloadToken(t["token"], `${tpath}.token`), logprob: payloadLogprob(t["logprob"], `${tpath}.logprob`) };
        });
      }
      out.push({
        token: payloadToken(entry["token"], `${ppath}[${j}].token`),
        logprob: payloadLogprob(entry["logprob"], `${ppath}[${j}].logprob`),
        top_logprobs: top,
      });
    }
  });
}

/**
 * The positions of a non-streamed chat completion (a JSON string or the parsed object), all
 * choices joined in order. A response without logprobs gives `[]`.
 *
 * @example
 * ```ts
 * const positions = logprobsFromResponse(await res.text());
 * ```
 */
export function logprobsFromResponse(response: string | object, options: LogprobExtractionOptions = {}): LogprobPosition[] {
  let value: unknown = response;
  if (typeof response === "string") {
    checkPayloadSize(response, "response", options.maxPayloadBytes);
    value = parseJson(response, "response");
  }
  const out: LogprobPosition[] = [];
  positionsFromChoices(value, "response", out);
  return out;
}

/**
 * The positions of a streamed answer, chunks joined in order. Each item is an SSE line
 * (`"data: {…}"`; `"data: [DONE]"`, blank lines and comments are skipped), a chunk's JSON text,
 * or a parsed chunk object.
 */
export function logprobsFromChunks(chunks: readonly (string | object)[], options: LogprobExtractionOptions = {}): LogprobPosition[] {
  if (!Array.isArray(chunks)) throw new InvalidArgumentError("chunks", "expected an array of SSE lines or chunk objects");
  const limit = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  checkPayloadSize("", "stream", limit);
  let total = 0;
  const out: LogprobPosition[] = [];
  chunks.forEach((chunk, i) => {
    const path = `chunks[${i}]`;
    let value: unknown = chunk;
    if (typeof chunk === "string") {
      total += encoder.encode(chunk).length;
      if (total > limit) throw new OversizedPayloadError("stream", total, limit);
      let text = chunk.trim();
      if (text === "" || text.startsWith(":")) return;
      if (text.startsWith("data:")) text = text.slice(5).trim();
      if (text === "[DONE]" || text === "") return;
      value = parseJson(text, path);
    }
    positionsFromChoices(value, path, out);
  });
  return out;
}

/**
 * The positions of an executor's stored response payload, as validators read it: a chat
 * completion JSON, or the `{"events":["data: …", …]}` form of a stream.
 */
export function logprobsFromPayload(payload: string | object, options: LogprobExtractionOptions = {}): LogprobPosition[] {
  let value: unknown = payload;
  if (typeof payload === "string") {
    checkPayloadSize(payload, "response payload", options.maxPayloadBytes);
    value = parseJson(payload, "response payload");
  }
  if (isObject(value) && Array.isArray(value["events"]) && !("choices" in value)) {
    const events = value["events"] as unknown[];
    events.forEach((e, i) => {
      if (typeof e !== "string") throw new MalformedLogprobsError(`events[${i}]`, "must be a string (an SSE line)");
    });
    return logprobsFromChunks(events as string[], { maxPayloadBytes: Number.MAX_SAFE_INTEGER });
  }
  return logprobsFromResponse(value as object, options);
}

function checkFinite(v: unknown, path: string): number {
  if (typeof v !== "number") throw new InvalidLogprobError(path, v === undefined ? "missing" : `a ${typeof v}`);
  if (!Number.isFinite(v)) throw new InvalidLogprobError(path, String(v));
  return v;
}

/**
 * Checks an array of positions given directly (not parsed from a payload): every index present,
 * `token` a string, `logprob` and every top logprob a finite number, `top_logprobs` an array or
 * null. Returns the array unchanged. Throws {@link MissingLogprobPositionError},
 * {@link InvalidLogprobError} or {@link MalformedLogprobsError}.
 */
export function checkLogprobPositions(positions: readonly LogprobPosition[], name: string): readonly LogprobPosition[] {
  if (!Array.isArray(positions)) throw new MalformedLogprobsError(name, "must be an array of positions");
  for (let i = 0; i < positions.length; i++) {
    if (!(i in positions) || positions[i] === undefined || positions[i] === null) throw new MissingLogprobPositionError(name, i);
    const p = positions[i] as unknown;
    if (!isObject(p)) throw new MalformedLogprobsError(`${name}[${i}]`, "must be an object");
    if (typeof p["token"] !== "string") throw new MalformedLogprobsError(`${name}[${i}].token`, "must be a string");
    checkFinite(p["logprob"], `${name}[${i}].logprob`);
    const top = p["top_logprobs"];
    if (top === undefined || top === null) continue;
    if (!Array.isArray(top)) throw new MalformedLogprobsError(`${name}[${i}].top_logprobs`, "must be an array or null");
    for (let k = 0; k < top.length; k++) {
      const t: unknown = top[k];
      if (!(k in top) || t === undefined || t === null) throw new MissingLogprobPositionError(`${name}[${i}].top_logprobs`, k);
      if (!isObject(t) || typeof t["token"] !== "string") {
        throw new MalformedLogprobsError(`${name}[${i}].top_logprobs[${k}]`, "must be { token: string, logprob: number }");
      }
      checkFinite(t["logprob"], `${name}[${i}].top_logprobs[${k}].logprob`);
    }
  }
  return positions;
}
