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

/** Whether every `%` in `path` starts a valid escape of UTF-8 (what `decodeURIComponent` accepts). */
export function unescapes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Reads a request body fully (bounded to `limit` bytes, default 16 MiB; 413 "request body too large" above). */
export async function readBody(req: IncomingMessage, limit = 16 * 1024 * 1024): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new HttpRouteError(413, { error: "request body too large" });
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

/**
 * POSTs `body` as JSON to a callback URL (what the devnet's MLNodes do with their batches): `true`
 * on a 2xx answer, `false` on another status or a network failure (reported to `onError`). The
 * answer's body is read to the end so the connection is reused.
 */
export async function postJsonCallback(doFetch: typeof fetch, url: string, body: unknown, onError?: (e: unknown) => void): Promise<boolean> {
  try {
    const res = await doFetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    await res.arrayBuffer();
    return res.ok;
  } catch (e) {
    onError?.(e);
    return false;
  }
}

/**
 * Limits of the stock public proxy (`proxy/entrypoint.sh` defaults, rest-upgrades.md §1), per client
 * address: non-inference API routes 10 requests/minute (burst 600); `/chain-api/`, `/chain-rpc/`,
 * `/chain-grpc/` 20/minute each (burst 200); the exempt routes (`chat`, `inference`, `poc/proofs`,
 * `subnet`, `devshard` under `/v1`, `/v2`, `/api/v1`, `/api/v2`) 500/s (burst 2000).
 */
export interface ProxyRateLimits {
  apiPerMinute: number;
  apiBurst: number;
  chainPerMinute: number;
  chainBurst: number;
  exemptPerSecond: number;
  exemptBurst: number;
}

/** The stock proxy's default limits. */
export const STOCK_RATE_LIMITS: Readonly<ProxyRateLimits> = Object.freeze({
  apiPerMinute: 10,
  apiBurst: 600,
  chainPerMinute: 20,
  chainBurst: 200,
  exemptPerSecond: 500,
  exemptBurst: 2000,
});

/** The routes exempt from the API zone by default (`GONKA_API_EXEMPT_ROUTES`). */
export const STOCK_EXEMPT_ROUTES: readonly string[] = ["chat", "inference", "poc/proofs", "subnet", "devshard"];
/** The routes the stock proxy blocks by default (`GONKA_API_BLOCKED_ROUTES`). */
export const STOCK_BLOCKED_ROUTES: readonly string[] = ["poc-batches"];

/** The CORS request headers a stock proxy allows — not `X-Requester-Address`, `X-Timestamp`, `X-Transfer-Address`. */
export const STOCK_CORS_ALLOW_HEADERS = "DNT, User-Agent, X-Requested-With, If-Modified-Since, Cache-Control, Content-Type, Range, Authorization";

/** nginx's own 503 page, as its `limit_req` answers a request over the limit (no `Retry-After`). */
export const NGINX_503_PAGE =
  "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/**
 * What the devnet's public entry does the way the network node's nginx proxy does. The real node
 * always rate-limits; the devnet leaves limits and route blocking **off** unless asked, so tests
 * and examples are not throttled.
 */
export interface ProxyPolicy {
  /** Send the stock CORS headers and answer preflights with 204 (default true). */
  cors?: boolean;
  /** Rate-limit per client address like the stock proxy: `true` for its limits, or some of them overridden. Default off. */
  rateLimit?: boolean | Partial<ProxyRateLimits>;
  /** Route names answered with 403 `{"error":"Access Denied",…}` (stock: `["poc-batches"]`). Default none. */
  blockedRoutes?: readonly string[];
}

type Bucket = { tokens: number; at: number };

