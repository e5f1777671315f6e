import { InvalidArgumentError, type GonkaErrorOptions } from "../../errors.js";

/**
 * A size or count given to a random-number function is unusable: negative, not an integer, or
 * larger than a typed array (or this machine's memory) can hold.
 *
 * @example
 * ```ts
 * try { rng.standardNormal(-1); } catch (e) { if (e instanceof RngSizeError) console.log(e.size); }
 * ```
 */
export class RngSizeError extends InvalidArgumentError {
  override name = "RngSizeError";
  /** The size that was rejected, as given (numbers and bigints only; other values are described). */
  readonly size: number | bigint | undefined;
  constructor(argument: string, size: unknown, problem: string, options: GonkaErrorOptions = {}) {
    super(argument, problem, options);
    this.size = typeof size === "number" || typeof size === "bigint" ? size : undefined;
  }
}

/**
 * A seed given to the PoC randomness is not usable (not a string, or an invalid hash count).
 * The seed's value is never included in the message.
 */
export class RngSeedError extends InvalidArgumentError {
  override name = "RngSeedError";
}
