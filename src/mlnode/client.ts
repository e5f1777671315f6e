/**
 * `createMlNodeClient`: a typed client for an MLNode's management API (`/api/v1/*` on the PoC
 * port) and its vLLM health/tokenize routes (inference port).
 * @module
 */
import { InvalidArgumentError } from "../errors.js";
import {
  createHttpCore,
  HttpError,
  HttpTimeoutError,
  NetworkError,
  s,
  type FetchLike,
  type HeadersSource,
  type HttpCore,
  type RequestOptions,
  type Shape,
} from "../http/index.js";
import { InferenceStartError, mlNodeHint } from "./errors.js";
import {
  inferenceUpShape,
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
  HealthResponse,
  InferenceInitRequest,
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

/** The PoW routes of an MLNode client. */
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
   * `POST /api/v1/inference/up`: start vLLM and wait until it is healthy (minutes). Throws
   * {@link InferenceStartError} when the MLNode answers `{"status":"ERROR"}` (with HTTP 200).
   * `dtype` defaults to `"float16"`, `additional_args` to `[]`.
   */
  inferenceUp(request: Omit<InferenceInitRequest, "dtype"> & { dtype?: string }, options?: CallOptions): Promise<StatusOk>;
  /** `POST /api/v1/inference/down`: stop vLLM. */
  inferenceDown(options?: CallOptions): Promise<StatusOk>;
  /** PoW routes. */
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
   * `GET {baseUrl}/health` (later MLNode releases; `HttpError` 404 on older ones): service mode, GPUs
   * and manager health. Resolves for both 200 (`status: "healthy"`) and 503 (`"unhealthy"`).
   */
  serviceHealth(options?: CallOptions): Promise<HealthResponse>;
  /** `GET {baseUrl}/readyz` (later releases): `{ready}`, for both 200 and 503. */
  readiness(options?: CallOptions): Promise<ReadinessResponse>;
}

function defaultInferenceUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.port = "5000";
  url.pathname = "";
  return url.toString().replace(/\/+$/, "");
}

const errorHint = (status: number): string | undefined => mlNodeHint(status);

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
 * FastAPI body); only idempotent calls (`state`, `pow.status`, `train.status`, `health`, `stop`,
 * `pow.stop`, `inferenceDown`) are retried.
 *
 * @example
 * ```ts
 * const mlnode = createMlNodeClient({ baseUrl: "http://10.0.0.5:8080" });
 * const { state } = await mlnode.state();
 * if (state !== "STOPPED") await mlnode.stop();
 * await mlnode.pow.initGenerate({ node_id: 1, node_count: 1, block_hash, block_height, public_key,
 *   batch_size: 100, r_target: DEFAULT_R_TARGET, fraud_threshold: 1e-7, url: callbacks.url });
 * ```
 */
export function createMlNodeClient(options: MlNodeClientOptions): MlNodeClient {
  const http: HttpCore = createHttpCore(options);
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
      if (!request || typeof request.model !== "string" || request.model === "")
        throw new InvalidArgumentError("request.model", "a Hugging Face model id is required");
      const body: InferenceInitRequest = { model: request.model, dtype: request.dtype ?? "float16", additional_args: request.additional_args ?? [] };
      const answer = await post("/api/v1/inference/up", inferenceUpShape, { timeoutMs: INFERENCE_UP_TIMEOUT_MS, ...o }, body);
      if (answer.status !== "OK") throw new InferenceStartError(http.url("/api/v1/inference/up"), answer.message);
      return { status: "OK" };
    },
    inferenceDown: (o) => post("/api/v1/inference/down", statusOkShape, o, undefined, true),
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
