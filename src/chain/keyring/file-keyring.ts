/**
 * `inferenced`'s `file` (and `test`) keyring: a directory of JWE-encrypted items — `<name>.info`
 * (the key's `Record`), `<hex address>.address` (→ `<name>.info`) and `keyhash` (bcrypt of the
 * password). Reads what the network CLI wrote, and writes keys it reads back
 * (`inferenced keys list --keyring-backend file`).
 *
 * Differences from the network CLI, on purpose: adding under an existing name is refused (never a
 * silent overwrite), adding a key that is already stored under another name needs
 * `{ allowDuplicateAddress: true }`, names ending in `info` are found by name, amino-era records are
 * converted in memory (the files are not rewritten), and a record found through its address must
 * hold that address.
 */
import { decodeAddress, encodeAddress, isAddress } from "../address.js";
import { InvalidArgumentError } from "../../errors.js";
import { walletFromMnemonic, walletFromPrivateKey, type Wallet } from "../keys.js";
import { checkMnemonic } from "../mnemonic.js";
import { decodeLegacyInfo } from "./amino.js";
import { exportArmoredPrivateKey, importArmoredPrivateKey } from "./armor.js";
import {
  DuplicateKeyAddressError,
  InvalidKeyNameError,
  InvalidKeyringPasswordError,
  KeyExistsError,
  KeyNotFoundError,
  KeyRecordError,
  KeyringError,
  KeyringItemError,
  KeyringPasswordAttemptsError,
  KeyringPasswordError,
  MnemonicNotStoredError,
  UnsupportedKeyTypeError,
  type KeyringPasswordFailure,
  type KeyType,
} from "./errors.js";
import { decryptJwe, encryptJwe } from "./jwe.js";
import { decodeItem, encodeItem, escapeItemKey } from "./item.js";
import { createKeyhash, MAX_KEYHASH_PASSWORD_BYTES, MIN_PASSWORD_BYTES, passwordBytes, verifyKeyhash } from "./keyhash.js";
import { decodeMnemonicItem, encodeMnemonicItem, isMnemonicItemKey, mnemonicItemKey, verifyKeptMnemonic, type KeptMnemonic } from "./mnemonic-item.js";
import { nodeDirectoryStorage } from "./node-storage.js";
import {
  addressBytesOf,
  bip44PathString,
  decodeMultisig,
  decodeRecord,
  encodeRecord,
  keyBytesOf,
  MULTISIG_PUBKEY_URL,
  SECP256K1_PRIVKEY_URL,
  SECP256K1_PUBKEY_URL,
  secp256k1PrivKeyAny,
  secp256k1PubKeyAny,
  type KeyRecord,
} from "./record.js";
import type { KeyringStorage } from "./storage.js";

/** Which of the network CLI's backends a directory belongs to. */
export type KeyringBackend = "file" | "test";

/** What a {@link KeyringPasswordSource} is asked for. */
export interface KeyringPasswordRequest {
  /** 1, 2 or 3. */
  attempt: number;
  /** True when this is the re-entry that must equal the previous answer (no `keyhash` yet). */
  confirm: boolean;
  /** True when the directory has no `keyhash` (the password will be set, not checked). */
  creating: boolean;
  /** Why the previous attempt failed. */
  previousFailure?: KeyringPasswordFailure;
}

/**
 * Asks for the keyring password (a prompt). Called up to three times, and twice per attempt when
 * the directory has no `keyhash` yet — as the network CLI does.
 */
export type KeyringPasswordSource = (request: KeyringPasswordRequest) => string | Promise<string>;

/** Options of {@link openFileKeyring}. */
export interface OpenFileKeyringOptions {
  /**
   * The directory that holds the items: `~/.inference/keyring-file` for `--keyring-backend file`
   * (`keyring-test` for `test`). Needs Node.js; pass `storage` in browsers.
   */
  dir?: string;
  /** Where the items live, instead of `dir` (e.g. {@link memoryKeyringStorage}). */
  storage?: KeyringStorage;
  /**
   * The keyring password (`KEYRING_PASSWORD`), used exactly as given, or a prompt. Not needed for
   * the `test` backend, whose password is the constant `test`.
   */
  password?: string | KeyringPasswordSource;
  /** `file` (default) or `test`. */
  backend?: KeyringBackend;
  /** Receives notices such as a record that `list()` skipped. */
  onWarning?: (message: string) => void;
  /** How long a write waits for another process's lock (ms, default 10 000). */
  lockTimeoutMs?: number;
}

