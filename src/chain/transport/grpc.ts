import type { DescMessage, DescMethodUnary, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type Transport } from "@connectrpc/connect";
import { InvalidArgumentError, TimeoutError, UnsupportedError } from "../../errors.js";
import { redactUrl, splitUserInfo } from "../../http/url.js";
import { NodeRequestError } from "../errors.js";
import type { CallOptions, QueryTransport, RestRoute } from "./types.js";

type ConnectNode = typeof import("@connectrpc/connect-node");

/**
 * `@connectrpc/connect-node` is loaded at run time through a computed specifier, so browser
 * bundlers never try to resolve its `node:http2` imports (gRPC over HTTP/2 is Node.js-only).
 */
const CONNECT_NODE = "@connectrpc/connect-node";
async function loadConnectNode(): Promise<ConnectNode> {
  try {
    return (await import(/* @vite-ignore */ /* webpackIgnore: true */ CONNECT_NODE)) as ConnectNode;
  } catch (e) {
    throw new UnsupportedError("The gRPC transport needs Node.js and @connectrpc/connect-node", {
      cause: e,
      details: 'Use transport: "rest" in browsers.',
    });
  }
}

/** Options of {@link createGrpcTransport}. */
export interface GrpcTransportOptions {
  /**
   * Base URL of the gRPC endpoint, e.g. `http://node2.gonka.ai:8000/chain-grpc` (HTTP/2, plaintext
   * or TLS). A `user:password@` in it is sent as `authorization: Basic …` on every call and never
   * appears in errors.
   */
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
  let baseUrl: string;
  let authorization: string | undefined;
  try {
    ({ url: baseUrl, authorization } = splitUserInfo(options.baseUrl.replace(/\/+$/, "")));
  } catch (e) {
    throw new InvalidArgumentError("grpcUrl", `is not a URL: ${redactUrl(String(options.baseUrl))}`, { cause: e });
  }
  const headers = authorization ? { authorization } : undefined;
  let session: { abort(): void } | undefined;
  let closed = false;
  let ready: Promise<Transport> | undefined;
  const transportOf = (): Promise<Transport> =>
    (ready ??= loadConnectNode().then((m) => {
      const sessionManager = new m.Http2SessionManager(baseUrl, { idleConnectionTimeoutMs: 5_000 });
      session = sessionManager;
      if (closed) sessionManager.abort();
      return m.createGrpcTransport({ baseUrl, sessionManager });
    }));
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
      const transport = await transportOf();
      try {
        const res = await transport.unary(method, call.signal, timeoutMs > 0 ? timeoutMs : undefined, headers, request);
        return res.message;
      } catch (e) {
        const err = ConnectError.from(e);
        if (err.code === Code.DeadlineExceeded) throw new TimeoutError(`gRPC ${method.parent.typeName}/${method.name}`, timeoutMs, { cause: e });
        throw new NodeRequestError(endpoint, redactUrl(err.rawMessage || err.message), { code: err.code }, { cause: e });
      }
    },
    close() {
      closed = true;
      session?.abort();
    },
  };
}
