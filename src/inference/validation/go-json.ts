/**
 * JSON text exactly as the network node's Go code writes a decoded body back out
 * (`encoding/json` over `map[string]interface{}`): object keys sorted by their UTF-8 bytes,
 * numbers as float64 (`1.0` → `1`, `12345678901234567890` → `12345678901234567000`,
 * `1e-7` → `1e-7`), `<`, `>`, `&` escaped as `\u003c`, `\u003e`, `\u0026` unless
 * `escapeHtml` is false, U+2028/U+2029 always escaped, no whitespace.
 *
 * Input is what `JSON.parse` returns (numbers are already float64 there, as in Go).
 */
import { InvalidArgumentError } from "../../errors.js";

/** A JSON value as `JSON.parse` returns it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const encoder = new TextEncoder();
const HEX = "0123456789abcdef";

function compareUtf8(a: string, b: string): number {
  // UTF-16 order differs from UTF-8 byte order only when surrogates meet U+E000..U+FFFF.
  if (a === b) return 0;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function encodeString(s: string, escapeHtml: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c < 0x20) {
      if (c === 0x0a) out += "\\n";
      else if (c === 0x0d) out += "\\r";
      else if (c === 0x09) out += "\\t";
      else if (c === 0x08) out += "\\b";
      else if (c === 0x0c) out += "\\f";
      else out += `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    } else if (escapeHtml && (c === 0x3c || c === 0x3e || c === 0x26)) out += `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u202${c === 0x2028 ? "8" : "9"}`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else out += "\ufffd"; // Go writes invalid UTF-8 / lone surrogates as U+FFFD
    } else out += s[i]!;
  }
  return out + '"';
}

/** A float64 as Go's encoding/json prints it (shortest round trip; exponent form below 1e-6 and from 1e21). */
export function goJsonNumber(x: number): string {
  if (!Number.isFinite(x)) throw new InvalidArgumentError("number", "JSON cannot carry NaN or ±Infinity");
  if (Object.is(x, -0)) return "-0";
  // ECMAScript switches to exponent form at the same bounds as Go (|x| < 1e-6, |x| ≥ 1e21) and
  // writes the exponent the same way after Go's "e-07" → "e-7" clean-up.
  return String(x);
}

/**
 * Encodes a value the way Go's `encoding/json` marshals a decoded `interface{}`.
 *
 * @example
 * ```ts
 * goJsonStringify({ b: 1.0, a: "<x>" }); // '{"a":"\\u003cx\\u003e","b":1}'
 * goJsonStringify({ a: "<x>" }, { escapeHtml: false }); // '{"a":"<x>"}'
 * ```
 */
export function goJsonStringify(value: unknown, options: { escapeHtml?: boolean } = {}): string {
  const escapeHtml = options.escapeHtml ?? true;
  const walk = (v: unknown, depth: number): string => {
    if (depth > 10_000) throw new InvalidArgumentError("value", "nested too deeply");
    if (v === null) return "null";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return goJsonNumber(v);
    if (typeof v === "string") return encodeString(v, escapeHtml);
    if (Array.isArray(v)) return `[${v.map((x) => walk(x, depth + 1)).join(",")}]`;
    if (typeof v === "object") {
      const keys = Object.keys(v as object)
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .sort(compareUtf8);
      return `{${keys.map((k) => `${encodeString(k, escapeHtml)}:${walk((v as Record<string, unknown>)[k], depth + 1)}`).join(",")}}`;
    }
    throw new InvalidArgumentError("value", `cannot encode a ${typeof v} as JSON`);
  };
  return walk(value, 0);
}
