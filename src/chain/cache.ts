/**
 * A small per-client cache with a time-to-live per entry: the node's release and the chain's
 * minimum gas price are read once and reused for a short while instead of before every tx.
 */

/** A per-client cache of values that change rarely (node release, fee params). */
export interface ClientCache {
  /**
   * The cached value of `key` when younger than `ttlMs`, else `load()`'s (concurrent callers share
   * one load; a failed load is not cached).
   */
  get<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
  /** Forgets one key, or everything. */
  clear(key?: string): void;
}

/**
 * Creates a {@link ClientCache}.
 *
 * @example
 * ```ts
 * const cache = createClientCache();
 * const price = await cache.get("minGasPrice", 30_000, () => getMinGasPrice(chain));
 * ```
 */
export function createClientCache(now: () => number = Date.now): ClientCache {
  const entries = new Map<string, { at: number; value: Promise<unknown> }>();
  return {
    get<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
      const hit = entries.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.value as Promise<T>;
      const value = load();
      const entry = { at: now(), value: value as Promise<unknown> };
      entries.set(key, entry);
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return value;
    },
    clear(key?: string): void {
      if (key === undefined) entries.clear();
      else entries.delete(key);
    },
  };
}
