import { describe, expect, it } from "vitest";
import wire from "../fixtures/wire.json" with { type: "json" };
import {
  walletFromMnemonic,
  walletFromPrivateKey,
  generateWallet,
  verifySignature,
} from "../../src/chain/keys.js";
import { toHex } from "../../src/chain/bytes.js";
import { decodeAddress, moduleAddress, toValoperAddress, fromValoperAddress, addressFromPublicKey } from "../../src/chain/address.js";
import { InvalidMnemonicError, InvalidPrivateKeyError, InvalidAddressError } from "../../src/chain/errors.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { createHash, createPublicKey, createVerify, ECDH } from "node:crypto";

describe("every keys[] vector reproduces", () => {
  for (const k of wire.keys) {
    it(`${k.hdPath} of "${k.mnemonic.split(" ").slice(0, 2).join(" ")} …"`, async () => {
      const w = await walletFromMnemonic(k.mnemonic, { hdPath: k.hdPath });
      expect(toHex(w.exportPrivateKey())).toBe(k.privateKeyHex);
      expect(toHex(w.publicKey)).toBe(k.publicKeyHex);
      expect(w.publicKeyBase64).toBe(k.publicKeyBase64);
      expect(w.address).toBe(k.address);
      expect(w.valoper).toBe(k.valoper);
      const fromKey = walletFromPrivateKey(k.privateKeyHex);
      expect(fromKey.address).toBe(k.address);
      expect(toValoperAddress(k.address)).toBe(k.valoper);
      expect(fromValoperAddress(k.valoper)).toBe(k.address);
    });
  }

  it("derives m/44'/1200'/0'/0/0 by default and accountIndex picks the last level", async () => {
    const m = wire.keys[0]!.mnemonic;
    expect((await walletFromMnemonic(m)).address).toBe(wire.keys[0]!.address);
    expect((await walletFromMnemonic(m, { accountIndex: 1 })).address).toBe(wire.keys[1]!.address);
    const cosmosHub = await walletFromMnemonic(m, { coinType: 118 });
    expect(cosmosHub.address).toBe(wire.keys[2]!.address);
    expect(cosmosHub.address).not.toBe(wire.keys[0]!.address);
  });

  it("computes the gov module address", () => {
    expect(moduleAddress("gov")).toBe(wire.govModuleAddress);
  });
});

describe("signatures match an independent implementation (node:crypto)", () => {
  it("signBytes is RFC 6979 low-S over sha256 and verifies with OpenSSL", () => {
    const w = walletFromPrivateKey(wire.keys[3]!.privateKeyHex);
    const msg = new TextEncoder().encode("gonka sign test");
    const sig = w.signBytes(msg);
    expect(sig.length).toBe(64);
    expect(toHex(sig)).toBe(toHex(w.signBytes(msg))); // deterministic
    const s = BigInt(`0x${toHex(sig.slice(32))}`);
    expect(s <= secp256k1.Point.CURVE().n / 2n).toBe(true);
    const uncompressed = ECDH.convertKey(Buffer.from(w.publicKey), "secp256k1", undefined, undefined, "uncompressed") as Buffer;
    const key = createPublicKey({
      key: { kty: "EC", crv: "secp256k1", x: uncompressed.subarray(1, 33).toString("base64url"), y: uncompressed.subarray(33).toString("base64url") },
      format: "jwk",
    });
    const v = createVerify("sha256");
    v.update(msg);
    expect(v.verify({ key, dsaEncoding: "ieee-p1363" }, Buffer.from(sig))).toBe(true);
    expect(verifySignature(w.publicKey, msg, sig)).toBe(true);
    expect(verifySignature(w.publicKey, new TextEncoder().encode("other"), sig)).toBe(false);
    // the address is ripemd160(sha256(pubkey))
    const h = createHash("ripemd160").update(createHash("sha256").update(w.publicKey).digest()).digest();
    expect(toHex(decodeAddress(addressFromPublicKey(w.publicKey)))).toBe(h.toString("hex"));
  });

  it("the cosmjs OfflineDirectSigner signs the same bytes", async () => {
    const w = walletFromPrivateKey(wire.keys[0]!.privateKeyHex);
    const accounts = await w.signer.getAccounts();
    expect(accounts[0]!.address).toBe(w.address);
    const t = wire.txs[0]!;
    const res = await w.signer.signDirect(w.address, {
      bodyBytes: Buffer.from(t.bodyBytesHex, "hex"),
      authInfoBytes: Buffer.from(t.authInfoBytesHex, "hex"),
      chainId: t.chainId,
      accountNumber: BigInt(t.accountNumber),
    });
    expect(res.signature.signature).toBe(t.signatureBase64);
    expect(res.signature.pub_key.value).toBe(wire.keys[0]!.publicKeyBase64);
  });

  it("generateWallet gives a fresh key whose mnemonic restores it", async () => {
    const { wallet, mnemonic } = await generateWallet();
    expect(mnemonic.split(" ")).toHaveLength(24);
    expect((await walletFromMnemonic(mnemonic)).address).toBe(wallet.address);
    expect(wallet.address.startsWith("gonka1")).toBe(true);
  });
});

