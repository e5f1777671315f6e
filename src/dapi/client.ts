/**
 * `createDapiClient`: a typed client for the public API of a network node (`/v1/*`).
 * @module
 */
import { InvalidArgumentError } from "../errors.js";
import { createHttpCore, pathSegment, s, type FetchLike, type HeadersSource, type RequestOptions, type Shape } from "../http/index.js";
import {
  accountShape,
  activeParticipantsShape,
  bridgeBlockShape,
  bridgeStatusShape,
  epochInfoShape,
  freeShape,
  inferenceShape,
  modelsShape,
  participantSummaryShape,
  participantsShape,
  pocBatchesShape,
  pricingShape,
  signingStatusShape,
  statusShape,
  trainingTaskShape,
  trainingTasksShape,
  versionsShape,
} from "./shapes.js";
import type {
  ActiveParticipantsResponse,
  BridgeBlockRequest,
  BridgeBlockResponse,
  BridgeStatus,
  CreateTrainingTaskRequest,
  EpochInfo,
  FreeObject,
  Inference,
  LockNodesRequest,
  Model,
  ModelPrice,
  ParticipantAccount,
  ParticipantsResponse,
  ParticipantSummary,
  PocBatchesResponse,
  PricingResponse,
  RegisterParticipantRequest,
  SigningStatusResponse,
  StatusResponse,
  TrainingTaskResponse,
  TrainingTasksResponse,
  VerifyBlockRequest,
  VerifyProofRequest,
  VersionsResponse,
} from "./types.js";

/** Options of {@link createDapiClient}. */
export interface DapiClientOptions {
  /**
   * Public URL of a network node: `http://node2.gonka.ai:8000` (the client adds `/v1/…`), or
   * `http://host:8000/api`, or the API container `http://api:9000`.
   */
  baseUrl: string;
  /** Per-attempt time limit in ms (default 30 000). */
  timeoutMs?: number;
  /** Retries for idempotent calls (default 2). */
  retries?: number;
  /** Custom fetch. */
  fetch?: FetchLike;
  /** Headers added to every request. */
  headers?: HeadersSource;
}

/** Per-call options. */
export interface DapiCallOptions {
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Overrides the time limit (ms). */
  timeoutMs?: number;
  /** Overrides the retries (idempotent calls only). */
  retries?: number;
}

