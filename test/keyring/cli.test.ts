/**
 * `gonka keys …` and `--from` on both stores: our own encrypted store under --home and the network
 * node's with --keyring-dir; the password from KEYRING_PASSWORD, --password (with a warning) and
 * --password-fd; the migration of the old plaintext keyring.json.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gonka } from "../devnet/cli-helpers.js";
import { openFileKeyring } from "../../src/chain/keyring/file-keyring.js";
import { importArmoredPrivateKey } from "../../src/chain/keyring/armor.js";
import { signTx, walletFromPrivateKey } from "../../src/chain/index.js";
import { PASSWORD, V, removeDir, snapshot, tempDir, toHex, writeVectorDir, type VectorFile } from "./helpers.js";

const repo = resolve(import.meta.dirname, "../..");
const made: string[] = [];
afterAll(() => made.forEach((d) => removeDir(d)));
const alice = V.fileKeyring.keys.find((k) => k.name === "alice")!;

function home(): string {
  const h = tempDir("gonka-cli-keys-");
  made.push(h);
  return h;
}
/** A copy of the network CLI's fileKeyring directory; returns its root (the --keyring-dir). */
function nodeRoot(): string {
  const root = home();
  writeVectorDir(V.fileKeyring.files as VectorFile[], root, "keyring-file");
  return root;
}
const env = (extra: Record<string, string> = {}) => ({ env: { KEYRING_PASSWORD: PASSWORD, ...extra } });

describe("gonka keys on our own store (--home)", () => {
  it("add creates an encrypted <home>/keyring-file: 0600 JWE files, no plaintext secret on disk", async () => {
    const h = home();
    const r = await gonka(["keys", "add", "op", "--home", h, "--json"], env());
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ name: "op", type: "local", address: expect.stringMatching(/^gonka1/) });
    expect(out.mnemonic.split(" ")).toHaveLength(24);
    const dir = join(h, "keyring-file");
    expect(readdirSync(dir).sort()).toEqual(["keyhash", "op.info", expect.stringMatching(/^[0-9a-f]{40}\.address$/)].sort());
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    expect(existsSync(join(h, "keyring.json"))).toBe(false);
    const all = readdirSync(dir).map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
    const key = toHex((await (await openFileKeyring({ dir, password: PASSWORD })).signer("op")).exportPrivateKey());
    for (const secret of [out.mnemonic.split(" ").slice(0, 3).join(" "), key.slice(0, 16), Buffer.from(key, "hex").toString("base64").slice(0, 12)]) expect(all).not.toContain(secret);
    const list = await gonka(["keys", "list", "--home", h, "--json"], env());
    expect(JSON.parse(list.stdout)).toEqual([{ name: "op", address: out.address, type: "local" }]);
    const show = await gonka(["keys", "show", out.address, "--home", h, "--json"], env());
    expect(JSON.parse(show.stdout)).toMatchObject({ name: "op", address: out.address, pubkey: out.pubkey, valoper: out.valoper });
  });

  it("import (mnemonic on stdin), duplicate name → exit 2, same key under another name → exit 2 unless --allow-duplicate", async () => {
    const h = home();
    const r = await gonka(["keys", "import", "cold", "--home", h, "--json"], { ...env(), stdin: alice.mnemonic! });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: "cold", address: alice.record.address });
    expect(r.stdout + r.stderr).not.toContain("abandon");
    const dupName = await gonka(["keys", "import", "cold", "--home", h], { ...env(), stdin: V.testKeyring.keys[0]!.mnemonic! });
    expect(dupName.code).toBe(2);
    expect(dupName.stderr).toContain("already exists");
    const dupKey = await gonka(["keys", "import", "cold2", "--private-key", "--home", h], { ...env(), stdin: alice.privKeyHex! });
    expect(dupKey.code).toBe(2);
    expect(dupKey.stderr).toContain("--allow-duplicate");
    const ok = await gonka(["keys", "import", "cold2", "--private-key", "--allow-duplicate", "--home", h, "--json"], { ...env(), stdin: alice.privKeyHex! });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout + ok.stderr).not.toContain(alice.privKeyHex!.slice(0, 16));
  });

  it("without a password (no KEYRING_PASSWORD, no terminal) → exit 2 saying how to give one", async () => {
    const r = await gonka(["keys", "list", "--home", home()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("KEYRING_PASSWORD");
  });

  it("--password works and warns that it lands in shell history", async () => {
    const h = home();
    const r = await gonka(["keys", "add", "op", "--home", h, "--password", PASSWORD, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: --password .*shell history/);
    expect(r.stderr).not.toContain(PASSWORD);
  });

  it("a wrong KEYRING_PASSWORD → exit 1, KeyringPasswordError, the password not echoed", async () => {
    const h = home();
    await gonka(["keys", "add", "op", "--home", h], env());
    const r = await gonka(["keys", "list", "--home", h, "--json"], env({ KEYRING_PASSWORD: "not the password at all" }));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error.name).toBe("KeyringPasswordError");
    expect(r.stderr).not.toContain("not the password");
  });

  it("delete removes the .address and .info files", async () => {
    const h = home();
    await gonka(["keys", "import", "cold", "--home", h], { ...env(), stdin: alice.mnemonic! });
    const r = await gonka(["keys", "delete", "cold", "--home", h, "--json"], env());
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(h, "keyring-file"))).toEqual(["keyhash"]);
  });
});

