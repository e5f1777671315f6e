/**
 * A scripted loopback node for byte-exact flow tests: CometBFT RPC (`/chain-rpc/`: status,
 * abci_info, abci_query, broadcast_tx_sync, tx) and a few REST routes (`/chain-api/…`), every
 * answer set by the test. It records every broadcast TxRaw and every request path.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { create, toBinary } from "@bufbuild/protobuf";
import { TxMsgDataSchema } from "../../generated/proto/cosmos/base/abci/v1beta1/abci_pb.js";
import type { Any } from "@bufbuild/protobuf/wkt";
import { createHash } from "node:crypto";

export interface FakeNodeOptions {
  chainId?: string;
  /** `abci_info` version; `null` = the method is not served. */
  appVersion?: string | null;
  /** REST `node_info` application version; `undefined` = route not served. */
  nodeInfoVersion?: string;
  /** Accounts: address → [accountNumber, sequence]. */
  accounts?: Record<string, [bigint, bigint]>;
  /** REST JSON per GET path (exact path, no query string). */
  rest?: Record<string, unknown>;
  /** abci_query answers: gRPC method path → response bytes. */
  abci?: Record<string, Uint8Array>;
  /** Gas the simulation reports. */
  simulatedGas?: bigint;
  /** The msg responses every included tx reports (default: none). */
  msgResponses?: (txRaw: Uint8Array) => Any[];
}

export interface FakeNode {
  url: string;
  /** TxRaw bytes of every broadcast, in order. */
  broadcasts: Uint8Array[];
  /** Every request: `RPC method` or `GET path`. */
  requests: string[];
  options: FakeNodeOptions;
  stop(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Starts a fake node on 127.0.0.1. */
export async function startFakeNode(options: FakeNodeOptions = {}): Promise<FakeNode> {
  const broadcasts: Uint8Array[] = [];
  const requests: string[] = [];
  const included = new Map<string, { txRaw: Uint8Array; height: number }>();
  let height = 100;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://x");
      if (req.method === "POST" && url.pathname.replace(/\/+$/, "") === "/chain-rpc") {
        const rpc = JSON.parse(await body(req)) as { id: number; method: string; params: Record<string, unknown> };
        requests.push(`RPC ${rpc.method}`);
        const reply = (result: unknown) => send(res, 200, { jsonrpc: "2.0", id: rpc.id, result });
        const fail = (message: string) => send(res, 200, { jsonrpc: "2.0", id: rpc.id, error: { code: -32601, message: "Method not found", data: message } });
        switch (rpc.method) {
          case "status":
            return reply({
              node_info: { network: options.chainId ?? "gonka-mainnet", version: "0.38.21", moniker: "fake" },
              sync_info: { latest_block_height: String(height), latest_block_time: "2026-06-20T12:00:00Z" },
            });
          case "abci_info":
            if (options.appVersion === null) return fail("abci_info");
            return reply({ response: { data: "inference", version: options.appVersion ?? "v0.2.13", app_version: "0", last_block_height: String(height) } });
          case "abci_query": {
            const path = String(rpc.params.path);
            requests.push(`ABCI ${path}`);
            const v = options.abci?.[path];
            if (!v) return reply({ response: { code: 6, log: `unknown query path ${path}`, codespace: "sdk" } });
            return reply({ response: { code: 0, value: Buffer.from(v).toString("base64"), height: String(height) } });
          }
          case "broadcast_tx_sync": {
            const tx = new Uint8Array(Buffer.from(String(rpc.params.tx), "base64"));
            broadcasts.push(tx);
            const hash = createHash("sha256").update(tx).digest("hex").toUpperCase();
            included.set(hash, { txRaw: tx, height: ++height });
            return reply({ code: 0, log: "", codespace: "", hash });
          }
          case "tx": {
            const hash = Buffer.from(String(rpc.params.hash), "base64").toString("hex").toUpperCase();
            const t = included.get(hash);
            if (!t) return send(res, 200, { jsonrpc: "2.0", id: rpc.id, error: { code: -32603, message: "Internal error", data: `tx (${hash}) not found` } });
            const data = toBinary(TxMsgDataSchema, create(TxMsgDataSchema, { msgResponses: options.msgResponses?.(t.txRaw) ?? [] }));
            return reply({
              hash,
              height: String(t.height),
              tx_result: { code: 0, data: Buffer.from(data).toString("base64"), log: "", gas_wanted: "200000", gas_used: "100000", codespace: "" },
              tx: Buffer.from(t.txRaw).toString("base64"),
            });
          }
          default:
            return fail(rpc.method);
        }
      }
      const path = url.pathname.replace(/^\/chain-api/, "");
      requests.push(`${req.method} ${path}`);
      if (req.method === "POST" && path === "/cosmos/tx/v1beta1/simulate") {
        await body(req);
        return send(res, 200, { gas_info: { gas_wanted: "0", gas_used: String(options.simulatedGas ?? 100_000n) }, result: { data: "", log: "", events: [] } });
      }
      const acct = /^\/cosmos\/auth\/v1beta1\/accounts\/(gonka1[0-9a-z]+)$/.exec(path);
      if (acct) {
        const a = options.accounts?.[acct[1]!];
        if (!a) return send(res, 404, { code: 5, message: `account ${acct[1]} not found`, details: [] });
        return send(res, 200, { account: { "@type": "/cosmos.auth.v1beta1.BaseAccount", address: acct[1], pub_key: null, account_number: a[0].toString(), sequence: a[1].toString() } });
      }
      if (path === "/cosmos/base/tendermint/v1beta1/node_info" && options.nodeInfoVersion !== undefined) {
        return send(res, 200, {
          default_node_info: { network: options.chainId ?? "gonka-mainnet", version: "0.38.21", moniker: "fake" },
          application_version: { name: "inference", app_name: "inferenced", version: options.nodeInfoVersion, git_commit: "8a35022b", cosmos_sdk_version: "v0.53.3" },
        });
      }
      if (options.rest && path in options.rest) return send(res, 200, options.rest[path]);
      return send(res, 404, { code: 5, message: `Not Implemented: ${path}`, details: [] });
    })().catch((e: unknown) => send(res, 500, { code: 13, message: String(e) }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    broadcasts,
    requests,
    options,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

