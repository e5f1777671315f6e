/**
 * The migration of gonka 0.1's plaintext `keyring.json` keeps every mnemonic (encrypted, in
 * `<hex address>.mnemonic`), verifies it from disk before the plaintext goes, and keeps the
 * plaintext whenever anything fails; `gonka keys show NAME --mnemonic` (with a confirmation or
 * --yes), `keys add|import --keep-mnemonic` and `keys delete` on the CLI. The kept items are read
 * back here with the reference's JWE decryption and the addresses derived independently.
 */
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HDKey } from "@scure/bip32";
import { mnemonicToSeedSync } from "@scure/bip39";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bech32 } from "@scure/base";
import { gonka } from "../devnet/cli-helpers.js";
import { openFileKeyring } from "../../src/chain/keyring/file-keyring.js";
import { encryptJwe } from "../../src/chain/keyring/jwe.js";
import { encodeItem } from "../../src/chain/keyring/item.js";
import { PASSWORD, V, referenceDecryptItem, removeDir, tempDir, toHex } from "./helpers.js";

const made: string[] = [];
afterAll(() => made.forEach((d) => removeDir(d)));

const alice = V.fileKeyring.keys.find((k) => k.name === "alice")!;
const nano = V.fileKeyring.keys.find((k) => k.name === "nano")!;
const erin = V.testKeyring.keys.find((k) => k.name === "erin")!;
const dave = V.testKeyring.keys.find((k) => k.name === "dave")!;
const env = (extra: Record<string, string> = {}) => ({ env: { KEYRING_PASSWORD: PASSWORD, ...extra } });

const entries = [
  { name: "op", address: alice.record.address, pubkey: "", hdPath: "m/44'/1200'/0'/0/0", mnemonic: alice.mnemonic, createdAt: "2026-01-01T00:00:00Z" },
  { name: "second", address: nano.record.address, pubkey: "", hdPath: "m/44'/1200'/0'/0/1", mnemonic: alice.mnemonic, createdAt: "2026-01-01T00:00:00Z" },
  { name: "warm", address: erin.record.address, pubkey: "", privateKeyHex: erin.privKeyHex, createdAt: "2026-01-01T00:00:00Z" },
];
const legacy = (list: object[]) => JSON.stringify({ version: 1, keys: list }, null, 2);

function home(): string {
  const h = tempDir("gonka-mnemonic-");
  made.push(h);
  return h;
}
function withLegacy(list: object[] = entries): string {
  const h = home();
  writeFileSync(join(h, "keyring.json"), legacy(list), { mode: 0o600 });
  return h;
}
/** The gonka1… address of a mnemonic on a path, computed without the SDK. */
function independentAddress(mnemonic: string, path: string): string {
  const key = HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic)).derive(path);
  return bech32.encode("gonka", bech32.toWords(ripemd160(sha256(key.publicKey!))));
}
/** Reads a kept item with the reference JWE decryption. */
function keptItem(h: string, addressHex: string): Record<string, unknown> {
  const { key, data } = referenceDecryptItem(readFileSync(join(h, "keyring-file", `${addressHex}.mnemonic`), "utf8"), PASSWORD);
  expect(key).toBe(`${addressHex}.mnemonic`);
  return JSON.parse(new TextDecoder().decode(data)) as Record<string, unknown>;
}
/** 3-word runs of a phrase: none may show up where no mnemonic was asked for. */
function runsOf(mnemonic: string): string[] {
  const w = mnemonic.split(" ");
  return w.slice(0, -2).map((_, i) => w.slice(i, i + 3).join(" "));
}
function expectNoPhrase(text: string, ...phrases: string[]): void {
  for (const p of phrases) for (const r of runsOf(p)) if (text.includes(r)) throw new Error(`output contains a mnemonic fragment (${r.length} chars)`);
}

