/**
 * Shared pieces of the PoC v2 flows: the stage windows from the epoch params (chain-upgrades.md
 * §7.1), the chain height, waiting with an `AbortSignal`.
 * @module
 */
import type { ChainContext } from "../../chain/context.js";
import { GonkaError, InvalidArgumentError } from "../../errors.js";
import { PocV2AbortedError, PocV2HeightTimeoutError } from "./flow-errors.js";

/** The epoch params the windows depend on (the chain's `EpochParams` satisfies it). */
export interface PocV2EpochParams {
  pocStageDuration: bigint | number;
  pocExchangeDuration?: bigint | number;
  pocValidationDelay: bigint | number;
  pocValidationDuration: bigint | number;
}

/** The windows of a PoC stage that starts at height S. */
export interface PocV2Windows {
  /** `MsgPoCV2StoreCommit` is accepted in blocks `[S+1, S+stage+exchange]`. */
  exchange: readonly [bigint, bigint];
  /** Generation ends at `S+stage` (it winds down from `S + 0.8·stage`). */
  generationEnd: bigint;
  /** Votes (and, until its end, weight distributions) are accepted in `[S+stage+delay+1, S+stage+delay+validation]`. */
  validation: readonly [bigint, bigint];
}

/**
 * The windows of the stage starting at `stage` (spec chain-upgrades.md §7.1).
 *
 * @example
 * ```ts
 * pocV2Windows({ pocStageDuration: 35, pocValidationDelay: 5, pocValidationDuration: 240 }, 1000n);
 * // { exchange: [1001n, 1035n], generationEnd: 1035n, validation: [1041n, 1280n] }
 * ```
 */
export function pocV2Windows(params: PocV2EpochParams, stage: bigint | number): PocV2Windows {
  const s = BigInt(stage);
  if (s <= 0n) throw new InvalidArgumentError("stage", "must be a positive block height");
  const n = (v: bigint | number | undefined, name: string): bigint => {
    const b = BigInt(v ?? 0);
    if (b < 0n) throw new InvalidArgumentError(`epochParams.${name}`, "must not be negative");
    return b;
  };
  const stageLen = n(params.pocStageDuration, "pocStageDuration");
  const exchange = n(params.pocExchangeDuration, "pocExchangeDuration");
  const delay = n(params.pocValidationDelay, "pocValidationDelay");
  const validation = n(params.pocValidationDuration, "pocValidationDuration");
  return {
    exchange: [s + 1n, s + stageLen + exchange],
    generationEnd: s + stageLen,
    validation: [s + stageLen + delay + 1n, s + stageLen + delay + validation],
  };
}

/** Rejects with {@link PocV2AbortedError} when `signal` is aborted. */
export function checkAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new PocV2AbortedError(what, { cause: signal.reason });
}

/** Sleeps `ms`, ending early (with {@link PocV2AbortedError}) when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  checkAborted(signal, what);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(t);
      reject(new PocV2AbortedError(what, { cause: signal?.reason }));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The chain's latest height (CometBFT `status`). */
export async function chainHeight(ctx: Pick<ChainContext, "rpc">): Promise<bigint> {
  return (await ctx.rpc.status()).latestHeight;
}

/**
 * Waits until the chain's latest height is at least `height`, polling every `pollMs`.
 *
 * @throws {PocV2HeightTimeoutError} after `timeoutMs` (default: no limit).
 * @throws {PocV2AbortedError} when `signal` aborts.
 */
export async function waitForHeight(
  ctx: Pick<ChainContext, "rpc">,
  height: bigint,
  options: { pollMs: number; timeoutMs?: number; signal?: AbortSignal; what: string },
): Promise<bigint> {
  const start = Date.now();
  for (;;) {
    checkAborted(options.signal, options.what);
    const h = await chainHeight(ctx);
    if (h >= height) return h;
    if (options.timeoutMs !== undefined && Date.now() - start > options.timeoutMs) throw new PocV2HeightTimeoutError(height, options.timeoutMs);
    await sleep(options.pollMs, options.signal, options.what);
  }
}

/** Lower-case hex of bytes. */
export function hexOf(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/**
 * A block's hash as the network node formats it (CometBFT `block`: `block_id.hash`, upper-case
 * hex); without `height`, the latest block's. Regular PoC seeds generation with the stage start's
 * hash and samples leaves with the latest hash when validation starts.
 *
 * @example
 * ```ts
 * const generationBlockHash = await cometBlockHash({ rpcUrl: "http://node2.gonka.ai:8000/chain-rpc", height: stage });
 * ```
 */
export async function cometBlockHash(args: { rpcUrl: string; height?: bigint | number; fetch?: (input: string, init: RequestInit) => Promise<Response>; signal?: AbortSignal }): Promise<{ height: bigint; hash: string }> {
  const f = args.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
  const params = args.height === undefined ? {} : { height: String(args.height) };
  const res = await f(`${args.rpcUrl.replace(/\/+$/, "")}/`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "block", params }),
    ...(args.signal ? { signal: args.signal } : {}),
  });
  const json = (await res.json().catch(() => undefined)) as { result?: { block_id?: { hash?: string }; block?: { header?: { height?: string } } }; error?: unknown } | undefined;
  const hash = json?.result?.block_id?.hash;
  if (!res.ok || typeof hash !== "string" || !/^[0-9A-Fa-f]{64}$/.test(hash)) {
    throw new GonkaError(`CometBFT RPC ${args.rpcUrl} gave no block hash${args.height === undefined ? "" : ` for height ${args.height}`}`, {
      details: "Pass the block hash explicitly (the stage start's for generation, the latest at validation start for sampling), or point at a node that serves /block.",
    });
  }
  return { height: BigInt(json?.result?.block?.header?.height ?? args.height ?? 0), hash: hash.toUpperCase() };
}
