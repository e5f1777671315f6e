import { clone, create, fromBinary, isMessage, toBinary, type DescMessage, type JsonObject, type Message } from "@bufbuild/protobuf";
import { AnySchema, type Any } from "@bufbuild/protobuf/wkt";
import { InvalidArgumentError, messageOf } from "../errors.js";
import { schemaForTypeUrl } from "./registry.js";
import { RemovedMessageTypeError, assertNoRemovedMessageTypes, fromJsonCosmos, normalizeAnyTypeUrls } from "../proto/index.js";

/** A message as proto3 JSON with its type URL in `"@type"` (the `submit-proposal proposal.json` format). */
export type JsonTxMessage = { "@type": string } & JsonObject;

/** A message already given as type URL plus value (encoded bytes or a protobuf-es message). */
export interface PackedTxMessage {
  /** Type URL, e.g. `/cosmos.gov.v1.MsgVote`. */
  typeUrl: string;
  /** The message or its encoded bytes. */
  value: Message | Uint8Array;
}

/**
 * A transaction message in any accepted form:
 * - a protobuf-es message (`create(MsgVoteSchema, {...})`), whose `$typeName` gives the type URL;
 * - `{ typeUrl, value }`;
 * - proto3 JSON with `"@type"`.
 */
export type TxMessage = Message | PackedTxMessage | JsonTxMessage;

/** A message resolved to its schema, decoded form and packed `Any`. */
export interface ResolvedMessage {
  /** Type URL. */
  typeUrl: string;
  /** The message schema. */
  schema: DescMessage;
  /** The decoded message. */
  message: Message;
  /** The packed `google.protobuf.Any`. */
  any: Any;
}

/**
 * Resolves one message (see {@link TxMessage}) against the SDK registry and packs it into an `Any`.
 *
 * @example
 * ```ts
 * const { any } = resolveMessage({ "@type": "/cosmos.gov.v1.MsgVote", proposalId: "2", voter, option: "VOTE_OPTION_YES" });
 * ```
 * @throws {UnknownTypeUrlError} for a type URL the SDK has no schema for.
 * @throws {RemovedMessageTypeError} for a message type (at any depth) a chain upgrade removed.
 */
export function resolveMessage(m: TxMessage, argument = "message"): ResolvedMessage {
  const resolved = resolveOne(m, argument);
  assertNoRemovedMessageTypes(resolved.schema, resolved.message, argument);
  return resolved;
}

function resolveOne(m: TxMessage, argument: string): ResolvedMessage {
  if (m === null || typeof m !== "object") throw new InvalidArgumentError(argument, "expected an object");
  if (isMessage(m)) {
    const typeUrl = `/${m.$typeName}`;
    const schema = schemaForTypeUrl(typeUrl);
    const message = cosmosForm(schema, m);
    return { typeUrl, schema, message, any: pack(typeUrl, toBinary(schema, message)) };
  }
  const rec = m as Record<string, unknown>;
  if (typeof rec["@type"] === "string") {
    const typeUrl = rec["@type"];
    const schema = schemaForTypeUrl(typeUrl);
    const json: JsonObject = {};
    for (const [k, v] of Object.entries(rec)) if (k !== "@type") json[k] = v as JsonObject[string];
    let message: Message;
    try {
      message = fromJsonCosmos(schema, json);
    } catch (e) {
      if (e instanceof RemovedMessageTypeError) throw e;
      throw new InvalidArgumentError(argument, `is not valid proto3 JSON for ${typeUrl}: ${messageOf(e)}`, { cause: e });
    }
    return { typeUrl, schema, message, any: pack(typeUrl, toBinary(schema, message)) };
  }
  if (typeof rec.typeUrl === "string" && rec.value !== undefined) {
    const typeUrl = rec.typeUrl;
    const schema = schemaForTypeUrl(typeUrl);
    const value = rec.value;
    if (value instanceof Uint8Array) {
      let message: Message;
      try {
        message = fromBinary(schema, value);
      } catch (e) {
        throw new InvalidArgumentError(argument, `bytes do not decode as ${typeUrl}`, { cause: e });
      }
      return { typeUrl, schema, message, any: pack(typeUrl, value) };
    }
    if (isMessage(value)) {
      if (`/${value.$typeName}` !== typeUrl) {
        throw new InvalidArgumentError(argument, `typeUrl ${typeUrl} does not match the message type ${value.$typeName}`);
      }
      const message = cosmosForm(schema, value);
      return { typeUrl, schema, message, any: pack(typeUrl, toBinary(schema, message)) };
    }
  }
  throw new InvalidArgumentError(
    argument,
    'expected a protobuf-es message, { typeUrl, value } or proto3 JSON with "@type"',
  );
}

/** Resolves and packs every message of a tx (see {@link resolveMessage}). */
export function resolveMessages(messages: readonly TxMessage[]): ResolvedMessage[] {
  return messages.map((m, i) => resolveMessage(m, `messages[${i}]`));
}

/** Packs encoded message bytes into a `google.protobuf.Any`. */
export function pack(typeUrl: string, value: Uint8Array): Any {
  return create(AnySchema, { typeUrl, value });
}

/** The message itself when every nested `Any` already has a Cosmos type URL, else a fixed copy (the caller's object is never changed). */
function cosmosForm(schema: DescMessage, message: Message): Message {
  const copy = clone(schema, message);
  return normalizeAnyTypeUrls(schema, copy) ? copy : message;
}
