/**
 * `gonkaFetch`: a `fetch` for `new OpenAI({ baseURL, fetch })` that signs every request with the
 * developer's key and fails over across transfer agents.
 */
import { GonkaError, InvalidArgumentError, messageOf } from "../errors.js";
import { fetchLatestBlockTimeNs } from "./block-time.js";
import { defaultTimestampClock, type TimestampClock } from "./clock.js";
import {
  fetchTransferAgents,
  normalizeTransferAgentUrl,
  parseTransferAgents,
  type TransferAgent,
  type TransferAgentInput,
} from "./discovery.js";
import { EndpointPool, type EndpointStrategy } from "./endpoint-pool.js";
import { TransferAgentsUnavailableError, type TransferAgentAttempt } from "./errors.js";
import type { FetchLike } from "./get-json.js";
import { signerFromPrivateKey, type InferenceSigner, type PrivateKeyInput } from "./keys.js";
import { inferenceSignaturePayload, signPayloadWith, type InferenceSignatureScheme } from "./signature.js";

/** What {@link GonkaFetchOptions.onAttempt} receives after each attempt (never any secret). */
export interface GonkaFetchAttemptInfo {
  /** 1-based attempt number within one request. */
  attempt: number;
  /** The transfer agent tried. */
  agent: TransferAgent;
  /** The final URL requested. */
  url: string;
  /** `X-Timestamp` sent (signed modes). */
  timestampNs?: bigint;
  /** HTTP status, when the agent answered. */
  status?: number;
  /** Network error or timeout, when it did not. */
  error?: unknown;
  /** Whether another attempt follows. */
  willRetry: boolean;
}

/** Options shared by every mode of {@link gonkaFetch}. */
export interface GonkaFetchCommonOptions {
  /**
   * Transfer agents to use: objects, `"url;address"` strings, or one comma-separated string
   * (the `GONKA_ENDPOINTS` format). In Bearer mode plain URLs are enough.
   */
  endpoints?: string | readonly TransferAgentInput[];
  /** A node to discover transfer agents from (`/v1/epochs/current/participants`). */
  sourceUrl?: string;
  /** Discovery: TA allow-list (default `"chain"`, see `fetchTransferAgents`). */
  allowedTransferAddresses?: readonly string[] | "chain" | "none";
  /** Discovery: keep only participants serving this model. */
  model?: string;
  /** Discovery: re-read the participant list after this many ms; default 600 000. */
  refreshMs?: number;
  /** The underlying fetch; default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Most agents tried per request; default all of them. */
  maxAttempts?: number;
  /** Time limit per attempt until response headers arrive, in ms; default none. */
  attemptTimeoutMs?: number;
  /** An agent that failed is tried last for this many ms; default 30 000. */
  cooldownMs?: number;
  /** `"round-robin"` (default, random start) or `"ordered"` (always from the first healthy agent). */
  strategy?: EndpointStrategy;
  /** Called after every attempt, e.g. for logging; receives no secrets. */
  onAttempt?: (info: GonkaFetchAttemptInfo) => void;
}

/** Signed mode: options about timestamps and the signature scheme. */
export interface GonkaFetchSignedOptions extends GonkaFetchCommonOptions {
  /** Payload scheme; default `"hashed-body"` (current nodes). */
  scheme?: InferenceSignatureScheme;
  /** Timestamp source; default the process-wide clock (unique across all `gonkaFetch`s). */
  clock?: TimestampClock;
  /**
   * Align the clock to the chain's latest block time (`{node}/chain-rpc/status`) before the first
   * request and again when a node answers "timestamp too old / in the future". Default: true when
   * `sourceUrl` is set. A failed sync is ignored (the wall clock is used).
   */
  syncClock?: boolean;
}

/** Signs with a private key (32 bytes or 64 hex digits). */
export interface GonkaFetchPrivateKeyOptions extends GonkaFetchSignedOptions {
  privateKey: PrivateKeyInput;
  signer?: undefined;
  apiKey?: undefined;
}

/** Signs with a signer object `{ address, sign }` (e.g. a wallet). */
export interface GonkaFetchSignerOptions extends GonkaFetchSignedOptions {
  signer: InferenceSigner;
  privateKey?: undefined;
  apiKey?: undefined;
}