/** A typed public-API client; see {@link createDapiClient}. */
export interface DapiClient {
  /** The base URL. */
  readonly baseUrl: string;
  /** `GET /v1/status`. */
  status(options?: DapiCallOptions): Promise<StatusResponse>;
  /** `GET /v1/versions`: API and chain node versions. */
  versions(options?: DapiCallOptions): Promise<VersionsResponse>;
  /** Accounts and participants. */
  readonly participants: {
    /** `GET /v1/participants/{address}`: an account's identity — base64 pubkey and spendable balance (`balance` absent = 0). */
    get(address: string, options?: DapiCallOptions): Promise<ParticipantAccount>;
    /** `GET /v1/participants`: all participants with their balances and voting power. */
    list(options?: DapiCallOptions): Promise<ParticipantsResponse>;
    /**
     * `POST /v1/participants`. With `address` + `pub_key` (base64) it registers a developer account and
     * resolves to `null` (empty 200; the tx is asynchronous). Otherwise it registers the node operator
     * and resolves to the node's summary.
     */
    register(request: RegisterParticipantRequest, options?: DapiCallOptions): Promise<ParticipantSummary | null>;
  };
  /** Epochs. */
  readonly epochs: {
    /** `GET /v1/epochs/latest`: phase, stage heights and params of the current epoch. */
    latest(options?: DapiCallOptions): Promise<EpochInfo>;
    /** `GET /v1/epochs/{epoch}/participants` (`"current"` by default), with the proof fields. */
    participants(epoch?: "current" | number | bigint, options?: DapiCallOptions): Promise<ActiveParticipantsResponse>;
  };
  /** Models. */
  readonly models: {
    /** `GET /v1/models`: models served in the current epoch (`[]` when the server sends `null`). */
    list(options?: DapiCallOptions): Promise<Model[]>;
    /** `GET /v1/governance/models`: all governance-registered models. */
    governance(options?: DapiCallOptions): Promise<Model[]>;
  };
  /** Prices (ngonka per token). */
  readonly pricing: {
    /** `GET /v1/pricing`: current-epoch prices, legacy formula. */
    get(options?: DapiCallOptions): Promise<PricingResponse>;
    /** `GET /v1/governance/pricing`: all governance models, dynamic prices when enabled. */
    governance(options?: DapiCallOptions): Promise<PricingResponse>;
    /** The price entry of one model from `/v1/governance/pricing`, or `undefined`. */
    forModel(modelId: string, options?: DapiCallOptions): Promise<ModelPrice | undefined>;
  };
  /** Inference records. */
  readonly inferences: {
    /** `GET /v1/chat/completions/{id}`: the on-chain record (id percent-encoded for you). */
    get(inferenceId: string, options?: DapiCallOptions): Promise<Inference>;
  };
  /** PoC batches. */
  readonly pocBatches: {
    /** `GET /v1/poc-batches/{height}`: batches of the PoC stage that started at `pocStartBlockHeight`. */
    get(pocStartBlockHeight: number | bigint, options?: DapiCallOptions): Promise<PocBatchesResponse>;
  };
  /** BLS. */
  readonly bls: {
    /** `GET /v1/bls/epoch/{id}`. */
    epoch(epochId: number | bigint, options?: DapiCallOptions): Promise<FreeObject>;
    /** `GET /v1/bls/signatures/{hex}`; `signing_request` is `null` when unknown. */
    signingStatus(requestIdHex: string, options?: DapiCallOptions): Promise<SigningStatusResponse>;
  };
  /** Transfer restrictions. */
  readonly restrictions: {
    /** `GET /v1/restrictions/status`. */
    status(options?: DapiCallOptions): Promise<FreeObject>;
    /** `GET /v1/restrictions/exemptions`. */
    exemptions(options?: DapiCallOptions): Promise<FreeObject>;
    /** `GET /v1/restrictions/exemptions/{id}/usage/{account}`. */
    usage(exemptionId: string, account: string, options?: DapiCallOptions): Promise<FreeObject>;
  };
  /** Training tasks. */
  readonly training: {
    /** `POST /v1/training/tasks` (201). */
    createTask(request: CreateTrainingTaskRequest, options?: DapiCallOptions): Promise<TrainingTaskResponse>;
    /** `GET /v1/training/tasks`. */
    listTasks(options?: DapiCallOptions): Promise<TrainingTasksResponse>;
    /** `GET /v1/training/tasks/{id}`. */
    getTask(id: number | bigint, options?: DapiCallOptions): Promise<TrainingTaskResponse>;
    /** `POST /v1/training/lock-nodes`. */
    lockNodes(request: LockNodesRequest, options?: DapiCallOptions): Promise<void>;
  };
  /** Server-side verification helpers (resolve when valid, throw `HttpError` otherwise). */
  readonly verify: {
    /** `POST /v1/verify-proof`. */
    proof(request: VerifyProofRequest, options?: DapiCallOptions): Promise<void>;
    /** `POST /v1/verify-block`. */
    block(request: VerifyBlockRequest, options?: DapiCallOptions): Promise<void>;
  };
  /** Debug helpers (plain-text answers). */
  readonly debug: {
    /** `GET /v1/debug/pubkey-to-addr/{hex}`: bech32 address of a hex public key. */
    pubkeyToAddress(pubkeyHex: string, options?: DapiCallOptions): Promise<string>;
    /** `GET /v1/debug/verify/{height}`: "Block signatures verified". */
    verifyBlock(height: number | bigint, options?: DapiCallOptions): Promise<string>;
  };
  /** Bridge. */
  readonly bridge: {
    /** `POST /v1/bridge/block`. */
    submitBlock(request: BridgeBlockRequest, options?: DapiCallOptions): Promise<BridgeBlockResponse>;
    /** `GET /v1/bridge/status`. */
    status(options?: DapiCallOptions): Promise<BridgeStatus>;
  };
}

function nonNegative(name: string, value: number | bigint, min = 0): string {
  const ok = typeof value === "bigint" ? value >= BigInt(min) : Number.isSafeInteger(value) && value >= min;
  if (!ok) throw new InvalidArgumentError(name, `${String(value)} is not an integer ≥ ${min}`);
  return value.toString();
}

function nonEmpty(name: string, value: string): string {
  if (typeof value !== "string" || value === "") throw new InvalidArgumentError(name, "must be a non-empty string");
  return pathSegment(value);
}

function dapiHint(status: number, body: unknown): string | undefined {
  const error = body && typeof body === "object" ? (body as { error?: unknown }).error : undefined;
  const text = typeof error === "string" ? error : "";
  if (status === 500 && /NotFound/.test(text) && /account/.test(text))
    return "The account has never appeared on chain; register it with participants.register({ address, pub_key }) or fund it first.";
  if (status === 404 && /No active participants/.test(text)) return "The chain stored no active participants for this epoch (PoC failed or the epoch is too old).";
  if (status === 404 && !text) return "Nothing at this route; check baseUrl (the public port, e.g. :8000, without /v1).";
  return undefined;
}

/**
 * Creates a typed client for a network node's public API.
 *
 * @example
 * ```ts
 * const dapi = createDapiClient({ baseUrl: "http://node2.gonka.ai:8000" });
 * const { active_participants } = await dapi.epochs.participants("current");
 * for (const p of active_participants.participants ?? []) console.log(p.index, p.inference_url, p.weight);
 * const prices = await dapi.pricing.governance();
 * ```
 */
