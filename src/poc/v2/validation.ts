/**
 * What a validator does around the recomputation (spec §11.3–§11.4): check a proof response
 * (coverage, fp16 validity, MMR proofs, duplicate nonces, porosity), compare recomputed artifacts
 * with the received ones, and run the binomial fraud test.
 */
import { InvalidArgumentError } from "../../errors.js";
import { binomialUpperTail } from "../binomial.js";
import { artifactDistance, checkFp16Vector, decodeVector, type PocArtifact } from "./artifact.js";
import { decodeBase64, encodeBase64, requireInt } from "./bytes.js";
import { DuplicateNonceError, InvalidFp16VectorError, PorosityTooHighError, ProofCoverageError } from "./errors.js";
import { checkMmrProof } from "./mmr.js";
import { DEFAULT_K_DIM } from "./pick.js";

/** Arguments of {@link fraudTest}. */
export interface FraudTestArgs {
  nMismatch: number;
  nTotal: number;
  /** The honest per-nonce mismatch probability (`p_mismatch`, 0.1 on mainnet). */
  pMismatch: number;
  /** Fraud when the p-value is below this (`fraud_threshold`; vLLM uses 0.01 on mainnet, see the docs). */
  fraudThreshold: number;
}

/**
 * The binomial test of vLLM's validation: `pValue = P(X ≥ nMismatch)` for
 * `X ~ Binomial(nTotal, pMismatch)` (scipy `binomtest(…, alternative="greater")`), `nTotal` 0 gives
 * 1; `fraudDetected = pValue < fraudThreshold`. Agrees with scipy to ~1e-13 relative.
 *
 * @example
 * ```ts
 * fraudTest({ nMismatch: 31, nTotal: 200, pMismatch: 0.1, fraudThreshold: 0.01 }); // { pValue: 0.00950…, fraudDetected: true }
 * ```
 */
export function fraudTest(args: FraudTestArgs): { pValue: number; fraudDetected: boolean } {
  const { nMismatch, nTotal, pMismatch, fraudThreshold } = args;
  requireInt(nTotal, "nTotal", 0, Number.MAX_SAFE_INTEGER);
  requireInt(nMismatch, "nMismatch", 0, nTotal);
  if (!(pMismatch >= 0 && pMismatch <= 1)) throw new InvalidArgumentError("pMismatch", `must be in [0, 1], got ${String(pMismatch)}`);
  if (typeof fraudThreshold !== "number" || Number.isNaN(fraudThreshold)) throw new InvalidArgumentError("fraudThreshold", "must be a number");
  const pValue = nTotal === 0 ? 1 : binomialUpperTail(nMismatch, nTotal, pMismatch);
  return { pValue, fraudDetected: pValue < fraudThreshold };
}

/**
 * The smallest mismatch count that {@link fraudTest} calls fraud for `nTotal` samples, or `null`
 * when none does (e.g. 28 of 200 at threshold 0.05, 31 of 200 at 0.01, with `pMismatch` 0.1).
 */
export function minMismatchesForFraud(args: Omit<FraudTestArgs, "nMismatch">): number | null {
  for (let k = 0; k <= args.nTotal; k++) if (fraudTest({ ...args, nMismatch: k }).fraudDetected) return k;
  return null;
}

/** Arguments of {@link compareArtifacts}. */
export interface CompareArtifactsArgs {
  /** The nonces the validator asked to recompute (`n_total` is their number). */
  nonces: number[];
  /** The validator's recomputed artifacts (nonces the model failed on — NaN rows — are simply absent). */
  computed: PocArtifact[];
  /** The participant's artifacts as received (base64 vectors, possibly malformed). */
  received: PocArtifact[];
  /** `dist_threshold` of the model (0.2 Qwen3-235B, 0.4 Kimi-K2.6, 0.75 MiniMax-M2.7). */
  distThreshold: number;
  pMismatch: number;
  fraudThreshold: number;
  /** `k_dim`; default 12. */
  kDim?: number;
}

/** The verdict of {@link compareArtifacts}, in the shape vLLM posts to `/validated`. */
export interface ArtifactComparison {
  nTotal: number;
  nMismatch: number;
  /** Mismatching nonces, in `computed` order. */
  mismatchNonces: number[];
  pValue: number;
  fraudDetected: boolean;
  /** Per compared nonce: the float32 L2 distance (NaN/Inf for non-finite vectors), `null` when the received vector does not decode. */
  distances: Map<number, number | null>;
}

