/**
 * The CLI's keyrings. Both are the network CLI's `file` format (JWE files encrypted with the
 * keyring password; see docs/keys.md), so `gonka` and `inferenced` share them:
 *
 * - our own store, `<home>/keyring-file/` (`--home`, default `~/.gonka`);
 * - the network node's store with `--keyring-dir DIR` (`DIR/keyring-file/`, as
 *   `inferenced --keyring-dir DIR`; `--keyring-backend test` reads `DIR/keyring-test/`).
 *
 * The password comes from `--password-fd N`, `KEYRING_PASSWORD` (as the network's own tooling
 * reads it), a prompt without echo on a terminal, or `--password` (with a warning: it lands in
 * shell history). The older unencrypted `<home>/keyring.json` is migrated on first use — keys and
 * their mnemonics — and deleted only after the encrypted copy has been re-opened and compared.
 */
import { existsSync } from "node:fs";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import {
  openFileKeyring,
  walletFromMnemonic,
  walletFromPrivateKey,
  type FileKeyring,
  type KeyringBackend,
  type KeyringPasswordRequest,
  type KeyringPasswordSource,
} from "../chain/index.js";
import { failureText } from "../chain/keyring/errors.js";
import { checkMnemonic } from "../chain/mnemonic.js";
import { GonkaError } from "../errors.js";
import { flagString, type CommandContext } from "./command.js";
import { CliFailure, CliUsageError } from "./errors.js";

/** Which store a command works on. */
export interface KeyStore {
  /** `own` (`<home>/keyring-file`) or `node` (`--keyring-dir`). */
  kind: "own" | "node";
  /** The directory that holds the items. */
  dir: string;
  backend: KeyringBackend;
}

/** The store selected by `--keyring-dir` / `--keyring-backend`, else our own under `--home`. */
export function keyStoreOf(ctx: CommandContext): KeyStore {
  const env = ctx.io.env ?? process.env;
  const root = flagString(ctx, "keyring-dir") ?? env.GONKA_KEYRING_DIR;
  const backendFlag = flagString(ctx, "keyring-backend") ?? env.GONKA_KEYRING_BACKEND;
  if (backendFlag !== undefined && backendFlag !== "file" && backendFlag !== "test") {
    throw new CliUsageError("--keyring-backend", `expected "file" or "test" (got ${JSON.stringify(backendFlag)}); the os backend falls back to a file keyring in --keyring-dir itself`, ctx.path);
  }
  const backend: KeyringBackend = backendFlag ?? "file";
  if (root === undefined) {
    if (backend !== "file") throw new CliUsageError("--keyring-backend", "our own store is always a file keyring; use it with --keyring-dir", ctx.path);
    return { kind: "own", dir: join(ctx.global.home, "keyring-file"), backend };
  }
  // `DIR` is the root as for inferenced; a path to the keyring-file/keyring-test directory itself works too
  const dir = basename(root) === `keyring-${backend}` ? root : join(root, `keyring-${backend}`);
  return { kind: "node", dir, backend };
}

/**
 * The keyring password of the store: `--password-fd N`, `--password` (warns), `KEYRING_PASSWORD`,
 * or a prompt on a terminal. Lines read from a descriptor or the environment are trimmed of
 * surrounding white space, as the network CLI trims a piped passphrase.
 */
export async function keyringPassword(ctx: CommandContext): Promise<string | KeyringPasswordSource> {
  const env = ctx.io.env ?? process.env;
  const fd = flagString(ctx, "password-fd");
  if (fd !== undefined) {
    if (!/^\d+$/.test(fd)) throw new CliUsageError("--password-fd", "expected a file descriptor number, e.g. --password-fd 3 (with 3<password-file)", ctx.path);
    return firstLine(await readDescriptor(Number(fd), ctx));
  }
  const arg = flagString(ctx, "password");
  if (arg !== undefined) {
    ctx.io.stderr("warning: --password puts the keyring password in your shell history and the process list; prefer KEYRING_PASSWORD, --password-fd or the prompt\n");
    return arg;
  }
  if (env.KEYRING_PASSWORD !== undefined) return firstLine(env.KEYRING_PASSWORD);
  if (canPrompt(ctx)) {
    return async (r: KeyringPasswordRequest) => {
      if (r.previousFailure) ctx.io.stderr(`${failureText(r.previousFailure)}\n`);
      return promptHidden(r.confirm ? "Re-enter keyring passphrase: " : "Enter keyring passphrase: ");
    };
  }
  throw new CliUsageError("KEYRING_PASSWORD", "the keyring is encrypted and no password was given: set KEYRING_PASSWORD, pass --password-fd N, or run in a terminal to be asked", ctx.path);
}

