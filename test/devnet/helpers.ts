/** Test helpers: an independent signer (cosmjs crypto) for developer requests. */
import { Secp256k1, Sha256 } from "@cosmjs/crypto";
import { toBech32 } from "@cosmjs/encoding";
import { ripemd160 } from "@cosmjs/crypto";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export interface TestDeveloper {
  address: string;
  pubkey: Uint8Array;
  sign(body: string, timestampNs: string, transferAddress: string): Promise<string>;
}

function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

/** A developer key signing requests with cosmjs (hashed-body scheme), independent of src/. */
export async function testDeveloper(seed: string): Promise<TestDeveloper> {
  const privkey = new Sha256(new TextEncoder().encode(seed)).digest();
  const kp = await Secp256k1.makeKeypair(privkey);
  const pubkey = Secp256k1.compressPubkey(kp.pubkey);
  const address = toBech32("gonka", ripemd160(new Sha256(pubkey).digest()));
  return {
    address,
    pubkey,
    async sign(body, timestampNs, transferAddress) {
      const payload = toHex(new Sha256(new TextEncoder().encode(body)).digest()) + timestampNs + transferAddress;
      const sig = await Secp256k1.createSignature(new Sha256(new TextEncoder().encode(payload)).digest(), kp.privkey);
      let s = BigInt(`0x${toHex(sig.s(32))}`);
      if (s > N / 2n) s = N - s;
      const out = new Uint8Array(64);
      out.set(sig.r(32), 0);
      out.set(Buffer.from(s.toString(16).padStart(64, "0"), "hex"), 32);
      return Buffer.from(out).toString("base64");
    },
  };
}
