/**
 * The host's artifact stores (spec §9.1): one append-only {@link ArtifactMmr} per (PoC stage,
 * model), persisted in the network node's own file layout through a small storage interface
 * (in memory: {@link createMemoryPocV2Storage}; Node.js files: `createNodePocV2Storage`):
 *
 * ```
 * <base>/<stage height>/<url.PathEscape(model id)>/artifacts.data   LE32(4+len) ‖ LE32(nonce) ‖ vector, per leaf
 * <base>/<stage height>/<url.PathEscape(model id)>/nodes.json       {"<node id>": count, …}
 * ```
 *
 * Records are buffered and written by {@link PocV2ArtifactStore.flush}; the *flushed* count and
 * root are what a host commits and serves, as the network node does.
 * @module
 */
import { InvalidArgumentError } from "../../errors.js";
import { checkFp16Vector } from "./artifact.js";
import { decodeBase64 } from "./bytes.js";
import { goPathEscape, goPathUnescape } from "./callback.js";
import { ArtifactMmr } from "./mmr.js";
import { DEFAULT_K_DIM } from "./pick.js";

/** File name of the leaf records. */
export const ARTIFACTS_DATA_FILE = "artifacts.data";
/** File name of the per-MLNode counts. */
export const NODES_JSON_FILE = "nodes.json";
/** How many stage heights the network node keeps on disk. */
export const DEFAULT_KEPT_STAGES = 10;

/**
 * Where stores persist: a tree of directories addressed by path segments (no separators inside a
 * segment). Implementations: {@link createMemoryPocV2Storage} and (Node.js) `createNodePocV2Storage`.
 */
export interface PocV2Storage {
  /** A file's bytes, or `undefined` when it does not exist. */
  read(path: readonly string[]): Promise<Uint8Array | undefined>;
  /** Appends to a file, creating it (and its directories) when missing. */
  append(path: readonly string[], bytes: Uint8Array): Promise<void>;
  /** Replaces a file's content (atomically where the medium allows). */
  write(path: readonly string[], bytes: Uint8Array): Promise<void>;
  /** Names directly inside a directory (`[]` when it does not exist). */
  list(dir: readonly string[]): Promise<string[]>;
  /** Removes a directory and everything in it (no error when missing). */
  remove(dir: readonly string[]): Promise<void>;
}

/**
 * Storage in memory (a browser, tests, or a host that does not need to survive a restart).
 *
 * @example
 * ```ts
 * const store = new PocV2ArtifactStore({ storage: createMemoryPocV2Storage() });
 * ```
 */
export function createMemoryPocV2Storage(): PocV2Storage & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  const key = (p: readonly string[]) => p.join("/");
  return {
    files,
    read: async (p) => files.get(key(p))?.slice(),
    append: async (p, bytes) => {
      const old = files.get(key(p)) ?? new Uint8Array();
      const next = new Uint8Array(old.length + bytes.length);
      next.set(old);
      next.set(bytes, old.length);
      files.set(key(p), next);
    },
    write: async (p, bytes) => void files.set(key(p), bytes.slice()),
    list: async (dir) => {
      const prefix = dir.length ? `${key(dir)}/` : "";
      const names = new Set<string>();
      for (const k of files.keys()) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split("/")[0]!);
      return [...names];
    },
    remove: async (dir) => {
      const prefix = `${key(dir)}/`;
      for (const k of [...files.keys()]) if (k.startsWith(prefix)) files.delete(k);
    },
  };
}

/** The outcome of {@link PocV2ArtifactStore.add}. */
export interface PocV2AddResult {
  /** Artifacts appended (new leaves). */
  added: number;
  /** Artifacts whose nonce was already stored (skipped, as the network node does). */
  duplicates: number;
  /** Artifacts refused: not base64, not `2·kDim` bytes, or a NaN/Inf value (vLLM never sends those; a validator would reject the host for one). */
  invalid: number;
  /** The store's count after adding (flushed or not). */
  count: number;
}

/** The flushed state of one store: what a host commits and serves (`GET /v1/poc/artifacts/state`). */
export interface PocV2StoreState {
  /** Flushed leaves. */
  count: number;
  /** The MMR root at `count` (`undefined` while `count` is 0). */
  root: Uint8Array | undefined;
}

