/**
 * The REST gateway's JSON (spec chain-upgrades.md §4.5): gogoproto jsonpb with `OrigName` and
 * `EmitDefaults` — proto field names, 64-bit integers as strings, enums as names, bytes as
 * standard base64, zero scalars and empty lists printed, an unset sub-message printed as `null`
 * unless the field is `(gogoproto.nullable) = false`, which prints its zero object.
 */
import { create, getOption, hasOption, toJson, type DescMessage, type JsonObject, type JsonValue, type Message } from "@bufbuild/protobuf";
import { nullable } from "../../../generated/proto/gogoproto/gogo_pb.js";
import { devRegistry } from "./registry.js";

const ZERO_WKT: Record<string, JsonValue> = {
  "google.protobuf.Timestamp": "0001-01-01T00:00:00Z",
  "google.protobuf.Duration": "0s",
};

/** A message as the gateway prints it. */
export function gatewayJson(schema: DescMessage, message: Message): JsonObject {
  const json = toJson(schema, message, { registry: devRegistry, useProtoFieldName: true, alwaysEmitImplicit: true }) as JsonObject;
  fill(schema, message, json);
  return json;
}

function nonNullable(field: DescMessage["fields"][number]): boolean {
  return hasOption(field, nullable) && getOption(field, nullable) === false;
}

function fill(schema: DescMessage, message: Message, json: JsonObject): void {
  if (schema.typeName.startsWith("google.protobuf.")) return;
  const record = message as unknown as Record<string, unknown>;
  for (const field of schema.fields) {
    if (field.oneof) continue;
    const value = record[field.localName];
    if (field.fieldKind === "message") {
      const sub = field.message;
      if (value === undefined) {
        if (!nonNullable(field)) json[field.name] = null;
        else if (sub.typeName in ZERO_WKT) json[field.name] = ZERO_WKT[sub.typeName]!;
        else json[field.name] = gatewayJson(sub, create(sub));
      } else if (json[field.name] && typeof json[field.name] === "object") {
        fill(sub, value as Message, json[field.name] as JsonObject);
      }
    } else if (field.fieldKind === "list" && field.listKind === "message") {
      const items = json[field.name];
      if (Array.isArray(items)) (value as Message[]).forEach((v, i) => items[i] && typeof items[i] === "object" && fill(field.message, v, items[i] as JsonObject));
    }
  }
}

/** Deep-merges `extra` into `target` (objects merged, everything else replaced). */
export function mergeJson(target: JsonObject, extra: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(extra)) {
    const cur = target[k];
    if (v && typeof v === "object" && !Array.isArray(v) && cur && typeof cur === "object" && !Array.isArray(cur)) mergeJson(cur, v as Record<string, unknown>);
    else target[k] = v as JsonValue;
  }
}
