import { base64, hex } from "@scure/base";

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return hex.encode(bytes);
}

/** Bytes of a hex string (optional `0x`, either case); `undefined` when it is not hex. */
export function tryFromHex(s: string): Uint8Array | undefined {
  const body = s.startsWith("0x") || s.startsWith("0X") ? s.slice(2) : s;
  if (body.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(body)) return undefined;
  return hex.decode(body.toLowerCase());
}

/** Standard base64 (with padding) of bytes. */
export function toBase64(bytes: Uint8Array): string {
  return base64.encode(bytes);
}

/** Bytes of a standard base64 string; `undefined` when it is not canonical base64. */
export function tryFromBase64(s: string): Uint8Array | undefined {
  try {
    return base64.decode(s);
  } catch {
    return undefined;
  }
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
