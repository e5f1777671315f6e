/**
 * `createAdminClient`: a typed client for the network node's admin API (port 9200, `/admin/v1`).
 * @module
 */
import { InvalidArgumentError } from "../errors.js";
import { createHttpCore, HttpError, pathSegment, s, type FetchLike, type HeadersSource, type RequestOptions, type Shape } from "../http/index.js";
import { NodeBatchRejectedError } from "./errors.js";
import {
  adminStateShape,
  bridgeBlockShape,
  claimRecoverShape,
  nodeBatchPartialShape,
  nodeBatchShape,
  setupReportShape,
  storePayloadsShape,
  nodeConfigShape,
  nodeListShape,
  priceProposalShape,
  reportsShape,
  txResponseShape,
  upgradeStatusShape,
} from "./shapes.js";
import type {
  BlsSignatureRequest,
  BridgeBlockRequest,
  BridgeBlockResponse,
  ClaimRecoverRequest,
  ClaimRecoverResponse,
  Denom,
  InferenceNodeConfig,
  MessageResponse,
  NodeAdminStateResponse,
  NodeResponse,
  RegisterModelRequest,
  SetupReport,
  StorePayloadsRequest,
  StorePayloadsResponse,
  TxJson,
  TxResponse,
  UnitOfComputePriceProposalResponse,
  VersionHealthReports,
} from "./types.js";

/** Options of {@link createAdminClient}. */
export interface AdminClientOptions {
  /** Admin base URL, e.g. `http://127.0.0.1:9200` (the `/admin/v1` prefix is added by the client). */
  baseUrl: string;
  /** Per-attempt time limit in ms (default 30 000). */
  timeoutMs?: number;
  /** Retries for idempotent calls (default 2). */
  retries?: number;
  /** First retry delay in ms, doubled each retry with jitter (default 200). */
  retryDelayMs?: number;
  /** Longest `Retry-After` in ms the client waits for (default 30 000); a longer one is thrown at once as a typed error. */
  maxRetryAfterMs?: number;
  /** Custom fetch. */
  fetch?: FetchLike;
  /** Headers added to every request (e.g. for an authenticating reverse proxy). */
  headers?: HeadersSource;
}

/** Per-call options. */
export interface AdminCallOptions {
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Overrides the time limit (ms). */
  timeoutMs?: number;
  /** Overrides the retries (idempotent calls only). */
  retries?: number;
}

/** Bytes given as base64 text or raw bytes. */
export type BytesInput = string | Uint8Array;

/** Arguments of `bls.request`; bytes may be raw or base64. */
export interface BlsRequestInput {
  /** Current epoch id (number, bigint or decimal string). */
  currentEpochId: number | bigint | string;
  /** Chain id bytes (e.g. the UTF-8 of the chain id, or a 32-byte id). */
  chainId: BytesInput;
  /** Request id bytes. */
  requestId: BytesInput;
  /** Data items to sign. */
  data: BytesInput[];
}

/** What `POST /admin/v1/nodes/batch` accepted: every node (201) or some of them (206). */
export interface NodeBatchResult {
  /** The accepted configs. */
  nodes: InferenceNodeConfig[];
  /** One line per refused entry (`node[i] (id: X): <reason>`); empty when all were accepted. */
  errors: string[];
}

/** Node management routes. */
export interface AdminNodesApi {
  /** `GET /admin/v1/nodes`: every node with its state (incl. `ml_node_version`, `preserved_models`). */
  list(options?: AdminCallOptions): Promise<NodeResponse[]>;
  /**
   * `POST /admin/v1/nodes`: register a node, or update the one with the same `id` (an upsert since
   * v0.2.4); answers the config. 400 for an invalid config or a model that is not a governance model.
   */
  create(config: InferenceNodeConfig, options?: AdminCallOptions): Promise<InferenceNodeConfig>;
  /**
   * `POST /admin/v1/nodes/batch`: 201 when every config was accepted, 206 with `errors` for the
   * refused ones. Throws {@link NodeBatchRejectedError} when the node refused all of them (400).
   */
  createBatch(configs: InferenceNodeConfig[], options?: AdminCallOptions): Promise<NodeBatchResult>;
  /** `PUT /admin/v1/nodes/{id}` (since v0.2.4; same handler as `create`, the body's `id` counts; 405 on older nodes). */
  update(id: string, config: InferenceNodeConfig, options?: AdminCallOptions): Promise<InferenceNodeConfig>;
  /** `DELETE /admin/v1/nodes/{id}`: `true` if removed, `false` if there was no such node. */
  remove(id: string, options?: AdminCallOptions): Promise<boolean>;
  /** `POST /admin/v1/nodes/{id}/enable`. */
  enable(id: string, options?: AdminCallOptions): Promise<NodeAdminStateResponse>;
  /** `POST /admin/v1/nodes/{id}/disable`. */
  disable(id: string, options?: AdminCallOptions): Promise<NodeAdminStateResponse>;
  /**
   * `GET /admin/v1/nodes/upgrade-status` (since v0.2.4): `{message}` when no upgrade plan is
   * active, otherwise node id → `{is_alive, error?}` for the plan's MLNode version.
   */
  upgradeStatus(options?: AdminCallOptions): Promise<MessageResponse | VersionHealthReports>;
  /** `POST /admin/v1/nodes/version-status` (since v0.2.4): node id → `{is_alive, error?}` for `version`. */
  versionStatus(version: string, options?: AdminCallOptions): Promise<VersionHealthReports>;
}

