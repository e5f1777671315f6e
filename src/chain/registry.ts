import { createRegistry, type DescMessage, type Registry } from "@bufbuild/protobuf";
import {
  file_google_protobuf_any,
  file_google_protobuf_duration,
  file_google_protobuf_timestamp,
} from "@bufbuild/protobuf/wkt";
import { allFiles } from "../../generated/proto/index.js";
import { UnknownTypeUrlError } from "./errors.js";

/** Every message type the SDK knows (generated chain protos plus the well-known types). */
export const chainRegistry: Registry = createRegistry(
  file_google_protobuf_any,
  file_google_protobuf_duration,
  file_google_protobuf_timestamp,
  ...allFiles,
);

/**
 * The schema of a message type URL.
 *
 * @example
 * ```ts
 * schemaForTypeUrl("/cosmos.gov.v1.MsgVote").typeName; // "cosmos.gov.v1.MsgVote"
 * ```
 * @throws {UnknownTypeUrlError} when the SDK has no schema for it.
 */
export function schemaForTypeUrl(typeUrl: string): DescMessage {
  const name = typeof typeUrl === "string" && typeUrl.startsWith("/") ? typeUrl.slice(1) : typeUrl;
  const schema = typeof name === "string" ? chainRegistry.getMessage(name) : undefined;
  if (!schema) {
    throw new UnknownTypeUrlError(String(typeUrl), {
      details: "Type URLs start with '/' and name a message of the chain, e.g. /cosmos.gov.v1.MsgVote.",
    });
  }
  return schema;
}
