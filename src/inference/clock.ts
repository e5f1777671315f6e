/**
 * Nanosecond timestamps for `X-Timestamp`, shifted to follow the chain's latest block time (what
 * transfer agents compare against), and unique within the process (a repeated `Authorization` is
 * rejected as a replay, and signatures are deterministic).
 *
 * A clock belongs to one client. A correction is bounded (by default ±10 minutes from the local
 * wall clock; the chain's own windows are 60 s back and 30 s ahead), and a correction learned
 * from one transfer agent applies only to requests to that agent, until enough agents agree on
 * it. One node answering with a far-future time therefore cannot move the timestamps sent to
 * anyone else.
 */
import { DEFAULT_MAX_CLOCK_OFFSET_MS, positiveInteger } from "./options.js";

/** A source of unique nanosecond timestamps, with bounded, per-endpoint corrections. */
export interface TimestampClock {
  /**
   * The next timestamp for a request to `scope` (a transfer agent's URL; omit for the client-wide
   * time). Unique in the process, and increasing per scope between two corrections (even when the
   * wall clock steps back).
   */
  next(scope?: string): bigint;
  /**
   * Aligns to a reference time (a node's latest block time). Without `scope` the client-wide
   * offset changes; with `scope` only requests to that endpoint follow it, until `quorum`
   * endpoints agree within `toleranceMs`, which makes their median the client-wide offset.
   * Returns false (and changes nothing) when the reference is further than `maxOffsetMs` from
   * the local wall clock.
   */
  correct(referenceNs: bigint, scope?: string): boolean;
  /** The client-wide correction in nanoseconds (reference minus local wall clock). */
  readonly offsetNs: bigint;
  /** The correction used for requests to `scope`. */
  offsetFor(scope: string): bigint;
}

/** Options of {@link createTimestampClock}. */
export interface TimestampClockOptions {
  /** Largest correction accepted, in ms; default 600 000 (10 minutes). */
  maxOffsetMs?: number;
  /** Endpoints that must agree before a scoped correction becomes client-wide; default 2. */
  quorum?: number;
  /** How close scoped corrections must be to count as agreeing, in ms; default 2 000. */
  toleranceMs?: number;
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

// Every timestamp handed out recently in this process, so that two clients signing the same body
// for the same agent with the same key never produce the same Authorization.
const ISSUED_LIMIT = 65_536;
const issued = new Set<bigint>();
const issuedOrder: bigint[] = [];
let issuedHead = 0;

function claimUnique(candidate: bigint): bigint {
  let t = candidate;
  while (issued.has(t)) t++;
  issued.add(t);
  issuedOrder.push(t);
  if (issued.size > ISSUED_LIMIT) {
    issued.delete(issuedOrder[issuedHead]!);
    issuedHead++;
    if (issuedHead > ISSUED_LIMIT) {
      issuedOrder.splice(0, issuedHead);
      issuedHead = 0;
    }
  }
  return t;
}

const MAX_SCOPES = 1024;

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

/**
 * Creates a clock. `gonkaFetch` makes one per client; pass your own to share or inspect it.
 *
 * @example
 * ```ts
 * const clock = createTimestampClock();
 * clock.next() < clock.next();                 // true, always
 * clock.correct(blockTimeNs, "http://ta:8000"); // only requests to that agent shift
 * clock.correct(4102444800000000000n);         // false: the year 2100 is refused
 * ```
 */
export function createTimestampClock(now: () => bigint = wallClockNs, options: TimestampClockOptions = {}): TimestampClock {
  const maxOffsetNs = BigInt(positiveInteger("maxOffsetMs", options.maxOffsetMs, DEFAULT_MAX_CLOCK_OFFSET_MS, 0)) * 1_000_000n;
  const quorum = positiveInteger("quorum", options.quorum, 2);
  const toleranceNs = BigInt(positiveInteger("toleranceMs", options.toleranceMs, 2_000, 0)) * 1_000_000n;
  let offset = 0n;
  const scoped = new Map<string, bigint>();
  const last = new Map<string, bigint>();
  const CLIENT = "\u0000client";

  return {
    next(scope?: string) {
      const key = scope ?? CLIENT;
      const off = scope !== undefined ? (scoped.get(scope) ?? offset) : offset;
      const prev = last.get(key) ?? 0n;
      let candidate = now() + off;
      if (candidate <= prev) candidate = prev + 1n;
      const t = claimUnique(candidate);
      if (!last.has(key) && last.size >= MAX_SCOPES) last.delete(last.keys().next().value!);
      last.set(key, t);
      return t;
    },
    correct(referenceNs: bigint, scope?: string) {
      if (typeof referenceNs !== "bigint") return false;
      const candidate = referenceNs - now();
      if (abs(candidate) > maxOffsetNs) return false;
      // A correction may move time back: the next values follow it (uniqueness is kept by the
      // process-wide registry, not by monotonicity, which would pin us to a time the node refuses).
      if (scope === undefined) {
        offset = candidate;
        last.clear();
        return true;
      }
      scoped.delete(scope);
      if (scoped.size >= MAX_SCOPES) scoped.delete(scoped.keys().next().value!);
      scoped.set(scope, candidate);
      last.delete(scope);
      const agreeing = [...scoped.values()].filter((o) => abs(o - candidate) <= toleranceNs).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (agreeing.length >= quorum) {
        offset = agreeing[Math.floor(agreeing.length / 2)]!;
        last.delete(CLIENT);
      }
      return true;
    },
    get offsetNs() {
      return offset;
    },
    offsetFor(scope: string) {
      return scoped.get(scope) ?? offset;
    },
  };
}

/** A process-wide clock, for code that wants one shared clock (`gonkaFetch` makes its own). */
export const defaultTimestampClock: TimestampClock = createTimestampClock();

/** The next unique nanosecond timestamp from {@link defaultTimestampClock}. */
export function nextTimestampNs(): bigint {
  return defaultTimestampClock.next();
}