/** One key as `keys list` shows it. */
export interface KeyInfo {
  name: string;
  /** `gonka1…` */
  address: string;
  type: KeyType;
}

/** A key's public details. */
export interface KeyDetails extends KeyInfo {
  /** Type URL of the public key, e.g. `/cosmos.crypto.secp256k1.PubKey`. */
  pubKeyTypeUrl: string;
  /** The 33-byte compressed secp256k1 public key (absent for multisig keys). */
  publicKey?: Uint8Array;
  /** Multisig keys: the threshold and the members' compressed public keys, in stored order. */
  multisig?: { threshold: number; publicKeys: Uint8Array[] };
  /** Ledger keys: the device path, `m/44'/1200'/0'/0/1`. */
  ledgerPath?: string;
}

/** The secret to add: a raw private key, or a mnemonic (default path `m/44'/1200'/0'/0/0`). */
export type AddKeyInput = { privateKey: Uint8Array | string } | { mnemonic: string; hdPath?: string; bip39Passphrase?: string };

/** Options of {@link FileKeyring.add}. */
export interface AddKeyOptions {
  /**
   * Store a key that is already in the keyring under another name (a confirmed second copy). Its
   * address then resolves to the new name, as in the network CLI. Default: refused.
   */
  allowDuplicateAddress?: boolean;
  /**
   * Also keep the mnemonic (with its path and BIP-39 passphrase), encrypted like the key, in the
   * item `<hex address>.mnemonic`, which `inferenced` ignores; read it back with
   * {@link FileKeyring.exportMnemonic}. Only for `{ mnemonic }` input. Default: false — the
   * keyring keeps the key, not the words, as `inferenced keys add` does.
   */
  keepMnemonic?: boolean;
}

/** The phrase to keep for a key already in the keyring ({@link FileKeyring.keepMnemonic}). */
export interface KeepMnemonicInput {
  mnemonic: string;
  /** Default `m/44'/1200'/0'/0/0`. */
  hdPath?: string;
  bip39Passphrase?: string;
}

export type { KeptMnemonic } from "./mnemonic-item.js";

