/** primitives.*: every primitive vector through the code paths the keyring uses. */
import { describe, expect, it } from "vitest";
import { aeskw, gcm } from "@noble/ciphers/aes.js";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import { argon2id } from "@noble/hashes/argon2.js";
import { pbkdf2 } from "@noble/hashes/pbkdf2.js";
import { sha256 } from "@noble/hashes/sha2.js";
import bcrypt from "bcryptjs";
import { decryptJwe, deriveJweKek, encryptJwe, parseJwe } from "../../src/chain/keyring/jwe.js";
import { verifyKeyhash, createKeyhash } from "../../src/chain/keyring/keyhash.js";
import { crc24, decodeArmor, encodeArmor } from "../../src/chain/keyring/openpgp-armor.js";
import { InvalidKeyringPasswordError } from "../../src/chain/keyring/errors.js";
import { V, fromHex, toHex } from "./helpers.js";

const P = V.primitives;
const utf8 = new TextEncoder();

describe("primitives.pbkdf2", () => {
  for (const [i, x] of P.pbkdf2.entries()) {
    it(`pbkdf2[${i}] (${x.iterations} iterations) matches`, async () => {
      expect(toHex(pbkdf2(sha256, x.password, fromHex(x.saltHex), { c: x.iterations, dkLen: x.keyBytes }))).toBe(x.keyHex);
      // the keyring's KEK derivation builds the salt "PBES2-HS256+A128KW" ‖ 0 ‖ p2s itself
      if (x.saltHex.startsWith(toHex(utf8.encode("PBES2-HS256+A128KW")) + "00")) {
        const p2s = fromHex(x.saltHex).subarray(19);
        expect(toHex(await deriveJweKek(x.password, p2s, x.iterations))).toBe(x.keyHex);
      }
    });
  }
});

describe("primitives.aesKw", () => {
  for (const [i, x] of P.aesKw.entries()) {
    it(`aesKw[${i}] wraps and unwraps`, () => {
      expect(toHex(aeskw(fromHex(x.kekHex)).encrypt(fromHex(x.cekHex)))).toBe(x.wrappedHex);
      expect(toHex(aeskw(fromHex(x.kekHex)).decrypt(fromHex(x.wrappedHex)))).toBe(x.cekHex);
    });
  }
});

describe("primitives.aesGcm", () => {
  for (const [i, x] of P.aesGcm.entries()) {
    it(`aesGcm[${i}] with the ASCII AAD`, () => {
      const out = gcm(fromHex(x.keyHex), fromHex(x.ivHex), utf8.encode(x.aad)).encrypt(fromHex(x.plaintextHex));
      expect(toHex(out)).toBe(x.ciphertextHex + x.tagHex);
    });
  }
});

describe("primitives.bcryptCosmos (bcryptjs reproduces cosmos's bcrypt given the salt)", () => {
  for (const [i, x] of P.bcryptCosmos.entries()) {
    it(`bcryptCosmos[${i}] cost ${x.cost}`, () => {
      const s = bcrypt.hashSync(x.password, `$2a$${String(x.cost).padStart(2, "0")}$${bcrypt.encodeBase64(fromHex(x.saltHex), 16)}`);
      expect(s).toBe(x.bcrypt);
      expect(toHex(sha256(utf8.encode(s)))).toBe(x.sha256Hex);
    });
  }
});

describe("primitives.argon2id", () => {
  for (const [i, x] of P.argon2id.entries()) {
    it(`argon2id[${i}]`, () => {
      expect(toHex(argon2id(x.password, fromHex(x.saltHex), { t: x.time, m: x.memoryKiB, p: x.threads, dkLen: x.keyBytes }))).toBe(x.keyHex);
    });
  }
});

describe("primitives.chacha20poly1305 / xsalsa20poly1305", () => {
  for (const [i, x] of P.chacha20poly1305.entries()) {
    it(`chacha20poly1305[${i}]`, () => {
      expect(toHex(chacha20poly1305(fromHex(x.keyHex), fromHex(x.nonceHex)).encrypt(fromHex(x.plaintextHex)))).toBe(x.sealedHex);
    });
  }
  for (const [i, x] of P.xsalsa20poly1305.entries()) {
    it(`xsalsa20poly1305[${i}]: Go's secretbox layout (tag ‖ ciphertext), cosmos prepends the nonce`, () => {
      const box = xsalsa20poly1305(fromHex(x.keyHex), fromHex(x.nonceHex)).encrypt(fromHex(x.plaintextHex));
      expect(toHex(box)).toBe(x.boxHex);
      expect(x.nonceHex + toHex(box)).toBe(x.cosmosCiphertextHex);
    });
  }
});

describe("primitives.armor", () => {
  for (const [i, x] of P.armor.entries()) {
    it(`armor[${i}] (${x.blockType}) decodes and re-encodes byte for byte`, () => {
      const block = decodeArmor(x.armor);
      expect(block.blockType).toBe(x.blockType);
      expect(block.headers).toEqual(x.headers);
      expect(toHex(block.data)).toBe(x.dataHex);
      expect(encodeArmor({ blockType: x.blockType, headers: x.headers as unknown as Record<string, string>, data: fromHex(x.dataHex) })).toBe(x.armor);
    });
  }
  it("CRC-24 of nothing is OpenPGP's initial value", () => {
    expect(crc24(new Uint8Array(0))).toBe(0xb704ce);
  });
});

describe("primitives.keyhash", () => {
  for (const [i, x] of P.keyhash.entries()) {
    if (x.compare) {
      it(`keyhash[${i}] (${x.passwordBytes}-byte password) compares as Go does`, async () => {
        for (const c of x.compare!) expect(await verifyKeyhash(c.password, x.keyhash!)).toBe(c.error === null);
      });
    } else {
      it(`keyhash[${i}]: a ${x.passwordBytes}-byte password gets no keyhash (${x.error})`, async () => {
        await expect(createKeyhash(x.password)).rejects.toMatchObject({ name: "InvalidKeyringPasswordError", problem: "too-long" });
        await expect(createKeyhash(x.password)).rejects.toBeInstanceOf(InvalidKeyringPasswordError);
      });
    }
  }
  it("a new keyhash is $2a$10$ (x/crypto's form) and verifies", async () => {
    const h = await createKeyhash("correct horse battery");
    expect(h).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(await verifyKeyhash("correct horse battery", h)).toBe(true);
    expect(await verifyKeyhash("correct horse batterx", h)).toBe(false);
  });
});

describe("primitives.jweFixed: tokens from fixed random bytes", () => {
  for (const [i, x] of P.jweFixed.entries()) {
    it(`jweFixed[${i}] is reproduced byte for byte and decrypts`, async () => {
      const random = fromHex(x.randomHex);
      let at = 0;
      const token = await encryptJwe(utf8.encode(x.payload), x.password, {
        created: x.created,
        randomBytes: (n) => random.slice(at, (at += n)),
      });
      expect(token).toBe(x.token);
      expect(new TextDecoder().decode(await decryptJwe(x.token, x.password, "k.info"))).toBe(x.payload);
      const parsed = parseJwe(x.token, "k.info");
      expect(Object.keys(parsed.header)).toEqual(x.analysis.headerKeys);
      expect(toHex(parsed.encryptedKey)).toBe(x.analysis.encryptedKeyHex);
      expect(toHex(parsed.iv)).toBe(x.analysis.ivHex);
      expect(toHex(parsed.tag)).toBe(x.analysis.tagHex);
      expect(toHex(await deriveJweKek(x.password, parsed.p2s, parsed.p2c))).toBe(x.analysis.kekHex);
    });
  }
});
