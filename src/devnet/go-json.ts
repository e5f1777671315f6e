/**
 * Go `encoding/json` conventions of the decentralized-api (rest-apis.md §0.2): snake_case names,
 * `omitempty` drops zero values, 64-bit integers are JSON numbers.
 */

/** A JSON-ready value with bigints turned into numbers. */
export type GoJsonValue = string | number | boolean | null | GoJsonValue[] | { [key: string]: GoJsonValue };

function isEmpty(v: unknown): boolean {
  return (
    v === undefined ||
    v === null ||
    v === 0 ||
    v === 0n ||
    v === "" ||
    v === false ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)
  );
}

/**
 * Converts a value the way a Go struct with `omitempty` tags would marshal it: drops zero fields
 * of objects (recursively), turns bigints into numbers. Fields named in `keep` are kept even when zero.
 */
export function goJson(value: unknown, keep: ReadonlySet<string> = new Set()): GoJsonValue {
  if (typeof value === "bigint") return Number(value);
  if (value === undefined) return null;
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map((v) => goJson(v, keep));
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  const out: Record<string, GoJsonValue> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!keep.has(k) && isEmpty(v)) continue;
    out[k] = goJson(v, keep);
  }
  return out;
}
