/**
 * Reading response bodies with limits: a byte bound counted on the decoded stream (what `fetch`
 * hands out after decompression) and an idle deadline, so neither a huge or compressed body nor a
 * server that sends headers and then stalls can hold memory or an attempt without end. Whole
 * bodies are read by the SDK's one bounded reader, `readPrefix` of `src/http/body.ts`; this file
 * adds the streaming limit `gonkaFetch` hands to its callers.
 */
import { ResponseStalledError, ResponseTooLargeError } from "./errors.js";

export { readPrefix } from "../http/body.js";

/** Options of {@link limitResponse}. */
export interface LimitResponseOptions {
  /** Largest body in bytes; more makes the stream fail with {@link ResponseTooLargeError}. */
  maxBytes: number;
  /** Longest pause between two chunks in ms; longer makes the stream fail with {@link ResponseStalledError}. */
  idleTimeoutMs: number;
  /** URL for the errors (no credentials). */
  url: string;
  /** Called when a limit ends the body (e.g. to abort the underlying request). */
  onLimit?: (reason: Error) => void;
  /** Called once when the body ends in any way (read to the end, failed, cancelled). */
  onClose?: () => void;
}

/** Statuses whose responses have no body (the `Response` constructor refuses one). */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * A copy of `response` whose body enforces a byte bound and an idle deadline while the caller
 * reads it. Chunks pass through as they arrive (streams stay streams). `content-length` and
 * `content-encoding` are dropped: the body is already decoded.
 */
export function limitResponse(response: Response, options: LimitResponseOptions): Response {
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.delete("content-encoding");
  const init = { status: response.status, statusText: response.statusText, headers };
  if (response.body === null || NULL_BODY_STATUS.has(response.status)) {
    void response.body?.cancel().catch(() => undefined);
    options.onClose?.();
    return new Response(null, init);
  }
  const reader = response.body.getReader();
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failed: Error | undefined;
  let closed = false;
  const stop = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const close = () => {
    if (closed) return;
    closed = true;
    stop();
    options.onClose?.();
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const fail = (reason: Error) => {
        failed = reason;
        stop();
        options.onLimit?.(reason);
        controller.error(reason);
        void reader.cancel(reason).catch(() => undefined);
        close();
      };
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await new Promise<ReadableStreamReadResult<Uint8Array>>((resolve, reject) => {
          timer = setTimeout(() => reject(new ResponseStalledError(options.url, options.idleTimeoutMs)), options.idleTimeoutMs);
          reader.read().then(resolve, reject);
        });
      } catch (err) {
        if (failed) return;
        if (err instanceof ResponseStalledError) return fail(err);
        controller.error(err);
        close();
        return;
      } finally {
        stop();
      }
      if (result.done) {
        controller.close();
        close();
        return;
      }
      size += result.value.length;
      if (size > options.maxBytes) return fail(new ResponseTooLargeError(options.url, options.maxBytes));
      controller.enqueue(result.value);
    },
    cancel(reason) {
      close();
      return reader.cancel(reason);
    },
  });
  return new Response(body, init);
}

/** A response made from bytes already read (for error answers `gonkaFetch` had to look at). */
export function responseFromBytes(response: Response, bytes: Uint8Array): Response {
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.delete("content-encoding");
  const init = { status: response.status, statusText: response.statusText, headers };
  if (NULL_BODY_STATUS.has(response.status)) return new Response(null, init);
  return new Response(bytes as Uint8Array<ArrayBuffer>, init);
}
