/**
 * `createDapiClient`: a typed client for the public API of a network node (`/v1/*`, `/v2/*`), as
 * v0.2.13 serves it.
 * @module
 */
import { base64 } from "@scure/base";
import { InvalidArgumentError } from "../errors.js";
import { createHttpCore, pathSegment, type FetchLike, type HeadersSource, type RequestOptions, type Shape } from "../http/index.js";
import {
  accountShape,
  activeParticipantsShape,
  bridgeAddressesShape,
  bridgeStatusShape,
  epochInfoShape,
  freeShape,
  identityShape,
  inferenceShape,
  modelListShape,
  modelsLegacyShape,
  modelsShape,
  participantRecordShape,
  participantsShape,
  payloadsShape,
  pocArtifactsStateShape,
  pocBatchesShape,
  pocProofsShape,
  pricingShape,
  signingStatusShape,
  statsInferencesShape,
  statsModelsShape,
  statsSummaryShape,
  statusShape,
  versionsShape,
} from "./shapes.js";
import type {
  ActiveParticipantsResponse,
  BridgeAddresses,
  BridgeStatus,
  EpochInfo,
  FreeObject,
  IdentityResponse,
  Inference,
  InferencePayloads,
  Model,
  ModelListEntry,
  ModelPrice,
  ParticipantAccount,
  ParticipantRecordResponse,
  ParticipantsResponse,
  PocArtifactsState,
  PocBatchesResponse,
  PocProofsRequest,
  PocProofsResponse,
  PricingResponse,
  RegisterParticipantRequest,
  SigningStatusResponse,
  StatsDeveloperInferencesResponse,
  StatsModelsResponse,
  StatsSummary,
  StatusResponse,
  VerifyBlockRequest,
  VerifyProofRequest,
  VersionsResponse,
} from "./types.js";

/**
 * Signs payload bytes with a secp256k1 key the Cosmos way: ECDSA over SHA-256 of the bytes, 64-byte
 * `r‖s` with low S (what `wallet.signBytes`-style helpers return). Answer the 64 bytes or their
 * standard base64.
 */
export type PayloadSigner = (payloadBytes: Uint8Array) => Uint8Array | string | Promise<Uint8Array | string>;

/** An integer given as a number, bigint or decimal string. */
export type UintInput = number | bigint | string;

/** Fields of a `POST /v1/poc/proofs` request before signing. */
export interface PocProofsRequestInput {
  /** PoC stage start height. */
  pocStageStartBlockHeight: UintInput;
  /** Model id, e.g. `Qwen/Qwen3-235B-A22B-Instruct-2507-FP8`. */
  modelId: string;
  /** The committed MMR root: 32 bytes, or their standard base64. */
  rootHash: Uint8Array | string;
  /** The committed leaf count. */
  count: UintInput;
  /** Leaf indices to prove (1–500, each below `count`). */
  leafIndices: readonly UintInput[];
  /** The validator's account (cold key) address. */
  validatorAddress: string;
  /** The signing key's address: the validator itself or a warm key holding the `MsgSubmitPocValidationsV2` grant. */
  validatorSignerAddress: string;
  /** Unix ns; default now. The node accepts ±5 minutes. */
  timestampNs?: UintInput;
}

/** How {@link DapiClient.submitPocProofs} signs an unsigned request. */
export interface PocProofsSigner {
  /**
   * The bytes to sign for a request (the ASCII hex text of poc-v2.md §9.4); pass
   * `gonka-sdk/poc/v2`'s proof-request payload function.
   */
  payload(request: Omit<PocProofsRequest, "signature">): Uint8Array;
  /** Signs those bytes (see {@link PayloadSigner}). */
  sign: PayloadSigner;
}

