import { createRegistry, type DescMessage, type Registry } from "@bufbuild/protobuf";
import { file_google_protobuf_any, file_google_protobuf_duration, file_google_protobuf_timestamp } from "@bufbuild/protobuf/wkt";
import { allFiles } from "../../generated/proto/index.js";
import { UnknownTypeUrlError } from "./errors.js";
import { RemovedMessageTypeError } from "../network/errors.js";
import { removedMessageType } from "../network/releases.js";
import { markRegistryLoaded, type TypeLookup } from "./registry-hook.js";

/**
 * Registry of every message, enum, extension and service generated from `proto/` (plus the
 * well-known Any, Timestamp and Duration). Pass it to protobuf-es `fromJson`/`toJson` so that
 * `google.protobuf.Any` fields can be read and written as JSON with `"@type"`.
 *
 * @example
 * ```ts
 * import { toJson } from "@bufbuild/protobuf";
 * import { registry } from "gonka-sdk/proto";
 * const json = toJson(MsgExecSchema, msg, { registry });
 * ```
 */
export const registry: Registry = /* @__PURE__ */ markRegistryLoaded(/* @__PURE__ */ createFullRegistry(), assertNotRemoved);

/** The SDK's registry with its removed-type check, for the `…In` helpers. @internal */
export const sdkTypes: TypeLookup = { registry, assertNotRemoved };

/**
 * Builds {@link registry}. (A call without arguments, so that bundlers can drop the pure
 * initializer above when nothing uses the registry: they keep calls with spread arguments.)
 */
function createFullRegistry(): Registry {
  return createRegistry(...allFiles, file_google_protobuf_any, file_google_protobuf_timestamp, file_google_protobuf_duration);
}

/**
 * The Cosmos type URL of a message schema: `"/"` + the full protobuf name.
 *
 * @example
 * ```ts
 * typeUrlOf(MsgVoteSchema); // "/cosmos.gov.v1.MsgVote"
 * ```
 */
export function typeUrlOf(schema: DescMessage): string {
  return `/${schema.typeName}`;
}

/**
 * The full protobuf name in a type URL: everything after the last `/`
 * (`"/cosmos.gov.v1.MsgVote"` and `"type.googleapis.com/cosmos.gov.v1.MsgVote"` both give
 * `"cosmos.gov.v1.MsgVote"`).
 */
export function typeNameOfUrl(typeUrl: string): string {
  return typeUrl.substring(typeUrl.lastIndexOf("/") + 1);
}

/**
 * The schema of the message a type URL names.
 *
 * @throws {RemovedMessageTypeError} when the type URL names a message a chain upgrade removed
 *   (e.g. `/inference.inference.MsgSubmitPocValidation`, removed in v0.2.12); the error names the
 *   release and the replacement.
 * @throws {UnknownTypeUrlError} when no generated schema has that name.
 * @example
 * ```ts
 * const schema = schemaForTypeUrl("/inference.inference.MsgSubmitPocBatch");
 * const msg = fromBinary(schema, bytes);
 * ```
 */
export function schemaForTypeUrl(typeUrl: string): DescMessage {
  return schemaForTypeUrlIn(sdkTypes, typeUrl);
}

/**
 * {@link schemaForTypeUrl} in the given registry (the signing path passes the registry it was
 * given, so that it does not import the full one).
 *
 * @internal
 * @throws {RemovedMessageTypeError} for a removed message type; {@link UnknownTypeUrlError} when
 *   `types.registry` has no message of that name.
 */
export function schemaForTypeUrlIn(types: TypeLookup, typeUrl: string): DescMessage {
  const name = typeNameOfUrl(typeUrl);
  const schema = name === "" ? undefined : types.registry.getMessage(name);
  if (!schema) {
    types.assertNotRemoved(typeUrl);
    throw new UnknownTypeUrlError(typeUrl);
  }
  return schema;
}

/**
 * Throws {@link RemovedMessageTypeError} when `typeUrl` (Cosmos `/name` form or any prefix) names a
 * message type the chain no longer has at the release the SDK targets.
 *
 * @example
 * ```ts
 * assertNotRemoved("/inference.inference.MsgJoinTraining"); // throws: removed in v0.2.12
 * assertNotRemoved("/cosmos.gov.v1.MsgVote"); // returns
 * ```
 */
export function assertNotRemoved(typeUrl: string, argument = "typeUrl"): void {
  const removed = removedMessageType(`/${typeNameOfUrl(typeUrl)}`);
  if (removed) throw new RemovedMessageTypeError(typeUrl, removed, argument);
}