/** Token buckets per zone and client: `capacity` requests at once, refilled at `perSecond`. */
class ProxyLimiter {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly limits: ProxyRateLimits) {}

  private zoneOf(path: string): { name: string; perSecond: number; capacity: number } | undefined {
    const l = this.limits;
    for (const chain of ["chain-api", "chain-rpc", "chain-grpc"]) {
      if (path === `/${chain}` || path.startsWith(`/${chain}/`)) return { name: chain, perSecond: l.chainPerMinute / 60, capacity: Math.max(1, l.chainBurst) };
    }
    const api = /^\/(?:api\/)?v[12]\/(.*)$/.exec(path) ?? /^\/api\/(.*)$/.exec(path);
    if (!api) return undefined;
    if (STOCK_EXEMPT_ROUTES.some((r) => api[1]!.startsWith(r))) return { name: "exempt", perSecond: l.exemptPerSecond, capacity: Math.max(1, l.exemptBurst) };
    return { name: "api", perSecond: l.apiPerMinute / 60, capacity: Math.max(1, l.apiBurst) };
  }

  /** True when the request may pass (and takes a token). */
  take(path: string, client: string, now = Date.now()): boolean {
    const zone = this.zoneOf(path);
    if (!zone) return true;
    const key = `${zone.name}|${client}`;
    const b = this.buckets.get(key) ?? { tokens: zone.capacity, at: now };
    b.tokens = Math.min(zone.capacity, b.tokens + ((now - b.at) / 1000) * zone.perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

function isBlocked(path: string, routes: readonly string[]): boolean {
  const m = /^\/(?:api\/)?v[12]\/(.*)$/.exec(path);
  return !!m && routes.some((r) => m[1] === r || m[1]!.startsWith(`${r}/`));
}

function corsHeaders(): Record<string, string> {
  return {
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "GET, POST, OPTIONS, PUT, DELETE",
    "access-control-allow-headers": STOCK_CORS_ALLOW_HEADERS,
    "access-control-expose-headers": "Content-Length, Content-Range",
  };
}

/**
 * Applies a {@link ProxyPolicy} to a request before routing. Returns true when the proxy answered
 * (preflight, blocked route, over the limit).
 */
function applyProxy(policy: ProxyPolicy | undefined, limiter: ProxyLimiter | undefined, req: IncomingMessage, res: ServerResponse): boolean {
  if (!policy) return false;
  const path = new URL(req.url ?? "/", "http://loopback").pathname;
  const cors = policy.cors !== false;
  if (cors) for (const [k, v] of Object.entries(corsHeaders())) res.setHeader(k, v);
  // nginx order: `return` directives (preflight, blocked routes) run before limit_req.
  if (cors && req.method === "OPTIONS") {
    res.writeHead(204, { "access-control-max-age": "1728000", "content-length": "0" });
    res.end();
    return true;
  }
  if (policy.blockedRoutes?.length && isBlocked(path, policy.blockedRoutes)) {
    res.writeHead(403, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "Access Denied", message: "This route is currently blocked." }));
    return true;
  }
  if (limiter && !limiter.take(path, req.socket.remoteAddress ?? "")) {
    res.writeHead(503, { "content-type": "text/html" });
    res.end(NGINX_503_PAGE);
    return true;
  }
  return false;
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
  /** Behave like the node's nginx proxy in front of the routes (CORS, rate limits, blocked routes). */
  proxy?: ProxyPolicy;
  /** Largest request body in bytes (default 16 MiB; the public API uses 10 MiB). */
  maxBodyBytes?: number;
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
  const rateLimit = options.proxy?.rateLimit;
  const limiter = rateLimit ? new ProxyLimiter({ ...STOCK_RATE_LIMITS, ...(typeof rateLimit === "object" ? rateLimit : {}) }) : undefined;
  const server: Server = createServer(async (req, res) => {
    if (applyProxy(options.proxy, limiter, req, res)) return;
    if (options.prehandler?.(req, res)) return;
    try {
      const url = new URL(req.url ?? "/", "http://loopback");
      // Go's net/http answers a request line whose path does not unescape with 400
      if (!unescapes(url.pathname)) {
        await send(res, { status: 400, json: dialect === "go" ? { message: "Bad Request: invalid URL escape" } : { detail: "Invalid URL escape" } });
        return;
      }
      const segments = url.pathname.split("/").filter((p) => p !== "").map(safeDecode);
      const method = (req.method ?? "GET").toUpperCase();
      let pathMatched = false;
      for (const route of routes) {
        const params = match(route, segments);
        if (!params) continue;
        pathMatched = true;
        if (route.method !== method) continue;
        const body = method === "GET" || method === "HEAD" ? new Uint8Array() : await readBody(req, options.maxBodyBytes);
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
