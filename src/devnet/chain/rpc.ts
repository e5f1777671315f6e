import type { ServerResponse } from "node:http";
import type { QueryContext } from "./queries.js";
import { abciQuery } from "./query-router.js";
import { devnetBlockHash } from "./queries-inference.js";

function reply(res: ServerResponse, id: unknown, payload: { result: unknown } | { error: unknown }): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", id: id ?? -1, ...payload }));
}

function decodeTxParam(v: unknown): Uint8Array | undefined {
  if (typeof v !== "string") return undefined;
  if (/^0x[0-9a-fA-F]*$/.test(v)) return Buffer.from(v.slice(2), "hex");
  if (/^"?[A-Za-z0-9+/=]*"?$/.test(v)) return Buffer.from(v.replace(/"/g, ""), "base64");
  return undefined;
}

function decodeHashParam(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  if (/^0x[0-9a-fA-F]{64}$/.test(v)) return v.slice(2).toUpperCase();
  const b = Buffer.from(v.replace(/"/g, ""), "base64");
  return b.length === 32 ? b.toString("hex").toUpperCase() : undefined;
}

/** A string param as JSON-RPC (plain) or a URI GET (`"quoted"`) carries it. */
function stringParam(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  return /^".*"$/.test(v) ? v.slice(1, -1) : v;
}

/** `HexBytes` param: hex, with or without `0x`. */
function hexParam(v: unknown): Uint8Array | undefined {
  if (v === undefined || v === "") return new Uint8Array();
  if (typeof v !== "string") return undefined;
  const h = v.replace(/^"?(0x)?/, "").replace(/"$/, "");
  return /^([0-9a-fA-F]{2})*$/.test(h) ? new Uint8Array(Buffer.from(h, "hex")) : undefined;
}

/**
 * Serves CometBFT RPC at `/chain-rpc/`: JSON-RPC POSTs and URI GETs for `status`, `abci_info`,
 * `abci_query` (gRPC method paths, protobuf bytes), `broadcast_tx_sync` and `tx`.
 */
export function handleRpc(ctx: QueryContext, res: ServerResponse, method: string, params: Record<string, unknown>, id: unknown): void {
  const { state } = ctx;
  switch (method) {
    case "status":
      return reply(res, id, {
        result: {
          node_info: { network: state.chainId, moniker: "gonka-devnet", version: "0.38.21" },
          sync_info: { latest_block_height: state.height.toString(), latest_block_time: state.time.toISOString(), catching_up: false },
          validator_info: { voting_power: "0" },
        },
      });
    case "abci_info":
      return reply(res, id, {
        result: {
          response: {
            data: "inference", version: state.appVersion, app_version: "0", last_block_height: state.height.toString(),
            last_block_app_hash: Buffer.from(devnetBlockHash(state, state.height), "hex").toString("base64"),
          },
        },
      });
    case "abci_query": {
      const path = stringParam(params.path);
      const data = hexParam(params.data);
      if (path === undefined || data === undefined) return reply(res, id, { error: { code: -32602, message: "Invalid params", data: "error converting json params to arguments" } });
      const r = abciQuery(ctx, path, data);
      return reply(res, id, {
        result: {
          response: {
            code: r.code, log: r.log, info: "", index: "0", key: null, value: r.code === 0 ? Buffer.from(r.value).toString("base64") : null,
            proofOps: null, height: state.height.toString(), codespace: r.codespace,
          },
        },
      });
    }
    case "broadcast_tx_sync": {
      const tx = decodeTxParam(params.tx);
      if (!tx) return reply(res, id, { error: { code: -32602, message: "Invalid params", data: "error converting json params to arguments: tx" } });
      const r = ctx.mempool.checkTx(tx);
      return reply(res, id, { result: { code: r.code, data: "", log: r.log, codespace: r.codespace, hash: r.hash } });
    }
    case "tx": {
      const hash = decodeHashParam(params.hash);
      if (!hash) return reply(res, id, { error: { code: -32602, message: "Invalid params", data: "hash" } });
      const r = state.txs.get(hash);
      if (!r) return reply(res, id, { error: { code: -32603, message: "Internal error", data: `tx (${hash}) not found` } });
      return reply(res, id, {
        result: {
          hash: r.hash, height: r.height.toString(), index: r.index,
          tx_result: {
            code: r.code, data: Buffer.from(r.data).toString("base64"), log: r.log, info: "", gas_wanted: r.gasWanted.toString(),
            gas_used: r.gasUsed.toString(), codespace: r.codespace,
            events: r.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ ...a, index: true })) })),
          },
          tx: Buffer.from(r.txRaw).toString("base64"),
        },
      });
    }
    default:
      return reply(res, id, { error: { code: -32601, message: "Method not found", data: method } });
  }
}
