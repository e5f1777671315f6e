/**
 * Transfer-agent discovery. Since v0.2.9 only the addresses on the chain's transfer-agent
 * allow-list (`params.transfer_agent_access_params.allowed_transfer_addresses`) may start
 * inferences; every other node answers 403 "Transfer Agent not allowed". So the allow-list drives
 * discovery: the candidates are the active participants of the current epoch whose address is on
 * it (all participants only when the chain sets no list), reached at their `inference_url`.
 * Discovery is bounded: at most `maxCandidates` agents (default 16, the heaviest first), and
 * every read has a byte and time limit.
 */
import { InvalidArgumentError } from "../errors.js";
import { InferenceApiError } from "./errors.js";
import { getJson, pick, trimBaseUrl, type GetJsonOptions } from "./get-json.js";
import { DEFAULT_MAX_CANDIDATES, positiveInteger } from "./options.js";

/** A transfer agent: where to send requests and the address that is signed into them. */
export interface TransferAgent {
  /** Base URL of the node's public API (requests go to `{url}/v1/chat/completions`). */
  url: string;
  /** The TA's bech32 account address (`X-Transfer-Address`, part of the signed payload). */
  address: string;
  /** Models the participant serves this epoch, when known. */
  models?: string[];
}

/** Endpoint input: a {@link TransferAgent}, or a `"url;address"` string (the `GONKA_ENDPOINTS` format). */
export type TransferAgentInput = TransferAgent | string;

/** The path of the chain's inference params (Cosmos REST via the node's `/chain-api` proxy). */
export const INFERENCE_PARAMS_PATH = "/chain-api/productscience/inference/inference/params";

const BECH32_ADDRESS = /^[a-z0-9]{1,83}1[02-9ac-hj-np-z]{6,}$/;

/** True for a lower-case bech32 account address such as `gonka1…`. */
export function isTransferAgentAddress(value: unknown): value is string {
  return typeof value === "string" && value.length <= 128 && BECH32_ADDRESS.test(value);
}

/**
 * Normalises a TA base URL: no trailing slash, no trailing `/v1`. Only `http:` and `https:` URLs
 * without a user name or password are accepted. The error never repeats the value (it could be a
 * secret pasted into the wrong variable).
 */
export function normalizeTransferAgentUrl(url: string, argument = "endpoint.url"): string {
  if (typeof url !== "string") throw new InvalidArgumentError(argument, `expected a URL string, got ${typeof url}`);
  let u = trimBaseUrl(url.trim());
  if (u.endsWith("/v1")) u = u.slice(0, -3);
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    throw new InvalidArgumentError(argument, `not an absolute URL (a value of ${url.length} characters)`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new InvalidArgumentError(argument, "only http: and https: URLs are supported");
  }
  if (parsed.username !== "" || parsed.password !== "") {
    throw new InvalidArgumentError(argument, "a URL must not carry a user name or password", {
      details: "Credentials in URLs end up in logs and error messages; give API keys as apiKey instead.",
    });
  }
  return u;
}

/**
 * Parses endpoint inputs: objects, `"url;address"` strings, or one comma-separated string of them
 * (`GONKA_ENDPOINTS="https://a.example;gonka1…,https://b.example;gonka1…"`).
 *
 * @example
 * ```ts
 * parseTransferAgents("http://1.2.3.4:8000;gonka1c73uxrxztjtcjptrj54ryyw7fw55htw73r3m2a");
 * // [{ url: "http://1.2.3.4:8000", address: "gonka1c73u…" }]
 * ```
 */
export function parseTransferAgents(input: string | readonly TransferAgentInput[]): TransferAgent[] {
  if (typeof input !== "string" && !Array.isArray(input)) {
    throw new InvalidArgumentError("endpoints", "expected a string or an array of endpoints");
  }
  const items: TransferAgentInput[] =
    typeof input === "string" ? input.split(",").map((s) => s.trim()).filter((s) => s.length > 0) : [...input];
  return items.map((item, i) => {
    if (typeof item === "string") {
      const sep = item.lastIndexOf(";");
      if (sep < 0) {
        throw new InvalidArgumentError(`endpoints[${i}]`, `expected "url;address" (item ${i + 1} has no ";")`);
      }
      item = { url: item.slice(0, sep), address: item.slice(sep + 1).trim() };
    }
    if (item === null || typeof item !== "object") throw new InvalidArgumentError(`endpoints[${i}]`, "expected { url, address } or \"url;address\"");
    if (!isTransferAgentAddress(item.address)) {
      throw new InvalidArgumentError(`endpoints[${i}].address`, "the transfer agent's bech32 address (gonka1…) is required");
    }
    return { ...item, url: normalizeTransferAgentUrl(item.url, `endpoints[${i}].url`) };
  });
}

