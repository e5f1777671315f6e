import { describe, expect, it } from "vitest";
import { createJsCpuKernels } from "../../../src/poc/backends/cpu/js-kernels.js";
import { causalAttention, expF64, rmsNorm, rope, siluGate } from "../../../src/poc/backends/cpu/kernels.js";
import { cpuKernelBytes, HEAP_BASE, PANEL, ROW_BLOCK, type CpuKernelExports } from "../../../src/poc/backends/cpu/wasm-kernels.js";

function wasmKernels(): CpuKernelExports {
  return new WebAssembly.Instance(new WebAssembly.Module(cpuKernelBytes()), {}).exports as unknown as CpuKernelExports;
}

/** Deterministic float32 values in [-scale, scale) with a few exact zeros. */
function values(n: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s % 97 === 0 ? 0 : ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return out;
}

/** Both kernel instances with the same arrays written at the same byte offsets. */
class Pair {
  readonly w = wasmKernels();
  readonly j = createJsCpuKernels();
  private at = HEAP_BASE;
  constructor(bytes: number) {
    for (const k of [this.w, this.j]) k.memory.grow(Math.ceil(bytes / 65536) + 1);
  }
  /** Allocates `n` floats (optionally initialised) in both memories; returns the pointer. */
  alloc(n: number, init?: Float32Array): number {
    const p = this.at;
    this.at += Math.ceil((4 * n + 64) / 64) * 64;
    if (init) for (const k of [this.w, this.j]) new Float32Array(k.memory.buffer, p, n).set(init);
    return p;
  }
  call(name: keyof Omit<CpuKernelExports, "memory">, ...args: number[]): void {
    for (const k of [this.w, this.j]) (k[name] as (...a: number[]) => void)(...args);
  }
  /** The float32 values at `p` in the WebAssembly memory, after checking both memories hold the same bits. */
  same(p: number, n: number): Float32Array {
    const a = new Uint32Array(this.w.memory.buffer, p, n);
    const b = new Uint32Array(this.j.memory.buffer, p, n);
    let diff = -1;
    for (let i = 0; i < n && diff < 0; i++) if (a[i] !== b[i]) diff = i;
    expect(diff, "first differing element").toBe(-1);
    return new Float32Array(this.w.memory.buffer, p, n).slice();
  }
}

/** y = x·wᵀ (+ add): one float32 accumulator per output, products rounded, summed in order of k. */
function sequentialF32(x: Float32Array, rows: number, k: number, w: Float32Array, n: number, add?: Float32Array): Float32Array {
  const y = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < n; o++) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc = Math.fround(acc + Math.fround(x[r * k + i] * w[o * k + i]));
      y[r * n + o] = add ? Math.fround(acc + add[r * n + o]) : acc;
    }
  }
  return y;
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length), y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.every((v, i) => v === y[i]);
}

