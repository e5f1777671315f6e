import { describe, expect, it } from "vitest";
import {
  CHAIN_DEFAULT_VALIDATION_PARAMS,
  computeParticipantStatus,
  Decimal,
  MAINNET_VALIDATION_PARAMS,
  reputation,
  sprtDecision,
  sprtLogLikelihood,
  sprtPrecompute,
  sprtUpdate,
  type ParticipantEpochStats,
  type ParticipantStatus,
} from "../../../src/inference/index.js";
import { InvalidArgumentError } from "../../../src/errors.js";
import { big, vectors } from "./vectors.js";

type Stored = { value: number | bigint; exponent: number };
const stored = (d: Decimal) => ({ value: d.value, exponent: d.exponent });
const expectStored = (d: Decimal, s: Stored) => expect(stored(d)).toEqual({ value: big(s.value), exponent: s.exponent });

describe("reputation (reputation vectors)", () => {
  const cases = vectors.reputation as { epoch_count: number; miss_percentages: string[]; reputation: number }[];
  it("has the 10 vectors", () => expect(cases).toHaveLength(10));
  it.each(cases.map((c, i) => [i, c.epoch_count, c.reputation, c] as const))("vector %i: %i epochs → %i", (_i, _n, _r, c) => {
    expect(reputation({ epochCount: c.epoch_count, epochs: c.miss_percentages.map((m) => ({ missPercentage: m })) })).toBe(c.reputation);
  });
  it("reads per-epoch counts too (missed / inference_count, 0 when no inferences)", () => {
    expect(reputation({ epochCount: 20, epochs: [{ missedRequests: 1, inferenceCount: 100 }, { missedRequests: 11, inferenceCount: 1000 }, { missedRequests: 1, inferenceCount: 2 }, { missedRequests: 0, inferenceCount: 0 }, { missedRequests: 7, inferenceCount: 7 }] })).toBe(61);
    expect(reputation({ epochCount: 20, epochs: [{ missPercentage: "0.5" }] })).toBe(65);
  });
  it("refuses inconsistent input", () => {
    expect(() => reputation({ epochCount: 1, epochs: [{ missPercentage: "0" }, { missPercentage: "0" }] })).toThrow(InvalidArgumentError);
    expect(() => reputation({ epochs: [{ missedRequests: -1, inferenceCount: 3 }] })).toThrow(InvalidArgumentError);
  });
});

describe("SPRT log-likelihoods (sprt.precomputed_*, sprt.logLLR)", () => {
  it("precomputes mainnet's and the chain defaults' four values exactly as stored", () => {
    for (const [params, v] of [
      [MAINNET_VALIDATION_PARAMS, vectors.sprt.precomputed_mainnet],
      [CHAIN_DEFAULT_VALIDATION_PARAMS, vectors.sprt.precomputed_chain_default],
    ] as const) {
      const p = sprtPrecompute(params);
      expectStored(p.invalidationLogFail, v.invalidation_log_fail);
      expectStored(p.invalidationLogPass, v.invalidation_log_pass);
      expectStored(p.inactiveLogFail, v.inactive_log_fail);
      expectStored(p.inactiveLogPass, v.inactive_log_pass);
    }
  });

  const cases = vectors.sprt.logLLR as { p1: string; p0: string; is_fail: boolean; value: string; stored: Stored }[];
  it.each(cases.map((c, i) => [i, c.p1, c.p0, c.is_fail, c] as const))("vector %i: p1 %s p0 %s fail %s", (_i, _a, _b, _f, c) => {
    const r = sprtLogLikelihood({ p1: c.p1, p0: c.p0, isFail: c.is_fail });
    expect(r.toString()).toBe(c.value);
    expectStored(r, c.stored);
  });
  it("refuses p0 that makes the ratio undefined", () => {
    expect(() => sprtLogLikelihood({ p1: "0.1", p0: "0", isFail: true })).toThrow(InvalidArgumentError);
    expect(() => sprtLogLikelihood({ p1: "0.1", p0: "1", isFail: false })).toThrow(InvalidArgumentError);
  });
});

