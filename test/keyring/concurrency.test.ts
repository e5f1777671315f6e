/** Two processes adding keys to one directory lose none; stale locks are taken over; live ones wait. */
import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { openFileKeyring } from "../../src/chain/keyring/file-keyring.js";
import { LOCK_FILE } from "../../src/chain/keyring/node-storage.js";
import { KeyringLockError } from "../../src/chain/keyring/errors.js";
import { PASSWORD, V, removeDir, tempDir } from "./helpers.js";

const repo = resolve(import.meta.dirname, "../..");
const made: string[] = [];
afterAll(() => made.forEach((d) => removeDir(d)));

function child(dir: string, prefix: string, count: number) {
  const p = spawn(process.execPath, ["--import", "tsx", "test/keyring/child/add-keys.ts", dir, prefix, String(count)], {
    cwd: repo,
    env: { ...process.env, KEYRING_PASSWORD: PASSWORD },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  p.stdout.on("data", (d: Buffer) => (out += d.toString()));
  p.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const ready = new Promise<void>((res, rej) => {
    const t = setInterval(() => out.includes("ready\n") && (clearInterval(t), res()), 10);
    p.once("exit", () => (clearInterval(t), rej(new Error(`child exited early: ${err}`))));
  });
  const done = new Promise<Record<string, string>>((res, rej) =>
    p.once("exit", (code) => (code === 0 ? res(JSON.parse(out.split("\n")[1]!) as Record<string, string>) : rej(new Error(`child failed (${code}): ${err}`)))),
  );
  return { ready, done, go: () => p.stdin.write("go\n") };
}

describe("concurrency", () => {
  it("two child processes adding 8 keys each to a new directory: all 16 are there, one keyhash", async () => {
    const root = tempDir();
    made.push(root);
    const dir = join(root, "keyring-file");
    const a = child(dir, "a", 8);
    const b = child(dir, "b", 8);
    await Promise.all([a.ready, b.ready]);
    a.go();
    b.go();
    const [addedA, addedB] = await Promise.all([a.done, b.done]);
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    const listed = await keyring.list();
    expect(listed).toHaveLength(16);
    const expected = { ...addedA, ...addedB };
    for (const k of listed) expect(k.address).toBe(expected[k.name]);
    for (const [name, address] of Object.entries(expected)) expect((await keyring.get(address)).name).toBe(name);
    const files = readdirSync(dir);
    expect(files.filter((f) => f === "keyhash")).toHaveLength(1);
    expect(files.filter((f) => f.endsWith(".tmp") || f === LOCK_FILE)).toEqual([]);
    expect(files).toHaveLength(33);
  }, 120_000);

  it("two processes adding the same 8 names: each name is won by exactly one, the loser gets KeyExistsError, nothing is clobbered", async () => {
    const root = tempDir();
    made.push(root);
    const dir = join(root, "keyring-file");
    const a = child(dir, "same", 8);
    const b = child(dir, "same", 8);
    await Promise.all([a.ready, b.ready]);
    a.go();
    b.go();
    const [addedA, addedB] = await Promise.all([a.done, b.done]);
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    for (let i = 0; i < 8; i++) {
      const name = `same-${i}`;
      const results = [addedA[name], addedB[name]];
      expect(results.filter((r) => r === "exists")).toHaveLength(1);
      const winner = results.find((r) => r !== "exists")!;
      expect((await keyring.get(name)).address).toBe(winner);
      expect((await keyring.get(winner)).name).toBe(name);
    }
    expect(readdirSync(dir)).toHaveLength(17);
  }, 120_000);

  it("two keyrings on one directory racing in one process: each name has one winner (the lock serialises check and write)", async () => {
    const root = tempDir();
    made.push(root);
    const dir = join(root, "keyring-file");
    const [k1, k2] = await Promise.all([openFileKeyring({ dir, password: PASSWORD }), openFileKeyring({ dir, password: PASSWORD })]);
    const keys = [V.fileKeyring.keys[0]!.privKeyHex!, V.testKeyring.keys[0]!.privKeyHex];
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => [
        k1.add(`n${i}`, { privateKey: keys[0]! }, { allowDuplicateAddress: true }).then((r) => r.address, (e: unknown) => (e as Error).name),
        k2.add(`n${i}`, { privateKey: keys[1]! }, { allowDuplicateAddress: true }).then((r) => r.address, (e: unknown) => (e as Error).name),
      ]).flat(),
    );
    for (let i = 0; i < 6; i++) {
      const pair = outcomes.slice(2 * i, 2 * i + 2);
      expect(pair.filter((o) => o === "KeyExistsError")).toHaveLength(1);
      expect((await k1.get(`n${i}`)).address).toBe(pair.find((o) => o !== "KeyExistsError"));
    }
  });

  it("a lock left by a dead process on this host is taken over", async () => {
    const root = tempDir();
    made.push(root);
    const dir = join(root, "keyring-file");
    const keyring = await openFileKeyring({ dir, password: PASSWORD });
    await keyring.add("first", { privateKey: V.fileKeyring.keys[0]!.privKeyHex! });
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), token: "dead" }));
    await keyring.add("second", { privateKey: V.testKeyring.keys[0]!.privKeyHex });
    expect((await keyring.list()).map((k) => k.name)).toEqual(["first", "second"]);
  });

  it("a live lock makes a writer wait, then fail with KeyringLockError", async () => {
    const root = tempDir();
    made.push(root);
    const dir = join(root, "keyring-file");
    const keyring = await openFileKeyring({ dir, password: PASSWORD, lockTimeoutMs: 300 });
    await keyring.add("first", { privateKey: V.fileKeyring.keys[0]!.privKeyHex! });
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), token: "alive" }));
    await expect(keyring.add("second", { privateKey: V.testKeyring.keys[0]!.privKeyHex })).rejects.toBeInstanceOf(KeyringLockError);
    expect((await keyring.list()).map((k) => k.name)).toEqual(["first"]);
  });
});
