/**
 * Where a shard's commands run: a worker thread (Node `worker_threads` or a browser Web Worker)
 * holding a WebAssembly kernel instance, or the calling thread (a local WebAssembly instance or
 * the JavaScript twin), which yields to the event loop between slices of work.
 */
import { WORKER_SOURCE } from "./worker-source.js";
import { PANEL, ROW_BLOCK, type CpuKernelExports } from "./wasm-kernels.js";

/** One step of a command list (see `worker-source.ts`). */
export type Command =
  | readonly ["grow", number]
  | readonly ["write", number, Float32Array]
  | readonly ["call", keyof Omit<CpuKernelExports, "memory">, ...number[]]
  | readonly ["read", number, number];

/** Runs command lists against one kernel instance. */
export interface Executor {
  /** `"worker"` or `"local"`. */
  readonly where: "worker" | "local";
  /** False once destroyed (or, for a worker, terminated or failed). */
  readonly alive: boolean;
  /**
   * Runs `cmds` in order; resolves with the arrays of the `read` commands. `write` arrays may be
   * transferred (do not reuse them). Rejects with `signal.reason` when `signal` aborts (a worker
   * is then terminated: destroy and recreate the executor).
   */
  run(cmds: Command[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** Stops the worker / drops the memory. Idempotent. */
  destroy(): void;
}

/** Resolves on a later turn of the event loop (timers and I/O get to run). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === "function") setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

function aborted(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}

/** Work of about this many float operations runs between two checks of the clock. */
const STEP_FLOPS = 1e6;

/**
 * Splits one kernel call into calls over parts of its rows (or elements) — the kernels are
 * row-independent, so the parts compute exactly what the whole call would.
 */
function* slices(name: string, a: readonly number[]): Generator<number[]> {
  const R = ROW_BLOCK, P = PANEL;
  const cut = (total: number, per: number): number[][] => {
    const out: number[][] = [];
    for (let s = 0; s < total; s += per) out.push([s, Math.min(per, total - s)]);
    return out;
  };
  switch (name) {
    case "matmul": {
      // (xp, rows, k, w, n, y, ldy, add, ldadd, p0, p1): per panel, a few row blocks at a time
      const [xp, rows, k, w, n, y, ldy, add, ldadd, p0, p1] = a;
      const blocks = Math.max(1, Math.floor(STEP_FLOPS / (2 * k * P * R)));
      for (let p = p0; p < p1; p++) {
        for (const [r0, m] of cut(rows, blocks * R)) {
          yield [xp + 4 * r0 * k, m, k, w, n, y + 4 * r0 * ldy, ldy, add ? add + 4 * r0 * ldadd : 0, ldadd, p, p + 1];
        }
      }
      return;
    }
    case "pack_weights": {
      // (src, k, n, dst): whole panels
      const [src, k, n, dst] = a;
      const per = Math.max(1, Math.floor(STEP_FLOPS / (k * P))) * P;
      for (const [o0, m] of cut(n, per)) yield [src + 4 * o0 * k, k, m, dst + 4 * o0 * k];
      return;
    }
    case "pack_rows": {
      // (x, ldx, rows, k, dst): whole row blocks
      const [x, ldx, rows, k, dst] = a;
      const per = Math.max(1, Math.floor(STEP_FLOPS / (k * R))) * R;
      for (const [r0, m] of cut(rows, per)) yield [x + 4 * r0 * ldx, ldx, m, k, dst + 4 * r0 * k];
      return;
    }
    case "rmsnorm": {
      // (x, rows, dim, weight, eps, y)
      const [x, rows, dim, weight, eps, y] = a;
      for (const [r0, m] of cut(rows, Math.max(1, Math.floor(STEP_FLOPS / (4 * dim))))) yield [x + 4 * r0 * dim, m, dim, weight, eps, y + 4 * r0 * dim];
      return;
    }
    case "silu_gate": {
      // (a, b, n)
      const [pa, pb, n] = a;
      for (const [i0, m] of cut(n, STEP_FLOPS / 64)) yield [pa + 4 * i0, pb + 4 * i0, m];
      return;
    }
    case "attention": {
      // (q, k, v, count, seq, from, nHeads, nKv, hd, out, scratch): one sequence at a time
      const [q, k, v, count, seq, from, nh, nkv, hd, out, scr] = a;
      const qs = 4 * (seq - from) * nh * hd, ks = 4 * seq * nkv * hd;
      for (let b = 0; b < count; b++) yield [q + b * qs, k + b * ks, v + b * ks, 1, seq, from, nh, nkv, hd, out + b * qs, scr];
      return;
    }
    default:
      yield [...a];
  }
}

/**
 * Commands on the calling thread. Kernel calls are cut into slices of about a million float
 * operations; whenever `sliceMs` have passed it yields to the event loop (so timers, I/O and
 * other tasks run) and checks the signal.
 */
export class LocalExecutor implements Executor {
  readonly where = "local";
  private k: CpuKernelExports | null;
  constructor(kernels: CpuKernelExports, private readonly sliceMs = 15) {
    this.k = kernels;
  }
  get alive(): boolean {
    return this.k !== null;
  }
  async run(cmds: Command[], signal?: AbortSignal): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    let last = performance.now();
    const pause = async (): Promise<void> => {
      if (signal?.aborted) throw aborted(signal);
      if (performance.now() - last >= this.sliceMs) {
        await yieldToEventLoop();
        if (signal?.aborted) throw aborted(signal);
        last = performance.now();
      }
    };
    for (const c of cmds) {
      await pause();
      const k = this.k;
      if (!k) throw new Error("CPU kernel executor destroyed");
      switch (c[0]) {
        case "grow": {
          const need = c[1] - k.memory.buffer.byteLength;
          if (need > 0) k.memory.grow(Math.ceil(need / 65536));
          break;
        }
        case "write":
          new Float32Array(k.memory.buffer, c[1], c[2].length).set(c[2]);
          break;
        case "read":
          out.push(new Float32Array(k.memory.buffer.slice(c[1], c[1] + 4 * c[2])));
          break;
        case "call": {
          const [, name, ...args] = c;
          const fn = k[name] as (...a: number[]) => void;
          for (const part of slices(name, args)) {
            if (!this.k) throw new Error("CPU kernel executor destroyed");
            fn(...part);
            await pause();
          }
          break;
        }
      }
    }
    return out;
  }
  destroy(): void {
    this.k = null;
  }
}

/** The parts of a Node `Worker` or a browser `Worker` this module uses. */
interface WorkerHandle {
  post(msg: unknown, transfer: ArrayBuffer[]): void;
  terminate(): void;
  /** Node only: whether the worker keeps the process alive. */
  hold(on: boolean): void;
}

interface Reply {
  id: number;
  out?: Float32Array[];
  error?: string;
}

type NodeWorkerCtor = new (src: string, o: { eval: boolean }) => {
  on(ev: "message", f: (m: Reply) => void): void;
  on(ev: "error", f: (e: Error) => void): void;
  on(ev: "exit", f: (code: number) => void): void;
  postMessage(m: unknown, t?: ArrayBuffer[]): void;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
};

let nodeWorker: Promise<NodeWorkerCtor | null> | undefined;

/** `worker_threads.Worker` in Node (and runtimes that emulate it), else null. */
function nodeWorkerCtor(): Promise<NodeWorkerCtor | null> {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!proc?.versions?.node) return Promise.resolve(null);
  // A computed specifier keeps browser bundlers from resolving a Node built-in.
  const spec = ["node", "worker_threads"].join(":");
  nodeWorker ??= (import(/* @vite-ignore */ /* webpackIgnore: true */ spec) as Promise<{ Worker: NodeWorkerCtor }>)
    .then((m) => m.Worker)
    .catch(() => null);
  return nodeWorker;
}

