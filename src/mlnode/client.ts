/**
 * `createMlNodeClient`: a typed client for an MLNode's management API (`/api/v1/*` on the PoC
 * port) and its vLLM health/tokenize routes (inference port).
 * @module
 */
import { InvalidArgumentError } from "../errors.js";
import {
  createHttpCore,
  HttpError,
  pathSegment,
  HttpTimeoutError,
  NetworkError,
  s,
  type FetchLike,
  type HeadersSource,
  type HttpCore,
  type RequestOptions,
  type Shape,
} from "../http/index.js";
import { InferenceStartConflictError, InferenceStartError, mlNodeHint } from "./errors.js";
import {
  gpuDevicesShape,
  gpuDriverShape,
  inferenceUpAsyncShape,
  inferenceUpShape,
  inferenceUpStatusShape,
  modelDeleteShape,
  modelDownloadShape,
  modelListShape,
  modelSpaceShape,
  modelStatusShape,
  pocV2GenerateShape,
  pocV2InitShape,
  pocV2StatusShape,
  pocV2StopShape,
  readinessShape,
  serviceHealthShape,
  powInitShape,
  powStatusShape,
  powStopShape,
  stateShape,
  statusMessageShape,
  statusOkShape,
  tokenizeShape,
  trainStatusShape,
} from "./shapes.js";
import type {
  GpuDevicesResponse,
  GpuDriverResponse,
  HealthResponse,
  HfModel,
  InferenceInitRequest,
  InferenceUpAsyncResponse,
  InferenceUpStatus,
  ModelDeleteResponse,
  ModelDownloadResponse,
  ModelListResponse,
  ModelSpaceResponse,
  ModelStatusResponse,
  PocV2GenerateRequest,
  PocV2GenerateResponse,
  PocV2InitRequest,
  PocV2InitResponse,
  PocV2Status,
  PocV2StopResponse,
  PowInitRequest,
  PowInitResponse,
  PowStatus,
  PowStopResponse,
  ProofBatch,
  ReadinessResponse,
  StateResponse,
  StatusMessage,
  StatusOk,
  TokenizeRequest,
  TokenizeResponse,
  TrainStartRequest,
  TrainStatus,
} from "./types.js";

