/**
 * The deadline of one request attempt: an AbortSignal that follows the caller's signal and fires
 * after the attempt's time limit, which covers the response headers and every body read under it
 * (`gonkaFetch`, the inference-validation fetches, the PoC v2 proof client).
 */

/** One attempt's signal and its controls. */
export interface AttemptSignal {
  /** Pass to `fetch`. */
  readonly signal: AbortSignal;
  /** True once the time limit fired. */
  readonly timedOut: boolean;
  /** Stops the time limit but keeps following the caller's signal (a returned stream stays cancellable). */
  stopTimer(): void;
  /** Stops the time limit and stops following the caller's signal. */
  release(): void;
  /** Aborts the request (e.g. when a body limit is hit). */
  abort(reason: unknown): void;
}

/**
 * Starts an attempt's deadline.
 *
 * @example
 * ```ts
 * const attempt = startAttempt(request.signal, 30_000);
 * const res = await fetch(url, { signal: attempt.signal });
 * ```
 */
export function startAttempt(parent: AbortSignal | undefined, ms: number): AttemptSignal {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener("abort", onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`attempt timed out after ${ms} ms`));
  }, ms);
  const stopTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    stopTimer,
    release() {
      stopTimer();
      parent?.removeEventListener("abort", onAbort);
    },
    abort(reason: unknown) {
      controller.abort(reason);
    },
  };
}
