/**
 * The devnet's deterministic stand-in for vLLM: the same request always gets the same answer,
 * shaped like an OpenAI chat completion as the network returns it (inference-flow.md §3.5): every
 * position carries the chosen **token id** (a decimal string, the text in `bytes`), its logprob
 * and the **top-5** logprobs. It also answers a validator's replay (`enforced_tokens`, §6 step 4):
 * the given tokens are forced and its own logprobs reported for each position's top tokens.
 *
 * A *variant* is a different "model" behind the same name (what a cheating executor serves): same
 * shape, other tokens and other logprobs. Two runs of one variant agree exactly, so an honest
 * executor scores similarity 1 against a validator running the same model.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";

/** The subset of an OpenAI chat request the fake model reads. */
export interface ChatRequest {
  model?: string;
  messages?: { role?: string; content?: unknown }[];
  max_tokens?: number;
  max_completion_tokens?: number;
  stream?: boolean;
  seed?: number;
  /** The validator's replay: the tokens to force (inference-flow.md §6 step 3). */
  enforced_tokens?: { tokens?: { token?: unknown; top_tokens?: unknown }[] } | null;
}

/** Options of the fake model. */
export interface FakeModelOptions {
  /**
   * Which "model" answers: `""` (default) the model the request names; any other string a
   * different model served under the same name (a cheating executor's), with other tokens and
   * logprobs.
   */
  variant?: string;
}

/** Positions of an answer when the request does not cap them lower. */
export const FAKE_ANSWER_TOKENS = 128;
/** Top logprobs per position, as the network forces (`top_logprobs: 5`). */
export const FAKE_TOP_LOGPROBS = 5;

const FILLER = [
  "the", "network", "checks", "every", "answer", "with", "its", "own", "model", "and", "votes", "on", "what", "it", "finds",
  "tokens", "are", "enforced", "so", "only", "logprobs", "can", "differ", "between", "honest", "nodes", "while", "a", "cheap",
  "replacement", "drifts", "away",
];

const enc = new TextEncoder();

function digest(...parts: string[]): Uint8Array {
  return sha256(enc.encode(parts.join("\u0000")));
}

