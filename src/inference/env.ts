/**
 * Reading `gonkaFetch` options from environment variables, with the names other Gonka clients
 * use: `GONKA_PRIVATE_KEY`, `GONKA_ENDPOINTS`, `GONKA_SOURCE_URL`, plus `GONKA_API_KEY` for
 * brokers and `GONKA_MODEL` as a discovery filter.
 */
import { InvalidArgumentError } from "../errors.js";
import type { GonkaFetchOptions } from "./gonka-fetch.js";

/**
 * Builds {@link GonkaFetchOptions} from environment variables (default `process.env`).
 * Errors name the missing variables, never their values.
 *
 * @example
 * ```ts
 * // GONKA_PRIVATE_KEY=… GONKA_SOURCE_URL=http://node2.gonka.ai:8000
 * const fetch = gonkaFetch(gonkaFetchOptionsFromEnv());
 * ```
 */
export function gonkaFetchOptionsFromEnv(
  env: Record<string, string | undefined> = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {},
): GonkaFetchOptions {
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const privateKey = get("GONKA_PRIVATE_KEY");
  const apiKey = get("GONKA_API_KEY");
  const endpoints = get("GONKA_ENDPOINTS");
  const sourceUrl = get("GONKA_SOURCE_URL");
  const model = get("GONKA_MODEL");
  if (endpoints === undefined && sourceUrl === undefined) {
    throw new InvalidArgumentError("environment", "set GONKA_SOURCE_URL or GONKA_ENDPOINTS");
  }
  const where = {
    ...(endpoints !== undefined ? { endpoints } : {}),
    ...(sourceUrl !== undefined ? { sourceUrl } : {}),
    ...(model !== undefined ? { model } : {}),
  };
  if (privateKey !== undefined) return { privateKey, ...where };
  if (apiKey !== undefined) return { apiKey, ...where };
  throw new InvalidArgumentError("environment", "set GONKA_PRIVATE_KEY (or GONKA_API_KEY for a broker)");
}
