/**
 * Which leaves a validator asks a participant to prove (spec §11.2): a seeded, lazy Fisher–Yates
 * draw over `0…count-1` with Go's `math/rand`, exactly as the network node does it.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { InvalidArgumentError } from "../../errors.js";
import { requireBigInt, requireInt, utf8 } from "./bytes.js";
import { GoRand } from "./go-rand.js";

/** Mainnet's `validation_sample_size`. The chain's 0 means this value; apply it yourself (see {@link sampleLeafIndices}). */
export const DEFAULT_VALIDATION_SAMPLE_SIZE = 200;

/** What {@link sampleLeafIndices} needs. */
export interface SampleLeafIndicesArgs {
  /** The validator's public key as the network node formats it (lower-case hex of the 33-byte key). */
  validatorPubKey: string;
  /** The sampling block hash: the **current** block hash when validation starts (upper-case hex), not the generation hash. */
  blockHash: string;
  /** The PoC stage start height (`poc_stage_start_block_height`). */
  blockHeight: number | bigint;
  modelId: string;
  /** The committed count of the participant's store for this model. */
  count: number;
  /** How many leaves to sample. 0 gives none: the network node maps the chain's 0 to 200 before calling (do the same). */
  sampleSize: number;
}

/** The sampling seed string: `"{validatorPubKey}:{blockHash}:{blockHeight}:{modelId}"`. */
export function leafSamplingSeedInput(args: Pick<SampleLeafIndicesArgs, "validatorPubKey" | "blockHash" | "blockHeight" | "modelId">): string {
  return `${args.validatorPubKey}:${args.blockHash}:${BigInt(args.blockHeight)}:${args.modelId}`;
}

/** The sampling seed: the first 8 bytes of `sha256(seedInput)`, big-endian, as a signed int64. */
export function leafSamplingSeed(seedInput: string): bigint {
  const d = sha256(utf8(seedInput));
  return new DataView(d.buffer, d.byteOffset, 8).getBigInt64(0, false);
}

/**
 * The leaf indices a validator samples from a participant's committed store, in draw order.
 * `count ≤ sampleSize` gives every index `0…count-1`; otherwise `sampleSize` distinct indices from
 * a lazy Fisher–Yates shuffle driven by Go's `rand.New(rand.NewSource(seed))` (`j = i + Intn(count-i)`).
 * `count` 0 or `sampleSize` 0 give `[]` (Go's `nil`).
 *
 * @example
 * ```ts
 * sampleLeafIndices({ validatorPubKey, blockHash, blockHeight: 3450121, modelId, count: 12345, sampleSize: 10 });
 * // [1847, 1650, 5296, 3520, 2267, 10610, 564, 12016, 6716, 1956]
 * ```
 */
export function sampleLeafIndices(args: SampleLeafIndicesArgs): number[] {
  const { validatorPubKey, blockHash, modelId } = args;
  for (const [name, v] of [["validatorPubKey", validatorPubKey], ["blockHash", blockHash], ["modelId", modelId]] as const) {
    if (typeof v !== "string") throw new InvalidArgumentError(name, `expected a string, got ${typeof v}`);
  }
  const blockHeight = requireBigInt(args.blockHeight, "blockHeight", -(1n << 63n), (1n << 63n) - 1n);
  const count = requireInt(args.count, "count", 0, 0xffffffff);
  const sampleSize = requireInt(args.sampleSize, "sampleSize", 0, 0xffffffff);
  if (count === 0 || sampleSize === 0) return [];
  if (count <= sampleSize) return Array.from({ length: count }, (_, i) => i);
  const rng = new GoRand(leafSamplingSeed(leafSamplingSeedInput({ validatorPubKey, blockHash, blockHeight, modelId })));
  const swapped = new Map<number, number>();
  const out: number[] = new Array(sampleSize);
  for (let i = 0; i < sampleSize; i++) {
    const j = i + rng.intn(count - i);
    const vi = swapped.get(i) ?? i;
    const vj = swapped.get(j) ?? j;
    swapped.set(i, vj);
    swapped.set(j, vi);
    out[i] = vj;
  }
  return out;
}
