/**
 * `startPocV2HostServer` — **Node.js only**: one HTTP server for a PoC v2 host: the MLNode
 * callbacks (`POST /v2/poc-batches/{model}/generated|validated`) into the store, and the public
 * proof routes (`POST /v1/poc/proofs`, `GET /v1/poc/artifacts/state`) from it. (The network node
 * serves them on two ports, 9100 and its public port; one port does for a devnet or a test, and
 * {@link createPocV2HostFetchHandler} lets you mount both on any server.) `node:http` is loaded only
 * when called.
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { listen, loadNodeHttp, readRequestBody } from "../../http/node-server.js";
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
  const http = await loadNodeHttp("startPocV2HostServer", "In other runtimes serve createPocV2HostFetchHandler(...) with the runtime's own HTTP server.");
  const handler = createPocV2HostFetchHandler(options);
  const limit = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readRequestBody(req, limit);
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
  const { port, origin, close } = await listen(
    http,
    (req, res) => {
      serve(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    },
    options,
  );
  return {
    origin,
    port,
    callbackUrl: (modelId) => pocCallbackUrl(origin, modelId),
    close,
  };
}