/** An open `file`/`test` keyring. */
export interface FileKeyring {
  /** The directory (or storage) it reads. */
  readonly location: string;
  readonly backend: KeyringBackend;
  /**
   * Every key, sorted as the network CLI lists them (byte order of the item keys). Records that
   * cannot be read are skipped and reported through `onWarning`.
   */
  list(): Promise<KeyInfo[]>;
  /** One key by name or by `gonka1…` address (an address is looked up as an address first). */
  get(nameOrAddress: string): Promise<KeyDetails>;
  /**
   * A signer for a local key (a {@link Wallet}, so a `TxSigner` with `address`). Writes nothing.
   *
   * @throws {UnsupportedKeyTypeError} for Ledger, offline and multisig records.
   */
  signer(nameOrAddress: string): Promise<Wallet>;
  /**
   * Adds a local secp256k1 key as `inferenced keys add` / `import-hex` would store it.
   *
   * @throws {KeyExistsError} when the name is taken (never overwritten).
   * @throws {DuplicateKeyAddressError} when the key is stored under another name (see options).
   */
  add(name: string, key: AddKeyInput, options?: AddKeyOptions): Promise<KeyInfo>;
  /** Imports an armored private key (`inferenced keys export` output) under `name`. */
  importArmor(name: string, armor: string, passphrase: string, options?: AddKeyOptions): Promise<KeyInfo>;
  /** Exports a local key as an armor for `inferenced keys import`. */
  exportArmor(nameOrAddress: string, passphrase: string): Promise<string>;
  /**
   * The mnemonic kept for a key (added with `{ keepMnemonic: true }`, or migrated from gonka's old
   * `keyring.json`), after checking that it derives the key's address. An address whose key was
   * deleted by another tool still gives its kept phrase. Handle the result as the secret it is.
   *
   * @example
   * ```ts
   * const { mnemonic, hdPath } = await keyring.exportMnemonic("op");
   * ```
   * @throws {MnemonicNotStoredError} when only the key is stored.
   * @throws {MnemonicItemError} when the kept item is damaged or does not derive the address.
   */
  exportMnemonic(nameOrAddress: string): Promise<KeptMnemonic>;
  /**
   * Keeps the mnemonic of a key that is already stored (e.g. one added without
   * `keepMnemonic`), after checking that it derives that key. Nothing else changes.
   *
   * @throws {InvalidArgumentError} when the phrase (with its path) derives another address.
   */
  keepMnemonic(nameOrAddress: string, input: KeepMnemonicInput): Promise<void>;
  /**
   * Deletes a key by name (`<addr>.address` first, then `<name>.info`), then its kept mnemonic —
   * unless another name still holds the same key (the phrase stays for that one).
   */
  delete(name: string): Promise<void>;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * Opens a `keyring-file` (or `keyring-test`) directory of the network CLI. The password is
 * checked against `keyhash` at once (or, without a `keyhash`, by decrypting one file); nothing is
 * written until a key is added.
 *
 * @example
 * ```ts
 * const keyring = await openFileKeyring({ dir: `${homedir()}/.inference/keyring-file`, password: process.env.KEYRING_PASSWORD! });
 * console.log(await keyring.list()); // [{ name: "cold", address: "gonka1…", type: "local" }, …]
 * const cold = await keyring.signer("cold");
 * await chain.vote(cold, { proposalId: 2n, option: "yes" });
 * ```
 * @throws {KeyringPasswordError} for a wrong password.
 * @throws {InvalidKeyringPasswordError} for a password the network CLI would refuse (< 8 bytes).
 * @throws {KeyringPasswordAttemptsError} when a password prompt failed three times.
 * @throws {KeyhashError} when `keyhash` is not a bcrypt hash.
 */
export async function openFileKeyring(options: OpenFileKeyringOptions): Promise<FileKeyring> {
  const backend = options.backend ?? "file";
  if (backend !== "file" && backend !== "test") throw new InvalidArgumentError("backend", `expected "file" or "test", got ${JSON.stringify(backend)}`);
  let storage = options.storage;
  if (!storage) {
    if (typeof options.dir !== "string" || options.dir === "") throw new InvalidArgumentError("dir", "give the keyring directory (e.g. ~/.inference/keyring-file) or a storage");
    storage = await nodeDirectoryStorage(options.dir, options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {});
  }
  const warn = options.onWarning ?? (() => undefined);
  const password = backend === "test" ? "test" : await acceptPassword(storage, options.password);
  if (backend === "test" && !(await decryptsSample(storage, password))) throw new KeyringPasswordError("decrypt");
  return new Keyring(storage, backend, password, warn);
}

class Keyring implements FileKeyring {
  readonly location: string;
  /** The keyhash text this password was checked against (so each write does not run bcrypt). */
  private checkedKeyhash: string | undefined;

  constructor(
    private readonly storage: KeyringStorage,
    readonly backend: KeyringBackend,
    private readonly password: string,
    private readonly warn: (message: string) => void,
  ) {
    this.location = storage.location;
    Object.defineProperty(this, "password", { enumerable: false });
  }

  async list(): Promise<KeyInfo[]> {
    const keys = (await this.storage.keys()).filter((k) => k.endsWith("info")).sort(byUtf8);
    const out: KeyInfo[] = [];
    for (const key of keys) {
      try {
        const record = await this.readRecord(key);
        if (!record) continue;
        out.push({ name: record.name, address: addressOf(record, key), type: record.item.type });
      } catch (e) {
        if (!(e instanceof KeyringError)) throw e;
        this.warn(`skipped ${key}: ${e.shortMessage}`);
      }
    }
    return out;
  }

  async get(nameOrAddress: string): Promise<KeyDetails> {
    const { record, file } = await this.find(nameOrAddress);
    return details(record, file);
  }

