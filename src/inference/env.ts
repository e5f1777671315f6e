/**
 * Reading `gonkaFetch` options from environment variables, with the names other Gonka clients
 * use: `GONKA_PRIVATE_KEY`, `GONKA_ENDPOINTS`, `GONKA_SOURCE_URL`, `GONKA_MODEL`, plus
 * `GONKA_API_KEY` with `GONKA_BROKER_URL` for brokers and devshard gateways.
 */
import { InvalidArgumentError } from "../errors.js";
import type { GonkaFetchOptions } from "./gonka-fetch.js";

/**
 * Builds {@link GonkaFetchOptions} from environment variables (default `process.env`).
 * Errors name the variables, never their values (a key pasted into the wrong variable must not
 * end up in a log).
 *
 * - signed: `GONKA_PRIVATE_KEY` with `GONKA_SOURCE_URL` and/or `GONKA_ENDPOINTS` (`GONKA_MODEL` filters discovery);
 * - Bearer: `GONKA_API_KEY` with `GONKA_BROKER_URL` (or `GONKA_ENDPOINTS` holding the broker's URLs).
 *   `GONKA_SOURCE_URL` is refused with a Bearer key: discovered participants must never receive it.
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
    const v = env[name];
    if (v !== undefined && typeof v !== "string") throw new InvalidArgumentError(name, "expected a string");
    const t = v?.trim();
    return t ? t : undefined;
  };
  const privateKey = get("GONKA_PRIVATE_KEY");
  const apiKey = get("GONKA_API_KEY");
  const endpoints = get("GONKA_ENDPOINTS");
  const sourceUrl = get("GONKA_SOURCE_URL");
  const brokerUrl = get("GONKA_BROKER_URL");
  const model = get("GONKA_MODEL");
  if (privateKey !== undefined && apiKey !== undefined) {
    throw new InvalidArgumentError("environment", "set either GONKA_PRIVATE_KEY (signed requests) or GONKA_API_KEY (a broker), not both");
  }
  if (privateKey !== undefined) {
    if (endpoints === undefined && sourceUrl === undefined) {
      throw new InvalidArgumentError("environment", "with GONKA_PRIVATE_KEY, set GONKA_SOURCE_URL or GONKA_ENDPOINTS");
    }
    return {
      privateKey,
      ...(endpoints !== undefined ? { endpoints } : {}),
      ...(sourceUrl !== undefined ? { sourceUrl } : {}),
      ...(model !== undefined ? { model } : {}),
    };
  }
  if (apiKey !== undefined) {
    if (sourceUrl !== undefined && brokerUrl === undefined && endpoints === undefined) {
      throw new InvalidArgumentError("environment", "GONKA_API_KEY goes only to its broker: set GONKA_BROKER_URL (GONKA_SOURCE_URL discovers participants, who must never see the key)");
    }
    const urls = brokerUrl ?? endpoints;
    if (urls === undefined) throw new InvalidArgumentError("environment", "with GONKA_API_KEY, set GONKA_BROKER_URL (the broker's or devshard gateway's URL)");
    return { apiKey, brokerUrl: urls };
  }
  if (endpoints === undefined && sourceUrl === undefined && brokerUrl === undefined) {
    throw new InvalidArgumentError("environment", "set GONKA_PRIVATE_KEY with GONKA_SOURCE_URL or GONKA_ENDPOINTS, or GONKA_API_KEY with GONKA_BROKER_URL");
  }
  throw new InvalidArgumentError("environment", "set GONKA_PRIVATE_KEY (or GONKA_API_KEY for a broker)");
}