export function createDapiClient(options: DapiClientOptions): DapiClient {
  const http = createHttpCore(options);
  const call = <T>(request: RequestOptions<T>, o: DapiCallOptions | undefined): Promise<T> =>
    http.request<T>({ errorHint: dapiHint, ...request, ...o });
  const get = <T>(path: string, shape: Shape<T>, o: DapiCallOptions | undefined): Promise<T> => call({ path, shape }, o);
  const postEmpty = async (path: string, body: unknown, o: DapiCallOptions | undefined): Promise<void> => {
    await call({ method: "POST", path, body, responseType: "none" }, o);
  };
  const governancePricing = (o?: DapiCallOptions) => get("/v1/governance/pricing", pricingShape, o);

  return {
    baseUrl: http.baseUrl,
    status: (o) => get("/v1/status", statusShape, o),
    versions: (o) => get("/v1/versions", versionsShape, o),
    participants: {
      get: (address, o) => get(`/v1/participants/${nonEmpty("address", address)}`, accountShape, o),
      list: (o) => get("/v1/participants", participantsShape, o),
      async register(request, o) {
        if (!request || typeof request !== "object") throw new InvalidArgumentError("request", "expected an object");
        if (request.pub_key !== undefined && /^(02|03)[0-9a-fA-F]{64}$/.test(request.pub_key))
          throw new InvalidArgumentError("request.pub_key", "looks like hex; the public API wants the 33-byte key in base64");
        const answer = await call({ method: "POST", path: "/v1/participants", body: request, shape: s.optional(participantSummaryShape) }, o);
        return answer ?? null;
      },
    },
    epochs: {
      latest: (o) => get("/v1/epochs/latest", epochInfoShape, o),
      participants: (epoch = "current", o) => {
        const segment = epoch === "current" ? "current" : nonNegative("epoch", epoch, 1);
        return get(`/v1/epochs/${segment}/participants`, activeParticipantsShape, o);
      },
    },
    models: {
      list: async (o) => (await get("/v1/models", modelsShape, o)).models ?? [],
      governance: async (o) => (await get("/v1/governance/models", modelsShape, o)).models ?? [],
    },
    pricing: {
      get: (o) => get("/v1/pricing", pricingShape, o),
      governance: governancePricing,
      forModel: async (modelId, o) => (await governancePricing(o)).models?.find((m) => m.id === modelId),
    },
    inferences: {
      get: (inferenceId, o) => get(`/v1/chat/completions/${nonEmpty("inferenceId", inferenceId)}`, inferenceShape, o),
    },
    pocBatches: {
      get: (height, o) => get(`/v1/poc-batches/${nonNegative("pocStartBlockHeight", height)}`, pocBatchesShape, o),
    },
    bls: {
      epoch: (epochId, o) => get(`/v1/bls/epoch/${nonNegative("epochId", epochId)}`, freeShape, o),
      signingStatus: (requestIdHex, o) => {
        if (typeof requestIdHex !== "string" || !/^[0-9a-fA-F]+$/.test(requestIdHex))
          throw new InvalidArgumentError("requestIdHex", "expected a hex string (this route takes hex, not base64)");
        return get(`/v1/bls/signatures/${requestIdHex}`, signingStatusShape, o);
      },
    },
    restrictions: {
      status: (o) => get("/v1/restrictions/status", freeShape, o),
      exemptions: (o) => get("/v1/restrictions/exemptions", freeShape, o),
      usage: (id, account, o) => get(`/v1/restrictions/exemptions/${nonEmpty("exemptionId", id)}/usage/${nonEmpty("account", account)}`, freeShape, o),
    },
    training: {
      createTask: (request, o) => call({ method: "POST", path: "/v1/training/tasks", body: request, shape: trainingTaskShape }, o),
      listTasks: (o) => get("/v1/training/tasks", trainingTasksShape, o),
      getTask: (id, o) => get(`/v1/training/tasks/${nonNegative("id", id)}`, trainingTaskShape, o),
      lockNodes: (request, o) => postEmpty("/v1/training/lock-nodes", request, o),
    },
    verify: {
      proof: (request, o) => postEmpty("/v1/verify-proof", request, o),
      block: (request, o) => postEmpty("/v1/verify-block", request, o),
    },
    debug: {
      pubkeyToAddress: (pubkeyHex, o) => call({ path: `/v1/debug/pubkey-to-addr/${nonEmpty("pubkeyHex", pubkeyHex)}`, responseType: "text" }, o),
      verifyBlock: (height, o) => call({ path: `/v1/debug/verify/${nonNegative("height", height)}`, responseType: "text" }, o),
    },
    bridge: {
      submitBlock: (request, o) => call({ method: "POST", path: "/v1/bridge/block", body: request, shape: bridgeBlockShape }, o),
      status: (o) => get("/v1/bridge/status", bridgeStatusShape, o),
    },
  };
}