interface Entry {
  mmr: ArtifactMmr;
  /** Leaves written to storage. */
  flushed: number;
  /** Serialises adds and flushes of this store. */
  lock: Promise<unknown>;
}

/** Options of {@link PocV2ArtifactStore}. */
export interface PocV2ArtifactStoreOptions {
  /** Where to persist (default: in memory). */
  storage?: PocV2Storage;
  /** `k_dim` of the vectors (default 12). */
  kDim?: number;
  /** How many stage heights to keep in storage; older ones are removed when a new stage opens (default 10, as the network node). */
  keepStages?: number;
}

/**
 * The host's artifact stores, one per (stage, model), with the network node's files.
 *
 * @example
 * ```ts
 * const store = new PocV2ArtifactStore({ storage: await createNodePocV2Storage("/var/lib/gonka/poc") });
 * await store.add(stage, modelId, "1", batch.artifacts);   // from the MLNode's /generated callback
 * await store.flush();
 * const { count, root } = store.state(stage, modelId);   // commit (count, root)
 * ```
 */
export class PocV2ArtifactStore {
  readonly kDim: number;
  readonly storage: PocV2Storage;
  private readonly keepStages: number;
  private readonly entries = new Map<string, Promise<Entry>>();
  private readonly opened = new Map<string, Entry>();
  private readonly stagesSeen = new Set<string>();

  constructor(options: PocV2ArtifactStoreOptions = {}) {
    this.kDim = options.kDim ?? DEFAULT_K_DIM;
    this.storage = options.storage ?? createMemoryPocV2Storage();
    this.keepStages = options.keepStages ?? DEFAULT_KEPT_STAGES;
    if (!Number.isInteger(this.keepStages) || this.keepStages < 1) throw new InvalidArgumentError("keepStages", "must be a positive integer");
  }

  private static key(stage: bigint, modelId: string): string {
    return `${stage}|${modelId}`;
  }

  private static dir(stage: bigint, modelId: string): string[] {
    return [stage.toString(), goPathEscape(modelId)];
  }

  /** Opens (loading from storage once) the store of (stage, model). */
  private entry(stageIn: bigint | number, modelId: string): Promise<Entry> {
    const stage = stageOf(stageIn);
    if (typeof modelId !== "string" || modelId === "") throw new InvalidArgumentError("modelId", "must be a non-empty model id");
    const k = PocV2ArtifactStore.key(stage, modelId);
    let p = this.entries.get(k);
    if (!p) {
      p = this.load(stage, modelId).then((e) => {
        this.opened.set(k, e);
        return e;
      });
      this.entries.set(k, p);
      p.catch(() => this.entries.delete(k));
    }
    return p;
  }

  private async load(stage: bigint, modelId: string): Promise<Entry> {
    await this.prune(stage);
    const dir = PocV2ArtifactStore.dir(stage, modelId);
    let data = (await this.storage.read([...dir, ARTIFACTS_DATA_FILE])) ?? new Uint8Array();
    const record = 8 + 2 * this.kDim;
    if (data.length % record !== 0) {
      // a crash in the middle of an append: keep the whole records
      data = data.slice(0, data.length - (data.length % record));
      await this.storage.write([...dir, ARTIFACTS_DATA_FILE], data);
    }
    const nodesText = await this.storage.read([...dir, NODES_JSON_FILE]);
    let nodeCounts: Record<string, number> | undefined;
    if (nodesText) {
      try {
        nodeCounts = JSON.parse(new TextDecoder().decode(nodesText)) as Record<string, number>;
      } catch {
        nodeCounts = undefined;
      }
    }
    const mmr = ArtifactMmr.fromDataFile(data, { kDim: this.kDim, ...(nodeCounts ? { nodeCounts } : {}) });
    return { mmr, flushed: mmr.count, lock: Promise.resolve() };
  }

  /** Removes stage directories beyond the newest `keepStages` when a new stage appears. */
  private async prune(stage: bigint): Promise<void> {
    const s = stage.toString();
    if (this.stagesSeen.has(s)) return;
    this.stagesSeen.add(s);
    const stages = (await this.storage.list([])).filter((n) => /^\d+$/.test(n)).map(BigInt);
    if (!stages.includes(stage)) stages.push(stage);
    stages.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    for (const old of stages.slice(this.keepStages)) {
      if (old === stage) continue;
      await this.storage.remove([old.toString()]);
      for (const k of [...this.entries.keys()]) if (k.startsWith(`${old}|`)) {
        this.entries.delete(k);
        this.opened.delete(k);
      }
    }
  }

