/**
 * `gonkaFetch`: a `fetch` for `new OpenAI({ baseURL, fetch })` that reaches the Gonka network in
 * one of three ways:
 *
 * - **signed** (`privateKey` or `signer`): the direct path; each request is signed for one
 *   allow-listed transfer agent and fails over to the next one;
 * - **Bearer** (`apiKey` + `brokerUrl`): a broker or a devshard gateway; the key goes only to the
 *   broker's URLs, never to a discovered participant;
 * - **devshard** (`devshard: { escrowId, hosts, … }`): an escrow owner's signed session requests
 *   to the escrow's hosts.
 *
 * Every attempt has a deadline that covers the response headers and any error body read here;
 * bodies handed back are bounded in bytes and in idle time; redirects are never followed.
 */
import { GonkaError, InvalidArgumentError, messageOf } from "../errors.js";
import { startAttempt } from "../http/attempt.js";
import { fetchLatestBlockTimeNs } from "./block-time.js";
import { limitResponse, readPrefix, responseFromBytes } from "./bounded-read.js";
import { createTimestampClock, type TimestampClock } from "./clock.js";
import { devshardRequestSigner, devshardRoute, devshardSessionBody, checkEscrowId, devshardPrefix, type DevshardOptions } from "./devshard-request.js";
import {
  discoverTransferAgents,
  normalizeTransferAgentUrl,
  parseTransferAgents,
  type TransferAgent,
  type TransferAgentInput,
} from "./discovery.js";
import { EndpointPool, type EndpointStrategy } from "./endpoint-pool.js";
import { TransferAgentsUnavailableError, type TransferAgentAttempt } from "./errors.js";
import { displayUrl, type FetchLike } from "./get-json.js";
import { signerFromPrivateKey, type InferenceSigner, type PrivateKeyInput } from "./keys.js";
import {
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_CANDIDATES,
  DEFAULT_MAX_CLOCK_OFFSET_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  MAX_ERROR_BODY_BYTES,
  excerpt,
  positiveInteger,
  timeoutMs,
} from "./options.js";
import { checkSignatureScheme, inferenceSignaturePayload, signPayloadWith, type InferenceSignatureScheme } from "./signature.js";

/** What {@link GonkaFetchCommonOptions.onAttempt} receives after each attempt (never any secret). */
export interface GonkaFetchAttemptInfo {
  /** 1-based attempt number within one request. */
  attempt: number;
  /** The transfer agent (or broker / devshard host) tried; `address` is `""` outside signed mode. */
  agent: TransferAgent;
  /** The final URL requested. */
  url: string;
  /** `X-Timestamp` sent (signed mode). */
  timestampNs?: bigint;
  /** HTTP status, when the agent answered. */
  status?: number;
  /** Network error, timeout or refused redirect, when it did not. */
  error?: unknown;
  /** Whether another attempt follows (on the next agent, or on the same one after a clock re-sync). */
  willRetry: boolean;
}

/** Options shared by every mode of {@link gonkaFetch}. */
export interface GonkaFetchCommonOptions {
  /** The underlying fetch; default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Most agents tried per request; default 5 (and never more than there are agents). */
  maxAttempts?: number;
  /**
   * Time limit of one attempt in ms: until the response headers arrive, and for error answers
   * (400, 403, 429, 5xx) until their body is read; default 300 000. A stalled body ends the
   * attempt and the next agent is tried.
   */
  attemptTimeoutMs?: number;
  /** Longest pause between two chunks of a body handed back to the caller, in ms; default `attemptTimeoutMs`. */
  bodyIdleTimeoutMs?: number;
  /** Largest response body handed back, counted after decompression; default 64 MiB. */
  maxResponseBytes?: number;
  /** An agent that failed is tried last for this many ms; default 30 000. */
  cooldownMs?: number;
  /** `"round-robin"` (default, random start) or `"ordered"` (always from the first healthy agent). */
  strategy?: EndpointStrategy;
  /** Called after every attempt, e.g. for logging; receives no secrets. */
  onAttempt?: (info: GonkaFetchAttemptInfo) => void;
}

