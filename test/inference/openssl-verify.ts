/**
 * An independent verifier for inference signatures, built on node:crypto (OpenSSL) only: it
 * builds the payload itself, verifies ECDSA over sha256(payload) and rejects high-S like the
 * Cosmos SDK. Nothing from src/inference is used here.
 */
import { createHash, createPublicKey, verify } from "node:crypto";

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
// SubjectPublicKeyInfo header for an id-ecPublicKey on secp256k1 with a 33-byte compressed point.
const SPKI_PREFIX = Buffer.from("3036301006072a8648ce3d020106052b8104000a032200", "hex");

export interface OpensslVerifyArgs {
  authorization: string;
  body: Uint8Array | string;
  timestampNs: string | bigint;
  transferAddress: string;
  publicKey: Uint8Array | string;
  scheme?: "hashed-body" | "raw-body";
}

export function opensslPayload(args: Omit<OpensslVerifyArgs, "authorization" | "publicKey">): Buffer {
  const body = typeof args.body === "string" ? Buffer.from(args.body, "utf8") : Buffer.from(args.body);
  const head = args.scheme === "raw-body" ? body : Buffer.from(createHash("sha256").update(body).digest("hex"), "ascii");
  return Buffer.concat([head, Buffer.from(`${args.timestampNs.toString()}${args.transferAddress}`, "ascii")]);
}

function keyBytes(k: Uint8Array | string): Buffer {
  if (typeof k !== "string") return Buffer.from(k);
  return /^0[23][0-9a-f]{64}$/i.test(k) ? Buffer.from(k, "hex") : Buffer.from(k, "base64");
}

export function opensslVerify(args: OpensslVerifyArgs): boolean {
  const sig = Buffer.from(args.authorization, "base64");
  if (sig.length !== 64 || sig.toString("base64") !== args.authorization) return false;
  const s = BigInt("0x" + sig.subarray(32).toString("hex"));
  if (s > SECP256K1_N / 2n) return false; // high-S is rejected by the chain
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, keyBytes(args.publicKey)]), format: "der", type: "spki" });
  return verify("sha256", opensslPayload(args), { key, dsaEncoding: "ieee-p1363" }, sig);
}

/** Flips S to n − S (a valid but high-S signature when S was low). */
export function toHighS(sig: Uint8Array): Uint8Array {
  const s = BigInt("0x" + Buffer.from(sig.subarray(32)).toString("hex"));
  const high = (SECP256K1_N - s).toString(16).padStart(64, "0");
  return Uint8Array.from([...sig.subarray(0, 32), ...Buffer.from(high, "hex")]);
}
