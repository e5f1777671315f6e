import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import { gonkaFetch } from "../../src/inference/index.js";
import { requester } from "./fixtures.js";
import { startTa } from "./local-ta.js";

describe("the openai package over gonkaFetch", () => {
  it("creates a chat completion and streams one, failing over after a 429", async () => {
    const busy = await startTa({ capacityRejections: 1 });
    const ta = await startTa({ reply: ({ messages }) => `You said: ${messages.at(-1)!.content}`, streamDelayMs: 5 });
    const client = new OpenAI({
      baseURL: "http://gonka.invalid/v1",
      apiKey: "unused",
      maxRetries: 0,
      fetch: gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [busy.agent, ta.agent], strategy: "ordered" }),
    });

    const done = await client.chat.completions.create({ model: "local/echo", messages: [{ role: "user", content: "Hello" }] });
    expect(done.choices[0]!.message.content).toBe("You said: Hello");
    expect(done.id).toBe(ta.requests[0]!.headers["authorization"]);
    expect(busy.requests.map((r) => r.status)).toEqual([429]);
    // OpenAI's own headers survive; its Bearer Authorization was replaced by the signature
    expect(ta.requests[0]!.headers["x-stainless-lang"]).toBe("js");
    expect(ta.requests[0]!.headers["authorization"]).not.toMatch(/^Bearer/);

    const stream = await client.chat.completions.create({
      model: "local/echo",
      messages: [{ role: "user", content: "stream me" }],
      stream: true,
    });
    let text = "";
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("You said: stream me");
    expect(usage).toEqual({ prompt_tokens: 2, completion_tokens: 4, total_tokens: 6 });
    expect(ta.requests.at(-1)!.streamed).toBe(true);
  });

  it("a non-retryable error surfaces as the openai package's typed error", async () => {
    const ta = await startTa({ accounts: {} });
    const client = new OpenAI({
      baseURL: "http://gonka.invalid/v1",
      apiKey: "unused",
      maxRetries: 0,
      fetch: gonkaFetch({ privateKey: requester.privateKeyHex, endpoints: [ta.agent] }),
    });
    const err = await client.chat.completions.create({ model: "local/echo", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(500);
  });
});