/** Bearer mode for brokers: `Authorization: Bearer <apiKey>`, no signature, same failover. */
export interface GonkaFetchBearerOptions extends GonkaFetchCommonOptions {
  apiKey: string;
  privateKey?: undefined;
  signer?: undefined;
}

/** Options of {@link gonkaFetch}: exactly one of `privateKey`, `signer` or `apiKey`. */
export type GonkaFetchOptions = GonkaFetchPrivateKeyOptions | GonkaFetchSignerOptions | GonkaFetchBearerOptions;

/** The function returned by {@link gonkaFetch}: a `fetch`, plus two helpers. */
export interface GonkaFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** The requester address (signed modes). */
  readonly address: string | undefined;
  /** The transfer agents currently in use (runs discovery if needed). */
  transferAgents(): Promise<TransferAgent[]>;
}

const HEADERS_WE_SET = ["authorization", "content-length", "x-requester-address", "x-timestamp", "x-transfer-address"];
const TIMESTAMP_REJECTED = /timestamp is (too old|in the future)/i;
const TA_NOT_ALLOWED = /transfer agent not allowed/i;

/** The part of a request URL after its `/v1` segment (the OpenAI route), with the query. */
export function openAiRoute(url: URL): string {
  const path = url.pathname;
  const at = path.indexOf("/v1/");
  let route: string;
  if (at >= 0) route = path.slice(at + 3);
  else if (path.endsWith("/v1")) route = "";
  else route = path;
  return route + url.search;
}

/** A retry is worth it: the TA is over capacity (429), broken (5xx), or unreachable. */
function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

function hasBody(method: string): boolean {
  return method !== "GET" && method !== "HEAD";
}

/**
 * Creates a `fetch` that signs each request (or adds a Bearer key) and retries on the next
 * transfer agent after a 429, a 5xx, a 403 "Transfer Agent not allowed" or a network error,
 * re-signing with a fresh timestamp. The
 * exact bytes sent are the bytes signed. Streaming responses are returned untouched.
 *
 * The URL given by the caller only contributes its route: everything after its `/v1` segment is
 * sent to `{agent.url}/v1…`, so `baseURL` may be any URL ending in `/v1`.
 *
 * @example
 * ```ts
 * import OpenAI from "openai";
 * import { gonkaFetch } from "gonka-sdk/inference";
 * const client = new OpenAI({
 *   baseURL: "http://node2.gonka.ai:8000/v1",
 *   apiKey: "unused", // replaced by the signature
 *   fetch: gonkaFetch({ privateKey: process.env.GONKA_PRIVATE_KEY!, sourceUrl: "http://node2.gonka.ai:8000" }),
 * });
 * const out = await client.chat.completions.create({ model: "Qwen/QwQ-32B", messages: [{ role: "user", content: "Hi" }] });
 * ```
 */
