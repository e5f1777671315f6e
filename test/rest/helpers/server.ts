/**
 * A real HTTP server on loopback (port 0) for REST tests. Routes are `"METHOD /path"` keys; each
 * handler gets the parsed request and answers with a status, headers and a raw body, so tests can
 * reproduce every quirk of the real servers byte for byte.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as seen by a handler. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  text: string;
  json: unknown;
}

/**
 * What a handler answers. `body` objects are JSON-encoded; strings are sent raw. `hang` never
 * answers; `stall` sends the headers and this start of the body, then never finishes.
 */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: string;
  hang?: boolean;
  stall?: string;
}

/** A route handler. */
export type Handler = (req: SeenRequest) => Reply | Promise<Reply>;

/** A running test server. */
export interface TestServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** JSON reply helper: `json(200, {...})`. Go's echo answers with this content type. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, raw: JSON.stringify(body), headers: { "content-type": "application/json; charset=UTF-8", ...headers } };
}

/** Starts a server that routes `"METHOD /path"` (path without query; `:param` segments match anything). */
export async function startServer(routes: Record<string, Handler>): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const table = Object.entries(routes).map(([key, handler]) => {
    const [method, pattern] = key.split(" ") as [string, string];
    const re = new RegExp(`^${pattern.replace(/:[A-Za-z_]+/g, "[^/]+")}$`);
    return { method, re, handler };
  });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://x");
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: unknown;
        try {
          parsed = text ? (JSON.parse(text) as unknown) : undefined;
        } catch {
          parsed = undefined;
        }
        const seen: SeenRequest = { method: req.method ?? "", path: url.pathname, query: url.searchParams, headers: req.headers, text, json: parsed };
        requests.push(seen);
        const route = table.find((r) => r.method === req.method && r.re.test(url.pathname));
        const reply: Reply = route ? await route.handler(seen) : json(404, { detail: "Not Found" });
        if (reply.hang) {
          hanging.add(res);
          return;
        }
        if (reply.stall !== undefined) {
          hanging.add(res);
          res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...(reply.headers ?? {}) });
          res.write(reply.stall);
          return;
        }
        const headers = { ...(reply.headers ?? {}) };
        let body = reply.raw;
        if (body === undefined && reply.body !== undefined) {
          body = JSON.stringify(reply.body);
          headers["content-type"] ??= "application/json";
        }
        res.writeHead(reply.status ?? 200, headers);
        res.end(body ?? "");
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening (bound then released). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
