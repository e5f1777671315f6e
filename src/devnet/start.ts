/**
 * `startDevnet`: composes the chain node, the network node's public, admin and ML callback
 * APIs and an MLNode on loopback ports, and stops them all.
 */
import type { DevnetChainView } from "./chain-view.js";
import { adminApiRoutes } from "./admin-api.js";
import { callbackApiRoutes } from "./callback-api.js";
import { devnetIdentity, type DevnetIdentity } from "./devnet-keys.js";
import { startLoopbackServer, type LoopbackServer } from "./http-server.js";
import { createMemoryChainView } from "./memory-chain-view.js";
import { createMlNodeApi, type MlNodePocBackend } from "./mlnode-api.js";
import { createEnginePocBackend, type DevnetPocBackendKind } from "./poc-backend.js";
import { publicApiRoutes } from "./public-api.js";
import { createDevnetState, type DevnetState, type ReceivedPocBatch } from "./state.js";
import { TimeoutError } from "../errors.js";

/** Options of {@link startDevnet}. */
export interface DevnetOptions {
  /** Port of the public entry (like a node's :8000: `/v1`, `/api/v1`, `/chain-rpc`, `/chain-api`, `/chain-grpc`); 0 = any free port. */
  port?: number;
  /** Port of the admin API (like :9200); default any free port. */
  adminPort?: number;
  /** Port of the MLNode API (like :8080); default any free port. */
  mlnodePort?: number;
  /** Port of the ML callback server (like :9100); default any free port. */
  callbackPort?: number;
  /** Chain id (default `gonka-devnet`). */
  chainId?: string;
  /** PoC backend of the MLNode: `"cpu"` (default), `"webgpu"`, or your own. */
  poc?: DevnetPocBackendKind | MlNodePocBackend;
  /** MLNode callback period in ms (default 200; the real MLNode uses 5000). */
  pocSendIntervalMs?: number;
  /** Price per token in ngonka for the inference escrow check (default 0 = free). */
  pricePerToken?: bigint;
  /** Replace the chain with your own view (no chain node is started then). */
  chainView?: DevnetChainView;
}

/** A running devnet. */
export interface Devnet {
  /** Public entry: `/v1/…`, `/api/v1/…`, `/chain-rpc/…`, `/chain-api/…`, `/chain-grpc/…`. */
  url: string;
  /** Admin API base (`{adminUrl}/admin/v1/nodes`). */
  adminUrl: string;
  /** MLNode base (`{mlnodeUrl}/api/v1/state`). */
  mlnodeUrl: string;
  /** The callback URL to give MLNodes in `init` requests (`…/v1/poc-batches`). */
  pocCallbackUrl: string;
  /** Chain id. */
  chainId: string;
  /** The devnet's own participant (transfer agent); its keys are devnet-only. */
  participant: Pick<DevnetIdentity, "address" | "validatorKey">;
  /** What the chain looks like to the network-node APIs. */
  chain: DevnetChainView;
  /** The network node's in-memory state (nodes, PoC batches, inferences). */
  state: DevnetState;
  /** Resolves once at least `count` generated batches for `height` arrived (default any height, 1). */
  waitForPocBatches(opts?: { height?: number; count?: number; timeoutMs?: number }): Promise<ReceivedPocBatch[]>;
  /** Stops every server and background task; resolves when every port is free. */
  stop(): Promise<void>;
}

/**
 * Starts the devnet on loopback.
 *
 * @example
 * ```ts
 * const devnet = await startDevnet({ port: 8000 });
 * const res = await fetch(`${devnet.url}/v1/epochs/current/participants`);
 * await devnet.stop();
 * ```
 */
export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const identity = devnetIdentity();
  const chain = options.chainView ?? createMemoryChainView({ chainId: options.chainId });
  const state = createDevnetState();
  const servers: LoopbackServer[] = [];
  const backend = typeof options.poc === "object" ? options.poc : createEnginePocBackend(options.poc ?? "cpu");
  const mlnode = createMlNodeApi({ backend, sendIntervalMs: options.pocSendIntervalMs ?? 200 });
  let publicUrl = "";
  try {
    const pub = await startLoopbackServer({
      port: options.port ?? 0,
      routes: [
        ...publicApiRoutes({
          chain,
          state,
          transferAgentAddress: identity.address,
          transferAgentValidatorKey: identity.validatorKey,
          publicUrl: () => publicUrl,
          pricePerToken: options.pricePerToken,
        }),
        { method: "GET", pattern: "/health", handler: () => ({ text: "healthy\n" }) },
      ],
    });
    servers.push(pub);
    publicUrl = pub.url;
    const admin = await startLoopbackServer({ port: options.adminPort ?? 0, routes: adminApiRoutes({ chain, state }) });
    servers.push(admin);
    const ml = await startLoopbackServer({ port: options.mlnodePort ?? 0, routes: mlnode.routes, dialect: "fastapi" });
    servers.push(ml);
    const cb = await startLoopbackServer({ port: options.callbackPort ?? 0, routes: callbackApiRoutes(state) });
    servers.push(cb);

    let stopped: Promise<void> | undefined;
    return {
      url: pub.url,
      adminUrl: admin.url,
      mlnodeUrl: ml.url,
      pocCallbackUrl: `${cb.url}/v1/poc-batches`,
      chainId: chain.chainId,
      participant: { address: identity.address, validatorKey: identity.validatorKey },
      chain,
      state,
      waitForPocBatches({ height, count = 1, timeoutMs = 60_000 } = {}) {
        const pick = () => state.pocBatches.filter((b) => height === undefined || b.block_height === height);
        return new Promise((resolve, reject) => {
          const check = () => {
            const got = pick();
            if (got.length < count) return;
            cleanup();
            resolve(got);
          };
          const timer = setTimeout(() => {
            cleanup();
            reject(new TimeoutError("waiting for PoC batches", timeoutMs));
          }, timeoutMs);
          const cleanup = () => {
            clearTimeout(timer);
            state.batchListeners.delete(check);
          };
          state.batchListeners.add(check);
          check();
        });
      },
      stop() {
        stopped ??= (async () => {
          await mlnode.stop();
          await Promise.all(servers.map((s) => s.close()));
        })();
        return stopped;
      },
    };
  } catch (e) {
    await mlnode.stop();
    await Promise.all(servers.map((s) => s.close()));
    throw e;
  }
}
