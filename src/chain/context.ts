import type { QueryTransport } from "./transport/types.js";
import type { CometRpc } from "./transport/rpc.js";
import type { ClientCache } from "./cache.js";
import type { ReleaseName } from "../network/releases.js";

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
  /**
   * The REST gateway, also when `transport` is gRPC: for what only REST JSON shows (the node's
   * `node_info`, fields of the params the SDK's schema does not know). Optional.
   */
  readonly restTransport?: QueryTransport;
  /** Per-client cache of the node's release and the chain's minimum gas price. Optional. */
  readonly cache?: ClientCache;
  /** How transactions are checked against the node's release. Absent: no check ({@link createChainClient} always sets it, checking by default). */
  readonly network?: NetworkPolicy;
}

/** Client-wide transaction defaults. */
export interface TxDefaults {
  /** Multiplier on simulated gas (default 1.4). */
  gasMultiplier: number;
  /**
   * Gas price in ngonka per gas unit (a number or a decimal string). `undefined` (default): the
   * chain's minimum, `Params.fee_params.min_gas_price_ngonka` (0 on mainnet today: no fee).
   */
  gasPrice?: number | string;
  /** How long to wait for inclusion, ms (default 60 000). */
  confirmTimeoutMs: number;
  /** Poll interval while waiting, ms (default 500). */
  pollIntervalMs: number;
  /**
   * Largest fee signed, in ngonka (default 10 GNK = 10 000 000 000). A tx whose fee (gas × price,
   * or an explicit `fee`) offers more ngonka is refused with {@link FeeCapExceededError}.
   */
  maxFee?: bigint;
  /**
   * Largest gas limit taken from a simulation (default 50 000 000). A node's simulate answer
   * above it is refused ({@link FeeCapExceededError}); a gas limit the caller gives is not capped.
   */
  maxSimulatedGas?: bigint;
}

/** Default {@link TxDefaults.maxFee}: 10 GNK in ngonka. */
export const DEFAULT_MAX_FEE = 10_000_000_000n;
/** Default {@link TxDefaults.maxSimulatedGas}. */
export const DEFAULT_MAX_SIMULATED_GAS = 50_000_000n;

/** How a client checks transactions against the release the node runs. */
export interface NetworkPolicy {
  /** Check each message type against the node's release before signing (default true). */
  releaseCheck: boolean;
  /** Send unchecked when the node's release cannot be determined (default false: refuse). */
  allowUnknownRelease: boolean;
  /** Take this release instead of asking the node. */
  assumeRelease?: ReleaseName;
  /** How long the node's release and the minimum gas price are cached, ms (default 60 000 / 30 000). */
  infoTtlMs: number;
  /** How long the chain's minimum gas price is cached, ms. */
  feeTtlMs: number;
}
