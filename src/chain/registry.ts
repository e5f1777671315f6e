import type { DescMessage, Registry } from "@bufbuild/protobuf";
import { UnknownTypeUrlError } from "../proto/errors.js";
import { registry, schemaForTypeUrlIn, sdkTypes } from "../proto/registry.js";
import type { TypeLookup } from "../proto/registry-hook.js";

/**
 * Every message type the SDK knows: the same object as `registry` from `gonka-sdk/proto`.
 *
 * @deprecated Use `registry` from `gonka-sdk/proto`.
 */
export const chainRegistry: Registry = registry;

/**
 * The schema of a transaction message's type URL. Like `schemaForTypeUrl` from `gonka-sdk/proto`,
 * but only the Cosmos form (`"/"` + the message name, or the bare name) is accepted: a
 * `type.googleapis.com/…` URL would end up in the signed bytes, and the chain refuses it.
 *
 * @example
 * ```ts
 * schemaForTypeUrl("/cosmos.gov.v1.MsgVote").typeName; // "cosmos.gov.v1.MsgVote"
 * ```
 * @throws {UnknownTypeUrlError} when the SDK has no schema for it, or the URL is not in the Cosmos form.
 */
export function schemaForTypeUrl(typeUrl: string): DescMessage {
  return cosmosSchemaForTypeUrlIn(sdkTypes, typeUrl);
}

/**
 * {@link schemaForTypeUrl} in the given registry (the signing path passes the registry it was
 * given, so that it does not import the full one).
 *
 * @internal
 */
export function cosmosSchemaForTypeUrlIn(types: TypeLookup, typeUrl: string): DescMessage {
  if (typeof typeUrl === "string" && typeUrl.lastIndexOf("/") <= 0) return schemaForTypeUrlIn(types, typeUrl);
  throw new UnknownTypeUrlError(String(typeUrl), "typeUrl", {
    details: "Type URLs start with '/' and name a message of the chain, e.g. /cosmos.gov.v1.MsgVote.",
  });
}