/**
 * The artifact comparison of vLLM's validation: for each recomputed artifact whose nonce was
 * received, a mismatch when the received vector does not decode to `kDim` values, holds a
 * non-finite value, or lies farther than `distThreshold` (float32 L2, strict `>`). Nonces without a
 * recomputed artifact count in `nTotal` but are neither matches nor mismatches. Then
 * {@link fraudTest}.
 *
 * @throws {DuplicateNonceError} when `received` repeats a nonce.
 */
export function compareArtifacts(args: CompareArtifactsArgs): ArtifactComparison {
  const { nonces, computed, received, distThreshold, pMismatch, fraudThreshold, kDim = DEFAULT_K_DIM } = args;
  if (!Array.isArray(nonces)) throw new InvalidArgumentError("nonces", "expected an array");
  if (!Array.isArray(computed) || !Array.isArray(received)) throw new InvalidArgumentError("computed/received", "expected arrays of { nonce, vectorB64 }");
  if (typeof distThreshold !== "number" || Number.isNaN(distThreshold)) throw new InvalidArgumentError("distThreshold", "must be a number");
  const byNonce = new Map<number, string>();
  for (const r of received) {
    if (byNonce.has(r.nonce)) throw new DuplicateNonceError("received", r.nonce);
    byNonce.set(r.nonce, r.vectorB64);
  }
  const distances = new Map<number, number | null>();
  const mismatchNonces: number[] = [];
  for (const c of computed) {
    const got = byNonce.get(c.nonce);
    if (got === undefined) continue;
    let theirs: Float32Array | null = null;
    try {
      theirs = decodeVector(got, kDim);
    } catch (e) {
      if (!(e instanceof InvalidFp16VectorError) && !(e instanceof InvalidArgumentError)) throw e;
    }
    if (theirs === null) {
      distances.set(c.nonce, null);
      mismatchNonces.push(c.nonce);
      continue;
    }
    const d = artifactDistance(decodeVector(c.vectorB64, kDim), theirs);
    distances.set(c.nonce, d);
    if (!theirs.every(Number.isFinite) || !(d <= distThreshold)) mismatchNonces.push(c.nonce);
  }
  const nTotal = nonces.length;
  const nMismatch = mismatchNonces.length;
  return { nTotal, nMismatch, mismatchNonces, ...fraudTest({ nMismatch, nTotal, pMismatch, fraudThreshold }), distances };
}

/** The porosity of a participant's sampled nonces against its committed count. */
export interface Porosity {
  /** `max |nonce|` over the nonces (0 for none, and 0 when `count` is 0). */
  maxAbsNonce: number;
  /** `maxAbsNonce / count` (float64; 0 when `count` is 0). */
  porosity: number;
  /** `porosity ≥ 100`: the validator rejects the participant. */
  tooHigh: boolean;
}

/** The porosity check of spec §11.3: `max|nonce| / count` must stay below 100. */
export function porosity(args: { nonces: number[]; count: number }): Porosity {
  const count = requireInt(args.count, "count", 0, 0xffffffff);
  if (!Array.isArray(args.nonces)) throw new InvalidArgumentError("nonces", "expected an array of int32");
  if (count === 0) return { maxAbsNonce: 0, porosity: 0, tooHigh: false }; // as the network node: nothing committed, nothing to judge
  let maxAbsNonce = 0;
  for (const n of args.nonces) {
    requireInt(n, "nonces[]", -(2 ** 31), 2 ** 31 - 1);
    maxAbsNonce = Math.max(maxAbsNonce, Math.abs(n));
  }
  const p = maxAbsNonce / count;
  return { maxAbsNonce, porosity: p, tooHigh: p >= 100 };
}

/** One decoded entry of a `POST /v1/poc/proofs` response. */
export interface ProofEntry {
  leafIndex: number;
  /** `nonce_value` (int32). */
  nonce: number;
  vectorBytes: Uint8Array;
  proof: Uint8Array[];
}

/** One entry of a proof response as JSON carries it. */
export interface ProofEntryJson {
  leaf_index: number | string;
  nonce_value: number | string;
  vector_bytes: string;
  proof: string[];
}