export function gonkaFetch(options: GonkaFetchOptions): GonkaFetch {
  const modes = [options.privateKey !== undefined, options.signer !== undefined, options.apiKey !== undefined].filter(Boolean);
  if (modes.length !== 1) {
    throw new InvalidArgumentError("options", "give exactly one of privateKey, signer or apiKey");
  }
  if (options.endpoints === undefined && options.sourceUrl === undefined) {
    throw new InvalidArgumentError("options", "give endpoints, sourceUrl, or both");
  }
  const bearer = options.apiKey !== undefined;
  if (bearer && (typeof options.apiKey !== "string" || options.apiKey.length === 0)) {
    throw new InvalidArgumentError("apiKey", "must be a non-empty string");
  }
  const signer: InferenceSigner | undefined =
    options.privateKey !== undefined ? signerFromPrivateKey(options.privateKey) : options.signer;
  if (signer !== undefined && (typeof signer.address !== "string" || typeof signer.sign !== "function")) {
    throw new InvalidArgumentError("signer", "expected { address: string, sign(bytes) }");
  }
  const signed = options as GonkaFetchSignedOptions;
  const scheme = signed.scheme ?? "hashed-body";
  const clock = signed.clock ?? defaultTimestampClock;
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const pool = new EndpointPool(options.strategy ?? "round-robin", options.cooldownMs ?? 30_000);
  const refreshMs = options.refreshMs ?? 600_000;

  const fixed: TransferAgent[] | undefined =
    options.endpoints === undefined
      ? undefined
      : bearer
        ? parseBearerEndpoints(options.endpoints)
        : parseTransferAgents(options.endpoints);

  let discovered: { agents: TransferAgent[]; at: number } | undefined;
  let discovering: Promise<TransferAgent[]> | undefined;
  const agents = async (): Promise<TransferAgent[]> => {
    if (fixed !== undefined) return fixed;
    const sourceUrl = options.sourceUrl as string;
    if (discovered && Date.now() - discovered.at < refreshMs) return discovered.agents;
    discovering ??= fetchTransferAgents({
      sourceUrl,
      fetch: doFetch,
      ...(options.allowedTransferAddresses !== undefined ? { allowedTransferAddresses: options.allowedTransferAddresses } : {}),
      ...(options.model !== undefined ? { model: options.model } : {}),
    })
      .then((list) => {
        discovered = { agents: list, at: Date.now() };
        return list;
      })
      .catch((err: unknown) => {
        if (discovered) return discovered.agents; // keep serving the last good list
        throw err;
      })
      .finally(() => {
        discovering = undefined;
      });
    return discovering;
  };

  // Clock alignment to block time.
  const wantSync = !bearer && (signed.syncClock ?? options.sourceUrl !== undefined);
  let synced: Promise<void> | undefined;
  const syncClock = (force: boolean, fallbackUrl: string | undefined): Promise<void> => {
    const from = options.sourceUrl ?? fallbackUrl;
    if (!wantSync || from === undefined) return Promise.resolve();
    if (synced && !force) return synced;
    synced = fetchLatestBlockTimeNs(from, { fetch: doFetch, timeoutMs: 5_000 })
      .then((blockNs) => clock.correct(blockNs))
      .catch(() => undefined);
    return synced;
  };

  const run = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = toRequest(input, init);
    const method = request.method.toUpperCase();
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = hasBody(method) ? new Uint8Array(await request.arrayBuffer()) : new Uint8Array(0);
    } catch (err) {
      throw new GonkaError("Could not read the request body", { cause: err });
    }
    const callerSetContentType =
      new Headers(init?.headers).has("content-type") || (input instanceof Request && input.headers.has("content-type"));
    const route = openAiRoute(new URL(request.url));
    const list = await agents();
    const ordered = pool.order(list);
    if (ordered.length === 0) {
      throw new TransferAgentsUnavailableError([], {
        details: "No transfer agent is configured or discovered (the allow-list or model filter may exclude all).",
      });
    }
    if (signer) await syncClock(false, ordered[0]?.url);
    const limit = Math.max(1, Math.min(options.maxAttempts ?? ordered.length, ordered.length));
    const attempts: TransferAgentAttempt[] = [];
    let lastError: unknown;
    let resynced = false;
    const userSignal = request.signal;

    for (let i = 0; i < limit; i++) {
      const agent = ordered[i]!;
      const target = `${agent.url}/v1${route}`;
      const headers = new Headers(request.headers);
      for (const h of HEADERS_WE_SET) headers.delete(h);
      // A string body makes `Request` add text/plain; nodes need JSON unless the caller chose a type.
      if (body.length > 0 && !callerSetContentType) headers.set("content-type", "application/json");
      let timestampNs: bigint | undefined;
      if (signer) {
        timestampNs = clock.next();
        const payload = inferenceSignaturePayload({ body, timestampNs, transferAddress: agent.address, scheme });
        headers.set("authorization", await signPayloadWith(signer, payload));
        headers.set("x-requester-address", signer.address);
        headers.set("x-timestamp", timestampNs.toString());
        headers.set("x-transfer-address", agent.address);
      } else {
        headers.set("authorization", `Bearer ${options.apiKey as string}`);
      }

      const attemptSignal = withTimeout(userSignal, options.attemptTimeoutMs);
      let response: Response;
      try {
        response = await doFetch(target, {
          method,
          headers,
          ...(hasBody(method) ? { body } : {}),
          signal: attemptSignal.signal,
          redirect: request.redirect,
        });
      } catch (err) {
        attemptSignal.release();
        if (userSignal.aborted) throw err; // the caller cancelled: no failover
        const reason = attemptSignal.timedOut ? `no response within ${options.attemptTimeoutMs} ms` : networkReason(err);
        attempts.push({ url: agent.url, reason });
        lastError = err;
        pool.markFailed(agent.url);
        options.onAttempt?.({ attempt: i + 1, agent, url: target, ...(timestampNs !== undefined ? { timestampNs } : {}), error: err, willRetry: i + 1 < limit });
        continue;
      }
      attemptSignal.done();

      // A node that judges our clock wrong: align to block time once and retry the same agent.
      if (signer && wantSync && !resynced && response.status === 400) {
        const text = await response.clone().text().catch(() => "");
        if (TIMESTAMP_REJECTED.test(text)) {
          resynced = true;
          await syncClock(true, agent.url);
          options.onAttempt?.({ attempt: i + 1, agent, url: target, ...(timestampNs !== undefined ? { timestampNs } : {}), status: 400, willRetry: true });
          await response.body?.cancel().catch(() => undefined);
          i--;
          continue;
        }
      }

      let failed = isRetryableStatus(response.status);
      // 403 "Transfer Agent not allowed": this TA is off the chain's allow-list; another may be on it.
      if (response.status === 403) failed = TA_NOT_ALLOWED.test(await response.clone().text().catch(() => ""));
      const retry = failed && i + 1 < limit;
      options.onAttempt?.({ attempt: i + 1, agent, url: target, ...(timestampNs !== undefined ? { timestampNs } : {}), status: response.status, willRetry: retry });
      if (failed) pool.markFailed(agent.url);
      else pool.markHealthy(agent.url);
      if (!retry) return response;
      const text = await response.text().catch(() => "");
      attempts.push({ url: agent.url, status: response.status, reason: text.slice(0, 200) });
    }
    throw new TransferAgentsUnavailableError(attempts, { cause: lastError });
  };

  const fn = ((input: string | URL | Request, init?: RequestInit) => run(input, init)) as GonkaFetch;
  Object.defineProperty(fn, "address", { value: signer?.address, enumerable: true });
  Object.defineProperty(fn, "transferAgents", { value: agents, enumerable: false });
  return fn;
}

