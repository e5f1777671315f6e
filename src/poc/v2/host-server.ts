/**
 * `startPocV2HostServer` — **Node.js only**: one HTTP server for a PoC v2 host: the MLNode
 * callbacks (`POST /v2/poc-batches/{model}/generated|validated`) into the store, and the public
 * proof routes (`POST /v1/poc/proofs`, `GET /v1/poc/artifacts/state`) from it. (The network node
 * serves them on two ports, 9100 and its public port; one port does for a devnet or a test, and
 * {@link createPocV2HostFetchHandler} lets you mount both on any server.) `node:http` is loaded only
 * when called.
 * @module
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { UnsupportedError } from "../../errors.js";
import { createPocCallbackHandler, type PocV2CallbackReceivers } from "../../mlnode/callback-handler.js";
import { pocCallbackUrl } from "./callback.js";
import { createPocV2HostReceivers, type PocV2HostReceiverOptions } from "./host.js";
import { createPocV2ProofHandler, type PocV2ProofServerOptions } from "./proof-server.js";

/** Options of {@link createPocV2HostFetchHandler}. */
export interface PocV2HostHandlerOptions extends PocV2ProofServerOptions, Omit<PocV2HostReceiverOptions, "store"> {
  /** Extra receivers (e.g. `onValidatedV2` for a validator's own MLNode verdicts). */
  receivers?: PocV2CallbackReceivers;
}

/**
 * A fetch-style handler serving both the callbacks and the proof routes of a host.
 *
 * @example
 * ```ts
 * Bun.serve({ fetch: createPocV2HostFetchHandler({ store, signer, authorize: chainProofAuthorizer(chain) }) });
 * ```
 */
export function createPocV2HostFetchHandler(options: PocV2HostHandlerOptions): (request: Request) => Promise<Response> {
  const callbacks = createPocCallbackHandler({ ...options.receivers, ...createPocV2HostReceivers(options) });
  const proofs = createPocV2ProofHandler(options);
  return (request) => (new URL(request.url).pathname.startsWith("/v1/poc/") ? proofs(request) : callbacks(request));
}

/** Options of {@link startPocV2HostServer}. */
export interface PocV2HostServerOptions extends PocV2HostHandlerOptions {
  /** Port (default 0: any free port). */
  port?: number;
  /** Interface (default 127.0.0.1). */
  host?: string;
  /** Host name MLNodes and validators use to reach it (default: `host`, or 127.0.0.1 for all interfaces). */
  publicHost?: string;
  /** Largest accepted request body (default 64 MiB). */
  maxBodyBytes?: number;
}

/** A running host server. */
export interface PocV2HostServer {
  /** `http://host:port`: the callback base for `runPocV2Host({ callbackBaseUrl })` and the participant's inference URL for validators. */
  readonly origin: string;
  readonly port: number;
  /** `{origin}/v2/poc-batches/{model escaped twice}`, the `url` an MLNode posts to. */
  callbackUrl(modelId: string): string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

type HttpModule = typeof import("node:http");

async function loadHttp(): Promise<HttpModule> {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const builtin = proc?.getBuiltinModule?.("node:http") as HttpModule | undefined;
  if (builtin) return builtin;
  try {
    return (await import(/* @vite-ignore */ ["node", "http"].join(":"))) as HttpModule;
  } catch (err) {
    throw new UnsupportedError("startPocV2HostServer needs Node.js (node:http is not available here)", {
      cause: err,
      details: "In other runtimes serve createPocV2HostFetchHandler(...) with the runtime's own HTTP server.",
    });
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
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

/**
 * Starts the host's HTTP server (Node.js only).
 *
 * @example
 * ```ts
 * const server = await startPocV2HostServer({ store, signer: warm, authorize: chainProofAuthorizer(chain), host: "0.0.0.0", port: 9100, publicHost: "10.0.0.2" });
 * await runPocV2Host({ ..., store, callbackBaseUrl: server.origin });
 * ```
 */
export async function startPocV2HostServer(options: PocV2HostServerOptions): Promise<PocV2HostServer> {
  const http = await loadHttp();
  const handler = createPocV2HostFetchHandler(options);
  const limit = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req, limit);
    if (body === undefined) {
      res.writeHead(413, { "content-type": "application/json; charset=UTF-8" });
      res.end(JSON.stringify({ error: `Request body exceeds ${limit} bytes` }));
      return;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const method = req.method ?? "GET";
    const request = new Request(new URL(req.url ?? "/", "http://poc-host"), { method, headers, ...(method === "GET" || method === "HEAD" ? {} : { body: body as unknown as BodyInit }) });
    const response = await handler(request);
    const out = new Uint8Array(await response.arrayBuffer());
    const h: Record<string, string> = {};
    response.headers.forEach((v, k) => (h[k] = v));
    res.writeHead(response.status, h);
    res.end(out);
  };
  const server: Server = http.createServer((req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
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
  const origin = `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}`;
  return {
    origin,
    port,
    callbackUrl: (modelId) => pocCallbackUrl(origin, modelId),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
