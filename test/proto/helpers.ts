import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { DescMessage, JsonObject, JsonValue, Message } from "@bufbuild/protobuf";
import { reflect, type ReflectMessage } from "@bufbuild/protobuf/reflect";

/** One `messages[]` entry of test/fixtures/wire.json. */
export interface WireMessageVector {
  description: string;
  typeUrl: string;
  json: JsonObject;
  hex: string;
}

/**
 * Vectors of test/fixtures/wire.json (chain at launch, commit 312044d2) that no longer match the
 * chain at v0.2.13, keyed by description, with the reason (spec/chain-upgrades.md §10 and the
 * vectors README). They are retired from the tests; wire-upgrades.json covers what replaced them.
 */
export const STALE_WIRE_VECTORS: Readonly<Record<string, string>> = Object.freeze({
  "gov proposal: inference params":
    "old 8-sub-message Params with TokenomicsParams fields 4/5/8, removed in v0.2.12 (the chain refuses a tx carrying them)",
  "poc validation": "MsgSubmitPocValidation was removed in v0.2.12 (replaced by MsgSubmitPocValidationsV2)",
  "grant-ml-ops-permissions (25 grants)": "the 25-grant list names 8 message types the chain no longer has; v0.2.13 grants 20 plus a fee allowance",
  "gov proposal on a test chain": "carries the old inference Params with TokenomicsParams fields 4/5/8, removed in v0.2.12",
});

/** True for a wire.json vector that is still valid at v0.2.13 (see {@link STALE_WIRE_VECTORS}). */
export const isCurrentWireVector = (v: { description: string }): boolean => !(v.description in STALE_WIRE_VECTORS);

/** The `messages[]` vectors of the golden wire fixture that still hold at v0.2.13. */
export function loadMessageVectors(): WireMessageVector[] {
  const path = fileURLToPath(new URL("../fixtures/wire.json", import.meta.url));
  const data = JSON.parse(readFileSync(path, "utf8")) as { messages: WireMessageVector[] };
  return data.messages.filter(isCurrentWireVector);
}

/** One `messages[]` entry of test/fixtures/wire-upgrades.json. */
export type UpgradeMessageVector = WireMessageVector;

/** One `queryResponses[]` entry of test/fixtures/wire-upgrades.json. */
export interface QueryResponseVector {
  description: string;
  grpcMethod: string;
  restPath: string;
  typeUrl: string;
  /** The REST gateway's snake_case JSON, defaults omitted. */
  json: JsonObject;
  /** The same with zero scalars and empty lists printed (unset sub-messages still omitted). */
  jsonWithDefaults: JsonObject;
  hex: string;
}

/** One `txs[]` entry of test/fixtures/wire-upgrades.json. */
export interface UpgradeTxVector {
  description: string;
  signerAddress: string;
  chainId: string;
  accountNumber: string;
  sequence: string;
  gasLimit: string;
  fee: { denom: string; amount: string }[];
  feeGranter: string;
  unordered: boolean;
  timeoutTimestamp: string | null;
  memo?: string;
  messages: { typeUrl: string; json: JsonObject }[];
  bodyBytesHex: string;
  authInfoBytesHex: string;
  signDocHex: string;
  signatureBase64: string;
  txRawHex: string;
  txHash: string;
}

/** test/fixtures/wire-upgrades.json: the chain at v0.2.13 (gonka 8a35022b). */
export interface WireUpgrades {
  govModuleAddress: string;
  keys: { hdPath: string; privateKeyHex: string; publicKeyHex: string; address: string; valoper: string }[];
  mlOpsGrantTypeUrls: string[];
  mlOpsFeeAllowance: { denom: string; amount: string }[];
  messages: UpgradeMessageVector[];
  queryResponses: QueryResponseVector[];
  txs: UpgradeTxVector[];
}

/** Loads test/fixtures/wire-upgrades.json. */
export function loadWireUpgrades(): WireUpgrades {
  const path = fileURLToPath(new URL("../fixtures/wire-upgrades.json", import.meta.url));
  return JSON.parse(readFileSync(path, "utf8")) as WireUpgrades;
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

/** Field numbers our schemas do not declare, anywhere inside a message (path → numbers). */
export function unknownFields(schema: DescMessage, message: Message): string[] {
  const out: string[] = [];
  const walk = (r: ReflectMessage, at: string): void => {
    for (const u of r.getUnknown() ?? []) out.push(`${at}#${u.no}`);
    for (const f of r.fields) {
      if (!r.isSet(f)) continue;
      if (f.fieldKind === "message") walk(r.get(f), `${at}.${f.name}`);
      else if (f.fieldKind === "list" && f.listKind === "message") for (const item of r.get(f)) walk(item as ReflectMessage, `${at}.${f.name}[]`);
    }
  };
  walk(reflect(schema, message), "");
  return out;
}

