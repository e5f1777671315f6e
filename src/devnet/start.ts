/**
 * `startDevnet`: composes the chain node, the network node's public, admin and ML callback
 * APIs and an MLNode on loopback ports, and stops them all.
 */
import type { DevnetChainView, DevnetModel } from "./chain-view.js";
import { createChainRequestHandler, createChainState, Mempool, type ChainState, type UnknownParamsFields } from "./chain/index.js";
import type { Params as InferenceParams } from "../../generated/proto/inference/inference/params_pb.js";
import { addDevnetParticipant, chainViewOf, endDevnetEpoch } from "./chain-adapter.js";
import { adminApiRoutes } from "./admin-api.js";
import { callbackApiRoutes } from "./callback-api.js";
import { devnetIdentity, type DevnetIdentity } from "./devnet-keys.js";
import { HttpRouteError, jsonBody, startLoopbackServer, type LoopbackServer, type ProxyPolicy, type Route } from "./http-server.js";
import { DEVNET_DEFAULT_MODEL } from "./memory-chain-view.js";
import { createMlNodeApi, type MlNodePocBackend } from "./mlnode-api.js";
import { createEnginePocBackend, type DevnetPocBackendKind } from "./poc-backend.js";
import { PUBLIC_API_MAX_BODY_BYTES, publicApiRoutes } from "./public-api.js";
import { createDevnetState, type DevnetState, type ReceivedPocBatch } from "./state.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import { InvalidArgumentError, TimeoutError } from "../errors.js";
import { lazyDevnetExecutors, startDevnetInferenceValidation, type DevnetInferenceValidation, type DevnetInferenceValidationOptions } from "./inference-validation.js";
import type { DevnetExtraParticipant } from "./public-api.js";
import { createChainClient, type ChainClient } from "../chain/client.js";
import type { ChainContext } from "../chain/context.js";
import { walletFromPrivateKey } from "../chain/keys.js";
import { createPocV2StandIn } from "./poc-v2/mlnode-routes.js";
import { genesisHost, startExtraHost, type DevnetPocV2Host, type DevnetPocV2HostInfo, type DevnetPocV2HostOptions } from "./poc-v2/hosts.js";
import { runDevnetPocV2Stage, type DevnetPocV2StageOptions, type DevnetPocV2StageReport } from "./poc-v2/stage.js";
import { tallyPocV2Stage, type DevnetPocV2Tally } from "./poc-v2/tally.js";

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
  /** Genesis accounts (balances in ngonka, optional PoC voting power). */
  accounts?: { address: string; ngonka?: bigint; power?: bigint }[];
  /** Gov voting period in ms (default 4000; mainnet: 48 h). */
  votingPeriodMs?: number;
  /** Block interval in ms (default 100). */
  blockTimeMs?: number;
  /** Governance models (default one: `Qwen/Qwen2.5-7B-Instruct`). */
  models?: DevnetModel[];
  /** PoC backend of the MLNode: `"cpu"` (default), `"webgpu"`, or your own. */
  poc?: DevnetPocBackendKind | MlNodePocBackend;
  /** MLNode callback period in ms (default 200; the real MLNode uses 5000). */
  pocSendIntervalMs?: number;
  /** Price per token in ngonka for the inference escrow check (default 0 = free). */
  pricePerToken?: bigint;
  /** Replace the chain with your own view (no chain node is started then; `/chain-*` paths are absent). */
  chainView?: DevnetChainView;
  /**
   * The public entry's nginx behaviour. Default: the stock CORS headers, **no** rate limits and no
   * blocked routes (a real node limits `/v1` to 10 requests/minute per IP and `/chain-*` to
   * 20/minute, and blocks `poc-batches`; turn that on with `{ rateLimit: true, blockedRoutes: ["poc-batches"] }`).
   */
  proxy?: ProxyPolicy;
  /**
   * PoC version: 2 (default, as mainnet since v0.2.9: v2 commits, distributions and validations,
   * `MsgSubmitPocBatch` refused, the callback server serves only `/v2/poc-batches/…`, stages run by
   * `devnet.runPocV2Stage()`) or 1 (`poc_v2_enabled = false`, `MsgSubmitPocBatch` accepted, the v1
   * callbacks `/v1/poc-batches/…` served, epochs weigh v1 batches).
   */
  pocVersion?: 1 | 2;
  /**
   * Extra PoC v2 hosts (participants with their own key, network-node pieces and stand-in MLNode,
   * each on its own loopback ports), registered as active participants at genesis. One may be
   * `dishonest` (its stand-in computes another "model"). Keep a dishonest host's power below a
   * third of the total, or honest hosts lose their 2/3 majority.
   */
  hosts?: Omit<DevnetPocV2HostOptions, "granter">[];
  /** Generation speed of each stand-in MLNode in nonces per second (default 50). */
  pocNoncesPerSecond?: number;
  /** How often the hosts' network nodes commit during a PoC v2 stage, ms (default 500; mainnet 5000). */
  pocCommitIntervalMs?: number;
  /** `fee_params.min_gas_price_ngonka` at genesis (default 0, as on mainnet). */
  minGasPriceNgonka?: bigint;
  /** Application version the node reports (`abci_info`, `node_info`; default `v0.2.13`). */
  appVersion?: string;
  /** Edits the genesis inference params before the chain starts (e.g. longer PoC windows, gates). */
  editParams?: (params: InferenceParams) => void;
  /** Test hook: params fields the SDK does not know (see {@link UnknownParamsFields}). */
  unknownParamsFields?: UnknownParamsFields;
  /**
   * The transfer-agent allow-list: written to the chain params' `transfer_agent_access_params`
   * at genesis, and what the public API checks (403 "Transfer Agent not allowed"; read from the
   * chain params on each request, as a node follows them). Default empty (open).
   */
  allowedTransferAddresses?: readonly string[];
  /** More entries of `/v1/epochs/current/participants` (participants that run elsewhere). */
  extraParticipants?: readonly DevnetExtraParticipant[];
  /**
   * Inference validation played out (docs/devnet.md): executors (one may cheat), the devnet's
   * validator nodes sampling, re-running, scoring and voting, the chain deciding. Off by default.
   */
  inferenceValidation?: DevnetInferenceValidationOptions;
}

