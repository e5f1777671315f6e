/** exports and legacyArmors: `keys export` armors read, reproduced, refused and imported. */
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import bcrypt from "bcryptjs";
import { exportArmoredPrivateKey, importArmoredPrivateKey } from "../../src/chain/keyring/armor.js";
import { decodeArmor, encodeArmor } from "../../src/chain/keyring/openpgp-armor.js";
import { openFileKeyring } from "../../src/chain/keyring/file-keyring.js";
import { decryptJwe } from "../../src/chain/keyring/jwe.js";
import { decodeItem, escapeItemKey } from "../../src/chain/keyring/item.js";
import { ArmorError, DuplicateKeyAddressError, KeyExistsError } from "../../src/chain/keyring/errors.js";
import { PASSWORD, V, fromHex, removeDir, tempDir, toHex } from "./helpers.js";

const made: string[] = [];
afterAll(() => made.forEach((d) => removeDir(d)));

async function armorError(armor: string, passphrase: string): Promise<ArmorError> {
  const e = await importArmoredPrivateKey(armor, passphrase).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ArmorError);
  return e as ArmorError;
}

/** The armor with one body character changed (its CRC left as it was). */
function alterBody(armor: string): string {
  const lines = armor.split("\n");
  const i = lines.findIndex((l, n) => n > 0 && lines[n - 1] === "") ;
  const line = lines[i]!;
  lines[i] = (line[0] === "A" ? "B" : "A") + line.slice(1);
  return lines.join("\n");
}

describe("exports (kdf argon2)", () => {
  for (const x of V.exports) {
    describe(`export of ${JSON.stringify(x.name)}`, () => {
      it("imports to the recorded private key", async () => {
        const got = await importArmoredPrivateKey(x.armor, x.passphrase);
        expect(toHex(got.privateKey)).toBe(x.decryptedPrivKeyHex);
        expect(got.algo).toBe(x.algo);
        expect(x.cliOutput).toBe(`${x.armor}\n`);
        expect(toHex((await importArmoredPrivateKey(x.cliOutput, x.passphrase)).privateKey)).toBe(x.unarmoredHex);
      });

      it("exporting the key with the recorded salt reproduces the armor (headers compared as a set)", async () => {
        const block = decodeArmor(x.armor);
        expect(block.blockType).toBe(x.blockType);
        expect(block.headers).toEqual(x.headers);
        expect(toHex(block.data)).toBe(x.ciphertextHex);
        const mine = await exportArmoredPrivateKey(x.decryptedPrivKeyHex, x.passphrase, { salt: fromHex(x.headers.salt) });
        const myBlock = decodeArmor(mine);
        expect(myBlock.headers).toEqual(x.headers);
        expect(toHex(myBlock.data)).toBe(x.ciphertextHex);
        // with the vector's header line order the text is identical byte for byte
        const ordered = Object.fromEntries(x.headerLineOrder.map((l) => l.split(": ") as [string, string]));
        expect(encodeArmor({ blockType: x.blockType, headers: ordered, data: myBlock.data })).toBe(x.armor);
        if (x.headerLineOrder.join() === "kdf: argon2,salt: " + x.headers.salt + ",type: secp256k1") expect(mine).toBe(x.armor);
      });

      it("a fresh export (random salt) round-trips and differs", async () => {
        const a = await exportArmoredPrivateKey(x.decryptedPrivKeyHex, x.passphrase);
        expect(a).not.toBe(x.armor);
        expect(toHex((await importArmoredPrivateKey(a, x.passphrase)).privateKey)).toBe(x.decryptedPrivKeyHex);
      });

      it(`wrong passphrase → ArmorError passphrase (${x.wrongPassphraseError})`, async () => {
        expect((await armorError(x.armor, x.wrongPassphrase)).problem).toBe("passphrase");
      });

      it(`body altered, CRC left → ArmorError checksum (${x.badBodyError})`, async () => {
        expect((await armorError(alterBody(x.armor), x.passphrase)).problem).toBe("checksum");
      });

      it(`body altered, CRC recomputed → ArmorError passphrase (${x.badBodyValidCrcError})`, async () => {
        const block = decodeArmor(x.armor);
        const data = Uint8Array.from(block.data);
        data[10]! ^= 1;
        expect((await armorError(encodeArmor({ ...block, data }), x.passphrase)).problem).toBe("passphrase");
      });

      it(`unknown kdf → ArmorError kdf (${x.unknownKdfError})`, async () => {
        expect((await armorError(x.armor.replace("kdf: argon2", "kdf: scrypt"), x.passphrase)).problem).toBe("kdf");
      });

      it(`missing salt → ArmorError salt (${x.missingSaltError})`, async () => {
        expect((await armorError(x.armor.replace(/salt: [0-9A-F]+\n/, ""), x.passphrase)).problem).toBe("salt");
      });

      it(`a public-key armor → ArmorError block-type (${x.pubArmorAsPrivError})`, async () => {
        const pub = decodeArmor(x.pubKeyArmor);
        expect(pub.blockType).toBe(x.pubKeyArmorBlockType);
        expect(pub.headers).toEqual(x.pubKeyArmorHeaders);
        expect(toHex(pub.data)).toBe(x.pubKeyArmorDataHex);
        expect((await armorError(x.pubKeyArmor, x.passphrase)).problem).toBe("block-type");
      });

      it("importing into a keyring stores importedRecord; the same name again is refused, a second name needs confirmation", async () => {
        const root = tempDir();
        made.push(root);
        const dir = join(root, "keyring-file");
        const keyring = await openFileKeyring({ dir, password: PASSWORD });
        const r = x.importedRecord;
        expect(await keyring.importArmor(r.name, x.armor, x.passphrase)).toEqual({ name: r.name, address: r.address, type: "local" });
        const file = `${escapeItemKey(r.name)}.info`;
        const item = decodeItem(await decryptJwe(readFileSync(join(dir, file), "utf8"), PASSWORD, `${r.name}.info`), `${r.name}.info`);
        expect(toHex(item.data)).toBe(r.recordHex);
        // x.importSameNameError: "<name>: cannot overwrite key"
        await expect(keyring.importArmor(r.name, x.armor, x.passphrase)).rejects.toBeInstanceOf(KeyExistsError);
        await expect(keyring.importArmor(`${r.name}-2`, x.armor, x.passphrase)).rejects.toBeInstanceOf(DuplicateKeyAddressError);
        expect(await keyring.importArmor(`${r.name}-2`, x.armor, x.passphrase, { allowDuplicateAddress: true })).toMatchObject({ address: r.address });
        expect((await keyring.get(r.address)).name).toBe(`${r.name}-2`);
        // x.importWrongPassphraseError
        await expect(keyring.importArmor(`${r.name}-3`, x.armor, x.wrongPassphrase)).rejects.toMatchObject({ problem: "passphrase" });
        // and the keyring exports it back
        const back = await keyring.exportArmor(r.name, "another passphrase");
        expect(toHex((await importArmoredPrivateKey(back, "another passphrase")).privateKey)).toBe(x.decryptedPrivKeyHex);
      });
    });
  }
});