  private async locked<T>(e: Entry, f: () => Promise<T> | T): Promise<T> {
    const run = e.lock.then(f, f);
    e.lock = run.catch(() => undefined);
    return run;
  }

  /**
   * Adds a batch of artifacts from MLNode `nodeId` (the `node_id` of the callback, as a string).
   * Nonces are truncated to int32 as the network node does; repeated nonces are skipped.
   */
  async add(stage: bigint | number, modelId: string, nodeId: string, artifacts: readonly { nonce: number; vector_b64?: string; vectorB64?: string }[]): Promise<PocV2AddResult> {
    if (!Array.isArray(artifacts)) throw new InvalidArgumentError("artifacts", "expected an array of { nonce, vector_b64 }");
    if (typeof nodeId !== "string" || nodeId === "") throw new InvalidArgumentError("nodeId", "must be a non-empty MLNode id");
    const e = await this.entry(stage, modelId);
    return this.locked(e, () => {
      let added = 0;
      let duplicates = 0;
      let invalid = 0;
      for (const a of artifacts) {
        const text = a.vector_b64 ?? a.vectorB64;
        if (!Number.isInteger(a.nonce) || typeof text !== "string") {
          invalid++;
          continue;
        }
        const nonce = a.nonce | 0;
        let bytes: Uint8Array;
        try {
          bytes = decodeBase64(text, "vector_b64");
          checkFp16Vector(bytes, this.kDim);
        } catch {
          invalid++;
          continue;
        }
        if (e.mmr.has(nonce)) {
          duplicates++;
          continue;
        }
        e.mmr.append(nonce, bytes, nodeId);
        added++;
      }
      return { added, duplicates, invalid, count: e.mmr.count };
    });
  }

  /** Writes every store's new records and its `nodes.json`; afterwards {@link state} reports them. */
  async flush(): Promise<void> {
    for (const [k, e] of this.opened) {
      await this.locked(e, async () => {
        const count = e.mmr.count;
        if (count === e.flushed) return;
        const [stage, ...rest] = k.split("|");
        const dir = PocV2ArtifactStore.dir(BigInt(stage!), rest.join("|"));
        const record = 8 + 2 * this.kDim;
        const data = e.mmr.dataFile();
        await this.storage.append([...dir, ARTIFACTS_DATA_FILE], data.subarray(e.flushed * record, count * record));
        await this.storage.write([...dir, NODES_JSON_FILE], new TextEncoder().encode(e.mmr.nodesJson()));
        e.flushed = count;
      });
    }
  }

  /** The flushed `(count, root)` of (stage, model); `{ count: 0 }` for a store never written. */
  async state(stage: bigint | number, modelId: string): Promise<PocV2StoreState> {
    const e = await this.entry(stage, modelId);
    return { count: e.flushed, root: e.flushed > 0 ? e.mmr.root(e.flushed) : undefined };
  }

  /** The in-memory MMR of (stage, model) (loaded from storage if needed), for proofs and node counts. */
  async mmr(stage: bigint | number, modelId: string): Promise<ArtifactMmr> {
    return (await this.entry(stage, modelId)).mmr;
  }

  /** Model ids with a store for `stage` (opened in memory or present in storage). */
  async models(stage: bigint | number): Promise<string[]> {
    const s = stageOf(stage).toString();
    const out = new Set<string>();
    for (const k of this.opened.keys()) if (k.startsWith(`${s}|`)) out.add(k.slice(s.length + 1));
    for (const name of await this.storage.list([s])) {
      try {
        out.add(goPathUnescape(name));
      } catch {
        /* not a store directory */
      }
    }
    return [...out].sort();
  }
}

function stageOf(v: bigint | number): bigint {
  const s = typeof v === "bigint" ? v : Number.isSafeInteger(v) ? BigInt(v) : -1n;
  if (s <= 0n) throw new InvalidArgumentError("stage", `must be a positive PoC stage start height, got ${String(v)}`);
  return s;
}
