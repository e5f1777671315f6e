/**
 * A static loopback server for browser tests: serves an HTML page and scripts from one origin
 * (`http://127.0.0.1:<port>`), so that requests from the page to other loopback ports are
 * cross-origin, as they are for a deployed app.
 */
import { createServer, type Server } from "node:http";

/** A file served by {@link servePage}. */
export interface ServedFile {
  body: string | Uint8Array;
  /** Content type; default from the extension (`.html`, `.js`, `.json`), else text/plain. */
  type?: string;
  /** Extra response headers, e.g. a `Content-Security-Policy`. */
  headers?: Record<string, string>;
}

/** A running page server. */
export interface PageServer {
  /** The origin, e.g. `http://127.0.0.1:43123` (also the URL of `/`). */
  readonly origin: string;
  /** Every path requested, in order. */
  readonly requested: string[];
  close(): Promise<void>;
}

function typeOf(path: string): string {
  if (path.endsWith(".js")) return "text/javascript; charset=utf-8";
  if (path.endsWith(".json")) return "application/json";
  if (path.endsWith(".html") || path === "/") return "text/html; charset=utf-8";
  return "text/plain; charset=utf-8";
}

/**
 * Serves `files` (path → content) on 127.0.0.1. `"/"` defaults to a page that loads every
 * `.js` file given, in order.
 *
 * @example
 * ```ts
 * const site = await servePage({ "/inference.js": { body: await bundleForBrowser(…) } });
 * await page.goto(site.origin);
 * ```
 */
export async function servePage(files: Record<string, ServedFile>): Promise<PageServer> {
  const all: Record<string, ServedFile> = { ...files };
  if (!all["/"]) {
    const scripts = Object.keys(files).filter((p) => p.endsWith(".js"));
    all["/"] = {
      body: `<!doctype html><html><head><meta charset="utf-8"><title>gonka-sdk browser test</title>${scripts.map((s) => `<script src="${s}"></script>`).join("")}</head><body></body></html>`,
    };
  }
  const requested: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    requested.push(path);
    const file = all[path];
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    res.writeHead(200, { "content-type": file.type ?? typeOf(path), "cache-control": "no-store", ...file.headers });
    res.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    requested,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
