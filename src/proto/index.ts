/**
 * gonka-sdk/proto — the type-URL registry of every generated protobuf schema, and helpers for
 * Cosmos-style `Any` and proto3 JSON with `"@type"`.
 *
 * The schemas themselves are imported per file from `gonka-sdk/proto/<path>_pb`, e.g.
 * `import { MsgVoteSchema } from "gonka-sdk/proto/cosmos/gov/v1/tx_pb"`.
 *
 * @example
 * ```ts
 * import { messageFromJson, schemaForTypeUrl, anyPack } from "gonka-sdk/proto";
 * const { schema, message } = messageFromJson({ "@type": "/cosmos.gov.v1.MsgVote", proposalId: "2", voter, option: "VOTE_OPTION_YES" });
 * ```
 * @packageDocumentation
 */
export { registry, typeUrlOf, typeNameOfUrl, schemaForTypeUrl, assertNotRemoved } from "./registry.js";
export { anyPack, anyUnpack, anyUnpackAs, normalizeAnyTypeUrls, assertNoRemovedMessageTypes, type UnpackedAny } from "./any.js";
export { fromJsonCosmos, messageFromJson, messageToJson, type TypedMessage } from "./json.js";
export { UnknownTypeUrlError } from "./errors.js";
export { RemovedMessageTypeError } from "../network/errors.js";
