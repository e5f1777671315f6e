/**
 * A validator's per-epoch seed (inference-flow.md §5.2): the first 8 bytes of its signature over
 * the epoch index, as a non-negative int64. The node reveals it in `MsgClaimRewards.seed` and
 * commits to it in `MsgSubmitSeed.signature`.
 */
import { bytesToHex } from "@noble/hashes/utils.js";
import { InvalidArgumentError } from "../../errors.js";
import { parsePrivateKey, signSha256, type PrivateKeyInput } from "../keys.js";

/** Arguments of {@link validatorSeed}. */
export interface ValidatorSeedArgs {
  /** The node's signer key (account key or its ML-ops/warm grantee key). */
  privateKey: PrivateKeyInput;
  /** The epoch index. */
  epoch: bigint | number;
}

/** What {@link validatorSeed} returns. */
export interface ValidatorSeed {
  /** The seed, a non-negative int64 (never 0). */
  seed: bigint;
  /** Hex of the 64-byte signature over the epoch index (the seed's source). */
  epochSignature: string;
  /** Hex of the 64-byte signature over the seed: `MsgSubmitSeed.signature`. */
  seedSignature: string;
}

function u64be(v: bigint, what: string): Uint8Array {
  if (v < 0n || v > 0xffffffffffffffffn) throw new InvalidArgumentError(what, "must fit in 64 bits");
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v);
  return out;
}

function toBigInt(v: bigint | number, what: string): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  throw new InvalidArgumentError(what, "expected a bigint or a safe integer");
}

/**
 * The seed of a 64-byte signature: big-endian first 8 bytes with the top bit cleared, 1 if 0.
 */
export function seedFromSignature(signature: Uint8Array): bigint {
  if (!(signature instanceof Uint8Array) || signature.length < 8) throw new InvalidArgumentError("signature", "expected at least 8 bytes");
  const v = new DataView(signature.buffer, signature.byteOffset, 8).getBigUint64(0) & 0x7fffffffffffffffn;
  return v === 0n ? 1n : v;
}

/**
 * Computes a validator's seed for an epoch: `seed = int64(BE_uint64(sig[0:8]) & (2^63 − 1))`
 * (1 if 0), where `sig` signs the 8-byte big-endian epoch index with the §2.2 algorithm
 * (ECDSA over SHA-256, RFC 6979, low S). Also returns the `MsgSubmitSeed` signature.
 *
 * @example
 * ```ts
 * validatorSeed({ privateKey, epoch: 412n }).seed; // 6319769218445448120n
 * ```
 */
export function validatorSeed(args: ValidatorSeedArgs): ValidatorSeed {
  const epoch = toBigInt(args.epoch, "epoch");
  const secret = parsePrivateKey(args.privateKey);
  try {
    const sig = signSha256(secret, u64be(epoch, "epoch"));
    const seed = seedFromSignature(sig);
    const seedSig = signSha256(secret, u64be(seed, "seed"));
    return { seed, epochSignature: bytesToHex(sig), seedSignature: bytesToHex(seedSig) };
  } finally {
    secret.fill(0);
  }
}
