/**
 * Where a keyring's items live. The format code only talks to this interface, so it runs in
 * browsers too; the Node.js directory implementation is `node-storage.ts`.
 */

/**
 * A flat set of named byte blobs with an exclusive lock — the keyring directory. Names are item
 * keys (`alice.info`, `<hex>.address`, `keyhash`); implementations map them to files.
 */
export interface KeyringStorage {
  /** A description for messages (the directory path, or `memory`). */
  readonly location: string;
  /** Every item key present (order unspecified). */
  keys(): Promise<string[]>;
  /** An item's bytes, or `undefined` when it does not exist. */
  read(key: string): Promise<Uint8Array | undefined>;
  /** Creates or replaces an item atomically (a reader sees the old or the new bytes, never a mix). */
  write(key: string, data: Uint8Array): Promise<void>;
  /** Removes an item (no error when it is absent). */
  remove(key: string): Promise<void>;
  /**
   * Runs `fn` while holding the storage's exclusive lock, so that read-check-write sequences of
   * two processes do not interleave.
   */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * An in-memory {@link KeyringStorage} (browsers, tests, or a keyring restored from an upload).
 * `initial` maps item keys to bytes, e.g. the files of a `keyring-file` directory.
 *
 * @example
 * ```ts
 * const storage = memoryKeyringStorage(new Map([["keyhash", keyhashBytes], ["alice.info", infoBytes]]));
 * const keyring = await openFileKeyring({ storage, password });
 * ```
 */
export function memoryKeyringStorage(initial: Iterable<[string, Uint8Array]> = []): KeyringStorage & { readonly items: Map<string, Uint8Array> } {
  const items = new Map<string, Uint8Array>([...initial].map(([k, v]) => [k, Uint8Array.from(v)]));
  let tail: Promise<unknown> = Promise.resolve();
  return {
    location: "memory",
    items,
    keys: async () => [...items.keys()],
    read: async (key) => {
      const v = items.get(key);
      return v === undefined ? undefined : Uint8Array.from(v);
    },
    write: async (key, data) => void items.set(key, Uint8Array.from(data)),
    remove: async (key) => void items.delete(key),
    withLock<T>(fn: () => Promise<T>): Promise<T> {
      const run = tail.then(fn, fn);
      tail = run.catch(() => undefined);
      return run;
    },
  };
}
