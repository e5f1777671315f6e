/**
 * Errors of the keyring module (`inferenced`'s `file`/`test` keyring and armored key exports).
 *
 * Every class extends the SDK's one error tree ({@link GonkaError}). Messages name the key, the
 * file and what was wrong — never a password, a passphrase, a mnemonic, key bytes or any part of
 * them.
 */
import { GonkaError, InvalidArgumentError, type GonkaErrorOptions } from "../../errors.js";

/**
 * How an error shows a key name or address the caller gave. A value that looks like key material —
 * a mnemonic (12 or more words), 64 hex digits, or long base64 — was almost certainly pasted where a
 * name belongs; it is never repeated, only described.
 */
export function keyNameForDisplay(value: string): string {
  const v = value.trim();
  const words = v.split(/\s+/);
  if (words.length >= 12 && words.every((w) => /^[a-z]+$/.test(w))) return "(a mnemonic phrase — not shown; give the key's name)";
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(v)) return "(64 hex digits, like a private key — not shown; give the key's name)";
  if (v.length >= 40 && /^[A-Za-z0-9+/]+={0,2}$/.test(v) && !/^gonka1/.test(v)) return "(a long base64 value, like key material — not shown; give the key's name)";
  return JSON.stringify(value);
}

/** Base class of every keyring error. */
export class KeyringError extends GonkaError {
  override name = "KeyringError";
}

/**
 * The keyring password is wrong: it does not match the directory's `keyhash`, or (when there is no
 * `keyhash`, or for the `test` backend) it does not decrypt the directory's files.
 *
 * @example
 * ```ts
 * try { await openFileKeyring({ dir, password }); }
 * catch (e) { if (e instanceof KeyringPasswordError) console.error("wrong KEYRING_PASSWORD"); }
 * ```
 */
export class KeyringPasswordError extends KeyringError {
  override name = "KeyringPasswordError";
  /** How the password was checked: against `keyhash` (bcrypt) or by decrypting a file. */
  readonly check: "keyhash" | "decrypt";
  constructor(check: "keyhash" | "decrypt", options: GonkaErrorOptions = {}) {
    super(
      check === "keyhash"
        ? "The keyring password is incorrect (it does not match the directory's keyhash)"
        : "The keyring password does not decrypt this keyring's files",
      {
        details:
          check === "keyhash"
            ? "Use the passphrase given when the keyring was created (the KEYRING_PASSWORD of the network node)."
            : "The directory has no keyhash (or is read as the `test` backend): give the password its files were written with.",
        ...options,
      },
    );
    this.check = check;
  }
}

/** Why a keyring password was refused before any check (the network CLI's own rules). */
export type KeyringPasswordProblem = "too-short" | "too-long" | "mismatch";

/**
 * A keyring password that cannot be used: shorter than 8 bytes, longer than 72 bytes when a new
 * `keyhash` must be made (bcrypt's limit), or its confirmation differs.
 */
export class InvalidKeyringPasswordError extends InvalidArgumentError {
  override name = "InvalidKeyringPasswordError";
  /** Which rule failed. */
  readonly problem: KeyringPasswordProblem;
  constructor(problem: KeyringPasswordProblem, options: GonkaErrorOptions = {}) {
    super(
      "password",
      problem === "too-short"
        ? "the keyring password must be at least 8 bytes"
        : problem === "too-long"
          ? "a new keyring password may be at most 72 bytes (bcrypt's limit for the keyhash)"
          : "the password and its confirmation differ",
      options,
    );
    this.problem = problem;
  }
}

/** One failed password attempt, in the order they were made. */
export type KeyringPasswordFailure = KeyringPasswordProblem | "incorrect" | "does-not-decrypt";

/** A password source was asked three times and every answer failed (as `inferenced` allows). */
export class KeyringPasswordAttemptsError extends KeyringError {
  override name = "KeyringPasswordAttemptsError";
  /** What was wrong with each attempt. */
  readonly failures: KeyringPasswordFailure[];
  constructor(failures: KeyringPasswordFailure[], options: GonkaErrorOptions = {}) {
    super(`Too many failed keyring password attempts (${failures.length})`, {
      metaMessages: failures.map((f, i) => `attempt ${i + 1}: ${failureText(f)}`),
      ...options,
    });
    this.failures = failures;
  }
}

/** A readable line for a failed password attempt. */
export function failureText(f: KeyringPasswordFailure): string {
  switch (f) {
    case "incorrect":
      return "incorrect passphrase";
    case "does-not-decrypt":
      return "the passphrase does not decrypt the keyring's files";
    case "too-short":
      return "password must be at least 8 characters";
    case "too-long":
      return "password length exceeds 72 bytes";
    case "mismatch":
      return "passphrase do not match";
  }
}

