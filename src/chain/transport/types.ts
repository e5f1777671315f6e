import type { DescMethodUnary, DescMessage, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import type { QueryValue } from "../../http/index.js";

/** The REST (grpc-gateway) route of a query: path under `/chain-api` and query parameters. */
export interface RestRoute {
  /** Path, e.g. `/cosmos/auth/v1beta1/accounts/gonka1…` (path segments already encoded). */
  path: string;
  /** Query parameters. */
  query?: Record<string, QueryValue>;
  /** HTTP method (default GET; POST sends the request message as proto3 JSON). */
  method?: "GET" | "POST";
}

/** Per-call options of a query. */
export interface CallOptions {
  /** Time limit of this call in ms. */
  timeoutMs?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/**
 * How the SDK reaches a node's Cosmos services: REST (`/chain-api`, proto3 JSON) or gRPC
 * (`/chain-grpc`). Both decode into the same generated schemas.
 */
export interface QueryTransport {
  /** `"rest"` or `"grpc"`. */
  readonly kind: "rest" | "grpc";
  /** Calls a unary method; REST uses `rest` for the route. */
  unary<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    request: MessageInitShape<I>,
    rest: RestRoute,
    options?: CallOptions,
  ): Promise<MessageShape<O>>;
  /**
   * The raw JSON a REST route answers (REST transport only): for checks that the decoded message
   * cannot show, such as fields the SDK's schema does not know.
   */
  getJson?(rest: RestRoute, options?: CallOptions): Promise<unknown>;
  /** Frees sockets/sessions. */
  close(): void;
}
