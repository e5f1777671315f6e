/**
 * The signed proof route (spec §9.4): the bytes a validator signs to ask a participant for MMR
 * proofs (`POST /v1/poc/proofs`), the bytes the participant signs over its answer, and signing /
 * verifying them with a secp256k1 account key (64-byte `r‖s`, low-S, over SHA-256 of those bytes).
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { InvalidArgumentError } from "../../errors.js";
import { decodeBase64, encodeBase64, encodeHex, LeWriter, requireBigInt, requireBytes, requireInt, utf8 } from "./bytes.js";

/** The most leaf indices one proof request may ask for. */
export const MAX_PROOF_LEAF_INDICES = 500;
/** How far a request's timestamp may be from the server's clock (±5 minutes, in nanoseconds). */
export const PROOF_REQUEST_MAX_SKEW_NS = 5n * 60n * 1_000_000_000n;

const I64 = [-(1n << 63n), (1n << 63n) - 1n] as const;

/** The signed fields of a proof request. */
export interface ProofRequestFields {
  pocStageStartBlockHeight: number | bigint;
  modelId: string;
  /** The committed root (32 bytes). */
  rootHash: Uint8Array;
  count: number;
  leafIndices: number[];
  /** Unix time in nanoseconds. */
  timestamp: bigint | number;
  /** The validator's (cold) account address. */
  validatorAddress: string;
  /** The signing account: the validator itself or a warm key with a grant for `MsgSubmitPocValidationsV2`. */
  validatorSignerAddress: string;
}

function hexText(digest: Uint8Array): Uint8Array {
  return utf8(encodeHex(digest));
}

/**
 * The bytes signed for a proof request: the ASCII lower-case hex (64 bytes) of
 * `SHA256(LE64(height) ‖ LE32(len) ‖ model ‖ root ‖ LE32(count) ‖ LE32(n) ‖ LE32(idx)… ‖ LE64(ts) ‖ LE32(len) ‖ validator ‖ LE32(len) ‖ signer)`.
 */
export function proofRequestSignBytes(f: ProofRequestFields): Uint8Array {
  const w = new LeWriter();
  w.u64(requireBigInt(f.pocStageStartBlockHeight, "pocStageStartBlockHeight", ...I64));
  w.lenString(requireString(f.modelId, "modelId"));
  w.bytes(requireBytes(f.rootHash, "rootHash", 32));
  w.u32(requireInt(f.count, "count", 0, 0xffffffff));
  if (!Array.isArray(f.leafIndices)) throw new InvalidArgumentError("leafIndices", "expected an array of integers");
  w.u32(f.leafIndices.length);
  f.leafIndices.forEach((i, k) => w.u32(requireInt(i, `leafIndices[${k}]`, 0, 0xffffffff)));
  w.u64(requireBigInt(f.timestamp, "timestamp", ...I64));
  w.lenString(requireString(f.validatorAddress, "validatorAddress"));
  w.lenString(requireString(f.validatorSignerAddress, "validatorSignerAddress"));
  return hexText(sha256(w.finish()));
}

/** One proof of a response, with its vector and hashes as the base64 strings sent on the wire. */
export interface ProofResponseEntryText {
  leafIndex: number;
  nonceValue: number;
  /** `vector_bytes` exactly as sent (standard base64). */
  vectorBytes: string;
  /** `proof` exactly as sent (standard base64 strings). */
  proof: string[];
}

/** The signed fields of a proof response. */
export interface ProofResponseFields {
  pocStageStartBlockHeight: number | bigint;
  modelId: string;
  rootHash: Uint8Array;
  count: number;
  proofs: ProofResponseEntryText[];
  timestamp: bigint | number;
  signerAddress: string;
}

/**
 * The bytes the participant signs over its proof response: the ASCII hex of
 * `SHA256(LE64(height) ‖ LE32(len) ‖ model ‖ root ‖ LE32(count) ‖ SHA256(for each proof: LE32(leaf) ‖ LE32(nonce) ‖ vector_b64 text ‖ proof_b64 texts…) ‖ LE64(ts) ‖ LE32(len) ‖ signer)`.
 * The base64 **texts** are hashed, not the bytes they encode. (Validators at 8a35022b do not check it.)
 */
