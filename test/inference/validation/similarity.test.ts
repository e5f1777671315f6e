import { describe, expect, it } from "vitest";
import {
  checkLogprobPositions,
  Decimal,
  enforcedTokensFrom,
  hasEmptySentinel,
  hasNonNumericTokens,
  InvalidLogprobError,
  LogprobLengthMismatchError,
  logprobDistance,
  logprobsFromChunks,
  logprobsFromPayload,
  logprobsFromResponse,
  MalformedLogprobsError,
  MissingLogprobPositionError,
  MODEL_VALIDATION_THRESHOLDS,
  OversizedPayloadError,
  passesValidationThreshold,
  scoreValidation,
  validationSimilarity,
  validationThresholdFor,
  validatorReplayRequest,
  type LogprobPosition,
} from "../../../src/inference/index.js";
import { big, f64hex, payload, vectors } from "./vectors.js";

interface ValidationCase {
  description: string;
  executor_response_payload_ref: string;
  validator_response_status: number;
  validator_response_body_ref: string;
  result: string;
  reason: string;
  sends_msg_validation: boolean;
  similarity?: number;
  similarity_f64_hex?: string;
  value_decimal?: { value: number | bigint; exponent: number };
  value_decimal_string?: string;
  passes_threshold?: boolean[];
  validator_local_success_gt_0_99?: boolean;
  enforced_tokens?: unknown;
  empty_sentinel: boolean;
  non_numeric_tokens: boolean;
  error?: string;
}

const cases = vectors.validation.cases as ValidationCase[];
const thresholdsOrder = vectors.validation.thresholds_order as string[];
const chainThresholds = vectors.chain_params_used.model_validation_thresholds as { model: string; threshold: { value: number; exponent: number } }[];

describe("per-model validation thresholds", () => {
  it("the table holds the spec's 7 thresholds in the vectors' order", () => {
    expect(MODEL_VALIDATION_THRESHOLDS).toHaveLength(7);
    expect(thresholdsOrder).toEqual(chainThresholds.map((t) => t.model));
    MODEL_VALIDATION_THRESHOLDS.forEach((row, i) => {
      expect(row.threshold.eq({ value: chainThresholds[i]!.threshold.value, exponent: chainThresholds[i]!.threshold.exponent })).toBe(true);
    });
  });

  it("looks thresholds up by model and release", () => {
    const qwen = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    expect(validationThresholdFor(qwen)?.toString()).toBe("0.94");
    expect(validationThresholdFor(qwen, "v0.2.12")?.toString()).toBe("0.958");
    expect(validationThresholdFor(qwen, "v0.2.9")?.toString()).toBe("0.970917");
    expect(validationThresholdFor("moonshotai/Kimi-K2.6", "v0.2.12")?.toString()).toBe("0.92");
    expect(validationThresholdFor("moonshotai/Kimi-K2.6", "v0.2.11")).toBeUndefined();
    expect(validationThresholdFor("MiniMaxAI/MiniMax-M2.7")?.toString()).toBe("0.922");
    expect(validationThresholdFor("Qwen/QwQ-32B")?.toString()).toBe("0.98");
    expect(validationThresholdFor("unknown/model")).toBeUndefined();
  });

  it("pass is strictly greater than the threshold", () => {
    expect(passesValidationThreshold("0.94", "0.94")).toBe(false);
    expect(passesValidationThreshold({ value: 940000000000000001n, exponent: -18 }, new Decimal(940n, -3))).toBe(true);
  });
});

