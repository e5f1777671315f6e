import type { QueryTransport } from "./transport/types.js";
import type { CometRpc } from "./transport/rpc.js";

/**
 * What actions and queries need from a client: the query transport (REST or gRPC), the CometBFT
 * RPC, and the client's defaults. {@link ChainClient} implements it.
 */
export interface ChainContext {
  /** REST or gRPC access to the Cosmos services. */
  readonly transport: QueryTransport;
  /** CometBFT RPC (`/chain-rpc/`). */
  readonly rpc: CometRpc;
  /** Where txs are broadcast and looked up: CometBFT RPC or the tx Service of `transport`. */
  readonly broadcastVia: "rpc" | "service";
  /** Chain ID: the configured one, or the node's `/status` `node_info.network`. */
  getChainId(): Promise<string>;
  /** Defaults for transactions. */
  readonly txDefaults: TxDefaults;
}

/** Client-wide transaction defaults. */
export interface TxDefaults {
  /** Multiplier on simulated gas (default 1.4). */
  gasMultiplier: number;
  /** Gas price in ngonka per gas unit (default 0: Gonka charges no fees). */
  gasPrice: number;
  /** How long to wait for inclusion, ms (default 60 000). */
  confirmTimeoutMs: number;
  /** Poll interval while waiting, ms (default 500). */
  pollIntervalMs: number;
}
