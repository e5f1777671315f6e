import { createHttpCore, SERVER_MESSAGE_CHARS, type FetchLike, type HttpCore } from "../../http/index.js";
import { MalformedResponseError, NodeRequestError } from "../errors.js";
import { toBase64 } from "../bytes.js";
import { base64, hex } from "@scure/base";

/** Result of CometBFT `broadcast_tx_sync` (CheckTx). */
export interface RpcCheckTxResult {
  /** ABCI code; 0 = accepted into the mempool. */
  code: number;
  /** ABCI codespace. */
  codespace: string;
  /** Log. */
  log: string;
  /** Tx hash, upper-case hex. */
  hash: string;
}

/** Result of CometBFT `tx` (an included tx). */
export interface RpcTxResult {
  /** Tx hash, upper-case hex. */
  hash: string;
  /** Height of the block that included it. */
  height: bigint;
  /** DeliverTx code. */
  code: number;
  /** Codespace. */
  codespace: string;
  /** Log. */
  log: string;
  /** Gas wanted. */
  gasWanted: bigint;
  /** Gas used. */
  gasUsed: bigint;
  /** Base64 of the `TxMsgData` result bytes. */
  data: string;
  /** The tx's `TxRaw` bytes (base64), when the node returns them. */
  tx: string;
}

/** Result of CometBFT `status`. */
export interface RpcStatus {
  /** Chain ID (`node_info.network`). */
  chainId: string;
  /** Latest block height. */
  latestHeight: bigint;
  /** Latest block time (RFC 3339). */
  latestTime: string;
  /** CometBFT version (`node_info.version`). */
  cometVersion: string;
  /** The node's moniker. */
  moniker: string;
}

/** Result of CometBFT `abci_info`: what the application says about itself. */
export interface RpcAbciInfo {
  /** The application's name (`data`; `"inference"` on Gonka). */
  data: string;
  /** The application's software version (set at build time, e.g. `"v0.2.13"`). */
  version: string;
  /** The application's protocol version (`app_version`). */
  appVersion: bigint;
  /** Latest committed height. */
  lastBlockHeight: bigint;
}

/** Result of CometBFT `abci_query`. */
export interface RpcAbciQueryResult {
  /** ABCI code; 0 = success. */
  code: number;
  /** Codespace of a failure. */
  codespace: string;
  /** Log of a failure. */
  log: string;
  /** The response bytes (for a gRPC query path: the encoded response message). */
  value: Uint8Array;
  /** Height the query ran at. */
  height: bigint;
}

/** A minimal CometBFT JSON-RPC client (the `/chain-rpc/` endpoint). */
export interface CometRpc {
  /** `broadcast_tx_sync`. */
  broadcastTxSync(txRaw: Uint8Array, timeoutMs?: number): Promise<RpcCheckTxResult>;
  /** `tx`; `undefined` while the tx is not (yet) included. */
  tx(hash: string, timeoutMs?: number): Promise<RpcTxResult | undefined>;
  /** `status`: chain ID (`node_info.network`), latest height and time. */
  status(timeoutMs?: number): Promise<RpcStatus>;
  /** `abci_info`: the application's name and software version. */
  abciInfo(timeoutMs?: number): Promise<RpcAbciInfo>;
  /**
   * `abci_query` with a path and request bytes; for a gRPC method path
   * (`/inference.inference.Query/Params`) the value is the encoded response message, byte for byte.
   */
  abciQuery(path: string, data: Uint8Array, options?: { height?: bigint; timeoutMs?: number }): Promise<RpcAbciQueryResult>;
}

/**
 * Creates a CometBFT JSON-RPC client.
 *
 * @example
 * ```ts
 * const rpc = createCometRpc({ baseUrl: "http://node2.gonka.ai:8000/chain-rpc" });
 * const { chainId } = await rpc.status();
 * ```
 */