/**
 * Opens the command's store (migrating our own old `keyring.json` first). Warnings (a record that
 * cannot be read) go to stderr.
 */
export async function openCliKeyring(ctx: CommandContext): Promise<FileKeyring> {
  const store = keyStoreOf(ctx);
  const onWarning = (w: string) => ctx.io.stderr(`warning: ${w}\n`);
  const legacy = join(ctx.global.home, LEGACY_FILE);
  const given = store.backend === "test" ? undefined : await keyringPassword(ctx);
  // remember what a prompt answered, so the migration's verifying re-open does not ask again
  let answered = "";
  const password = typeof given === "function" ? async (r: KeyringPasswordRequest) => (answered = await given(r)) : given;
  const keyring = await openFileKeyring({ dir: store.dir, backend: store.backend, ...(password !== undefined ? { password } : {}), onWarning });
  if (store.kind === "own" && existsSync(legacy)) await migrateLegacyKeyring(ctx, legacy, keyring, store.dir, typeof given === "string" ? given : answered);
  return keyring;
}

/** The unencrypted keyring of gonka ≤ 0.1: `<home>/keyring.json`. */
export const LEGACY_FILE = "keyring.json";

interface LegacyEntry {
  name: string;
  address: string;
  pubkey?: string;
  hdPath?: string;
  mnemonic?: string;
  privateKeyHex?: string;
}

/**
 * Moves the keys of the old plaintext `keyring.json` into the encrypted store — each key, and for
 * keys made from a mnemonic the mnemonic too (kept in the item `<hex address>.mnemonic`, encrypted
 * with the keyring password, which `inferenced` ignores) — then re-opens the store from disk and
 * checks every key (address and private key) and every kept mnemonic (decrypts, is the same phrase
 * and path, derives the same address), and only then overwrites and deletes the plaintext. Any
 * failure keeps the plaintext file. No secret appears in a message.
 */
export async function migrateLegacyKeyring(ctx: CommandContext, legacyPath: string, keyring: FileKeyring, dir: string, password: string): Promise<void> {
  let entries: LegacyEntry[];
  try {
    entries = ((JSON.parse(await readFile(legacyPath, "utf8")) as { keys?: LegacyEntry[] }).keys ?? []).filter((e) => e && typeof e.name === "string");
  } catch {
    throw new CliFailure(`the old keyring ${legacyPath} is not valid JSON; nothing was migrated`, 1, "Fix or move the file, then run the command again.");
  }
  const kept = (text: string) => `${text}; ${legacyPath} was kept`;
  const secrets = new Map<string, Uint8Array>();
  const phrases = new Map<string, { mnemonic: string; hdPath: string }>();
  const skipped: string[] = [];
  try {
    for (const e of entries) {
      try {
        if (e.mnemonic) {
          const hdPath = e.hdPath || DEFAULT_HD_PATH;
          phrases.set(e.name, { mnemonic: checkMnemonic(e.mnemonic), hdPath });
          secrets.set(e.name, (await walletFromMnemonic(e.mnemonic, { hdPath })).exportPrivateKey());
        } else if (e.privateKeyHex) secrets.set(e.name, walletFromPrivateKey(e.privateKeyHex).exportPrivateKey());
        else skipped.push(e.name);
      } catch (err) {
        throw new CliFailure(kept(`cannot migrate "${e.name}" from ${LEGACY_FILE}: ${shortOf(err)}`), 1, detailsOf(err));
      }
    }
    for (const e of entries) {
      const secret = secrets.get(e.name);
      if (!secret) continue;
      const phrase = phrases.get(e.name);
      const existing = await keyring.get(e.name).catch(() => undefined);
      if (existing && existing.address !== e.address) throw new CliFailure(`cannot migrate ${LEGACY_FILE}: the encrypted store already has a different key named "${e.name}"; nothing was deleted`);
      try {
        // an earlier, interrupted migration may have stored the key already: its phrase is kept too
        if (existing) {
          if (phrase) await keyring.keepMnemonic(e.name, phrase);
        } else {
          await keyring.add(e.name, phrase ? phrase : { privateKey: secret }, { allowDuplicateAddress: true, keepMnemonic: phrase !== undefined });
        }
      } catch (err) {
        throw new CliFailure(kept(`cannot migrate "${e.name}": ${shortOf(err)}`), 1, detailsOf(err));
      }
    }
    // verify from disk with a fresh instance before the plaintext goes
    const reopened = await openFileKeyring({ dir, password });
    for (const e of entries) {
      const secret = secrets.get(e.name);
      if (!secret) continue;
      try {
        const w = await reopened.signer(e.name);
        const key = w.exportPrivateKey();
        const same = w.address === e.address && key.length === secret.length && key.every((b, i) => b === secret[i]);
        key.fill(0);
        if (!same) throw new CliFailure(kept(`migration check failed for "${e.name}": the encrypted copy differs`));
        const phrase = phrases.get(e.name);
        if (phrase) {
          // decrypts the .mnemonic item and derives its address again (exportMnemonic checks that)
          const back = await reopened.exportMnemonic(e.name);
          const again = await walletFromMnemonic(back.mnemonic, { hdPath: back.hdPath });
          if (back.mnemonic !== phrase.mnemonic || back.hdPath !== phrase.hdPath || back.address !== e.address || again.address !== e.address) {
            throw new CliFailure(kept(`migration check failed for "${e.name}": the kept mnemonic differs`));
          }
        }
      } catch (err) {
        if (err instanceof CliFailure) throw err;
        throw new CliFailure(kept(`migration check failed for "${e.name}": ${shortOf(err)}`), 1, detailsOf(err));
      }
    }
  } finally {
    for (const s of secrets.values()) s.fill(0);
  }
  const size = (await stat(legacyPath)).size;
  await writeFile(legacyPath, new Uint8Array(size));
  await rm(legacyPath, { force: true });
  const withPhrase = [...phrases.keys()];
  ctx.io.stderr(
    `migrated ${secrets.size} key(s) from the unencrypted ${legacyPath} into ${dir} (encrypted with the keyring password) and deleted the plaintext file.\n` +
      (withPhrase.length
        ? `note: the mnemonics of ${withPhrase.map((n) => `"${n}"`).join(", ")} are kept encrypted in the same store (inferenced ignores them); \`gonka keys show NAME --mnemonic\` prints one.\n`
        : "") +
      (skipped.length ? `note: ${skipped.map((n) => `"${n}"`).join(", ")} held no secret and were not migrated.\n` : ""),
  );
}

