/**
 * Our writes: a directory built by `add()` holds the network CLI's files — the same names, modes
 * and records, and tokens that decrypt when re-derived with the reference's parameters (PBKDF2 over
 * "PBES2-HS256+A128KW" ‖ 0 ‖ p2s with p2c, AES key unwrap, AES-256-GCM with the header as AAD),
 * done here with noble directly rather than through the keyring's own reader.
 */
import { afterAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { aeskw, gcm } from "@noble/ciphers/aes.js";
import { pbkdf2 } from "@noble/hashes/pbkdf2.js";
import { sha256 } from "@noble/hashes/sha2.js";
import bcrypt from "bcryptjs";
import { openFileKeyring } from "../../src/chain/keyring/file-keyring.js";
import { PASSWORD, V, removeDir, tempDir } from "./helpers.js";

const made: string[] = [];
afterAll(() => made.forEach((d) => removeDir(d)));
const utf8 = new TextEncoder();

/** Decrypts a token the way jose2go does, from first principles. */
function referenceDecrypt(token: string, password: string): { header: Record<string, unknown>; headerJson: string; plaintext: string } {
  const [h, ek, iv, ct, tag] = token.split(".");
  expect(token.split(".")).toHaveLength(5);
  const headerJson = Buffer.from(h!, "base64url").toString("utf8");
  const header = JSON.parse(headerJson) as Record<string, unknown>;
  const p2s = Buffer.from(header.p2s as string, "base64url");
  const salt = Buffer.concat([Buffer.from("PBES2-HS256+A128KW"), Buffer.from([0]), p2s]);
  const kek = pbkdf2(sha256, password, salt, { c: header.p2c as number, dkLen: 16 });
  const cek = aeskw(kek).decrypt(Buffer.from(ek!, "base64url"));
  const plain = gcm(cek, Buffer.from(iv!, "base64url"), utf8.encode(h!)).decrypt(Buffer.concat([Buffer.from(ct!, "base64url"), Buffer.from(tag!, "base64url")]));
  return { header, headerJson, plaintext: new TextDecoder().decode(plain) };
}

describe("writes: fileKeyring's local keys added through add()", () => {
  const root = tempDir();
  made.push(root);
  const dir = join(root, "keyring-file");
  const locals = V.fileKeyring.keys.filter((k) => k.record.type === "local");

  it("adds the mnemonic, mnemonic+BIP-39-passphrase and raw-hex keys", async () => {
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    for (const k of locals) {
      const info = k.kind === "privhex" ? await keyring.add(k.name, { privateKey: k.privHex! }) : await keyring.add(k.name, { mnemonic: k.mnemonic!, hdPath: k.hdPath!, bip39Passphrase: k.bip39Passphrase! });
      expect(info).toEqual({ name: k.name, address: k.record.address, type: "local" });
    }
  });

  it("the directory holds the network CLI's file names, mode 0600 in a 0700 directory, no temp or lock files", () => {
    const expected = V.fileKeyring.files
      .filter((f) => f.kind !== "dir")
      .map((f) => f.name)
      .filter((n) => n === "keyhash" || locals.some((k) => n === `${k.name.replace(/%/g, "%25").replace(/\//g, "%2F")}.info` || n === `${k.record.addressHex}.address`));
    expect(readdirSync(dir).sort()).toEqual(expected.sort());
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const n of readdirSync(dir)) expect(statSync(join(dir, n)).mode & 0o777).toBe(0o600);
  });

  it("keyhash is $2a$10$ bcrypt of the password, 60 bytes, no newline", () => {
    const text = readFileSync(join(dir, "keyhash"), "utf8");
    expect(text).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(bcrypt.compareSync(PASSWORD, text)).toBe(true);
  });

  for (const k of locals) {
    it(`${k.name}.info and its .address decrypt with the reference's parameters to the recorded record`, () => {
      const file = `${k.name.replace(/%/g, "%25").replace(/\//g, "%2F")}.info`;
      const token = readFileSync(join(dir, file), "utf8");
      expect(token).not.toMatch(/\s$/);
      const { header, headerJson, plaintext } = referenceDecrypt(token, PASSWORD);
      expect(Object.keys(header)).toEqual(["alg", "created", "enc", "p2c", "p2s"]);
      expect(headerJson).toBe(JSON.stringify(header));
      expect(header).toMatchObject({ alg: "PBES2-HS256+A128KW", enc: "A256GCM", p2c: 8192 });
      expect(Buffer.from(header.p2s as string, "base64url")).toHaveLength(12);
      const recordB64 = Buffer.from(k.record.recordHex, "hex").toString("base64");
      const itemKey = JSON.stringify(`${k.name}.info`).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
      expect(plaintext).toBe(`{"Key":${itemKey},"Data":"${recordB64}","Label":"","Description":"","KeychainNotTrustApplication":false,"KeychainNotSynchronizable":false}`);

      const addr = referenceDecrypt(readFileSync(join(dir, `${k.record.addressHex}.address`), "utf8"), PASSWORD);
      const vectorAddr = V.fileKeyring.files.find((f) => f.name === `${k.record.addressHex}.address`)!;
      expect(addr.plaintext).toBe(vectorAddr.jwe!.payload);
    });
  }

  it("each write draws fresh p2s, CEK and IV", () => {
    const tokens = readdirSync(dir)
      .filter((n) => n !== "keyhash")
      .map((n) => readFileSync(join(dir, n), "utf8").split("."));
    const salts = new Set(tokens.map((t) => JSON.parse(Buffer.from(t[0]!, "base64url").toString()).p2s));
    const ivs = new Set(tokens.map((t) => t[2]));
    const wrapped = new Set(tokens.map((t) => t[1]));
    expect(salts.size).toBe(tokens.length);
    expect(ivs.size).toBe(tokens.length);
    expect(wrapped.size).toBe(tokens.length);
  });

  it("a reopened keyring lists the added keys as the network CLI does", async () => {
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    const expected = V.fileKeyring.listAfterReopen.filter((k) => k.type === "local").map(({ name, address, type }) => ({ name, address, type }));
    expect(await keyring.list()).toEqual(expected);
  });
});

describe("writes: the test backend", () => {
  it("a keyring-test directory gets no keyhash and its files decrypt with the password 'test'", async () => {
    const root = tempDir();
    made.push(root);
    const dir = join(root, "keyring-test");
    const keyring = await openFileKeyring({ dir, backend: "test" });
    for (const k of V.testKeyring.keys) {
      if (k.kind === "privhex") await keyring.add(k.name, { privateKey: k.privHex! });
      else await keyring.add(k.name, { mnemonic: k.mnemonic!, hdPath: k.hdPath! });
    }
    expect(readdirSync(dir).sort()).toEqual(V.testKeyring.files.filter((f) => f.kind !== "dir").map((f) => f.name).sort());
    for (const k of V.testKeyring.keys) {
      const { plaintext } = referenceDecrypt(readFileSync(join(dir, `${k.name}.info`), "utf8"), "test");
      expect(JSON.parse(plaintext).Data).toBe(Buffer.from(k.record.recordHex, "hex").toString("base64"));
    }
  });
});
