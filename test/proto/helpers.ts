import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";

/** One `messages[]` entry of test/fixtures/wire.json. */
export interface WireMessageVector {
  description: string;
  typeUrl: string;
  json: JsonObject;
  hex: string;
}

/** The `messages[]` vectors of the golden wire fixture. */
export function loadMessageVectors(): WireMessageVector[] {
  const path = fileURLToPath(new URL("../fixtures/wire.json", import.meta.url));
  const data = JSON.parse(readFileSync(path, "utf8")) as { messages: WireMessageVector[] };
  return data.messages;
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** Bytes of a hex string. */
export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, "hex"));
}

const isDefaultScalar = (v: JsonValue): boolean =>
  v === "" || v === false || v === 0 || v === "0" || (Array.isArray(v) && v.length === 0);

/**
 * The fixture JSON with proto3 default scalars removed from objects (`"metadata": ""`,
 * `"expedited": false`, `"exponent": 0`, `"nInvalid": "0"`, …). The fixtures spell some defaults
 * out; proto3 JSON output omits them. Array elements are never removed.
 */
export function withoutDefaults(json: JsonValue): JsonValue {
  if (Array.isArray(json)) return json.map(withoutDefaults);
  if (json !== null && typeof json === "object") {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(json)) {
      if (v === undefined || isDefaultScalar(v)) continue;
      out[k] = withoutDefaults(v);
    }
    return out;
  }
  return json;
}