describe("migration of keyring.json keeps the mnemonics", () => {
  it("stores each mnemonic encrypted, the plaintext is deleted, and the items decrypt (reference JWE) and derive the same addresses", async () => {
    const h = withLegacy();
    const r = await gonka(["keys", "list", "--home", h, "--json"], env());
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(h, "keyring.json"))).toBe(false);
    expect(r.stderr).toMatch(/migrated 3 key\(s\).*deleted the plaintext/);
    expect(r.stderr).toContain('the mnemonics of "op", "second" are kept encrypted in the same store');
    expect(r.stderr).not.toContain("keep your written-down mnemonics");
    expect(JSON.parse(r.stdout)).toEqual([
      { name: "op", address: alice.record.address, type: "local" },
      { name: "second", address: nano.record.address, type: "local" },
      { name: "warm", address: erin.record.address, type: "local" },
    ]);
    expectNoPhrase(r.stdout + r.stderr, alice.mnemonic!);

    const op = keptItem(h, alice.record.addressHex);
    expect(op).toEqual({ version: 1, address: alice.record.address, hdPath: "m/44'/1200'/0'/0/0", mnemonic: alice.mnemonic });
    expect(independentAddress(op.mnemonic as string, op.hdPath as string)).toBe(alice.record.address);
    const second = keptItem(h, nano.record.addressHex);
    expect(second).toEqual({ version: 1, address: nano.record.address, hdPath: "m/44'/1200'/0'/0/1", mnemonic: alice.mnemonic });
    expect(independentAddress(second.mnemonic as string, second.hdPath as string)).toBe(nano.record.address);
    // a private-key entry has no phrase to keep
    expect(readdirSync(join(h, "keyring-file")).filter((n) => n.endsWith(".mnemonic")).sort()).toEqual([`${alice.record.addressHex}.mnemonic`, `${nano.record.addressHex}.mnemonic`].sort());

    const keyring = await openFileKeyring({ dir: join(h, "keyring-file"), password: PASSWORD });
    expect(await keyring.exportMnemonic("op")).toEqual({ address: alice.record.address, mnemonic: alice.mnemonic, hdPath: "m/44'/1200'/0'/0/0" });
    expect(toHex((await keyring.signer("warm")).exportPrivateKey())).toBe(erin.privKeyHex);
  });

  it("an interrupted earlier migration (key stored, phrase not yet) gets the phrase kept before the plaintext goes", async () => {
    const h = withLegacy();
    const keyring = await openFileKeyring({ dir: join(h, "keyring-file"), password: PASSWORD });
    await keyring.add("op", { privateKey: alice.privKeyHex! });
    const r = await gonka(["keys", "list", "--home", h, "--json"], env());
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(h, "keyring.json"))).toBe(false);
    expect((await keyring.exportMnemonic("op")).mnemonic).toBe(alice.mnemonic);
    expect(keptItem(h, alice.record.addressHex).mnemonic).toBe(alice.mnemonic);
  });

  it("a kept item that cannot be verified (written with another password) stops the migration: plaintext kept, unchanged", async () => {
    const h = withLegacy();
    const dir = join(h, "keyring-file");
    await (await openFileKeyring({ dir, password: PASSWORD })).add("dave", { mnemonic: dave.mnemonic! }); // the store exists, with its keyhash
    const item = `${alice.record.addressHex}.mnemonic`;
    writeFileSync(join(h, "keyring-file", item), await encryptJwe(encodeItem({ key: item, data: new Uint8Array(8) }), "another password"));
    const plaintext = readFileSync(join(h, "keyring.json"), "utf8");
    const r = await gonka(["keys", "list", "--home", h], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("keyring.json was kept");
    expect(readFileSync(join(h, "keyring.json"), "utf8")).toBe(plaintext);
    expectNoPhrase(r.stdout + r.stderr, alice.mnemonic!);
  });

  it("a mnemonic that does not give the recorded address fails the check from disk: plaintext kept", async () => {
    const h = withLegacy([{ ...entries[0], address: nano.record.address }]);
    const r = await gonka(["keys", "list", "--home", h], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/migration check failed for "op".*keyring\.json was kept/);
    expect(existsSync(join(h, "keyring.json"))).toBe(true);
    expectNoPhrase(r.stdout + r.stderr, alice.mnemonic!);
  });

  it("an invalid mnemonic in keyring.json stops the migration before anything is written: plaintext kept, no words in the error", async () => {
    const bad = alice.mnemonic!.replace(/about$/, "abandon");
    const h = withLegacy([{ ...entries[0], mnemonic: bad }]);
    const r = await gonka(["keys", "list", "--home", h], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot migrate "op".*keyring\.json was kept/);
    expect(existsSync(join(h, "keyring.json"))).toBe(true);
    expect(existsSync(join(h, "keyring-file")) ? readdirSync(join(h, "keyring-file")).filter((n) => n !== "keyhash") : []).toEqual([]);
    expectNoPhrase(r.stdout + r.stderr, bad);
  });
});

