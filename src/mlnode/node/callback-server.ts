/**
 * `createPocCallbackServer` — **Node.js only**: an HTTP server (via `node:http`, loaded only when
 * called, so browser bundles of `gonka-sdk/mlnode` stay free of it) that receives an MLNode's PoC
 * callbacks and hands typed batches to your receivers.
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { listen, loadNodeHttp, readRequestBody } from "../../http/node-server.js";
import { answerCallback, DEFAULT_CALLBACK_PATH, type PocCallbackHandlerOptions } from "../callback-handler.js";
import { pocV2CallbackUrl } from "../callback-path.js";

/** Options of {@link createPocCallbackServer}. */
export interface PocCallbackServerOptions extends PocCallbackHandlerOptions {
  /** Port to listen on (default 0 = any free port). */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`; use `0.0.0.0` when the MLNode runs on another machine). */
  host?: string;
  /**
   * Host name the MLNode should use to reach this server, for `url` (default: `host`, or
   * `127.0.0.1` when listening on all interfaces).
   */
  publicHost?: string;
  /** Largest accepted body in bytes (default 64 MiB). */
  maxBodyBytes?: number;
}

/** A running callback server. */
export interface PocCallbackServer {
  /** `http://host:port` as the MLNode should reach it. */
  readonly origin: string;
  /**
   * PoC v2 callback URL for one model, to pass as `url` of `pocV2.initGenerate`/`generate`:
   * `{origin}/v2/poc-batches/{model id escaped twice}`.
   */
  pocV2Url(modelId: string): string;
  /** PoW v1 callback base URL to pass as `url` in `pow.init*`, e.g. `http://127.0.0.1:39001/v1/poc-batches`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Starts a loopback HTTP server that receives an MLNode's PoC callbacks (Node.js only). Pass
 * `server.pocV2Url(model)` as the `url` of `pocV2.initGenerate` (PoW v1: `server.url` for
 * `pow.initGenerate`/`pow.initValidate`).
 *
 * @example
 * ```ts
 * const callbacks = await createPocCallbackServer({
 *   host: "0.0.0.0", publicHost: "10.0.0.2",
 *   onArtifacts: (batch, { modelId }) => console.log(`${batch.artifacts.length} artifacts of ${modelId} from node ${batch.node_id}`),
 *   onValidatedV2: (result) => console.log(result.fraud_detected ? "fraud" : "honest"),
 * });
 * await mlnode.pocV2.initGenerate({ ...init, url: callbacks.pocV2Url(init.params.model) });
 * // … later
 * await callbacks.close();
 * ```
 */
export async function createPocCallbackServer(options: PocCallbackServerOptions): Promise<PocCallbackServer> {
  const http = await loadNodeHttp("createPocCallbackServer", "In other runtimes serve createPocCallbackHandler(...) with the runtime's own HTTP server.");
  const limit = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      const bytes = await readRequestBody(req, limit);
      const text = bytes === undefined ? undefined : new TextDecoder().decode(bytes);
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(key, value);
      const path = new URL(req.url ?? "/", "http://callback").pathname;
      const answer =
        text === undefined
          ? { status: 413, body: { error: `Request body exceeds ${limit} bytes` } }
          : await answerCallback(options, req.method ?? "", path, headers, text);
      if (answer.body) {
        res.writeHead(answer.status, { "content-type": "application/json; charset=UTF-8" });
        res.end(JSON.stringify(answer.body));
      } else {
        res.writeHead(answer.status);
        res.end();
      }
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
  const { port, origin, close } = await listen(http, handle, options);
  const base = (options.basePath ?? DEFAULT_CALLBACK_PATH).replace(/\/+$/, "");
  return {
    origin,
    pocV2Url: (modelId) => pocV2CallbackUrl(origin, modelId),
    url: `${origin}${base}`,
    port,
    close,
  };
}