/** A running devnet. */
export interface Devnet {
  /** Public entry: `/v1/…`, `/api/v1/…`, `/chain-rpc/…`, `/chain-api/…`, `/chain-grpc/…`. */
  url: string;
  /** Admin API base (`{adminUrl}/admin/v1/nodes`). */
  adminUrl: string;
  /** MLNode base (`{mlnodeUrl}/api/v1/state`). */
  mlnodeUrl: string;
  /** The PoC v1 callback URL to give MLNodes in `pow/init` requests (`…/v1/poc-batches`; served with `pocVersion: 1`). */
  pocCallbackUrl: string;
  /** The ML callback server's base: PoC v2 MLNodes post to `{base}/v2/poc-batches/{model escaped twice}/generated`. */
  pocCallbackBaseUrl: string;
  /** The PoC version the chain runs. */
  pocVersion: 1 | 2;
  /**
   * The PoC v2 hosts the devnet runs: its own participant (`"devnet"`: the public, admin, callback
   * and MLNode ports above) and the extra `hosts`.
   */
  hosts: readonly DevnetPocV2HostInfo[];
  /**
   * Starts one more PoC v2 host (network-node pieces and a stand-in MLNode on new loopback ports)
   * that {@link runPocV2Stage} runs too. With your own `signer` (or a warm key and `granter`),
   * register the participant yourself with `inference_url` = the returned `url`.
   */
  addHost(options: DevnetPocV2HostOptions): Promise<DevnetPocV2HostInfo>;
  /**
   * Runs one PoC v2 stage like mainnet (starting two blocks from now): every host generates with
   * its MLNodes' stand-in model, commits, validates every commit and votes; resolves with the
   * chain's tally. Then `endEpoch()` turns the tally into weights.
   */
  runPocV2Stage(options?: DevnetPocV2StageOptions): Promise<DevnetPocV2StageReport>;
  /** The chain's PoC v2 tally of a stage (default the current one): per (participant, model), votes and weight. */
  pocV2Tally(stage?: bigint): DevnetPocV2Tally[];
  /** Chain id. */
  chainId: string;
  /** The devnet's own participant (transfer agent); its keys are devnet-only. */
  participant: Pick<DevnetIdentity, "address" | "validatorKey">;
  /** What the chain looks like to the network-node APIs. */
  chain: DevnetChainView;
  /** The network node's in-memory state (nodes, PoC batches, inferences). */
  state: DevnetState;
  /** The chain node's state (read and edit freely); absent with a custom `chainView`. */
  chainState?: ChainState;
  /** Faucet: adds `ngonka` to an account (creating it). */
  fund(address: string, ngonka: bigint): void;
  /** Commits a block now (blocks are also produced every `blockTimeMs`). */
  produceBlock(): void;
  /**
   * Ends the epoch the devnet way: each participant's weight (and voting power) becomes the
   * number of valid nonces it delivered for the current PoC stage; a new PoC stage starts at the
   * current height. Returns the weights by address.
   */
  endEpoch(): Map<string, bigint>;
  /**
   * The current PoC stage as an API node would describe it to its MLNodes: the epoch, the stage's
   * start height and that block's hash (devnet blocks have no CometBFT hash; the devnet uses the
   * upper-case hex SHA-256 of `"<chain-id>/<height>"`).
   */
  pocStage(): { epochIndex: bigint; blockHeight: bigint; blockHash: string };
  /** Resolves once at least `count` generated batches for `height` arrived (default any height, 1). */
  waitForPocBatches(opts?: { height?: number; count?: number; timeoutMs?: number }): Promise<ReceivedPocBatch[]>;
  /** Stops every server and background task; resolves when every port is free. */
  stop(): Promise<void>;
  /** The executors and validator nodes, with `inferenceValidation`. */
  inferenceValidation?: DevnetInferenceValidation;
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
  const pocVersion = options.pocVersion ?? 2;
  if (pocVersion !== 1 && pocVersion !== 2) throw new InvalidArgumentError("pocVersion", `expected 1 or 2, got ${String(pocVersion)}`);
  const hostNames = new Set(["devnet"]);
  for (const h of options.hosts ?? []) {
    if (typeof h?.name !== "string" || h.name === "" || hostNames.has(h.name)) throw new InvalidArgumentError("hosts[].name", `each host needs a unique name other than "devnet" (got ${JSON.stringify(h?.name)})`);
    hostNames.add(h.name);
  }
  if ((options.hosts?.length ?? 0) > 0 && (pocVersion !== 2 || options.chainView)) throw new InvalidArgumentError("hosts", "extra PoC v2 hosts need the devnet's chain with pocVersion 2");
  const models = options.models ?? [DEVNET_DEFAULT_MODEL];
  const chainState = options.chainView
    ? undefined
    : createChainState({
        chainId: options.chainId ?? "gonka-devnet",
        votingPeriodMs: options.votingPeriodMs ?? 4000,
        accounts: (options.accounts ?? []).map((a) => ({
          address: a.address,
          coins: [{ denom: "ngonka", amount: a.ngonka ?? 0n }],
          ...(a.power !== undefined ? { power: a.power } : {}),
        })),
        models: models.map((m) => m.id),
        pocVersion,
        ...(options.minGasPriceNgonka !== undefined ? { minGasPriceNgonka: options.minGasPriceNgonka } : {}),
        ...(options.appVersion ? { appVersion: options.appVersion } : {}),
        ...(options.unknownParamsFields ? { unknownParamsFields: options.unknownParamsFields } : {}),
      });
  if (chainState) {
    chainState.epoch = { index: 1n, pocStartBlockHeight: 1n };
    const ta = chainState.inferenceParams.transferAgentAccessParams;
    if (options.allowedTransferAddresses && ta) ta.allowedTransferAddresses = [...options.allowedTransferAddresses];
    options.editParams?.(chainState.inferenceParams);
  }
  if (options.inferenceValidation && !chainState) throw new InvalidArgumentError("inferenceValidation", "needs the devnet's chain (not a custom chainView)");
  let validation: DevnetInferenceValidation | undefined;
  const chain = options.chainView ?? chainViewOf(chainState!, models);
  const mempool = chainState ? new Mempool(chainState, {}) : undefined;
  const chainHandler = chainState && mempool ? createChainRequestHandler(chainState, mempool, {}) : undefined;
  let blockTimer: ReturnType<typeof setInterval> | undefined;
  const state = createDevnetState();
  const servers: LoopbackServer[] = [];
  const backend = typeof options.poc === "object" ? options.poc : createEnginePocBackend(options.poc ?? "cpu");
  const standIn = { sendIntervalMs: options.pocSendIntervalMs ?? 200, ...(options.pocNoncesPerSecond !== undefined ? { noncesPerSecond: options.pocNoncesPerSecond } : {}) };
  const mlnode = createMlNodeApi({ backend, sendIntervalMs: options.pocSendIntervalMs ?? 200, pocV2: createPocV2StandIn(standIn) });
  let publicUrl = "";
  // The network node's own chain client (its PoC v2 flows and proof-route authoriser); made once the public port is known.
  let chainClient: ChainClient | undefined;
  const lazyChain = {
    get transport() {
      return chainClient!.transport;
    },
    get rpc() {
      return chainClient!.rpc;
    },
  } as unknown as ChainContext;
  const own = chainState ? genesisHost(walletFromPrivateKey(identity.accountKey), state, "", standIn) : undefined;
  const extraHosts: DevnetPocV2Host[] = [];
  let stageRun: { abort: AbortController; done: Promise<unknown> } | undefined;
  try {
    const pub = await startLoopbackServer({
      port: options.port ?? 0,
      routes: [
        // PoC v2 proof routes of the devnet's own network node, ahead of the public API's 503 placeholders
        ...(own ? own.proofRoutes(lazyChain) : []),
        ...publicApiRoutes({
          chain,
          state,
          transferAgentAddress: identity.address,
          transferAgentValidatorKey: identity.validatorKey,
          publicUrl: () => publicUrl,
          pricePerToken: options.pricePerToken,
          allowedTransferAddresses: chainState
            ? () => chainState.inferenceParams.transferAgentAccessParams?.allowedTransferAddresses ?? []
            : (options.allowedTransferAddresses ?? []),
          ...(options.extraParticipants ? { extraParticipants: options.extraParticipants } : {}),
          ...(options.inferenceValidation ? { executors: lazyDevnetExecutors(() => validation) } : {}),
        }),
        { method: "GET", pattern: "/health", handler: () => ({ text: "healthy\n" }) },
        ...faucetRoutes(chainState),
      ],
      proxy: options.proxy ?? { cors: true },
      maxBodyBytes: PUBLIC_API_MAX_BODY_BYTES,
      ...(chainHandler ? { prehandler: chainHandler } : {}),
    });
    servers.push(pub);
    publicUrl = pub.url;
    if (chainState) chainClient = createChainClient({ url: pub.url, chainId: chainState.chainId, pollIntervalMs: 50 });
    if (chainState && mempool) {
      addDevnetParticipant(chainState, identity, pub.url, 10n);
      const blockTimeMs = options.blockTimeMs ?? 100;
      blockTimer = setInterval(() => mempool.produceBlock(), blockTimeMs);
      blockTimer.unref();
      if (options.inferenceValidation) {
        validation = startDevnetInferenceValidation({ chainState, url: pub.url, chainId: chainState.chainId, transferAgent: identity, options: options.inferenceValidation });
      }
    }
    const admin = await startLoopbackServer({ port: options.adminPort ?? 0, routes: adminApiRoutes({ chain, state }) });
    servers.push(admin);
    const ml = await startLoopbackServer({ port: options.mlnodePort ?? 0, routes: mlnode.routes, dialect: "fastapi" });
    servers.push(ml);
    const cb = await startLoopbackServer({
      port: options.callbackPort ?? 0,
      routes: callbackApiRoutes(state, { pocV1: pocVersion === 1, ...(own && chainState ? { v2Store: own.callbackStore(chainState) } : {}) }),
    });
    servers.push(cb);
    if (own) {
      own.url = pub.url;
      own.adminUrl = admin.url;
      own.callbackUrl = cb.url;
      own.pool[0]!.url = ml.url;
    }
    const startHost = async (o: DevnetPocV2HostOptions): Promise<DevnetPocV2Host> => {
      if (!chainState || !chainClient || pocVersion !== 2) throw new InvalidArgumentError("addHost", "PoC v2 hosts need the devnet's chain with pocVersion 2");
      if (typeof o?.name !== "string" || o.name === "" || [own, ...extraHosts].some((h) => h?.name === o.name)) throw new InvalidArgumentError("name", `each host needs a unique name other than "devnet" (got ${JSON.stringify(o?.name)})`);
      const signer = o.signer ?? walletFromPrivateKey(devnetIdentity(`gonka-devnet-host/${o.name}`).accountKey);
      const h = await startExtraHost({ ...o, signer }, { chain: chainClient, chainState, chainView: chain, settings: standIn });
      extraHosts.push(h);
      return h;
    };
    for (const o of options.hosts ?? []) {
      const id = devnetIdentity(`gonka-devnet-host/${o.name}`);
      const h = await startHost(o);
      addDevnetParticipant(chainState!, { ...id, address: h.address, accountPubkey: h.signer.publicKey }, h.url, o.power ?? 10n);
    }

    let stopped: Promise<void> | undefined;
    return {
      url: pub.url,
      adminUrl: admin.url,
      mlnodeUrl: ml.url,
      pocCallbackUrl: `${cb.url}/v1/poc-batches`,
      pocCallbackBaseUrl: cb.url,
      pocVersion,
      get hosts() {
        return [...(own ? [own] : []), ...extraHosts];
      },
      addHost: async (o) => startHost(o),
      async runPocV2Stage(o = {}) {
        if (!chainState || !chainClient || !own) throw new InvalidArgumentError("runPocV2Stage", "a custom chain view runs no PoC");
        if (stageRun) throw new InvalidArgumentError("runPocV2Stage", "a PoC v2 stage is already running; await it first");
        const abort = new AbortController();
        const stop = () => abort.abort(o.signal?.reason);
        o.signal?.addEventListener("abort", stop, { once: true });
        const done = runDevnetPocV2Stage(
          { chain: chainClient, chainState, hosts: [own, ...extraHosts], commitIntervalMs: options.pocCommitIntervalMs ?? 500 },
          { ...o, signal: abort.signal },
        );
        stageRun = { abort, done: done.catch(() => undefined) };
        try {
          return await done;
        } finally {
          stageRun = undefined;
          o.signal?.removeEventListener("abort", stop);
        }
      },
      pocV2Tally(stage) {
        if (!chainState) throw new InvalidArgumentError("chainView", "a custom chain view has no PoC tally");
        return tallyPocV2Stage(chainState, stage ?? chainState.epoch.pocStartBlockHeight);
      },
      chainId: chain.chainId,
      participant: { address: identity.address, validatorKey: identity.validatorKey },
      chain,
      state,
      ...(chainState ? { chainState } : {}),
      ...(validation ? { inferenceValidation: validation } : {}),
      fund(address, ngonka) {
        if (!chainState) throw new InvalidArgumentError("chainView", "a custom chain view has no faucet");
        chainState.fund(address, [{ denom: "ngonka", amount: ngonka }]);
      },
      produceBlock() {
        mempool?.produceBlock();
      },
      endEpoch() {
        if (!chainState) throw new InvalidArgumentError("chainView", "a custom chain view has no epochs");
        return endDevnetEpoch(chainState, state, DEFAULT_R_TARGET);
      },
      pocStage() {
        const { index, pocStartBlockHeight } = chain.epoch();
        const digest = sha256(new TextEncoder().encode(`${chain.chainId}/${pocStartBlockHeight}`));
        return { epochIndex: index, blockHeight: pocStartBlockHeight, blockHash: hex.encode(digest).toUpperCase() };
      },
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
          if (stageRun) {
            stageRun.abort.abort();
            await stageRun.done;
          }
          if (blockTimer) clearInterval(blockTimer);
          await validation?.stop();
          await mlnode.stop();
          await Promise.all(extraHosts.map((h) => h.close()));
          chainClient?.close();
          await Promise.all(servers.map((s) => s.close()));
        })();
        return stopped;
      },
    };
  } catch (e) {
    if (blockTimer) clearInterval(blockTimer);
    await validation?.stop();
    await mlnode.stop();
    await Promise.all(extraHosts.map((h) => h.close()));
    chainClient?.close();
    await Promise.all(servers.map((s) => s.close()));
    throw e;
  }
}

/** The network's default r_target (poc.md §4). */
const DEFAULT_R_TARGET = 1.4013564660458173;

/** `POST /devnet/faucet {"address","amount"}`: funds an account on the devnet chain (devnet only). */
function faucetRoutes(chainState: ChainState | undefined): Route[] {
  if (!chainState) return [];
  return [
    {
      method: "POST",
      pattern: "/devnet/faucet",
      handler: (ctx) => {
        const body = jsonBody<{ address?: unknown; amount?: unknown }>(ctx);
        const address = typeof body.address === "string" ? body.address : "";
        const amount = typeof body.amount === "string" || typeof body.amount === "number" ? String(body.amount) : "1000000000000";
        if (!/^gonka1[02-9ac-hj-np-z]{38,58}$/.test(address) || !/^\d+$/.test(amount)) {
          throw new HttpRouteError(400, { error: "expected {\"address\": \"gonka1…\", \"amount\": \"<ngonka>\"}" });
        }
        chainState.fund(address, [{ denom: "ngonka", amount: BigInt(amount) }]);
        return { json: { address, amount, balance: chainState.balance(address, "ngonka").toString() } };
      },
    },
  ];
}