/** Options of {@link createMlNodeClient}. */
export interface MlNodeClientOptions {
  /** Management URL: `http://{host}:{poc_port}{poc_segment}`, e.g. `http://10.0.0.5:8080`. */
  baseUrl: string;
  /**
   * vLLM URL for `health()` and `tokenize()`: `http://{host}:{inference_port}{inference_segment}`.
   * Default: `baseUrl`'s host on port 5000 with no segment.
   */
  inferenceUrl?: string;
  /** Per-attempt time limit in ms (default 30 000; `inferenceUp` uses 1 260 000 unless overridden per call). */
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
export interface CallOptions {
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Overrides the time limit of this call (ms). */
  timeoutMs?: number;
  /** Overrides the retries of this call (idempotent calls only). */
  retries?: number;
}

/** vLLM start-up can take up to 1200 s on the MLNode; we wait a minute longer. */
export const INFERENCE_UP_TIMEOUT_MS = 1_260_000;

/**
 * The PoC v2 routes of an MLNode client (`/api/v1/inference/pow/*`, since v0.2.8): what the
 * network node calls today. They fan out to the MLNode's vLLM backends, so inference must be up
 * with the served model (503 "No vLLM backends available" otherwise).
 */
export interface MlNodePocV2Api {
  /**
   * `POST /api/v1/inference/pow/init/generate`: start artifact generation on every healthy backend;
   * artifacts arrive at `{url}/generated` (see `createPocCallbackHandler`, `pocV2CallbackUrl`).
   * 502 when every backend failed, 503 without backends.
   */
  initGenerate(request: PocV2InitRequest, options?: CallOptions): Promise<PocV2InitResponse>;
  /**
   * `POST /api/v1/inference/pow/generate`: compute the artifacts of `nonces`, or — with
   * `validation.artifacts` and `stat_test` — recompute received artifacts and test them. Queued by
   * default (`{status:"queued", request_id}`; fetch with {@link result}); `wait: true` answers the
   * result. Send `stat_test.fraud_threshold` yourself: the MLNode ignores `p_value_threshold`.
   */
  generate(request: PocV2GenerateRequest, options?: CallOptions): Promise<PocV2GenerateResponse>;
  /** `GET /api/v1/inference/pow/generate/{port}:{id}`: a queued job's status or result (kept 300 s; 404 after). */
  result(requestId: string, options?: CallOptions): Promise<PocV2GenerateResponse>;
  /** `GET /api/v1/inference/pow/status`: `IDLE | GENERATING | VALIDATING | MIXED | NO_BACKENDS`, per backend. */
  status(options?: CallOptions): Promise<PocV2Status>;
  /** `POST /api/v1/inference/pow/stop`: stop every backend and clear their queues. */
  stop(options?: CallOptions): Promise<PocV2StopResponse>;
}

/** The Hugging Face model cache routes (`/api/v1/models*`, since v0.2.4). */
export interface MlNodeModelsApi {
  /** `POST /api/v1/models/status`: `DOWNLOADED | DOWNLOADING | NOT_FOUND | PARTIAL | IGNORED`. */
  status(model: HfModel, options?: CallOptions): Promise<ModelStatusResponse>;
  /** `POST /api/v1/models/download` (202): 409 already downloading, 429 more than 3 at once. */
  download(model: HfModel, options?: CallOptions): Promise<ModelDownloadResponse>;
  /** `DELETE /api/v1/models` (JSON body): delete or cancel; `hf_commit: null` removes every revision; 404 when absent. */
  remove(model: HfModel, options?: CallOptions): Promise<ModelDeleteResponse>;
  /** `GET /api/v1/models/list`. */
  list(options?: CallOptions): Promise<ModelListResponse>;
  /** `GET /api/v1/models/space`: cache size and free disk, in GB. */
  space(options?: CallOptions): Promise<ModelSpaceResponse>;
}

/** The GPU routes (`/api/v1/gpu/*`, since v0.2.4). */
export interface MlNodeGpuApi {
  /** `GET /api/v1/gpu/devices` (empty without NVML). */
  devices(options?: CallOptions): Promise<GpuDevicesResponse>;
  /** `GET /api/v1/gpu/driver` (503 without NVML). */
  driver(options?: CallOptions): Promise<GpuDriverResponse>;
}

/**
 * The PoW v1 routes of an MLNode client (`/api/v1/pow/*`). Still mounted on current MLNodes, but
 * the network node no longer calls them since v0.2.8 (PoC v2: {@link MlNodePocV2Api}), and since
 * v0.2.12 it no longer receives their callbacks.
 */
export interface MlNodePowApi {
  /** `POST /api/v1/pow/init`: (re)initialise PoW in the idle phase. */
  init(request: PowInitRequest, options?: CallOptions): Promise<PowInitResponse>;
  /** `POST /api/v1/pow/init/generate`: init if needed, then generate (needs `node_id` and `node_count`). */
  initGenerate(request: PowInitRequest, options?: CallOptions): Promise<PowInitResponse>;
  /** `POST /api/v1/pow/init/validate`: init if needed, then validate. */
  initValidate(request: PowInitRequest, options?: CallOptions): Promise<PowInitResponse>;
  /** `POST /api/v1/pow/phase/generate`: switch running PoW to generation. */
  phaseGenerate(options?: CallOptions): Promise<PowInitResponse>;
  /** `POST /api/v1/pow/phase/validate`: switch running PoW to validation. */
  phaseValidate(options?: CallOptions): Promise<PowInitResponse>;
  /** `POST /api/v1/pow/validate`: queue a batch; the result arrives at the `validated` callback. Resolves to `null`. */
  validate(batch: ProofBatch, options?: CallOptions): Promise<null>;
  /** `GET /api/v1/pow/status` (409 while the node is in INFERENCE or TRAIN mode). */
  status(options?: CallOptions): Promise<PowStatus>;
  /** `POST /api/v1/pow/stop`; `pow_status` is the string "PoW is not running" when nothing ran. */
  stop(options?: CallOptions): Promise<PowStopResponse>;
}

/** The training routes of an MLNode client. */
export interface MlNodeTrainApi {
  /** `POST /api/v1/train/start`. */
  start(request: TrainStartRequest, options?: CallOptions): Promise<StatusMessage>;
  /** `POST /api/v1/train/stop`. */
  stop(options?: CallOptions): Promise<StatusMessage>;
  /** `GET /api/v1/train/status`. */
  status(options?: CallOptions): Promise<TrainStatus>;
}

/** A typed MLNode client; see {@link createMlNodeClient}. */
export interface MlNodeClient {
  /** The management base URL. */
  readonly baseUrl: string;
  /** The vLLM base URL used by `health` and `tokenize`. */
  readonly inferenceUrl: string;
  /** `GET /api/v1/state`: the service mode. */
  state(options?: CallOptions): Promise<StateResponse>;
  /** `POST /api/v1/stop`: stop whatever runs. */
  stop(options?: CallOptions): Promise<StatusOk>;
  /**
   * `POST /api/v1/inference/up`: start vLLM and wait until it is ready (minutes). Throws
   * {@link InferenceStartConflictError} on 409 (already running or starting — the MLNode no longer
   * stops a running vLLM) and {@link InferenceStartError} on 500 `{"detail"}` (or an older MLNode's
   * HTTP 200 `{"status":"ERROR"}`). `dtype` defaults to `"auto"` (what the network node sends),
   * `additional_args` to `[]`.
   */
  inferenceUp(request: Omit<InferenceInitRequest, "dtype"> & { dtype?: string }, options?: CallOptions): Promise<StatusOk>;
  /** `POST /api/v1/inference/up/async` (since v0.2.4): start vLLM in the background; same 409/500 errors. */
  inferenceUpAsync(request: Omit<InferenceInitRequest, "dtype"> & { dtype?: string }, options?: CallOptions): Promise<InferenceUpAsyncResponse>;
  /** `GET /api/v1/inference/up/status` (since v0.2.4): progress of a start-up. */
  inferenceUpStatus(options?: CallOptions): Promise<InferenceUpStatus>;
  /** `POST /api/v1/inference/down`: stop vLLM. */
  inferenceDown(options?: CallOptions): Promise<StatusOk>;
  /** PoC v2 routes (what the network node calls since v0.2.8). */
  readonly pocV2: MlNodePocV2Api;
  /** Model cache routes. */
  readonly models: MlNodeModelsApi;
  /** GPU routes. */
  readonly gpu: MlNodeGpuApi;
  /** PoW v1 routes (unused by the network node since v0.2.8). */
  readonly pow: MlNodePowApi;
  /** Training routes. */
  readonly train: MlNodeTrainApi;
  /**
   * `GET {inferenceUrl}/health`: `true` iff vLLM answers 200. A refused connection, a timeout or an
   * error status reads as `false` (the port is closed while vLLM is down).
   */
  health(options?: CallOptions): Promise<boolean>;
  /** `POST {inferenceUrl}/tokenize`: count the tokens of a prompt. */
  tokenize(request: TokenizeRequest, options?: CallOptions): Promise<TokenizeResponse>;
  /**
   * `GET {baseUrl}/health` (since v0.2.4; `HttpError` 404 on older MLNodes): service mode, GPUs
   * and manager health. Resolves for both 200 (`status: "healthy"`) and 503 (`"unhealthy"`).
   */
  serviceHealth(options?: CallOptions): Promise<HealthResponse>;
  /** `GET {baseUrl}/readyz` (since v0.2.4): `{ready}`, for both 200 and 503. */
  readiness(options?: CallOptions): Promise<ReadinessResponse>;
}

function defaultInferenceUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.port = "5000";
  url.pathname = "";
  return url.toString().replace(/\/+$/, "");
}

