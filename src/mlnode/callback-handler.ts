/**
 * The PoC callback receiver logic, runtime-neutral: what the network node's port-9100 server does
 * for `POST {url}/generated` and `POST {url}/validated`, for tools that drive an MLNode themselves.
 * PoC v2 (what MLNodes send since v0.2.8): `POST /v2/poc-batches/{model id escaped twice}/generated`
 * (artifact batches) and `…/validated` (verdicts). PoW v1 (`/v1/poc-batches/…`, removed from the
 * network node in v0.2.12) stays available for MLNodes that still run it.
 * `createPocCallbackHandler` returns a fetch-style `(Request) => Promise<Response>` handler that
 * works in any runtime with web `Request`/`Response`; `createPocCallbackServer` (Node only) serves it.
 * @module
 */
import { base64 } from "@scure/base";
import { GonkaError, messageOf } from "../errors.js";
import { ShapeMismatch } from "../http/index.js";
import { parsePocV2CallbackPath, POC_V2_CALLBACK_PREFIX } from "./callback-path.js";
import { generatedArtifactBatchShape, proofBatchShape, validatedBatchShape, validatedResultV2Shape } from "./shapes.js";
import type { GeneratedArtifactBatchV2, ProofBatch, ValidatedBatch, ValidatedResultV2 } from "./types.js";

/** Where a callback came from. */
export interface PocCallbackInfo {
  /** Request path as received (still percent-encoded), e.g. `/v2/poc-batches/Qwen%252FQwen3/generated`. */
  path: string;
  /** Request headers. */
  headers: Headers;
}

/** Where a PoC v2 callback came from, with the model id decoded from its path. */
export interface PocV2CallbackInfo extends PocCallbackInfo {
  /** The model id, e.g. `Qwen/Qwen3-235B-A22B-Instruct-2507-FP8`. */
  modelId: string;
}

/**
 * Thrown by a receiver to refuse a callback with the network node's own status and text, e.g.
 * `new PocCallbackRefused(400, "unknown node_num")` or `new PocCallbackRefused(503, "not in PoC
 * generate phase")`. The MLNode keeps a refused batch and resends it.
 */
export class PocCallbackRefused extends GonkaError {
  override name = "PocCallbackRefused";
  /** The HTTP status to answer (4xx/5xx). */
  readonly status: number;
  /** The `error` text to answer. */
  readonly reason: string;
  constructor(status: number, reason: string) {
    super(`PoC callback refused with HTTP ${status}: ${reason}`);
    this.status = status;
    this.reason = reason;
  }
}

/** Receivers of the PoC v2 callbacks. A throw answers 500 (or a {@link PocCallbackRefused}'s status). */
export interface PocV2CallbackReceivers {
  /** An artifact batch (`GeneratedArtifactBatchV2`); every `vector_b64` has been checked to be non-empty base64. */
  onArtifacts?: (batch: GeneratedArtifactBatchV2, info: PocV2CallbackInfo) => void | Promise<void>;
  /** A validation verdict (`ValidatedResultV2`). */
  onValidatedV2?: (result: ValidatedResultV2, info: PocV2CallbackInfo) => void | Promise<void>;
}

/** Receivers of the PoW v1 callbacks. A throw (or rejection) answers 500, so the MLNode resends next cycle. */
export interface PocCallbackReceivers extends PocV2CallbackReceivers {
  /** A merged batch of generated candidate nonces. */
  onGenerated?: (batch: ProofBatch, info: PocCallbackInfo) => void | Promise<void>;
  /** The result of recomputing a batch queued with `pow.validate`. */
  onValidated?: (batch: ValidatedBatch, info: PocCallbackInfo) => void | Promise<void>;
  /** Called with every request that was refused (bad JSON, wrong shape, receiver error), for logging. */
  onError?: (error: Error, info: PocCallbackInfo) => void;
}

/** Options of {@link createPocCallbackHandler}. */
export interface PocCallbackHandlerOptions extends PocCallbackReceivers {
  /**
   * PoW v1 base path the MLNode is told (`url` of `pow/init*` is `<origin><basePath>`). Default
   * `/v1/poc-batches`; the legacy `/mlnode/v1/poc-batches` is served too.
   */
  basePath?: string;
  /** PoC v2 route prefix (default `/v2/poc-batches`, as on the network node). */
  v2Prefix?: string;
}

/** A plain answer: status and an optional JSON body. */
export interface CallbackAnswer {
  status: number;
  body?: { error: string };
}

/** The default callback base path used by the network node. */
export const DEFAULT_CALLBACK_PATH = "/v1/poc-batches";
const LEGACY_CALLBACK_PATH = "/mlnode/v1/poc-batches";

function checkArtifacts(batch: GeneratedArtifactBatchV2): string | undefined {
  for (const artifact of batch.artifacts) {
    let bytes: Uint8Array;
    try {
      bytes = base64.decode(artifact.vector_b64);
    } catch {
      return "invalid base64 in artifact vector";
    }
    if (bytes.length === 0) return "empty artifact vector";
  }
  return undefined;
}

