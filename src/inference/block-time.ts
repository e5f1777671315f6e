/**
 * The chain's latest block time, which nodes use as "now" when they check `X-Timestamp`
 * (a request is rejected when it is older than `timestamp_expiration` or newer than
 * `timestamp_advance` relative to it).
 */
import { InvalidArgumentError } from "../errors.js";
import { InferenceApiError } from "./errors.js";
import { getJson, pick, trimBaseUrl, type GetJsonOptions } from "./get-json.js";

/**
 * Parses an RFC 3339 time with up to nanosecond precision (as CometBFT prints it) into
 * nanoseconds since the Unix epoch.
 *
 * @example
 * ```ts
 * parseRfc3339Ns("2025-11-21T12:00:00.123456789Z"); // 1763726400123456789n
 * ```
 */
export function parseRfc3339Ns(text: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9})\d*)?(Z|[+-]\d{2}:\d{2})$/i.exec(text);
  const ms = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
  if (!m || Number.isNaN(ms)) throw new InvalidArgumentError("time", `not an RFC 3339 time: ${JSON.stringify(text.slice(0, 64))}`);
  const fraction = BigInt((m[2] ?? "").padEnd(9, "0"));
  return BigInt(ms) * 1_000_000n + fraction;
}

/**
 * Fetches the latest block time from a node's CometBFT RPC (`{sourceUrl}/chain-rpc/status`,
 * `result.sync_info.latest_block_time`) in nanoseconds.
 *
 * @example
 * ```ts
 * defaultTimestampClock.correct(await fetchLatestBlockTimeNs("http://node2.gonka.ai:8000"));
 * ```
 */
export async function fetchLatestBlockTimeNs(sourceUrl: string, options: GetJsonOptions = {}): Promise<bigint> {
  const url = `${trimBaseUrl(sourceUrl)}/chain-rpc/status`;
  const json = await getJson(url, options);
  const time = pick(json, "result", "sync_info", "latest_block_time");
  if (typeof time !== "string") throw new InferenceApiError(url, "no result.sync_info.latest_block_time in the answer");
  return parseRfc3339Ns(time);
}
