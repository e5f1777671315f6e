/**
 * A small local gateway that lets a browser app send signed inference requests to a Gonka node.
 *
 * A stock node's proxy answers CORS preflights, but allows only `DNT, User-Agent,
 * X-Requested-With, If-Modified-Since, Cache-Control, Content-Type, Range, Authorization` as
 * request headers (rest-upgrades.md §1). A signed request also needs `X-Requester-Address`,
 * `X-Timestamp` and `X-Transfer-Address`, so the browser's preflight fails and the request is
 * never sent. This gateway runs next to the app (on loopback by default), answers the preflight
 * for the configured origins with those headers allowed, and forwards each request to one
 * upstream node **unchanged** (same method, path, query, body bytes and signing headers). It adds
 * no credential unless told to (`upstreamAuthorization`), follows no redirect, bounds request and
 * response bodies, and refuses other origins and foreign `Host` headers (DNS rebinding).
 *
 * Node only: it uses `node:http`. Import it from `gonka-sdk/inference/node`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { InvalidArgumentError, messageOf } from "../../errors.js";
import { normalizeTransferAgentUrl } from "../discovery.js";
import type { FetchLike } from "../get-json.js";
import { DEFAULT_ATTEMPT_TIMEOUT_MS, DEFAULT_MAX_RESPONSE_BYTES, positiveInteger, timeoutMs } from "../options.js";

/** Request headers a browser may send through the gateway (and that are forwarded). */
export const GATEWAY_FORWARDED_HEADERS: readonly string[] = [
  "accept",
  "authorization",
  "content-type",
  "x-requester-address",
  "x-timestamp",
  "x-transfer-address",
  "x-devshard-signature",
  "x-devshard-timestamp",
];
/** Response headers passed back to the browser (besides CORS headers). */
const RETURNED_HEADERS = ["content-type", "cache-control", "retry-after", "x-devshard-error"];
/** Route prefixes forwarded by default: the public API, chain block time and params, devshard hosts. */
export const GATEWAY_DEFAULT_ROUTES: readonly string[] = ["/v1/", "/v2/", "/api/v1/", "/chain-rpc/status", "/chain-api/", "/devshard/"];
/** The node's own request body limit (10 MiB). */
export const GATEWAY_DEFAULT_MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** What {@link InferenceGatewayOptions.onRequest} receives (no headers, no bodies, no query strings). */
export interface GatewayRequestInfo {
  method: string;
  /** The path, without the query. */
  path: string;
  /** Status answered to the browser. */
  status: number;
  /** The request's `Origin`, if any. */
  origin?: string;
  /** Why the gateway answered itself (refused origin, body too large, upstream unreachable, …). */
  note?: string;
}

/** Options of {@link startInferenceGateway}. */
export interface InferenceGatewayOptions {
  /** The node to forward to, e.g. `http://node2.gonka.ai:8000` (or a devnet's URL). */
  upstream: string;
  /**
   * Origins allowed to call the gateway, exactly as browsers send them (`http://127.0.0.1:5173`,
   * `https://app.example`), or `["*"]` for any (refused together with `upstreamAuthorization`).
   */
  allowedOrigins: readonly string[];
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Port; default 8787 (0 = any free port). */
  port?: number;
  /** Path prefixes forwarded; default {@link GATEWAY_DEFAULT_ROUTES}. Anything else is answered 404. */
  routes?: readonly string[];
  /** `Host` header values accepted; default the loopback names of the port when listening on loopback, any otherwise. */
  allowedHosts?: readonly string[];
  /** Largest request body; default 10 MiB (413 above, like the node). */
  maxRequestBytes?: number;
  /** Largest response body passed back; default 64 MiB (the connection is cut above). */
  maxResponseBytes?: number;
  /** Time limit until the upstream's response headers, in ms; default 300 000 (504 after). */
  timeoutMs?: number;
  /** Longest pause in the upstream's body, in ms; default `timeoutMs`. */
  idleTimeoutMs?: number;
  /**
   * Opt-in credential: sent upstream as `Authorization` on requests that carry none (e.g. a
   * broker's `Bearer …` kept out of the browser). Off by default; never sent back to the browser.
   */
  upstreamAuthorization?: string;
  /** Called once per request, for logging. */
  onRequest?: (info: GatewayRequestInfo) => void;
  /** The fetch used upstream; default `globalThis.fetch`. */
  fetch?: FetchLike;
}

