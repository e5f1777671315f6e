import http, { type IncomingMessage, type ServerResponse } from "node:http";
import http2 from "node:http2";
import net, { type AddressInfo, type Socket } from "node:net";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { createChainState, type ChainState, type ChainStateOptions } from "./state.js";
import { Mempool, type ChainNodeHooks } from "./mempool.js";
import { handleRest } from "./rest.js";
import { handleRpc } from "./rpc.js";
import { registerGrpc } from "./grpc.js";
import type { QueryContext } from "./queries.js";

/** Options of {@link startChainNode}. */
export interface ChainNodeOptions extends ChainStateOptions {
  /** Existing state to serve (default: a new one from the other options). */
  state?: ChainState;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** Block interval in ms (default 50). `0`: no timer; call {@link ChainNode.produceBlock} yourself. */
  blockTimeMs?: number;
  /** Test hooks (may also be set later on `node.hooks`). */
  hooks?: ChainNodeHooks;
  /**
   * Time of the next block from the previous one (default: the wall clock, never going back).
   * E.g. `(t) => new Date(t.getTime() + 1000)` for a chain whose clock stays where genesis put it.
   */
  nextBlockTime?: (previous: Date) => Date;
}

/** A running devnet chain node. */
export interface ChainNode {
  /** Base URL, like a participant's proxy: `/chain-rpc/`, `/chain-api/`, `/chain-grpc/` live under it. */
  readonly url: string;
  /** CometBFT RPC base (`${url}/chain-rpc`). */
  readonly rpcUrl: string;
  /** Cosmos REST base (`${url}/chain-api`). */
  readonly restUrl: string;
  /** gRPC base (`${url}/chain-grpc`, HTTP/2 cleartext on the same port). */
  readonly grpcUrl: string;
  /** The chain state (read and edit freely). */
  readonly state: ChainState;
  /** Test hooks (mutable). */
  readonly hooks: ChainNodeHooks;
  /** Commits a block now; returns its height. */
  produceBlock(): bigint;
  /** Stops the timer, closes every connection and the port. */
  stop(): Promise<void>;
}

/** A request handler for composing the chain node into another server. */
export type ChainRequestHandler = (req: IncomingMessage | http2.Http2ServerRequest, res: ServerResponse | http2.Http2ServerResponse) => boolean;

function unescapes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** Largest request body the chain endpoints read (`/chain-rpc`, `/chain-api`): 10 MiB; 413 above. */
export const CHAIN_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Builds the request handler of the chain endpoints (`/chain-rpc`, `/chain-api`, `/chain-grpc`)
 * over a state and mempool. Returns `false` for paths it does not own, so a composing server
 * (the full devnet) can route the rest.
 */
export function createChainRequestHandler(state: ChainState, mempool: Mempool, hooks: ChainNodeHooks): ChainRequestHandler {
  const ctx: QueryContext = { state, mempool, hooks };
  const grpc = connectNodeAdapter({ routes: (router) => registerGrpc(router, ctx), requestPathPrefix: "/chain-grpc", grpc: true, grpcWeb: true, connect: true });
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://devnet");
    const path = url.pathname;
    if (path.startsWith("/chain-grpc/")) {
      grpc(req as IncomingMessage, res as ServerResponse);
      return true;
    }
    const isRpc = path === "/chain-rpc" || path.startsWith("/chain-rpc/");
    const isRest = path.startsWith("/chain-api/");
    if (!isRpc && !isRest) return false;
    const out0 = res as ServerResponse;
    if (!unescapes(path)) {
      out0.writeHead(400, { "content-type": "application/json" });
      out0.end(JSON.stringify({ code: 3, message: "invalid URL escape in path", details: [] }));
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      if (tooLarge) return;
      size += c.length;
      if (size > CHAIN_MAX_BODY_BYTES) {
        // answer once and stop buffering; the connection is closed after the answer
        tooLarge = true;
        chunks.length = 0;
        out0.writeHead(413, { "content-type": "application/json", connection: "close" });
        out0.end(JSON.stringify({ code: 8, message: `request body larger than ${CHAIN_MAX_BODY_BYTES} bytes`, details: [] }), () => req.destroy());
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => {
      if (tooLarge) return;
      const body = Buffer.concat(chunks).toString("utf8");
      const out = res as ServerResponse;
      try {
        if (isRest) {
          void handleRest(ctx, req as IncomingMessage, out, path.slice("/chain-api".length), url.searchParams, body);
          return;
        }
        const sub = path.replace(/^\/chain-rpc\/?/, "");
        if (req.method === "POST" && sub === "") {
          let rpc: { method?: unknown; params?: unknown; id?: unknown };
          try {
            rpc = JSON.parse(body) as typeof rpc;
          } catch {
            out.writeHead(200, { "content-type": "application/json" });
            out.end(JSON.stringify({ jsonrpc: "2.0", id: -1, error: { code: -32700, message: "Parse error" } }));
            return;
          }
          handleRpc(ctx, out, String(rpc.method), (rpc.params ?? {}) as Record<string, unknown>, rpc.id);
          return;
        }
        handleRpc(ctx, out, sub, Object.fromEntries(url.searchParams), -1);
      } catch (e) {
        out.writeHead(500, { "content-type": "application/json" });
        out.end(JSON.stringify({ code: 13, message: (e as Error).message }));
      }
    });
    return true;
  };
}

/**
 * Starts the devnet chain node on loopback: CometBFT RPC, Cosmos REST and gRPC (HTTP/2
 * cleartext) on one port, decoding every tx with the generated schemas, verifying signatures
 * with node:crypto, checking sequence / chain ID / unordered nonces, and executing messages
 * against in-memory state. `stop()` frees the port, sockets and timer.
 *
 * @example
 * ```ts
 * const node = await startChainNode({ accounts: [{ address: wallet.address, coins: [{ denom: "ngonka", amount: 10n ** 12n }] }] });
 * const chain = createChainClient({ url: node.url });
 * await node.stop();
 * ```
 */
export async function startChainNode(options: ChainNodeOptions = {}): Promise<ChainNode> {
  const state = options.state ?? createChainState(options);
  const hooks: ChainNodeHooks = { ...(options.hooks ?? {}) };
  const mempool = new Mempool(state, hooks);
  const handle = createChainRequestHandler(state, mempool, hooks);
  const notFound = (res: ServerResponse | http2.Http2ServerResponse): void => {
    (res as ServerResponse).writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  };
  const h1 = http.createServer((req, res) => {
    if (!handle(req, res)) notFound(res);
  });
  const h2 = http2.createServer((req, res) => {
    if (!handle(req, res)) notFound(res);
  });
  const sockets = new Set<Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
  });
  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.once("data", (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      (chunk.subarray(0, 3).toString("latin1") === "PRI" ? h2 : h1).emit("connection", socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = tcp.address() as AddressInfo;
  const host = options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1";
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const blockTimeMs = options.blockTimeMs ?? 50;
  const next = () => mempool.produceBlock(options.nextBlockTime ? options.nextBlockTime(state.time) : new Date());
  const timer = blockTimeMs > 0 ? setInterval(next, blockTimeMs) : undefined;
  timer?.unref();
  let stopped = false;
  return {
    url,
    rpcUrl: `${url}/chain-rpc`,
    restUrl: `${url}/chain-api`,
    grpcUrl: `${url}/chain-grpc`,
    state,
    hooks,
    produceBlock: next,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      for (const s of sessions) s.destroy();
      for (const s of sockets) s.destroy();
      h1.closeAllConnections();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      h1.close();
      h2.close();
    },
  };
}
