import { fromJson, type DescMessage, type JsonValue, type MessageShape } from "@bufbuild/protobuf";
import { chainRegistry } from "./registry.js";

const GOOGLE_PREFIX = "type.googleapis.com/";

/**
 * Rewrites every nested `google.protobuf.Any.typeUrl` of the form `type.googleapis.com/x.y.Z`
 * (what protobuf-es writes when it packs) to Cosmos's form `/x.y.Z`, in place.
 */
export function cosmosTypeUrls<T>(value: T): T {
  walk(value, new Set());
  return value;
}

/** True when some nested `Any` has a `type.googleapis.com/` type URL. */
export function hasGoogleTypeUrls(value: unknown): boolean {
  let found = false;
  const visit = (v: unknown, depth: number): void => {
    if (found || depth > 64 || v === null || typeof v !== "object" || v instanceof Uint8Array) return;
    if (Array.isArray(v)) {
      for (const item of v) visit(item, depth + 1);
      return;
    }
    const rec = v as Record<string, unknown>;
    if (rec.$typeName === "google.protobuf.Any" && typeof rec.typeUrl === "string" && rec.typeUrl.startsWith(GOOGLE_PREFIX)) {
      found = true;
      return;
    }
    for (const key in rec) visit(rec[key], depth + 1);
  };
  visit(value, 0);
  return found;
}

function walk(v: unknown, seen: Set<unknown>): void {
  if (v === null || typeof v !== "object" || v instanceof Uint8Array || seen.has(v)) return;
  seen.add(v);
  if (Array.isArray(v)) {
    for (const item of v) walk(item, seen);
    return;
  }
  const rec = v as Record<string, unknown>;
  if (rec.$typeName === "google.protobuf.Any" && typeof rec.typeUrl === "string" && rec.typeUrl.startsWith(GOOGLE_PREFIX)) {
    rec.typeUrl = `/${rec.typeUrl.slice(GOOGLE_PREFIX.length)}`;
  }
  for (const key of Object.keys(rec)) walk(rec[key], seen);
}

/**
 * `fromJson` with the SDK registry (so `"@type"` in nested `Any`s resolves) and Cosmos-style
 * `/x.y.Z` type URLs.
 *
 * @example
 * ```ts
 * const vote = fromChainJson(MsgVoteSchema, { proposalId: "2", voter, option: "VOTE_OPTION_YES" });
 * ```
 */
export function fromChainJson<D extends DescMessage>(schema: D, json: JsonValue, options: { ignoreUnknownFields?: boolean } = {}): MessageShape<D> {
  return cosmosTypeUrls(fromJson(schema, json, { registry: chainRegistry, ignoreUnknownFields: options.ignoreUnknownFields ?? false }));
}
