import { isMessage, type DescMessage, type JsonValue, type MessageShape } from "@bufbuild/protobuf";
import { fromJsonCosmos, normalizeAnyTypeUrls, registry } from "../proto/index.js";

/**
 * Gives every nested `google.protobuf.Any` of a message (or of each message in an array) the
 * Cosmos type-URL form `/x.y.Z`, in place, and returns the value. Other values pass unchanged.
 *
 * @deprecated Use `normalizeAnyTypeUrls(schema, message)` from `gonka-sdk/proto`.
 */
export function cosmosTypeUrls<T>(value: T): T {
  for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
    if (!isMessage(item)) continue;
    const schema = registry.getMessage(item.$typeName);
    if (schema) normalizeAnyTypeUrls(schema, item);
  }
  return value;
}

/**
 * `fromJson` with the SDK registry (so `"@type"` in nested `Any`s resolves) and Cosmos-style
 * `/x.y.Z` type URLs: `fromJsonCosmos` from `gonka-sdk/proto`.
 *
 * @example
 * ```ts
 * const vote = fromChainJson(MsgVoteSchema, { proposalId: "2", voter, option: "VOTE_OPTION_YES" });
 * ```
 */
export function fromChainJson<D extends DescMessage>(schema: D, json: JsonValue, options: { ignoreUnknownFields?: boolean } = {}): MessageShape<D> {
  return fromJsonCosmos(schema, json, options);
}