/** Signed mode (the direct path to transfer agents): where the agents are, and the clock. */
export interface GonkaFetchSignedOptions extends GonkaFetchCommonOptions {
  /**
   * Transfer agents to use: objects, `"url;address"` strings, or one comma-separated string
   * (the `GONKA_ENDPOINTS` format).
   */
  endpoints?: string | readonly TransferAgentInput[];
  /** A node to discover transfer agents from (participants filtered by the chain's TA allow-list). */
  sourceUrl?: string;
  /** Discovery: TA allow-list (default `"chain"`, see `discoverTransferAgents`). */
  allowedTransferAddresses?: readonly string[] | "chain" | "none";
  /** Discovery: keep only participants serving this model. */
  model?: string;
  /** Discovery: most candidates kept (the heaviest participants); default 16. */
  maxCandidates?: number;
  /** Discovery: re-read the participant list after this many ms; default 600 000. */
  refreshMs?: number;
  /** Must be `"hashed-body"` (default); `"raw-body"` throws `LegacySignatureSchemeError`. */
  scheme?: InferenceSignatureScheme;
  /** Timestamp source; default a clock of this `gonkaFetch` alone. */
  clock?: TimestampClock;
  /**
   * Clock alignment to the chain's latest block time (`{node}/chain-rpc/status`). Default: align
   * to `sourceUrl` before the first request (when set), and after a transfer agent answers
   * "signature is too old" / "signature is in the future", re-sync to that agent's block time
   * for requests to that agent and retry once. `true` also aligns to each fixed endpoint before
   * its first request; `false` turns all of it off.
   */
  syncClock?: boolean;
  /** Largest clock correction any node can cause, in ms; default 600 000 (10 minutes). */
  maxClockOffsetMs?: number;
}

/** Signs with a private key (32 bytes or 64 hex digits). */
export interface GonkaFetchPrivateKeyOptions extends GonkaFetchSignedOptions {
  privateKey: PrivateKeyInput;
  signer?: undefined;
  apiKey?: undefined;
  devshard?: undefined;
}

/** Signs with a signer object `{ address, sign }` (e.g. a wallet). */
export interface GonkaFetchSignerOptions extends GonkaFetchSignedOptions {
  signer: InferenceSigner;
  privateKey?: undefined;
  apiKey?: undefined;
  devshard?: undefined;
}

/**
 * Bearer mode, for brokers and devshard gateways (`devshardctl`): `Authorization: Bearer <apiKey>`,
 * no signature. The key is sent only to `brokerUrl` (the URLs it was issued for); discovery is
 * refused in this mode, so no participant ever receives it.
 */
export interface GonkaFetchBearerOptions extends GonkaFetchCommonOptions {
  apiKey: string;
  /** The broker's (or gateway's) base URL, or several of its URLs to fail over between. */
  brokerUrl?: string | readonly string[];
  /** Same as `brokerUrl` (plain URLs, or `"url;address"` strings whose address is ignored). */
  endpoints?: string | readonly TransferAgentInput[];
  /** Refused in Bearer mode: discovered participants must never see the key. */
  sourceUrl?: undefined;
  privateKey?: undefined;
  signer?: undefined;
  devshard?: undefined;
}

/** Devshard mode: the escrow owner's signed session requests to the escrow's hosts. */
export interface GonkaFetchDevshardOptions extends GonkaFetchCommonOptions {
  devshard: DevshardOptions;
  /** Timestamp source for `X-Devshard-Timestamp` (seconds are taken from it). */
  clock?: TimestampClock;
  privateKey?: undefined;
  signer?: undefined;
  apiKey?: undefined;
}

/** Options of {@link gonkaFetch}: exactly one of `privateKey`, `signer`, `apiKey` or `devshard`. */
export type GonkaFetchOptions = GonkaFetchPrivateKeyOptions | GonkaFetchSignerOptions | GonkaFetchBearerOptions | GonkaFetchDevshardOptions;

/** The function returned by {@link gonkaFetch}: a `fetch`, plus two helpers. */
export interface GonkaFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** The requester address (signed mode) or the escrow owner's (devshard mode). */
  readonly address: string | undefined;
  /** The agents currently in use: transfer agents, broker URLs or devshard hosts (runs discovery if needed). */
  transferAgents(): Promise<TransferAgent[]>;
}

const HEADERS_WE_SET = [
  "authorization",
  "content-length",
  "x-requester-address",
  "x-timestamp",
  "x-transfer-address",
  "x-devshard-signature",
  "x-devshard-timestamp",
];
/** The transfer agent's freshness answers (v0.2.4+: "signature is …"; executors: "Request timestamp is too old"). */
export const TIMESTAMP_REJECTED = /(?:signature|timestamp) is (?:too old|in the future)/i;
const TA_NOT_ALLOWED = /transfer agent not allowed/i;
const REDIRECT = new Set([301, 302, 303, 307, 308]);

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

