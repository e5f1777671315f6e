/**
 * Module params fetched so that a "fetch, edit, propose" round trip cannot erase what the SDK does
 * not know.
 *
 * `MsgUpdateParams` replaces every param. Params fetched as REST JSON and decoded into the SDK's
 * schema lose every field that schema lacks (a newer chain's fields), and proposing them back
 * would erase those fields on chain. Fetched in binary form — over gRPC, or over CometBFT RPC
 * `abci_query` with the gRPC method path (plain HTTP, works in browsers) — protobuf-es keeps
 * unknown fields on decode and writes them back on encode, byte for byte. Over REST JSON the SDK
 * compares the JSON keys with its schema and refuses when any is unknown.
 */
import { create, fromBinary, toBinary, type DescField, type DescMessage, type DescMethodUnary, type Message, type MessageShape } from "@bufbuild/protobuf";
import { reflect, type ReflectMessage } from "@bufbuild/protobuf/reflect";
import { GonkaError, InvalidArgumentError, messageOf, type GonkaErrorOptions } from "../errors.js";
import { fromJsonCosmos } from "../proto/index.js";
import type { ChainContext } from "./context.js";
import { MalformedResponseError, NodeRequestError } from "./errors.js";
import type { CallOptions } from "./transport/types.js";

/** Where params are fetched from: `"auto"` (default: binary, else REST with the unknown-field check), `"binary"` or `"rest"`. */
export type ParamsSource = "auto" | "binary" | "rest";

/** How params were actually fetched. */
export type ParamsVia = "grpc" | "abci_query" | "rest";

/**
 * Params over REST JSON carry fields the SDK's schema does not know: decoding them would drop
 * those fields, and a `MsgUpdateParams` built from the result would erase them on chain. Raised
 * before anything is signed.
 */
export class ParamsNotPreservableError extends GonkaError {
  override name = "ParamsNotPreservableError";
  /** The JSON paths of the unknown fields, e.g. `["params.new_params", "params.poc_params.extra"]`. */
  readonly unknownFields: string[];
  constructor(what: string, unknownFields: string[], options: GonkaErrorOptions = {}) {
    super(`The node's ${what} have ${unknownFields.length} field(s) this SDK version does not know: ${unknownFields.slice(0, 5).join(", ")}${unknownFields.length > 5 ? ", …" : ""}`, {
      details:
        "MsgUpdateParams replaces every param, and REST JSON cannot carry fields the SDK's schema lacks, so a proposal built from these params would erase them. " +
        'Fetch them in binary form instead (paramsSource: "binary" — CometBFT RPC abci_query, or transport: "grpc"), which keeps unknown fields byte for byte, or upgrade gonka-sdk.',
      ...options,
    });
    this.unknownFields = unknownFields;
  }
}

/** What is needed to fetch one module's params. */
export interface ParamsQuery<I extends DescMessage, O extends DescMessage, P extends DescMessage> {
  /** What they are called in messages, e.g. `"inference params"`. */
  what: string;
  /** The Query/Params method. */
  method: DescMethodUnary<I, O>;
  /** Its REST path. */
  restPath: string;
  /** The params schema. */
  paramsSchema: P;
  /** Takes the params out of the response. */
  pick: (response: MessageShape<O>) => MessageShape<P> | undefined;
}

/** Params fetched with {@link fetchParams}. */
export interface FetchedParams<P extends DescMessage> {
  /** The params, with any fields the SDK does not know kept as unknown fields. */
  params: MessageShape<P>;
  /** How they were fetched. */
  via: ParamsVia;
  /** The number of fields (at any depth) the SDK's schema does not know and that are carried along. */
  unknownFieldCount: number;
}

/**
 * Fetches a module's params so they can be proposed back without losing anything: in binary form
 * (gRPC when the client's transport is gRPC, else CometBFT RPC `abci_query`), or as REST JSON
 * checked against the schema.
 *
 * `"auto"` (the default) uses the binary form and falls back to REST only when the node does not
 * answer the binary query; REST then still refuses unknown fields.
 *
 * @throws {ParamsNotPreservableError} over REST when the JSON has a field the schema lacks.
 */
