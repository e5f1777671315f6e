/**
 * negative[]: each of the 27 failure and edge cases of the network CLI, against the fileKeyring
 * directory, gives the expected typed error (or, where the network CLI silently does something
 * unsafe, the documented refusal).
 */
import { afterAll, describe, expect, it } from "vitest";
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openFileKeyring, type KeyringPasswordRequest } from "../../src/chain/keyring/file-keyring.js";
import { encryptJwe } from "../../src/chain/keyring/jwe.js";
import { encodeItem } from "../../src/chain/keyring/item.js";
import { verifyKeyhash } from "../../src/chain/keyring/keyhash.js";
import {
  DuplicateKeyAddressError,
  InvalidKeyNameError,
  InvalidKeyringPasswordError,
  KeyExistsError,
  KeyhashError,
  KeyNotFoundError,
  KeyRecordError,
  KeyringItemError,
  KeyringPasswordAttemptsError,
  KeyringPasswordError,
  UnsupportedKeyTypeError,
  type KeyringPasswordFailure,
} from "../../src/chain/keyring/errors.js";
import { PASSWORD, V, b64, removeDir, snapshot, writeVectorDir, type VectorFile } from "./helpers.js";

const made: string[] = [];
afterAll(() => made.forEach((d) => removeDir(d)));
const N = Object.fromEntries(V.negative.map((n) => [n.id, n])) as Record<string, (typeof V.negative)[number] & Record<string, unknown>>;
const alice = V.fileKeyring.keys.find((k) => k.name === "alice")!;
const dave = V.testKeyring.keys.find((k) => k.name === "dave")!;

function freshDir(): string {
  const dir = writeVectorDir(V.fileKeyring.files as VectorFile[]);
  made.push(join(dir, ".."));
  return dir;
}

/** A prompt that answers with the case's typed lines, in order, and records what it was asked. */
function lines(passwordLines: string[]) {
  const asked: KeyringPasswordRequest[] = [];
  let i = 0;
  const source = (r: KeyringPasswordRequest) => {
    asked.push(r);
    if (i >= passwordLines.length) throw new Error("no more lines");
    return passwordLines[i++]!;
  };
  return { source, asked };
}

/** The network CLI's stderr line for each of our failure codes. */
const STDERR: Record<KeyringPasswordFailure, string> = {
  incorrect: "incorrect passphrase",
  "too-short": "password must be at least 8 characters",
  mismatch: "passphrase do not match",
  "too-long": "bcrypt: password length exceeds 72 bytes",
  "does-not-decrypt": "(none: the network CLI fails later, at decryption)",
};