const errorHint = (status: number, body: unknown): string | undefined => mlNodeHint(status, body);

function checkPocV2Init(request: PocV2InitRequest, argument = "request"): void {
  if (!request || typeof request !== "object") throw new InvalidArgumentError(argument, "expected a PoC v2 init request object");
  for (const key of ["block_hash", "public_key"] as const)
    if (typeof request[key] !== "string" || request[key] === "") throw new InvalidArgumentError(`${argument}.${key}`, "must be a non-empty string");
  for (const key of ["block_height", "node_id", "node_count"] as const)
    if (!Number.isSafeInteger(request[key]) || request[key] < 0) throw new InvalidArgumentError(`${argument}.${key}`, `${String(request[key])} is not a non-negative integer`);
  const params = request.params as PocV2InitRequest["params"] | undefined;
  if (!params || typeof params.model !== "string" || params.model === "" || !Number.isSafeInteger(params.seq_len) || params.seq_len <= 0)
    throw new InvalidArgumentError(`${argument}.params`, "needs the served model id and a positive seq_len, e.g. { model, seq_len: 1024 }");
  const extra = Object.keys(params).filter((k) => !["model", "seq_len", "k_dim"].includes(k));
  if (extra.length) throw new InvalidArgumentError(`${argument}.params`, `unknown key(s) ${extra.join(", ")}: the MLNode answers 422 (put poc_stronger_rng at the top level)`);
}