/** A typed admin client; see {@link createAdminClient}. */
export interface AdminClient {
  /** The base URL (without `/admin/v1`). */
  readonly baseUrl: string;
  /** MLNode management. */
  readonly nodes: AdminNodesApi;
  /** The unit-of-compute price proposal of this node. */
  readonly unitOfComputePrice: {
    /** `GET …/unit-of-compute-price-proposal`. */
    get(options?: AdminCallOptions): Promise<UnitOfComputePriceProposalResponse>;
    /** `POST …/unit-of-compute-price-proposal`: broadcast a proposal (price in `denom`, converted to ngonka by the node). */
    propose(price: number, denom?: Denom, options?: AdminCallOptions): Promise<void>;
  };
  /** Models. */
  readonly models: {
    /** `POST /admin/v1/models`: submit a governance proposal registering a model. */
    register(model: RegisterModelRequest, options?: AdminCallOptions): Promise<void>;
  };
  /** Transactions signed with the node's key. */
  readonly tx: {
    /** `POST /admin/v1/tx/send`: the node re-signs the **first** message and broadcasts it. */
    send(tx: TxJson, options?: AdminCallOptions): Promise<TxResponse>;
  };
  /** BLS threshold signatures. */
  readonly bls: {
    /** `POST /admin/v1/bls/request`: request a threshold signature over `data`. */
    request(input: BlsRequestInput, options?: AdminCallOptions): Promise<void>;
  };
  /** Bridge (moved here from the public API in v0.2.5). */
  readonly bridge: {
    /** `POST /admin/v1/bridge/block`: queue an origin-chain block (camelCase body). */
    submitBlock(request: BridgeBlockRequest, options?: AdminCallOptions): Promise<BridgeBlockResponse>;
  };
  /** Operations (since v0.2.4). */
  readonly operations: {
    /** `GET /admin/v1/config`: the whole API-node config (operational details: keep it private). */
    config(options?: AdminCallOptions): Promise<Record<string, unknown>>;
    /** `GET /admin/v1/export/db`: dump of the node's SQLite-backed dynamic config. */
    exportDb(options?: AdminCallOptions): Promise<Record<string, unknown>>;
    /** `GET /admin/v1/setup/report`: the node's setup checks (experimental). */
    setupReport(options?: AdminCallOptions): Promise<SetupReport>;
    /** `POST /admin/v1/claim-reward/recover`: re-run missed validations, then broadcast `MsgClaimRewards`. */
    recoverClaimReward(request: ClaimRecoverRequest, options?: AdminCallOptions): Promise<ClaimRecoverResponse>;
    /** `POST /admin/v1/payloads?inference_id=` (since v0.2.6; a test helper): store an inference's payloads on this node. */
    storePayloads(inferenceId: string, request: StorePayloadsRequest, options?: AdminCallOptions): Promise<StorePayloadsResponse>;
  };
}

const DENOMS: readonly Denom[] = ["ngonka", "ugonka", "mgonka", "gonka"];

function base64Of(bytes: BytesInput, argument: string): string {
  if (typeof bytes === "string") {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(bytes) || bytes.length % 4 !== 0) throw new InvalidArgumentError(argument, "expected standard padded base64 or a Uint8Array");
    return bytes;
  }
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError(argument, "expected a Uint8Array or base64 text");
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function nodeId(id: string): string {
  if (typeof id !== "string" || id === "") throw new InvalidArgumentError("id", "a node id is required");
  return pathSegment(id);
}

