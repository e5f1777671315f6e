/**
 * What the in-browser vector suite ({@link ./vectors.ts}) must run: the fixture shapes, the
 * retired wire.json vectors, and how many checks each section has — computed from the fixture
 * files, so a check that silently did not run fails the Node-side count assertion.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

/** A section of the suite. `webgpu` runs only where an adapter exists. */
export type Section = "keys" | "txs" | "rng" | "poc" | "webgpu" | "pocv2" | "inference";

/** One check's outcome. */
export interface VectorResult {
  section: Section;
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

/** The fixture files the suite reads (loosely typed: it is data). */
export interface Fixtures {
  wire: { keys: any[]; txs: any[] };
  upgrades: { keys: any[]; txs: any[] };
  rng: { entropy: any[]; seedSequence: any[]; pcg64: any[]; standardNormal: any[]; permutation: any[]; random: any[] };
  poc: { cases: { name: string; params: any; blockHash: string; publicKey: string; nonces: number[]; distances: number[] }[] };
  pocv2: any;
  inference: any;
}

/**
 * wire.json vectors retired at chain v0.2.13 (the same list as test/proto/helpers.ts
 * STALE_WIRE_VECTORS; the browser bundle cannot import that file, which reads from disk).
 */
export const STALE_WIRE_DESCRIPTIONS: readonly string[] = [
  "gov proposal: inference params",
  "poc validation",
  "grant-ml-ops-permissions (25 grants)",
  "gov proposal on a test chain",
];

/** How many checks each section runs for these fixtures. */
export function expectedVectorCounts(f: Fixtures): Record<Section, number> {
  let chains = 0;
  f.rng.permutation.forEach((p: { afterPrevious: boolean }, i: number) => (!p.afterPrevious || i === 0 ? chains++ : 0));
  const V = f.pocv2;
  return {
    keys: f.wire.keys.length,
    txs: f.wire.txs.filter((t) => !STALE_WIRE_DESCRIPTIONS.includes(t.description)).length + f.upgrades.txs.length,
    rng: f.rng.entropy.length + f.rng.seedSequence.length + f.rng.pcg64.length + f.rng.standardNormal.length + chains + f.rng.random.length,
    poc: f.poc.cases.length,
    webgpu: f.poc.cases.length,
    pocv2: V.go.mmr.verify.length + 1 + V.go.sample_leaf_indices.length + V.torch.fraud_test.cases.length + V.torch.fraud_test.critical.length,
    inference: f.inference.requestSignatures.length + f.inference.decimalFromFloat.length + f.inference.validation.logprobDistance.length,
  };
}
