import {
  clone,
  create,
  fromBinary,
  isMessage,
  toBinary,
  type DescMessage,
  type JsonObject,
  type Message,
  type MessageInitShape,
  type MessageShape,
} from "@bufbuild/protobuf";
import { AnySchema, type Any } from "@bufbuild/protobuf/wkt";
import { InvalidArgumentError, messageOf } from "../errors.js";
import { cosmosSchemaForTypeUrlIn } from "./registry.js";
import { sdkTypes } from "../proto/registry.js";
import { loadedTypes, registryNeeded, type TypeLookup } from "../proto/registry-hook.js";
import { assertNoRemovedMessageTypesIn, normalizeAnyTypeUrlsIn } from "../proto/any.js";
import { fromJsonCosmosIn } from "../proto/json.js";
import { RemovedMessageTypeError } from "../network/errors.js";

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
 * A message together with its schema: the form that needs no type registry to sign (build it with
 * {@link txMessage}). `messageFromJson` from `gonka-sdk/proto` returns this form too (with a
 * `typeUrl`, which must then be the schema's).
 */
export interface SchemaTxMessage<Desc extends DescMessage = DescMessage> {
  /** The message schema, e.g. `MsgVoteSchema` from `gonka-sdk/proto/cosmos/gov/v1/tx_pb`. */
  schema: Desc;
  /** The message, of that schema. */
  message: MessageShape<Desc>;
  /** Optional; when given it must be `"/" + schema.typeName`. */
  typeUrl?: string;
}

/**
 * A transaction message in any accepted form:
 * - `{ schema, message }`, best built with {@link txMessage}: the schema travels with the message,
 *   so signing needs no type registry (the recommended form for browser apps: their bundle then
 *   leaves out the registry of every generated schema, about 35 kB gzip);
 * - a protobuf-es message (`create(MsgVoteSchema, {...})`), whose `$typeName` gives the type URL;
 * - `{ typeUrl, value }`;
 * - proto3 JSON with `"@type"`.
 *
 * The last three (and any message holding a `google.protobuf.Any`, such as `MsgExec`) are read
 * through the SDK's type registry, which is always loaded in Node; see `SignTxArgs.registry`.
 */
export type TxMessage = SchemaTxMessage | Message | PackedTxMessage | JsonTxMessage;

/**
 * A transaction message with its schema, ready for `signTx`: `{ schema, message: create(schema, init) }`.
 * Signing such a message needs no type registry, so an app bundle that signs only these stays small.
 *
 * @example
 * ```ts
 * import { signTx, txMessage } from "gonka-sdk/chain";
 * import { MsgVoteSchema } from "gonka-sdk/proto/cosmos/gov/v1/tx_pb";
 * import { VoteOption } from "gonka-sdk/proto/cosmos/gov/v1/gov_pb";
 * const vote = txMessage(MsgVoteSchema, { proposalId: 2n, voter: wallet.address, option: VoteOption.YES });
 * await signTx({ wallet, chainId: "gonka-mainnet", accountNumber, sequence, messages: [vote] });
 * ```
 * @throws {InvalidArgumentError} when `schema` is not a message schema.
 */
export function txMessage<Desc extends DescMessage>(schema: Desc, init?: MessageInitShape<Desc>): SchemaTxMessage<Desc> {
  if (!isMessageSchema(schema)) {
    throw new InvalidArgumentError("schema", "expected a generated message schema, e.g. MsgVoteSchema from gonka-sdk/proto/cosmos/gov/v1/tx_pb");
  }
  return { schema, message: create(schema, init) };
}

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
  return resolveMessageIn(sdkTypes, m, argument);
}

/** Resolves and packs every message of a tx (see {@link resolveMessage}). */
export function resolveMessages(messages: readonly TxMessage[]): ResolvedMessage[] {
  return messages.map((m, i) => resolveMessage(m, `messages[${i}]`));
}

/**
 * {@link resolveMessage} with type URLs and nested Anys looked up in `types`. Without a lookup,
 * only a message with its schema (`{ schema, message }`) and no non-empty `Any` inside resolves;
 * any other message is refused with an error that says how to pass the registry. The signing path
 * uses this, so that it does not import the full registry.
 *
 * @internal
 * @throws {InvalidArgumentError} for a message that needs a registry when `types` is undefined.
 */
export function resolveMessageIn(types: TypeLookup | undefined, m: TxMessage, argument = "message"): ResolvedMessage {
  const resolved = resolveOne(types, m, argument);
  assertNoRemovedMessageTypesIn(types, resolved.schema, resolved.message, argument);
  return resolved;
}