async function caught(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe("negative: passwords", () => {
  it(`wrong-password-keyhash-present → KeyringPasswordError / KeyringPasswordAttemptsError (${N["wrong-password-keyhash-present"]!.error})`, async () => {
    const c = N["wrong-password-keyhash-present"]!;
    const dir = freshDir();
    for (const pw of c.passwordLines!) expect(await caught(openFileKeyring({ dir, password: pw }))).toMatchObject({ name: "KeyringPasswordError", check: "keyhash" });
    const { source } = lines(c.passwordLines!);
    const e = await caught(openFileKeyring({ dir, password: source }));
    expect(e).toBeInstanceOf(KeyringPasswordAttemptsError);
    expect((e as KeyringPasswordAttemptsError).failures.map((f) => STDERR[f])).toEqual(c.stderr);
  });

  it("right-after-two-wrong: the third line opens the keyring, each retry is told why", async () => {
    const c = N["right-after-two-wrong"]!;
    const { source, asked } = lines(c.passwordLines!);
    const keyring = await openFileKeyring({ dir: freshDir(), password: source });
    expect((await keyring.list()).length).toBe(6);
    expect(asked.slice(1).map((a) => STDERR[a.previousFailure!])).toEqual(c.stderr);
  });

  it(`short-password → InvalidKeyringPasswordError too-short (${N["short-password"]!.error})`, async () => {
    const c = N["short-password"]!;
    const dir = freshDir();
    expect(await caught(openFileKeyring({ dir, password: "short" }))).toMatchObject({ name: "InvalidKeyringPasswordError", problem: "too-short" });
    const e = (await caught(openFileKeyring({ dir, password: lines(c.passwordLines!).source }))) as KeyringPasswordAttemptsError;
    expect(e).toBeInstanceOf(KeyringPasswordAttemptsError);
    expect(e.failures.map((f) => STDERR[f])).toEqual(c.stderr);
  });

  it(`missing-keyhash-wrong-password → KeyringPasswordError decrypt, and no keyhash is written (${N["missing-keyhash-wrong-password"]!.error})`, async () => {
    const c = N["missing-keyhash-wrong-password"]!;
    const dir = freshDir();
    rmSync(join(dir, "keyhash"));
    const e = await caught(openFileKeyring({ dir, password: c.passwordLines![0]! }));
    expect(e).toBeInstanceOf(KeyringPasswordError);
    expect(e).toMatchObject({ check: "decrypt" });
    // with a prompt: asked twice per attempt, as the network CLI does without a keyhash
    const { source, asked } = lines([...c.passwordLines!, ...c.passwordLines!, ...c.passwordLines!]);
    const e2 = (await caught(openFileKeyring({ dir, password: source }))) as KeyringPasswordAttemptsError;
    expect(e2.failures).toEqual(["does-not-decrypt", "does-not-decrypt", "does-not-decrypt"]);
    expect(asked.map((a) => a.confirm)).toEqual([false, true, false, true, false, true]);
    expect(existsSync(join(dir, "keyhash"))).toBe(false); // the network CLI writes the wrong one here
  });

  it("missing-keyhash-right-password: opens, writes nothing until a key is added, then a keyhash of the right password", async () => {
    const c = N["missing-keyhash-right-password"]!;
    const dir = freshDir();
    rmSync(join(dir, "keyhash"));
    const keyring = await openFileKeyring({ dir, password: lines(c.passwordLines!).source });
    expect((await keyring.list()).length).toBe(6);
    expect(existsSync(join(dir, "keyhash"))).toBe(false);
    await keyring.add("dave", { mnemonic: dave.mnemonic!, hdPath: dave.hdPath! });
    expect(await verifyKeyhash(PASSWORD, readFileSync(join(dir, "keyhash"), "utf8"))).toBe(c.keyhashWrittenMatchesRight);
  });

  it(`missing-keyhash-mismatch → KeyringPasswordAttemptsError mismatch ×3 (${N["missing-keyhash-mismatch"]!.error})`, async () => {
    const c = N["missing-keyhash-mismatch"]!;
    const dir = freshDir();
    rmSync(join(dir, "keyhash"));
    const e = (await caught(openFileKeyring({ dir, password: lines(c.passwordLines!).source }))) as KeyringPasswordAttemptsError;
    expect(e).toBeInstanceOf(KeyringPasswordAttemptsError);
    expect(e.failures.map((f) => STDERR[f])).toEqual(c.stderr);
    expect(new InvalidKeyringPasswordError("mismatch").problem).toBe("mismatch");
  });

  it(`corrupt-keyhash → KeyhashError (network CLI: ${N["corrupt-keyhash"]!.error})`, async () => {
    const dir = freshDir();
    writeFileSync(join(dir, "keyhash"), "this is not a bcrypt hash");
    expect(await caught(openFileKeyring({ dir, password: PASSWORD }))).toBeInstanceOf(KeyhashError);
  });
});

describe("negative: altered files", () => {
  const cases: Array<[string, string]> = [
    ["tampered-ciphertext", "authentication"],
    ["tampered-tag", "authentication"],
    ["tampered-iv", "authentication"],
    ["tampered-encrypted-key", "unwrap"],
    ["tampered-header-created", "authentication"],
    ["p2c-over-limit", "p2c"],
    ["not-a-jwe", "encoding"],
    ["four-segments", "segments"],
  ];
  for (const [id, problem] of cases) {
    const c = N[id]!;
    it(`${id} → KeyringItemError ${problem} (${c.error}); list() skips it with a warning`, async () => {
      const dir = freshDir();
      writeFileSync(join(dir, "alice.info"), b64(c.fileB64 as string));
      const warnings: string[] = [];
      const keyring = await openFileKeyring({ dir, password: PASSWORD, onWarning: (w) => warnings.push(w) });
      const e = await caught(keyring.signer("alice"));
      expect(e).toBeInstanceOf(KeyringItemError);
      expect(e).toMatchObject({ problem, file: "alice.info" });
      if (id === "not-a-jwe") expect((e as Error).message).toContain("byte 5");
      expect((await keyring.list()).map((k) => k.name)).toEqual(["bob", "council", "nano", "op/warm%key", "ops&co <ml>"]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain("alice.info");
    });
  }
});

describe("negative: records and lookups", () => {
  async function withGarbage() {
    const dir = freshDir();
    const token = await encryptJwe(encodeItem({ key: "garbage.info", data: Uint8Array.of(0xff, 0xff, 0xff, 0xff) }), PASSWORD);
    writeFileSync(join(dir, "garbage.info"), token, { mode: 0o600 });
    return dir;
  }

  it(`garbage-record → KeyRecordError (${N["garbage-record"]!.error})`, async () => {
    const keyring = await openFileKeyring({ dir: await withGarbage(), password: PASSWORD });
    const e = await caught(keyring.get("garbage"));
    expect(e).toBeInstanceOf(KeyRecordError);
    expect(e).toMatchObject({ file: "garbage.info" });
  });

  it("list-skips-bad-record: listedNames, and the skipped key is reported", async () => {
    const c = N["list-skips-bad-record"]!;
    const warnings: string[] = [];
    const keyring = await openFileKeyring({ dir: await withGarbage(), password: PASSWORD, onWarning: (w) => warnings.push(w) });
    expect((await keyring.list()).map((k) => k.name)).toEqual(c.listedNames);
    expect(warnings).toEqual([expect.stringContaining("garbage.info")]);
  });

  it(`missing-key → KeyNotFoundError (${N["missing-key"]!.error})`, async () => {
    const keyring = await openFileKeyring({ dir: freshDir(), password: PASSWORD });
    expect(await caught(keyring.get("nobody"))).toMatchObject({ name: "KeyNotFoundError", key: "nobody" });
    expect(await caught(keyring.signer("nobody"))).toBeInstanceOf(KeyNotFoundError);
  });

  it(`empty-name → InvalidKeyNameError (${N["empty-name"]!.error})`, async () => {
    const keyring = await openFileKeyring({ dir: freshDir(), password: PASSWORD });
    expect(await caught(keyring.signer(""))).toBeInstanceOf(InvalidKeyNameError);
    expect(await caught(keyring.add("", { mnemonic: alice.mnemonic! }))).toBeInstanceOf(InvalidKeyNameError);
  });

  it(`missing-address → KeyNotFoundError (${N["missing-address"]!.error})`, async () => {
    const keyring = await openFileKeyring({ dir: freshDir(), password: PASSWORD });
    const addr = /gonka1[0-9a-z]+/.exec(N["missing-address"]!.error!)![0];
    expect(await caught(keyring.get(addr))).toMatchObject({ name: "KeyNotFoundError", key: addr });
  });

  it("duplicate-name → KeyExistsError, nothing written (the network CLI's keystore silently replaces alice)", async () => {
    const c = N["duplicate-name"]!;
    const dir = freshDir();
    const before = snapshot(dir);
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    const e = await caught(keyring.add("alice", { mnemonic: dave.mnemonic!, hdPath: dave.hdPath! }));
    expect(e).toBeInstanceOf(KeyExistsError);
    expect(snapshot(dir)).toEqual(before);
    expect((await keyring.get(c.oldAddress as string)).name).toBe("alice");
    expect((await keyring.get("alice")).address).toBe(c.oldAddress);
  });

  it(`duplicate-address → DuplicateKeyAddressError (${N["duplicate-address"]!.error})`, async () => {
    const dir = freshDir();
    const before = snapshot(dir);
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    const e = await caught(keyring.add("alice2", { mnemonic: alice.mnemonic!, hdPath: alice.hdPath! }));
    expect(e).toBeInstanceOf(DuplicateKeyAddressError);
    expect(e).toMatchObject({ existingName: "alice", address: alice.record.address });
    expect(snapshot(dir)).toEqual(before);
  });

  it("same-key-other-name-import: refused by default; confirmed, it leaves the network CLI's filesAfter", async () => {
    const c = N["same-key-other-name-import"]!;
    const dir = freshDir();
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    expect(await caught(keyring.add("alice-copy", { privateKey: alice.privKeyHex! }))).toBeInstanceOf(DuplicateKeyAddressError);
    await keyring.add("alice-copy", { privateKey: alice.privKeyHex! }, { allowDuplicateAddress: true });
    expect(readdirSync(dir).sort()).toEqual([...(c.filesAfter as string[])].sort());
    expect((await keyring.get(alice.record.address)).name).toBe(c.keyByAddressName);
    expect(c.originalStillReadable).toBe(true);
    expect((await keyring.signer("alice")).address).toBe(alice.record.address);
  });

  it(`name-ending-in-info: found by name here (network CLI: ${N["name-ending-in-info"]!.error}) and by address`, async () => {
    const c = N["name-ending-in-info"]!;
    const keyring = await openFileKeyring({ dir: freshDir(), password: PASSWORD });
    const info = await keyring.add("warminfo", { mnemonic: dave.mnemonic!, hdPath: dave.hdPath! });
    expect((await keyring.signer("warminfo")).address).toBe(info.address);
    expect((await keyring.get(info.address)).name).toBe(c.keyByAddressName);
    expect((await keyring.list()).map((k) => k.name)).toContain("warminfo");
  });

  it(`export-offline → UnsupportedKeyTypeError (${N["export-offline"]!.error})`, async () => {
    const keyring = await openFileKeyring({ dir: freshDir(), password: PASSWORD });
    const e = await caught(keyring.exportArmor("ops&co <ml>", "export passphrase"));
    expect(e).toBeInstanceOf(UnsupportedKeyTypeError);
    expect(e).toMatchObject({ keyType: "offline", keyName: "ops&co <ml>" });
  });

  it(`orphan-address → KeyNotFoundError (${N["orphan-address"]!.error})`, async () => {
    const dir = freshDir();
    rmSync(join(dir, "alice.info"));
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    const e = await caught(keyring.get(alice.record.address));
    expect(e).toBeInstanceOf(KeyNotFoundError);
    expect((e as Error).message).toContain("alice.info");
    // an orphaned address item does not block adding the key again
    expect(await keyring.add("alice", { privateKey: alice.privKeyHex! })).toMatchObject({ address: alice.record.address });
  });

  it(`file-dir-read-as-test-backend → KeyringPasswordError decrypt (${N["file-dir-read-as-test-backend"]!.error})`, async () => {
    const dir = freshDir();
    const testDir = join(dir, "..", "keyring-test");
    cpSync(dir, testDir, { recursive: true });
    copyFileSync(join(dir, "keyhash"), join(testDir, "keyhash"));
    expect(await caught(openFileKeyring({ dir: testDir, backend: "test" }))).toMatchObject({ name: "KeyringPasswordError", check: "decrypt" });
  });
});

it("covers all 27 negative vectors", () => {
  expect(V.negative).toHaveLength(27);
});
