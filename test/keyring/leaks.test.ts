/**
 * No error path of the keyring or the armor code carries a password, a passphrase, a mnemonic, a
 * private key or any part of them — in the message, details, meta lines, stack, cause chain,
 * `JSON.stringify` or `util.inspect` of the error — and neither does an open keyring or signer.
 * The kept-mnemonic paths (exportMnemonic, keepMnemonic, damaged items, the keyring.json
 * migration and `keys show --mnemonic` on the CLI) leak no phrase into errors, warnings or output.
 */
import { afterAll, describe, expect, it } from "vitest";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { openFileKeyring, type FileKeyring } from "../../src/chain/keyring/file-keyring.js";
import { exportArmoredPrivateKey, importArmoredPrivateKey } from "../../src/chain/keyring/armor.js";
import { decodeArmor, encodeArmor } from "../../src/chain/keyring/openpgp-armor.js";
import { encryptJwe } from "../../src/chain/keyring/jwe.js";
import { encodeItem } from "../../src/chain/keyring/item.js";
import { GonkaError } from "../../src/errors.js";
import { gonka } from "../devnet/cli-helpers.js";
import { PASSWORD, V, b64, removeDir, tempDir, writeVectorDir, type VectorFile } from "./helpers.js";

const made: string[] = [];
afterAll(() => made.forEach((d) => removeDir(d)));

const passwords = [
  PASSWORD,
  ...V.negative.flatMap((n) => n.passwordLines ?? []).filter((p) => p.length >= 8),
  ...V.exports.flatMap((x) => [x.passphrase, x.wrongPassphrase]),
  ...V.legacyArmors.flatMap((x) => [x.passphrase, x.wrongPassphrase]),
  "my secret export passphrase",
];
const hexSecrets = [
  ...V.fileKeyring.keys.flatMap((k) => (k.privKeyHex ? [k.privKeyHex] : [])),
  ...V.testKeyring.keys.map((k) => k.privKeyHex),
  ...V.exports.map((x) => x.decryptedPrivKeyHex),
  ...V.legacyArmors.map((x) => x.privKeyHex),
];
const mnemonics = [...V.fileKeyring.keys.flatMap((k) => (k.mnemonic ? [k.mnemonic] : [])), ...V.testKeyring.keys.flatMap((k) => (k.mnemonic ? [k.mnemonic] : []))];

/** Every fragment no error text may contain: 14-character windows of passwords (shorter ones whole), 8-hex-digit windows of keys, 3-word runs of mnemonics. */
const forbidden = new Set<string>();
for (const p of passwords) for (let i = 0; i + 14 <= p.length; i++) forbidden.add(p.slice(i, i + 14));
for (const p of passwords) if (p.length < 14) forbidden.add(p);
for (const h of hexSecrets) for (let i = 0; i + 8 <= h.length; i += 2) forbidden.add(h.slice(i, i + 8));
for (const h of hexSecrets) forbidden.add(Buffer.from(h, "hex").toString("base64").slice(0, 12));
for (const m of mnemonics) {
  const w = m.split(" ");
  for (let i = 0; i + 3 <= w.length; i++) forbidden.add(w.slice(i, i + 3).join(" "));
}

function textsOf(err: unknown): string {
  const parts: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur !== undefined && cur !== null && depth < 10; depth++) {
    if (cur instanceof Error) parts.push(cur.message, cur.stack ?? "", String(cur));
    if (cur instanceof GonkaError) parts.push(cur.shortMessage, cur.details ?? "", ...(cur.metaMessages ?? []));
    parts.push(JSON.stringify(cur) ?? "", inspect(cur, { depth: 6, showHidden: true }));
    cur = (cur as { cause?: unknown }).cause;
  }
  return parts.join("\n");
}

const errors: Array<[string, unknown]> = [];
async function record(what: string, p: Promise<unknown> | (() => unknown)): Promise<void> {
  try {
    await (typeof p === "function" ? p() : p);
    errors.push([what, new Error(`${what}: did not throw`)]);
  } catch (e) {
    errors.push([what, e]);
  }
}

function freshDir(): string {
  const dir = writeVectorDir(V.fileKeyring.files as VectorFile[]);
  made.push(join(dir, ".."));
  return dir;
}