  async signer(nameOrAddress: string): Promise<Wallet> {
    const { record, file } = await this.find(nameOrAddress);
    if (record.item.type !== "local") throw new UnsupportedKeyTypeError(record.name, record.item.type, "sign or export a private key (only local keys hold one)");
    if (record.item.privKey.typeUrl !== SECP256K1_PRIVKEY_URL) throw new UnsupportedKeyTypeError(record.name, record.item.privKey.typeUrl, "sign (Gonka accounts use secp256k1)");
    let wallet: Wallet;
    try {
      wallet = walletFromPrivateKey(keyBytesOf(record.item.privKey));
    } catch {
      throw new KeyRecordError(file, "the stored private key is not a valid secp256k1 key");
    }
    if (record.pubKey.typeUrl !== SECP256K1_PUBKEY_URL || !sameBytes(keyBytesOf(record.pubKey), wallet.publicKey)) {
      throw new KeyRecordError(file, "the stored private key does not match the stored public key");
    }
    return wallet;
  }

  async add(name: string, key: AddKeyInput, options: AddKeyOptions = {}): Promise<KeyInfo> {
    checkKeyName(name);
    if (options.keepMnemonic && (key === null || typeof key !== "object" || !("mnemonic" in key))) {
      throw new InvalidArgumentError("keepMnemonic", "only a key added from { mnemonic } has a mnemonic to keep");
    }
    const wallet = await walletOf(key);
    const secret = wallet.exportPrivateKey();
    const record: KeyRecord = { name, pubKey: secp256k1PubKeyAny(wallet.publicKey), item: { type: "local", privKey: secp256k1PrivKeyAny(secret) } };
    const recordBytes = encodeRecord(record);
    secret.fill(0);
    const infoKey = `${name}.info`;
    const addrKey = `${toHex(decodeAddress(wallet.address))}.address`;
    const infoToken = await this.seal(infoKey, recordBytes);
    recordBytes.fill(0);
    const addrToken = await this.seal(addrKey, utf8.encode(infoKey));
    const kept = options.keepMnemonic ? await this.sealMnemonic(wallet, key as KeepMnemonicInput) : undefined;
    await this.storage.withLock(async () => {
      await this.ensureWritable();
      if ((await this.storage.read(infoKey)) !== undefined) throw new KeyExistsError(name);
      const pointer = await this.readItem(addrKey);
      if (pointer !== undefined) {
        const existing = utf8Decoder.decode(pointer);
        if ((await this.storage.read(existing)) !== undefined && !options.allowDuplicateAddress) {
          throw new DuplicateKeyAddressError(wallet.address, existing.replace(/\.info$/, ""));
        }
      }
      // the phrase first: an interrupted add leaves at most a kept phrase without its key
      if (kept) await this.writeMnemonic(kept.file, kept.token);
      await this.storage.write(infoKey, infoToken);
      await this.storage.write(addrKey, addrToken);
    });
    return { name, address: wallet.address, type: "local" };
  }

  async importArmor(name: string, armor: string, passphrase: string, options: AddKeyOptions = {}): Promise<KeyInfo> {
    checkKeyName(name);
    const { privateKey } = await importArmoredPrivateKey(armor, passphrase);
    try {
      return await this.add(name, { privateKey }, options);
    } finally {
      privateKey.fill(0);
    }
  }

  async exportArmor(nameOrAddress: string, passphrase: string): Promise<string> {
    const wallet = await this.signer(nameOrAddress);
    const key = wallet.exportPrivateKey();
    try {
      return await exportArmoredPrivateKey(key, passphrase);
    } finally {
      key.fill(0);
    }
  }

  async exportMnemonic(nameOrAddress: string): Promise<KeptMnemonic> {
    let address: string;
    let label = nameOrAddress;
    try {
      const { record, file } = await this.find(nameOrAddress);
      address = addressOf(record, file);
      label = record.name;
    } catch (e) {
      // a key deleted by another tool: its phrase is still readable by address
      if (!(e instanceof KeyNotFoundError) || !isAddress(nameOrAddress)) throw e;
      const orphan = await this.readMnemonic(mnemonicItemKey(nameOrAddress));
      if (!orphan) throw e;
      return orphan;
    }
    const kept = await this.readMnemonic(mnemonicItemKey(address));
    if (!kept) throw new MnemonicNotStoredError(label, address);
    return kept;
  }