/** The network node's validation of a node config (since v0.2.4), checked before sending. */
function checkConfig(config: InferenceNodeConfig, argument = "config"): void {
  if (!config || typeof config !== "object") throw new InvalidArgumentError(argument, "expected an InferenceNodeConfig object");
  if (typeof config.id !== "string" || config.id === "") throw new InvalidArgumentError(`${argument}.id`, "a node id is required");
  if (typeof config.host !== "string" || config.host === "") throw new InvalidArgumentError(`${argument}.host`, "the MLNode host is required");
  for (const port of ["inference_port", "poc_port"] as const)
    if (!Number.isInteger(config[port]) || config[port] < 1 || config[port] > 65535)
      throw new InvalidArgumentError(`${argument}.${port}`, `${String(config[port])} is not a port (1–65535)`);
  if (!Number.isInteger(config.max_concurrent) || config.max_concurrent <= 0)
    throw new InvalidArgumentError(`${argument}.max_concurrent`, `${String(config.max_concurrent)} must be a positive integer (the node refuses 0)`);
  if (!config.models || typeof config.models !== "object" || Object.keys(config.models).length === 0)
    throw new InvalidArgumentError(`${argument}.models`, "at least one governance model id is required, e.g. { \"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8\": { args: [] } }");
}

function adminHint(status: number, body: unknown): string | undefined {
  const error = body && typeof body === "object" ? (body as { error?: unknown }).error : undefined;
  if ((status === 400 || status === 500) && typeof error === "string" && /not valid governance models|error creating new node/.test(error))
    return "Every key of `models` must be a governance model id (GET /v1/governance/models on the public API).";
  if (status === 404 && typeof error === "string" && error.startsWith("node not found")) return "No node has this id; list them with nodes.list().";
  if (status === 404 || status === 405) return "This route is missing on this node (older release?) or baseUrl is wrong: it must be the admin port (9200), without /admin/v1.";
  return undefined;
}