/** Arguments of `inferences.payloads`. */
export interface InferencePayloadsInput {
  /** The validator's account address (`X-Validator-Address`). */
  validatorAddress: string;
  /** The inference's epoch (`X-Epoch-Id`). */
  epochId: UintInput;
  /** Unix ns (`X-Timestamp`); default now. The executor accepts 60 s old to 10 s ahead of its clock. */
  timestampNs?: UintInput;
  /** Signs `inference_id ‖ epoch_id ‖ timestamp ‖ validator_address` with the validator's key or a `MsgStartInference` grantee's. */
  sign: PayloadSigner;
}

/** Time range of the stats routes, Unix **milliseconds** (defaults: the last 24 h). */
export interface StatsTimeRange {
  timeFrom?: number;
  timeTo?: number;
}

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
  /** First retry delay in ms, doubled each retry with jitter (default 200). */
  retryDelayMs?: number;
  /** Longest `Retry-After` in ms the client waits for (default 30 000); a longer one is thrown at once as a typed error. */
  maxRetryAfterMs?: number;
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
  /** `GET /v1/identity` (since v0.2.6): the node's account, latest block and time, signed by its signer key. */
  identity(options?: DapiCallOptions): Promise<IdentityResponse>;
  /** Accounts and participants. */
  readonly participants: {
    /**
     * `GET /v1/participants/{address}`: base64 pubkey, spendable `balance` (ngonka, present even at 0)
     * and `denom`. 404 for an unknown account or one without a public key, 400 for a bad address.
     */
    get(address: string, options?: DapiCallOptions): Promise<ParticipantAccount>;
    /** `GET /v2/participants/{address}` (since v0.2.12): the chain's `Participant` record. */
    record(address: string, options?: DapiCallOptions): Promise<ParticipantRecordResponse>;
    /** `GET /v1/participants`: all participants with their balances and voting power. */
    list(options?: DapiCallOptions): Promise<ParticipantsResponse>;
    /**
     * `POST /v1/participants` `{address, pub_key}` (base64): create a pubkey-bearing developer account
     * (`MsgSubmitNewUnfundedParticipant`, broadcast asynchronously; 200 with an empty body). Both fields
     * are required since v0.2.12 (the node-operator branch is gone). Accounts that signed any tx need no call.
     */
    register(request: RegisterParticipantRequest, options?: DapiCallOptions): Promise<void>;
  };
  /** Accounts. */
  readonly accounts: {
    /** `GET /v2/accounts/{address}` (since v0.2.12): same answer as `participants.get`. */
    get(address: string, options?: DapiCallOptions): Promise<ParticipantAccount>;
  };
  /** Epochs. */
  readonly epochs: {
    /** `GET /v1/epochs/latest`: phase, stage heights and params of the current epoch (and confirmation-PoC state). */
    latest(options?: DapiCallOptions): Promise<EpochInfo>;
    /** `GET /v1/epochs/{epoch}/participants` (`"current"` by default), with the proof fields and `excluded_participants`. */
    participants(epoch?: "current" | number | bigint, options?: DapiCallOptions): Promise<ActiveParticipantsResponse>;
  };
  /** Models. */
  readonly models: {
    /** `GET /v1/models`: models served in the current epoch, as the OpenAI list's `data` (since v0.2.11). */
    list(options?: DapiCallOptions): Promise<ModelListEntry[]>;
    /** `GET /v1/governance/models`: all governance-registered models (`[]` when the server sends `null`). */
    governance(options?: DapiCallOptions): Promise<Model[]>;
    /** `GET /v1/governance/models-legacy` (since v0.2.11): the same list under the key `model`. */
    governanceLegacy(options?: DapiCallOptions): Promise<Model[]>;
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
  /** Inference records and payloads. */
  readonly inferences: {
    /** `GET /v1/chat/completions?id=` (since v0.2.6; the old `/v1/chat/completions/{id}` is gone): the on-chain record. */
    get(inferenceId: string, options?: DapiCallOptions): Promise<Inference>;
    /**
     * `GET /v1/inference/payloads?inference_id=` on the inference's **executor** (since v0.2.6): the
     * prompt and response payloads, for a validator of the inference's epoch. Signs the request with
     * `input.sign`.
     */
    payloads(inferenceId: string, input: InferencePayloadsInput, options?: DapiCallOptions): Promise<InferencePayloads>;
  };
  /**
   * `POST /v1/poc/proofs` (since v0.2.8): artifacts with MMR proofs from a participant's store.
   * Pass a signed request (wire form, with `signature`), or the fields and a {@link PocProofsSigner}.
   * Not retried (it is a POST); the node rate-limits it to 5 requests/s per IP.
   */
  submitPocProofs(request: PocProofsRequest | PocProofsRequestInput, signer?: PocProofsSigner, options?: DapiCallOptions): Promise<PocProofsResponse>;
  /** `GET /v1/poc/artifacts/state?height=&model_id=` (since v0.2.8): the store's flushed `(count, root_hash)`. */
  pocArtifactsState(height: UintInput, modelId: string, options?: DapiCallOptions): Promise<PocArtifactsState>;
  /** PoC v1 batches. */
  readonly pocBatches: {
    /** `GET /v1/poc-batches/{height}`: PoC v1 batches (no longer produced; a stock proxy answers 403). */
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
  /** Usage statistics (since v0.2.11; 503 when the node's stats store is off). Times are Unix ms. */
  readonly stats: {
    /** `GET /v1/stats/models`. */
    models(range?: StatsTimeRange, options?: DapiCallOptions): Promise<StatsModelsResponse>;
    /** `GET /v1/stats/developers/{developer}/inferences`. */
    developerInferences(developer: string, range?: StatsTimeRange, options?: DapiCallOptions): Promise<StatsDeveloperInferencesResponse>;
    /** `GET /v1/stats/developers/{developer}/summary/epochs?epochs_n=`. */
    developerSummaryEpochs(developer: string, epochs: number, options?: DapiCallOptions): Promise<StatsSummary>;
    /** `GET /v1/stats/summary/epochs?epochs_n=`. */
    summaryEpochs(epochs: number, options?: DapiCallOptions): Promise<StatsSummary>;
    /** `GET /v1/stats/summary/time`. */
    summaryTime(range?: StatsTimeRange, options?: DapiCallOptions): Promise<StatsSummary>;
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
  /** Bridge (`POST /v1/bridge/block` moved to the admin API in v0.2.5). */
  readonly bridge: {
    /** `GET /v1/bridge/status`. */
    status(options?: DapiCallOptions): Promise<BridgeStatus>;
    /** `GET /v1/bridge/addresses?chain=` (since v0.2.5). */
    addresses(chain: string, options?: DapiCallOptions): Promise<BridgeAddresses>;
  };
}

function nonNegative(name: string, value: number | bigint, min = 0): string {
  const ok = typeof value === "bigint" ? value >= BigInt(min) : Number.isSafeInteger(value) && value >= min;
  if (!ok) throw new InvalidArgumentError(name, `${String(value)} is not an integer ≥ ${min}`);
  return value.toString();
}

/** A non-negative integer as a decimal string (the wire form of int64/uint32 fields). */
function uintText(name: string, value: UintInput, max?: bigint): string {
  let n: bigint;
  if (typeof value === "bigint") n = value;
  else if (typeof value === "number" && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === "string" && /^\d+$/.test(value)) n = BigInt(value);
  else throw new InvalidArgumentError(name, `${String(value)} is not a non-negative integer`);
  if (n < 0n || (max !== undefined && n > max)) throw new InvalidArgumentError(name, `${n} is out of range`);
  return n.toString();
}

function nonEmpty(name: string, value: string): string {
  if (typeof value !== "string" || value === "") throw new InvalidArgumentError(name, "must be a non-empty string");
  return pathSegment(value);
}

function nowNs(): string {
  return (BigInt(Date.now()) * 1_000_000n).toString();
}

async function signatureText(sign: PayloadSigner, payload: Uint8Array, argument: string): Promise<string> {
  const signature = await sign(payload);
  if (typeof signature === "string") {
    if (!/^[A-Za-z0-9+/]{86}==$/.test(signature)) throw new InvalidArgumentError(argument, "the signer must return 64 bytes or their standard base64 (88 characters)");
    return signature;
  }
  if (!(signature instanceof Uint8Array) || signature.length !== 64) throw new InvalidArgumentError(argument, "the signer must return a 64-byte r‖s signature");
  return base64.encode(signature);
}

const MAX_UINT32 = 0xffff_ffffn;

function rootHashText(root: Uint8Array | string): string {
  let bytes: Uint8Array;
  try {
    bytes = typeof root === "string" ? base64.decode(root) : root;
  } catch {
    throw new InvalidArgumentError("rootHash", "expected 32 bytes or their standard base64");
  }
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) throw new InvalidArgumentError("rootHash", `expected 32 bytes, got ${bytes?.length ?? 0}`);
  return base64.encode(bytes);
}

/** Builds the wire body of `POST /v1/poc/proofs` (without `signature`), checking what the node checks. */
function pocProofsBody(input: PocProofsRequestInput): Omit<PocProofsRequest, "signature"> {
  if (!input || typeof input !== "object") throw new InvalidArgumentError("request", "expected the proof request fields");
  if (typeof input.modelId !== "string" || input.modelId === "") throw new InvalidArgumentError("modelId", "a model id is required");
  for (const key of ["validatorAddress", "validatorSignerAddress"] as const)
    if (typeof input[key] !== "string" || !input[key].startsWith("gonka1")) throw new InvalidArgumentError(key, "a gonka1… address is required");
  const count = uintText("count", input.count, MAX_UINT32);
  if (!Array.isArray(input.leafIndices) || input.leafIndices.length === 0 || input.leafIndices.length > 500)
    throw new InvalidArgumentError("leafIndices", "expected 1 to 500 leaf indices (the node refuses more)");
  const indices = input.leafIndices.map((i, k) => {
    const text = uintText(`leafIndices[${k}]`, i, MAX_UINT32);
    if (BigInt(text) >= BigInt(count)) throw new InvalidArgumentError(`leafIndices[${k}]`, `${text} is not below count ${count}`);
    return text;
  });
  return {
    poc_stage_start_block_height: uintText("pocStageStartBlockHeight", input.pocStageStartBlockHeight, 2n ** 63n - 1n),
    model_id: input.modelId,
    root_hash: rootHashText(input.rootHash),
    count,
    leaf_indices: indices,
    validator_address: input.validatorAddress,
    validator_signer_address: input.validatorSignerAddress,
    timestamp: input.timestampNs === undefined ? nowNs() : uintText("timestampNs", input.timestampNs, 2n ** 63n - 1n),
  };
}

function dapiHint(status: number, body: unknown): string | undefined {
  const error = body && typeof body === "object" ? (body as { error?: unknown }).error : undefined;
  const text = typeof error === "string" ? error : "";
  if ((status === 404 || status === 500) && /account not found/.test(text))
    return "The account has never appeared on chain; fund it, sign any transaction with it, or register it with participants.register({ address, pub_key }).";
  if (status === 404 && /account has no public key/.test(text))
    return "The account exists but has never signed a transaction; register its key with participants.register({ address, pub_key }) or send any signed tx.";
  if (status === 404 && /No active participants/.test(text)) return "The chain stored no active participants for this epoch (PoC failed or the epoch is too old).";
  if (status === 403 && body && typeof body === "object" && (body as { error?: unknown }).error === "Access Denied")
    return "The node's proxy blocks this route (GONKA_API_BLOCKED_ROUTES, `poc-batches` by default).";
  if (status === 404 && !text) return "Nothing at this route; check baseUrl (the public port, e.g. :8000, without /v1) and the node's version.";
  return undefined;
}

/**
 * Creates a typed client for a network node's public API. Reads are retried (idempotent) with
 * backoff on 429/503 and network errors, honouring `Retry-After`; a stock node's proxy allows 10
 * requests/minute per IP on these routes, so cache answers rather than polling.
 *
 * @example
 * ```ts
 * const dapi = createDapiClient({ baseUrl: "http://node2.gonka.ai:8000" });
 * const { active_participants } = await dapi.epochs.participants("current");
 * for (const p of active_participants.participants ?? []) console.log(p.index, p.inference_url, p.weight);
 * const record = await dapi.inferences.get(inferenceId); // GET /v1/chat/completions?id=…
 * ```
 */
export function createDapiClient(options: DapiClientOptions): DapiClient {
  const http = createHttpCore(options);
  const call = <T>(request: RequestOptions<T>, o: DapiCallOptions | undefined): Promise<T> =>
    http.request<T>({ errorHint: dapiHint, ...request, ...o });
  const get = <T>(path: string, shape: Shape<T>, o: DapiCallOptions | undefined, query?: RequestOptions<T>["query"]): Promise<T> =>
    call({ path, shape, ...(query ? { query } : {}) }, o);
  const postEmpty = async (path: string, body: unknown, o: DapiCallOptions | undefined): Promise<void> => {
    await call({ method: "POST", path, body, responseType: "none" }, o);
  };
  const governancePricing = (o?: DapiCallOptions) => get("/v1/governance/pricing", pricingShape, o);
  const account = (prefix: string) => (address: string, o?: DapiCallOptions) => get(`${prefix}/${nonEmpty("address", address)}`, accountShape, o);
  const range = (r: StatsTimeRange | undefined) => {
    for (const key of ["timeFrom", "timeTo"] as const) {
      const v = r?.[key];
      if (v !== undefined && (!Number.isSafeInteger(v) || v < 1e12)) throw new InvalidArgumentError(key, `${v} must be Unix milliseconds`);
    }
    return { time_from: r?.timeFrom, time_to: r?.timeTo };
  };
  const epochsN = (n: number) => {
    if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError("epochs", `${n} must be a positive integer`);
    return { epochs_n: n };
  };

  return {
    baseUrl: http.baseUrl,
    status: (o) => get("/v1/status", statusShape, o),
    versions: (o) => get("/v1/versions", versionsShape, o),
    identity: (o) => get("/v1/identity", identityShape, o),
    participants: {
      get: account("/v1/participants"),
      record: (address, o) => get(`/v2/participants/${nonEmpty("address", address)}`, participantRecordShape, o),
      list: (o) => get("/v1/participants", participantsShape, o),
      async register(request, o) {
        if (!request || typeof request !== "object") throw new InvalidArgumentError("request", "expected { address, pub_key }");
        if (typeof request.address !== "string" || !request.address.startsWith("gonka1")) throw new InvalidArgumentError("request.address", "a gonka1… address is required");
        if (typeof request.pub_key !== "string" || request.pub_key === "") throw new InvalidArgumentError("request.pub_key", "the account's 33-byte public key (base64) is required");
        if (/^(02|03)[0-9a-fA-F]{64}$/.test(request.pub_key)) throw new InvalidArgumentError("request.pub_key", "looks like hex; the public API wants the 33-byte key in base64");
        await postEmpty("/v1/participants", { address: request.address, pub_key: request.pub_key }, o);
      },
    },
    accounts: { get: account("/v2/accounts") },
    epochs: {
      latest: (o) => get("/v1/epochs/latest", epochInfoShape, o),
      participants: (epoch = "current", o) => {
        const segment = epoch === "current" ? "current" : nonNegative("epoch", epoch, 1);
        return get(`/v1/epochs/${segment}/participants`, activeParticipantsShape, o);
      },
    },
    models: {
      list: async (o) => (await get("/v1/models", modelListShape, o)).data,
      governance: async (o) => (await get("/v1/governance/models", modelsShape, o)).models ?? [],
      governanceLegacy: async (o) => (await get("/v1/governance/models-legacy", modelsLegacyShape, o)).model ?? [],
    },
    pricing: {
      get: (o) => get("/v1/pricing", pricingShape, o),
      governance: governancePricing,
      forModel: async (modelId, o) => (await governancePricing(o)).models?.find((m) => m.id === modelId),
    },
    inferences: {
      get: (inferenceId, o) => {
        nonEmpty("inferenceId", inferenceId);
        return get("/v1/chat/completions", inferenceShape, o, { id: inferenceId });
      },
      async payloads(inferenceId, input, o) {
        nonEmpty("inferenceId", inferenceId);
        if (!input || typeof input.validatorAddress !== "string" || !input.validatorAddress.startsWith("gonka1"))
          throw new InvalidArgumentError("input.validatorAddress", "the validator's gonka1… address is required");
        if (typeof input.sign !== "function") throw new InvalidArgumentError("input.sign", "a signer callback is required");
        const epoch = uintText("input.epochId", input.epochId);
        const timestamp = input.timestampNs === undefined ? nowNs() : uintText("input.timestampNs", input.timestampNs);
        const payload = new TextEncoder().encode(`${inferenceId}${epoch}${timestamp}${input.validatorAddress}`);
        const authorization = await signatureText(input.sign, payload, "input.sign");
        return call(
          {
            path: "/v1/inference/payloads",
            query: { inference_id: inferenceId },
            headers: { "X-Validator-Address": input.validatorAddress, "X-Timestamp": timestamp, "X-Epoch-Id": epoch, Authorization: authorization },
            shape: payloadsShape,
            // A retry would re-send a stale timestamp; callers retry with a fresh signature.
            retries: 0,
          },
          o,
        );
      },
    },
    async submitPocProofs(request, signer, o) {
      let body: PocProofsRequest;
      if ("signature" in request && typeof request.signature === "string") {
        body = request;
      } else {
        if (!signer || typeof signer.payload !== "function" || typeof signer.sign !== "function")
          throw new InvalidArgumentError("signer", "an unsigned request needs a signer { payload, sign } (or pass a request with its signature)");
        const unsigned = pocProofsBody(request as PocProofsRequestInput);
        body = { ...unsigned, signature: await signatureText(signer.sign, signer.payload(unsigned), "signer.sign") };
      }
      return call({ method: "POST", path: "/v1/poc/proofs", body, shape: pocProofsShape }, o);
    },
    pocArtifactsState: (height, modelId, o) => {
      if (typeof modelId !== "string" || modelId === "") throw new InvalidArgumentError("modelId", "a model id is required");
      return get("/v1/poc/artifacts/state", pocArtifactsStateShape, o, { height: uintText("height", height), model_id: modelId });
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
      usage: (id, acct, o) => get(`/v1/restrictions/exemptions/${nonEmpty("exemptionId", id)}/usage/${nonEmpty("account", acct)}`, freeShape, o),
    },
    stats: {
      models: (r, o) => get("/v1/stats/models", statsModelsShape, o, range(r)),
      developerInferences: (developer, r, o) => get(`/v1/stats/developers/${nonEmpty("developer", developer)}/inferences`, statsInferencesShape, o, range(r)),
      developerSummaryEpochs: (developer, n, o) => get(`/v1/stats/developers/${nonEmpty("developer", developer)}/summary/epochs`, statsSummaryShape, o, epochsN(n)),
      summaryEpochs: (n, o) => get("/v1/stats/summary/epochs", statsSummaryShape, o, epochsN(n)),
      summaryTime: (r, o) => get("/v1/stats/summary/time", statsSummaryShape, o, range(r)),
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
      status: (o) => get("/v1/bridge/status", bridgeStatusShape, o),
      addresses: (chain, o) => {
        if (typeof chain !== "string" || chain === "") throw new InvalidArgumentError("chain", "an origin chain name is required (the node answers 400 without it)");
        return get("/v1/bridge/addresses", bridgeAddressesShape, o, { chain });
      },
    },
  };
}
