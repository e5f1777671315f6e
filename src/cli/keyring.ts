/**
 * The CLI's file keyring: `<home>/keyring.json`, written with mode 0600. Like `inferenced`'s
 * `test` keyring backend it stores secrets unencrypted — use it for development and operator
 * machines you control; prefer hardware or remote signers for large balances.
 */
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CliFailure, CliUsageError } from "./errors.js";

/** One stored key. Exactly one of `mnemonic` and `privateKeyHex` is set. */
export interface KeyEntry {
  name: string;
  address: string;
  /** Base64 compressed secp256k1 pubkey. */
  pubkey: string;
  hdPath?: string;
  mnemonic?: string;
  privateKeyHex?: string;
  createdAt: string;
}

interface KeyringFile {
  version: 1;
  keys: KeyEntry[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Checks a key name (letters, digits, `.`, `_`, `-`; up to 64 characters). */
export function checkKeyName(name: string | undefined): string {
  if (!name || !NAME.test(name)) throw new CliUsageError("key name", `expected letters, digits, ".", "_" or "-" (got ${JSON.stringify(name ?? "")})`, ["keys"]);
  return name;
}

/** Reads and writes the keyring in a directory. */
export class Keyring {
  constructor(readonly dir: string) {}

  private get file(): string {
    return join(this.dir, "keyring.json");
  }

  /** All keys (empty when no keyring exists yet). */
  async list(): Promise<KeyEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT") return [];
      throw e;
    }
    try {
      const parsed = JSON.parse(text) as KeyringFile;
      return parsed.keys ?? [];
    } catch {
      throw new CliFailure(`the keyring file ${this.file} is not valid JSON`);
    }
  }

  /** The key with this name or address, or a usage error naming what exists. */
  async get(nameOrAddress: string): Promise<KeyEntry> {
    const keys = await this.list();
    const found = keys.find((k) => k.name === nameOrAddress || k.address === nameOrAddress);
    if (!found) {
      throw new CliUsageError("key", `no key "${nameOrAddress}" in ${this.dir} (have: ${keys.map((k) => k.name).join(", ") || "none"})`, ["keys"]);
    }
    return found;
  }

  /** Adds a key; refuses to overwrite an existing name. */
  async add(entry: KeyEntry): Promise<void> {
    const keys = await this.list();
    if (keys.some((k) => k.name === entry.name)) throw new CliUsageError("key name", `a key named "${entry.name}" already exists`, ["keys"]);
    await this.save([...keys, entry]);
  }

  /** Deletes a key; returns whether it existed. */
  async delete(name: string): Promise<boolean> {
    const keys = await this.list();
    const rest = keys.filter((k) => k.name !== name);
    if (rest.length === keys.length) return false;
    await this.save(rest);
    return true;
  }

  private async save(keys: KeyEntry[]): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ version: 1, keys } satisfies KeyringFile, null, 2)}\n`, { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, this.file);
  }
}
