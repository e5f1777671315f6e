/**
 * A key's kept mnemonic: one extra item per key in the keyring directory, named
 * `<hex address>.mnemonic` (the same 40 lowercase hex digits as the key's `<hex address>.address`
 * item) and encrypted like every other item (a JWE with the keyring password).
 *
 * Why this name: the network CLI's keystore only ever reads items whose key ends in `info` (its
 * `List` and `MigrateAll`), `<hex>.address` (by address) and `keyhash`; nothing of it looks at
 * `.mnemonic`, and `keys delete` / `rename` remove only `<addr>.address` and `<name>.info`. The
 * suffix can never be one of those items: `.info` items end in `info`, `.address` items in
 * `address`. Keying by address rather than by name means the phrase follows the key, not the
 * label: it survives `inferenced keys rename` (export, delete, import under the new name keeps the
 * address), a second name for the same key shares it, and a key deleted by another tool leaves its
 * phrase readable by address instead of handing it to whatever key next takes the name.
 *
 * The item's data is JSON: `{"version":1,"address":"gonka1…","hdPath":"m/44'/1200'/0'/0/0",
 * "mnemonic":"…"}` plus `"bip39Passphrase"` when one was used. Every read derives the address
 * again from the phrase and refuses an item that does not give the address it is stored under.
 */
import { decodeAddress, encodeAddress } from "../address.js";
import { walletFromMnemonic } from "../keys.js";
import { MnemonicItemError } from "./errors.js";

/** The suffix of kept-mnemonic items. */
export const MNEMONIC_ITEM_SUFFIX = ".mnemonic";

/** A mnemonic kept in the keyring, with what is needed to derive the key again. */
export interface KeptMnemonic {
  /** The key's address, `gonka1…`. */
  address: string;
  /** The BIP-39 phrase (normalized: lowercase, single spaces). */
  mnemonic: string;
  /** The derivation path, e.g. `m/44'/1200'/0'/0/0`. */
  hdPath: string;
  /** The BIP-39 passphrase ("25th word"), when the key was made with one. */
  bip39Passphrase?: string;
}

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder("utf-8", { fatal: true });
const ITEM_KEY = /^[0-9a-f]{40}\.mnemonic$/;

/**
 * The item key of an address's kept mnemonic: `<40 lowercase hex digits>.mnemonic`.
 *
 * @example
 * ```ts
 * mnemonicItemKey("gonka1k4swv40ur28fvu54p8mskjj4lxkgsj07u9f8ny"); // "b560e655fc1a8e96729509f70b4a55f9ac8849fe.mnemonic"
 * ```
 */
export function mnemonicItemKey(address: string | Uint8Array): string {
  const bytes = typeof address === "string" ? decodeAddress(address) : address;
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return `${hex}${MNEMONIC_ITEM_SUFFIX}`;
}

/** Whether an item key is a kept-mnemonic item. */
export function isMnemonicItemKey(key: string): boolean {
  return ITEM_KEY.test(key);
}

/** The item data of a kept mnemonic (UTF-8 JSON, members in a fixed order). */
export function encodeMnemonicItem(kept: KeptMnemonic): Uint8Array {
  return utf8.encode(
    JSON.stringify({
      version: 1,
      address: kept.address,
      hdPath: kept.hdPath,
      mnemonic: kept.mnemonic,
      ...(kept.bip39Passphrase ? { bip39Passphrase: kept.bip39Passphrase } : {}),
    }),
  );
}

/**
 * Parses a kept-mnemonic item's data. Errors say what is missing, never what the item holds.
 *
 * @throws {MnemonicItemError} (`format`) when the data is not the expected JSON.
 */
export function decodeMnemonicItem(data: Uint8Array, file: string): KeptMnemonic {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Strict.decode(data));
  } catch {
    // the parser's message quotes the input: never pass it on
    throw new MnemonicItemError(file, "format", "the decrypted content is not JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new MnemonicItemError(file, "format", "the decrypted content is not a JSON object");
  const p = parsed as Record<string, unknown>;
  if (p.version !== 1) throw new MnemonicItemError(file, "format", "unknown version (expected 1)");
  for (const field of ["address", "hdPath", "mnemonic"] as const) {
    if (typeof p[field] !== "string" || p[field] === "") throw new MnemonicItemError(file, "format", `the member ${JSON.stringify(field)} is missing`);
  }
  if (p.bip39Passphrase !== undefined && typeof p.bip39Passphrase !== "string") throw new MnemonicItemError(file, "format", 'the member "bip39Passphrase" is not a string');
  return {
    address: p.address as string,
    mnemonic: p.mnemonic as string,
    hdPath: p.hdPath as string,
    ...(typeof p.bip39Passphrase === "string" && p.bip39Passphrase !== "" ? { bip39Passphrase: p.bip39Passphrase } : {}),
  };
}

/**
 * Checks a kept mnemonic against the item it was read from: its `address` member must be the one
 * the item key names, and the phrase (with its path and passphrase) must derive that address.
 *
 * @throws {MnemonicItemError} (`mismatch` or `format`) otherwise; the phrase is never in the error.
 */
export async function verifyKeptMnemonic(kept: KeptMnemonic, file: string): Promise<void> {
  let named: string;
  try {
    named = encodeAddress(hexBytes(file.slice(0, -MNEMONIC_ITEM_SUFFIX.length)));
  } catch {
    throw new MnemonicItemError(file, "format", "the item key is not <40 hex digits>.mnemonic");
  }
  if (kept.address !== named) throw new MnemonicItemError(file, "mismatch", `it is stored for ${named} but says it belongs to another address`);
  let derived: string;
  try {
    derived = (await walletFromMnemonic(kept.mnemonic, { hdPath: kept.hdPath, ...(kept.bip39Passphrase ? { passphrase: kept.bip39Passphrase } : {}) })).address;
  } catch {
    // the mnemonic module's errors name word positions only, but nothing of the phrase may travel
    throw new MnemonicItemError(file, "format", "the stored phrase or path is not a valid BIP-39 mnemonic and BIP-32 path");
  }
  if (derived !== named) throw new MnemonicItemError(file, "mismatch", `the stored phrase derives ${derived}, not ${named}`);
}

function hexBytes(hex: string): Uint8Array {
  if (!/^[0-9a-f]{40}$/.test(hex)) throw new Error("not 40 hex digits");
  const out = new Uint8Array(20);
  for (let i = 0; i < 20; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
