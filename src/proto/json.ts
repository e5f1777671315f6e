import {
  fromJson,
  toJson,
  type DescMessage,
  type JsonObject,
  type JsonValue,
  type Message,
  type MessageShape,
} from "@bufbuild/protobuf";
import { InvalidArgumentError } from "../errors.js";
import { normalizeAnyTypeUrlsIn } from "./any.js";
import { registry, schemaForTypeUrl, sdkTypes, typeUrlOf } from "./registry.js";
import type { TypeLookup } from "./registry-hook.js";

/**
 * Reads proto3 JSON into a message, resolving `"@type"` in Any fields through the
 * {@link registry} and giving every Any the Cosmos type-URL form (`"/" + name`). Use this rather
 * than plain `fromJson` when the bytes go to the chain. `ignoreUnknownFields` skips fields the
 * schema lacks (for node responses, which may be newer than our protos); it is off by default.
 * An `"@type"` naming a message type a chain upgrade removed is refused with
 * `RemovedMessageTypeError`.
 *
 * @example
 * ```ts
 * const grant = fromJsonCosmos(MsgGrantSchema, {
 *   granter, grantee,
 *   grant: { authorization: { "@type": "/cosmos.authz.v1beta1.GenericAuthorization", msg: "/inference.inference.MsgSubmitPocBatch" } },
 * });
 * ```
 */
export function fromJsonCosmos<Desc extends DescMessage>(
  schema: Desc,
  json: JsonValue,
  options: { ignoreUnknownFields?: boolean } = {},
): MessageShape<Desc> {
  return fromJsonCosmosIn(sdkTypes, schema, json, options);
}

/**
 * {@link fromJsonCosmos} with `"@type"` resolved and checked by `types` (the signing path passes
 * the lookup it was given, so that it does not import the full registry).
 *
 * @internal
 */
export function fromJsonCosmosIn<Desc extends DescMessage>(
  types: TypeLookup,
  schema: Desc,
  json: JsonValue,
  options: { ignoreUnknownFields?: boolean } = {},
): MessageShape<Desc> {
  refuseRemovedTypes(types, json, "json");
  const message = fromJson(schema, json, { registry: types.registry, ignoreUnknownFields: options.ignoreUnknownFields ?? false });
  normalizeAnyTypeUrlsIn(types, schema, message);
  return message;
}

/** Throws `RemovedMessageTypeError` for any `"@type"` (at any depth) naming a removed message type. */
function refuseRemovedTypes(types: TypeLookup, json: JsonValue, where: string): void {
  if (Array.isArray(json)) {
    json.forEach((v, i) => refuseRemovedTypes(types, v, `${where}[${i}]`));
  } else if (json !== null && typeof json === "object") {
    for (const [k, v] of Object.entries(json)) {
      if (k === "@type" && typeof v === "string") types.assertNotRemoved(v, where);
      else if (v !== undefined) refuseRemovedTypes(types, v, `${where}.${k}`);
    }
  }
}

/** The result of {@link messageFromJson}. */
export interface TypedMessage {
  /** The Cosmos type URL, e.g. `"/cosmos.gov.v1.MsgVote"`. */
  typeUrl: string;
  /** The message's schema. */
  schema: DescMessage;
  /** The decoded message. */
  message: Message;
}

/**
 * Reads a message given as proto3 JSON with an `"@type"` key (the form the Cosmos REST API and
 * `inferenced tx … --generate-only` use for messages).
 *
 * @throws {UnknownTypeUrlError} when `"@type"` names an unknown message.
 * @throws {InvalidArgumentError} when `json` is not an object with a string `"@type"`, or a field
 *   does not fit the schema.
 * @example
 * ```ts
 * const { typeUrl, schema, message } = messageFromJson({
 *   "@type": "/cosmos.gov.v1.MsgVote", proposalId: "2", voter: "gonka1…", option: "VOTE_OPTION_YES",
 * });
 * const bytes = toBinary(schema, message);
 * ```
 */
export function messageFromJson(json: JsonValue): TypedMessage {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new InvalidArgumentError("json", 'expected an object with an "@type" key');
  }
  const typeUrl = json["@type"];
  if (typeof typeUrl !== "string" || typeUrl === "") {
    throw new InvalidArgumentError("json", 'the "@type" key is missing or not a string', {
      details: 'Add the Cosmos type URL, e.g. "@type": "/cosmos.bank.v1beta1.MsgSend".',
    });
  }
  const schema = schemaForTypeUrl(typeUrl);
  const body: JsonObject = {};
  for (const [key, value] of Object.entries(json)) {
    if (key !== "@type" && value !== undefined) body[key] = value;
  }
  let message: Message;
  try {
    message = fromJsonCosmos(schema, body);
  } catch (cause) {
    if (cause instanceof InvalidArgumentError) throw cause;
    throw new InvalidArgumentError("json", `does not fit ${typeUrl}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
  return { typeUrl: typeUrlOf(schema), schema, message };
}

/**
 * Writes a message as proto3 JSON with its `"@type"` key first (the inverse of
 * {@link messageFromJson}). Default-valued fields are omitted, 64-bit integers are strings and
 * enums are names, as proto3 JSON specifies.
 *
 * @example
 * ```ts
 * messageToJson(MsgVoteSchema, vote);
 * // { "@type": "/cosmos.gov.v1.MsgVote", proposalId: "2", voter: "gonka1…", option: "VOTE_OPTION_YES" }
 * ```
 */
export function messageToJson<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): JsonObject {
  const body = toJson(schema, message, { registry });
  const out: JsonObject = { "@type": typeUrlOf(schema) };
  if (body !== null && typeof body === "object" && !Array.isArray(body)) Object.assign(out, body);
  return out;
}
