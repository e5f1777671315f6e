/**
 * The devnet's PoC v2 hosts: each one a participant key, its network node's PoC v2 pieces (the
 * artifact store fed by the `/v2/poc-batches/{model}/generated` callbacks, the signed proof routes
 * `POST /v1/poc/proofs` and `GET /v1/poc/artifacts/state` from the flows' proof server, an admin
 * API for its MLNodes) and stand-in MLNodes — all on loopback. The devnet's own participant is
 * host 0 (its pieces live on the devnet's public, admin, callback and MLNode ports); extra hosts
 * get their own ports.
 * @module
 */
import type { TxSigner } from "../../chain/keys.js";
import type { ChainContext } from "../../chain/context.js";
import { createMlNodeClient } from "../../mlnode/index.js";
import { InvalidArgumentError, messageOf } from "../../errors.js";
import { chainProofAuthorizer, createPocV2ProofHandler, PocV2ArtifactStore } from "../../poc/v2/index.js";
import { adminApiRoutes } from "../admin-api.js";
import { callbackApiRoutes, type CallbackV2Store, type ValidatedResult } from "../callback-api.js";
import type { ChainState } from "../chain/index.js";
import type { DevnetChainView } from "../chain-view.js";
import { HttpRouteError, startLoopbackServer, type LoopbackServer, type Route } from "../http-server.js";
import { createMlNodeApi, type MlNodeApi } from "../mlnode-api.js";
import { createEnginePocBackend } from "../poc-backend.js";
import { createDevnetState, type DevnetNode, type DevnetState } from "../state.js";
import { fetchRoute } from "./fetch-route.js";
import { createPocV2StandIn } from "./mlnode-routes.js";
import { checkHonesty, type StandInHonesty } from "./stand-in.js";

/** What the devnet tells about one of its PoC v2 hosts. */
export interface DevnetPocV2HostInfo {
  /** A label (`"devnet"` for the devnet's own participant). */
  readonly name: string;
  /** The participant (account) address: `granter` when the host signs with a warm key. */
  readonly address: string;
  /** The address that signs its commits, votes and proof answers. */
  readonly signerAddress: string;
  /** Its network node's public URL (`/v1/poc/proofs`, `/v1/poc/artifacts/state`): the participant's `inference_url`. */
  readonly url: string;
  /** Its admin API (`{adminUrl}/admin/v1/nodes`): MLNodes registered there generate and validate for it. */
  readonly adminUrl: string;
  /** Its ML callback server base (`{callbackUrl}/v2/poc-batches/{model}/generated`). */
  readonly callbackUrl: string;
  /** Its stand-in MLNodes (more are started when a stage needs one per PoC model). */
  readonly mlnodeUrls: readonly string[];
  /** `false`, or how its stand-in cheats (`true`: every artifact is of another "model"; a number: that fraction). */
  readonly dishonest: StandInHonesty;
  /** Its artifact stores (one per stage and model, in memory). */
  readonly store: PocV2ArtifactStore;
  /** Its network node's MLNode registry (the admin API's state). */
  readonly nodes: DevnetState;
  /** Verdicts its MLNodes posted to `/v2/poc-batches/{model}/validated`. */
  readonly validated: readonly (ValidatedResult & { modelId: string })[];
}

/** Options of an extra host (`startDevnet({ hosts })`, `devnet.addHost`). */
export interface DevnetPocV2HostOptions {
  /** A label, unique within the devnet. */
  name: string;
  /**
   * Signs its commits, votes and proof answers. Default: a devnet-only key derived from `name`
   * (funded and registered as an active participant at genesis by `startDevnet({ hosts })`).
   * With `devnet.addHost` you may pass your own wallet (or a warm key with `granter`): then you
   * register the participant yourself, with `url` = the returned `url`.
   */
  signer?: TxSigner;
  /** The participant's account when `signer` is its ML-ops (warm) key holding the grants. */
  granter?: string;
  /** Cheat: `true` (every artifact of another "model") or the fraction of forged nonces. Default honest. */
  dishonest?: StandInHonesty;
  /** Genesis voting power (`startDevnet({ hosts })` only; default 10, like the devnet's participant). */
  power?: bigint;
  /** Stand-in MLNodes to start with (default 1; register several for one model on its admin API to split generation). */
  mlnodes?: number;
}

