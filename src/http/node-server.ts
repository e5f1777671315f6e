/**
 * The plumbing the SDK's own small HTTP servers share (the MLNode callback server, the PoC v2 host
 * server): `node:http` loaded only when a server is started (so browser bundles of the modules
 * that offer one never see it), request bodies read with a byte bound, and listening with an
 * origin other machines can use. **Node.js only** when called; importing it is safe anywhere.
 * @module
 */
import type { IncomingMessage, RequestListener, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { UnsupportedError } from "../errors.js";

type HttpModule = typeof import("node:http");

/**
 * Loads `node:http` (through `process.getBuiltinModule` where Node has it, else a computed
 * specifier bundlers do not follow).
 *
 * @param what The function that needs it, for the error (e.g. `"createPocCallbackServer"`).
 * @param instead What to do in other runtimes, for the error's details.
 * @throws {UnsupportedError} outside Node.js.
 */
export async function loadNodeHttp(what: string, instead: string): Promise<HttpModule> {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const builtin = proc?.getBuiltinModule?.("node:http") as HttpModule | undefined;
  if (builtin) return builtin;
  try {
    return (await import(/* @vite-ignore */ ["node", "http"].join(":"))) as HttpModule;
  } catch (err) {
    throw new UnsupportedError(`${what} needs Node.js (node:http is not available here)`, { cause: err, details: instead });
  }
}

/**
 * Reads a request body of at most `limit` bytes; `undefined` when it is larger (the rest is
 * drained, not kept) or the request fails.
 */
export function readRequestBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    req.on("data", (chunk: Uint8Array) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    req.on("error", () => resolve(undefined));
  });
}

/** Where {@link listen} listens and what origin it reports. */
export interface ListenOptions {
  /** Port (default 0: any free port). */
  port?: number | undefined;
  /** Interface (default `127.0.0.1`). */
  host?: string | undefined;
  /** Host name others use to reach it (default: `host`, or `127.0.0.1` when listening on all interfaces). */
  publicHost?: string | undefined;
}

/** A listening server: its port, the origin to hand out, and `close()` (which also ends open connections). */
export interface Listening {
  readonly server: Server;
  readonly port: number;
  /** `http://host:port` (IPv6 hosts bracketed). */
  readonly origin: string;
  close(): Promise<void>;
}

/** Starts `handler` on an HTTP server and waits until it listens (a busy port rejects). */
export async function listen(http: HttpModule, handler: RequestListener, options: ListenOptions): Promise<Listening> {
  const server = http.createServer(handler);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = options.publicHost ?? (host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host);
  return {
    server,
    port,
    origin: `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
