/**
 * Signature and address checks of the devnet chain, written against node:crypto (OpenSSL) so that
 * they are independent of the SDK's noble-based signing code.
 */
import { createHash, createPublicKey, createVerify, ECDH } from "node:crypto";
import { bech32 } from "@scure/base";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Verifies a 64-byte r‖s secp256k1 signature over sha256(message); rejects high-S like the SDK. */
export function verifySecp256k1(pubKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64 || pubKey.length !== 33) return false;
  const s = BigInt(`0x${Buffer.from(signature.subarray(32)).toString("hex")}`);
  if (s > N / 2n) return false;
  try {
    const raw = ECDH.convertKey(Buffer.from(pubKey), "secp256k1", undefined, undefined, "uncompressed") as Buffer;
    const key = createPublicKey({
      key: { kty: "EC", crv: "secp256k1", x: raw.subarray(1, 33).toString("base64url"), y: raw.subarray(33).toString("base64url") },
      format: "jwk",
    });
    const v = createVerify("sha256");
    v.update(message);
    return v.verify({ key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature));
  } catch {
    return false;
  }
}

/** Upper-case hex sha256. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex").toUpperCase();
}

/** Account address of a compressed secp256k1 pubkey: bech32(prefix, ripemd160(sha256(pk))). */
export function accountFromPubKey(pubKey: Uint8Array, prefix = "gonka"): string {
  const h = createHash("ripemd160").update(createHash("sha256").update(pubKey).digest()).digest();
  return bech32Encode(h, prefix);
}

/** bech32 encoding. */
export function bech32Encode(bytes: Uint8Array, prefix: string): string {
  return bech32.encode(prefix, bech32.toWords(bytes), 90);
}

/** Bytes of a bech32 string with the given prefix; throws a plain Error otherwise. */
export function bech32Bytes(address: string, prefix: string): Uint8Array {
  const d = bech32.decode(address as `${string}1${string}`, 90);
  if (d.prefix !== prefix) throw new Error(`invalid address prefix ${d.prefix}, expected ${prefix}`);
  return bech32.fromWords(d.words);
}

/** Module account address: sha256(name)[:20]. */
export function moduleAccount(name: string): string {
  return bech32Encode(createHash("sha256").update(name).digest().subarray(0, 20), "gonka");
}