describe("SPRT updates (sprt.updates)", () => {
  const cases = vectors.sprt.updates as {
    h: string;
    llr_before: string;
    log_fail: Stored;
    log_pass: Stored;
    failures: number;
    passes: number;
    llr_after: string;
    decision: string;
  }[];
  it.each(cases.map((c, i) => [i, c.llr_after, c.decision, c] as const))("vector %i → %s (%s)", (_i, _l, _d, c) => {
    const r = sprtUpdate({ llr: c.llr_before, logFail: c.log_fail, logPass: c.log_pass, failures: c.failures, passes: c.passes, h: c.h });
    expect(r.llr.toString()).toBe(c.llr_after);
    expect(r.decision).toBe(c.decision);
  });
  it("decides at exactly ±H", () => {
    expect(sprtDecision("4", "4")).toBe("fail");
    expect(sprtDecision("-4", "4")).toBe("pass");
    expect(sprtDecision("3.999", "4")).toBe("undetermined");
  });
});

describe("participant status sequences (sprt.statusSequences)", () => {
  type Stats = {
    inference_count?: number;
    missed_requests?: number;
    validated_inferences?: number;
    invalidated_inferences?: number;
    invalid_llr?: Stored;
    inactive_llr?: Stored;
    confirmation_poc_ratio?: Stored | null;
  };
  type Step = {
    status_before: ParticipantStatus;
    consecutive_invalid_inferences: number;
    stats: Stats;
    old_stats: Stats;
    status_after: string;
    reason: string;
    new_stats: Required<Stats>;
  };
  const seqs = vectors.sprt.statusSequences as { description: string; params: string; steps: Step[] }[];
  const conv = (s: Stats): ParticipantEpochStats => ({
    ...(s.inference_count !== undefined ? { inferenceCount: s.inference_count } : {}),
    ...(s.missed_requests !== undefined ? { missedRequests: s.missed_requests } : {}),
    ...(s.validated_inferences !== undefined ? { validatedInferences: s.validated_inferences } : {}),
    ...(s.invalidated_inferences !== undefined ? { invalidatedInferences: s.invalidated_inferences } : {}),
    ...(s.invalid_llr !== undefined ? { invalidLLR: s.invalid_llr } : {}),
    ...(s.inactive_llr !== undefined ? { inactiveLLR: s.inactive_llr } : {}),
    ...(s.confirmation_poc_ratio !== undefined ? { confirmationPocRatio: s.confirmation_poc_ratio } : {}),
  });
  it("has 6 sequences", () => expect(seqs).toHaveLength(6));

  it.each(seqs.map((q) => [q.description, q] as const))("%s: every step's status, reason and stored LLRs", (_d, q) => {
    const params = q.params === "mainnet" ? MAINNET_VALIDATION_PARAMS : CHAIN_DEFAULT_VALIDATION_PARAMS;
    for (const st of q.steps) {
      const r = computeParticipantStatus({
        status: st.status_before,
        consecutiveInvalidInferences: st.consecutive_invalid_inferences,
        stats: conv(st.stats),
        oldStats: conv(st.old_stats),
        params,
      });
      expect(r.status).toBe(st.status_after);
      expect(r.reason).toBe(st.reason);
      const n = st.new_stats;
      expect(r.stats.inferenceCount).toBe(big(n.inference_count));
      expect(r.stats.missedRequests).toBe(big(n.missed_requests));
      expect(r.stats.validatedInferences).toBe(big(n.validated_inferences));
      expect(r.stats.invalidatedInferences).toBe(big(n.invalidated_inferences));
      expectStored(r.stats.invalidLLR, n.invalid_llr);
      expectStored(r.stats.inactiveLLR, n.inactive_llr);
      if (n.confirmation_poc_ratio === null) expect(r.stats.confirmationPocRatio).toBeNull();
      else expectStored(r.stats.confirmationPocRatio!, n.confirmation_poc_ratio);
    }
  });

  it("alpha 0 disables the confirmation-PoC check; a negative consecutive count is refused", () => {
    const stats = { inferenceCount: 3, confirmationPocRatio: "0.1" };
    expect(computeParticipantStatus({ status: "ACTIVE", consecutiveInvalidInferences: 0, stats, confirmationPocAlpha: 0 }).status).toBe("ACTIVE");
    expect(computeParticipantStatus({ status: "ACTIVE", consecutiveInvalidInferences: 0, stats }).reason).toBe("failed_confirmation_poc");
    expect(() => computeParticipantStatus({ status: "ACTIVE", consecutiveInvalidInferences: -1, stats })).toThrow(InvalidArgumentError);
  });
});
