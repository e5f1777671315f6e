import { describe, expect, it } from "vitest";
import {
  originalPromptHash,
  promptHash,
  promptHashes,
  PromptRewriteError,
  responseHash,
  rewriteInferenceBody,
  storedPromptPayloadHash,
  streamedResponsePayload,
  goJsonStringify,
  canonicalPromptPayload,
} from "../../src/inference/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { payload, vectors } from "./validation/vectors.js";

type PromptVector = {
  body_utf8: string;
  ta_seed: number;
  logprobs_mode: string;
  error?: string;
  modified_body?: string;
  original_prompt_hash: string;
  prompt_hash?: string;
  prompt_payload?: string;
};
const promptVectors = vectors.promptHashes as PromptVector[];

describe("prompt_hash and original_prompt_hash (promptHashes vectors)", () => {
  it("has the 13 vectors", () => expect(promptVectors).toHaveLength(13));

  it.each(promptVectors.map((v, i) => [i, v] as const))("vector %i: original_prompt_hash is sha256 of the raw body", (_i, v) => {
    expect(originalPromptHash(v.body_utf8)).toBe(v.original_prompt_hash);
    expect(originalPromptHash(new TextEncoder().encode(v.body_utf8))).toBe(v.original_prompt_hash);
  });

  it.each(promptVectors.filter((v) => !v.error).map((v, i) => [i, v] as const))(
    "accepted body %i: modified body, prompt payload and prompt_hash reproduce exactly",
    (_i, v) => {
      const r = promptHashes({ body: v.body_utf8, seed: v.ta_seed, logprobsMode: v.logprobs_mode });
      expect(r.modifiedBody).toBe(v.modified_body);
      expect(r.promptPayload).toBe(v.prompt_payload);
      expect(r.promptHash).toBe(v.prompt_hash);
      expect(r.originalPromptHash).toBe(v.original_prompt_hash);
      expect(promptHash({ body: v.body_utf8, seed: BigInt(v.ta_seed), logprobsMode: v.logprobs_mode })).toBe(v.prompt_hash);
      // a validator re-canonicalises the stored payload before hashing: a fixed point
      expect(canonicalPromptPayload(v.prompt_payload!)).toBe(v.prompt_payload);
      expect(storedPromptPayloadHash(v.prompt_payload!)).toBe(v.prompt_hash);
    },
  );

  it.each(promptVectors.filter((v) => v.error).map((v, i) => [i, v] as const))(
    "rejected body %i: refused with the node's 400 reason",
    (_i, v) => {
      let caught: unknown;
      try {
        rewriteInferenceBody({ body: v.body_utf8, seed: v.ta_seed, logprobsMode: v.logprobs_mode });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(PromptRewriteError);
      expect((caught as PromptRewriteError).reason).toBe(v.error);
    },
  );

  it("every request-signature vector's TA hop carries the prompt_hash of its body and seed", () => {
    for (const r of vectors.requestSignatures) {
      expect(originalPromptHash(r.body_utf8)).toBe(r.ta_hop.original_prompt_hash);
      expect(originalPromptHash(r.body_utf8)).toBe(r.body_sha256_hex);
      expect(promptHash({ body: r.body_utf8, seed: r.ta_hop.ta_seed })).toBe(r.ta_hop.prompt_hash);
    }
  });

  it("the default logprobs_mode is processed_logprobs and an empty mode leaves the field out", () => {
    const body = '{"model":"m","messages":[{"role":"user","content":"x"}]}';
    expect(rewriteInferenceBody({ body, seed: 1 }).modifiedBody).toContain('"logprobs_mode":"processed_logprobs"');
    expect(rewriteInferenceBody({ body, seed: 1, logprobsMode: "" }).modifiedBody).not.toContain("logprobs_mode");
  });

  it("a body seed wins over X-Seed; logprobs other than false/null are kept; stream_options replaced when not an object", () => {
    const r = rewriteInferenceBody({
      body: '{"messages":[{"role":"user","content":"x"}],"seed":7,"logprobs":"yes","stream":true,"stream_options":3,"max_tokens":9.9}',
      seed: 1,
    });
    const o = JSON.parse(r.modifiedBody) as Record<string, unknown>;
    expect(o["seed"]).toBe(7);
    expect(o["logprobs"]).toBe("yes");
    expect(o["stream_options"]).toEqual({ include_usage: true });
    expect(o["max_tokens"]).toBe(9);
    expect(o["max_completion_tokens"]).toBe(9);
  });

  it("refuses non-JSON and non-object bodies, and a non-integer seed", () => {
    expect(() => rewriteInferenceBody({ body: "{", seed: 1 })).toThrow(PromptRewriteError);
    expect(() => rewriteInferenceBody({ body: "[1]", seed: 1 })).toThrow(/JSON object/);
    expect(() => rewriteInferenceBody({ body: "{}", seed: 1.5 })).toThrow(InvalidArgumentError);
  });
});

describe("Go encoding of canonical JSON", () => {
  it("sorts keys by UTF-8 bytes, escapes HTML and U+2028 as Go does, prints floats like Go", () => {
    expect(goJsonStringify({ b: 1.0, a: "<&>", "\u{1F600}": 1, "\uFFFF": 2 })).toBe(
      '{"a":"\\u003c\\u0026\\u003e","b":1,"\uFFFF":2,"\u{1F600}":1}',
    );
    expect(goJsonStringify({ s: "a\u2028b\u0001\b\f\n\t" }, { escapeHtml: false })).toBe('{"s":"a\\u2028b\\u0001\\b\\f\\n\\t"}');
    expect(goJsonStringify([1e21, 1e-7, 0.000001, Number("12345678901234567890"), -0])).toBe("[1e+21,1e-7,0.000001,12345678901234567000,-0]");
    expect(goJsonStringify("\ud800x")).toBe('"\ufffdx"');
  });
});

describe("response_hash (responseHashes vectors)", () => {
  it.each((vectors.responseHashes as { payload_ref: string; response_hash: string }[]).map((v) => [v.payload_ref, v] as const))(
    "%s: sha256 of the stored payload",
    (_ref, v) => {
      expect(responseHash(payload(v.payload_ref))).toBe(v.response_hash);
      expect(responseHash(new TextEncoder().encode(payload(v.payload_ref)))).toBe(v.response_hash);
    },
  );

  it("a stream's stored payload is {\"events\":[…]} of its SSE lines, Go-encoded", () => {
    const stored = payload("executor_11");
    const lines = (JSON.parse(stored) as { events: string[] }).events;
    expect(streamedResponsePayload(lines)).toBe(stored);
    expect(responseHash(streamedResponsePayload(lines))).toBe(vectors.responseHashes[1].response_hash);
    expect(() => streamedResponsePayload([1 as unknown as string])).toThrow(InvalidArgumentError);
  });
});
