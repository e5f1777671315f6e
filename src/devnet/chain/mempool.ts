import { AbciError } from "./abci.js";
import { anteHandle, type CheckedTx } from "./ante.js";
import { completeUnbonding, deliverTx, endVotingPeriods, type DevEvent } from "./exec.js";
import { sha256Hex } from "./crypto.js";
import type { ChainState } from "./state.js";

/** The result of CheckTx (what `broadcast_tx_sync` returns). */
export interface CheckTxResult {
  /** Tx hash. */
  hash: string;
  /** ABCI code (0 = accepted). */
  code: number;
  /** Codespace. */
  codespace: string;
  /** Log. */
  log: string;
}

/** Test hooks of the devnet chain node. */
export interface ChainNodeHooks {
  /**
   * Called before CheckTx; return a result to answer with it instead (e.g. inject a one-off
   * `account sequence mismatch`), or `undefined` to proceed normally.
   */
  onBroadcast?: (txRaw: Uint8Array) => Omit<CheckTxResult, "hash"> | undefined;
}

/** CheckTx plus the mempool of checked txs waiting for the next block. */
export class Mempool {
  private pending: CheckedTx[] = [];
  constructor(
    private readonly state: ChainState,
    private readonly hooks: ChainNodeHooks = {},
  ) {}

  /** Runs the ante handler; on success queues the tx for the next block. */
  checkTx(txRaw: Uint8Array): CheckTxResult {
    const hash = sha256Hex(txRaw);
    const injected = this.hooks.onBroadcast?.(txRaw);
    if (injected) return { hash, ...injected };
    try {
      const checked = anteHandle(this.state, txRaw, "check");
      this.pending.push(checked);
      return { hash, code: 0, codespace: "", log: "[]" };
    } catch (e) {
      if (e instanceof AbciError) return { hash, code: e.code, codespace: e.codespace, log: e.log };
      return { hash, code: 1, codespace: "undefined", log: `internal error: ${(e as Error).message}` };
    }
  }

  /** Number of txs waiting. */
  get size(): number {
    return this.pending.length;
  }

  /** Commits a block: height+1, delivers queued txs, ends voting periods. */
  produceBlock(now: Date = new Date()): bigint {
    const state = this.state;
    state.height += 1n;
    state.time = now > state.time ? now : new Date(state.time.getTime() + 1);
    const txs = this.pending;
    this.pending = [];
    txs.forEach((tx, index) => {
      let code = 0;
      let codespace = "";
      let log = "";
      let data: Uint8Array = new Uint8Array();
      let events: DevEvent[] = [];
      try {
        ({ data, events } = deliverTx(state, tx));
      } catch (e) {
        const err = e instanceof AbciError ? e : new AbciError("undefined", 1, `internal error: ${(e as Error).message}`);
        code = err.code;
        codespace = err.codespace;
        log = err.log;
      }
      state.txs.set(tx.hash, {
        hash: tx.hash, height: state.height, index, code, codespace, log, gasWanted: tx.gasWanted, gasUsed: tx.gasUsed, data,
        txRaw: tx.txRaw, time: state.time, events,
      });
    });
    endVotingPeriods(state);
    completeUnbonding(state);
    return state.height;
  }
}
