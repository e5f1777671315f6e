/**
 * Tiny loopback HTTP servers for inference tests: each records every request (method, path,
 * headers, raw body) and answers with a handler. Closed after each test.
 */
import { afterEach } from "vitest";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** A request a test server saw. */
export interface Seen {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** A running test server. */
export interface TestServer {
  url: string;
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}

const running: TestServer[] = [];

/** Starts a server on 127.0.0.1 (port chosen by the OS) that records requests and runs `handler`. */
export async function startServer(handler: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void | Promise<void>): Promise<TestServer> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry: Seen = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")])),
        body: Buffer.concat(chunks),
      };
      seen.push(entry);
      Promise.resolve(handler(req, res, entry)).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as { port: number }).port;
  const s: TestServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  running.push(s);
  return s;
}

/** Answers JSON. */
export function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});
