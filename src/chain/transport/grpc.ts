import type { DescMessage, DescMethodUnary, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type Transport } from "@connectrpc/connect";
import { createGrpcTransport as createConnectGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { TimeoutError } from "../../errors.js";
import { NodeRequestError } from "../errors.js";
import type { CallOptions, QueryTransport, RestRoute } from "./types.js";

/** Options of {@link createGrpcTransport}. */
export interface GrpcTransportOptions {
  /** Base URL of the gRPC endpoint, e.g. `http://node2.gonka.ai:8000/chain-grpc` (HTTP/2, plaintext or TLS). */
  baseUrl: string;
  /** Default time limit per call (ms). */
  timeoutMs?: number;
}

/**
 * A {@link QueryTransport} over gRPC (HTTP/2) with `@connectrpc/connect-node`. Node.js only.
 * Call `close()` to end the HTTP/2 session.
 *
 * @example
 * ```ts
 * const grpc = createGrpcTransport({ baseUrl: "http://127.0.0.1:9090" });
 * ```
 */
export function createGrpcTransport(options: GrpcTransportOptions): QueryTransport {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const sessionManager = new Http2SessionManager(baseUrl, { idleConnectionTimeoutMs: 5_000 });
  const transport: Transport = createConnectGrpcTransport({ baseUrl, sessionManager });
  const defaultTimeout = options.timeoutMs ?? 30_000;
  return {
    kind: "grpc",
    async unary<I extends DescMessage, O extends DescMessage>(
      method: DescMethodUnary<I, O>,
      request: MessageInitShape<I>,
      _rest: RestRoute,
      call: CallOptions = {},
    ): Promise<MessageShape<O>> {
      const timeoutMs = call.timeoutMs ?? defaultTimeout;
      const endpoint = `${baseUrl}/${method.parent.typeName}/${method.name}`;
      try {
        const res = await transport.unary(method, call.signal, timeoutMs > 0 ? timeoutMs : undefined, undefined, request);
        return res.message;
      } catch (e) {
        const err = ConnectError.from(e);
        if (err.code === Code.DeadlineExceeded) throw new TimeoutError(`gRPC ${method.parent.typeName}/${method.name}`, timeoutMs, { cause: e });
        throw new NodeRequestError(endpoint, err.rawMessage || err.message, { code: err.code }, { cause: e });
      }
    },
    close() {
      sessionManager.abort();
    },
  };
}