/** Settings shared by every host's stand-in MLNodes. */
export interface StandInSettings {
  noncesPerSecond?: number;
  sendIntervalMs?: number;
}

/** A running stand-in MLNode. */
interface StandInMlNode {
  url: string;
  api?: MlNodeApi;
  server?: LoopbackServer;
}

/** A host the devnet runs (internal). */
export class DevnetPocV2Host implements DevnetPocV2HostInfo {
  readonly store = new PocV2ArtifactStore();
  readonly validated: (ValidatedResult & { modelId: string })[] = [];
  readonly pool: StandInMlNode[] = [];
  readonly servers: LoopbackServer[] = [];
  url = "";
  adminUrl = "";
  callbackUrl = "";

  constructor(
    readonly name: string,
    readonly signer: TxSigner,
    readonly granter: string | undefined,
    readonly dishonest: StandInHonesty,
    readonly nodes: DevnetState,
    private readonly settings: StandInSettings,
  ) {}

  get address(): string {
    return this.granter ?? this.signer.address;
  }
  get signerAddress(): string {
    return this.signer.address;
  }
  get mlnodeUrls(): string[] {
    return this.pool.map((m) => m.url);
  }

  /** The proof routes of its public API (also under `/api`). */
  proofRoutes(chain: ChainContext): Route[] {
    const handler = createPocV2ProofHandler({ store: this.store, signer: this.signer, authorize: chainProofAuthorizer(chain, { ttlMs: 5_000 }) });
    return ["", "/api"].flatMap((prefix) => [
      fetchRoute("POST", `${prefix}/v1/poc/proofs`, handler, "/v1/poc/proofs"),
      fetchRoute("GET", `${prefix}/v1/poc/artifacts/state`, handler, "/v1/poc/artifacts/state"),
    ]);
  }

  /**
   * Where its callback server puts artifacts: the store of (block_height, model), accepted only for
   * the chain's current PoC stage until its exchange window closes (else 503, as the node outside
   * the generate phase).
   */
  callbackStore(chainState: ChainState): CallbackV2Store {
    return {
      generated: async (modelId, batch) => {
        const stage = chainState.epoch.pocStartBlockHeight;
        const e = chainState.inferenceParams.epochParams;
        const end = stage + BigInt(e?.pocStageDuration ?? 0n) + BigInt(e?.pocExchangeDuration ?? 0n);
        if (BigInt(batch.block_height) !== stage || chainState.height > end) throw new HttpRouteError(503, { error: "not in PoC generate phase" });
        const r = await this.store.add(stage, modelId, String(batch.node_id), batch.artifacts);
        if (r.invalid > 0 && r.added === 0 && r.duplicates === 0) throw new HttpRouteError(400, { error: `invalid artifact vectors (${r.invalid})` });
      },
      validated: (modelId, result) => void this.validated.push({ ...result, modelId }),
    };
  }

  /** Starts one more stand-in MLNode for this host. */
  async addStandIn(): Promise<StandInMlNode> {
    const api = createMlNodeApi({
      backend: createEnginePocBackend("cpu"),
      sendIntervalMs: this.settings.sendIntervalMs ?? 200,
      pocV2: createPocV2StandIn({ dishonest: this.dishonest, ...(this.settings.noncesPerSecond ? { noncesPerSecond: this.settings.noncesPerSecond } : {}), sendIntervalMs: this.settings.sendIntervalMs ?? 200 }),
    });
    let server: LoopbackServer;
    try {
      server = await startLoopbackServer({ port: 0, routes: api.routes, dialect: "fastapi" });
    } catch (e) {
      await api.stop();
      throw e;
    }
    const m = { url: server.url, api, server };
    this.pool.push(m);
    return m;
  }

  /** Stops its stand-in MLNodes and servers (not the devnet's shared ones). */
  async close(): Promise<void> {
    await Promise.all(this.pool.map((m) => m.api?.stop()));
    await Promise.all([...this.pool.map((m) => m.server?.close()), ...this.servers.map((s) => s.close())]);
  }
}

/** The devnet's own participant as host 0: its pieces are mounted on the devnet's own servers. */
export function genesisHost(signer: TxSigner, nodes: DevnetState, mlnodeUrl: string, settings: StandInSettings): DevnetPocV2Host {
  const h = new DevnetPocV2Host("devnet", signer, undefined, false, nodes, settings);
  h.pool.push({ url: mlnodeUrl });
  return h;
}

