/**
 * Loads test/fixtures/inference-upgrades.json losslessly: integers outside the safe range
 * (seeds, some value_decimal coefficients, nanosecond timestamps) become bigint, every other
 * number is parsed exactly as JSON.parse would.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A value from the lossless parser. */
export type Lossless = null | boolean | number | bigint | string | Lossless[] | { [key: string]: Lossless };

/** Parses JSON text; integers beyond ±(2^53 − 1) come back as bigint. */
export function parseLossless(text: string): Lossless {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const value = (): Lossless => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const out: { [key: string]: Lossless } = {};
      ws();
      if (text[i] === "}") {
        i++;
        return out;
      }
      for (;;) {
        ws();
        const key = string();
        ws();
        if (text[i++] !== ":") throw new Error(`expected ':' at ${i}`);
        Object.defineProperty(out, key, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        const sep = text[i++];
        if (sep === "}") return out;
        if (sep !== ",") throw new Error(`expected ',' or '}' at ${i}`);
      }
    }
    if (c === "[") {
      i++;
      const out: Lossless[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        const sep = text[i++];
        if (sep === "]") return out;
        if (sep !== ",") throw new Error(`expected ',' or ']' at ${i}`);
      }
    }
    if (c === '"') return string();
    if (text.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return false;
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return null;
    }
    const m = /^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m) throw new Error(`unexpected character at ${i}`);
    i += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      const n = Number(m[0]);
      return Number.isSafeInteger(n) ? n : BigInt(m[0]);
    }
    return Number(m[0]);
  };
  const string = (): string => {
    const start = i;
    if (text[i] !== '"') throw new Error(`expected '"' at ${i}`);
    i++;
    while (text[i] !== '"') {
      if (text[i] === "\\") i++;
      i++;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const v = value();
  ws();
  if (i !== text.length) throw new Error(`trailing text at ${i}`);
  return v;
}

const path = fileURLToPath(new URL("../../fixtures/inference-upgrades.json", import.meta.url));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
/** The vectors, parsed losslessly (typed loosely: tests read fields by name). */
export const vectors: Any = parseLossless(readFileSync(path, "utf8"));

/** A big-endian hex of a float64's bits. */
export function f64hex(x: number): string {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  let s = "";
  for (let k = 0; k < 8; k++) s += b.getUint8(k).toString(16).padStart(2, "0");
  return s;
}

/** A vector integer (number or bigint) as bigint. */
export function big(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === "string") return BigInt(v);
  throw new Error(`not an integer: ${String(v)}`);
}

/** The payload a vector refers to by name. */
export function payload(ref: string): string {
  const p = vectors.payloads[ref];
  if (typeof p !== "string") throw new Error(`no payload ${ref}`);
  return p;
}