describe("leak check of every error path", () => {
  it("collects the errors", async () => {
    const dir = freshDir();
    const neg = Object.fromEntries(V.negative.map((n) => [n.id, n]));
    // opening
    for (const pw of neg["wrong-password-keyhash-present"]!.passwordLines!) await record("wrong password", openFileKeyring({ dir, password: pw }));
    await record("short password", openFileKeyring({ dir, password: "short" }));
    await record("attempts", openFileKeyring({ dir, password: () => "incorrect horse battery" }));
    await record("no password", openFileKeyring({ dir }));
    const noKeyhash = freshDir();
    rmSync(join(noKeyhash, "keyhash"));
    await record("missing keyhash, wrong password", openFileKeyring({ dir: noKeyhash, password: "incorrect horse battery" }));
    let n = 0;
    await record("mismatch", openFileKeyring({ dir: noKeyhash, password: () => (n++ % 2 ? "correct horse batteryx" : PASSWORD) }));
    const corrupt = freshDir();
    writeFileSync(join(corrupt, "keyhash"), "$2a$10$broken");
    await record("corrupt keyhash", openFileKeyring({ dir: corrupt, password: PASSWORD }));
    await record("read as test", openFileKeyring({ dir, backend: "test" }));
    // files
    for (const c of V.negative.filter((x) => "fileB64" in x)) {
      const d = freshDir();
      writeFileSync(join(d, "alice.info"), b64((c as { fileB64: string }).fileB64));
      const k = await openFileKeyring({ dir: d, password: PASSWORD });
      await record(c.id, k.signer("alice"));
      await record(`${c.id} by address`, k.signer(V.fileKeyring.keys[0]!.record.address));
    }
    const keyring: FileKeyring = await openFileKeyring({ dir, password: PASSWORD });
    writeFileSync(join(dir, "garbage.info"), await encryptJwe(encodeItem({ key: "garbage.info", data: Uint8Array.of(0xff, 0xff, 0xff, 0xff) }), PASSWORD));
    await record("garbage record", keyring.get("garbage"));
    await record("missing key", keyring.signer("nobody"));
    await record("empty name", keyring.signer(""));
    await record("missing address", keyring.get("gonka1zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg33gsu4d"));
    const alice = V.fileKeyring.keys[0]!;
    await record("duplicate name", keyring.add("alice", { mnemonic: V.testKeyring.keys[0]!.mnemonic! }));
    await record("duplicate address", keyring.add("alice2", { mnemonic: alice.mnemonic!, hdPath: alice.hdPath! }));
    await record("duplicate address (hex)", keyring.add("alice3", { privateKey: alice.privKeyHex! }));
    await record("bad mnemonic", keyring.add("x", { mnemonic: `${alice.mnemonic!.replace(/about$/, "abandon")}` }));
    await record("bad mnemonic word", keyring.add("x", { mnemonic: `${alice.mnemonic!.replace(/about$/, "aboutt")}` }));
    await record("bad private key", keyring.add("x", { privateKey: `${alice.privKeyHex!.slice(0, 62)}zz` }));
    await record("short private key", keyring.add("x", { privateKey: alice.privKeyHex!.slice(0, 62) }));
    await record("bad name", keyring.add("a\nb", { privateKey: alice.privKeyHex! }));
    await record("export offline", keyring.exportArmor("ops&co <ml>", "my secret export passphrase"));
    await record("export ledger", keyring.exportArmor("nano", "my secret export passphrase"));
    await record("sign multi", keyring.signer("council"));
    await record("export short passphrase", keyring.exportArmor("alice", "short"));
    rmSync(join(dir, "alice.info"));
    await record("orphan", keyring.get(alice.record.address));
    await record("delete missing", keyring.delete("alice"));
    // armors
    for (const x of [...V.exports, ...V.legacyArmors]) {
      await record("armor wrong passphrase", importArmoredPrivateKey(x.armor, x.wrongPassphrase));
      const block = decodeArmor(x.armor);
      const data = Uint8Array.from(block.data);
      data[3]! ^= 0x40;
      await record("armor altered, CRC recomputed", importArmoredPrivateKey(encodeArmor({ ...block, data }), x.passphrase));
      await record("armor checksum", importArmoredPrivateKey(x.armor.replace(/\n\n./, "\n\n/"), x.passphrase));
      await record("armor kdf", importArmoredPrivateKey(x.armor.replace(/kdf: \w+/, "kdf: scrypt"), x.passphrase));
      await record("armor salt", importArmoredPrivateKey(x.armor.replace(/salt: \w+\n/, ""), x.passphrase));
      await record("armor into keyring, wrong passphrase", keyring.importArmor("imp", x.armor, x.wrongPassphrase));
    }
    await record("export bad key", exportArmoredPrivateKey(`${hexSecrets[0]!.slice(0, 60)}`, "my secret export passphrase"));
    await record("export short passphrase", exportArmoredPrivateKey(hexSecrets[0]!, "short"));
    expect(errors.length).toBeGreaterThan(50);
  });

  it("every collected error is a GonkaError and contains no secret fragment", () => {
    expect(errors.length).toBeGreaterThan(50);
    for (const [what, e] of errors) {
      expect(e, what).toBeInstanceOf(GonkaError);
      const text = textsOf(e);
      for (const f of forbidden) if (text.includes(f)) throw new Error(`${what}: the error text contains a secret fragment (${f.length} chars)`);
    }
  });

  it("an open keyring and a signer do not show the password or the key", async () => {
    const keyring = await openFileKeyring({ dir: freshDir(), password: PASSWORD });
    const signer = await keyring.signer("alice");
    for (const text of [inspect(keyring, { depth: 5 }), JSON.stringify(keyring), inspect(signer, { depth: 5 }), JSON.stringify(signer)]) {
      for (const f of forbidden) expect(text.includes(f), text).toBe(false);
    }
  });
});