/** A running gateway. */
export interface InferenceGateway {
  /** The gateway's base URL, e.g. `http://127.0.0.1:8787` (use it as the transfer agent's URL). */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The upstream it forwards to. */
  readonly upstream: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

function checkOrigins(list: unknown, withCredential: boolean): Set<string> | "*" {
  if (!Array.isArray(list) || list.length === 0) {
    throw new InvalidArgumentError("allowedOrigins", "give the origins of your app, e.g. [\"http://127.0.0.1:5173\"]");
  }
  if (list.includes("*")) {
    if (withCredential) throw new InvalidArgumentError("allowedOrigins", "\"*\" is refused with upstreamAuthorization: any website could spend the credential");
    return "*";
  }
  const out = new Set<string>();
  list.forEach((o, i) => {
    let u: URL | undefined;
    try {
      u = typeof o === "string" ? new URL(o) : undefined;
    } catch {
      u = undefined;
    }
    if (!u || (u.protocol !== "http:" && u.protocol !== "https:") || u.origin !== o) {
      throw new InvalidArgumentError(`allowedOrigins[${i}]`, "expected an origin such as http://127.0.0.1:5173 (scheme, host and port; no path)");
    }
    out.add(o);
  });
  return out;
}

function json(res: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...extra });
  res.end(body);
}

/**
 * Starts the gateway.
 *
 * @example
 * ```ts
 * import { startInferenceGateway } from "gonka-sdk/inference/node";
 * const gw = await startInferenceGateway({ upstream: "http://node2.gonka.ai:8000", allowedOrigins: ["http://127.0.0.1:5173"] });
 * // in the browser: gonkaFetch({ privateKey, endpoints: [{ url: gw.url, address: "gonka1…the node's address" }] })
 * ```
 */