/** "fetch failed: connect ECONNREFUSED 127.0.0.1:1" rather than just "fetch failed". */
function networkReason(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  return cause === undefined ? messageOf(err) : `${messageOf(err)}: ${messageOf(cause)}`;
}

function parseBearerEndpoints(input: string | readonly TransferAgentInput[]): TransferAgent[] {
  const items = typeof input === "string" ? input.split(",").map((s) => s.trim()).filter(Boolean) : [...input];
  return items.map((item) => {
    if (typeof item === "string") {
      const sep = item.lastIndexOf(";");
      return sep < 0
        ? { url: normalizeTransferAgentUrl(item), address: "" }
        : { url: normalizeTransferAgentUrl(item.slice(0, sep)), address: item.slice(sep + 1).trim() };
    }
    return { ...item, url: normalizeTransferAgentUrl(item.url) };
  });
}

function toRequest(input: string | URL | Request, init?: RequestInit): Request {
  const needsDuplex = init?.body instanceof ReadableStream;
  const full: RequestInit & { duplex?: "half" } = needsDuplex ? { ...init, duplex: "half" } : (init ?? {});
  try {
    return new Request(input, full);
  } catch (err) {
    throw new InvalidArgumentError("input", "not a valid absolute URL or Request", { cause: err });
  }
}

/** An AbortSignal that follows `parent` and, optionally, fires after `ms` (until headers arrive). */
function withTimeout(parent: AbortSignal, ms: number | undefined) {
  const controller = new AbortController();
  const state = { signal: controller.signal, timedOut: false, done: () => {}, release: () => {} };
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener("abort", onAbort, { once: true });
  const timer =
    ms !== undefined
      ? setTimeout(() => {
          state.timedOut = true;
          controller.abort(new Error(`attempt timed out after ${ms} ms`));
        }, ms)
      : undefined;
  // done(): headers arrived; keep following the caller's signal so that it can cancel a stream.
  state.done = () => {
    if (timer !== undefined) clearTimeout(timer);
  };
  // release(): the attempt failed; stop following the caller's signal.
  state.release = () => {
    if (timer !== undefined) clearTimeout(timer);
    parent.removeEventListener("abort", onAbort);
  };
  return state;
}
