/**
 * Kept mnemonics: `add(…, { keepMnemonic: true })` writes `<hex address>.mnemonic`, encrypted with
 * the same JWE parameters and password as the other items; `exportMnemonic` reads it back (checked
 * by derivation); the extra item does not disturb listing or reading the vector directory; `delete`
 * removes it (unless another name holds the same key); a key deleted by another tool leaves its
 * phrase readable by address; damaged or foreign items are refused and never overwritten.
 * Addresses are derived here independently (@scure/bip39 + @scure/bip32 + RIPEMD-160(SHA-256) +
 * bech32) and compared with the vectors.
 */
import { afterAll, describe, expect, it } from "vitest";
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HDKey } from "@scure/bip32";
import { mnemonicToSeedSync } from "@scure/bip39";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bech32 } from "@scure/base";
import { openFileKeyring } from "../../src/chain/keyring/file-keyring.js";
import { memoryKeyringStorage } from "../../src/chain/keyring/storage.js";
import { encryptJwe } from "../../src/chain/keyring/jwe.js";
import { encodeItem, unescapeFileName } from "../../src/chain/keyring/item.js";
import { mnemonicItemKey, isMnemonicItemKey } from "../../src/chain/keyring/mnemonic-item.js";
import { KeyNotFoundError, KeyringItemError, MnemonicItemError, MnemonicNotStoredError } from "../../src/chain/keyring/errors.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { PASSWORD, V, b64, referenceDecryptItem, removeDir, snapshot, tempDir, writeVectorDir, type VectorFile } from "./helpers.js";

const made: string[] = [];
afterAll(() => made.forEach((d) => removeDir(d)));

const alice = V.fileKeyring.keys.find((k) => k.name === "alice")!;
const bob = V.fileKeyring.keys.find((k) => k.name === "bob")!;
const nano = V.fileKeyring.keys.find((k) => k.name === "nano")!;
const dave = V.testKeyring.keys.find((k) => k.name === "dave")!;
const vectorFiles = V.fileKeyring.files as VectorFile[];
const vectorList = V.fileKeyring.listAfterReopen.map(({ name, address, type }) => ({ name, address, type }));

/** The gonka1… address of a mnemonic on a path, computed without the SDK. */
function independentAddress(mnemonic: string, path: string, passphrase = ""): string {
  const key = HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic, passphrase)).derive(path);
  return bech32.encode("gonka", bech32.toWords(ripemd160(sha256(key.publicKey!))));
}

function vectorDir(): string {
  const dir = writeVectorDir(vectorFiles);
  made.push(join(dir, ".."));
  return dir;
}
function emptyDir(): string {
  const root = tempDir();
  made.push(root);
  return join(root, "keyring-file");
}

describe("the item name", () => {
  it("is <40 lowercase hex of the address>.mnemonic, the same hex as the key's .address item", () => {
    expect(mnemonicItemKey(alice.record.address)).toBe(`${alice.record.addressHex}.mnemonic`);
    expect(mnemonicItemKey(alice.record.address)).toBe("b560e655fc1a8e96729509f70b4a55f9ac8849fe.mnemonic");
    expect(isMnemonicItemKey(mnemonicItemKey(alice.record.address))).toBe(true);
  });

  it("can never be an item the network CLI reads: it ends neither in 'info' nor in 'address' and is no vector file", () => {
    const names = new Set(vectorFiles.map((f) => f.name));
    for (const k of V.fileKeyring.listAfterReopen) {
      const item = mnemonicItemKey(k.address);
      expect(item.endsWith("info")).toBe(false);
      expect(item.endsWith("address")).toBe(false);
      expect(names.has(item)).toBe(false);
    }
    for (const f of vectorFiles) expect(isMnemonicItemKey(f.name)).toBe(false);
  });
});