function jsonInt(v: unknown, argument: string, min: number, max: number): number {
  const n = typeof v === "string" && /^-?[0-9]+$/.test(v) ? Number(v) : v;
  return requireInt(n, argument, min, max);
}

/**
 * Decodes the `proofs` array of a `POST /v1/poc/proofs` response (base64 vectors and hashes).
 *
 * @throws {InvalidEncodingError} for bad base64.
 * @throws {InvalidArgumentError} for a missing or non-integer field.
 */
export function parseProofEntries(proofs: unknown): ProofEntry[] {
  if (!Array.isArray(proofs)) throw new InvalidArgumentError("proofs", "expected an array");
  return proofs.map((p: ProofEntryJson, i) => {
    if (p === null || typeof p !== "object") throw new InvalidArgumentError(`proofs[${i}]`, "expected an object");
    if (!Array.isArray(p.proof)) throw new InvalidArgumentError(`proofs[${i}].proof`, "expected an array of base64 hashes");
    return {
      leafIndex: jsonInt(p.leaf_index, `proofs[${i}].leaf_index`, 0, 0xffffffff),
      nonce: jsonInt(p.nonce_value, `proofs[${i}].nonce_value`, -(2 ** 31), 2 ** 31 - 1),
      vectorBytes: decodeBase64(p.vector_bytes, `proofs[${i}].vector_bytes`),
      proof: p.proof.map((h, j) => decodeBase64(h, `proofs[${i}].proof[${j}]`)),
    };
  });
}

/** Arguments of {@link checkProofResponse}. */
export interface CheckProofResponseArgs {
  /** The leaf indices the validator requested. */
  leafIndices: number[];
  proofs: ProofEntry[];
  /** The participant's committed root and count. */
  root: Uint8Array;
  count: number;
  kDim?: number;
}

/**
 * The validator's checks on a proof response before recomputation (spec §11.3), in the network
 * node's order: exact coverage of the requested indices, fp16 validity of every vector, every MMR
 * proof, no nonce twice, porosity below 100. Any failure is permanent (`validated_weight = -1`).
 * Returns the verified artifacts in response order.
 *
 * @throws {ProofCoverageError | InvalidFp16VectorError | MmrProofError | DuplicateNonceError | PorosityTooHighError}
 */
export function checkProofResponse(args: CheckProofResponseArgs): PocArtifact[] {
  const { leafIndices, proofs, root, count, kDim = DEFAULT_K_DIM } = args;
  if (!Array.isArray(leafIndices) || !Array.isArray(proofs)) throw new InvalidArgumentError("leafIndices/proofs", "expected arrays");
  const wanted = new Set(leafIndices);
  const seen = new Set<number>();
  const repeated: number[] = [];
  const unexpected: number[] = [];
  for (const p of proofs) {
    if (seen.has(p.leafIndex)) repeated.push(p.leafIndex);
    else if (!wanted.has(p.leafIndex)) unexpected.push(p.leafIndex);
    seen.add(p.leafIndex);
  }
  const missing = [...wanted].filter((i) => !seen.has(i));
  if (missing.length || unexpected.length || repeated.length) throw new ProofCoverageError(missing, unexpected, repeated);
  for (const p of proofs) {
    try {
      checkFp16Vector(p.vectorBytes, kDim);
    } catch (e) {
      if (e instanceof InvalidFp16VectorError) {
        throw new InvalidFp16VectorError(`proofs[leaf ${p.leafIndex}].vector_bytes`, e.reason, e.upstreamMessage, e.byteOffset);
      }
      throw e;
    }
  }
  for (const p of proofs) checkMmrProof({ root, count, leafIndex: p.leafIndex, nonce: p.nonce, vectorBytes: p.vectorBytes, proof: p.proof });
  const nonces = new Set<number>();
  for (const p of proofs) {
    if (nonces.has(p.nonce)) throw new DuplicateNonceError("proofs", p.nonce);
    nonces.add(p.nonce);
  }
  const por = porosity({ nonces: proofs.map((p) => p.nonce), count });
  if (por.tooHigh) throw new PorosityTooHighError(por.porosity, por.maxAbsNonce, count);
  return proofs.map((p) => ({ nonce: p.nonce, vectorB64: encodeBase64(p.vectorBytes) }));
}
