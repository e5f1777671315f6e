/**
 * Hostile servers on loopback for the security tests: a recorder (to prove nothing reached it),
 * a redirector, a gzip bomb, a huge body, a drip feed, and a lying chain node (CometBFT JSON-RPC
 * and Cosmos REST answers whose hashes and heights are made up).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createGzip } from "node:zlib";

/** A request a hostile server saw. */
export interface HostileRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A running hostile server. */
export interface HostileServer {
  url: string;
  origin: string;
  requests: HostileRequest[];
  close(): Promise<void>;
}

/** Answers a request; `body` is the whole request body. */
export type HostileHandler = (req: HostileRequest, res: ServerResponse) => void;

/** Starts a server on 127.0.0.1:0 that hands every request to `handler`. */
export async function startHostile(handler: HostileHandler): Promise<HostileServer> {
  const requests: HostileRequest[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const seen = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(seen);
      open.add(res);
      res.on("close", () => open.delete(res));
      handler(seen, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of open) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Records and answers `200 {"ok":true}`: the place a redirect points to. */
export function recorder(): Promise<HostileServer> {
  return startHostile((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
  });
}

/** Answers every request with a redirect to `location(req)`. */
export function redirector(location: (req: HostileRequest) => string, status = 307): Promise<HostileServer> {
  return startHostile((req, res) => {
    res.writeHead(status, { location: location(req) });
    res.end();
  });
}

/**
 * A gzip bomb: `decodedBytes` of `{"a":"000…` compressed on the fly (about 1000:1), sent with
 * `content-encoding: gzip` and the given status.
 */
export function gzipBomb(decodedBytes: number, status = 200): Promise<HostileServer> {
  return startHostile((_req, res) => {
    res.writeHead(status, { "content-type": "application/json", "content-encoding": "gzip" });
    const gz = createGzip({ level: 9 });
    gz.pipe(res);
    const chunk = Buffer.alloc(1 << 20, 0x30);
    let left = decodedBytes;
    gz.write('{"a":"');
    const pump = (): void => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!gz.write(chunk.subarray(0, n))) return void gz.once("drain", pump);
      }
      gz.end('"}');
    };
    res.on("close", () => {
      left = 0;
      gz.destroy();
    });
    pump();
  });
}

/** A plain body of `bytes` bytes (`x` characters) with the given status and no content-length. */
export function hugeBody(bytes: number, status = 200): Promise<HostileServer> {
  return startHostile((_req, res) => {
    res.writeHead(status, { "content-type": "text/plain" });
    const chunk = Buffer.alloc(1 << 16, 0x78);
    let left = bytes;
    let closed = false;
    res.on("close", () => (closed = true));
    const pump = (): void => {
      while (left > 0 && !closed) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!res.write(chunk.subarray(0, n))) return void res.once("drain", pump);
      }
      if (!closed) res.end();
    };
    pump();
  });
}

/** Sends headers and then one byte every `everyMs` ms, never finishing (a stalled body). */
export function drip(everyMs: number, status = 200): Promise<HostileServer> {
  return startHostile((_req, res) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.write("[");
    const timer = setInterval(() => res.write(" "), everyMs);
    res.on("close", () => clearInterval(timer));
  });
}

/** What a lying node says. */
export interface LyingNodeScript {
  /** Hash returned by `broadcast_tx_sync` / `POST /cosmos/tx/v1beta1/txs`. */
  broadcastHash: (sentTxBase64: string) => string;
  /** The `tx` / `GET /cosmos/tx/v1beta1/txs/{hash}` answer for a looked-up hash (upper-case hex). */
  lookup: (hash: string) => { hash: string; height: string; txBase64: string } | undefined;
  /** `node_info.network` of `/status`. */
  chainId?: string;
}

/**
 * A node that answers CometBFT JSON-RPC (`POST /`) and the Cosmos tx REST routes with whatever
 * the script says, so tests can check the SDK does not believe it.
 */
export function lyingNode(script: LyingNodeScript): Promise<HostileServer> {
  return startHostile((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "POST" && (req.url === "/" || req.url === "")) {
      const call = JSON.parse(req.body) as { id: number; method: string; params: Record<string, unknown> };
      const reply = (result: unknown): void => send(200, { jsonrpc: "2.0", id: call.id, result });
      if (call.method === "broadcast_tx_sync") return reply({ code: 0, codespace: "", log: "", hash: script.broadcastHash(String(call.params.tx)) });
      if (call.method === "tx") {
        const asked = Buffer.from(String(call.params.hash), "base64").toString("hex").toUpperCase();
        const found = script.lookup(asked);
        if (!found) return send(200, { jsonrpc: "2.0", id: call.id, error: { code: -32603, message: "Internal error", data: `tx (${asked}) not found` } });
        return reply({ hash: found.hash, height: found.height, index: 0, tx_result: { code: 0, data: "", log: "", gas_wanted: "100", gas_used: "50" }, tx: found.txBase64 });
      }
      if (call.method === "status") {
        return reply({ node_info: { network: script.chainId ?? "gonka-mainnet", version: "0.38", moniker: "liar" }, sync_info: { latest_block_height: "10", latest_block_time: new Date().toISOString() } });
      }
      return send(200, { jsonrpc: "2.0", id: call.id, error: { code: -32601, message: "Method not found" } });
    }
    if (req.method === "POST" && req.url === "/cosmos/tx/v1beta1/txs") {
      const sent = (JSON.parse(req.body) as { tx_bytes: string }).tx_bytes;
      return send(200, { tx_response: { height: "0", txhash: script.broadcastHash(sent), code: 0, codespace: "", raw_log: "", data: "", gas_wanted: "0", gas_used: "0" } });
    }
    const m = /^\/cosmos\/tx\/v1beta1\/txs\/([0-9A-Fa-f]+)$/.exec(req.url);
    if (req.method === "GET" && m) {
      const found = script.lookup(m[1]!.toUpperCase());
      if (!found) return send(404, { code: 5, message: "tx not found", details: [] });
      return send(200, {
        tx: null,
        tx_response: { height: found.height, txhash: found.hash, code: 0, codespace: "", raw_log: "", data: "", gas_wanted: "100", gas_used: "50", tx: null },
      });
    }
    send(404, { code: 12, message: "not implemented" });
  });
}