describe("add(…, { keepMnemonic: true }) and exportMnemonic", () => {
  it("writes <hex>.mnemonic (0600) that decrypts with the reference's JWE parameters and password to the phrase, path and address", async () => {
    const dir = emptyDir();
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    expect(await keyring.add("alice", { mnemonic: alice.mnemonic!, hdPath: alice.hdPath! }, { keepMnemonic: true })).toEqual({ name: "alice", address: alice.record.address, type: "local" });
    const file = join(dir, `${alice.record.addressHex}.mnemonic`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual([`${alice.record.addressHex}.address`, `${alice.record.addressHex}.mnemonic`, "alice.info", "keyhash"].sort());
    const token = readFileSync(file, "utf8");
    const { header, key, data } = referenceDecryptItem(token, PASSWORD);
    expect(Object.keys(header)).toEqual(["alg", "created", "enc", "p2c", "p2s"]);
    expect(header).toMatchObject({ alg: "PBES2-HS256+A128KW", enc: "A256GCM", p2c: 8192 });
    expect(Buffer.from(header.p2s as string, "base64url")).toHaveLength(12);
    expect(key).toBe(`${alice.record.addressHex}.mnemonic`);
    const stored = JSON.parse(new TextDecoder().decode(data));
    expect(stored).toEqual({ version: 1, address: alice.record.address, hdPath: alice.hdPath, mnemonic: alice.mnemonic });
    expect(independentAddress(stored.mnemonic, stored.hdPath)).toBe(alice.record.address);
  });

  it("exportMnemonic returns the phrase from a reopened keyring, by name and by address; it derives the vector's address", async () => {
    const dir = emptyDir();
    await (await openFileKeyring({ dir, password: PASSWORD })).add("alice", { mnemonic: alice.mnemonic!, hdPath: alice.hdPath! }, { keepMnemonic: true });
    const reopened = await openFileKeyring({ dir, password: PASSWORD });
    const byName = await reopened.exportMnemonic("alice");
    expect(byName).toEqual({ address: alice.record.address, mnemonic: alice.mnemonic, hdPath: alice.hdPath });
    expect(await reopened.exportMnemonic(alice.record.address)).toEqual(byName);
    expect(independentAddress(byName.mnemonic, byName.hdPath)).toBe(alice.record.address);
  });

  it("keeps a BIP-39 passphrase and a non-default path (bob: TREZOR; alice's words at /1 = nano's address)", async () => {
    const dir = emptyDir();
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    await keyring.add("bob", { mnemonic: bob.mnemonic!, hdPath: bob.hdPath!, bip39Passphrase: bob.bip39Passphrase! }, { keepMnemonic: true });
    await keyring.add("second", { mnemonic: alice.mnemonic!, hdPath: nano.hdPath! }, { keepMnemonic: true });
    const reopened = await openFileKeyring({ dir, password: PASSWORD });
    const b = await reopened.exportMnemonic("bob");
    expect(b).toEqual({ address: bob.record.address, mnemonic: bob.mnemonic, hdPath: bob.hdPath, bip39Passphrase: "TREZOR" });
    expect(independentAddress(b.mnemonic, b.hdPath, b.bip39Passphrase)).toBe(bob.record.address);
    const s = await reopened.exportMnemonic("second");
    expect(s).toEqual({ address: nano.record.address, mnemonic: alice.mnemonic, hdPath: "m/44'/1200'/0'/0/1" });
    expect(independentAddress(s.mnemonic, s.hdPath)).toBe(nano.record.address);
  });

  it("stores the phrase normalized (lowercase, single spaces), as the key was derived", async () => {
    const keyring = await openFileKeyring({ storage: memoryKeyringStorage(), password: PASSWORD });
    await keyring.add("dave", { mnemonic: `  ${dave.mnemonic!.toUpperCase().split(" ").join("   ")}\n` }, { keepMnemonic: true });
    expect((await keyring.exportMnemonic("dave")).mnemonic).toBe(dave.mnemonic);
  });

  it("without keepMnemonic only the key is stored (as inferenced does): no item, MnemonicNotStoredError", async () => {
    const dir = emptyDir();
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    await keyring.add("alice", { mnemonic: alice.mnemonic!, hdPath: alice.hdPath! });
    expect(readdirSync(dir).some((n) => n.endsWith(".mnemonic"))).toBe(false);
    const err = await keyring.exportMnemonic("alice").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MnemonicNotStoredError);
    expect(err).toMatchObject({ key: "alice", address: alice.record.address });
  });

  it("keepMnemonic with a private key is refused before anything is written", async () => {
    const dir = emptyDir();
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    await expect(keyring.add("x", { privateKey: alice.privKeyHex! }, { keepMnemonic: true })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it("the vector keys without a kept phrase (privhex, offline, multisig, Ledger) give MnemonicNotStoredError; unknown names KeyNotFoundError", async () => {
    const keyring = await openFileKeyring({ dir: vectorDir(), password: PASSWORD });
    for (const name of ["op/warm%key", "ops&co <ml>", "council", "nano", "alice"]) await expect(keyring.exportMnemonic(name)).rejects.toBeInstanceOf(MnemonicNotStoredError);
    await expect(keyring.exportMnemonic("nobody")).rejects.toBeInstanceOf(KeyNotFoundError);
    await expect(keyring.exportMnemonic(dave.record.address)).rejects.toBeInstanceOf(KeyNotFoundError);
  });
});

describe("the extra item does not disturb listing or reading", () => {
  it("the vector directory plus kept phrases for alice and bob lists exactly the vector's keys; get/signer unchanged", async () => {
    const dir = vectorDir();
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    await keyring.keepMnemonic("alice", { mnemonic: alice.mnemonic!, hdPath: alice.hdPath! });
    await keyring.keepMnemonic(bob.record.address, { mnemonic: bob.mnemonic!, hdPath: bob.hdPath!, bip39Passphrase: bob.bip39Passphrase! });
    const files = readdirSync(dir);
    expect(files.filter((n) => n.endsWith(".mnemonic")).sort()).toEqual([`${alice.record.addressHex}.mnemonic`, `${bob.record.addressHex}.mnemonic`]);
    // every vector file is still there, byte for byte
    for (const f of vectorFiles) if (f.contentB64) expect(readFileSync(join(dir, f.name)).toString("base64"), f.name).toBe(f.contentB64);
    const warnings: string[] = [];
    const reopened = await openFileKeyring({ dir, password: PASSWORD, onWarning: (w) => warnings.push(w) });
    expect(await reopened.list()).toEqual(vectorList);
    expect(warnings).toEqual([]);
    for (const k of V.fileKeyring.listAfterReopen) expect((await reopened.get(k.address)).name).toBe(k.keyByAddressName);
    expect(Buffer.from((await reopened.signer("alice")).exportPrivateKey()).toString("hex")).toBe(alice.privKeyHex);
    expect((await reopened.exportMnemonic("bob")).bip39Passphrase).toBe("TREZOR");
  });

  it("a kept phrase whose key is gone (an orphan) is ignored by list() too", async () => {
    const dir = vectorDir();
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    await keyring.add("dave", { mnemonic: dave.mnemonic! }, { keepMnemonic: true });
    rmSync(join(dir, "dave.info"));
    rmSync(join(dir, `${dave.record.addressHex}.address`));
    expect(await (await openFileKeyring({ dir, password: PASSWORD })).list()).toEqual(vectorList);
  });

  it("in memoryKeyringStorage (browsers) the same: the vector files + a kept phrase list exactly the vector's keys", async () => {
    const storage = memoryKeyringStorage(vectorFiles.filter((f) => f.contentB64 !== undefined).map((f) => [unescapeFileName(f.name)!, b64(f.contentB64!)] as [string, Uint8Array]));
    const keyring = await openFileKeyring({ storage, password: PASSWORD });
    await keyring.keepMnemonic("alice", { mnemonic: alice.mnemonic! });
    expect(storage.items.has(`${alice.record.addressHex}.mnemonic`)).toBe(true);
    expect(await keyring.list()).toEqual(vectorList);
    expect((await keyring.exportMnemonic("alice")).mnemonic).toBe(alice.mnemonic);
  });

  it("a directory with no keyhash whose only readable item is a kept phrase still checks the password by decrypting it", async () => {
    const dir = emptyDir();
    await (await openFileKeyring({ dir, password: PASSWORD })).add("alice", { mnemonic: alice.mnemonic! }, { keepMnemonic: true });
    for (const n of readdirSync(dir)) if (!n.endsWith(".mnemonic")) rmSync(join(dir, n));
    await expect(openFileKeyring({ dir, password: "another password" })).rejects.toMatchObject({ name: "KeyringPasswordError", check: "decrypt" });
    expect(await (await openFileKeyring({ dir, password: PASSWORD })).list()).toEqual([]);
  });
});

describe("delete", () => {
  it("removes .address, .info and the kept phrase: the directory is as before the add", async () => {
    const dir = vectorDir();
    const before = snapshot(dir);
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    await keyring.add("dave", { mnemonic: dave.mnemonic! }, { keepMnemonic: true });
    expect(readdirSync(dir).length).toBe(before.size + 3);
    await keyring.delete("dave");
    expect(snapshot(dir)).toEqual(before);
    await expect(keyring.exportMnemonic("dave")).rejects.toBeInstanceOf(KeyNotFoundError);
    await expect(keyring.exportMnemonic(dave.record.address)).rejects.toBeInstanceOf(KeyNotFoundError);
  });

  it("keeps the phrase while another name holds the same key, removes it with the last one", async () => {
    const dir = emptyDir();
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    await keyring.add("a", { mnemonic: alice.mnemonic! }, { keepMnemonic: true });
    await keyring.add("b", { privateKey: alice.privKeyHex! }, { allowDuplicateAddress: true });
    const item = join(dir, `${alice.record.addressHex}.mnemonic`);
    await keyring.delete("a");
    expect(existsSync(item)).toBe(true);
    expect((await keyring.exportMnemonic("b")).mnemonic).toBe(alice.mnemonic);
    await keyring.delete("b");
    expect(existsSync(item)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(["keyhash"]);
  });
});

describe("the phrase follows the key, not the name (what inferenced does to the other items)", () => {
  it("after `keys delete` by the network CLI (.address then .info removed) the phrase stays readable by address", async () => {
    const dir = emptyDir();
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    await keyring.add("alice", { mnemonic: alice.mnemonic! }, { keepMnemonic: true });
    rmSync(join(dir, `${alice.record.addressHex}.address`));
    rmSync(join(dir, "alice.info"));
    await expect(keyring.exportMnemonic("alice")).rejects.toBeInstanceOf(KeyNotFoundError);
    expect((await keyring.exportMnemonic(alice.record.address)).mnemonic).toBe(alice.mnemonic);
  });

  it("after a rename (export, delete, import under a new name) the new name finds the phrase", async () => {
    const dir = emptyDir();
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    await keyring.add("old", { mnemonic: alice.mnemonic! }, { keepMnemonic: true });
    rmSync(join(dir, `${alice.record.addressHex}.address`));
    rmSync(join(dir, "old.info"));
    await keyring.add("new", { privateKey: alice.privKeyHex! });
    expect(await keyring.exportMnemonic("new")).toEqual({ address: alice.record.address, mnemonic: alice.mnemonic, hdPath: "m/44'/1200'/0'/0/0" });
  });
});

describe("keepMnemonic on a stored key", () => {
  it("refuses a phrase that derives another address and writes nothing", async () => {
    const dir = vectorDir();
    const before = snapshot(dir);
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    await expect(keyring.keepMnemonic("alice", { mnemonic: alice.mnemonic!, hdPath: "m/44'/1200'/0'/0/1" })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(keyring.keepMnemonic("bob", { mnemonic: bob.mnemonic! })).rejects.toBeInstanceOf(InvalidArgumentError); // without TREZOR
    expect(snapshot(dir)).toEqual(before);
  });

  it("is idempotent: keeping the same phrase again leaves the item untouched", async () => {
    const dir = vectorDir();
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    await keyring.keepMnemonic("alice", { mnemonic: alice.mnemonic! });
    const first = snapshot(dir);
    await keyring.keepMnemonic("alice", { mnemonic: alice.mnemonic! });
    expect(snapshot(dir)).toEqual(first);
  });
});

describe("damaged or foreign items are refused and never overwritten", () => {
  async function withItem(data: Uint8Array | string, key = `${alice.record.addressHex}.mnemonic`) {
    const dir = emptyDir();
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    await keyring.add("alice", { mnemonic: alice.mnemonic! });
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    writeFileSync(join(dir, `${alice.record.addressHex}.mnemonic`), await encryptJwe(encodeItem({ key, data: bytes }), PASSWORD), { mode: 0o600 });
    return { dir, keyring, file: join(dir, `${alice.record.addressHex}.mnemonic`) };
  }

  it("a phrase that derives another address: MnemonicItemError(mismatch), on export and on keep", async () => {
    const { keyring, file } = await withItem(JSON.stringify({ version: 1, address: alice.record.address, hdPath: "m/44'/1200'/0'/0/0", mnemonic: dave.mnemonic }));
    const before = readFileSync(file, "utf8");
    await expect(keyring.exportMnemonic("alice")).rejects.toMatchObject({ name: "MnemonicItemError", problem: "mismatch" });
    await expect(keyring.keepMnemonic("alice", { mnemonic: alice.mnemonic! })).rejects.toBeInstanceOf(MnemonicItemError);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("an item that names another address: mismatch", async () => {
    const { keyring } = await withItem(JSON.stringify({ version: 1, address: dave.record.address, hdPath: "m/44'/1200'/0'/0/0", mnemonic: dave.mnemonic }));
    await expect(keyring.exportMnemonic("alice")).rejects.toMatchObject({ name: "MnemonicItemError", problem: "mismatch" });
  });

  it("not JSON, wrong version, missing members: MnemonicItemError(format)", async () => {
    for (const data of [`{"mnemonic":"${alice.mnemonic}"`, JSON.stringify({ version: 2, address: alice.record.address, hdPath: "m/44'/1200'/0'/0/0", mnemonic: alice.mnemonic }), JSON.stringify({ version: 1, address: alice.record.address, mnemonic: alice.mnemonic }), "[]"]) {
      const { keyring } = await withItem(data);
      await expect(keyring.exportMnemonic("alice")).rejects.toMatchObject({ name: "MnemonicItemError", problem: "format" });
    }
  });

  it("another item's file copied over it (its inner key differs): KeyringItemError(item)", async () => {
    const dir = emptyDir();
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    await keyring.add("alice", { mnemonic: alice.mnemonic! });
    await keyring.add("dave", { mnemonic: dave.mnemonic! }, { keepMnemonic: true });
    const daveHex = readdirSync(dir).find((n) => n.endsWith(".mnemonic"))!;
    copyFileSync(join(dir, daveHex), join(dir, `${alice.record.addressHex}.mnemonic`));
    await expect(keyring.exportMnemonic("alice")).rejects.toMatchObject({ name: "KeyringItemError", problem: "item" });
  });

  it("an item written with another password makes add(keepMnemonic) fail without writing the key", async () => {
    const dir = emptyDir();
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    await keyring.add("dave", { mnemonic: dave.mnemonic! });
    const item = `${alice.record.addressHex}.mnemonic`;
    writeFileSync(join(dir, item), await encryptJwe(encodeItem({ key: item, data: new Uint8Array(4) }), "another password"), { mode: 0o600 });
    const before = snapshot(dir);
    const err = await keyring.add("alice", { mnemonic: alice.mnemonic! }, { keepMnemonic: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyringItemError);
    expect(snapshot(dir)).toEqual(before);
  });
});