/** Internal: routes one request to a receiver and returns the answer (never throws). */
export async function answerCallback(
  options: PocCallbackHandlerOptions,
  method: string,
  path: string,
  headers: Headers,
  text: string,
): Promise<CallbackAnswer> {
  const base = (options.basePath ?? DEFAULT_CALLBACK_PATH).replace(/\/+$/, "");
  const v2Prefix = (options.v2Prefix ?? POC_V2_CALLBACK_PREFIX).replace(/\/+$/, "");
  const info: PocCallbackInfo = { path, headers };
  const refuse = (status: number, message: string, cause?: unknown): CallbackAnswer => {
    options.onError?.(new Error(message, cause !== undefined ? { cause } : undefined), info);
    return { status, body: { error: message } };
  };
  const parseJson = (): { json: unknown } | CallbackAnswer => {
    try {
      return { json: JSON.parse(text) as unknown };
    } catch (err) {
      return refuse(400, `Request body is not valid JSON: ${messageOf(err)}`, err);
    }
  };
  const receiverFailed = (err: unknown, what: string): CallbackAnswer => {
    if (err instanceof ShapeMismatch) return refuse(400, `Request body is not a ${what}: ${err.message}`, err);
    if (err instanceof PocCallbackRefused) return refuse(err.status, err.reason, err);
    return refuse(500, `Callback receiver failed: ${messageOf(err)}`, err);
  };

  if (path.startsWith(`${v2Prefix}/`)) {
    const route = parsePocV2CallbackPath(path, v2Prefix);
    if (!route.ok) return refuse(route.status, route.status === 404 ? `Not Found: ${path}` : route.error);
    if (method !== "POST") return refuse(405, `Method Not Allowed: ${method} ${path} (use POST)`);
    const parsed = parseJson();
    if (!("json" in parsed)) return parsed;
    const v2info: PocV2CallbackInfo = { ...info, modelId: route.modelId };
    const what = route.kind === "generated" ? "GeneratedArtifactBatchV2" : "ValidatedResultV2";
    try {
      if (route.kind === "generated") {
        const batch = generatedArtifactBatchShape.check(parsed.json, "$");
        const bad = checkArtifacts(batch);
        if (bad) return refuse(400, bad);
        await options.onArtifacts?.(batch, v2info);
      } else {
        await options.onValidatedV2?.(validatedResultV2Shape.check(parsed.json, "$"), v2info);
      }
      return { status: 200 };
    } catch (err) {
      return receiverFailed(err, what);
    }
  }

  const kind = [base, LEGACY_CALLBACK_PATH].flatMap((b) => (path === `${b}/generated` ? ["generated"] : path === `${b}/validated` ? ["validated"] : []))[0];
  if (!kind) return refuse(404, `Not Found: ${path} (expected ${v2Prefix}/<model>/generated|validated, or ${base}/generated|validated for PoW v1)`);
  if (method !== "POST") return refuse(405, `Method Not Allowed: ${method} ${path} (use POST)`);
  const parsed = parseJson();
  if (!("json" in parsed)) return parsed;
  try {
    if (kind === "generated") await options.onGenerated?.(proofBatchShape.check(parsed.json, "$"), info);
    else await options.onValidated?.(validatedBatchShape.check(parsed.json, "$"), info);
    return { status: 200 };
  } catch (err) {
    return receiverFailed(err, kind === "generated" ? "ProofBatch" : "ValidatedBatch");
  }
}

/**
 * Creates a fetch-style handler for the PoC callbacks, answering like the network node:
 * PoC v2 `POST /v2/poc-batches/{model}/generated` (artifacts → `onArtifacts`) and `…/validated`
 * (verdict → `onValidatedV2`), with the model id decoded from the twice-escaped segment; PoW v1
 * `POST <basePath>/generated` (`ProofBatch`) and `…/validated` (`ValidatedBatch`). 200 with an empty
 * body on success; 400 `{"error":…}` for bad JSON, a wrong shape, `"model_id required"`,
 * `"invalid model_id"`, `"invalid base64 in artifact vector"`, `"empty artifact vector"`; a
 * receiver's {@link PocCallbackRefused} status; 500 when a receiver throws otherwise (the sender
 * keeps the batch and resends it); 404/405 for other routes and methods.
 *
 * @example
 * ```ts
 * const handler = createPocCallbackHandler({
 *   onArtifacts: (batch, { modelId }) => store(modelId, batch.node_id, batch.artifacts),
 * });
 * Deno.serve(handler); // or Bun.serve({ fetch: handler })
 * ```
 */
export function createPocCallbackHandler(options: PocCallbackHandlerOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    const path = new URL(request.url).pathname; // still percent-encoded, as on the wire
    let text = "";
    try {
      text = await request.text();
    } catch {
      text = "";
    }
    const answer = await answerCallback(options, request.method, path, request.headers, text);
    return answer.body
      ? new Response(JSON.stringify(answer.body), { status: answer.status, headers: { "content-type": "application/json; charset=UTF-8" } })
      : new Response(null, { status: answer.status });
  };
}
