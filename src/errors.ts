/**
 * The one error tree of gonka-sdk.
 *
 * Every error the SDK throws is a {@link GonkaError}. Each class has a fixed `name`, a one-line
 * `shortMessage` saying what went wrong, optional `details` saying what to do about it, and the
 * underlying `cause` when there is one. Module-specific errors (chain, http, poc, …) extend these
 * classes in their own module so that `err instanceof GonkaError` always holds.
 *
 * No error message, detail or metadata may ever contain key material: constructors receive
 * descriptions of the problem ("the private key is 31 bytes, expected 32"), never the value.
 *
 * @example
 * ```ts
 * try { await chain.vote(wallet, { proposalId: 2n, option: "yes" }); }
 * catch (e) {
 *   if (e instanceof GonkaError) console.error(e.shortMessage, e.details);
 * }
 * ```
 */
export interface GonkaErrorOptions {
  /** What the caller can do about it; printed on its own line. */
  details?: string;
  /** The lower-level error that caused this one. */
  cause?: unknown;
  /** Extra lines of context (never secrets). */
  metaMessages?: string[];
}

/** Base class of every error thrown by gonka-sdk. */
export class GonkaError extends Error {
  override name = "GonkaError";
  /** One line: what went wrong. */
  readonly shortMessage: string;
  /** What to do about it, if known. */
  readonly details?: string;
  /** Extra context lines. */
  readonly metaMessages?: string[];

  constructor(shortMessage: string, options: GonkaErrorOptions = {}) {
    const lines = [shortMessage];
    if (options.metaMessages?.length) lines.push("", ...options.metaMessages);
    if (options.details) lines.push("", options.details);
    super(lines.join("\n"), options.cause !== undefined ? { cause: options.cause } : undefined);
    this.shortMessage = shortMessage;
    if (options.details !== undefined) this.details = options.details;
    if (options.metaMessages !== undefined) this.metaMessages = options.metaMessages;
  }

  /**
   * Walks the `cause` chain and returns the first error for which `fn` is true (or the deepest
   * error when `fn` is omitted).
   */
  walk(fn?: (err: unknown) => boolean): unknown {
    const start: unknown = this as unknown;
    let current: unknown = start;
    let last: unknown = start;
    const seen = new Set<unknown>();
    while (current !== undefined && current !== null && !seen.has(current)) {
      seen.add(current);
      if (fn?.(current)) return current;
      last = current;
      current = (current as { cause?: unknown }).cause;
    }
    return fn ? null : last;
  }
}

/** An argument given to an SDK function is invalid (wrong type, range or format). */
export class InvalidArgumentError extends GonkaError {
  override name = "InvalidArgumentError";
  /** Name of the offending argument or field, e.g. `"gasLimit"` or `"batch.dist[3]"`. */
  readonly argument: string;
  constructor(argument: string, problem: string, options: GonkaErrorOptions = {}) {
    super(`Invalid ${argument}: ${problem}`, options);
    this.argument = argument;
  }
}

/** An operation did not finish within its time limit. */
export class TimeoutError extends GonkaError {
  override name = "TimeoutError";
  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number, options: GonkaErrorOptions = {}) {
    super(`${what} timed out after ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }
}

/** A feature the current environment lacks (e.g. no WebGPU adapter). */
export class UnsupportedError extends GonkaError {
  override name = "UnsupportedError";
}

/** Returns `err.message` for any thrown value, for wrapping in a cause-carrying error. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
