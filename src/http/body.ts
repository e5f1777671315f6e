/**
 * The one bounded body reader of the SDK: every module that reads a whole response body (the
 * REST core, `gonkaFetch`, inference validation, discovery) goes through {@link readPrefix}, so
 * the byte bound is always counted on the decoded stream (after `fetch` decompressed it: a gzip
 * bomb stops at the bound, not at its compressed size).
 */

/**
 * Reads at most `maxBytes` of a body and cancels the rest. Errors of the stream (for example an
 * abort by the attempt's deadline) propagate. A `fetch` stand-in without a stream is read with
 * `text()` and measured after the fact.
 *
 * @example
 * ```ts
 * const { bytes, truncated } = await readPrefix(response, 65536);
 * ```
 */
export async function readPrefix(response: Response, maxBytes: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const stream = response.body as ReadableStream<Uint8Array> | null | undefined;
  if (!stream) {
    const text = typeof response.text === "function" ? await response.text() : "";
    const all = new TextEncoder().encode(text);
    return all.length <= maxBytes ? { bytes: all, truncated: false } : { bytes: all.subarray(0, maxBytes), truncated: true };
  }
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (size + value.length > maxBytes) {
        parts.push(value.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        break;
      }
      parts.push(value);
      size += value.length;
    }
  } finally {
    // not awaited: a server that stalls after the bound must not hold the caller
    if (truncated) void reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { bytes, truncated };
}