describe("validation cases: 18 executor/validator pairs down to value_decimal and pass/fail", () => {
  it("has the 18 cases", () => expect(cases).toHaveLength(18));

  it.each(cases.map((c, i) => [i, c.description, c] as const))("%i %s", (_i, _d, c) => {
    const o = scoreValidation({
      executorPayload: payload(c.executor_response_payload_ref),
      validatorResponse: { status: c.validator_response_status, body: payload(c.validator_response_body_ref) },
    });
    expect(o.sendsMsgValidation).toBe(c.sends_msg_validation);
    expect(o.result).toBe(c.result);
    expect(o.reason).toBe(c.reason);
    if (!c.sends_msg_validation) {
      expect(o.error).toBe(c.error);
      expect(o.valueDecimal).toBeUndefined();
      return;
    }
    expect(f64hex(o.similarity)).toBe(c.similarity_f64_hex);
    expect(o.similarity).toBe(c.similarity);
    expect(o.valueDecimal).toEqual({ value: big(c.value_decimal!.value), exponent: c.value_decimal!.exponent });
    expect(new Decimal(o.valueDecimal!.value, o.valueDecimal!.exponent).toString()).toBe(c.value_decimal_string);
    expect(MODEL_VALIDATION_THRESHOLDS.map((t) => passesValidationThreshold(o.valueDecimal!, t.threshold))).toEqual(c.passes_threshold);
    expect(o.localSuccess).toBe(c.validator_local_success_gt_0_99);
    const enforced = enforcedTokensFrom(payload(c.executor_response_payload_ref));
    expect(hasEmptySentinel(enforced)).toBe(c.empty_sentinel);
    expect(hasNonNumericTokens(enforced)).toBe(c.non_numeric_tokens);
    if (c.enforced_tokens !== undefined) {
      expect(enforced).toEqual(c.enforced_tokens);
      expect(o.enforcedTokens).toEqual(c.enforced_tokens);
    }
  });

  it("validationSimilarity on extracted arrays gives the same bits as the full flow", () => {
    for (const c of cases.filter((x) => x.validator_response_status === 200 && x.result !== "invalid" && x.sends_msg_validation)) {
      const r = validationSimilarity(logprobsFromPayload(payload(c.executor_response_payload_ref)), logprobsFromResponse(payload(c.validator_response_body_ref)));
      expect(r.result).toBe(c.result);
      expect(f64hex(r.similarity)).toBe(c.similarity_f64_hex);
    }
  });

  it("the streamed executor payload gives the same positions as SSE chunks and as the non-streamed answer", () => {
    const stored = payload("executor_11");
    const lines = (JSON.parse(stored) as { events: string[] }).events;
    const fromChunks = logprobsFromChunks(lines);
    expect(logprobsFromPayload(stored)).toEqual(fromChunks);
    expect(fromChunks.length).toBeGreaterThan(0);
    // chunk objects and bare JSON texts work too
    expect(logprobsFromChunks(lines.filter((l) => l !== "data: [DONE]").map((l) => JSON.parse(l.slice(6)) as object))).toEqual(fromChunks);
    expect(logprobsFromChunks(lines.map((l) => l.replace(/^data: /, "")))).toEqual(fromChunks);
    expect(validationSimilarity(fromChunks, logprobsFromResponse(payload("validator_11"))).similarity).toBe(1);
  });
});

describe("logprob distances (logprobDistance vectors)", () => {
  const dists = vectors.validation.logprobDistance as {
    original: LogprobPosition[];
    validation: LogprobPosition[];
    distance: number | string;
    distance_f64_hex: string | null;
    error: string;
    similarity: number;
  }[];
  it("has the 4 vectors", () => expect(dists).toHaveLength(4));
  it.each(dists.map((d, i) => [i, d] as const))("vector %i", (_i, d) => {
    const r = logprobDistance(d.original, d.validation);
    if (d.distance_f64_hex === null) expect(r.distance).toBe(Infinity);
    else {
      expect(f64hex(r.distance)).toBe(d.distance_f64_hex);
      expect(r.distance).toBe(d.distance);
    }
    expect(r.similarity).toBe(d.similarity);
    expect(r.error ?? "").toBe(d.error);
  });
});

describe("validator replay request (validationRequests)", () => {
  const reqs = vectors.validation.validationRequests as { prompt_payload: string; executor_response_payload_ref: string; body: string }[];
  it.each(reqs.map((r) => [r.executor_response_payload_ref, r] as const))("from %s: body reproduces byte for byte", (_ref, r) => {
    const req = validatorReplayRequest({ promptPayload: r.prompt_payload, enforcedTokens: enforcedTokensFrom(payload(r.executor_response_payload_ref)) });
    expect(req.body).toBe(r.body);
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/chat/completions");
  });
  it("removes stream_options and forces stream false", () => {
    const req = validatorReplayRequest({
      promptPayload: '{"stream":true,"stream_options":{"include_usage":true},"messages":[]}',
      enforcedTokens: { tokens: [{ token: "1", top_tokens: ["1"] }] },
    });
    expect(req.body).toBe('{"enforced_tokens":{"tokens":[{"token":"1","top_tokens":["1"]}]},"messages":[],"skip_special_tokens":false,"stream":false}');
  });
});

