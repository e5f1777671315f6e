/**
 * The PoC callback receiver logic, runtime-neutral: what the network node's port-9100 server does
 * for `POST {url}/generated` and `POST {url}/validated`, for tools that drive an MLNode themselves.
 * `createPocCallbackHandler` returns a fetch-style `(Request) => Promise<Response>` handler that
 * works in any runtime with web `Request`/`Response`; `createPocCallbackServer` (Node only) serves it.
 * @module
 */
import { messageOf } from "../errors.js";
import { ShapeMismatch } from "../http/index.js";
import { proofBatchShape, validatedBatchShape } from "./shapes.js";
import type { ProofBatch, ValidatedBatch } from "./types.js";

/** Where a callback came from. */
export interface PocCallbackInfo {
  /** Request path, e.g. `/v1/poc-batches/generated`. */
  path: string;
  /** Request headers. */
  headers: Headers;
}

/** Receivers of the two callbacks. A throw (or rejection) answers 500, so the MLNode resends next cycle. */
export interface PocCallbackReceivers {
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
   * Base path the MLNode is told (`url` of `pow/init*` is `<origin><basePath>`). Default
   * `/v1/poc-batches`; the legacy `/mlnode/v1/poc-batches` is always served too.
   */
  basePath?: string;
}

/** A plain answer: status and an optional JSON body. */
export interface CallbackAnswer {
  status: number;
  body?: { error: string };
}

/** The default callback base path used by the network node. */
export const DEFAULT_CALLBACK_PATH = "/v1/poc-batches";
const LEGACY_CALLBACK_PATH = "/mlnode/v1/poc-batches";

/** Internal: routes one request to a receiver and returns the answer (never throws). */
export async function answerCallback(
  options: PocCallbackHandlerOptions,
  method: string,
  path: string,
  headers: Headers,
  text: string,
): Promise<CallbackAnswer> {
  const base = (options.basePath ?? DEFAULT_CALLBACK_PATH).replace(/\/+$/, "");
  const info: PocCallbackInfo = { path, headers };
  const kind = [base, LEGACY_CALLBACK_PATH].flatMap((b) => (path === `${b}/generated` ? ["generated"] : path === `${b}/validated` ? ["validated"] : []))[0];
  const refuse = (status: number, message: string, cause?: unknown): CallbackAnswer => {
    options.onError?.(new Error(message, cause !== undefined ? { cause } : undefined), info);
    return { status, body: { error: message } };
  };
  if (!kind) return refuse(404, `Not Found: ${path} (expected ${base}/generated or ${base}/validated)`);
  if (method !== "POST") return refuse(405, `Method Not Allowed: ${method} ${path} (use POST)`);
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (err) {
    return refuse(400, `Request body is not valid JSON: ${messageOf(err)}`, err);
  }
  try {
    if (kind === "generated") {
      const batch = proofBatchShape.check(json, "$");
      await options.onGenerated?.(batch, info);
    } else {
      const batch = validatedBatchShape.check(json, "$");
      await options.onValidated?.(batch, info);
    }
    return { status: 200 };
  } catch (err) {
    if (err instanceof ShapeMismatch) return refuse(400, `Request body is not a ${kind === "generated" ? "ProofBatch" : "ValidatedBatch"}: ${err.message}`, err);
    return refuse(500, `Callback receiver failed: ${messageOf(err)}`, err);
  }
}

/**
 * Creates a fetch-style handler for the PoC callbacks: `POST <basePath>/generated` (a `ProofBatch`)
 * and `POST <basePath>/validated` (a `ValidatedBatch`). Answers 200 with an empty body on success,
 * 400 `{"error":…}` for bad JSON or a wrong shape, 500 when a receiver throws (the MLNode keeps the
 * batch and resends it 5 s later), 404/405 otherwise — like the network node.
 *
 * @example
 * ```ts
 * const handler = createPocCallbackHandler({ onGenerated: (b) => console.log(b.nonces.length) });
 * Deno.serve(handler); // or Bun.serve({ fetch: handler })
 * ```
 */
export function createPocCallbackHandler(options: PocCallbackHandlerOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    const path = new URL(request.url).pathname;
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
