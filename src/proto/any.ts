import { clone, create, fromBinary, toBinary, type DescMessage, type Message, type MessageShape } from "@bufbuild/protobuf";
import { reflect, type ReflectMessage } from "@bufbuild/protobuf/reflect";
import { AnySchema, type Any } from "@bufbuild/protobuf/wkt";
import { InvalidArgumentError } from "../errors.js";
import { schemaForTypeUrl, sdkTypes, typeNameOfUrl, typeUrlOf } from "./registry.js";
import { registryNeeded, type TypeLookup } from "./registry-hook.js";

/**
 * Packs a message into a `google.protobuf.Any` with a **Cosmos** type URL (`"/" + name`), as the
 * chain expects. (protobuf-es' own `anyPack` writes `type.googleapis.com/…`, which the Cosmos SDK
 * rejects.) Any `Any` nested inside `message` is given the Cosmos form too.
 *
 * @example
 * ```ts
 * const any = anyPack(MsgVoteSchema, create(MsgVoteSchema, { proposalId: 2n, voter, option: VoteOption.YES }));
 * any.typeUrl; // "/cosmos.gov.v1.MsgVote"
 * ```
 */
export function anyPack<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): Any {
  const copy = clone(schema, message);
  normalizeAnyTypeUrls(schema, copy);
  return create(AnySchema, { typeUrl: typeUrlOf(schema), value: toBinary(schema, copy) });
}

/** The result of {@link anyUnpack}: the decoded message and its schema. */
export interface UnpackedAny {
  /** The type URL as found in the Any. */
  typeUrl: string;
  /** The schema the registry holds for it. */
  schema: DescMessage;
  /** The decoded message. */
  message: Message;
}

/**
 * Decodes the message inside an Any, finding its schema in the {@link registry}.
 *
 * @throws {UnknownTypeUrlError} (from `./errors`) when the type URL is not known.
 * @example
 * ```ts
 * const { schema, message } = anyUnpack(body.messages[0]);
 * ```
 */
export function anyUnpack(any: Any): UnpackedAny {
  const schema = schemaForTypeUrl(any.typeUrl);
  return { typeUrl: any.typeUrl, schema, message: fromBinary(schema, any.value) };
}

/**
 * Decodes the message inside an Any as the given schema.
 *
 * @throws {InvalidArgumentError} when the Any holds a different message type.
 * @example
 * ```ts
 * const vote = anyUnpackAs(any, MsgVoteSchema); // typed MsgVote
 * ```
 */
export function anyUnpackAs<Desc extends DescMessage>(any: Any, schema: Desc): MessageShape<Desc> {
  if (typeNameOfUrl(any.typeUrl) !== schema.typeName) {
    throw new InvalidArgumentError("any", `holds "${any.typeUrl}", expected "${typeUrlOf(schema)}"`);
  }
  return fromBinary(schema, any.value);
}

/**
 * Rewrites, in place, every `google.protobuf.Any` inside `message` (at any depth, including
 * inside other Anys) to the Cosmos type-URL form `"/" + name`.
 *
 * protobuf-es' `fromJson` packs `"@type"` objects with a `type.googleapis.com/` prefix; call this
 * after it (or use `messageFromJson` / `fromJsonCosmos`, which do) before encoding for the chain.
 * Returns true when something changed. Anys of unknown types only get their prefix fixed.
 *
 * @example
 * ```ts
 * const msg = fromJson(MsgExecSchema, json, { registry });
 * normalizeAnyTypeUrls(MsgExecSchema, msg);
 * ```
 */
export function normalizeAnyTypeUrls(schema: DescMessage, message: Message): boolean {
  return normalizeAnyTypeUrlsIn(sdkTypes, schema, message);
}

/**
 * {@link normalizeAnyTypeUrls} with the inner messages of Anys looked up in `types`. The signing
 * path calls this with the registry it was given (or none), so that it does not import the full
 * registry.
 *
 * @internal
 * @throws {InvalidArgumentError} when `types` is undefined and `message` holds a non-empty Any (its
 *   inner message could not be read), naming `argument`.
 */
export function normalizeAnyTypeUrlsIn(types: TypeLookup | undefined, schema: DescMessage, message: Message, argument = "message"): boolean {
  return fixMessage(types?.registry, reflect(schema, message), argument);
}

