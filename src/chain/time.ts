import { fromJson } from "@bufbuild/protobuf";
import { TimestampSchema, timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { InvalidArgumentError } from "../errors.js";

/** A point in time: a `Date`, an RFC 3339 string (nanoseconds kept), or a protobuf Timestamp. */
export type TimestampLike = Date | string | { seconds: bigint; nanos: number };

/**
 * Converts a {@link TimestampLike} to a `google.protobuf.Timestamp`.
 *
 * @example
 * ```ts
 * toTimestamp("2026-11-21T12:00:00.000000123Z"); // { seconds: 1795262400n, nanos: 123 }
 * ```
 */
export function toTimestamp(t: TimestampLike, argument = "timeoutTimestamp"): Timestamp {
  try {
    if (t instanceof Date) {
      if (Number.isNaN(t.getTime())) throw new Error("invalid date");
      return timestampFromDate(t);
    }
    if (typeof t === "string") return fromJson(TimestampSchema, t);
    if (t && typeof t === "object" && typeof t.seconds === "bigint" && Number.isInteger(t.nanos)) {
      if (t.nanos < 0 || t.nanos > 999_999_999) throw new Error("nanos out of range");
      return { $typeName: "google.protobuf.Timestamp", seconds: t.seconds, nanos: t.nanos };
    }
  } catch {
    // fall through
  }
  throw new InvalidArgumentError(argument, "expected a Date, an RFC 3339 string or { seconds, nanos }");
}

let lastUnique = 0n;

/**
 * A timeout timestamp `secondsAhead` from now that is unique within this process down to the
 * nanosecond (SDK 0.53 uses (signer, timeout_timestamp) as the unordered-tx nonce).
 */
export function uniqueTimeoutTimestamp(secondsAhead = 60): Timestamp {
  let ns = BigInt(Date.now() + secondsAhead * 1000) * 1_000_000n;
  if (ns <= lastUnique) ns = lastUnique + 1n;
  lastUnique = ns;
  return { $typeName: "google.protobuf.Timestamp", seconds: ns / 1_000_000_000n, nanos: Number(ns % 1_000_000_000n) };
}