  async keepMnemonic(nameOrAddress: string, input: KeepMnemonicInput): Promise<void> {
    if (input === null || typeof input !== "object" || typeof input.mnemonic !== "string") throw new InvalidArgumentError("input", "expected { mnemonic, hdPath? }");
    const { record, file } = await this.find(nameOrAddress);
    const address = addressOf(record, file);
    const wallet = await walletOf(input);
    if (wallet.address !== address) {
      throw new InvalidArgumentError("mnemonic", `with the path ${String(wallet.hdPath)} it derives ${wallet.address}, not the key ${JSON.stringify(record.name)} (${address})`, {
        details: "Give the phrase, path (hdPath) and BIP-39 passphrase the key was made with.",
      });
    }
    const kept = await this.sealMnemonic(wallet, input);
    await this.storage.withLock(async () => {
      await this.ensureWritable();
      await this.writeMnemonic(kept.file, kept.token);
    });
  }

  async delete(name: string): Promise<void> {
    if (typeof name !== "string" || name === "") throw new InvalidKeyNameError("give the name of the key to delete");
    const infoKey = `${name}.info`;
    await this.storage.withLock(async () => {
      const record = await this.readRecord(infoKey);
      if (!record) throw new KeyNotFoundError(name);
      const addressBytes = addressBytesOf(record.pubKey);
      const addrKey = `${toHex(addressBytes)}.address`;
      const pointer = await this.readItem(addrKey).catch(() => undefined);
      if (pointer !== undefined && utf8Decoder.decode(pointer) === infoKey) await this.storage.remove(addrKey);
      await this.storage.remove(infoKey);
      // the kept phrase goes last, and only when no other name holds the same key
      const mnemonicKey = mnemonicItemKey(addressBytes);
      if ((await this.storage.read(mnemonicKey)) !== undefined && !(await this.otherNameHolds(addressBytes, infoKey))) await this.storage.remove(mnemonicKey);
    });
  }

  /** Whether a `.info` item other than `except` holds a key with this address (unreadable ones count as yes). */
  private async otherNameHolds(addressBytes: Uint8Array, except: string): Promise<boolean> {
    for (const key of await this.storage.keys()) {
      if (!key.endsWith("info") || key === except) continue;
      try {
        const record = await this.readRecord(key);
        if (record && sameBytes(addressBytesOf(record.pubKey), addressBytes)) return true;
      } catch {
        return true; // cannot tell: keep the phrase
      }
    }
    return false;
  }

  /** Encrypts the kept-mnemonic item of a key derived from `input` (checked by the derivation). */
  private async sealMnemonic(wallet: Wallet, input: KeepMnemonicInput): Promise<{ file: string; token: Uint8Array }> {
    const file = mnemonicItemKey(wallet.address);
    const kept: KeptMnemonic = {
      address: wallet.address,
      mnemonic: checkMnemonic(input.mnemonic),
      hdPath: wallet.hdPath ?? "m/44'/1200'/0'/0/0",
      ...(input.bip39Passphrase ? { bip39Passphrase: input.bip39Passphrase } : {}),
    };
    return { file, token: await this.seal(file, encodeMnemonicItem(kept)) };
  }

  /**
   * Writes a kept-mnemonic item (under the lock). An item already there that decrypts and derives
   * the same address is left as it is; one that does not is never overwritten.
   */
  private async writeMnemonic(file: string, token: Uint8Array): Promise<void> {
    if ((await this.storage.read(file)) !== undefined) {
      await this.readMnemonic(file); // throws for a damaged or foreign item: nothing is replaced
      return;
    }
    await this.storage.write(file, token);
  }

  /** A kept mnemonic, checked against its item key, or `undefined` when there is none. */
  private async readMnemonic(file: string): Promise<KeptMnemonic | undefined> {
    const data = await this.readItem(file);
    if (data === undefined) return undefined;
    const kept = decodeMnemonicItem(data, file);
    data.fill(0);
    await verifyKeptMnemonic(kept, file);
    return kept;
  }