/**
 * Starts an extra host: one network-node server (proof routes, `/v2/poc-batches` callbacks, admin
 * API, `/health`) and one stand-in MLNode.
 */
export async function startExtraHost(
  o: DevnetPocV2HostOptions & { signer: TxSigner },
  ctx: { chain: ChainContext; chainState: ChainState; chainView: DevnetChainView; settings: StandInSettings },
): Promise<DevnetPocV2Host> {
  const host = new DevnetPocV2Host(o.name, o.signer, o.granter, checkHonesty(o.dishonest, "hosts[].dishonest"), createDevnetState(), ctx.settings);
  try {
    const server = await startLoopbackServer({
      port: 0,
      routes: [
        ...host.proofRoutes(ctx.chain),
        ...callbackApiRoutes(host.nodes, { pocV1: false, v2Store: host.callbackStore(ctx.chainState) }),
        ...adminApiRoutes({ chain: ctx.chainView, state: host.nodes }),
        { method: "GET", pattern: "/health", handler: () => ({ text: "healthy\n" }) },
      ],
    });
    host.servers.push(server);
    host.url = host.adminUrl = host.callbackUrl = server.url;
    const n = o.mlnodes ?? 1;
    if (!Number.isSafeInteger(n) || n < 1 || n > 16) throw new InvalidArgumentError("mlnodes", `expected 1 to 16 stand-in MLNodes, got ${String(o.mlnodes)}`);
    for (let i = 0; i < n; i++) await host.addStandIn();
    return host;
  } catch (e) {
    await host.close();
    throw e;
  }
}

/** `http://host:port[segment]` of a registered MLNode's management API. */
export function nodeUrl(n: DevnetNode): string {
  return `http://${n.config.host}:${n.config.poc_port}${n.config.poc_segment ?? ""}`;
}

/**
 * The MLNodes a host uses for `modelId` this stage: every enabled MLNode registered on its admin
 * API that lists the model (and is not used for another model), else one of its stand-ins not yet
 * used this stage (registered now, as an operator would), else a new stand-in.
 */
export async function mlNodesFor(host: DevnetPocV2Host, modelId: string, used: Set<string>, epochIndex: bigint): Promise<DevnetNode[]> {
  const registered = [...host.nodes.nodes.values()].filter((n) => n.enabled && modelId in n.config.models && !used.has(nodeUrl(n)));
  if (registered.length > 0) {
    for (const n of registered) used.add(nodeUrl(n));
    return registered;
  }
  const known = new Set([...host.nodes.nodes.values()].map(nodeUrl));
  const free = host.pool.find((m) => !used.has(m.url) && !known.has(m.url)) ?? (await host.addStandIn());
  used.add(free.url);
  const u = new URL(free.url);
  const id = `stand-in-${host.pool.indexOf(free) + 1}`;
  const node: DevnetNode = {
    config: {
      id, host: u.hostname, poc_port: Number(u.port), inference_port: Number(u.port), models: { [modelId]: { args: [] } }, max_concurrent: 100,
      hardware: [{ type: "devnet stand-in model (no GPU)", count: 1 }],
    },
    nodeNum: host.nodes.nextNodeNum++,
    enabled: true,
    enabledEpoch: epochIndex,
    statusTimestamp: new Date(),
  };
  host.nodes.nodes.set(id, node);
  return [node];
}

/**
 * Brings an MLNode to serving `modelId` (`POST /api/v1/stop`, then `inference/up`), as the
 * network node does before PoC v2, which runs on vLLM.
 */
export async function serveModel(url: string, modelId: string, signal?: AbortSignal): Promise<void> {
  const client = createMlNodeClient({ baseUrl: url, retries: 0 });
  const o = signal ? { signal } : undefined;
  const st = await client.state(o);
  if (st.state === "INFERENCE" && st.loaded_model === modelId) return;
  try {
    await client.stop(o);
    await client.inferenceUp({ model: modelId, dtype: "bfloat16" }, o);
  } catch (e) {
    throw new InvalidArgumentError("mlnode", `the MLNode at ${url} could not start serving ${modelId}: ${messageOf(e)}`, { cause: e });
  }
}