describe("CPU matmul kernel (WebAssembly SIMD and its JavaScript twin)", () => {
  const shapes: [string, number, number, number][] = [
    ["full blocks", 2 * ROW_BLOCK, 16, 2 * PANEL],
    ["partial row block and panel, odd k", ROW_BLOCK + 3, 37, 3 * PANEL + 5],
    ["one row, one output", 1, 5, 1],
  ];
  for (const [name, rows, k, n] of shapes) {
    it(`${name} (${rows}×${k}·${n}ᵀ): equals a plain float32 sequential dot product bit for bit, with and without an addend`, () => {
      const x = values(rows * k, 1), w = values(n * k, 2, 0.5), add = values(rows * n, 3, 4);
      const pr = new Pair(4 * (3 * rows * k + 3 * n * k + 4 * rows * n) + 65536);
      const px = pr.alloc(rows * k, x), pw = pr.alloc(n * k, w), padd = pr.alloc(rows * n, add);
      const pxp = pr.alloc(Math.ceil(rows / ROW_BLOCK) * ROW_BLOCK * k), pwp = pr.alloc(Math.ceil(n / PANEL) * PANEL * k);
      const py = pr.alloc(rows * n), pz = pr.alloc(rows * n);
      pr.call("pack_rows", px, k, rows, k, pxp);
      pr.call("pack_weights", pw, k, n, pwp);
      pr.same(pxp, Math.ceil(rows / ROW_BLOCK) * ROW_BLOCK * k);
      pr.same(pwp, Math.ceil(n / PANEL) * PANEL * k);
      const panels = Math.ceil(n / PANEL);
      pr.call("matmul", pxp, rows, k, pwp, n, py, n, 0, 0, 0, panels);
      // the same product in two panel ranges, with the addend
      pr.call("matmul", pxp, rows, k, pwp, n, pz, n, padd, n, 0, Math.floor(panels / 2));
      pr.call("matmul", pxp, rows, k, pwp, n, pz, n, padd, n, Math.floor(panels / 2), panels);
      expect(sameBits(pr.same(py, rows * n), sequentialF32(x, rows, k, w, n))).toBe(true);
      expect(sameBits(pr.same(pz, rows * n), sequentialF32(x, rows, k, w, n, add))).toBe(true);
    });
  }

  it("writes only its rows × outputs (row stride ldy, addend stride ldadd)", () => {
    const rows = 5, k = 8, n = 11, ld = 16;
    const x = values(rows * k, 4), w = values(n * k, 5), add = values(rows * ld, 6);
    const pr = new Pair(1 << 16);
    const px = pr.alloc(rows * k, x), pw = pr.alloc(n * k, w), padd = pr.alloc(rows * ld, add);
    const pxp = pr.alloc(8 * k), pwp = pr.alloc(16 * k);
    const guard = new Float32Array(rows * ld).fill(7);
    const py = pr.alloc(rows * ld, guard);
    pr.call("pack_rows", px, k, rows, k, pxp);
    pr.call("pack_weights", pw, k, n, pwp);
    pr.call("matmul", pxp, rows, k, pwp, n, py, ld, padd, ld, 0, 2);
    const y = pr.same(py, rows * ld);
    const addN = new Float32Array(rows * n);
    for (let r = 0; r < rows; r++) addN.set(add.subarray(r * ld, r * ld + n), r * n);
    const want = sequentialF32(x, rows, k, w, n, addN);
    for (let r = 0; r < rows; r++) {
      expect(sameBits(y.subarray(r * ld, r * ld + n), want.subarray(r * n, (r + 1) * n))).toBe(true);
      expect(Array.from(y.subarray(r * ld + n, (r + 1) * ld))).toEqual(new Array(ld - n).fill(7));
    }
  });
});