export function createCometRpc(options: { baseUrl: string; timeoutMs?: number; fetch?: FetchLike }): CometRpc {
  const http: HttpCore = createHttpCore({ ...options, retries: 0 });
  let nextId = 1;
  const endpoint = http.url("/");

  async function call(method: string, params: Record<string, unknown>, timeoutMs: number | undefined, idempotent: boolean): Promise<{ result?: unknown; error?: unknown }> {
    const data = await http.request<unknown>({
      method: "POST",
      path: "/",
      body: { jsonrpc: "2.0", id: nextId++, method, params },
      idempotent,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
    if (!data || typeof data !== "object") throw new MalformedResponseError(`${endpoint} ${method}`, "expected a JSON-RPC object");
    return data as { result?: unknown; error?: unknown };
  }

  return {
    async broadcastTxSync(txRaw, timeoutMs) {
      const res = await call("broadcast_tx_sync", { tx: toBase64(txRaw) }, timeoutMs, false);
      if (res.error) throw rpcError(endpoint, "broadcast_tx_sync", res.error);
      const r = obj(res.result, endpoint, "broadcast_tx_sync");
      return {
        code: num(r.code, endpoint, "code"),
        codespace: typeof r.codespace === "string" ? r.codespace : "",
        log: typeof r.log === "string" ? r.log : "",
        hash: str(r.hash, endpoint, "hash").toUpperCase(),
      };
    },
    async tx(hash, timeoutMs) {
      const res = await call("tx", { hash: toBase64(hex.decode(hash.toLowerCase())), prove: false }, timeoutMs, true);
      if (res.error) {
        const text = JSON.stringify(res.error);
        if (/not found/i.test(text)) return undefined;
        throw rpcError(endpoint, "tx", res.error);
      }
      const r = obj(res.result, endpoint, "tx");
      const t = obj(r.tx_result, endpoint, "tx.tx_result");
      return {
        hash: str(r.hash, endpoint, "hash").toUpperCase(),
        height: big(r.height, endpoint, "height"),
        code: num(t.code ?? 0, endpoint, "tx_result.code"),
        codespace: typeof t.codespace === "string" ? t.codespace : "",
        log: typeof t.log === "string" ? t.log : "",
        gasWanted: big(t.gas_wanted ?? "0", endpoint, "gas_wanted"),
        gasUsed: big(t.gas_used ?? "0", endpoint, "gas_used"),
        data: typeof t.data === "string" ? t.data : "",
        tx: typeof r.tx === "string" ? r.tx : "",
      };
    },
    async status(timeoutMs) {
      const res = await call("status", {}, timeoutMs, true);
      if (res.error) throw rpcError(endpoint, "status", res.error);
      const r = obj(res.result, endpoint, "status");
      const nodeInfo = obj(r.node_info, endpoint, "node_info");
      const sync = obj(r.sync_info, endpoint, "sync_info");
      return {
        chainId: str(nodeInfo.network, endpoint, "node_info.network"),
        latestHeight: big(sync.latest_block_height, endpoint, "latest_block_height"),
        latestTime: typeof sync.latest_block_time === "string" ? sync.latest_block_time : "",
        cometVersion: typeof nodeInfo.version === "string" ? nodeInfo.version : "",
        moniker: typeof nodeInfo.moniker === "string" ? nodeInfo.moniker : "",
      };
    },
    async abciInfo(timeoutMs) {
      const res = await call("abci_info", {}, timeoutMs, true);
      if (res.error) throw rpcError(endpoint, "abci_info", res.error);
      const r = obj(obj(res.result, endpoint, "abci_info").response, endpoint, "abci_info.response");
      return {
        data: typeof r.data === "string" ? r.data : "",
        version: typeof r.version === "string" ? r.version : "",
        appVersion: r.app_version === undefined ? 0n : big(r.app_version, endpoint, "app_version"),
        lastBlockHeight: r.last_block_height === undefined ? 0n : big(r.last_block_height, endpoint, "last_block_height"),
      };
    },
    async abciQuery(path, data, options = {}) {
      const params: Record<string, unknown> = { path, data: hex.encode(data), prove: false };
      if (options.height !== undefined && options.height > 0n) params.height = options.height.toString();
      const res = await call("abci_query", params, options.timeoutMs, true);
      if (res.error) throw rpcError(endpoint, "abci_query", res.error);
      const r = obj(obj(res.result, endpoint, "abci_query").response, endpoint, "abci_query.response");
      let value: Uint8Array;
      try {
        value = typeof r.value === "string" && r.value ? base64.decode(r.value) : new Uint8Array();
      } catch {
        throw new MalformedResponseError(endpoint, "abci_query.response.value is not base64");
      }
      return {
        code: r.code === undefined ? 0 : num(r.code, endpoint, "abci_query.response.code"),
        codespace: typeof r.codespace === "string" ? r.codespace : "",
        log: typeof r.log === "string" ? r.log : "",
        value,
        height: r.height === undefined ? 0n : big(r.height, endpoint, "abci_query.response.height"),
      };
    },
  };
}

function rpcError(endpoint: string, method: string, error: unknown): NodeRequestError {
  const e = (error ?? {}) as { code?: unknown; message?: unknown; data?: unknown };
  const full = [e.message, e.data].filter((x) => typeof x === "string" && x).join(": ") || JSON.stringify(error);
  const msg = full.length > SERVER_MESSAGE_CHARS ? `${full.slice(0, SERVER_MESSAGE_CHARS / 2)} … ${full.slice(-SERVER_MESSAGE_CHARS / 2)}` : full;
  return new NodeRequestError(`${endpoint} ${method}`, msg, typeof e.code === "number" ? { code: e.code } : {});
}

function obj(v: unknown, endpoint: string, what: string): Record<string, unknown> {
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new MalformedResponseError(endpoint, `${what} is not an object`);
  return v as Record<string, unknown>;
}
function str(v: unknown, endpoint: string, what: string): string {
  if (typeof v !== "string") throw new MalformedResponseError(endpoint, `${what} is not a string`);
  return v;
}
function num(v: unknown, endpoint: string, what: string): number {
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n)) throw new MalformedResponseError(endpoint, `${what} is not an integer`);
  return n;
}
function big(v: unknown, endpoint: string, what: string): bigint {
  if ((typeof v === "string" && /^-?\d+$/.test(v)) || (typeof v === "number" && Number.isInteger(v))) return BigInt(v);
  throw new MalformedResponseError(endpoint, `${what} is not an integer`);
}
