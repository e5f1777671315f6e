/**
 * The SDK 0.53 tx decoder's unknown-field rule (spec chain-upgrades.md §6 "Tx decoding"): inside
 * `TxBody` messages, including every `Any` at any depth, a field number the chain's schema does
 * not have is refused unless it is non-critical (bit 11, `1024`, set); `AuthInfo` allows none. An
 * `Any` whose type URL the chain does not resolve is refused too.
 */
import type { DescField, DescMessage, Message } from "@bufbuild/protobuf";
import { fromBinary } from "@bufbuild/protobuf";
import type { Any } from "@bufbuild/protobuf/wkt";
import { sdk } from "./abci.js";
import { devRegistry } from "./registry.js";

const WIRE_TYPES = ["varint", "fixed64", "bytes", "start_group", "end_group", "fixed32"];

interface Walk {
  /** Accept unknown fields with bit 11 set (TxBody) or none (AuthInfo). */
  allowNonCritical: boolean;
  /** `"<message type>#<number>"` keys that count as known (the devnet's own extra params fields). */
  known?: ReadonlySet<string>;
}

/** Type URL (Cosmos form, `/package.Message`) → schema, or the decoder's "unable to resolve" error. */
export function resolveAny(typeUrl: string): DescMessage {
  const schema = typeUrl.startsWith("/") ? devRegistry.getMessage(typeUrl.slice(1)) : undefined;
  if (!schema) throw sdk.txDecode(`unable to resolve type URL ${typeUrl}`);
  return schema;
}

/**
 * Throws the chain's tx-parse error for the first critical unknown field (or unresolvable `Any`)
 * in `message`, recursing through sub-messages, lists, maps and packed `Any`s.
 */
export function rejectUnknownFields(schema: DescMessage, message: Message, walk: Walk): void {
  for (const u of (message as { $unknown?: { no: number; wireType: number }[] }).$unknown ?? []) {
    if (walk.allowNonCritical && (u.no & 1024) !== 0) continue;
    if (walk.known?.has(`${schema.typeName}#${u.no}`)) continue;
    throw sdk.txDecode(`${schema.typeName}: {TagNum: ${u.no}, WireType:"${WIRE_TYPES[u.wireType] ?? "unknown"}"}: unknown protobuf field`);
  }
  forEachSubMessage(schema, message, (sub, value) => {
    if (sub.typeName === "google.protobuf.Any") {
      const any = value as Any;
      if (!any.typeUrl) return;
      const inner = resolveAny(any.typeUrl);
      let decoded: Message;
      try {
        decoded = fromBinary(inner, any.value);
      } catch (e) {
        throw sdk.txDecode(`unable to decode ${any.typeUrl}: ${(e as Error).message}`);
      }
      rejectUnknownFields(inner, decoded, walk);
      return;
    }
    rejectUnknownFields(sub, value, walk);
  });
}

/**
 * The `"<message type>#<number>"` keys of every unknown field in a decoded message (nested ones
 * under their own message type).
 */
export function unknownFieldKeys(schema: DescMessage, message: Message, into = new Set<string>()): Set<string> {
  for (const u of (message as { $unknown?: { no: number }[] }).$unknown ?? []) into.add(`${schema.typeName}#${u.no}`);
  forEachSubMessage(schema, message, (sub, value) => void unknownFieldKeys(sub, value, into));
  return into;
}

function forEachSubMessage(schema: DescMessage, message: Message, visit: (schema: DescMessage, value: Message) => void): void {
  const record = message as unknown as Record<string, unknown>;
  for (const field of schema.fields) {
    const value = fieldValue(field, record);
    if (value === undefined || value === null) continue;
    if (field.fieldKind === "message") visit(field.message, value as Message);
    else if (field.fieldKind === "list" && field.listKind === "message") for (const v of value as Message[]) visit(field.message, v);
    else if (field.fieldKind === "map" && field.mapKind === "message") for (const v of Object.values(value as Record<string, Message>)) visit(field.message, v);
  }
}

function fieldValue(field: DescField, record: Record<string, unknown>): unknown {
  if (field.oneof) {
    const o = record[field.oneof.localName] as { case?: string; value?: unknown } | undefined;
    return o?.case === field.localName ? o.value : undefined;
  }
  return record[field.localName];
}