function checkGenerate(request: PocV2GenerateRequest): void {
  checkPocV2Init(request);
  if (!Array.isArray(request.nonces) || request.nonces.length === 0 || !request.nonces.every((n) => Number.isSafeInteger(n)))
    throw new InvalidArgumentError("request.nonces", "expected a non-empty array of integers");
  if (request.validation) {
    const artifacts = request.validation.artifacts;
    if (!Array.isArray(artifacts)) throw new InvalidArgumentError("request.validation.artifacts", "expected an array of {nonce, vector_b64}");
    const wanted = new Set(request.nonces);
    const given = new Set(artifacts.map((a) => a.nonce));
    if (given.size !== wanted.size || [...wanted].some((n) => !given.has(n)))
      throw new InvalidArgumentError("request.validation.artifacts", "the artifacts' nonces must be exactly the set of `nonces` (the MLNode answers 400 otherwise)");
  }
}

function checkModel(model: HfModel): HfModel {
  if (!model || typeof model.hf_repo !== "string" || model.hf_repo === "") throw new InvalidArgumentError("model.hf_repo", "a Hugging Face repository id is required");
  return { hf_repo: model.hf_repo, hf_commit: model.hf_commit ?? null };
}

/** Calls a health route that answers its body with 200 or 503; a 503 with a valid body is an answer, not an error. */
async function answerEven503<T>(run: () => Promise<T>, shape: Shape<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof HttpError && err.status === 503) {
      try {
        return shape.check(err.body, "$");
      } catch {
        throw err;
      }
    }
    throw err;
  }
}

/**
 * Creates a typed MLNode client. Non-2xx answers throw `HttpError` (status, method, URL, parsed
 * FastAPI body; `RateLimitError`/`ServiceUnavailableError` for 429/503); only idempotent calls
 * (GETs, `stop`, `pow.stop`, `pocV2.stop`, `inferenceDown`, `models.status`, `models.remove`) are
 * retried.
 *
 * @example
 * ```ts
 * const mlnode = createMlNodeClient({ baseUrl: "http://10.0.0.5:8080" });
 * const { state } = await mlnode.state();
 * await mlnode.inferenceUp({ model: "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", additional_args: ["--tensor-parallel-size", "8"] });
 * await mlnode.pocV2.initGenerate({ block_hash, block_height, public_key, node_id: 1, node_count: 1,
 *   params: { model: "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", seq_len: 1024 },
 *   url: pocV2CallbackUrl(callbacks.origin, "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8") });
 * ```
 */
