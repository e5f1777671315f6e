import { create, toJson, type JsonValue, type DescMessage, type DescMethodUnary, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import { createHttpCore, HttpError, SERVER_MESSAGE_CHARS, type FetchLike, type HttpCore } from "../../http/index.js";
import { messageOf } from "../../errors.js";
import { MalformedResponseError, NodeRequestError } from "../errors.js";
import { fromJsonCosmos, registry } from "../../proto/index.js";
import type { CallOptions, QueryTransport, RestRoute } from "./types.js";

/** Options of {@link createRestTransport}. */
export interface RestTransportOptions {
  /** Base URL of the REST gateway, e.g. `http://node2.gonka.ai:8000/chain-api`. */
  baseUrl: string;
  /** Default time limit per call (ms). */
  timeoutMs?: number;
  /** Retries of idempotent GETs. */
  retries?: number;
  /** Custom fetch. */
  fetch?: FetchLike;
}

/**
 * A {@link QueryTransport} over the Cosmos REST gateway: proto3 JSON decoded into our schemas.
 *
 * @example
 * ```ts
 * const rest = createRestTransport({ baseUrl: "http://127.0.0.1:8000/chain-api" });
 * ```
 */
export function createRestTransport(options: RestTransportOptions): QueryTransport {
  const http: HttpCore = createHttpCore(options);
  return {
    kind: "rest",
    async unary<I extends DescMessage, O extends DescMessage>(
      method: DescMethodUnary<I, O>,
      request: MessageInitShape<I>,
      rest: RestRoute,
      call: CallOptions = {},
    ): Promise<MessageShape<O>> {
      const verb = rest.method ?? "GET";
      let data: unknown;
      try {
        data = await http.request<unknown>({
          method: verb,
          path: rest.path,
          ...(rest.query ? { query: rest.query } : {}),
          ...(verb === "POST"
            ? { body: toJson(method.input, create(method.input, request), { registry, useProtoFieldName: true }), idempotent: false }
            : {}),
          ...(call.timeoutMs !== undefined ? { timeoutMs: call.timeoutMs } : {}),
          ...(call.signal ? { signal: call.signal } : {}),
        });
      } catch (e) {
        throw mapRestError(e, http.url(rest.path));
      }
      if (data === null || typeof data !== "object" || Array.isArray(data)) {
        throw new MalformedResponseError(http.url(rest.path), "expected a JSON object");
      }
      try {
        return fromJsonCosmos(method.output, data as JsonValue, { ignoreUnknownFields: true });
      } catch (e) {
        throw new MalformedResponseError(http.url(rest.path), `does not match ${method.output.typeName}: ${messageOf(e)}`, { cause: e });
      }
    },
    async getJson(rest: RestRoute, call: CallOptions = {}): Promise<unknown> {
      try {
        return await http.request<unknown>({
          method: "GET",
          path: rest.path,
          ...(rest.query ? { query: rest.query } : {}),
          ...(call.timeoutMs !== undefined ? { timeoutMs: call.timeoutMs } : {}),
          ...(call.signal ? { signal: call.signal } : {}),
        });
      } catch (e) {
        throw mapRestError(e, http.url(rest.path));
      }
    },
    close() {},
  };
}

/**
 * Turns a REST error into a {@link NodeRequestError} carrying the gRPC code of a grpc-gateway
 * error body (`{code, message}`), keeping the original as `cause`.
 */
export function mapRestError(e: unknown, endpoint: string): unknown {
  if (e instanceof HttpError) {
    const body = e.body as { code?: unknown; message?: unknown } | undefined;
    const code = typeof body?.code === "number" ? body.code : undefined;
    const full = typeof body?.message === "string" ? body.message : (e.serverMessage ?? e.shortMessage);
    // A hostile node may send megabytes of "message": quote a bounded excerpt.
    const message = full.length > SERVER_MESSAGE_CHARS ? `${full.slice(0, SERVER_MESSAGE_CHARS / 2)} … ${full.slice(-SERVER_MESSAGE_CHARS / 2)}` : full;
    return new NodeRequestError(endpoint, message, { status: e.status, ...(code !== undefined ? { code } : {}) }, { cause: e });
  }
  return e;
}