/**
 * Reads the chain's TA allow-list (`params.transfer_agent_access_params.allowed_transfer_addresses`).
 * Returns `null` when the chain sets none (every participant may act as TA); malformed entries
 * are dropped.
 *
 * @example
 * ```ts
 * await fetchAllowedTransferAddresses("http://node2.gonka.ai:8000"); // null or ["gonka1…", …]
 * ```
 */
export async function fetchAllowedTransferAddresses(sourceUrl: string, options: GetJsonOptions = {}): Promise<string[] | null> {
  const url = normalizeTransferAgentUrl(sourceUrl, "sourceUrl") + INFERENCE_PARAMS_PATH;
  const json = await getJson(url, options);
  const params = pick(json, "params");
  if (params === null || typeof params !== "object") throw new InferenceApiError(url, "no params in the answer");
  const list = pick(params, "transfer_agent_access_params", "allowed_transfer_addresses");
  if (list === undefined || list === null) return null;
  if (!Array.isArray(list)) throw new InferenceApiError(url, "transfer_agent_access_params.allowed_transfer_addresses is not a list");
  if (list.length === 0) return null;
  // A non-empty list whose entries are all malformed still means "restricted": it filters everyone out.
  return list.filter(isTransferAgentAddress);
}

/** Options of {@link fetchTransferAgents} and {@link discoverTransferAgents}. */
export interface FetchTransferAgentsOptions extends GetJsonOptions {
  /** Any node's public API base URL, e.g. `http://node2.gonka.ai:8000`. */
  sourceUrl: string;
  /**
   * TA allow-list: `"chain"` (default) reads it from the chain params (a failure to read them is
   * reported as `allowListSource: "unavailable"` and nothing is filtered; the agents themselves
   * then answer 403 when they are not allowed); an array uses that list; `"none"` disables
   * filtering.
   */
  allowedTransferAddresses?: readonly string[] | "chain" | "none";
  /** Keep only participants that list this model (participants without a model list are kept). */
  model?: string;
  /** Most agents returned; default 16. The heaviest participants (by `weight`) are kept. */
  maxCandidates?: number;
}

/** What {@link discoverTransferAgents} found. */
export interface TransferAgentDiscovery {
  /** The candidates, heaviest first, at most `maxCandidates`. */
  agents: TransferAgent[];
  /** The allow-list applied, or null when none was. */
  allowList: string[] | null;
  /** Where the allow-list came from. */
  allowListSource: "chain" | "given" | "none" | "unavailable";
  /** Participants listed by the node. */
  participants: number;
  /** Participants that passed the allow-list and model filters (before the `maxCandidates` cut). */
  eligible: number;
}

function checkAllowOption(allow: unknown): readonly string[] | "chain" | "none" {
  if (allow === undefined) return "chain";
  if (allow === "chain" || allow === "none") return allow;
  if (Array.isArray(allow)) {
    allow.forEach((a, i) => {
      if (!isTransferAgentAddress(a)) throw new InvalidArgumentError(`allowedTransferAddresses[${i}]`, "expected a bech32 address (gonka1…)");
    });
    return allow as string[];
  }
  throw new InvalidArgumentError("allowedTransferAddresses", 'expected "chain", "none" or a list of addresses');
}

/**
 * Discovers transfer agents: the active participants of the current epoch from
 * `GET {sourceUrl}/v1/epochs/current/participants`, kept when their address is on the TA
 * allow-list (read from the chain by default), optionally serving `model`, deduplicated by URL,
 * the heaviest `maxCandidates` of them.
 *
 * @example
 * ```ts
 * const found = await discoverTransferAgents({ sourceUrl: "http://node2.gonka.ai:8000" });
 * found.allowListSource; // "chain"
 * found.agents;          // the allow-listed TAs, at most 16
 * ```
 */
