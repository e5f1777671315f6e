/**
 * The uniform draw a validator compares with its sampling probability (inference-flow.md §5.3):
 * `u = BE_uint64(sha256(dec(seed) ‖ ":" ‖ id)[0:8]) / (2^64 − 1)`, a decimal with 16 digits
 * after the point.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { InvalidArgumentError } from "../../errors.js";
import { Decimal } from "./decimal.js";

const encoder = new TextEncoder();
const MAX_U64 = new Decimal(0xffffffffffffffffn, 0);

/** The first 8 bytes of `sha256(dec(seed) ‖ ":" ‖ id)` as a big-endian uint64. */
export function seededHash64(seed: bigint, id: string | bigint | number): bigint {
  if (typeof seed !== "bigint") throw new InvalidArgumentError("seed", "expected a bigint (seeds exceed 2^53)");
  const h = sha256(encoder.encode(`${seed.toString()}:${String(id)}`));
  return new DataView(h.buffer, h.byteOffset, 8).getBigUint64(0);
}

/**
 * `DeterministicFloat(seed, id)`: the validator's uniform draw in [0, 1] for an inference id.
 * `seed` is printed as a signed decimal (`-7`, `6319769218445448120`).
 *
 * @example
 * ```ts
 * deterministicFloat(0n, "r2TqxJKA…PkA==").toString(); // "0.4313374607173877"
 * ```
 */
export function deterministicFloat(seed: bigint, id: string): Decimal {
  if (typeof id !== "string") throw new InvalidArgumentError("id", "expected the inference id string");
  return new Decimal(seededHash64(seed, id), 0).div(MAX_U64);
}