describe("gonka keys on the network node's store (--keyring-dir)", () => {
  it("list and show read the inferenced keyring-file directory, writing nothing", async () => {
    const root = nodeRoot();
    const before = snapshot(join(root, "keyring-file"));
    const r = await gonka(["keys", "list", "--keyring-dir", root, "--json"], env());
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(V.fileKeyring.listAfterReopen.map(({ name, address, type }) => ({ name, address, type })));
    const nano = await gonka(["keys", "show", "nano", "--keyring-dir", join(root, "keyring-file"), "--json"], env());
    expect(JSON.parse(nano.stdout)).toMatchObject({ name: "nano", type: "ledger", ledgerPath: "m/44'/1200'/0'/0/1" });
    const human = await gonka(["keys", "list", "--keyring-dir", root], env());
    expect(human.stdout).toMatch(/^NAME +TYPE +ADDRESS$/m);
    expect(snapshot(join(root, "keyring-file"))).toEqual(before);
  });

  it("export → import round trip between the two stores (armor passphrase on stdin)", async () => {
    const root = nodeRoot();
    const exp = await gonka(["keys", "export", "alice", "--keyring-dir", root], { ...env(), stdin: "a new export passphrase\n" });
    expect(exp.code, exp.stderr).toBe(0);
    const armor = exp.stdout;
    expect(armor).toMatch(/^-----BEGIN TENDERMINT PRIVATE KEY-----\n[\s\S]*-----END TENDERMINT PRIVATE KEY-----\n$/);
    expect(toHex((await importArmoredPrivateKey(armor, "a new export passphrase")).privateKey)).toBe(alice.privKeyHex);
    const h = home();
    const file = join(h, "alice.armor");
    writeFileSync(file, armor);
    const imp = await gonka(["keys", "import", "alice", file, "--home", h, "--json"], { ...env(), stdin: "a new export passphrase\n" });
    expect(imp.code, imp.stderr).toBe(0);
    expect(JSON.parse(imp.stdout)).toMatchObject({ name: "alice", address: alice.record.address });
    const wrong = await gonka(["keys", "import", "alice2", file, "--home", h, "--json"], { ...env(), stdin: "another passphrase\n" });
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stderr).error).toMatchObject({ name: "ArmorError" });
    const offline = await gonka(["keys", "export", "ops&co <ml>", "--keyring-dir", root], { ...env(), stdin: "a new export passphrase\n" });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toContain("offline");
  });

  it("add writes a key the SDK (and so inferenced) reads back from the node's directory", async () => {
    const root = nodeRoot();
    const r = await gonka(["keys", "import", "dave", "--keyring-dir", root, "--json"], { ...env(), stdin: V.testKeyring.keys[0]!.mnemonic! });
    expect(r.code, r.stderr).toBe(0);
    const keyring = await openFileKeyring({ dir: join(root, "keyring-file"), password: PASSWORD });
    expect(toHex((await keyring.signer("dave")).exportPrivateKey())).toBe(V.testKeyring.keys[0]!.privKeyHex);
    expect((await keyring.list()).length).toBe(7);
  });

  it("--keyring-backend test reads keyring-test without a password", async () => {
    const root = home();
    writeVectorDir(V.testKeyring.files as VectorFile[], root, "keyring-test");
    const r = await gonka(["keys", "list", "--keyring-dir", root, "--keyring-backend", "test", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).map((k: { name: string }) => k.name)).toEqual(["dave", "erin"]);
  });
});

