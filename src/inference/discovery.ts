/**
 * Transfer-agent discovery: the active participants of the current epoch, each of which can act
 * as a transfer agent (TA) at its `inference_url`, optionally filtered by the chain's TA allow-list.
 */
import { InvalidArgumentError } from "../errors.js";
import { InferenceApiError } from "./errors.js";
import { getJson, pick, trimBaseUrl, type GetJsonOptions } from "./get-json.js";

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

/** Normalises a TA base URL: no trailing slash, no trailing `/v1`. */
export function normalizeTransferAgentUrl(url: string): string {
  let u = trimBaseUrl(url.trim());
  if (u.endsWith("/v1")) u = u.slice(0, -3);
  try {
    new URL(u);
  } catch {
    throw new InvalidArgumentError("endpoint.url", `not an absolute URL: ${JSON.stringify(url.slice(0, 200))}`);
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
  const items: TransferAgentInput[] =
    typeof input === "string" ? input.split(",").map((s) => s.trim()).filter((s) => s.length > 0) : [...input];
  return items.map((item, i) => {
    if (typeof item === "string") {
      const sep = item.lastIndexOf(";");
      if (sep < 0) {
        throw new InvalidArgumentError(`endpoints[${i}]`, `expected "url;address", got ${JSON.stringify(item.slice(0, 200))}`);
      }
      item = { url: item.slice(0, sep), address: item.slice(sep + 1).trim() };
    }
    if (typeof item.address !== "string" || !/^[a-z0-9]+1[02-9ac-hj-np-z]{6,}$/.test(item.address)) {
      throw new InvalidArgumentError(`endpoints[${i}].address`, "the transfer agent's bech32 address is required");
    }
    return { ...item, url: normalizeTransferAgentUrl(item.url) };
  });
}

/**
 * Reads the chain's TA allow-list (`params.transfer_agent_access_params.allowed_transfer_addresses`).
 * Returns `null` when the chain sets none (every participant may act as TA).
 *
 * @example
 * ```ts
 * await fetchAllowedTransferAddresses("http://node2.gonka.ai:8000"); // null or ["gonka1…", …]
 * ```
 */
export async function fetchAllowedTransferAddresses(sourceUrl: string, options: GetJsonOptions = {}): Promise<string[] | null> {
  const json = await getJson(trimBaseUrl(sourceUrl) + INFERENCE_PARAMS_PATH, options);
  const list = pick(json, "params", "transfer_agent_access_params", "allowed_transfer_addresses");
  if (!Array.isArray(list) || list.length === 0) return null;
  return list.filter((a): a is string => typeof a === "string");
}

/** Options of {@link fetchTransferAgents}. */
export interface FetchTransferAgentsOptions extends GetJsonOptions {
  /** Any node's public API base URL, e.g. `http://node2.gonka.ai:8000`. */
  sourceUrl: string;
  /**
   * TA allow-list: `"chain"` (default) reads it from the chain params and ignores a failure to do
   * so; an array uses that list; `"none"` disables filtering.
   */
  allowedTransferAddresses?: readonly string[] | "chain" | "none";
  /** Keep only participants that list this model (participants without a model list are kept). */
  model?: string;
}

/**
 * Lists the transfer agents of the current epoch from `GET {sourceUrl}/v1/epochs/current/participants`
 * (`active_participants.participants[].{index, inference_url, models}`).
 *
 * @example
 * ```ts
 * const agents = await fetchTransferAgents({ sourceUrl: "http://node2.gonka.ai:8000" });
 * const fetch = gonkaFetch({ privateKey, endpoints: agents });
 * ```
 */
export async function fetchTransferAgents(options: FetchTransferAgentsOptions): Promise<TransferAgent[]> {
  const url = `${trimBaseUrl(options.sourceUrl)}/v1/epochs/current/participants`;
  const json = await getJson(url, options);
  const participants = pick(json, "active_participants", "participants");
  if (!Array.isArray(participants)) throw new InferenceApiError(url, "no active_participants.participants in the answer");
  let agents: TransferAgent[] = [];
  for (const p of participants) {
    const address = pick(p, "index");
    const inferenceUrl = pick(p, "inference_url");
    if (typeof address !== "string" || typeof inferenceUrl !== "string" || inferenceUrl.length === 0) continue;
    let base: string;
    try {
      base = normalizeTransferAgentUrl(inferenceUrl);
    } catch {
      continue; // a participant with a malformed URL cannot be used
    }
    const models = pick(p, "models");
    agents.push({
      url: base,
      address,
      ...(Array.isArray(models) ? { models: models.filter((m): m is string => typeof m === "string") } : {}),
    });
  }
  const model = options.model;
  if (model !== undefined) agents = agents.filter((a) => a.models === undefined || a.models.includes(model));
  const allow = options.allowedTransferAddresses ?? "chain";
  let allowed: readonly string[] | null = null;
  if (allow === "chain") {
    try {
      allowed = await fetchAllowedTransferAddresses(options.sourceUrl, options);
    } catch {
      allowed = null; // older chains have no allow-list; the TA itself answers 403 if it is not allowed
    }
  } else if (allow !== "none") allowed = allow;
  if (allowed) {
    const set = new Set(allowed);
    agents = agents.filter((a) => set.has(a.address));
  }
  return agents;
}