function fixMessage(reg: TypeLookup["registry"] | undefined, r: ReflectMessage, where: string): boolean {
  if (r.desc.typeName === AnySchema.typeName) return fixAny(reg, r.message as Any, where);
  let changed = false;
  for (const field of r.fields) {
    if (!r.isSet(field)) continue;
    switch (field.fieldKind) {
      case "message":
        changed = fixMessage(reg, r.get(field), where) || changed;
        break;
      case "list":
        if (field.listKind === "message") {
          for (const item of r.get(field)) changed = fixMessage(reg, item as ReflectMessage, where) || changed;
        }
        break;
      case "map":
        if (field.mapKind === "message") {
          for (const [, value] of r.get(field)) changed = fixMessage(reg, value as ReflectMessage, where) || changed;
        }
        break;
      default:
        break;
    }
  }
  return changed;
}

function fixAny(reg: TypeLookup["registry"] | undefined, any: Any, where: string): boolean {
  if (any.typeUrl === "") return false;
  if (!reg) throw registryNeeded(where, `holds a google.protobuf.Any (${any.typeUrl})`);
  const name = typeNameOfUrl(any.typeUrl);
  let changed = false;
  const inner = reg.getMessage(name);
  if (inner) {
    const decoded = fromBinary(inner, any.value);
    if (fixMessage(reg, reflect(inner, decoded), where)) {
      any.value = toBinary(inner, decoded);
      changed = true;
    }
  }
  const cosmosUrl = `/${name}`;
  if (any.typeUrl !== cosmosUrl) {
    any.typeUrl = cosmosUrl;
    changed = true;
  }
  return changed;
}


/**
 * Checks every `google.protobuf.Any` inside `message` (at any depth, inside nested Anys too) and
 * throws when one holds a message type the chain no longer has, e.g. an authz `MsgExec` wrapping
 * `/inference.inference.MsgSubmitPocValidation`. The signing path calls this for every tx message.
 * (Type URLs held as plain strings, like a `GenericAuthorization.msg`, are not Anys and not checked.)
 *
 * @throws {RemovedMessageTypeError} naming the release that removed the type and its replacement.
 * @example
 * ```ts
 * assertNoRemovedMessageTypes(MsgExecSchema, exec, "messages[0]");
 * ```
 */
export function assertNoRemovedMessageTypes(schema: DescMessage, message: Message, argument = "message"): void {
  assertNoRemovedMessageTypesIn(sdkTypes, schema, message, argument);
}

/**
 * {@link assertNoRemovedMessageTypes} with the inner messages of Anys looked up, and their type
 * URLs checked, by `types`.
 *
 * @internal
 * @throws {RemovedMessageTypeError} for a removed type at any depth.
 * @throws {InvalidArgumentError} when `types` is undefined and `message` holds a non-empty Any
 *   (it could not be checked).
 */
export function assertNoRemovedMessageTypesIn(types: TypeLookup | undefined, schema: DescMessage, message: Message, argument = "message"): void {
  walkAnys(types, reflect(schema, message), argument);
}

function walkAnys(types: TypeLookup | undefined, r: ReflectMessage, where: string): void {
  if (r.desc.typeName === AnySchema.typeName) {
    const any = r.message as Any;
    if (any.typeUrl === "") return;
    if (!types) throw registryNeeded(where, `holds a google.protobuf.Any (${any.typeUrl})`);
    types.assertNotRemoved(any.typeUrl, where);
    const inner = types.registry.getMessage(typeNameOfUrl(any.typeUrl));
    if (inner) walkAnys(types, reflect(inner, fromBinary(inner, any.value)), where);
    return;
  }
  for (const field of r.fields) {
    if (!r.isSet(field)) continue;
    const at = `${where}.${field.localName}`;
    if (field.fieldKind === "message") walkAnys(types, r.get(field), at);
    else if (field.fieldKind === "list" && field.listKind === "message") {
      let i = 0;
      for (const item of r.get(field)) walkAnys(types, item as ReflectMessage, `${at}[${i++}]`);
    } else if (field.fieldKind === "map" && field.mapKind === "message") {
      for (const [key, value] of r.get(field)) walkAnys(types, value as ReflectMessage, `${at}[${String(key)}]`);
    }
  }
}
