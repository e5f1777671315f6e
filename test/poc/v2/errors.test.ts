/**
 * Bad input across the module gives typed errors of the SDK's one tree, saying what was wrong and
 * what to do (`details`), never a bare TypeError.
 */
import { describe, expect, it } from "vitest";
import { GonkaError, InvalidArgumentError } from "../../../src/errors.js";
import {
  ArtifactMmr, checkFp16Vector, decodeBase64, decodeHex, DuplicateNonceError, InvalidEncodingError, InvalidFp16VectorError,
  LeafIndexOutOfRangeError, WeightDistributionError, weightDistribution,
} from "../../../src/poc/v2/index.js";

/** The error `fn` throws (fails the test when it throws nothing). */
function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

describe("typed errors", () => {
  it("bad hex: odd length, non-hex characters, wrong decoded length", () => {
    expect(() => decodeHex("abc", "root")).toThrow(InvalidEncodingError);
    expect(() => decodeHex("zz", "root")).toThrow(/not a hex digit/);
    expect(() => decodeHex("00ff", "root", 32)).toThrow(/decodes to 2 bytes, expected 32/);
    expect(Array.from(decodeHex("00FF"))).toEqual([0, 255]);
    const e = caught(() => decodeHex("abc", "root")) as InvalidEncodingError;
    expect(e).toBeInstanceOf(GonkaError);
    expect(e.encoding).toBe("hex");
    expect(e.argument).toBe("root");
    expect(e.details).toMatch(/even number of hex digits/);
  });
  it("bad base64: unpadded, invalid characters, wrong decoded length", () => {
    expect(() => decodeBase64("YWJ")).toThrow(InvalidEncodingError);
    expect(() => decodeBase64("YW!j")).toThrow(/not standard padded base64/);
    expect(() => decodeBase64("YWJj", "vector_b64", 24)).toThrow(/decodes to 3 bytes, expected 24/);
    expect(() => decodeBase64(5 as unknown as string)).toThrow(InvalidEncodingError);
  });
  it("fp16 vectors: the offending byte offset and a hint", () => {
    const v = new Uint8Array(24);
    v[9] = 0x7c;
    const e = caught(() => checkFp16Vector(v)) as InvalidFp16VectorError;
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.byteOffset).toBe(8);
    expect(e.details).toMatch(/NaN\/Inf/);
  });
  it("duplicate nonces and out-of-range leaves carry the values", () => {
    const s = new ArtifactMmr();
    s.append(-7, new Uint8Array(24));
    const dup = caught(() => s.append(-7, new Uint8Array(24).fill(1)));
    expect(dup).toBeInstanceOf(DuplicateNonceError);
    expect((dup as DuplicateNonceError).nonce).toBe(-7);
    const out = caught(() => s.proof(3));
    expect(out).toBeInstanceOf(LeafIndexOutOfRangeError);
    expect(out).toMatchObject({ leafIndex: 3, count: 1 });
  });
  it("weight distributions that cannot be made", () => {
    expect(() => weightDistribution({ nodeCounts: {}, targetCount: 1 })).toThrow(WeightDistributionError);
    expect(() => weightDistribution({ nodeCounts: { a: -1 }, targetCount: 1 })).toThrow(InvalidArgumentError);
  });
});
