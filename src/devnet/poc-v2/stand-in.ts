/**
 * The devnet's **stand-in for the served model** in PoC v2. It is NOT the model: a real host runs
 * the served model (e.g. FP8 Qwen3-235B on GPUs) on seeded input tensors and takes the last
 * token's hidden state. The stand-in replaces only that forward pass with a deterministic function
 * of (block hash, public key, nonce, model, seq_len): seeded Box–Muller normals of
 * {@link STAND_IN_HIDDEN_SIZE} values. Everything after it is the network's own post-processing
 * (`artifactFromHidden`: normalise, pick 12 coordinates, Haar-rotate, float16), so artifacts,
 * stores, MMR roots, proofs, sampling and the statistical test all run exactly as on mainnet.
 *
 * A *dishonest* stand-in computes a different "model" for some or all nonces, so its artifacts do
 * not reproduce on an honest stand-in and the validators' binomial test catches it.
 * @module
 */
import { artifactFromHidden, normals, seedFromString, type PocArtifact } from "../../poc/v2/index.js";
import { InvalidArgumentError } from "../../errors.js";

/** Length of the stand-in's "hidden state" (the real Qwen3-235B has 4096). */
export const STAND_IN_HIDDEN_SIZE = 256;

/** What the stand-in MLNode says about itself in its answers (`note`) and docs. */
export const STAND_IN_NOTE =
  "devnet stand-in for the served model: hidden states are seeded normals of (block hash, public key, nonce, model), not a forward pass of the model; artifacts are then made by the network's real post-processing (artifactFromHidden)";

/** Response header every stand-in PoC v2 answer carries. */
export const STAND_IN_HEADER = "x-gonka-devnet-stand-in-model";

/** Who the stand-in pretends to be: honest, or a cheater (`true`: every nonce; a number in (0, 1]: that fraction of nonces). */
export type StandInHonesty = boolean | number;

/** Arguments of {@link standInArtifact}. */
export interface StandInArgs {
  blockHash: string;
  publicKey: string;
  nonce: number;
  /** The model id the stand-in "serves". */
  model: string;
  /** `params.seq_len` (the real inputs depend on it, so the stand-in does too). */
  seqLen: number;
  /** `params.k_dim` (default 12). */
  kDim?: number;
  /** `poc_stronger_rng`. */
  strongerRng?: boolean;
}

/**
 * The stand-in's last-token "hidden state" of a nonce: {@link STAND_IN_HIDDEN_SIZE} seeded normals.
 *
 * @example
 * ```ts
 * const h = standInHidden({ blockHash, publicKey, nonce: 7, model: "Qwen/Qwen2.5-7B-Instruct", seqLen: 1024 });
 * ```
 */
export function standInHidden(a: StandInArgs): Float32Array {
  if (typeof a.model !== "string" || a.model === "") throw new InvalidArgumentError("model", "the stand-in needs the model id it serves");
  if (!Number.isSafeInteger(a.nonce)) throw new InvalidArgumentError("nonce", `must be an integer, got ${String(a.nonce)}`);
  const seed = `gonka-devnet-stand-in|${a.model}|seq_len=${a.seqLen}|stronger_rng=${a.strongerRng === true}|${a.blockHash}_${a.publicKey}_nonce${a.nonce}`;
  return normals(seedFromString(seed), STAND_IN_HIDDEN_SIZE);
}

/**
 * The artifact the stand-in produces for a nonce: {@link standInHidden} through the network's
 * `artifactFromHidden`.
 */
export function standInArtifact(a: StandInArgs): PocArtifact {
  return artifactFromHidden({ blockHash: a.blockHash, publicKey: a.publicKey, nonce: a.nonce, hidden: standInHidden(a), ...(a.kDim !== undefined ? { k: a.kDim } : {}) });
}

/** The "model" a dishonest stand-in computes instead of the served one. */
export function dishonestModelOf(model: string): string {
  return `${model} (dishonest devnet stand-in)`;
}

/** Whether a stand-in with this honesty forges `nonce` (deterministic per nonce). */
export function forges(honesty: StandInHonesty | undefined, nonce: number): boolean {
  if (honesty === undefined || honesty === false || honesty === 0) return false;
  if (honesty === true || honesty >= 1) return true;
  return seedFromString(`gonka-devnet-stand-in|forge|${nonce}`) / 2 ** 32 < honesty;
}

/** Checks a `dishonest` option. */
export function checkHonesty(value: unknown, name: string): StandInHonesty {
  if (value === undefined) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number" && value >= 0 && value <= 1) return value;
  throw new InvalidArgumentError(name, `expected true/false or the fraction of forged nonces in [0, 1], got ${String(value)}`);
}
