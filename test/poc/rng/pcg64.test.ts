import { describe, expect, it } from "vitest";
import { Pcg64, RngSeedError, SeedSequence, seedEntropy, xslRr } from "../../../src/poc/rng/index.js";
import { fixture, type RngVectors } from "./fixtures.js";

const v = fixture<RngVectors>("rng.json");
const M = 0x2360ed051fc65da44385df649fccf645n;
const MOD = 1n << 128n;
const hex64 = (x: bigint): string => `0x${x.toString(16).padStart(16, "0")}`;

/** An independent BigInt PCG64 (the textbook algorithm) to cross-check the WebAssembly kernel. */
function referenceRaw(state: bigint, inc: bigint, n: number): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) {
    state = (state * M + inc) % MOD;
    out.push(xslRr(state));
  }
  return out;
}

describe("Pcg64", () => {
  it.each(v.pcg64.map((p, i) => [i, p] as const))("seeds state/inc and draws raw outputs of vector %i", (_i, p) => {
    const g = new Pcg64(new SeedSequence(seedEntropy(p.seed, p.numHashes)));
    expect(`0x${g.state.toString(16).padStart(32, "0")}`).toBe(p.state);
    expect(`0x${g.inc.toString(16).padStart(32, "0")}`).toBe(p.inc);
    const raw = Array.from({ length: p.raw.length }, () => hex64(g.nextUint64()));
    expect(raw).toEqual(p.raw);
  });

  it("agrees with a BigInt reference over 10 000 bulk draws", () => {
    const g = new Pcg64(new SeedSequence(seedEntropy("bulk", 1)));
    const { state, inc } = g.getState();
    const expected = referenceRaw(state, inc, 10_000);
    const got: bigint[] = [];
    for (let i = 0; i < 10_000; i++) got.push(g.nextUint64());
    expect(got).toEqual(expected);
  });

  it("keeps independent generators independent when interleaved", () => {
    const a = new Pcg64(new SeedSequence(seedEntropy(v.pcg64[0].seed, v.pcg64[0].numHashes)));
    const b = new Pcg64(new SeedSequence(seedEntropy(v.pcg64[1].seed, v.pcg64[1].numHashes)));
    const ra: string[] = [];
    const rb: string[] = [];
    for (let i = 0; i < 8; i++) {
      ra.push(hex64(a.nextUint64()));
      rb.push(hex64(b.nextUint64()));
    }
    expect(ra).toEqual(v.pcg64[0].raw);
    expect(rb).toEqual(v.pcg64[1].raw);
  });

  it("buffers the high half for nextUint32 and keeps it across other draws", () => {
    const p = v.pcg64[0];
    const g = new Pcg64(new SeedSequence(seedEntropy(p.seed, p.numHashes)));
    const r0 = BigInt(p.raw[0]);
    const r1 = BigInt(p.raw[1]);
    expect(g.nextUint32()).toBe(Number(r0 & 0xffffffffn));
    expect(g.getState().hasUint32).toBe(true);
    expect(g.nextUint64()).toBe(r1); // a 64-bit draw does not consume the buffer
    expect(g.nextUint32()).toBe(Number(r0 >> 32n));
    expect(g.nextDouble()).toBe(Number(BigInt(p.raw[2]) >> 11n) * 2 ** -53);
  });

  it("advances like numpy (PCG64(SeedSequence(123)).advance, values from numpy 2.4)", () => {
    const g = new Pcg64(new SeedSequence([123]));
    expect(g.state).toBe(0x786df8ae32b3fe645bee00f1ac1e7b4dn);
    expect(g.inc).toBe(0xd4e48fee886333a26dbcfc7823f9c3bn);
    g.advance(12345678901234567890123n);
    expect(g.state).toBe(0xa6d01555864e4b50cc53be0381469b66n);
    g.advance(-5n);
    expect(g.state).toBe(0xecb42173ce204b81e65451950e4bce6bn);
  });

  it("advance(k) equals k single steps and clears the uint32 buffer", () => {
    const a = new Pcg64(new SeedSequence(seedEntropy("adv", 4)));
    const b = new Pcg64(a.getState());
    a.nextUint32();
    a.advance(999);
    expect(a.getState().hasUint32).toBe(false);
    for (let i = 0; i < 1000; i++) b.nextUint64();
    expect(a.state).toBe(b.state);
  });

  it("round-trips getState/setState", () => {
    const g = new Pcg64(new SeedSequence(seedEntropy("state", 1)));
    g.nextUint32();
    const s = g.getState();
    const x = g.nextUint64();
    g.setState(s);
    expect(g.nextUint64()).toBe(x);
    expect(() => g.setState({} as never)).toThrow(RngSeedError);
    expect(() => new Pcg64(null as never)).toThrow(RngSeedError);
  });
});