describe("legacyArmors (kdf bcrypt, import only)", () => {
  for (const x of V.legacyArmors) {
    it(`${JSON.stringify(x.importedRecord.name)}: the bcrypt string, secretbox key and nonce are reproduced and the key imports`, async () => {
      const block = decodeArmor(x.armor);
      expect(block.headers).toEqual(x.headers);
      expect(toHex(block.data)).toBe(x.nonceHex + x.boxHex);
      const s = bcrypt.hashSync(x.passphrase, `$2a$${x.bcryptCost}$${bcrypt.encodeBase64(fromHex(x.saltHex), 16)}`);
      expect(s).toBe(x.bcryptString);
      expect(toHex(sha256(new TextEncoder().encode(s)))).toBe(x.secretboxKeyHex);
      const got = await importArmoredPrivateKey(x.armor, x.passphrase);
      expect(toHex(got.privateKey)).toBe(x.decryptedPrivKeyHex);
      expect(got.algo).toBe(x.algo);
    });
    it(`wrong passphrase → ArmorError passphrase (${x.wrongPassphraseError})`, async () => {
      expect((await armorError(x.armor, x.wrongPassphrase)).problem).toBe("passphrase");
    });
    it("imports into a keyring as importedRecord", async () => {
      const root = tempDir();
      made.push(root);
      const keyring = await openFileKeyring({ dir: join(root, "keyring-file"), password: PASSWORD });
      const r = x.importedRecord;
      expect(await keyring.importArmor(r.name, x.armor, x.passphrase)).toEqual({ name: r.name, address: r.address, type: "local" });
      expect(toHex((await keyring.signer(r.name)).exportPrivateKey())).toBe(r.privKeyBytesHex);
    });
  }
});

describe("armor edge cases", () => {
  const x = V.exports[0]!;
  it("text before the armor is skipped, CRLF lines are read", async () => {
    const got = await importArmoredPrivateKey(`here is my key:\r\n${x.armor.replace(/\n/g, "\r\n")}\r\n`, x.passphrase);
    expect(toHex(got.privateKey)).toBe(x.decryptedPrivKeyHex);
  });
  it("the CRC line is optional", async () => {
    expect(toHex((await importArmoredPrivateKey(x.armor.replace(/\n=[^\n]{4}\n/, "\n"), x.passphrase)).privateKey)).toBe(x.decryptedPrivKeyHex);
  });
  it("lines longer than 96 characters are refused", async () => {
    const block = decodeArmor(x.armor);
    const long = x.armor.replace(/\n\n[\s\S]*\n=/, `\n\n${Buffer.from(block.data).toString("base64")}${"A".repeat(100)}\n=`);
    expect((await armorError(long, x.passphrase)).problem).toBe("format");
  });
  it("not an armor → ArmorError format", async () => {
    expect((await armorError("hello world", x.passphrase)).problem).toBe("format");
  });
  it("export refuses passphrases under 8 bytes", async () => {
    await expect(exportArmoredPrivateKey(x.decryptedPrivKeyHex, "short")).rejects.toMatchObject({ name: "InvalidArgumentError" });
  });
});