/** The path of keys without one (`inferenced`'s default, coin type 1200). */
const DEFAULT_HD_PATH = "m/44'/1200'/0'/0/0";

/** An error's advice line, when it has one. */
function detailsOf(err: unknown): string | undefined {
  return err instanceof GonkaError ? err.details : undefined;
}

/** An error's one-line text (our errors never carry key material). */
function shortOf(err: unknown): string {
  return err instanceof GonkaError ? err.shortMessage : err instanceof Error ? err.name : "unknown error";
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/)[0] ?? "").trim();
}

function canPrompt(ctx: CommandContext): boolean {
  return ctx.io.isTty === true && process.stdin.isTTY === true;
}

async function readDescriptor(fd: number, ctx: CommandContext): Promise<string> {
  const { createReadStream } = await import("node:fs");
  try {
    const chunks: Buffer[] = [];
    for await (const c of createReadStream("", { fd, autoClose: false })) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  } catch {
    throw new CliUsageError("--password-fd", `file descriptor ${fd} cannot be read (open it for the command, e.g. ${fd}<password-file)`, ctx.path);
  }
}

/** Reads a line from the terminal without echo (raw mode); Ctrl-C aborts. */
export async function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let line = "";
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString("utf8")) {
          if (ch === "\r" || ch === "\n") {
            stdin.off("data", onData);
            process.stderr.write("\n");
            resolve(line);
            return;
          }
          if (ch === "\u0003") {
            stdin.off("data", onData);
            process.stderr.write("\n");
            reject(new CliFailure("cancelled"));
            return;
          }
          if (ch === "\u007f" || ch === "\b") line = [...line].slice(0, -1).join("");
          else line += ch;
        }
      };
      stdin.on("data", onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}

/** Whether a terminal prompt is possible for this command. */
export function promptAvailable(ctx: CommandContext): boolean {
  return canPrompt(ctx);
}

/** Asks a yes/no question on the terminal (visible answer); true only for `y` or `yes`. */
export async function promptConfirm(question: string): Promise<boolean> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return /^(y|yes)$/i.test((await rl.question(`${question} [y/N]: `)).trim());
  } finally {
    rl.close();
  }
}