export async function discoverTransferAgents(options: FetchTransferAgentsOptions): Promise<TransferAgentDiscovery> {
  if (options === null || typeof options !== "object") throw new InvalidArgumentError("options", "expected { sourceUrl, … }");
  const source = normalizeTransferAgentUrl(options.sourceUrl, "sourceUrl");
  const maxCandidates = positiveInteger("maxCandidates", options.maxCandidates, DEFAULT_MAX_CANDIDATES);
  const allow = checkAllowOption(options.allowedTransferAddresses);
  if (options.model !== undefined && typeof options.model !== "string") throw new InvalidArgumentError("model", "expected a model id string");

  const url = `${source}/v1/epochs/current/participants`;
  const json = await getJson(url, options);
  const participants = pick(json, "active_participants", "participants");
  if (!Array.isArray(participants)) throw new InferenceApiError(url, "no active_participants.participants in the answer");

  let allowList: string[] | null = null;
  let allowListSource: TransferAgentDiscovery["allowListSource"] = "none";
  if (allow === "chain") {
    try {
      allowList = await fetchAllowedTransferAddresses(source, options);
      allowListSource = "chain";
    } catch {
      allowListSource = "unavailable"; // older chains have no allow-list; agents answer 403 if they are not allowed
    }
  } else if (allow !== "none") {
    allowList = allow.length > 0 ? [...allow] : null;
    allowListSource = "given";
  }
  const allowed = allowList ? new Set(allowList) : null;

  const byUrl = new Map<string, TransferAgent & { weight: number; order: number }>();
  participants.forEach((p, order) => {
    const address = pick(p, "index");
    const inferenceUrl = pick(p, "inference_url");
    if (!isTransferAgentAddress(address) || typeof inferenceUrl !== "string" || inferenceUrl.length === 0) return;
    if (allowed && !allowed.has(address)) return;
    const models = pick(p, "models");
    const modelList = Array.isArray(models) ? models.filter((m): m is string => typeof m === "string") : undefined;
    if (options.model !== undefined && modelList !== undefined && !modelList.includes(options.model)) return;
    let base: string;
    try {
      base = normalizeTransferAgentUrl(inferenceUrl);
    } catch {
      return; // a participant with a malformed or non-HTTP URL cannot be used
    }
    if (byUrl.has(base)) return;
    const w = Number(pick(p, "weight"));
    byUrl.set(base, { url: base, address, ...(modelList !== undefined ? { models: modelList } : {}), weight: Number.isFinite(w) ? w : 0, order });
  });
  const eligible = [...byUrl.values()];
  const agents = eligible
    .sort((a, b) => b.weight - a.weight || a.order - b.order)
    .slice(0, maxCandidates)
    .map(({ url: u, address, models }) => ({ url: u, address, ...(models !== undefined ? { models } : {}) }));
  return { agents, allowList, allowListSource, participants: participants.length, eligible: eligible.length };
}

/**
 * Lists the transfer agents to use (see {@link discoverTransferAgents}, which also says which
 * allow-list was applied).
 *
 * @example
 * ```ts
 * const agents = await fetchTransferAgents({ sourceUrl: "http://node2.gonka.ai:8000" });
 * const fetch = gonkaFetch({ privateKey, endpoints: agents });
 * ```
 */
export async function fetchTransferAgents(options: FetchTransferAgentsOptions): Promise<TransferAgent[]> {
  return (await discoverTransferAgents(options)).agents;
}

/**
 * Asks a node which account it signs as (`GET {url}/v1/identity` → `data.address`) and returns it
 * as a transfer agent at `url`. Useful behind a gateway that forwards to one node. The identity's
 * signature is not checked (the address is not a secret; a wrong one gets 401/403).
 *
 * @example
 * ```ts
 * const ta = await fetchTransferAgentIdentity("http://127.0.0.1:8787"); // { url, address: "gonka1…" }
 * ```
 */
export async function fetchTransferAgentIdentity(url: string, options: GetJsonOptions = {}): Promise<TransferAgent> {
  const base = normalizeTransferAgentUrl(url, "url");
  const json = await getJson(`${base}/v1/identity`, { maxBytes: 64 * 1024, ...options });
  const address = pick(json, "data", "address");
  if (!isTransferAgentAddress(address)) throw new InferenceApiError(`${base}/v1/identity`, "no data.address in the answer");
  return { url: base, address };
}