/** The directory's `keyhash` file is not a bcrypt hash, so no password can pass it. */
export class KeyhashError extends KeyringError {
  override name = "KeyhashError";
  constructor(problem: string, options: GonkaErrorOptions = {}) {
    super(`The keyring's keyhash file is unusable: ${problem}`, {
      details: "Restore `keyhash` from a backup, or delete it: the first password that decrypts the keyring's files is then accepted and a new keyhash is written.",
      ...options,
    });
  }
}

/** What is wrong with a keyring file that could not be read. */
export type KeyringItemProblem = "encoding" | "segments" | "header" | "p2c" | "item" | "unwrap" | "authentication";

/**
 * A keyring file is not a JWE token the keyring can read (not base64url, wrong number of segments,
 * an unsupported or malformed header, a `p2c` above jose2go's cap, an item that is not the
 * expected JSON), or it fails its integrity checks: the wrapped content key does not unwrap
 * (`unwrap`: the file was altered, or written with another password) or AES-GCM refuses the
 * ciphertext, IV, tag or header (`authentication`: the file was altered).
 */
export class KeyringItemError extends KeyringError {
  override name = "KeyringItemError";
  /** The file (item key) concerned, e.g. `alice.info`. */
  readonly file: string;
  /** What failed. */
  readonly problem: KeyringItemProblem;
  constructor(file: string, problem: KeyringItemProblem, description: string, options: GonkaErrorOptions = {}) {
    super(`Cannot read keyring file ${JSON.stringify(file)}: ${description}`, {
      details:
        problem === "unwrap"
          ? "The file was altered, or it was written with another password (a `keyring-file` directory read as `test`, or a keyhash that belongs to another password)."
          : problem === "authentication"
            ? "The file was altered after it was written; restore it from a backup."
            : "The file is not one the network CLI writes; restore it from a backup.",
      ...options,
    });
    this.file = file;
    this.problem = problem;
  }
}

/** A decrypted `.info` item holds neither a protobuf `Record` nor an amino-era record. */
export class KeyRecordError extends KeyringError {
  override name = "KeyRecordError";
  /** The item key, e.g. `alice.info`. */
  readonly file: string;
  constructor(file: string, problem: string, options: GonkaErrorOptions = {}) {
    super(`The key record in ${JSON.stringify(file)} cannot be decoded: ${problem}`, options);
    this.file = file;
  }
}

/** No key with this name or address in the keyring. */
export class KeyNotFoundError extends KeyringError {
  override name = "KeyNotFoundError";
  /** The name or address looked up. */
  readonly key: string;
  constructor(key: string, problem?: string, options: GonkaErrorOptions = {}) {
    super(problem ?? `No key ${keyNameForDisplay(key)} in the keyring`, options);
    this.key = keyNameForDisplay(key) === JSON.stringify(key) ? key : "(not shown)";
  }
}

/** A key with this name already exists; the keyring never replaces it. */
export class KeyExistsError extends KeyringError {
  override name = "KeyExistsError";
  /** The name. */
  readonly keyName: string;
  constructor(name: string, options: GonkaErrorOptions = {}) {
    super(`A key named ${keyNameForDisplay(name)} already exists`, {
      details: "Choose another name, or delete the existing key first.",
      ...options,
    });
    this.keyName = name;
  }
}

/** The key being added is already in the keyring under another name. */
export class DuplicateKeyAddressError extends KeyringError {
  override name = "DuplicateKeyAddressError";
  /** Its address, `gonka1…`. */
  readonly address: string;
  /** The name it is stored under. */
  readonly existingName: string;
  constructor(address: string, existingName: string, options: GonkaErrorOptions = {}) {
    super(`The key ${address} is already stored as ${JSON.stringify(existingName)}`, {
      details: "Use the existing name, or pass { allowDuplicateAddress: true } (CLI: --allow-duplicate) to store a second copy; the address then resolves to the new name.",
      ...options,
    });
    this.address = address;
    this.existingName = existingName;
  }
}

/** The kinds of keyring records. */
export type KeyType = "local" | "ledger" | "multi" | "offline";

