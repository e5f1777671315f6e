/**
 * Nanosecond timestamps for `X-Timestamp`: strictly increasing and unique within a process (a
 * repeated `Authorization` is rejected as a replay, and signatures are deterministic), optionally
 * shifted to follow the chain's latest block time, which is what nodes compare against.
 */

/** A source of unique, increasing nanosecond timestamps. */
export interface TimestampClock {
  /** The next timestamp: greater than every value returned before. */
  next(): bigint;
  /**
   * Aligns the clock to a reference time, e.g. the latest block time: from now on timestamps
   * follow `referenceNs + (time elapsed since this call)`. Monotonicity is kept.
   */
  correct(referenceNs: bigint): void;
  /** Current correction in nanoseconds (reference minus local wall clock). */
  readonly offsetNs: bigint;
}

/** The local wall clock in nanoseconds (sub-millisecond precision where `performance` allows). */
export function wallClockNs(): bigint {
  const perf = globalThis.performance;
  if (perf && typeof perf.timeOrigin === "number" && typeof perf.now === "function") {
    // timeOrigin + now is in ms with microsecond-level fraction.
    return BigInt(Math.round((perf.timeOrigin + perf.now()) * 1000)) * 1000n;
  }
  return BigInt(Date.now()) * 1_000_000n;
}

/**
 * Creates an independent clock. Most code should use {@link defaultTimestampClock}, which is
 * shared by every `gonkaFetch` in the process so that two of them never emit the same value.
 *
 * @example
 * ```ts
 * const clock = createTimestampClock();
 * clock.next() < clock.next(); // true, always
 * ```
 */
export function createTimestampClock(now: () => bigint = wallClockNs): TimestampClock {
  let last = 0n;
  let offset = 0n;
  return {
    next() {
      const candidate = now() + offset;
      last = candidate > last ? candidate : last + 1n;
      return last;
    },
    correct(referenceNs: bigint) {
      offset = referenceNs - now();
    },
    get offsetNs() {
      return offset;
    },
  };
}

/** The process-wide clock used by default. */
export const defaultTimestampClock: TimestampClock = createTimestampClock();

/** The next unique nanosecond timestamp from {@link defaultTimestampClock}. */
export function nextTimestampNs(): bigint {
  return defaultTimestampClock.next();
}