describe("leak check of the kept-mnemonic paths (errors, warnings, CLI output)", () => {
  const alice = V.fileKeyring.keys.find((k) => k.name === "alice")!;
  const bob = V.fileKeyring.keys.find((k) => k.name === "bob")!;
  const dave = V.testKeyring.keys.find((k) => k.name === "dave")!;
  const extra = new Set(forbidden);
  for (const k of V.fileKeyring.keys) if (k.bip39Passphrase) extra.add(k.bip39Passphrase);
  const mnemonicErrors: Array<[string, unknown]> = [];
  const logs: string[] = [];
  async function rec(what: string, p: Promise<unknown>): Promise<void> {
    try {
      await p;
      mnemonicErrors.push([what, new Error(`${what}: did not throw`)]);
    } catch (e) {
      mnemonicErrors.push([what, e]);
    }
  }
  const check = (what: string, text: string) => {
    for (const f of extra) if (text.includes(f)) throw new Error(`${what}: contains a secret fragment (${f.length} chars)`);
  };

  it("collects the errors and warnings of every kept-mnemonic path", async () => {
    const dir = freshDir();
    const keyring = await openFileKeyring({ dir, password: PASSWORD, onWarning: (w) => logs.push(w) });
    await keyring.keepMnemonic("bob", { mnemonic: bob.mnemonic!, hdPath: bob.hdPath!, bip39Passphrase: bob.bip39Passphrase! });
    await keyring.add("dave", { mnemonic: dave.mnemonic! }, { keepMnemonic: true });
    await rec("not stored", keyring.exportMnemonic("alice"));
    await rec("not stored (address)", keyring.exportMnemonic(alice.record.address));
    await rec("unknown name", keyring.exportMnemonic("nobody"));
    await rec("keep: wrong path", keyring.keepMnemonic("alice", { mnemonic: alice.mnemonic!, hdPath: "m/44'/1200'/0'/0/7" }));
    await rec("keep: missing BIP-39 passphrase", keyring.keepMnemonic("bob", { mnemonic: bob.mnemonic! }));
    await rec("keep: other key's phrase", keyring.keepMnemonic("alice", { mnemonic: dave.mnemonic! }));
    await rec("keep: bad checksum", keyring.keepMnemonic("alice", { mnemonic: alice.mnemonic!.replace(/about$/, "abandon") }));
    await rec("keep: unknown key", keyring.keepMnemonic("nobody", { mnemonic: alice.mnemonic! }));
    await rec("keep: private key input", keyring.add("x", { privateKey: alice.privKeyHex! }, { keepMnemonic: true }));
    const item = `${alice.record.addressHex}.mnemonic`;
    const plant = async (data: string, password = PASSWORD) => writeFileSync(join(dir, item), await encryptJwe(encodeItem({ key: item, data: new TextEncoder().encode(data) }), password));
    await plant(JSON.stringify({ version: 1, address: alice.record.address, hdPath: "m/44'/1200'/0'/0/0", mnemonic: dave.mnemonic }));
    await rec("item mismatch", keyring.exportMnemonic("alice"));
    await rec("item mismatch on keep", keyring.keepMnemonic("alice", { mnemonic: alice.mnemonic! }));
    await plant(`{"version":1,"mnemonic":"${alice.mnemonic}`);
    await rec("item not JSON (phrase inside)", keyring.exportMnemonic("alice"));
    await plant(JSON.stringify({ version: 1, address: alice.record.address, hdPath: "m/x", mnemonic: alice.mnemonic }));
    await rec("item with a bad path", keyring.exportMnemonic("alice"));
    await plant(JSON.stringify({ version: 1, address: alice.record.address, hdPath: "m/44'/1200'/0'/0/0", mnemonic: `${alice.mnemonic} zzzz` }));
    await rec("item with a bad phrase", keyring.exportMnemonic("alice"));
    await plant(JSON.stringify({ version: 1, address: alice.record.address, hdPath: "m/44'/1200'/0'/0/0", mnemonic: alice.mnemonic }), "another password");
    await rec("item under another password", keyring.exportMnemonic("alice"));
    await rec("add over a foreign item", keyring.add("alice2", { mnemonic: alice.mnemonic! }, { keepMnemonic: true, allowDuplicateAddress: true }));
    await keyring.list();
    await keyring.delete("dave");
    await keyring.delete("bob");
    expect(mnemonicErrors.length).toBe(16);
  });

  it("every collected error is a GonkaError with no secret fragment; no warning was logged", () => {
    expect(mnemonicErrors.length).toBe(16);
    for (const [what, e] of mnemonicErrors) {
      expect(e, what).toBeInstanceOf(GonkaError);
      check(what, textsOf(e));
    }
    expect(logs).toEqual([]);
  });

  it("the CLI's migration (success and each failure) and `keys show` print no phrase on stdout or stderr", async () => {
    const entry = { name: "op", address: alice.record.address, pubkey: "", hdPath: "m/44'/1200'/0'/0/0", mnemonic: alice.mnemonic, createdAt: "2026-01-01T00:00:00Z" };
    const runs: Array<[string, string[], Array<object>, ((h: string) => Promise<void>) | undefined]> = [
      ["migration", ["keys", "list"], [entry], undefined],
      ["migration, wrong address", ["keys", "list"], [{ ...entry, address: dave.record.address }], undefined],
      ["migration, bad checksum", ["keys", "list"], [{ ...entry, mnemonic: alice.mnemonic!.replace(/about$/, "abandon") }], undefined],
      ["migration, foreign item", ["keys", "list"], [entry], async (h) => {
        const k = await openFileKeyring({ dir: join(h, "keyring-file"), password: PASSWORD });
        await k.add("dave", { mnemonic: dave.mnemonic! });
        const item = `${alice.record.addressHex}.mnemonic`;
        writeFileSync(join(h, "keyring-file", item), await encryptJwe(encodeItem({ key: item, data: new TextEncoder().encode(`{"mnemonic":"${dave.mnemonic}`) }), PASSWORD));
      }],
      ["show without --yes", ["keys", "show", "op", "--mnemonic"], [entry], undefined],
      ["show, not stored", ["keys", "show", "op", "--mnemonic", "--yes"], [{ ...entry, mnemonic: undefined, privateKeyHex: alice.privKeyHex }], undefined],
    ];
    for (const [what, argv, entries, prepare] of runs) {
      const h = tempDir("gonka-leak-");
      made.push(h);
      writeFileSync(join(h, "keyring.json"), JSON.stringify({ version: 1, keys: entries }), { mode: 0o600 });
      if (prepare) await prepare(h);
      const r = await gonka([...argv, "--home", h], { env: { KEYRING_PASSWORD: PASSWORD } });
      check(what, r.stdout + r.stderr);
    }
  });
});