describe("--from NAME signs with a key from either store", () => {
  const msgs = [{ "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: alice.record.address, to_address: alice.record.address, amount: [{ denom: "ngonka", amount: "7" }] }];
  async function expected(): Promise<string> {
    const { txRaw } = await signTx({ wallet: walletFromPrivateKey(alice.privKeyHex!), chainId: "gonka-devnet", accountNumber: 3n, sequence: 5n, messages: msgs, gasLimit: 200000n });
    return Buffer.from(txRaw).toString("base64");
  }
  const signArgs = (file: string) => ["tx", "sign", file, "--from", "alice", "--chain-id", "gonka-devnet", "--account-number", "3", "--sequence", "5", "--gas", "200000", "--json"];

  it("tx sign --from alice --keyring-dir <inferenced home> produces the signature of alice's key", async () => {
    const root = nodeRoot();
    const file = join(root, "msgs.json");
    writeFileSync(file, JSON.stringify(msgs));
    const r = await gonka([...signArgs(file), "--keyring-dir", root], env());
    expect(r.code, r.stderr).toBe(0);
    const txRaw = JSON.parse(r.stdout).txRaw as string;
    expect(Buffer.from(txRaw, /^[0-9A-Fa-f]+$/.test(txRaw) ? "hex" : "base64").toString("base64")).toBe(await expected());
  });

  it("tx sign --from alice with our own store (after keys import)", async () => {
    const h = home();
    await gonka(["keys", "import", "alice", "--home", h], { ...env(), stdin: alice.mnemonic! });
    const file = join(h, "msgs.json");
    writeFileSync(file, JSON.stringify(msgs));
    const r = await gonka([...signArgs(file), "--home", h], env());
    expect(r.code, r.stderr).toBe(0);
    const txRaw = JSON.parse(r.stdout).txRaw as string;
    expect(Buffer.from(txRaw, /^[0-9A-Fa-f]+$/.test(txRaw) ? "hex" : "base64").toString("base64")).toBe(await expected());
  });

  it("--from a Ledger or unknown key → exit 2 naming what it is", async () => {
    const root = nodeRoot();
    const file = join(root, "msgs.json");
    writeFileSync(file, JSON.stringify(msgs));
    const nano = await gonka([...signArgs(file).map((a) => (a === "alice" ? "nano" : a)), "--keyring-dir", root], env());
    expect(nano.code).toBe(2);
    expect(nano.stderr).toContain("Ledger");
    const nobody = await gonka([...signArgs(file).map((a) => (a === "alice" ? "nobody" : a)), "--keyring-dir", root], env());
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain("alice");
  });
});

describe("migration of the old plaintext keyring.json", () => {
  const legacy = (entries: object[]) => JSON.stringify({ version: 1, keys: entries }, null, 2);
  const erin = V.testKeyring.keys.find((k) => k.name === "erin")!;
  const entries = [
    { name: "op", address: alice.record.address, pubkey: "", hdPath: "m/44'/1200'/0'/0/0", mnemonic: alice.mnemonic, createdAt: "2026-01-01T00:00:00Z" },
    { name: "warm", address: erin.record.address, pubkey: "", privateKeyHex: erin.privKeyHex, createdAt: "2026-01-01T00:00:00Z" },
  ];

  it("moves every key into the encrypted store, verifies it from disk, then deletes the plaintext", async () => {
    const h = home();
    writeFileSync(join(h, "keyring.json"), legacy(entries), { mode: 0o600 });
    const r = await gonka(["keys", "list", "--home", h, "--json"], env());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/migrated 2 key\(s\).*deleted the plaintext/);
    expect(JSON.parse(r.stdout)).toEqual([
      { name: "op", address: alice.record.address, type: "local" },
      { name: "warm", address: erin.record.address, type: "local" },
    ]);
    expect(existsSync(join(h, "keyring.json"))).toBe(false);
    const keyring = await openFileKeyring({ dir: join(h, "keyring-file"), password: PASSWORD });
    expect(toHex((await keyring.signer("op")).exportPrivateKey())).toBe(alice.privKeyHex);
    expect(toHex((await keyring.signer("warm")).exportPrivateKey())).toBe(erin.privKeyHex);
    expect(r.stdout + r.stderr).not.toContain("abandon");
  });

  it("a conflicting key in the encrypted store stops the migration and keeps the plaintext", async () => {
    const h = home();
    const keyring = await openFileKeyring({ dir: join(h, "keyring-file"), password: PASSWORD });
    await keyring.add("op", { privateKey: erin.privKeyHex });
    writeFileSync(join(h, "keyring.json"), legacy(entries), { mode: 0o600 });
    const r = await gonka(["keys", "list", "--home", h], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("nothing was deleted");
    expect(existsSync(join(h, "keyring.json"))).toBe(true);
  });

  it("--from on a home with only keyring.json migrates and signs", async () => {
    const h = home();
    writeFileSync(join(h, "keyring.json"), legacy(entries), { mode: 0o600 });
    const file = join(h, "msgs.json");
    const send = [{ "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: erin.record.address, to_address: erin.record.address, amount: [{ denom: "ngonka", amount: "1" }] }];
    writeFileSync(file, JSON.stringify(send));
    const r = await gonka(["tx", "sign", file, "--from", "warm", "--chain-id", "c", "--account-number", "1", "--sequence", "0", "--gas", "100000", "--home", h, "--json"], env());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("migrated 2 key(s)");
    expect(existsSync(join(h, "keyring.json"))).toBe(false);
    const { txRaw } = await signTx({ wallet: walletFromPrivateKey(erin.privKeyHex), chainId: "c", accountNumber: 1n, sequence: 0n, messages: send, gasLimit: 100000n });
    const got = JSON.parse(r.stdout).txRaw as string;
    expect(Buffer.from(got, /^[0-9A-Fa-f]+$/.test(got) ? "hex" : "base64").toString("base64")).toBe(Buffer.from(txRaw).toString("base64"));
  });
});

describe("--password-fd (the built CLI under tsx)", () => {
  it("reads the password from file descriptor 3", async () => {
    const root = nodeRoot();
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "keys", "list", "--keyring-dir", root, "--password-fd", "3", "--json"], {
      cwd: repo,
      env: { PATH: process.env.PATH ?? "", HOME: "/nonexistent" },
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const fd3 = child.stdio[3] as NodeJS.WritableStream;
    fd3.end(`${PASSWORD}\n`);
    const code = await new Promise<number | null>((res) => child.once("exit", res));
    expect(code, err).toBe(0);
    expect(JSON.parse(out).map((k: { name: string }) => k.name)).toEqual(V.fileKeyring.listAfterReopen.map((k) => k.name));
  }, 60_000);
});
