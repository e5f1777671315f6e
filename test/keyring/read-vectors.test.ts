/**
 * fileKeyring, testKeyring, osBackendHeadless and legacyKeyring: every file the network CLI wrote
 * decrypts to the recorded item and record, and the keyring lists, finds and signs as recorded.
 */
import { afterAll, describe, expect, it } from "vitest";
import { aeskw, gcm } from "@noble/ciphers/aes.js";
import { pbkdf2 } from "@noble/hashes/pbkdf2.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { decryptJwe, parseJwe } from "../../src/chain/keyring/jwe.js";
import { decodeItem, unescapeFileName } from "../../src/chain/keyring/item.js";
import { decodeRecord, encodeRecord, keyBytesOf } from "../../src/chain/keyring/record.js";
import { decodeLegacyInfo } from "../../src/chain/keyring/amino.js";
import { decodeAnyRecord, openFileKeyring } from "../../src/chain/keyring/file-keyring.js";
import { verifyKeyhash } from "../../src/chain/keyring/keyhash.js";
import { UnsupportedKeyTypeError } from "../../src/chain/keyring/errors.js";
import { V, b64, fromHex, removeDir, snapshot, toHex, writeVectorDir, type VectorFile } from "./helpers.js";

const made: string[] = [];
afterAll(() => made.forEach((d) => removeDir(d)));
const utf8 = new TextEncoder();

/** Checks one JWE file against its analysis, independently of the keyring's own decryptJwe. */
async function checkJweFile(f: VectorFile, password: string): Promise<void> {
  const token = Buffer.from(f.contentB64!, "base64").toString("utf8");
  const j = f.jwe!;
  const parsed = parseJwe(token, f.name);
  expect(parsed.protectedB64).toBe(j.protectedHeaderB64u);
  expect(Buffer.from(parsed.protectedB64, "base64url").toString("utf8")).toBe(j.protectedHeaderJson);
  expect(Object.keys(parsed.header)).toEqual(j.headerKeys);
  expect(parsed.p2c).toBe(j.p2c);
  expect(toHex(parsed.p2s)).toBe(j.p2sHex);
  // the reference's parameters, derived here with noble directly
  const kek = pbkdf2(sha256, password, fromHex(j.pbkdf2SaltHex), { c: j.p2c, dkLen: 16 });
  expect(toHex(kek)).toBe(j.kekHex);
  expect(toHex(aeskw(kek).decrypt(parsed.encryptedKey))).toBe(j.cekHex);
  expect(toHex(parsed.encryptedKey)).toBe(j.encryptedKeyHex);
  expect(toHex(parsed.iv)).toBe(j.ivHex);
  expect(toHex(parsed.ciphertext)).toBe(j.ciphertextHex);
  expect(toHex(parsed.tag)).toBe(j.tagHex);
  const plain = gcm(fromHex(j.cekHex), parsed.iv, utf8.encode(j.protectedHeaderB64u)).decrypt(fromHex(j.ciphertextHex + j.tagHex));
  expect(new TextDecoder().decode(plain)).toBe(j.payload);
  // and through the keyring's own path
  const mine = await decryptJwe(token, password, f.name);
  expect(new TextDecoder().decode(mine)).toBe(j.payload);
  const item = decodeItem(mine, f.name);
  expect(item.key).toBe(f.itemKey);
  expect(unescapeFileName(f.name)).toBe(f.itemKey);
  expect(toHex(item.data)).toBe(f.itemDataHex);
}

type RecordVector = { name: string; type: string; address: string; recordHex: string; pubKeyTypeUrl: string; pubKeyValueHex: string; privKeyValueHex?: string; ledgerPath?: { string: string } };

function checkRecord(recordHex: string, r: RecordVector): void {
  const rec = decodeRecord(fromHex(recordHex));
  expect(rec.name).toBe(r.name);
  expect(rec.item.type).toBe(r.type);
  expect(rec.pubKey.typeUrl).toBe(r.pubKeyTypeUrl);
  expect(toHex(rec.pubKey.value)).toBe(r.pubKeyValueHex);
  if (rec.item.type === "local") expect(toHex(rec.item.privKey.value)).toBe(r.privKeyValueHex);
  expect(toHex(encodeRecord(rec))).toBe(recordHex);
}

