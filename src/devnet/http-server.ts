/**
 * A tiny loopback HTTP server with a route table, JSON helpers and a `close()` that frees the
 * port and every socket (keep-alive connections included). Node-only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import http2, { type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session } from "node:http2";
import net, { type Socket } from "node:net";

/** What a route handler receives. */
export interface RouteContext {
  /** The raw request. */
  req: IncomingMessage;
  /** Path parameters from `:name` segments, already percent-decoded. */
  params: Record<string, string>;
  /** The parsed query string. */
  query: URLSearchParams;
  /** The path (without query) as received. */
  path: string;
  /** The exact request body bytes (empty for GET). */
  body: Uint8Array;
}

/** What a route handler returns: a status and a JSON value, raw text, or nothing. */
export type RouteResult =
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | { status?: number; text: string; contentType?: string; headers?: Record<string, string> }
  | { status?: number; stream: AsyncIterable<string>; contentType: string }
  | { status?: number; empty: true };

/** One route: method, a path pattern like `/admin/v1/nodes/:id/enable`, and its handler. */
export interface Route {
  method: string;
  pattern: string;
  handler: (ctx: RouteContext) => RouteResult | Promise<RouteResult>;
}

/** A thrown error that becomes an HTTP error response with the given JSON body. */
export class HttpRouteError extends Error {
  override name = "HttpRouteError";
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === "object" ? JSON.stringify(body) : String(body));
  }
}

/** A started loopback server. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The bound port. */
  port: number;
  /** Closes the listener and destroys every open connection; resolves when the port is free. */
  close(): Promise<void>;
}

interface CompiledRoute extends Route {
  parts: string[];
}

function compile(route: Route): CompiledRoute {
  return { ...route, parts: route.pattern.split("/").filter((p) => p !== "") };
}

function match(route: CompiledRoute, segments: string[]): Record<string, string> | null {
  const last = route.parts[route.parts.length - 1];
  const wildcard = last === "*";
  if (wildcard ? segments.length < route.parts.length - 1 : segments.length !== route.parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < route.parts.length; i++) {
    const part = route.parts[i]!;
    if (part === "*") {
      params["*"] = segments.slice(i).join("/");
      return params;
    }
    const seg = segments[i]!;
    if (part.startsWith(":")) params[part.slice(1)] = seg;
    else if (part !== seg) return null;
  }
  return params;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Reads a request body fully (bounded to 16 MiB). */
export async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > 16 * 1024 * 1024) throw new HttpRouteError(413, { error: "request body too large" });
    chunks.push(b);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Parses a JSON request body or throws a 400 in the given error dialect. */
export function jsonBody<T = unknown>(ctx: RouteContext, dialect: "go" | "fastapi" = "go"): T {
  const text = new TextDecoder().decode(ctx.body);
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    const message = `Syntax error: ${e instanceof Error ? e.message : String(e)}`;
    throw new HttpRouteError(
      dialect === "go" ? 400 : 422,
      dialect === "go" ? { error: { message } } : { detail: [{ loc: ["body"], msg: message, type: "json_invalid" }] },
    );
  }
}

function send(res: ServerResponse, result: RouteResult): void | Promise<void> {
  const status = result.status ?? 200;
  if ("json" in result) {
    const body = JSON.stringify(result.json);
    res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...result.headers });
    res.end(body);
  } else if ("text" in result) {
    res.writeHead(status, { "content-type": result.contentType ?? "text/plain; charset=UTF-8", ...result.headers });
    res.end(result.text);
  } else if ("stream" in result) {
    res.writeHead(status, { "content-type": result.contentType, "cache-control": "no-cache" });
    return (async () => {
      for await (const piece of result.stream) res.write(piece);
      res.end();
    })();
  } else {
    res.writeHead(status);
    res.end();
  }
}

/** Options of {@link startLoopbackServer}. */
export interface LoopbackServerOptions {
  /** Port to bind (0 = any free port). */
  port?: number;
  /** Host to bind; loopback only by default. */
  host?: string;
  /** Routes, tried in order. */
  routes: Route[];
  /** Body written for an unknown route (default `{"error":"Not Found"}` with 404). */
  notFound?: (path: string) => RouteResult;
  /** Error dialect for unexpected handler errors: Go/echo `{"error": …}` or FastAPI `{"detail": …}`. */
  dialect?: "go" | "fastapi";
  /**
   * Optional fallback for requests no route matches, e.g. a mounted connect-node handler.
   * Return `true` when it handled the request.
   */
  fallback?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  /**
   * Optional handler tried before the routes, for HTTP/1.1 and — when set — for HTTP/2
   * cleartext connections (gRPC) on the same port. Return `true` when it handled the request.
   */
  prehandler?: (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => boolean;
}

/**
 * Starts an HTTP server on loopback with the given routes.
 *
 * @example
 * ```ts
 * const srv = await startLoopbackServer({ routes: [{ method: "GET", pattern: "/health", handler: () => ({ text: "ok" }) }] });
 * await fetch(`${srv.url}/health`);
 * await srv.close();
 * ```
 */
export async function startLoopbackServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
  const routes = options.routes.map(compile);
  const dialect = options.dialect ?? "go";
  const server: Server = createServer(async (req, res) => {
    if (options.prehandler?.(req, res)) return;
    try {
      const url = new URL(req.url ?? "/", "http://loopback");
      const segments = url.pathname.split("/").filter((p) => p !== "").map(safeDecode);
      const method = (req.method ?? "GET").toUpperCase();
      let pathMatched = false;
      for (const route of routes) {
        const params = match(route, segments);
        if (!params) continue;
        pathMatched = true;
        if (route.method !== method) continue;
        const body = method === "GET" || method === "HEAD" ? new Uint8Array() : await readBody(req);
        const result = await route.handler({ req, params, query: url.searchParams, path: url.pathname, body });
        await send(res, result);
        return;
      }
      if (options.fallback && (await options.fallback(req, res))) return;
      if (pathMatched) {
        await send(res, { status: 405, json: dialect === "go" ? { message: "Method Not Allowed" } : { detail: "Method Not Allowed" } });
        return;
      }
      await send(res, options.notFound?.(url.pathname) ?? { status: 404, json: dialect === "go" ? { message: "Not Found" } : { detail: "Not Found" } });
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof HttpRouteError) {
        await send(res, { status: e.status, json: e.body });
        return;
      }
      const message = e instanceof Error ? e.message : String(e);
      await send(res, { status: 500, json: dialect === "go" ? { error: message } : { detail: message } });
    }
  });
  const sockets = new Set<Socket>();
  const sessions = new Set<ServerHttp2Session>();
  const h2 = options.prehandler
    ? http2.createServer((req, res) => {
        if (!options.prehandler!(req, res)) {
          res.writeHead(404, { "content-type": "application/json" });
          res.end(JSON.stringify({ message: "Not Found" }));
        }
      })
    : undefined;
  h2?.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
  });
  // One TCP listener; HTTP/2 prior-knowledge connections (gRPC) start with "PRI".
  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    if (!h2) {
      server.emit("connection", socket);
      return;
    }
    socket.once("data", (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      (chunk.subarray(0, 3).toString("latin1") === "PRI" ? h2 : server).emit("connection", socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      tcp.off("error", reject);
      resolve();
    });
  });
  const address = tcp.address();
  if (address === null || typeof address === "string") throw new Error("server has no TCP address");
  const host = options.host ?? "127.0.0.1";
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        tcp.close(() => resolve());
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close();
        h2?.close();
      });
      return closing;
    },
  };
}