describe("CPU per-row kernels equal the reference kernels bit for bit (with expF64 for exp)", () => {
  it("rmsnorm", () => {
    const rows = 3, dim = 40;
    const x = values(rows * dim, 7, 3), wt = values(dim, 8, 2);
    const pr = new Pair(1 << 16);
    const px = pr.alloc(rows * dim, x), pwt = pr.alloc(dim, wt), py = pr.alloc(rows * dim);
    pr.call("rmsnorm", px, rows, dim, pwt, 1e-5, py);
    const want = new Float32Array(rows * dim);
    rmsNorm(x, rows, dim, wt, 1e-5, want);
    expect(sameBits(pr.same(py, rows * dim), want)).toBe(true);
  });

  it("rope (positions from pos0, period)", () => {
    const rows = 6, heads = 3, hd = 8, period = 3, pos0 = 2, seq = 5;
    const x = values(rows * heads * hd, 9, 2), cos = values(seq * hd / 2, 10), sin = values(seq * hd / 2, 11);
    const pr = new Pair(1 << 16);
    const px = pr.alloc(x.length, x), pc = pr.alloc(cos.length, cos), ps = pr.alloc(sin.length, sin);
    pr.call("rope", px, rows, heads, hd, period, pos0, pc, ps);
    const want = x.slice();
    rope(want, rows, heads, hd, period, pos0, cos, sin);
    expect(sameBits(pr.same(px, x.length), want)).toBe(true);
  });

  for (const from of [0, 5]) {
    it(`causal attention, grouped kv heads, two sequences, queries from ${from}`, () => {
      const seq = 7, nh = 6, nkv = 2, hd = 6, count = 2;
      const qRows = seq - from, qw = nh * hd, kw = nkv * hd;
      const q = values(count * qRows * qw, 12, 2), k = values(count * seq * kw, 13, 2), v = values(count * seq * kw, 14, 2);
      const pr = new Pair(1 << 16);
      const pq = pr.alloc(q.length, q), pk = pr.alloc(k.length, k), pv = pr.alloc(v.length, v);
      const po = pr.alloc(q.length), scr = pr.alloc(2 * seq);
      pr.call("attention", pq, pk, pv, count, seq, from, nh, nkv, hd, po, scr);
      const want = new Float32Array(q.length);
      for (let b = 0; b < count; b++) {
        causalAttention(
          q.subarray(b * qRows * qw, (b + 1) * qRows * qw), k.subarray(b * seq * kw, (b + 1) * seq * kw),
          v.subarray(b * seq * kw, (b + 1) * seq * kw), seq, from, nh, nkv, hd, want.subarray(b * qRows * qw, (b + 1) * qRows * qw), expF64,
        );
      }
      expect(sameBits(pr.same(po, q.length), want)).toBe(true);
    });
  }

  it("SiLU gate, including ±Infinity, NaN, huge and odd lengths (the float64x2 path and its scalar fallback)", () => {
    const n = 4099;
    const a = values(n, 15, 30), b = values(n, 16, 3);
    a.set([Infinity, -Infinity, NaN, 800, -800, -707.5, 708.5, 0, -0, 88.7, -88.7], 0);
    a.set([-1000, 3], 100); // a vector pair with one lane out of range
    const pr = new Pair(1 << 16);
    const pa = pr.alloc(n, a), pb = pr.alloc(n, b);
    pr.call("silu_gate", pa, pb, n);
    const want = a.slice();
    siluGate(want, b, n, expF64);
    const got = pr.same(pa, n);
    expect(sameBits(got.subarray(3), want.subarray(3))).toBe(true);
    expect(sameBits(got.subarray(0, 2), want.subarray(0, 2))).toBe(true);
    expect(Number.isNaN(got[2]) && Number.isNaN(want[2])).toBe(true);
  });

  it("gather_last copies each sequence's last row", () => {
    const count = 3, seq = 4, width = 5;
    const x = values(count * seq * width, 17);
    const pr = new Pair(1 << 16);
    const px = pr.alloc(x.length, x), pd = pr.alloc(count * width);
    pr.call("gather_last", px, count, seq, width, pd);
    const got = pr.same(pd, count * width);
    for (let b = 0; b < count; b++) expect(Array.from(got.subarray(b * width, (b + 1) * width))).toEqual(Array.from(x.subarray(((b + 1) * seq - 1) * width, (b + 1) * seq * width)));
  });
});

describe("expF64 (the kernels' exp)", () => {
  it("is within 2.3e-16 relative of Math.exp over [-745, 709.78], and the module computes the same bits", () => {
    const k = wasmKernels();
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) {
      const x = -745 + (1454.78 * i) / 200_000;
      const e = expF64(x);
      expect(k.exp(x)).toBe(e);
      const m = Math.exp(x);
      if (m > 1e-300 && Number.isFinite(m)) worst = Math.max(worst, Math.abs(e / m - 1));
    }
    expect(worst).toBeLessThan(2.3e-16);
  });
  it("handles the special values like Math.exp", () => {
    const k = wasmKernels();
    for (const x of [NaN, Infinity, -Infinity, 710, -746, 0, -0, 709.78, -745.1]) {
      expect(k.exp(x)).toBe(expF64(x));
      expect(expF64(x)).toBe(Math.exp(x));
    }
  });
});