export async function startInferenceGateway(options: InferenceGatewayOptions): Promise<InferenceGateway> {
  if (options === null || typeof options !== "object") throw new InvalidArgumentError("options", "expected { upstream, allowedOrigins, … }");
  const upstream = normalizeTransferAgentUrl(options.upstream, "upstream");
  const credential = options.upstreamAuthorization;
  if (credential !== undefined && (typeof credential !== "string" || credential.length === 0 || /[\r\n]/.test(credential))) {
    throw new InvalidArgumentError("upstreamAuthorization", "must be a non-empty string on one line");
  }
  const origins = checkOrigins(options.allowedOrigins, credential !== undefined);
  const host = options.host ?? "127.0.0.1";
  const port = positiveInteger("port", options.port, 8787, 0);
  if (port > 65535) throw new InvalidArgumentError("port", "expected 0–65535");
  const routes = options.routes ?? GATEWAY_DEFAULT_ROUTES;
  if (!Array.isArray(routes) || routes.some((r) => typeof r !== "string" || !r.startsWith("/"))) {
    throw new InvalidArgumentError("routes", "expected path prefixes starting with /");
  }
  const maxRequestBytes = positiveInteger("maxRequestBytes", options.maxRequestBytes, GATEWAY_DEFAULT_MAX_REQUEST_BYTES);
  const maxResponseBytes = positiveInteger("maxResponseBytes", options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES);
  const headersMs = timeoutMs("timeoutMs", options.timeoutMs, DEFAULT_ATTEMPT_TIMEOUT_MS);
  const idleMs = timeoutMs("idleTimeoutMs", options.idleTimeoutMs, headersMs);
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let allowedHosts: Set<string> | undefined = options.allowedHosts ? new Set(options.allowedHosts.map((h) => h.toLowerCase())) : undefined;

  const corsFor = (origin: string | undefined): Record<string, string> => {
    if (origin === undefined) return {};
    return { "access-control-allow-origin": origins === "*" ? "*" : origin, vary: "Origin", "access-control-expose-headers": "Retry-After, X-Devshard-Error" };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? "GET").toUpperCase();
    const origin = typeof req.headers.origin === "string" ? req.headers.origin : undefined;
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://gateway.invalid");
    } catch {
      url = new URL("http://gateway.invalid/");
    }
    const path = url.pathname;
    const log = (status: number, note?: string) =>
      options.onRequest?.({ method, path, status, ...(origin !== undefined ? { origin } : {}), ...(note !== undefined ? { note } : {}) });
    const refuse = (status: number, error: string, cors: boolean) => {
      json(res, status, { error }, cors ? corsFor(origin) : {});
      log(status, error);
    };

    const hostHeader = (req.headers.host ?? "").toLowerCase();
    if (allowedHosts && !allowedHosts.has(hostHeader)) return refuse(421, "unexpected Host header", false);
    if (origin !== undefined && origins !== "*" && !origins.has(origin)) return refuse(403, "origin not allowed by the gateway", false);

    if (method === "OPTIONS") {
      const headers: Record<string, string> = {
        ...corsFor(origin),
        "access-control-allow-methods": "GET, POST, OPTIONS",
        "access-control-allow-headers": GATEWAY_FORWARDED_HEADERS.join(", "),
        "access-control-max-age": "600",
        "content-length": "0",
      };
      if (req.headers["access-control-request-private-network"] === "true") headers["access-control-allow-private-network"] = "true";
      res.writeHead(204, headers);
      res.end();
      return log(204);
    }
    if (method !== "GET" && method !== "POST" && method !== "HEAD") return refuse(405, "method not allowed", true);
    if (!routes.some((r) => path === r.replace(/\/$/, "") || path.startsWith(r))) return refuse(404, "route not forwarded by the gateway", true);

    // The request body, bounded (the node's limit is 10 MiB).
    const declared = Number(req.headers["content-length"] ?? "0");
    if (Number.isFinite(declared) && declared > maxRequestBytes) {
      req.resume();
      return refuse(413, "request body too large", true);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    await new Promise<void>((resolve, reject) => {
      req.on("data", (c: Buffer) => {
        size += c.length;
        if (size > maxRequestBytes) tooLarge = true;
        else chunks.push(c);
      });
      req.on("end", resolve);
      req.on("error", reject);
    });
    if (tooLarge) return refuse(413, "request body too large", true);

    const headers = new Headers();
    for (const name of GATEWAY_FORWARDED_HEADERS) {
      const v = req.headers[name];
      if (typeof v === "string") headers.set(name, v);
    }
    if (credential !== undefined && !headers.has("authorization")) headers.set("authorization", credential);

    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => controller.abort(new Error("upstream timeout")), headersMs);
    const clear = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    };
    res.on("close", () => {
      if (!res.writableFinished) controller.abort(new Error("the browser went away"));
    });
    let upstreamRes: Response;
    try {
      upstreamRes = await doFetch(`${upstream}${path}${url.search}`, {
        method,
        headers,
        ...(method === "POST" ? { body: Buffer.concat(chunks) } : {}),
        redirect: "manual",
        signal: controller.signal,
      });
    } catch {
      clear();
      const timedOut = controller.signal.aborted && messageOf(controller.signal.reason).includes("timeout");
      return refuse(timedOut ? 504 : 502, timedOut ? "upstream did not answer in time" : "upstream unreachable", true);
    }
    clear();
    if (upstreamRes.type === "opaqueredirect" || (upstreamRes.status >= 300 && upstreamRes.status < 400)) {
      await upstreamRes.body?.cancel().catch(() => undefined);
      return refuse(502, "upstream answered with a redirect, which the gateway does not follow", true);
    }

    const out: Record<string, string> = { ...corsFor(origin) };
    for (const name of RETURNED_HEADERS) {
      const v = upstreamRes.headers.get(name);
      if (v !== null) out[name] = v;
    }
    res.writeHead(upstreamRes.status, out);
    log(upstreamRes.status);
    if (upstreamRes.body === null || method === "HEAD") {
      res.end();
      return;
    }
    const reader = upstreamRes.body.getReader();
    let sent = 0;
    try {
      for (;;) {
        const next = await new Promise<ReadableStreamReadResult<Uint8Array>>((resolve, reject) => {
          timer = setTimeout(() => reject(new Error("upstream body stalled")), idleMs);
          reader.read().then(resolve, reject);
        });
        clear();
        if (next.done) break;
        sent += next.value.length;
        if (sent > maxResponseBytes) throw new Error("upstream body too large");
        if (!res.write(next.value)) await new Promise((r) => res.once("drain", r));
      }
      res.end();
    } catch {
      clear();
      controller.abort(new Error("response cut"));
      await reader.cancel().catch(() => undefined);
      res.destroy(); // the status is already sent: cutting the connection tells the browser the body is incomplete
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) json(res, 500, { error: "gateway error" });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = (server.address() as { port: number }).port;
  if (allowedHosts === undefined && LOOPBACK.has(host)) {
    allowedHosts = new Set(["127.0.0.1", "localhost", "[::1]"].map((h) => `${h}:${actualPort}`));
  }
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost === "0.0.0.0" ? "127.0.0.1" : shownHost}:${actualPort}`,
    port: actualPort,
    upstream,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