describe("bad input gets typed errors", () => {
  const pos = (token: string, logprob: number, top: [string, number][] | null = [[token, logprob]]): LogprobPosition => ({
    token,
    logprob,
    top_logprobs: top === null ? null : top.map(([t, l]) => ({ token: t, logprob: l })),
  });

  it("malformed logprob payloads", () => {
    expect(() => logprobsFromResponse("not json")).toThrow(MalformedLogprobsError);
    expect(() => logprobsFromResponse('{"choices":{}}')).toThrow(/choices: must be an array/);
    expect(() => logprobsFromResponse('{"choices":[{"logprobs":{"content":[{"token":5,"logprob":-1}]}}]}')).toThrow(
      /choices\[0\]\.logprobs\.content\[0\]\.token/,
    );
    expect(() => logprobsFromResponse('{"choices":[{"logprobs":{"content":[{"token":"5","logprob":"-1"}]}}]}')).toThrow(MalformedLogprobsError);
    expect(() => logprobsFromPayload('{"events":[1]}')).toThrow(MalformedLogprobsError);
    expect(() => logprobsFromChunks(["data: {oops"])).toThrow(MalformedLogprobsError);
    expect(() => enforcedTokensFrom('{"choices":[{"logprobs":{"content":[{"token":"5","logprob":-1,"top_logprobs":[]}]}}]}')).toThrow(
      /empty top_logprobs/,
    );
    expect(() => validationSimilarity([{ token: 5 } as unknown as LogprobPosition], [])).toThrow(MalformedLogprobsError);
  });

  it("missing positions", () => {
    expect(() => logprobsFromResponse('{"choices":[{"logprobs":{"content":[null]}}]}')).toThrow(MissingLogprobPositionError);
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [pos("1", -0.1), , pos("2", -0.2)] as LogprobPosition[];
    expect(() => validationSimilarity(sparse, sparse)).toThrow(MissingLogprobPositionError);
    try {
      checkLogprobPositions(sparse, "executor");
    } catch (e) {
      expect((e as MissingLogprobPositionError).index).toBe(1);
    }
  });

  it("NaN and infinite logprobs", () => {
    expect(() => validationSimilarity([pos("1", Number.NaN)], [pos("1", -0.1)])).toThrow(InvalidLogprobError);
    expect(() => validationSimilarity([pos("1", -0.1)], [pos("1", -0.1, [["1", -Infinity]])])).toThrow(/validator\[0\]\.top_logprobs\[0\]\.logprob/);
    expect(() => logprobDistance([pos("1", -0.1, [["1", Number.NaN]])], [pos("1", -0.1)])).toThrow(InvalidLogprobError);
  });

  it("oversized responses (configurable bound)", () => {
    const body = payload("executor_0");
    expect(() => logprobsFromResponse(body, { maxPayloadBytes: 100 })).toThrow(OversizedPayloadError);
    expect(() => logprobsFromPayload(body, { maxPayloadBytes: 100 })).toThrow(/more than the limit of 100 bytes/);
    expect(() => logprobsFromChunks(["data: " + body], { maxPayloadBytes: 100 })).toThrow(OversizedPayloadError);
    expect(() =>
      scoreValidation({ executorPayload: body, validatorResponse: { status: 200, body: payload("validator_0") }, maxPayloadBytes: 1000 }),
    ).toThrow(OversizedPayloadError);
    expect(logprobsFromResponse(body, { maxPayloadBytes: body.length }).length).toBe(12);
  });

  it("mismatched lengths", () => {
    const a = [pos("1", -0.1), pos("2", -0.2)];
    expect(() => logprobDistance(a, a.slice(0, 1))).toThrow(LogprobLengthMismatchError);
    expect(validationSimilarity(a, a.slice(0, 1))).toEqual({ result: "different_length", similarity: 0 });
    expect(validationSimilarity(a, [pos("1", -0.1), pos("3", -0.2)])).toEqual({ result: "different_tokens", similarity: 0 });
  });

  it("a validator status that is neither 200, 400 nor 422 sends nothing", () => {
    const o = scoreValidation({ executorPayload: payload("executor_0"), validatorResponse: { status: 503, body: "" } });
    expect(o.sendsMsgValidation).toBe(false);
    expect(o.error).toMatch(/503/);
  });
});