export async function fetchParams<I extends DescMessage, O extends DescMessage, P extends DescMessage>(
  ctx: Pick<ChainContext, "transport" | "rpc" | "restTransport">,
  q: ParamsQuery<I, O, P>,
  source: ParamsSource = "auto",
  options: CallOptions = {},
): Promise<FetchedParams<P>> {
  if (source !== "rest") {
    try {
      return await fetchBinary(ctx, q, options);
    } catch (e) {
      if (source === "binary" || !(e instanceof NodeRequestError)) throw e;
    }
  }
  return fetchRestChecked(ctx, q, options);
}

async function fetchBinary<I extends DescMessage, O extends DescMessage, P extends DescMessage>(
  ctx: Pick<ChainContext, "transport" | "rpc">,
  q: ParamsQuery<I, O, P>,
  options: CallOptions,
): Promise<FetchedParams<P>> {
  let response: MessageShape<O>;
  let via: ParamsVia;
  if (ctx.transport.kind === "grpc") {
    // connect-es decodes with protobuf-es' fromBinary, which keeps unknown fields
    response = await ctx.transport.unary(q.method, {} as never, { path: q.restPath }, options);
    via = "grpc";
  } else {
    const path = `/${q.method.parent.typeName}/${q.method.name}`;
    const r = await ctx.rpc.abciQuery(path, toBinary(q.method.input, create(q.method.input)), options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {});
    if (r.code !== 0) throw new NodeRequestError(`abci_query ${path}`, r.log || `code ${r.code}`, { code: r.code });
    try {
      response = fromBinary(q.method.output, r.value);
    } catch (e) {
      throw new MalformedResponseError(`abci_query ${path}`, `does not decode as ${q.method.output.typeName}`, { cause: e });
    }
    via = "abci_query";
  }
  const params = q.pick(response);
  if (!params) throw new MalformedResponseError(q.restPath, "the response has no params");
  return { params, via, unknownFieldCount: countUnknownFields(q.paramsSchema, params) };
}

async function fetchRestChecked<I extends DescMessage, O extends DescMessage, P extends DescMessage>(
  ctx: Pick<ChainContext, "transport" | "restTransport">,
  q: ParamsQuery<I, O, P>,
  options: CallOptions,
): Promise<FetchedParams<P>> {
  const rest = ctx.restTransport ?? ctx.transport;
  if (!rest.getJson) throw new NodeRequestError(q.restPath, "the client has no REST transport to fetch params as JSON");
  const json = await rest.getJson({ path: q.restPath }, options);
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new MalformedResponseError(q.restPath, "expected a JSON object");
  const unknown = unknownJsonFields(q.method.output, json, "");
  if (unknown.length) throw new ParamsNotPreservableError(q.what, unknown);
  let response: MessageShape<O>;
  try {
    response = fromJsonCosmos(q.method.output, json as never);
  } catch (e) {
    throw new MalformedResponseError(q.restPath, `does not match ${q.method.output.typeName}`, { cause: e });
  }
  const params = q.pick(response);
  if (!params) throw new MalformedResponseError(q.restPath, "the response has no params");
  return { params, via: "rest", unknownFieldCount: 0 };
}

/** Well-known types whose proto3 JSON is not an object of their fields. */
const SPECIAL_JSON = new Set([
  "google.protobuf.Any",
  "google.protobuf.Timestamp",
  "google.protobuf.Duration",
  "google.protobuf.Struct",
  "google.protobuf.Value",
  "google.protobuf.ListValue",
  "google.protobuf.FieldMask",
]);

function fieldFor(schema: DescMessage, key: string): DescField | undefined {
  return schema.fields.find((f) => f.name === key || f.jsonName === key);
}

