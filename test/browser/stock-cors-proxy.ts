/**
 * A stand-in for a stock node's nginx proxy as far as CORS goes (rest-upgrades.md §1): every
 * answer carries `Access-Control-Allow-Origin: *`, methods `GET, POST, OPTIONS, PUT, DELETE`,
 * and only the request headers `DNT, User-Agent, X-Requested-With, If-Modified-Since,
 * Cache-Control, Content-Type, Range, Authorization`; preflights are answered 204. Everything
 * else is forwarded to `upstream`. Browser tests put it in front of the devnet to show the wall
 * a browser app meets on a real node.
 */
import { createServer, type Server } from "node:http";

/** The request headers a stock proxy allows in CORS (no X-Requester-Address, X-Timestamp, X-Transfer-Address). */
export const STOCK_NODE_CORS_ALLOW_HEADERS = "DNT, User-Agent, X-Requested-With, If-Modified-Since, Cache-Control, Content-Type, Range, Authorization";

/** A running stand-in proxy. */
export interface StockCorsProxy {
  readonly url: string;
  /** Method and path of every request that reached it, preflights included. */
  readonly seen: string[];
  close(): Promise<void>;
}

/**
 * Starts the stand-in on 127.0.0.1 in front of `upstream`.
 *
 * @example
 * ```ts
 * const node = await startStockCorsProxy(devnet.url);
 * ```
 */
export async function startStockCorsProxy(upstream: string): Promise<StockCorsProxy> {
  const seen: string[] = [];
  const cors = {
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "GET, POST, OPTIONS, PUT, DELETE",
    "access-control-allow-headers": STOCK_NODE_CORS_ALLOW_HEADERS,
    "access-control-expose-headers": "Content-Length, Content-Range",
  };
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.method === "OPTIONS") {
      res.writeHead(204, { ...cors, "access-control-max-age": "1728000", "content-length": "0" });
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "host" && k !== "connection") headers[k] = v;
      fetch(`${upstream}${req.url}`, { method: req.method, headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}), redirect: "manual" })
        .then(async (r) => {
          res.writeHead(r.status, { ...cors, "content-type": r.headers.get("content-type") ?? "application/octet-stream" });
          res.end(Buffer.from(await r.arrayBuffer()));
        })
        .catch(() => {
          res.writeHead(502, cors);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