  /** Finds a record by address (when `nameOrAddress` is a `gonka1…` address) or by name. */
  private async find(nameOrAddress: string): Promise<{ record: KeyRecord; file: string }> {
    if (typeof nameOrAddress !== "string" || nameOrAddress === "") {
      throw new InvalidKeyNameError("no key name or address given", { details: "Pass the key's name (CLI: --from NAME)." });
    }
    if (isAddress(nameOrAddress)) {
      const addrKey = `${toHex(decodeAddress(nameOrAddress))}.address`;
      const pointer = await this.readItem(addrKey);
      if (pointer === undefined) throw new KeyNotFoundError(nameOrAddress, `No key with address ${nameOrAddress} in the keyring`);
      const file = utf8Decoder.decode(pointer);
      const record = await this.readRecord(file);
      if (!record) throw new KeyNotFoundError(nameOrAddress, `The address ${nameOrAddress} points to ${JSON.stringify(file)}, which no longer exists`);
      if (addressOf(record, file) !== nameOrAddress) {
        throw new KeyNotFoundError(nameOrAddress, `The address ${nameOrAddress} points to ${JSON.stringify(file)}, which now holds another key`);
      }
      return { record, file };
    }
    const file = `${nameOrAddress}.info`;
    const record = await this.readRecord(file);
    if (!record) throw new KeyNotFoundError(nameOrAddress);
    return { record, file };
  }

  /** The decrypted data of an item, or `undefined` when the file does not exist. */
  private async readItem(key: string): Promise<Uint8Array | undefined> {
    const raw = await this.storage.read(key);
    if (raw === undefined) return undefined;
    const item = decodeItem(await decryptJwe(utf8Decoder.decode(raw), this.password, key), key);
    if (item.key !== key) throw new KeyringItemError(key, "item", `the file holds the item ${JSON.stringify(item.key)} (renamed or swapped files?)`);
    return item.data;
  }

  private async readRecord(key: string): Promise<KeyRecord | undefined> {
    const data = await this.readItem(key);
    return data === undefined ? undefined : decodeAnyRecord(data, key);
  }

  private async seal(key: string, data: Uint8Array): Promise<Uint8Array> {
    return utf8.encode(await encryptJwe(encodeItem({ key, data }), this.password));
  }

  /**
   * Before the first write of a `file` keyring: writes `keyhash` when the directory has none, or
   * checks the password against one that another process wrote since the keyring was opened.
   */
  private async ensureWritable(): Promise<void> {
    if (this.backend !== "file") return;
    const raw = await this.storage.read("keyhash");
    if (raw === undefined) {
      const keyhash = await createKeyhash(this.password);
      await this.storage.write("keyhash", utf8.encode(keyhash));
      this.checkedKeyhash = keyhash;
      return;
    }
    const keyhash = utf8Decoder.decode(raw);
    if (keyhash === this.checkedKeyhash) return;
    if (!(await verifyKeyhash(this.password, keyhash))) throw new KeyringPasswordError("keyhash");
    this.checkedKeyhash = keyhash;
  }
}

/** Decodes a record: protobuf first, then the amino-era `LegacyInfo` (converted in memory). */
export function decodeAnyRecord(data: Uint8Array, file: string): KeyRecord {
  try {
    return decodeRecord(data);
  } catch (protoError) {
    try {
      return decodeLegacyInfo(data);
    } catch (aminoError) {
      throw new KeyRecordError(file, "it is neither a protobuf keyring Record nor an amino-era record", {
        metaMessages: [`protobuf: ${(protoError as Error).message}`, `amino: ${(aminoError as Error).message}`],
      });
    }
  }
}

/** Checks a name for storing: non-empty, no control characters, a file name of ≤ 255 bytes. */
export function checkKeyName(name: string): void {
  if (typeof name !== "string" || name === "") throw new InvalidKeyNameError("a key needs a non-empty name");
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) throw new InvalidKeyNameError("control characters cannot be stored in a file name");
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(name)) throw new InvalidKeyNameError("the name is not valid Unicode");
  if (utf8.encode(escapeItemKey(`${name}.info`)).length > 255) throw new InvalidKeyNameError("too long: its file name would exceed 255 bytes");
  if (isAddress(name)) throw new InvalidKeyNameError("a name that is a gonka1… address would be looked up as that address");
}

