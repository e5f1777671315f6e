import { fromBinary } from "@bufbuild/protobuf";
import type { Any } from "@bufbuild/protobuf/wkt";
import { Service, BroadcastMode } from "../../generated/proto/cosmos/tx/v1beta1/service_pb.js";
import { TxMsgDataSchema } from "../../generated/proto/cosmos/base/abci/v1beta1/abci_pb.js";
import { base64, hex } from "@scure/base";
import { TimeoutError } from "../errors.js";
import type { ChainContext } from "./context.js";
import { ChainMsgError, chainTxError, MalformedResponseError, NodeAnswerMismatchError, NodeRequestError } from "./errors.js";
import { InvalidArgumentError } from "../errors.js";
import { TxBodySchema, TxRawSchema } from "../../generated/proto/cosmos/tx/v1beta1/tx_pb.js";
import { msgFailures } from "./msg-errors.js";
import { txHash } from "./tx.js";
import { normalizeAnyTypeUrls } from "../proto/index.js";

/** The outcome of an included transaction. */
export interface TxResult {
  /** Tx hash (upper-case hex). */
  hash: string;
  /** Height of the block that included it. */
  height: bigint;
  /** Gas limit. */
  gasWanted: bigint;
  /** Gas used. */
  gasUsed: bigint;
  /** One response per message (e.g. `MsgSubmitProposalResponse`), packed. */
  msgResponses: Any[];
  /** Raw log. */
  log: string;
}

/**
 * Broadcasts a signed `TxRaw` (sync mode: returns after CheckTx) through CometBFT
 * `broadcast_tx_sync` or the tx Service, per `ctx.broadcastVia`.
 *
 * @example
 * ```ts
 * const hash = await broadcastTx(chain, signed.txRaw);
 * ```
 * The hash is always sha256 of `txRaw`, computed here; a node that answers another hash is not
 * believed ({@link NodeAnswerMismatchError}).
 *
 * @throws {ChainTxError} (or a subclass such as {@link SequenceMismatchError}) when CheckTx rejects it.
 * @throws {NodeAnswerMismatchError} when the node names a hash other than the tx's.
 */
export async function broadcastTx(ctx: Pick<ChainContext, "transport" | "rpc" | "broadcastVia">, txRaw: Uint8Array, options: { timeoutMs?: number } = {}): Promise<string> {
  const expected = txHash(txRaw);
  if (ctx.broadcastVia === "rpc") {
    const r = await ctx.rpc.broadcastTxSync(txRaw, options.timeoutMs);
    checkHash("broadcast_tx_sync", "tx hash", expected, r.hash);
    if (r.code !== 0) throw chainTxError({ code: r.code, codespace: r.codespace, log: r.log, txHash: expected });
    return expected;
  }
  const res = await ctx.transport.unary(
    Service.method.broadcastTx,
    { txBytes: txRaw, mode: BroadcastMode.SYNC },
    { path: "/cosmos/tx/v1beta1/txs", method: "POST" },
    options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {},
  );
  const t = res.txResponse;
  if (!t) throw new MalformedResponseError("cosmos/tx/v1beta1/txs", "the response has no tx_response");
  checkHash("cosmos/tx/v1beta1/txs", "tx hash", expected, t.txhash);
  if (t.code !== 0) throw chainTxError({ code: t.code, codespace: t.codespace, log: t.rawLog, txHash: expected });
  return expected;
}

/** An answered hash must be ours (an empty one says nothing and is let through). */
function checkHash(endpoint: string, what: string, expected: string, received: string): void {
  if (received && received.toUpperCase() !== expected) throw new NodeAnswerMismatchError(endpoint, what, expected, received);
}

/** A tx hash argument: 64 hex digits, returned upper-case. */
function normaliseHash(hash: unknown): string {
  if (typeof hash !== "string" || !/^[0-9A-Fa-f]{64}$/.test(hash)) {
    throw new InvalidArgumentError("hash", "expected a tx hash of 64 hex digits", { details: "Pass the hash broadcastTx returned." });
  }
  return hash.toUpperCase();
}

/** Options of {@link waitForTx}. */
export interface WaitForTxOptions {
  /** How long to wait, ms (default: the client's `confirmTimeoutMs`). */
  timeoutMs?: number;
  /** Poll interval, ms (default: the client's). */
  pollIntervalMs?: number;
  /**
   * Return the result even when a message's response carries an `error_message` (default false:
   * throw {@link ChainMsgError}). For tools that inspect failures themselves.
   */
  allowMsgErrors?: boolean;
}

/**
 * Polls until a tx is included, then returns its result.
 *
 * @throws {ChainTxError} when it was included but failed (DeliverTx code ≠ 0).
 * @throws {ChainMsgError} when it succeeded but a message's response carries an `error_message`
 *   (Start/Finish inference since v0.2.6; also inside `MsgExec`).
 * @throws {TimeoutError} when it is not included within `timeoutMs`.
 * @throws {NodeAnswerMismatchError} when the node answers for another hash, with tx bytes that do
 *   not hash to it, or with a height below 1.
 */