/** {@link resolveMessages} with `types` (see {@link resolveMessageIn}). @internal */
export function resolveMessagesIn(types: TypeLookup | undefined, messages: readonly TxMessage[]): ResolvedMessage[] {
  return messages.map((m, i) => resolveMessageIn(types, m, `messages[${i}]`));
}

function resolveOne(types: TypeLookup | undefined, m: TxMessage, argument: string): ResolvedMessage {
  if (m === null || typeof m !== "object") throw new InvalidArgumentError(argument, "expected an object");
  if (isMessage(m)) {
    const typeUrl = `/${m.$typeName}`;
    if (!types) throw registryNeeded(argument, `is a bare protobuf-es message (${m.$typeName}), which does not carry its schema`, m.$typeName);
    const schema = cosmosSchemaForTypeUrlIn(types, typeUrl);
    const message = cosmosForm(types, schema, m, argument);
    return { typeUrl, schema, message, any: pack(typeUrl, toBinary(schema, message)) };
  }
  const rec = m as Record<string, unknown>;
  if (isMessageSchema(rec.schema) && rec.message !== undefined && typeof rec["@type"] !== "string") {
    const schema = rec.schema;
    const typeUrl = `/${schema.typeName}`;
    if (!isMessage(rec.message, schema)) {
      const got = isMessage(rec.message) ? `a ${rec.message.$typeName}` : "not a protobuf-es message";
      throw new InvalidArgumentError(`${argument}.message`, `is ${got}, expected a ${schema.typeName} (create it with create(schema, init) or txMessage(schema, init))`);
    }
    if (rec.typeUrl !== undefined && rec.typeUrl !== typeUrl) {
      throw new InvalidArgumentError(`${argument}.typeUrl`, `is ${String(rec.typeUrl)}, but the schema is ${schema.typeName}`);
    }
    // Generated schemas only describe message types the chain has; a schema from elsewhere is
    // checked against the removed types when the SDK's registry (and its check) is loaded.
    loadedTypes()?.assertNotRemoved(typeUrl, argument);
    const message = cosmosForm(types, schema, rec.message, argument);
    return { typeUrl, schema, message, any: pack(typeUrl, toBinary(schema, message)) };
  }
  if (typeof rec["@type"] === "string") {
    const typeUrl = rec["@type"];
    if (!types) throw registryNeeded(argument, `is proto3 JSON (${typeUrl})`, typeUrl);
    const schema = cosmosSchemaForTypeUrlIn(types, typeUrl);
    const json: JsonObject = {};
    for (const [k, v] of Object.entries(rec)) if (k !== "@type") json[k] = v as JsonObject[string];
    let message: Message;
    try {
      message = fromJsonCosmosIn(types, schema, json);
    } catch (e) {
      if (e instanceof RemovedMessageTypeError) throw e;
      throw new InvalidArgumentError(argument, `is not valid proto3 JSON for ${typeUrl}: ${messageOf(e)}`, { cause: e });
    }
    return { typeUrl, schema, message, any: pack(typeUrl, toBinary(schema, message)) };
  }
  if (typeof rec.typeUrl === "string" && rec.value !== undefined) {
    const typeUrl = rec.typeUrl;
    if (!types) throw registryNeeded(argument, `is given as { typeUrl: "${typeUrl}", value }`, typeUrl);
    const schema = cosmosSchemaForTypeUrlIn(types, typeUrl);
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
      const message = cosmosForm(types, schema, value, argument);
      return { typeUrl, schema, message, any: pack(typeUrl, toBinary(schema, message)) };
    }
  }
  throw new InvalidArgumentError(
    argument,
    'expected { schema, message } (txMessage(schema, init)), a protobuf-es message, { typeUrl, value } or proto3 JSON with "@type"',
  );
}

/** True for a generated message schema (a protobuf-es `DescMessage`). */
function isMessageSchema(s: unknown): s is DescMessage {
  return typeof s === "object" && s !== null && (s as { kind?: unknown }).kind === "message" && typeof (s as { typeName?: unknown }).typeName === "string";
}

/** Packs encoded message bytes into a `google.protobuf.Any`. */
export function pack(typeUrl: string, value: Uint8Array): Any {
  return create(AnySchema, { typeUrl, value });
}

/** The message itself when every nested `Any` already has a Cosmos type URL, else a fixed copy (the caller's object is never changed). */
function cosmosForm(types: TypeLookup | undefined, schema: DescMessage, message: Message, argument: string): Message {
  const copy = clone(schema, message);
  return normalizeAnyTypeUrlsIn(types, schema, copy, argument) ? copy : message;
}