for (const section of ["fileKeyring", "testKeyring"] as const) {
  const S = V[section];
  describe(`${section}: the files`, () => {
    for (const f of S.files as VectorFile[]) {
      if (f.kind === "jwe") {
        it(`${f.name} decrypts with the recorded parameters to the recorded item`, async () => {
          await checkJweFile(f, S.password);
          if (f.record) checkRecord(f.itemDataHex!, f.record as RecordVector);
        });
      } else if (f.kind === "keyhash") {
        it("keyhash is the bcrypt of the password", async () => {
          expect(Buffer.from(f.contentB64!, "base64").toString()).toBe(f.text);
          expect(await verifyKeyhash(S.password, f.text!)).toBe(true);
        });
      }
    }
  });

  describe(`${section}: opened as a keyring`, () => {
    const dir = writeVectorDir(S.files as VectorFile[], undefined, S.dirName);
    made.push(dir);
    const open = () => openFileKeyring({ dir, password: S.password, backend: S.backend as "file" | "test" });

    it("list() returns listAfterReopen (names, addresses, types, byte order) and writes nothing", async () => {
      const before = snapshot(dir);
      const keyring = await open();
      expect(await keyring.list()).toEqual(S.listAfterReopen.map(({ name, address, type }) => ({ name, address, type })));
      expect(snapshot(dir)).toEqual(before);
    });

    it("get(address) finds keyByAddressName and the public key", async () => {
      const keyring = await open();
      for (const k of S.listAfterReopen) {
        const d = await keyring.get(k.address);
        expect(d.name).toBe(k.keyByAddressName);
        const pub = d.publicKey ? toHex(d.publicKey) : undefined;
        if (k.type === "multi") expect(d.multisig?.publicKeys.length).toBeGreaterThan(1);
        else expect(pub).toBe(k.pubKeyHex);
      }
    });

    for (const k of S.keys as Array<{ name: string; kind: string; privKeyHex?: string; record: RecordVector }>) {
      it(`key ${JSON.stringify(k.name)} (${k.kind}): ${k.record.type === "local" ? "signer holds the recorded private key" : "signer is refused with its type"}`, async () => {
        const keyring = await open();
        const d = await keyring.get(k.name);
        expect(d).toMatchObject({ name: k.name, address: k.record.address, type: k.record.type, pubKeyTypeUrl: k.record.pubKeyTypeUrl });
        if (k.record.ledgerPath) expect(d.ledgerPath).toBe(k.record.ledgerPath.string);
        if (k.record.type === "local") {
          const w = await keyring.signer(k.name);
          expect(toHex(w.exportPrivateKey())).toBe(k.privKeyHex);
          expect(w.address).toBe(k.record.address);
          expect((await keyring.signer(k.record.address)).address).toBe(k.record.address);
        } else {
          const err = await keyring.signer(k.name).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(UnsupportedKeyTypeError);
          expect(err).toMatchObject({ keyType: k.record.type });
        }
      });
    }
  });
}

describe("fileKeyring: multisig member keys", () => {
  it("council's members are alice, op/warm%key and ops&co <ml> in stored order", async () => {
    const council = V.fileKeyring.keys.find((k) => k.name === "council")!;
    const rec = decodeRecord(fromHex(council.record.recordHex));
    const members = V.fileKeyring.keys.filter((k) => council.members!.includes(k.name)).map((k) => k.record.pubKeyBytesHex);
    const multisig = (await import("../../src/chain/keyring/record.js")).decodeMultisig(rec.pubKey.value);
    expect(multisig.threshold).toBe(council.threshold);
    expect(multisig.publicKeys.map((p) => toHex(keyBytesOf(p))).sort()).toEqual([...members].sort());
    expect(multisig.publicKeys.map((p) => toHex(p.value))).toEqual(council.record.multisig!.memberAnyValuesHex);
  });
});

describe("osBackendHeadless: the os backend's file fallback is a plain file keyring in the root", () => {
  it("alice.info, its .address and keyhash read as a file keyring", async () => {
    // the vector records the file names only; rebuild the same directory through the file keyring
    const k = V.osBackendHeadless.keys[0]!;
    const { tempDir } = await import("./helpers.js");
    const root = tempDir();
    made.push(root);
    const keyring = await openFileKeyring({ dir: root, password: V.fileKeyring.password });
    await keyring.add(k.name, { mnemonic: k.mnemonic, hdPath: k.hdPath });
    expect([...snapshot(root).keys()].sort()).toEqual([...V.osBackendHeadless.filesInRoot].sort());
    expect(toHex((await keyring.signer(k.name)).exportPrivateKey())).toBe(k.privKeyHex);
  });
});