function hasBody(method: string): boolean {
  return method !== "GET" && method !== "HEAD";
}

type Mode = "signed" | "bearer" | "devshard";

/** Every option of every mode, for reading them before the mode is known. */
type LooseOptions = Omit<GonkaFetchSignedOptions, "endpoints" | "sourceUrl"> & {
  endpoints?: string | readonly TransferAgentInput[];
  sourceUrl?: string;
  privateKey?: PrivateKeyInput;
  signer?: InferenceSigner;
  apiKey?: string;
  brokerUrl?: string | readonly string[];
  devshard?: DevshardOptions;
};

/**
 * Creates a `fetch` that signs each request (or adds a Bearer key, or signs a devshard session
 * request) and retries on the next agent after a 429, a 5xx, a 403 "Transfer Agent not allowed",
 * a network error or a timeout, re-signing with a fresh timestamp. The exact bytes sent are the
 * bytes signed. Streams are returned as they arrive.
 *
 * The URL given by the caller only contributes its route: everything after its `/v1` segment is
 * sent to `{agent.url}/v1…` (devshard: to the session route), so `baseURL` may be any URL ending in `/v1`.
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
 * // a broker or devshard gateway instead:
 * const broker = gonkaFetch({ apiKey: process.env.BROKER_KEY!, brokerUrl: "https://gateway.example" });
 * ```
 */