async function acceptPassword(storage: KeyringStorage, source: string | KeyringPasswordSource | undefined): Promise<string> {
  if (source === undefined) throw new InvalidArgumentError("password", "the file keyring needs its password", { details: "Pass the keyring's password (the network node's KEYRING_PASSWORD)." });
  if (typeof source !== "string" && typeof source !== "function") throw new InvalidArgumentError("password", "expected a string or a prompt function");
  const raw = await storage.read("keyhash");
  const keyhash = raw === undefined ? undefined : utf8Decoder.decode(raw);
  const hasItems = (await storage.keys()).some((k) => k !== "keyhash");
  const failures: KeyringPasswordFailure[] = [];
  const attempts = typeof source === "string" ? 1 : 3;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const previousFailure = failures[failures.length - 1];
    const request = { attempt, confirm: false, creating: keyhash === undefined, ...(previousFailure ? { previousFailure } : {}) };
    const password = typeof source === "string" ? source : await source(request);
    if (typeof password !== "string") throw new InvalidArgumentError("password", "the prompt returned no string");
    if (typeof source === "function" && keyhash === undefined && (await source({ ...request, confirm: true })) !== password) {
      failures.push("mismatch");
      continue;
    }
    const n = passwordBytes(password);
    if (n < MIN_PASSWORD_BYTES) failures.push("too-short");
    else if (keyhash !== undefined) {
      if (await verifyKeyhash(password, keyhash)) return password;
      failures.push("incorrect");
    } else if (hasItems) {
      if (await decryptsSample(storage, password)) return password;
      failures.push("does-not-decrypt");
    } else if (n > MAX_KEYHASH_PASSWORD_BYTES) failures.push("too-long");
    else return password;
  }
  if (typeof source === "string") {
    const f = failures[0]!;
    if (f === "incorrect") throw new KeyringPasswordError("keyhash");
    if (f === "does-not-decrypt") throw new KeyringPasswordError("decrypt");
    throw new InvalidKeyringPasswordError(f as "too-short" | "too-long" | "mismatch");
  }
  throw new KeyringPasswordAttemptsError(failures);
}

/**
 * Whether the password opens the directory's files: true when one decrypts, false when the first
 * readable one does not unwrap; true when there is none (nothing to protect yet).
 */
async function decryptsSample(storage: KeyringStorage, password: string): Promise<boolean> {
  const keys = (await storage.keys()).filter((k) => k.endsWith(".address") || k.endsWith("info") || isMnemonicItemKey(k)).sort(byUtf8);
  for (const key of keys) {
    const raw = await storage.read(key);
    if (raw === undefined) continue;
    try {
      await decryptJwe(utf8Decoder.decode(raw), password, key);
      return true;
    } catch (e) {
      if (e instanceof KeyringItemError && e.problem === "unwrap") return false;
      // a damaged file says nothing about the password: try the next one
    }
  }
  return true;
}

async function walletOf(key: AddKeyInput): Promise<Wallet> {
  if (key === null || typeof key !== "object") throw new InvalidArgumentError("key", "expected { privateKey } or { mnemonic, hdPath }");
  if ("privateKey" in key) return walletFromPrivateKey(key.privateKey);
  if ("mnemonic" in key) {
    return walletFromMnemonic(key.mnemonic, {
      ...(key.hdPath !== undefined ? { hdPath: key.hdPath } : {}),
      ...(key.bip39Passphrase !== undefined ? { passphrase: key.bip39Passphrase } : {}),
    });
  }
  throw new InvalidArgumentError("key", "expected { privateKey } or { mnemonic, hdPath }");
}

function addressOf(record: KeyRecord, file: string): string {
  try {
    return encodeAddress(addressBytesOf(record.pubKey));
  } catch (e) {
    throw new KeyRecordError(file, `its public key gives no address (${(e as Error).message})`);
  }
}

function details(record: KeyRecord, file: string): KeyDetails {
  const out: KeyDetails = { name: record.name, address: addressOf(record, file), type: record.item.type, pubKeyTypeUrl: record.pubKey.typeUrl };
  if (record.pubKey.typeUrl === MULTISIG_PUBKEY_URL) {
    const m = decodeMultisig(record.pubKey.value);
    out.multisig = { threshold: m.threshold, publicKeys: m.publicKeys.map((k) => keyBytesOf(k)) };
  } else {
    out.publicKey = keyBytesOf(record.pubKey);
  }
  if (record.item.type === "ledger") out.ledgerPath = bip44PathString(record.item.path);
  return out;
}

function byUtf8(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function toHex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}
