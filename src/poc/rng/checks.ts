import { RngSeedError, RngSizeError } from "./errors.js";

/** Largest element count of one typed array in this SDK (V8's limit on 64-bit platforms). */
export const MAX_ARRAY_LENGTH = 2 ** 32;

/** Checks that `n` is a non-negative safe integer no larger than `max`; returns it as a number. */
export function checkSize(argument: string, n: unknown, max: number = MAX_ARRAY_LENGTH): number {
  let v: number;
  if (typeof n === "bigint") {
    if (n < 0n) throw new RngSizeError(argument, n, `must not be negative (got ${n})`);
    if (n > BigInt(max)) throw new RngSizeError(argument, n, `${n} exceeds the limit of ${max}`);
    v = Number(n);
  } else if (typeof n === "number") {
    if (!Number.isInteger(n)) throw new RngSizeError(argument, n, `must be an integer (got ${n})`);
    if (n < 0) throw new RngSizeError(argument, n, `must not be negative (got ${n})`);
    if (n > max) throw new RngSizeError(argument, n, `${n} exceeds the limit of ${max}`);
    v = n;
  } else {
    throw new RngSizeError(argument, n, `must be a number or bigint, got ${typeof n}`);
  }
  return v;
}

/**
 * Largest array this SDK allocates for one result, in bytes (4 GiB). Larger requests are refused
 * up front: engines reserve such buffers lazily and would only fail (or swap) while filling them.
 * Use the `fill*` methods with your own arrays to go beyond it.
 */
export const MAX_ALLOCATION_BYTES = 2 ** 32;

/** Allocates a typed array, turning an oversize request or an allocation failure into an {@link RngSizeError}. */
export function allocate<T>(argument: string, n: number, bytesPerElement: number, make: (n: number) => T): T {
  if (n * bytesPerElement > MAX_ALLOCATION_BYTES) {
    throw new RngSizeError(argument, n, `${n} elements of ${bytesPerElement} bytes exceed the ${MAX_ALLOCATION_BYTES}-byte allocation limit`);
  }
  try {
    return make(n);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new RngSizeError(argument, n, `cannot allocate ${n} elements on this machine`, { cause: e });
    }
    throw e;
  }
}

/** Checks that a seed is a string (never echoing its value). */
export function checkSeed(argument: string, seed: unknown): string {
  if (typeof seed !== "string") {
    throw new RngSeedError(argument, `must be a string, got ${seed === null ? "null" : typeof seed}`);
  }
  return seed;
}

/** Checks an integer nonce (safe-integer number or bigint) and returns its decimal form. */
export function nonceString(nonce: unknown): string {
  if (typeof nonce === "bigint") return nonce.toString(10);
  if (typeof nonce === "number" && Number.isSafeInteger(nonce)) return nonce.toString(10);
  throw new RngSeedError("nonce", "must be a safe integer or a bigint");
}