export function gonkaFetch(options: GonkaFetchOptions): GonkaFetch {
  if (options === null || typeof options !== "object") throw new InvalidArgumentError("options", "expected an options object");
  const o = options as LooseOptions;
  const given = [o.privateKey !== undefined, o.signer !== undefined, o.apiKey !== undefined, o.devshard !== undefined].filter(Boolean).length;
  if (given !== 1) throw new InvalidArgumentError("options", "give exactly one of privateKey, signer, apiKey or devshard");
  const mode: Mode = o.apiKey !== undefined ? "bearer" : o.devshard !== undefined ? "devshard" : "signed";

  // Limits (NaN, ±Infinity, fractions, negatives and timer overflows are refused).
  const maxAttempts = positiveInteger("maxAttempts", o.maxAttempts, DEFAULT_MAX_ATTEMPTS);
  const attemptMs = timeoutMs("attemptTimeoutMs", o.attemptTimeoutMs, DEFAULT_ATTEMPT_TIMEOUT_MS);
  const idleMs = timeoutMs("bodyIdleTimeoutMs", o.bodyIdleTimeoutMs, attemptMs);
  const maxResponseBytes = positiveInteger("maxResponseBytes", o.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES);
  const cooldownMs = positiveInteger("cooldownMs", o.cooldownMs, 30_000, 0);
  const refreshMs = timeoutMs("refreshMs", o.refreshMs, 600_000);
  const maxCandidates = positiveInteger("maxCandidates", o.maxCandidates, DEFAULT_MAX_CANDIDATES);
  const strategy = o.strategy ?? "round-robin";
  if (strategy !== "round-robin" && strategy !== "ordered") throw new InvalidArgumentError("strategy", 'expected "round-robin" or "ordered"');
  if (o.onAttempt !== undefined && typeof o.onAttempt !== "function") throw new InvalidArgumentError("onAttempt", "expected a function");
  if (o.fetch !== undefined && typeof o.fetch !== "function") throw new InvalidArgumentError("fetch", "expected a fetch function");
  const doFetch: FetchLike = o.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const pool = new EndpointPool(strategy, cooldownMs);

  // Mode setup.
  let signer: InferenceSigner | undefined;
  let bearerHeader: string | undefined;
  let brokerOrigins: Set<string> | undefined;
  let devshard: (Omit<DevshardOptions, "nextNonce"> & { sign: ReturnType<typeof devshardRequestSigner>["sign"]; nextNonce: () => bigint }) | undefined;
  let fixed: TransferAgent[] | undefined;
  let address: string | undefined;

  if (mode === "signed") {
    checkSignatureScheme(o.scheme);
    if (o.endpoints === undefined && o.sourceUrl === undefined) throw new InvalidArgumentError("options", "give endpoints, sourceUrl, or both");
    signer = o.privateKey !== undefined ? signerFromPrivateKey(o.privateKey) : o.signer;
    if (signer === null || typeof signer !== "object" || typeof signer.address !== "string" || typeof signer.sign !== "function") {
      throw new InvalidArgumentError("signer", "expected { address: string, sign(bytes) }");
    }
    address = signer.address;
    if (o.endpoints !== undefined) fixed = parseTransferAgents(o.endpoints);
    if (o.sourceUrl !== undefined) normalizeTransferAgentUrl(o.sourceUrl, "sourceUrl");
  } else if (mode === "bearer") {
    if (typeof o.apiKey !== "string" || o.apiKey.length === 0 || /[\r\n]/.test(o.apiKey)) {
      throw new InvalidArgumentError("apiKey", "must be a non-empty string on one line");
    }
    if (o.sourceUrl !== undefined) {
      throw new InvalidArgumentError("sourceUrl", "is not allowed with apiKey", {
        details:
          "A Bearer key is sent only to the broker it was issued for; discovery would send it to third-party participants. Give brokerUrl (the broker's or devshard gateway's URL) instead.",
      });
    }
    const urls = o.brokerUrl ?? o.endpoints;
    if (urls === undefined) throw new InvalidArgumentError("brokerUrl", "is required with apiKey (the URL the key was issued for)");
    fixed = parseBrokerUrls(urls);
    if (fixed.length === 0) throw new InvalidArgumentError("brokerUrl", "is empty");
    brokerOrigins = new Set(fixed.map((a) => new URL(a.url).origin));
    bearerHeader = `Bearer ${o.apiKey}`;
  } else {
    const d = o.devshard!;
    if (d === null || typeof d !== "object") throw new InvalidArgumentError("devshard", "expected { escrowId, hosts, privateKey | signer }");
    checkEscrowId(d.escrowId);
    devshardPrefix(d.version);
    if (d.nextNonce !== undefined && typeof d.nextNonce !== "function") throw new InvalidArgumentError("devshard.nextNonce", "expected a function");
    if (d.envelope !== undefined && d.envelope !== false && typeof d.envelope !== "function") {
      throw new InvalidArgumentError("devshard.envelope", "expected a function or false");
    }
    const s = devshardRequestSigner(d);
    address = s.address;
    let counter = 0n;
    const nextNonce = (): bigint => {
      const n = d.nextNonce ? d.nextNonce() : ++counter;
      if ((typeof n !== "bigint" && !(typeof n === "number" && Number.isSafeInteger(n))) || BigInt(n) < 0n || BigInt(n) > 0xffffffffffffffffn) {
        throw new InvalidArgumentError("devshard.nextNonce", "must return an unsigned 64-bit integer");
      }
      return BigInt(n);
    };
    devshard = { ...d, sign: s.sign, nextNonce };
    fixed = parseBrokerUrls(d.hosts, "devshard.hosts");
    if (fixed.length === 0) throw new InvalidArgumentError("devshard.hosts", "is empty");
  }

  const maxClockOffsetMs = positiveInteger("maxClockOffsetMs", o.maxClockOffsetMs, DEFAULT_MAX_CLOCK_OFFSET_MS, 0);
  const clock = o.clock ?? createTimestampClock(undefined, { maxOffsetMs: maxClockOffsetMs });
  if (typeof clock?.next !== "function" || typeof clock.correct !== "function") throw new InvalidArgumentError("clock", "expected a TimestampClock");

  // Discovery (signed mode only).
  let discovered: { agents: TransferAgent[]; at: number } | undefined;
  let discovering: Promise<TransferAgent[]> | undefined;
  const agents = async (): Promise<TransferAgent[]> => {
    if (fixed !== undefined) return fixed;
    if (discovered && Date.now() - discovered.at < refreshMs) return discovered.agents;
    discovering ??= discoverTransferAgents({
      sourceUrl: o.sourceUrl as string,
      fetch: doFetch,
      ...(o.allowedTransferAddresses !== undefined ? { allowedTransferAddresses: o.allowedTransferAddresses } : {}),
      ...(o.model !== undefined ? { model: o.model } : {}),
      maxCandidates,
    })
      .then((found) => {
        discovered = { agents: found.agents, at: Date.now() };
        return found.agents;
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

  // Clock alignment to block time (signed mode).
  const syncOn = mode === "signed" && o.syncClock !== false;
  let sourceSynced: Promise<void> | undefined;
  const agentSynced = new Map<string, Promise<boolean>>();
  const blockTime = (url: string) => fetchLatestBlockTimeNs(url, { fetch: doFetch, timeoutMs: Math.min(attemptMs, 10_000), maxBytes: 256 * 1024 });
  const syncSource = (): Promise<void> => {
    if (!syncOn || o.sourceUrl === undefined || o.syncClock === false) return Promise.resolve();
    sourceSynced ??= blockTime(o.sourceUrl)
      .then((ns) => void clock.correct(ns))
      .catch(() => undefined);
    return sourceSynced;
  };
  /** Aligns requests to one agent to that agent's block time (bounded; scoped to the agent). */
  const syncAgent = (url: string, force: boolean): Promise<boolean> => {
    const known = agentSynced.get(url);
    if (known && !force) return known;
    const p = blockTime(url)
      .then((ns) => clock.correct(ns, url))
      .catch(() => false);
    agentSynced.set(url, p);
    return p;
  };

  const prepare = async (agent: TransferAgent, route: string, method: string, body: Uint8Array, base: Headers) => {
    const headers = new Headers(base);
    for (const h of HEADERS_WE_SET) headers.delete(h);
    let target: string;
    let sent = body;
    let timestampNs: bigint | undefined;
    if (mode === "signed") {
      target = `${agent.url}/v1${route}`;
      timestampNs = clock.next(agent.url);
      const payload = inferenceSignaturePayload({ body, timestampNs, transferAddress: agent.address });
      headers.set("authorization", await signPayloadWith(signer!, payload));
      headers.set("x-requester-address", signer!.address);
      headers.set("x-timestamp", timestampNs.toString());
      headers.set("x-transfer-address", agent.address);
    } else if (mode === "bearer") {
      target = `${agent.url}/v1${route}`;
      // Defence in depth: the key only ever goes to an origin it was given for.
      if (!brokerOrigins!.has(new URL(target).origin)) throw new GonkaError("Refusing to send the Bearer key to an origin it was not given for");
      headers.set("authorization", bearerHeader!);
    } else {
      const d = devshard!;
      const path = route.split("?")[0]!;
      target = agent.url + devshardRoute(route, d.escrowId, d.version);
      if (hasBody(method)) {
        if (method === "POST" && path === "/chat/completions") sent = devshardSessionBody(d, body, d.nextNonce());
        const timestampS: bigint = clock.next(agent.url) / 1_000_000_000n;
        const signed = await d.sign({ escrowId: d.escrowId, body: sent, timestampS });
        headers.set("x-devshard-signature", signed["X-Devshard-Signature"]);
        headers.set("x-devshard-timestamp", signed["X-Devshard-Timestamp"]);
      }
    }
    return { target, headers, sent, timestampNs };
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
    const base = new Headers(request.headers);
    // A string body makes `Request` add text/plain; nodes need JSON unless the caller chose a type.
    if (body.length > 0 && !callerSetContentType) base.set("content-type", "application/json");
    const route = openAiRoute(new URL(request.url));
    const list = await agents();
    const ordered = pool.order(list);
    if (ordered.length === 0) {
      throw new TransferAgentsUnavailableError([], {
        details: "No transfer agent is configured or discovered (the allow-list or model filter may exclude all).",
      });
    }
    if (mode === "signed") await syncSource();
    const limit = Math.min(maxAttempts, ordered.length);
    const attempts: TransferAgentAttempt[] = [];
    let lastError: unknown;
    const resynced = new Set<string>();
    const userSignal = request.signal;

    for (let i = 0; i < limit; i++) {
      const agent = ordered[i]!;
      if (mode === "signed" && o.syncClock === true && o.sourceUrl === undefined) await syncAgent(agent.url, false);
      const { target, headers, sent, timestampNs } = await prepare(agent, route, method, body, base);
      const info = (extra: Partial<GonkaFetchAttemptInfo> & { willRetry: boolean }) =>
        o.onAttempt?.({ attempt: i + 1, agent, url: target, ...(timestampNs !== undefined ? { timestampNs } : {}), ...extra });
      const fail = (reason: string, err: unknown, status?: number) => {
        attempts.push({ url: agent.url, ...(status !== undefined ? { status } : {}), reason: excerpt(reason) });
        lastError = err;
        pool.markFailed(agent.url);
        info({ ...(status !== undefined ? { status } : {}), error: err, willRetry: i + 1 < limit });
      };

      const attempt = startAttempt(userSignal, attemptMs);
      let response: Response;
      try {
        response = await doFetch(target, {
          method,
          headers,
          ...(hasBody(method) ? { body: sent as Uint8Array<ArrayBuffer> } : {}),
          signal: attempt.signal,
          redirect: "manual",
        });
      } catch (err) {
        attempt.release();
        if (userSignal.aborted) throw err; // the caller cancelled: no failover
        fail(attempt.timedOut ? `no response within ${attemptMs} ms` : networkReason(err), err);
        continue;
      }

      // Redirects are never followed: credentials and signed bodies stay with the agent they were meant for.
      if (response.type === "opaqueredirect" || REDIRECT.has(response.status)) {
        attempt.release();
        await response.body?.cancel().catch(() => undefined);
        fail("answered with a redirect, which is not followed", new GonkaError(`${displayUrl(target)} answered with a redirect`), response.status || undefined);
        continue;
      }

      const status = response.status;
      const inspect = status === 400 || status === 403 || status === 429 || status >= 500;
      if (!inspect) {
        attempt.stopTimer();
        pool.markHealthy(agent.url);
        info({ status, willRetry: false });
        return limitResponse(response, {
          maxBytes: maxResponseBytes,
          idleTimeoutMs: idleMs,
          url: displayUrl(target),
          onLimit: (reason) => attempt.abort(reason),
          onClose: () => attempt.release(),
        });
      }

      // An error answer: read a bounded prefix of its body, under the attempt's deadline.
      let prefix: { bytes: Uint8Array; truncated: boolean };
      try {
        prefix = await readPrefix(response, MAX_ERROR_BODY_BYTES);
      } catch (err) {
        attempt.release();
        if (userSignal.aborted) throw err;
        fail(attempt.timedOut ? `HTTP ${status}, then the body did not arrive within ${attemptMs} ms` : `HTTP ${status}, then ${networkReason(err)}`, err, status);
        continue;
      }
      attempt.release();
      const text = new TextDecoder().decode(prefix.bytes);

      // A transfer agent that judges our clock wrong: align to its block time (for it alone) and retry once.
      if (mode === "signed" && syncOn && status === 400 && TIMESTAMP_REJECTED.test(text) && !resynced.has(agent.url)) {
        resynced.add(agent.url);
        const applied = await syncAgent(agent.url, true);
        info({ status, willRetry: applied });
        if (applied) {
          i--;
          continue;
        }
        return responseFromBytes(response, prefix.bytes);
      }

      let failed = status === 429 || status >= 500;
      // Devshard requests disabled by chain params: every host says the same.
      if (mode === "devshard" && status === 503 && response.headers.has("x-devshard-error")) failed = false;
      // 403 "Transfer Agent not allowed": this TA is off the chain's allow-list; another may be on it.
      if (status === 403) failed = mode === "signed" && TA_NOT_ALLOWED.test(text);
      if (status === 400) failed = false;
      const retry = failed && i + 1 < limit;
      info({ status, willRetry: retry });
      if (failed) pool.markFailed(agent.url);
      else pool.markHealthy(agent.url);
      if (!retry) return responseFromBytes(response, prefix.bytes);
      attempts.push({ url: agent.url, status, reason: excerpt(text) });
    }
    throw new TransferAgentsUnavailableError(attempts, { cause: lastError });
  };

  const fn = ((input: string | URL | Request, init?: RequestInit) => run(input, init)) as GonkaFetch;
  Object.defineProperty(fn, "address", { value: address, enumerable: true });
  Object.defineProperty(fn, "transferAgents", { value: agents, enumerable: false });
  return fn;
}

/** "fetch failed: connect ECONNREFUSED 127.0.0.1:1" rather than just "fetch failed". */
function networkReason(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  return excerpt(cause === undefined ? messageOf(err) : `${messageOf(err)}: ${messageOf(cause)}`);
}

/** Broker or host URLs: plain URLs, or `"url;address"` strings / objects whose address is ignored. */
function parseBrokerUrls(input: string | readonly (TransferAgentInput | string)[], argument = "brokerUrl"): TransferAgent[] {
  if (typeof input !== "string" && !Array.isArray(input)) throw new InvalidArgumentError(argument, "expected a URL or a list of URLs");
  const items = typeof input === "string" ? input.split(",").map((s) => s.trim()).filter(Boolean) : [...input];
  const seen = new Set<string>();
  const out: TransferAgent[] = [];
  items.forEach((item, i) => {
    let url: unknown = item;
    if (typeof item === "string") {
      const sep = item.lastIndexOf(";");
      url = sep < 0 ? item : item.slice(0, sep);
    } else if (item !== null && typeof item === "object") url = (item as TransferAgent).url;
    const u = normalizeTransferAgentUrl(url as string, `${argument}[${i}]`);
    if (!seen.has(u)) {
      seen.add(u);
      out.push({ url: u, address: "" });
    }
  });
  return out;
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