export async function waitForTx(
  ctx: Pick<ChainContext, "transport" | "rpc" | "broadcastVia" | "txDefaults">,
  hash: string,
  options: WaitForTxOptions = {},
): Promise<TxResult> {
  hash = normaliseHash(hash);
  const timeoutMs = options.timeoutMs ?? ctx.txDefaults.confirmTimeoutMs;
  const interval = options.pollIntervalMs ?? ctx.txDefaults.pollIntervalMs;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new TimeoutError(`Waiting for tx ${hash}`, timeoutMs, { details: "The tx may still be included later; look it up by hash." });
    const found = await lookupTx(ctx, hash, Math.max(1, Math.min(left, 30_000))).catch((e: unknown) => {
      if (e instanceof TimeoutError || (e instanceof Error && e.name === "HttpTimeoutError")) return undefined;
      throw e;
    });
    if (found) {
      if (found.code !== 0) throw chainTxError({ code: found.code, codespace: found.codespace, log: found.log, txHash: hash, height: found.result.height });
      if (!options.allowMsgErrors) {
        const failures = msgFailures(found.result.msgResponses, found.messages);
        if (failures.length) throw new ChainMsgError(failures, { txHash: hash, height: found.result.height, log: found.log });
      }
      return found.result;
    }
    await new Promise((r) => setTimeout(r, Math.min(interval, Math.max(0, deadline - Date.now()))));
  }
}

async function lookupTx(
  ctx: Pick<ChainContext, "transport" | "rpc" | "broadcastVia">,
  hash: string,
  timeoutMs: number,
): Promise<{ code: number; codespace: string; log: string; result: TxResult; messages: Any[] | undefined } | undefined> {
  if (ctx.broadcastVia === "rpc") {
    const r = await ctx.rpc.tx(hash, timeoutMs);
    if (!r) return undefined;
    checkHash("tx", "tx hash", hash, r.hash || "(none)");
    if (r.tx) {
      const bytes = base64Bytes(r.tx);
      const actual = bytes.length ? txHash(bytes) : "(undecodable tx bytes)";
      if (actual !== hash) throw new NodeAnswerMismatchError("tx", "tx whose bytes hash", hash, actual);
    }
    if (r.height < 1n) throw new NodeAnswerMismatchError("tx", "inclusion height", "≥ 1", r.height.toString());
    return {
      code: r.code, codespace: r.codespace, log: r.log, messages: bodyMessages(base64Bytes(r.tx)),
      result: { hash, height: r.height, gasWanted: r.gasWanted, gasUsed: r.gasUsed, log: r.log, msgResponses: decodeMsgResponses(base64Bytes(r.data)) },
    };
  }
  let res;
  try {
    res = await ctx.transport.unary(Service.method.getTx, { hash }, { path: `/cosmos/tx/v1beta1/txs/${hash}` }, { timeoutMs });
  } catch (e) {
    if (e instanceof NodeRequestError && (e.code === 5 || e.status === 404)) return undefined;
    throw e;
  }
  const t = res.txResponse;
  if (!t) throw new MalformedResponseError("cosmos/tx/v1beta1/txs/{hash}", "the response has no tx_response");
  checkHash("cosmos/tx/v1beta1/txs/{hash}", "tx hash", hash, t.txhash || "(none)");
  if (t.height < 1n) throw new NodeAnswerMismatchError("cosmos/tx/v1beta1/txs/{hash}", "inclusion height", "≥ 1", t.height.toString());
  return {
    code: t.code, codespace: t.codespace, log: t.rawLog, messages: res.tx?.body?.messages,
    result: { hash, height: t.height, gasWanted: t.gasWanted, gasUsed: t.gasUsed, log: t.rawLog, msgResponses: decodeMsgResponses(hexBytes(t.data)) },
  };
}

/** The body messages of encoded `TxRaw` bytes (`undefined` when they do not decode). */
function bodyMessages(txRaw: Uint8Array): Any[] | undefined {
  if (txRaw.length === 0) return undefined;
  try {
    return fromBinary(TxBodySchema, fromBinary(TxRawSchema, txRaw).bodyBytes).messages;
  } catch {
    return undefined;
  }
}

function base64Bytes(s: string): Uint8Array {
  try {
    return s ? base64.decode(s) : new Uint8Array();
  } catch {
    return new Uint8Array();
  }
}
function hexBytes(s: string): Uint8Array {
  try {
    return s ? hex.decode(s.toLowerCase()) : new Uint8Array();
  } catch {
    return new Uint8Array();
  }
}

/** Decodes `TxMsgData` bytes to its `msg_responses`. */
export function decodeMsgResponses(data: Uint8Array): Any[] {
  if (data.length === 0) return [];
  let msgData;
  try {
    msgData = fromBinary(TxMsgDataSchema, data);
  } catch {
    return [];
  }
  try {
    normalizeAnyTypeUrls(TxMsgDataSchema, msgData);
  } catch {
    // a response whose bytes do not decode keeps its type URL; the caller sees it as the node sent it
  }
  return msgData.msgResponses;
}