function u32(...parts: string[]): number {
  const d = digest(...parts);
  return ((d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0;
}

/** A uniform value in [0, 1) from the parts. */
function uniform(...parts: string[]): number {
  return u32(...parts) / 2 ** 32;
}

function lastPrompt(request: ChatRequest): string {
  const last = [...(request.messages ?? [])].reverse().find((m) => typeof m.content === "string");
  return typeof last?.content === "string" ? last.content : "";
}

function tokenLimit(request: ChatRequest): number {
  const raw = request.max_tokens ?? request.max_completion_tokens ?? FAKE_ANSWER_TOKENS;
  return Math.max(1, Math.min(Number.isFinite(raw) ? Math.trunc(raw) : FAKE_ANSWER_TOKENS, FAKE_ANSWER_TOKENS));
}

/**
 * The token id of a text piece (decimal string, as vLLM reports ids in `token` since the network
 * sets `return_token_ids`): a hash of the text into a 150 000-entry vocabulary.
 */
export function fakeTokenId(text: string): string {
  return String(1000 + (u32("devnet-token", text) % 150_000));
}

/**
 * The completion text pieces the fake model produces for a request (deterministic): `Echo:`, the
 * last message's first words, a tag derived from SHA-256 of model and prompt, then filler words
 * up to {@link FAKE_ANSWER_TOKENS} — cut to `max_tokens`.
 */
export function fakeCompletionTokens(request: ChatRequest, options: FakeModelOptions = {}): string[] {
  const variant = options.variant ?? "";
  const prompt = lastPrompt(request);
  const model = request.model ?? "";
  const tag = hex.encode(sha256(enc.encode(variant ? `${variant}|${model}\n${prompt}` : `${model}\n${prompt}`))).slice(0, 8);
  const head = ["Echo:", ...prompt.split(/\s+/).filter(Boolean).slice(0, 10), "(devnet", "reply", `${tag})`];
  const limit = tokenLimit(request);
  const tokens = head.slice(0, limit);
  for (let i = tokens.length; i < limit; i++) tokens.push(FILLER[u32("filler", variant, model, prompt, String(i)) % FILLER.length]!);
  return tokens.map((t, i) => (i === 0 ? t : ` ${t}`));
}

/** A model's view of one request: what it would emit at each position and how it scores any token there. */
class FakeModel {
  private readonly texts: string[];
  private readonly expectedIds: string[];
  private readonly variant: string;
  private readonly key: string;

  constructor(
    readonly request: ChatRequest,
    options: FakeModelOptions,
  ) {
    this.variant = options.variant ?? "";
    this.key = `${request.model ?? ""}\n${lastPrompt(request)}`;
    // the positions a replay may cover: the full natural answer, whatever max_tokens said
    this.texts = fakeCompletionTokens({ ...request, max_tokens: FAKE_ANSWER_TOKENS, max_completion_tokens: undefined }, options);
    this.expectedIds = this.texts.map(fakeTokenId);
  }

  /** The logprob this model gives token `id` at position `i`: the expected token ~−0.01…−0.21, others −0.5…−8. */
  logprob(i: number, id: string): number {
    const u = uniform("logprob", this.variant, this.key, String(i), id);
    const v = id === this.expectedIds[i] ? -(0.01 + 0.2 * u) : -(0.5 + 7.5 * u);
    return Math.round(v * 1e6) / 1e6;
  }

  /** The text of a token this model knows at position `i` (its choice or one of its alternatives). */
  textOf(i: number, id: string): string | undefined {
    return this.candidates(i).find((c) => c.id === id)?.text;
  }

  /** The chosen text at position `i` followed by four alternatives (distinct ids). */
  candidates(i: number): { text: string; id: string }[] {
    const chosen = this.texts[i] ?? ` ${FILLER[i % FILLER.length]}`;
    const out = [{ text: chosen, id: fakeTokenId(chosen) }];
    for (let j = 0; out.length < FAKE_TOP_LOGPROBS && j < 64; j++) {
      const text = ` ${FILLER[u32("alternative", this.variant, this.key, String(i), String(j)) % FILLER.length]}`;
      const id = fakeTokenId(text);
      if (!out.some((c) => c.id === id)) out.push({ text, id });
    }
    return out;
  }

  /** The logprob entry of position `i` for a generated answer: the chosen token and the top 5, best first. */
  generated(i: number): LogprobEntry {
    const top = this.candidates(i)
      .map((c) => ({ token: c.id, logprob: this.logprob(i, c.id), bytes: [...enc.encode(c.text)] }))
      .sort((a, b) => b.logprob - a.logprob);
    const chosen = top.find((t) => t.token === this.expectedIds[i]) ?? top[0]!;
    return { ...chosen, top_logprobs: top };
  }

  /** The logprob entry of position `i` when `token` is forced and `topTokens` asked for. */
  enforced(i: number, token: string, topTokens: readonly string[]): LogprobEntry {
    const entry = (id: string) => ({ token: id, logprob: this.logprob(i, id), bytes: [...enc.encode(this.textOf(i, id) ?? "")] });
    return { ...entry(token), top_logprobs: topTokens.map(entry) };
  }
}

/** One position of `choices[].logprobs.content`. */
export interface LogprobEntry {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: { token: string; logprob: number; bytes: number[] }[];
}

function promptTokenCount(request: ChatRequest): number {
  let n = 0;
  for (const m of request.messages ?? []) if (typeof m.content === "string") n += m.content.split(/\s+/).filter(Boolean).length + 4;
  return n;
}

function completion(request: ChatRequest, id: string, created: number, content: string, entries: LogprobEntry[]): Record<string, unknown> {
  const prompt = promptTokenCount(request);
  return {
    id,
    object: "chat.completion",
    created,
    model: request.model ?? "",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content },
        logprobs: { content: entries },
        finish_reason: entries.length >= tokenLimit(request) && tokenLimit(request) < FAKE_ANSWER_TOKENS ? "length" : "stop",
        stop_reason: null,
      },
    ],
    usage: { prompt_tokens: prompt, completion_tokens: entries.length, total_tokens: prompt + entries.length },
    system_fingerprint: `devnet-${hex.encode(sha256(enc.encode(id))).slice(0, 8)}`,
  };
}