describe("legacyKeyring: amino-era records", () => {
  const L = V.legacyKeyring;
  for (const e of L.entries) {
    it(`${e.name} (${e.kind}) decodes from amino to the record the network CLI migrates it to`, () => {
      const m = L.migration.find((x) => x.name === e.name)!;
      const converted = decodeLegacyInfo(fromHex(e.aminoHex));
      expect(converted.name).toBe(e.roundTripName);
      expect(toHex(encodeRecord(converted))).toBe(m.record.recordHex);
      expect(() => decodeRecord(fromHex(e.aminoHex))).toThrow();
      expect(toHex(encodeRecord(decodeAnyRecord(fromHex(e.aminoHex), `${e.name}.info`)))).toBe(m.record.recordHex);
    });
  }

  for (const f of L.filesBefore as VectorFile[]) {
    if (f.kind !== "jwe") continue;
    it(`filesBefore ${f.name} decrypts to the recorded item`, async () => {
      await checkJweFile(f, L.password);
    });
  }
  for (const f of L.filesAfter as VectorFile[]) {
    if (f.kind !== "jwe" || !f.record) continue;
    it(`filesAfter ${f.name} (rewritten by the network CLI) holds the migrated record`, async () => {
      await checkJweFile(f, L.password);
      const m = L.migration.find((x) => `${x.name}.info` === f.name)!;
      expect(f.itemDataHex).toBe(m.record.recordHex);
    });
  }

  it("the amino directory opens: list, types and signer work, and no file is rewritten", async () => {
    const dir = writeVectorDir(L.filesBefore as VectorFile[]);
    made.push(dir);
    const before = snapshot(dir);
    const keyring = await openFileKeyring({ dir, password: L.password });
    const listed = await keyring.list();
    expect(listed).toEqual(
      [...L.migration].sort((a, b) => (a.name < b.name ? -1 : 1)).map((m) => ({ name: m.name, address: m.record.address, type: m.record.type })),
    );
    const validator = L.entries.find((e) => e.kind === "local")!;
    expect(toHex((await keyring.signer(validator.name)).exportPrivateKey())).toBe(validator.privKeyHex);
    expect((await keyring.get(L.entries.find((e) => e.kind === "ledger")!.address)).ledgerPath).toBe(L.entries.find((e) => e.kind === "ledger")!.hdPath);
    expect(snapshot(dir)).toEqual(before);
  });

  it("the migrated directory (filesAfter) lists the same keys", async () => {
    const dir = writeVectorDir(L.filesAfter as VectorFile[]);
    made.push(dir);
    const keyring = await openFileKeyring({ dir, password: L.password });
    expect((await keyring.list()).map((k) => k.name).sort()).toEqual(L.migration.map((m) => m.name).sort());
  });
});

describe("file names", () => {
  it("percent-escapes decode either case, and other % stay", () => {
    expect(unescapeFileName("op%2Fwarm%25key.info")).toBe("op/warm%key.info");
    expect(unescapeFileName("op%2fwarm%25key.info")).toBe("op/warm%key.info");
    expect(unescapeFileName("100%.info")).toBe("100%.info");
    expect(unescapeFileName("a%zz.info")).toBe("a%zz.info");
    expect(b64("aGk=")).toEqual(utf8.encode("hi"));
  });
});

describe("browser-safe storage", () => {
  it("the fileKeyring files in memoryKeyringStorage (no node:fs) list, sign and accept writes", async () => {
    const { memoryKeyringStorage } = await import("../../src/chain/keyring/storage.js");
    const files = (V.fileKeyring.files as VectorFile[]).filter((f) => f.contentB64).map((f) => [unescapeFileName(f.name)!, b64(f.contentB64!)] as [string, Uint8Array]);
    const storage = memoryKeyringStorage(files);
    const keyring = await openFileKeyring({ storage, password: V.fileKeyring.password });
    expect(keyring.location).toBe("memory");
    expect((await keyring.list()).map((k) => k.name)).toEqual(V.fileKeyring.listAfterReopen.map((k) => k.name));
    expect(toHex((await keyring.signer("op/warm%key")).exportPrivateKey())).toBe(V.fileKeyring.keys.find((k) => k.name === "op/warm%key")!.privKeyHex);
    await keyring.add("dave", { mnemonic: V.testKeyring.keys[0]!.mnemonic!, hdPath: V.testKeyring.keys[0]!.hdPath! });
    expect(storage.items.has("dave.info")).toBe(true);
    expect(storage.items.has(`${V.testKeyring.keys[0]!.record.addressHex}.address`)).toBe(true);
  });
});