export function proofResponseSignBytes(f: ProofResponseFields): Uint8Array {
  if (!Array.isArray(f.proofs)) throw new InvalidArgumentError("proofs", "expected an array");
  const inner = new LeWriter();
  f.proofs.forEach((p, k) => {
    inner.u32(requireInt(p.leafIndex, `proofs[${k}].leafIndex`, 0, 0xffffffff));
    inner.u32(requireInt(p.nonceValue, `proofs[${k}].nonceValue`, -(2 ** 31), 0xffffffff));
    inner.bytes(utf8(requireString(p.vectorBytes, `proofs[${k}].vectorBytes`)));
    if (!Array.isArray(p.proof)) throw new InvalidArgumentError(`proofs[${k}].proof`, "expected an array of base64 strings");
    p.proof.forEach((h, j) => inner.bytes(utf8(requireString(h, `proofs[${k}].proof[${j}]`))));
  });
  const w = new LeWriter();
  w.u64(requireBigInt(f.pocStageStartBlockHeight, "pocStageStartBlockHeight", ...I64));
  w.lenString(requireString(f.modelId, "modelId"));
  w.bytes(requireBytes(f.rootHash, "rootHash", 32));
  w.u32(requireInt(f.count, "count", 0, 0xffffffff));
  w.bytes(sha256(inner.finish()));
  w.u64(requireBigInt(f.timestamp, "timestamp", ...I64));
  w.lenString(requireString(f.signerAddress, "signerAddress"));
  return hexText(sha256(w.finish()));
}

function requireString(s: unknown, argument: string): string {
  if (typeof s !== "string") throw new InvalidArgumentError(argument, `expected a string, got ${typeof s}`);
  return s;
}

/** Anything that signs `sha256(bytes)` with a secp256k1 account key (a gonka-sdk `Wallet` or `TxSigner`). */
export interface PocProofSigner {
  signBytes(bytes: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/**
 * Signs a proof request; returns the `signature` field (standard base64 of the 64-byte `r‖s`).
 *
 * @example
 * ```ts
 * const signature = await signProofRequest(wallet, { pocStageStartBlockHeight, modelId, rootHash, count, leafIndices,
 *   timestamp: BigInt(Date.now()) * 1_000_000n, validatorAddress: wallet.address, validatorSignerAddress: wallet.address });
 * ```
 */
export async function signProofRequest(signer: PocProofSigner, fields: ProofRequestFields): Promise<string> {
  return signWith(signer, proofRequestSignBytes(fields));
}

/** Signs a proof response; returns the `signature` field (standard base64). */
export async function signProofResponse(signer: PocProofSigner, fields: ProofResponseFields): Promise<string> {
  return signWith(signer, proofResponseSignBytes(fields));
}

async function signWith(signer: PocProofSigner, bytes: Uint8Array): Promise<string> {
  if (!signer || typeof signer.signBytes !== "function") throw new InvalidArgumentError("signer", "expected an object with signBytes(bytes) (e.g. a gonka-sdk Wallet)");
  const sig = await signer.signBytes(bytes);
  requireBytes(sig, "signature", 64);
  return encodeBase64(sig);
}

/**
 * Verifies a base64 proof-request signature against the signer's 33-byte compressed public key
 * (low-S only, as the chain requires). Returns `false` for a bad signature or bad base64.
 */
export function verifyProofRequestSignature(fields: ProofRequestFields, signatureB64: string, publicKey: Uint8Array): boolean {
  return verifyWith(proofRequestSignBytes(fields), signatureB64, publicKey);
}

/** Verifies a base64 proof-response signature (see {@link verifyProofRequestSignature}). */
export function verifyProofResponseSignature(fields: ProofResponseFields, signatureB64: string, publicKey: Uint8Array): boolean {
  return verifyWith(proofResponseSignBytes(fields), signatureB64, publicKey);
}

function verifyWith(bytes: Uint8Array, signatureB64: string, publicKey: Uint8Array): boolean {
  requireBytes(publicKey, "publicKey", 33);
  let sig: Uint8Array;
  try {
    sig = decodeBase64(signatureB64, "signature", 64);
  } catch {
    return false;
  }
  try {
    return secp256k1.verify(sig, bytes, publicKey, { prehash: true, lowS: true });
  } catch {
    return false;
  }
}
