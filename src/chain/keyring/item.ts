/**
 * The 99designs/keyring `Item` as the file backend stores it: the JSON that is encrypted into each
 * file, and the escaping of item keys into file names (only `/` and `%`, as mtibben/percent does).
 */
import { base64 } from "@scure/base";
import { KeyringItemError } from "./errors.js";

/** One keyring item: its key (`alice.info`, `<hex>.address`) and its data. */
export interface KeyringItem {
  key: string;
  data: Uint8Array;
}

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/**
 * A JSON string literal as Go's `encoding/json` writes it (HTML-safe: `<`, `>`, `&`, U+2028 and
 * U+2029 escaped as `\u003c` …; other escapes are the same as `JSON.stringify`'s).
 */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * The plaintext of an item file: `{"Key":…,"Data":<base64>,"Label":"","Description":"",
 * "KeychainNotTrustApplication":false,"KeychainNotSynchronizable":false}`, byte for byte as Go
 * marshals the struct.
 */
export function encodeItem(item: KeyringItem): Uint8Array {
  return utf8.encode(
    `{"Key":${goJsonString(item.key)},"Data":${goJsonString(base64.encode(item.data))},"Label":"","Description":"","KeychainNotTrustApplication":false,"KeychainNotSynchronizable":false}`,
  );
}

/** Parses an item file's plaintext; only `Key` and `Data` are used (as the keystore does). */
export function decodeItem(plaintext: Uint8Array, file: string): KeyringItem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Strict.decode(plaintext));
  } catch {
    throw new KeyringItemError(file, "item", "the decrypted content is not JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new KeyringItemError(file, "item", "the decrypted content is not a JSON object");
  const { Key: key, Data: data } = parsed as { Key?: unknown; Data?: unknown };
  if (typeof key !== "string") throw new KeyringItemError(file, "item", "the item has no Key");
  if (data !== null && data !== undefined && typeof data !== "string") throw new KeyringItemError(file, "item", "the item's Data is not a base64 string");
  let bytes: Uint8Array;
  try {
    bytes = typeof data === "string" ? base64.decode(data) : new Uint8Array(0);
  } catch {
    throw new KeyringItemError(file, "item", "the item's Data is not standard base64");
  }
  return { key, data: bytes };
}

/** The file name of an item key: `/` → `%2F`, `%` → `%25`, everything else kept. */
export function escapeItemKey(key: string): string {
  return key.replace(/[%/]/g, (c) => (c === "%" ? "%25" : "%2F"));
}

/**
 * The item key of a file name: every `%XY` with two hex digits (either case) becomes that byte,
 * other `%` stay. Returns `undefined` when the result is not UTF-8.
 */
export function unescapeFileName(name: string): string | undefined {
  if (!name.includes("%")) return name;
  const bytes = utf8.encode(name);
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x25 && i + 2 < bytes.length && isHex(bytes[i + 1]!) && isHex(bytes[i + 2]!)) {
      out.push(parseInt(String.fromCharCode(bytes[i + 1]!, bytes[i + 2]!), 16));
      i += 2;
    } else {
      out.push(b);
    }
  }
  try {
    return utf8Strict.decode(Uint8Array.from(out));
  } catch {
    return undefined;
  }
}

function isHex(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}
