/**
 * Copy-on-demand rollback of the devnet chain state: a failed tx (or a failed proposal) leaves
 * no trace, like a discarded cache store on the real chain.
 */
import type { ChainState } from "./state.js";

/** State fields a rollback never touches: the tx log is written after delivery. */
const NEVER = new Set(["txs"]);

/**
 * Copies every data field of the state (deep, `structuredClone`) and returns a function that puts
 * the copies back. Fields named in `keep` are not restored.
 *
 * @example
 * ```ts
 * const restore = snapshotState(state);
 * try { run(); } catch (e) { restore(); throw e; }
 * ```
 */
export function snapshotState(state: ChainState, keep: readonly string[] = []): () => void {
  const saved: [string, unknown][] = [];
  for (const [k, v] of Object.entries(state)) {
    if (typeof v === "function" || NEVER.has(k) || keep.includes(k)) continue;
    saved.push([k, typeof v === "object" && v !== null ? structuredClone(v) : v]);
  }
  return () => {
    for (const [k, v] of saved) (state as unknown as Record<string, unknown>)[k] = v;
  };
}
