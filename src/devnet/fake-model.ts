/**
 * The devnet's deterministic stand-in for vLLM: the same request always gets the same answer,
 * shaped like an OpenAI chat completion (with logprobs and usage, as the network returns them).
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
}

/**
 * The completion tokens the fake model produces for a request (deterministic): `Echo:`, the last
 * message's first words, and a tag derived from SHA-256 of model and prompt — cut to `max_tokens`
 * (at most 16).
 */
export function fakeCompletionTokens(request: ChatRequest): string[] {
  const last = [...(request.messages ?? [])].reverse().find((m) => typeof m.content === "string");
  const prompt = typeof last?.content === "string" ? last.content : "";
  const digest = hex.encode(sha256(new TextEncoder().encode(`${request.model ?? ""}\n${prompt}`)));
  const limit = Math.max(1, Math.min(request.max_tokens ?? request.max_completion_tokens ?? 16, 16));
  const tokens = ["Echo:", ...prompt.split(/\s+/).filter(Boolean).slice(0, 10), "(devnet", "reply", `${digest.slice(0, 8)})`];
  return tokens.slice(0, limit).map((t, i) => (i === 0 ? t : ` ${t}`));
}

function promptTokenCount(request: ChatRequest): number {
  let n = 0;
  for (const m of request.messages ?? []) if (typeof m.content === "string") n += m.content.split(/\s+/).filter(Boolean).length + 4;
  return n;
}

function logprobsOf(tokens: string[]): { content: unknown[] } {
  return {
    content: tokens.map((token, i) => {
      const logprob = -((i % 5) + 1) / 10;
      const bytes = [...new TextEncoder().encode(token)];
      return { token, logprob, bytes, top_logprobs: [{ token, logprob, bytes }] };
    }),
  };
}

/** A complete (non-streamed) chat completion for the request, with `id` set to `id`. */
export function fakeChatCompletion(request: ChatRequest, id: string, created: number): Record<string, unknown> {
  const tokens = fakeCompletionTokens(request);
  const prompt = promptTokenCount(request);
  return {
    id,
    object: "chat.completion",
    created,
    model: request.model ?? "",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: tokens.join("") },
        logprobs: logprobsOf(tokens),
        finish_reason: "stop",
        stop_reason: null,
      },
    ],
    usage: { prompt_tokens: prompt, completion_tokens: tokens.length, total_tokens: prompt + tokens.length },
    system_fingerprint: `devnet-${hex.encode(sha256(new TextEncoder().encode(id))).slice(0, 8)}`,
  };
}

/** The SSE lines (`data: …\n\n`) of a streamed chat completion, ending with a usage chunk and `[DONE]`. */
export function* fakeChatCompletionStream(request: ChatRequest, id: string, created: number): Generator<string> {
  const tokens = fakeCompletionTokens(request);
  const prompt = promptTokenCount(request);
  const base = { id, object: "chat.completion.chunk", created, model: request.model ?? "" };
  yield `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }] })}\n\n`;
  for (const token of tokens) {
    yield `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: token }, logprobs: logprobsOf([token]), finish_reason: null }] })}\n\n`;
  }
  yield `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] })}\n\n`;
  yield `data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: prompt, completion_tokens: tokens.length, total_tokens: prompt + tokens.length } })}\n\n`;
  yield "data: [DONE]\n\n";
}