/** A complete (non-streamed) chat completion for the request, with `id` set to `id`. */
export function fakeChatCompletion(request: ChatRequest, id: string, created: number, options: FakeModelOptions = {}): Record<string, unknown> {
  const model = new FakeModel(request, options);
  const texts = fakeCompletionTokens(request, options);
  return completion(request, id, created, texts.join(""), texts.map((_, i) => model.generated(i)));
}

/** The SSE lines (`data: …\n\n`) of a streamed chat completion, ending with a usage chunk and `[DONE]`. */
export function* fakeChatCompletionStream(request: ChatRequest, id: string, created: number, options: FakeModelOptions = {}): Generator<string> {
  const model = new FakeModel(request, options);
  const texts = fakeCompletionTokens(request, options);
  const prompt = promptTokenCount(request);
  const base = { id, object: "chat.completion.chunk", created, model: request.model ?? "" };
  yield `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }] })}\n\n`;
  for (const [i, text] of texts.entries()) {
    yield `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: text }, logprobs: { content: [model.generated(i)] }, finish_reason: null }] })}\n\n`;
  }
  yield `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] })}\n\n`;
  yield `data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: prompt, completion_tokens: texts.length, total_tokens: prompt + texts.length } })}\n\n`;
  yield "data: [DONE]\n\n";
}

/**
 * The fake vLLM's answer to a validator's replay request (the stored prompt with
 * `enforced_tokens`, `stream: false`): each enforced token is emitted, with this model's logprob
 * for it and for each of its `top_tokens`, in their order. Without `enforced_tokens` it generates
 * as usual. A body that is not a chat request is answered 400, as vLLM answers a bad request.
 *
 * @example
 * ```ts
 * const { status, body } = fakeModelReplay(replay.body);             // the served model
 * fakeModelReplay(replay.body, { variant: "cheap" });                 // a different model
 * ```
 */
export function fakeModelReplay(body: string, options: FakeModelOptions = {}): { status: number; body: string } {
  let request: ChatRequest;
  try {
    request = JSON.parse(body) as ChatRequest;
  } catch {
    return { status: 400, body: JSON.stringify({ object: "error", message: "invalid JSON body", type: "BadRequestError", code: 400 }) };
  }
  if (!request || typeof request !== "object" || !Array.isArray(request.messages) || request.messages.length === 0) {
    return { status: 400, body: JSON.stringify({ object: "error", message: "messages is required", type: "BadRequestError", code: 400 }) };
  }
  const created = 0;
  const forced = request.enforced_tokens?.tokens;
  if (!Array.isArray(forced)) return { status: 200, body: JSON.stringify(fakeChatCompletion(request, "replay", created, options)) };
  const model = new FakeModel(request, options);
  const entries: LogprobEntry[] = [];
  for (const [i, t] of forced.entries()) {
    if (typeof t?.token !== "string" || !Array.isArray(t.top_tokens) || t.top_tokens.some((x) => typeof x !== "string")) {
      return { status: 400, body: JSON.stringify({ object: "error", message: `enforced_tokens.tokens[${i}] is malformed`, type: "BadRequestError", code: 400 }) };
    }
    entries.push(model.enforced(i, t.token, t.top_tokens as string[]));
  }
  const content = entries.map((e, i) => model.textOf(i, e.token) ?? "").join("");
  return { status: 200, body: JSON.stringify(completion({ ...request, max_tokens: FAKE_ANSWER_TOKENS }, "replay", created, content, entries)) };
}