export function createMlNodeClient(options: MlNodeClientOptions): MlNodeClient {
  const http: HttpCore = createHttpCore(options);
  const inferenceBody = (request: Omit<InferenceInitRequest, "dtype"> & { dtype?: string }): InferenceInitRequest => {
    if (!request || typeof request.model !== "string" || request.model === "")
      throw new InvalidArgumentError("request.model", "a Hugging Face model id is required");
    return { model: request.model, dtype: request.dtype ?? "auto", additional_args: request.additional_args ?? [] };
  };
  /** 409 and 500 of inference/up are typed; a 409 mode conflict ("Cannot run INFERENCE …") stays an HttpError. */
  const startError = (err: unknown): unknown => {
    if (!(err instanceof HttpError)) return err;
    if (err.status === 409 && !/^Cannot run /.test(err.serverMessage ?? "")) return new InferenceStartConflictError(err);
    if (err.status === 500) return new InferenceStartError(err.url, err.serverMessage, 500, err);
    return err;
  };
  const vllm: HttpCore = createHttpCore({ ...options, baseUrl: options.inferenceUrl ?? defaultInferenceUrl(http.baseUrl) });

  function call<T>(core: HttpCore, request: RequestOptions<T>, callOptions: CallOptions | undefined): Promise<T> {
    return core.request<T>({ errorHint, ...request, ...callOptions });
  }
  const post = <T>(path: string, shape: Shape<T>, o: CallOptions | undefined, body?: unknown, idempotent = false): Promise<T> =>
    call(http, { method: "POST", path, shape, idempotent, ...(body !== undefined ? { body } : {}) }, o);
  const get = <T>(path: string, shape: Shape<T>, o: CallOptions | undefined): Promise<T> => call(http, { path, shape }, o);

  const checkInit = (request: PowInitRequest, needsNodeIndex: boolean): void => {
    if (!request || typeof request !== "object") throw new InvalidArgumentError("request", "expected a PowInitRequest object");
    if (typeof request.url !== "string" || request.url === "")
      throw new InvalidArgumentError("request.url", "the callback base URL is required (the MLNode POSTs to {url}/generated and {url}/validated)");
    if (needsNodeIndex && ((request.node_id ?? -1) < 0 || (request.node_count ?? -1) < 0))
      throw new InvalidArgumentError("request.node_id", "init/generate needs node_id and node_count (the MLNode answers 400 without them)");
  };

  const pow: MlNodePowApi = {
    init: (request, o) => (checkInit(request, false), post("/api/v1/pow/init", powInitShape, o, request)),
    initGenerate: (request, o) => (checkInit(request, true), post("/api/v1/pow/init/generate", powInitShape, o, request)),
    initValidate: (request, o) => (checkInit(request, false), post("/api/v1/pow/init/validate", powInitShape, o, request)),
    phaseGenerate: (o) => post("/api/v1/pow/phase/generate", powInitShape, o),
    phaseValidate: (o) => post("/api/v1/pow/phase/validate", powInitShape, o),
    validate: (batch, o) => {
      if (!batch || !Array.isArray(batch.nonces) || !Array.isArray(batch.dist) || batch.nonces.length !== batch.dist.length)
        throw new InvalidArgumentError("batch", "nonces and dist must be arrays of the same length");
      return post("/api/v1/pow/validate", s.nullValue(), o, batch);
    },
    status: (o) => get("/api/v1/pow/status", powStatusShape, o),
    stop: (o) => post("/api/v1/pow/stop", powStopShape, o, undefined, true),
  };

  const pocV2: MlNodePocV2Api = {
    initGenerate: (request, o) => (checkPocV2Init(request), post("/api/v1/inference/pow/init/generate", pocV2InitShape, o, request)),
    generate: (request, o) => (checkGenerate(request), post("/api/v1/inference/pow/generate", pocV2GenerateShape, o, request)),
    result: (requestId, o) => {
      if (typeof requestId !== "string" || !/^\d+:.+$/.test(requestId))
        throw new InvalidArgumentError("requestId", "expected the composite id <port>:<uuid> returned by generate()");
      const colon = requestId.indexOf(":");
      return get(`/api/v1/inference/pow/generate/${requestId.slice(0, colon)}:${pathSegment(requestId.slice(colon + 1))}`, pocV2GenerateShape, o);
    },
    status: (o) => get("/api/v1/inference/pow/status", pocV2StatusShape, o),
    stop: (o) => post("/api/v1/inference/pow/stop", pocV2StopShape, o, undefined, true),
  };

  const models: MlNodeModelsApi = {
    status: (model, o) => post("/api/v1/models/status", modelStatusShape, o, checkModel(model), true),
    download: (model, o) => post("/api/v1/models/download", modelDownloadShape, o, checkModel(model)),
    remove: (model, o) => call(http, { method: "DELETE", path: "/api/v1/models", body: checkModel(model), shape: modelDeleteShape, idempotent: true }, o),
    list: (o) => get("/api/v1/models/list", modelListShape, o),
    space: (o) => get("/api/v1/models/space", modelSpaceShape, o),
  };

  const gpu: MlNodeGpuApi = {
    devices: (o) => get("/api/v1/gpu/devices", gpuDevicesShape, o),
    driver: (o) => get("/api/v1/gpu/driver", gpuDriverShape, o),
  };

  const train: MlNodeTrainApi = {
    start: (request, o) => post("/api/v1/train/start", statusMessageShape, o, request),
    stop: (o) => post("/api/v1/train/stop", statusMessageShape, o),
    status: (o) => get("/api/v1/train/status", trainStatusShape, o),
  };

  return {
    baseUrl: http.baseUrl,
    inferenceUrl: vllm.baseUrl,
    state: (o) => get("/api/v1/state", stateShape, o),
    stop: (o) => post("/api/v1/stop", statusOkShape, o, undefined, true),
    async inferenceUp(request, o) {
      const body = inferenceBody(request);
      const url = http.url("/api/v1/inference/up");
      let answer: { status: "OK" | "ERROR"; message?: string };
      try {
        answer = await post("/api/v1/inference/up", inferenceUpShape, { timeoutMs: INFERENCE_UP_TIMEOUT_MS, ...o }, body);
      } catch (err) {
        throw startError(err);
      }
      if (answer.status !== "OK") throw new InferenceStartError(url, answer.message, 200);
      return { status: "OK" };
    },
    async inferenceUpAsync(request, o) {
      try {
        return await post("/api/v1/inference/up/async", inferenceUpAsyncShape, o, inferenceBody(request));
      } catch (err) {
        throw startError(err);
      }
    },
    inferenceUpStatus: (o) => get("/api/v1/inference/up/status", inferenceUpStatusShape, o),
    inferenceDown: (o) => post("/api/v1/inference/down", statusOkShape, o, undefined, true),
    pocV2,
    models,
    gpu,
    pow,
    train,
    async health(o) {
      try {
        await call(vllm, { path: "/health", responseType: "none" }, { retries: 0, ...o });
        return true;
      } catch (err) {
        if (err instanceof HttpError || err instanceof NetworkError || err instanceof HttpTimeoutError) return false;
        throw err;
      }
    },
    tokenize: (request, o) => call(vllm, { method: "POST", path: "/tokenize", body: request, shape: tokenizeShape }, o),
    serviceHealth: (o) => answerEven503(() => call(http, { path: "/health", shape: serviceHealthShape }, { retries: 0, ...o }), serviceHealthShape),
    readiness: (o) => answerEven503(() => call(http, { path: "/readyz", shape: readinessShape }, { retries: 0, ...o }), readinessShape),
  };
}
