/**
 * A keyring directory on disk (Node.js): one file per item, named by the item key with only `/`
 * and `%` escaped, mode 0600 in a 0700 directory — the layout of `inferenced`'s file backend.
 * Writes go to a temporary file that is renamed over the target; read-check-write sequences hold an
 * `O_EXCL` lock file with stale-lock recovery.
 *
 * Node modules are loaded through computed specifiers at run time, so browser bundles that include
 * the keyring never resolve `node:fs`.
 */
import { randomBytes } from "@noble/hashes/utils.js";
import { escapeItemKey, unescapeFileName } from "./item.js";
import { KeyringLockError } from "./errors.js";
import type { KeyringStorage } from "./storage.js";

type Fs = typeof import("node:fs/promises");
type Os = typeof import("node:os");
type Path = typeof import("node:path");

const FS = "node:fs/promises";
const OS = "node:os";
const PATH = "node:path";

/** The lock file inside a keyring directory (ignored by the network CLI: it does not end in `info`). */
export const LOCK_FILE = ".gonka-keyring.lock";

/** Options of {@link nodeDirectoryStorage}. */
export interface NodeDirectoryStorageOptions {
  /** How long to wait for another process's lock (ms, default 10 000). */
  lockTimeoutMs?: number;
  /** A lock older than this is taken over even when its owner cannot be checked (ms, default 60 000). */
  staleLockMs?: number;
}

interface LockInfo {
  pid: number;
  host: string;
  token: string;
}

/**
 * A {@link KeyringStorage} over a directory (created with mode 0700 on the first write).
 *
 * @example
 * ```ts
 * const storage = await nodeDirectoryStorage(`${process.env.HOME}/.inference/keyring-file`);
 * ```
 */
export async function nodeDirectoryStorage(dir: string, options: NodeDirectoryStorageOptions = {}): Promise<KeyringStorage> {
  const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ FS)) as Fs;
  const os = (await import(/* @vite-ignore */ /* webpackIgnore: true */ OS)) as Os;
  const path = (await import(/* @vite-ignore */ /* webpackIgnore: true */ PATH)) as Path;
  const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
  const staleLockMs = options.staleLockMs ?? 60_000;
  const fileOf = (key: string) => path.join(dir, escapeItemKey(key));
  const lockPath = path.join(dir, LOCK_FILE);
  const rand = () => Array.from(randomBytes(6), (b) => b.toString(16).padStart(2, "0")).join("");

  const ensureDir = () => fs.mkdir(dir, { recursive: true, mode: 0o700 });

  async function tryLock(token: string): Promise<boolean> {
    let handle: Awaited<ReturnType<Fs["open"]>>;
    try {
      handle = await fs.open(lockPath, "wx", 0o600);
    } catch (e) {
      if (codeOf(e) === "EEXIST") return false;
      throw e;
    }
    try {
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: os.hostname(), token } satisfies LockInfo));
    } finally {
      await handle.close();
    }
    return true;
  }

  async function isStale(): Promise<boolean> {
    let text: string;
    let mtimeMs: number;
    try {
      text = await fs.readFile(lockPath, "utf8");
      mtimeMs = (await fs.stat(lockPath)).mtimeMs;
    } catch (e) {
      if (codeOf(e) === "ENOENT") return false; // released meanwhile: just retry
      throw e;
    }
    const age = Date.now() - mtimeMs;
    let info: Partial<LockInfo> | undefined;
    try {
      info = JSON.parse(text) as Partial<LockInfo>;
    } catch {
      info = undefined;
    }
    if (!info || typeof info.pid !== "number") return age > 5_000; // a writer died between create and write
    if (info.host === os.hostname() && !processAlive(info.pid)) return true;
    return age > staleLockMs;
  }

  return {
    location: dir,
    async keys() {
      let entries: import("node:fs").Dirent[];
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (e) {
        if (codeOf(e) === "ENOENT") return [];
        throw e;
      }
      const out: string[] = [];
      for (const e of entries) {
        if (!e.isFile()) continue;
        if (e.name === LOCK_FILE || (e.name.startsWith(".") && e.name.endsWith(".tmp"))) continue;
        const key = unescapeFileName(e.name);
        if (key !== undefined) out.push(key);
      }
      return out;
    },
    async read(key) {
      try {
        return new Uint8Array(await fs.readFile(fileOf(key)));
      } catch (e) {
        if (codeOf(e) === "ENOENT") return undefined;
        throw e;
      }
    },
    async write(key, data) {
      await ensureDir();
      const target = fileOf(key);
      const tmp = path.join(dir, `.${escapeItemKey(key)}.${process.pid}.${rand()}.tmp`);
      const handle = await fs.open(tmp, "wx", 0o600);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await fs.chmod(tmp, 0o600);
        await fs.rename(tmp, target);
      } catch (e) {
        await fs.rm(tmp, { force: true });
        throw e;
      }
    },
    async remove(key) {
      await fs.rm(fileOf(key), { force: true });
    },
    async withLock<T>(fn: () => Promise<T>): Promise<T> {
      await ensureDir();
      const token = rand();
      const start = Date.now();
      while (!(await tryLock(token))) {
        if (await isStale()) {
          await fs.rm(lockPath, { force: true });
          continue;
        }
        if (Date.now() - start > lockTimeoutMs) throw new KeyringLockError(lockPath, Date.now() - start);
        await new Promise((r) => setTimeout(r, 10 + Math.floor(Math.random() * 30)));
      }
      try {
        return await fn();
      } finally {
        try {
          const info = JSON.parse(await fs.readFile(lockPath, "utf8")) as Partial<LockInfo>;
          if (info.token === token) await fs.rm(lockPath, { force: true });
        } catch {
          // the lock is gone already (taken over as stale): nothing to release
        }
      }
    },
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return codeOf(e) === "EPERM";
  }
}

function codeOf(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === "string" ? c : undefined;
}