describe("bad keys give typed errors without key material", () => {
  const good = wire.keys[0]!.mnemonic;
  const words = good.split(" ");

  const expectNoSecret = (e: unknown, secrets: string[]) => {
    const text = `${String(e)} ${(e as Error).stack ?? ""} ${JSON.stringify(e)}`;
    for (const s of secrets) expect(text).not.toContain(s);
  };

  it("a word outside the wordlist names its position", async () => {
    const bad = [...words.slice(0, 4), "notaword", ...words.slice(5)].join(" ");
    const err = await walletFromMnemonic(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidMnemonicError);
    expect((err as InvalidMnemonicError).reason).toBe("word");
    expect((err as Error).message).toContain("position 5");
    expectNoSecret(err, ["notaword", "abandon"]);
  });

  it("a wrong checksum", async () => {
    const bad = [...words.slice(0, 11), "abandon"].join(" ");
    const err = await walletFromMnemonic(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidMnemonicError);
    expect((err as InvalidMnemonicError).reason).toBe("checksum");
    expectNoSecret(err, ["abandon"]);
  });

  it("a wrong length", async () => {
    const err = await walletFromMnemonic(words.slice(0, 11).join(" ")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidMnemonicError);
    expect((err as InvalidMnemonicError).reason).toBe("length");
    expect((err as Error).message).toContain("11 words");
  });

  it("bad hex private keys", () => {
    const hex = wire.keys[0]!.privateKeyHex;
    for (const bad of [hex.slice(0, 62), `${hex}zz`, "00".repeat(32), "ff".repeat(32), "xyz"]) {
      let err: unknown;
      try {
        walletFromPrivateKey(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InvalidPrivateKeyError);
      expectNoSecret(err, [hex, hex.slice(0, 62)]);
    }
    expect(() => walletFromPrivateKey(new Uint8Array(31))).toThrow(/31 bytes, expected 32/);
  });

  it("bad bech32: wrong prefix, bad checksum", () => {
    const a = wire.keys[0]!.address;
    expect(() => decodeAddress(`cosmos${a.slice(5)}`)).toThrow(InvalidAddressError);
    expect(() => decodeAddress(wire.keys[0]!.valoper)).toThrow(/prefix is "gonkavaloper", expected "gonka"/);
    const flipped = a.slice(0, -1) + (a.endsWith("y") ? "z" : "y");
    expect(() => decodeAddress(flipped)).toThrow(/checksum/);
    expect(() => decodeAddress("")).toThrow(InvalidAddressError);
  });

  it("a wallet never prints its private key", () => {
    const w = walletFromPrivateKey(wire.keys[0]!.privateKeyHex);
    expect(JSON.stringify(w)).not.toContain(wire.keys[0]!.privateKeyHex);
    expect(Object.values(w).some((v) => v instanceof Uint8Array && toHex(v) === wire.keys[0]!.privateKeyHex)).toBe(false);
  });
});

describe("cosmjs signers work as TxSigners", () => {
  it("a cosmjs DirectSecp256k1HdWallet on Gonka's path signs the vector tx byte for byte", async () => {
    const { DirectSecp256k1HdWallet, makeCosmoshubPath } = await import("@cosmjs/proto-signing");
    const { stringToPath } = await import("@cosmjs/crypto");
    const { txSignerFromOfflineSigner } = await import("../../src/chain/external-signer.js");
    const { signTx } = await import("../../src/chain/tx.js");
    const hd = await DirectSecp256k1HdWallet.fromMnemonic(wire.keys[0]!.mnemonic, { prefix: "gonka", hdPaths: [stringToPath("m/44'/1200'/0'/0/0")] });
    const signer = await txSignerFromOfflineSigner(hd);
    expect(signer.address).toBe(wire.keys[0]!.address);
    const t = wire.txs.find((x) => x.description === "gov vote yes")!;
    const r = await signTx({
      wallet: signer, chainId: t.chainId, accountNumber: t.accountNumber, sequence: t.sequence, gasLimit: t.gasLimit,
      messages: t.messages.map((m) => ({ "@type": m.typeUrl, ...m.json })) as never,
    });
    expect(toHex(r.txRaw)).toBe(t.txRawHex);
    // a cosmjs wallet on the Cosmos Hub path is not the Gonka account
    const hub = await DirectSecp256k1HdWallet.fromMnemonic(wire.keys[0]!.mnemonic, { prefix: "gonka", hdPaths: [makeCosmoshubPath(0)] });
    expect((await txSignerFromOfflineSigner(hub)).address).toBe(wire.keys[2]!.address);
  });
});