/** The number of logical CPUs (`os.availableParallelism` in Node, `navigator.hardwareConcurrency` elsewhere). */
export async function hardwareThreads(): Promise<number> {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (proc?.versions?.node) {
    try {
      const spec = ["node", "os"].join(":");
      const os = (await import(/* @vite-ignore */ /* webpackIgnore: true */ spec)) as { availableParallelism?: () => number; cpus(): unknown[] };
      return Math.max(1, os.availableParallelism ? os.availableParallelism() : os.cpus().length);
    } catch {
      // fall through to navigator
    }
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

/** Starts a worker running {@link WORKER_SOURCE}, or throws where workers cannot be created. */
async function spawn(onMessage: (r: Reply) => void, onFailure: (e: Error) => void): Promise<WorkerHandle> {
  const NodeWorker = await nodeWorkerCtor();
  if (NodeWorker) {
    const w = new NodeWorker(WORKER_SOURCE, { eval: true });
    w.on("message", onMessage);
    w.on("error", onFailure);
    w.on("exit", (code) => onFailure(new Error(`CPU worker exited (code ${code})`)));
    w.unref();
    return {
      post: (m, t) => w.postMessage(m, t),
      terminate: () => void w.terminate(),
      hold: (on) => (on ? w.ref() : w.unref()),
    };
  }
  const g = globalThis as { Worker?: new (url: string, o?: { name?: string }) => Worker; Blob?: typeof Blob; URL?: typeof URL };
  if (typeof g.Worker !== "function" || typeof g.Blob !== "function" || typeof g.URL?.createObjectURL !== "function") {
    throw new Error("this environment has no worker threads");
  }
  const url = g.URL.createObjectURL(new g.Blob([WORKER_SOURCE], { type: "text/javascript" }));
  let w: Worker;
  try {
    w = new g.Worker(url, { name: "gonka-poc-cpu" });
  } finally {
    // The worker has fetched its script by the time it runs; revoking late is harmless.
    setTimeout(() => g.URL!.revokeObjectURL(url), 10_000);
  }
  w.onmessage = (ev: MessageEvent<Reply>) => onMessage(ev.data);
  w.onerror = (ev: ErrorEvent) => {
    ev.preventDefault?.();
    onFailure(new Error(`CPU worker failed: ${ev.message || "could not start (a Content-Security-Policy blocking blob: workers?)"}`));
  };
  return { post: (m, t) => w.postMessage(m, t), terminate: () => w.terminate(), hold: () => undefined };
}

/** How long a new worker may take to answer its first message. */
const START_TIMEOUT_MS = 20_000;

/** Commands in a worker thread. */
export class WorkerExecutor implements Executor {
  readonly where = "worker";
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: Float32Array[]) => void; reject: (e: unknown) => void }>();
  private failure: Error | null = null;
  private constructor(private handle: WorkerHandle | null) {}

  get alive(): boolean {
    return this.handle !== null;
  }

  /** Starts a worker and instantiates `moduleBytes` (the CPU kernels) in it. */
  static async start(moduleBytes: Uint8Array<ArrayBuffer>): Promise<WorkerExecutor> {
    let ex: WorkerExecutor | null = null;
    const early: Reply[] = [];
    const handle = await spawn(
      (r) => (ex ? ex.settle(r) : early.push(r)),
      (e) => ex?.fail(e),
    );
    ex = new WorkerExecutor(handle);
    for (const r of early) ex.settle(r);
    // A worker blocked without an error event would never answer: give up after a while.
    const started = ex;
    const timer = setTimeout(() => started.fail(new Error(`CPU worker did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    try {
      await ex.request({ init: moduleBytes.slice() }, []);
    } finally {
      clearTimeout(timer);
    }
    return ex;
  }

  private settle(r: Reply): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    if (this.pending.size === 0) this.handle?.hold(false);
    if (r.error) p.reject(new Error(`CPU worker: ${r.error}`));
    else p.resolve(r.out ?? []);
  }

  private fail(e: Error): void {
    if (!this.handle) return;
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.destroy();
  }

  private request(body: Record<string, unknown>, transfer: ArrayBuffer[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (!this.handle) return Promise.reject(this.failure ?? new Error("CPU worker destroyed"));
    if (signal?.aborted) return Promise.reject(aborted(signal));
    const id = this.nextId++;
    return new Promise<Float32Array[]>((resolve, reject) => {
      const onAbort = (): void => {
        // A running WebAssembly call cannot be interrupted: stop the thread.
        this.pending.delete(id);
        reject(aborted(signal!));
        this.destroy();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.pending.set(id, {
        resolve: (v) => { signal?.removeEventListener("abort", onAbort); resolve(v); },
        reject: (e) => { signal?.removeEventListener("abort", onAbort); reject(e); },
      });
      this.handle!.hold(true);
      this.handle!.post({ id, ...body }, transfer);
    });
  }

  run(cmds: Command[], signal?: AbortSignal): Promise<Float32Array[]> {
    const transfer: ArrayBuffer[] = [];
    for (const c of cmds) if (c[0] === "write" && c[2].byteLength === c[2].buffer.byteLength) transfer.push(c[2].buffer as ArrayBuffer);
    return this.request({ cmds }, transfer, signal);
  }

  destroy(): void {
    const h = this.handle;
    if (!h) return;
    this.handle = null;
    const err = this.failure ?? new Error("CPU worker destroyed");
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    h.terminate();
  }
}