/** A key cannot do this because of its type (only `local` records hold a private key). */
export class UnsupportedKeyTypeError extends KeyringError {
  override name = "UnsupportedKeyTypeError";
  /** The key's name. */
  readonly keyName: string;
  /** The record type. */
  readonly keyType: KeyType | string;
  constructor(name: string, keyType: KeyType | string, action: string, options: GonkaErrorOptions = {}) {
    super(`The key ${keyNameForDisplay(name)} ${describeType(keyType)}; it cannot ${action}`, options);
    this.keyName = name;
    this.keyType = keyType;
  }
}

function describeType(t: string): string {
  switch (t) {
    case "ledger":
      return "is a Ledger hardware-wallet key (its private key never leaves the device)";
    case "offline":
      return "is an offline key (the keyring holds only its public key)";
    case "multi":
      return "is a multisig public key (each member signs separately)";
    default:
      return `is of type ${JSON.stringify(t)}, which gonka-sdk cannot sign with`;
  }
}

/** A key name the keyring cannot store (empty, control characters, too long for a file name). */
export class InvalidKeyNameError extends InvalidArgumentError {
  override name = "InvalidKeyNameError";
  constructor(problem: string, options: GonkaErrorOptions = {}) {
    super("key name", problem, options);
  }
}

/** Another process holds the keyring's lock for longer than the wait allows. */
export class KeyringLockError extends KeyringError {
  override name = "KeyringLockError";
  constructor(lockFile: string, waitedMs: number, options: GonkaErrorOptions = {}) {
    super(`The keyring is locked by another process (${lockFile}, waited ${waitedMs} ms)`, {
      details: "Wait for the other gonka process to finish; remove the lock file only if no such process runs.",
      ...options,
    });
  }
}

/** What is wrong with an ASCII-armored key. */
export type ArmorProblem = "format" | "checksum" | "block-type" | "kdf" | "salt" | "key-type" | "passphrase";

/**
 * An ASCII-armored key that cannot be read: not an armor, a CRC-24 mismatch, the wrong block type,
 * an unknown `kdf`, a missing or bad `salt`, an unknown key type, or (problem `passphrase`) the
 * passphrase is wrong or the body was altered with its checksum recomputed.
 */
export class ArmorError extends KeyringError {
  override name = "ArmorError";
  /** What failed. */
  readonly problem: ArmorProblem;
  constructor(problem: ArmorProblem, description: string, options: GonkaErrorOptions = {}) {
    super(`Cannot import the armored key: ${description}`, options);
    this.problem = problem;
  }
}

/**
 * The keyring holds no mnemonic for this key: it was added from a private key, an armor, by
 * `inferenced`, or from a mnemonic without `{ keepMnemonic: true }` (the network CLI's way: the
 * keyring keeps the key, not the words).
 *
 * @example
 * ```ts
 * try { await keyring.exportMnemonic("cold"); }
 * catch (e) { if (e instanceof MnemonicNotStoredError) console.error("only the key is stored; export it as an armor"); }
 * ```
 */
export class MnemonicNotStoredError extends KeyringError {
  override name = "MnemonicNotStoredError";
  /** The name or address asked for. */
  readonly key: string;
  /** The key's address, `gonka1…`. */
  readonly address: string;
  constructor(key: string, address: string, options: GonkaErrorOptions = {}) {
    super(`The keyring keeps no mnemonic for ${JSON.stringify(key)} (${address})`, {
      details:
        "Only keys added with { keepMnemonic: true } or migrated from keyring.json keep their mnemonic. Use the mnemonic you wrote down, or export the key itself as an armor (gonka keys export).",
      ...options,
    });
    this.key = key;
    this.address = address;
  }
}

/** What is wrong with a kept-mnemonic item. */
export type MnemonicItemProblem = "format" | "mismatch";

/**
 * A kept-mnemonic item (`<hex address>.mnemonic`) cannot be used: its decrypted content is not the
 * expected JSON (`format`), or the phrase it holds does not derive the address it is stored for
 * (`mismatch`: the file was replaced or swapped). The message never contains the phrase.
 */
export class MnemonicItemError extends KeyringError {
  override name = "MnemonicItemError";
  /** The item key, e.g. `b560e655….mnemonic`. */
  readonly file: string;
  /** What failed. */
  readonly problem: MnemonicItemProblem;
  constructor(file: string, problem: MnemonicItemProblem, description: string, options: GonkaErrorOptions = {}) {
    super(`Cannot use the kept mnemonic in ${JSON.stringify(file)}: ${description}`, {
      details: "The file was altered or swapped. Restore it from a backup, or move it out of the keyring directory and keep it until you have recovered the phrase elsewhere.",
      ...options,
    });
    this.file = file;
    this.problem = problem;
  }
}