/**
 * Creates a typed client for the admin API of a network node. The admin API has no
 * authentication: keep it on a private network.
 *
 * @example
 * ```ts
 * const admin = createAdminClient({ baseUrl: "http://127.0.0.1:9200" });
 * await admin.nodes.create({ id: "node1", host: "10.0.0.5", inference_port: 5000, poc_port: 8080,
 *   max_concurrent: 500, models: { "Qwen/Qwen2.5-7B-Instruct": { args: [] } } });
 * for (const { node, state } of await admin.nodes.list()) console.log(node.id, state.current_status);
 * ```
 */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const http = createHttpCore(options);
  const P = "/admin/v1";
  const call = <T>(request: RequestOptions<T>, o: AdminCallOptions | undefined): Promise<T> =>
    http.request<T>({ errorHint: adminHint, ...request, ...o });
  const empty = async (request: RequestOptions<unknown>, o: AdminCallOptions | undefined): Promise<void> => {
    await call({ ...request, responseType: "none" }, o);
  };
  const post = <T>(path: string, shape: Shape<T>, body: unknown, o: AdminCallOptions | undefined): Promise<T> =>
    call({ method: "POST", path: `${P}${path}`, shape, ...(body !== undefined ? { body } : {}) }, o);

  const nodes: AdminNodesApi = {
    list: (o) => call({ path: `${P}/nodes`, shape: nodeListShape }, o),
    create: (config, o) => (checkConfig(config), post("/nodes", nodeConfigShape, config, o)),
    async createBatch(configs, o) {
      if (!Array.isArray(configs) || configs.length === 0) throw new InvalidArgumentError("configs", "expected a non-empty array of InferenceNodeConfig");
      let answer: unknown;
      try {
        answer = await call<unknown>({ method: "POST", path: `${P}/nodes/batch`, body: configs }, o);
      } catch (err) {
        const inner = err instanceof HttpError && err.status === 400 ? (err.body as { error?: { errors?: unknown } } | undefined)?.error : undefined;
        if (inner && typeof inner === "object" && Array.isArray(inner.errors)) throw new NodeBatchRejectedError(err as HttpError, inner.errors.map(String));
        throw err;
      }
      if (Array.isArray(answer)) return { nodes: nodeBatchShape.check(answer, "$"), errors: [] };
      return nodeBatchPartialShape.check(answer, "$");
    },
    update: (id, config, o) => {
      const segment = nodeId(id);
      checkConfig(config);
      return call({ method: "PUT", path: `${P}/nodes/${segment}`, body: config, shape: nodeConfigShape, idempotent: true }, o);
    },
    remove: (id, o) => call({ method: "DELETE", path: `${P}/nodes/${nodeId(id)}`, shape: s.boolean(), idempotent: true }, o),
    enable: (id, o) => call({ method: "POST", path: `${P}/nodes/${nodeId(id)}/enable`, shape: adminStateShape, idempotent: true }, o),
    disable: (id, o) => call({ method: "POST", path: `${P}/nodes/${nodeId(id)}/disable`, shape: adminStateShape, idempotent: true }, o),
    upgradeStatus: (o) => call({ path: `${P}/nodes/upgrade-status`, shape: upgradeStatusShape }, o),
    versionStatus: (version, o) => {
      if (typeof version !== "string" || version === "") throw new InvalidArgumentError("version", "a version such as v3.0.8 is required");
      return call({ method: "POST", path: `${P}/nodes/version-status`, body: { version }, shape: reportsShape, idempotent: true }, o);
    },
  };

  return {
    baseUrl: http.baseUrl,
    nodes,
    unitOfComputePrice: {
      get: (o) => call({ path: `${P}/unit-of-compute-price-proposal`, shape: priceProposalShape }, o),
      propose: (price, denom = "ngonka", o) => {
        if (!Number.isSafeInteger(price) || price < 0) throw new InvalidArgumentError("price", `${price} is not a non-negative safe integer`);
        if (!DENOMS.includes(denom)) throw new InvalidArgumentError("denom", `${String(denom)} is not one of ${DENOMS.join(", ")}`);
        return empty({ method: "POST", path: `${P}/unit-of-compute-price-proposal`, body: { price, denom } }, o);
      },
    },
    models: {
      register: (model, o) => {
        if (!model || typeof model.id !== "string" || model.id === "") throw new InvalidArgumentError("model.id", "a model id is required");
        if (!Number.isSafeInteger(model.units_of_compute_per_token) || model.units_of_compute_per_token < 0)
          throw new InvalidArgumentError("model.units_of_compute_per_token", "expected a non-negative safe integer");
        return empty({ method: "POST", path: `${P}/models`, body: model }, o);
      },
    },
    tx: {
      send: (tx, o) => {
        if (!tx?.body || !Array.isArray(tx.body.messages) || tx.body.messages.length === 0)
          throw new InvalidArgumentError("tx.body.messages", "at least one message with an @type is required (only the first is used)");
        return post("/tx/send", txResponseShape, tx, o);
      },
    },
    bls: {
      request: (input, o) => {
        const epoch = input.currentEpochId;
        if (!(typeof epoch === "bigint" || (typeof epoch === "number" && Number.isSafeInteger(epoch) && epoch >= 0) || (typeof epoch === "string" && /^[0-9]+$/.test(epoch))))
          throw new InvalidArgumentError("currentEpochId", "expected a non-negative integer or decimal string");
        if (!Array.isArray(input.data)) throw new InvalidArgumentError("data", "expected an array of byte strings");
        const body: BlsSignatureRequest = {
          current_epoch_id: typeof epoch === "bigint" ? epoch.toString() : epoch,
          chain_id: base64Of(input.chainId, "chainId"),
          request_id: base64Of(input.requestId, "requestId"),
          data: input.data.map((d, i) => base64Of(d, `data[${i}]`)),
        };
        return empty({ method: "POST", path: `${P}/bls/request`, body }, o);
      },
    },
    bridge: {
      submitBlock: (request, o) => {
        if (!request || typeof request.blockNumber !== "string" || typeof request.originChain !== "string" || typeof request.receiptsRoot !== "string")
          throw new InvalidArgumentError("request", "blockNumber, originChain and receiptsRoot are required strings (camelCase)");
        return post("/bridge/block", bridgeBlockShape, request, o);
      },
    },
    operations: {
      config: (o) => call({ path: `${P}/config`, shape: s.record(s.unknown()) }, o),
      exportDb: (o) => call({ path: `${P}/export/db`, shape: s.record(s.unknown()) }, o),
      setupReport: (o) => call({ path: `${P}/setup/report`, shape: setupReportShape }, o),
      recoverClaimReward: (request, o) => post("/claim-reward/recover", claimRecoverShape, request ?? {}, o),
      storePayloads: (inferenceId, request, o) => {
        if (typeof inferenceId !== "string" || inferenceId === "") throw new InvalidArgumentError("inferenceId", "an inference id is required");
        if (!request || typeof request.epoch_id !== "string" || !/^\d+$/.test(request.epoch_id))
          throw new InvalidArgumentError("request.epoch_id", "a decimal string epoch id is required");
        return call({ method: "POST", path: `${P}/payloads`, query: { inference_id: inferenceId }, body: request, shape: storePayloadsShape }, o);
      },
    },
  };
}
