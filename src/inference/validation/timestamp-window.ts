/**
 * The freshness window of request signatures (inference-flow.md §2.4): a transfer agent compares
 * `X-Timestamp` with the **latest block time**, not its wall clock.
 */
import { InvalidArgumentError } from "../../errors.js";

/** The transfer agent's answer (HTTP 400) for a timestamp older than the window. */
export const SIGNATURE_TOO_OLD = "signature is too old";
/** The transfer agent's answer (HTTP 400) for a timestamp ahead of the window. */
export const SIGNATURE_IN_THE_FUTURE = "signature is in the future";

/** Arguments of {@link checkTimestampWindow}. */
export interface TimestampWindowArgs {
  /** The signed `X-Timestamp` in nanoseconds (0 when missing or unparsable). */
  signatureTimestampNs: bigint | string;
  /** The latest block time in nanoseconds. */
  latestBlockTimeNs: bigint | string;
  /** `validation_params.timestamp_expiration` in seconds (0 means 10); mainnet 60. */
  expirationS?: number;
  /** `validation_params.timestamp_advance` in seconds (0 means 10); mainnet 30. */
  advanceS?: number;
  /** Extra slack in nanoseconds: 60 s when the chain processes `MsgStartInference`, 3600 s for `MsgFinishInference`. */
  extraNs?: bigint | string;
}

function ns(v: bigint | string | undefined, what: string): bigint {
  if (v === undefined) return 0n;
  if (typeof v === "bigint") return v;
  if (typeof v === "string" && /^-?[0-9]+$/.test(v)) return BigInt(v);
  throw new InvalidArgumentError(what, "expected nanoseconds as a bigint or a decimal string");
}

function seconds(v: number | undefined, fallback: number, what: string): bigint {
  const s = v ?? fallback;
  if (!Number.isSafeInteger(s) || s < 0) throw new InvalidArgumentError(what, "expected a non-negative integer number of seconds");
  return BigInt(s === 0 ? 10 : s);
}

/**
 * The transfer agent's freshness check: with `offset = latestBlockTime − timestamp`, refuses
 * `"signature is too old"` when `offset > expiration + extra` and `"signature is in the future"`
 * when `offset < −(advance + extra)`. Defaults: mainnet (60 s, 30 s, no extra).
 * (The chain applies the extra slack in both directions — inferred; the vectors pin the past side.)
 *
 * @example
 * ```ts
 * checkTimestampWindow({ signatureTimestampNs: ts, latestBlockTimeNs: blockTime });
 * // { accepted: false, error: "signature is too old" }
 * ```
 */
export function checkTimestampWindow(args: TimestampWindowArgs): { accepted: boolean; error: string } {
  const ts = ns(args.signatureTimestampNs, "signatureTimestampNs");
  const block = ns(args.latestBlockTimeNs, "latestBlockTimeNs");
  const extra = ns(args.extraNs, "extraNs");
  const expiration = seconds(args.expirationS, 60, "expirationS") * 1_000_000_000n;
  const advance = seconds(args.advanceS, 30, "advanceS") * 1_000_000_000n;
  const offset = block - ts;
  if (offset > expiration + extra) return { accepted: false, error: SIGNATURE_TOO_OLD };
  if (offset < -(advance + extra)) return { accepted: false, error: SIGNATURE_IN_THE_FUTURE };
  return { accepted: true, error: "" };
}
