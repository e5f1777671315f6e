import { describe, expect, it } from "vitest";
import { Generator, Pcg64, SeedSequence, rngFromSeed } from "../../../src/poc/rng/index.js";
import { fixture, type RngVectors } from "./fixtures.js";

const v = fixture<RngVectors>("rng.json");

describe("random (uniform doubles)", () => {
  it.each(v.random.map((r, i) => [i, r] as const))("reproduces uniforms of vector %i", (_i, r) => {
    expect(Array.from(rngFromSeed(r.seed, r.numHashes).random(r.random.length))).toEqual(r.random);
  });

  it("matches nextDouble draw by draw and numpy 2.4 for SeedSequence(7)", () => {
    const g = new Generator(new Pcg64(new SeedSequence([7])));
    const u = g.random(3);
    expect(Array.from(u)).toEqual(NUMPY_7);
    const h = new Pcg64(new SeedSequence([7]));
    expect([h.nextDouble(), h.nextDouble(), h.nextDouble()]).toEqual(NUMPY_7);
  });
});

// numpy 2.4: Generator(PCG64(SeedSequence(7))).random(3)
const NUMPY_7 = [0.625095466604667, 0.8972138009695755, 0.7756856902451935];