describe("gonka keys show NAME --mnemonic", () => {
  it("--yes prints the kept phrase and its path (JSON and text)", async () => {
    const h = withLegacy();
    const j = await gonka(["keys", "show", "second", "--mnemonic", "--yes", "--home", h, "--json"], env());
    expect(j.code, j.stderr).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ name: "second", address: nano.record.address, hdPath: "m/44'/1200'/0'/0/1", mnemonic: alice.mnemonic });
    const t = await gonka(["keys", "show", "op", "--mnemonic", "-y", "--home", h], env());
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toContain(`mnemonic: ${alice.mnemonic}`);
    expect(t.stdout).toContain("hdPath: m/44'/1200'/0'/0/0");
  });

  it("without --yes and no terminal to confirm: exit 2, nothing printed", async () => {
    const h = withLegacy();
    await gonka(["keys", "list", "--home", h], env());
    const r = await gonka(["keys", "show", "op", "--mnemonic", "--home", h], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--yes");
    expectNoPhrase(r.stdout + r.stderr, alice.mnemonic!);
  });

  it("a key without a kept phrase: MnemonicNotStoredError (exit 1), nothing printed", async () => {
    const h = withLegacy();
    const r = await gonka(["keys", "show", "warm", "--mnemonic", "--yes", "--home", h], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("keeps no mnemonic");
    expectNoPhrase(r.stdout + r.stderr, alice.mnemonic!);
  });

  it("plain `keys show` prints no phrase", async () => {
    const h = withLegacy();
    const r = await gonka(["keys", "show", "op", "--home", h, "--json"], env());
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).not.toHaveProperty("mnemonic");
    expectNoPhrase(r.stdout + r.stderr, alice.mnemonic!);
  });
});

describe("--keep-mnemonic and delete on the CLI", () => {
  it("keys add --keep-mnemonic keeps the phrase it printed; keys delete removes the key and the phrase", async () => {
    const h = home();
    const a = await gonka(["keys", "add", "fresh", "--keep-mnemonic", "--home", h, "--json"], env());
    expect(a.code, a.stderr).toBe(0);
    const added = JSON.parse(a.stdout) as { address: string; mnemonic: string; mnemonicKept: boolean };
    expect(added.mnemonicKept).toBe(true);
    expect(independentAddress(added.mnemonic, "m/44'/1200'/0'/0/0")).toBe(added.address);
    const s = await gonka(["keys", "show", "fresh", "--mnemonic", "--yes", "--home", h, "--json"], env());
    expect(JSON.parse(s.stdout).mnemonic).toBe(added.mnemonic);
    const d = await gonka(["keys", "delete", "fresh", "--home", h], env());
    expect(d.code, d.stderr).toBe(0);
    expect(readdirSync(join(h, "keyring-file")).sort()).toEqual(["keyhash"]);
  });

  it("keys add without --keep-mnemonic stores no phrase (as inferenced)", async () => {
    const h = home();
    const a = await gonka(["keys", "add", "plain", "--home", h, "--json"], env());
    expect(a.code, a.stderr).toBe(0);
    expect(readdirSync(join(h, "keyring-file")).some((n) => n.endsWith(".mnemonic"))).toBe(false);
  });

  it("keys import --keep-mnemonic (stdin) keeps it; with --private-key it is a usage error", async () => {
    const h = home();
    const r = await gonka(["keys", "import", "dave", "--keep-mnemonic", "--home", h, "--json"], { ...env(), stdin: dave.mnemonic! });
    expect(r.code, r.stderr).toBe(0);
    expect(keptItem(h, dave.record.addressHex).mnemonic).toBe(dave.mnemonic);
    const p = await gonka(["keys", "import", "erin", "--keep-mnemonic", "--private-key", "--home", h], { ...env(), stdin: erin.privKeyHex });
    expect(p.code).toBe(2);
    expect(p.stderr).toContain("--keep-mnemonic");
  });
});