/**
 * The JSON paths of keys in proto3 JSON (snake_case or camelCase) that `schema` does not have, at
 * any depth. `null` values and well-known types are not descended into.
 *
 * @example
 * ```ts
 * unknownJsonFields(QueryParamsResponseSchema, { params: { fee_params: {}, new_thing: 1 } }); // ["params.new_thing"]
 * ```
 */
export function unknownJsonFields(schema: DescMessage, json: unknown, path = ""): string[] {
  if (json === null || typeof json !== "object" || Array.isArray(json) || SPECIAL_JSON.has(schema.typeName)) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    const at = path ? `${path}.${key}` : key;
    const field = fieldFor(schema, key);
    if (!field) {
      out.push(at);
      continue;
    }
    if (field.fieldKind === "message") out.push(...unknownJsonFields(field.message, value, at));
    else if (field.fieldKind === "list" && field.listKind === "message" && Array.isArray(value)) {
      value.forEach((v, i) => out.push(...unknownJsonFields(field.message, v, `${at}[${i}]`)));
    } else if (field.fieldKind === "map" && field.mapKind === "message" && value && typeof value === "object") {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out.push(...unknownJsonFields(field.message, v, `${at}.${k}`));
    }
  }
  return out;
}

/**
 * The number of unknown fields (fields the schema does not have, kept from a binary decode) in a
 * message, at any depth.
 */
export function countUnknownFields(schema: DescMessage, message: Message): number {
  return countIn(reflect(schema, message));
}

function countIn(r: ReflectMessage): number {
  let n = r.getUnknown()?.length ?? 0;
  for (const f of r.fields) {
    if (!r.isSet(f)) continue;
    if (f.fieldKind === "message") n += countIn(r.get(f) as ReflectMessage);
    else if (f.fieldKind === "list" && f.listKind === "message") for (const item of r.get(f) as Iterable<ReflectMessage>) n += countIn(item);
    else if (f.fieldKind === "map" && f.mapKind === "message") for (const [, v] of r.get(f) as Iterable<[unknown, ReflectMessage]>) n += countIn(v);
  }
  return n;
}

/**
 * Merges proto3 JSON (snake_case or camelCase keys) into params fetched with {@link fetchParams},
 * in place: a sub-message object is merged field by field (so its fields the JSON does not name,
 * and its unknown fields, stay), anything else replaces the field. For `edit` callbacks fed from
 * files (`gonka tx propose-params`).
 *
 * @example
 * ```ts
 * await proposeInferenceParams(chain, wallet, { …, edit: (p) => mergeParamsJson(ParamsSchema, p, { poc_params: { validation_sample_size: 300 } }) });
 * ```
 * @throws {InvalidArgumentError} for a key the schema does not have or a value that does not fit it.
 */
export function mergeParamsJson(schema: DescMessage, message: Message, json: Record<string, unknown>, path = ""): void {
  const r = reflect(schema, message);
  for (const [key, value] of Object.entries(json)) {
    const at = path ? `${path}.${key}` : key;
    const f = fieldFor(schema, key);
    if (!f) throw new InvalidArgumentError(at, `is not a field of ${schema.typeName}`);
    if (f.fieldKind === "message" && value !== null && typeof value === "object" && !Array.isArray(value) && !SPECIAL_JSON.has(f.message.typeName)) {
      if (!r.isSet(f)) r.set(f, reflect(f.message));
      const sub = r.get(f) as ReflectMessage;
      mergeParamsJson(f.message, sub.message, value as Record<string, unknown>, at);
      continue;
    }
    let tmp: Message;
    try {
      tmp = fromJsonCosmos(schema, { [key]: value } as never);
    } catch (e) {
      throw new InvalidArgumentError(at, `does not fit ${schema.typeName}.${f.name}: ${messageOf(e)}`, { cause: e });
    }
    const t = reflect(schema, tmp);
    if (t.isSet(f)) r.set(f, t.get(f) as never);
    else r.clear(f);
  }
}
