/**
 * The CPU backend's WebAssembly kernels, written from TypeScript with the same small assembler as
 * the RNG kernel (no toolchain): a packed, register-blocked float32 matmul on 128-bit SIMD
 * (`f32x4`), and the scalar per-row operations of the forward pass (RMSNorm, RoPE, causal
 * attention, the SiLU gate, a gather of each sequence's last row).
 *
 * Numerics, which {@link createJsCpuKernels} reproduces bit for bit in plain JavaScript:
 * - matmul: every output `y[r, o] = Σ_i x[r, i]·w[o, i]` is one float32 accumulator summed in
 *   order `i = 0, 1, …` with separately rounded products (no fused multiply-add), optionally plus
 *   `add[r, o]` (one more float32 addition). Blocking and lane layout never change that order, so
 *   the result does not depend on how outputs are split between workers.
 * - the other kernels perform exactly the operations of the reference kernels in `kernels.ts`
 *   (float64 accumulation where it accumulates in float64), with `kernels.ts`'s `expF64` (the
 *   same IEEE operations, in the module) in place of `Math.exp`, whose last bit varies between
 *   JavaScript engines.
 *
 * Memory layouts (byte pointers into the module's memory, float32 unless noted):
 * - packed weights of a `[n, k]` matrix: panels of {@link PANEL} outputs, `[ceil(n/PANEL)][k][PANEL]`
 *   (zero-padded), written by `pack_weights`;
 * - packed rows of a `[rows, k]` activation: blocks of {@link ROW_BLOCK} rows,
 *   `[ceil(rows/ROW_BLOCK)][k][ROW_BLOCK]` (zero-padded), written by `pack_rows`;
 * - bytes `[SCRATCH, SCRATCH + SCRATCH_BYTES)` are the matmul's spill area for partial blocks.
 */
import { assemble, FuncBuilder, OP, SIMD, T } from "../../rng/wasm-asm.js";
import { EXP_COEFFS, EXP_CONSTANTS, EXP_MAX, EXP_MIN } from "./kernels.js";

/** float32x4 vectors per panel row in the matmul micro-kernel. */
const VECS = 2;
/** Outputs per packed weight panel. */
export const PANEL = 4 * VECS;
/** Rows per packed activation block (the micro-kernel's height). */
export const ROW_BLOCK = 4;
/** Start of the matmul's spill area (bytes 0–1023 are never handed out). */
export const SCRATCH = 1024;
/** Size of the spill area. */
export const SCRATCH_BYTES = 4096;
/** First byte free for the caller's buffers. */
export const HEAP_BASE = SCRATCH + SCRATCH_BYTES;

/** Micro-kernel shape (for tuning benches): rows per block, float32x4 vectors per panel, k unroll. */
export interface MatmulTiling {
  rows: number;
  vecs: number;
  unroll: number;
}

/** The tiling the shipped module uses. */
export const DEFAULT_TILING: MatmulTiling = { rows: ROW_BLOCK, vecs: VECS, unroll: 1 };

/** The exported functions of the CPU kernel module (and of its JavaScript twin). */
export interface CpuKernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  /** Packs a row-major `[n, k]` matrix at `src` into panels at `dst`. */
  pack_weights(src: number, k: number, n: number, dst: number): void;
  /** Packs `rows` rows of length `k` (row stride `ldx` floats) at `x` into row blocks at `dst`. */
  pack_rows(x: number, ldx: number, rows: number, k: number, dst: number): void;
  /**
   * `y[r, o] = Σ_i x[r, i]·w[o, i] (+ add[r, o])` for panels `p0 ≤ p < p1` of the packed weights
   * `w` (`n` outputs), packed rows `xp`; `y` and `add` have row strides `ldy` and `ldadd`
   * (`add = 0`: no addend).
   */
  matmul(xp: number, rows: number, k: number, w: number, n: number, y: number, ldy: number, add: number, ldadd: number, p0: number, p1: number): void;
  /** RMSNorm of `rows` rows of `dim` (as `kernels.ts` `rmsNorm`). */
  rmsnorm(x: number, rows: number, dim: number, weight: number, eps: number, y: number): void;
  /** RoPE in place (as `kernels.ts` `rope`). */
  rope(x: number, rows: number, heads: number, headDim: number, period: number, pos0: number, cos: number, sin: number): void;
  /**
   * Causal attention of `count` sequences (as `kernels.ts` `causalAttention` per sequence); `scratch`
   * holds `seq` float64 scores.
   */
  attention(q: number, k: number, v: number, count: number, seq: number, from: number, nHeads: number, nKv: number, headDim: number, out: number, scratch: number): void;
  /** `a[i] = silu(a[i])·b[i]` (as `kernels.ts` `siluGate`). */
  silu_gate(a: number, b: number, n: number): void;
  /** `kernels.ts` `expF64` (exported for tests). */
  exp(x: number): number;
  /** Copies row `(b+1)·seq − 1` of `x` to row `b` of `dst` for `b < count`. */
  gather_last(x: number, count: number, seq: number, width: number, dst: number): void;
}

/** `for (i = start; i < end; i += step) body()` over i32 locals; `start`/`end` push an i32. */
function forLoop(f: FuncBuilder, i: number, start: () => void, end: () => void, step: number, body: () => void): void {
  const c = f.code;
  start();
  c.set(i);
  c.op(OP.block, T.void, OP.loop, T.void);
  c.get(i);
  end();
  c.op(OP.i32_ge_s).brIf(1);
  body();
  c.get(i).i32(step).op(OP.i32_add).set(i);
  c.br(0).op(OP.end, OP.end);
}

function packWeights(P: number): FuncBuilder {
  const f = new FuncBuilder("pack_weights", [["src", T.i32], ["k", T.i32], ["n", T.i32], ["dst", T.i32]]);
  const c = f.code;
  const [src, k, n, dst] = [0, 1, 2, 3];
  const [p, i, j, np, o, d] = ["p", "i", "j", "np", "o", "d"].map((x) => f.l(x));
  c.get(n).i32(P - 1).op(OP.i32_add).i32(P).op(OP.i32_div_u).set(np);
  c.get(dst).set(d);
  forLoop(f, p, () => c.i32(0), () => c.get(np), 1, () => {
    forLoop(f, i, () => c.i32(0), () => c.get(k), 1, () => {
      forLoop(f, j, () => c.i32(0), () => c.i32(P), 1, () => {
        c.get(p).i32(P).op(OP.i32_mul).get(j).op(OP.i32_add).set(o);
        c.get(d);
        c.get(o).get(n).op(OP.i32_lt_s, OP.if, T.f32);
        c.get(src).get(o).get(k).op(OP.i32_mul).get(i).op(OP.i32_add).i32(2).op(OP.i32_shl, OP.i32_add).mem(OP.f32_load, 2);
        c.op(OP.else).f32(0).op(OP.end);
        c.mem(OP.f32_store, 2);
        c.get(d).i32(4).op(OP.i32_add).set(d);
      });
    });
  });
  return f;
}

function packRows(R: number): FuncBuilder {
  const f = new FuncBuilder("pack_rows", [["x", T.i32], ["ldx", T.i32], ["rows", T.i32], ["k", T.i32], ["dst", T.i32]]);
  const c = f.code;
  const [x, ldx, rows, k, dst] = [0, 1, 2, 3, 4];
  const [b, i, r, nb, row, d] = ["b", "i", "r", "nb", "row", "d"].map((n) => f.l(n));
  c.get(rows).i32(R - 1).op(OP.i32_add).i32(R).op(OP.i32_div_u).set(nb);
  c.get(dst).set(d);
  forLoop(f, b, () => c.i32(0), () => c.get(nb), 1, () => {
    forLoop(f, i, () => c.i32(0), () => c.get(k), 1, () => {
      forLoop(f, r, () => c.i32(0), () => c.i32(R), 1, () => {
        c.get(b).i32(R).op(OP.i32_mul).get(r).op(OP.i32_add).set(row);
        c.get(d);
        c.get(row).get(rows).op(OP.i32_lt_s, OP.if, T.f32);
        c.get(x).get(row).get(ldx).op(OP.i32_mul).get(i).op(OP.i32_add).i32(2).op(OP.i32_shl, OP.i32_add).mem(OP.f32_load, 2);
        c.op(OP.else).f32(0).op(OP.end);
        c.mem(OP.f32_store, 2);
        c.get(d).i32(4).op(OP.i32_add).set(d);
      });
    });
  });
  return f;
}

/** The matmul over packed operands with an R × (4·V) register block, k unrolled `U` times. */
function matmul(t: MatmulTiling): FuncBuilder {
  const { rows: R, vecs: V, unroll: U } = t;
  const P = 4 * V;
  const f = new FuncBuilder("matmul", [
    ["xp", T.i32], ["rows", T.i32], ["k", T.i32], ["w", T.i32], ["n", T.i32], ["y", T.i32], ["ldy", T.i32],
    ["add", T.i32], ["ldadd", T.i32], ["p0", T.i32], ["p1", T.i32],
  ]);
  const c = f.code;
  const [xp, rows, k, w, n, y, ldy, add, ldadd, p0, p1] = Array.from({ length: 11 }, (_, i) => i);
  const [p, rb, nb, wpan, col, wq, xq, xend, xunr, r0, rr, jj, lim, rlim] =
    ["p", "rb", "nb", "wpan", "col", "wq", "xq", "xend", "xunr", "r0", "rr", "jj", "lim", "rlim"].map((x) => f.l(x));
  const acc: number[][] = [];
  for (let r = 0; r < R; r++) acc.push(Array.from({ length: V }, (_, v) => f.l(`acc${r}_${v}`, T.v128)));
  const wv = Array.from({ length: V }, (_, v) => f.l(`w${v}`, T.v128));
  const s = f.l("s", T.v128);
  const tf = f.l("tf", T.f32);

  c.get(rows).i32(R - 1).op(OP.i32_add).i32(R).op(OP.i32_div_u).set(nb);
  forLoop(f, p, () => c.get(p0), () => c.get(p1), 1, () => {
    // wpan = w + p·k·P·4, col = p·P
    c.get(w).get(p).get(k).op(OP.i32_mul).i32(P * 4).op(OP.i32_mul, OP.i32_add).set(wpan);
    c.get(p).i32(P).op(OP.i32_mul).set(col);
    forLoop(f, rb, () => c.i32(0), () => c.get(nb), 1, () => {
      for (const row of acc) for (const a of row) c.v128f32(0).set(a);
      c.get(wpan).set(wq);
      c.get(xp).get(rb).get(k).op(OP.i32_mul).i32(R * 4).op(OP.i32_mul, OP.i32_add).tee(xq);
      c.get(k).i32(R * 4).op(OP.i32_mul, OP.i32_add).tee(xend);
      c.i32((U - 1) * R * 4).op(OP.i32_sub).set(xunr);
      const step = (u: number): void => {
        for (let v = 0; v < V; v++) c.get(wq).simdMem(SIMD.v128_load, 4, (u * P + 4 * v) * 4).set(wv[v]);
        for (let r = 0; r < R; r++) {
          c.get(xq).simdMem(SIMD.v128_load32_splat, 2, (u * R + r) * 4).set(s);
          for (let v = 0; v < V; v++) {
            c.get(acc[r][v]).get(s).get(wv[v]).simd(SIMD.f32x4_mul, SIMD.f32x4_add).set(acc[r][v]);
          }
        }
      };
      // unrolled main loop: while (xq < xend - (U-1)·R·4)
      c.op(OP.block, T.void, OP.loop, T.void);
      c.get(xq).get(xunr).op(OP.i32_ge_u).brIf(1);
      for (let u = 0; u < U; u++) step(u);
      c.get(wq).i32(U * P * 4).op(OP.i32_add).set(wq);
      c.get(xq).i32(U * R * 4).op(OP.i32_add).set(xq);
      c.br(0).op(OP.end, OP.end);
      if (U > 1) {
        c.op(OP.block, T.void, OP.loop, T.void);
        c.get(xq).get(xend).op(OP.i32_ge_u).brIf(1);
        step(0);
        c.get(wq).i32(P * 4).op(OP.i32_add).set(wq);
        c.get(xq).i32(R * 4).op(OP.i32_add).set(xq);
        c.br(0).op(OP.end, OP.end);
      }
      // epilogue
      c.get(rb).i32(R).op(OP.i32_mul).set(r0);
      c.get(r0).i32(R).op(OP.i32_add).get(rows).op(OP.i32_le_s);
      c.get(col).i32(P).op(OP.i32_add).get(n).op(OP.i32_le_s);
      c.op(OP.i32_and, OP.if, T.void);
      {
        // full block: vector stores (plus the addend)
        const addr = (base: number, ld: number, r: number, v: number): void => {
          c.get(base).get(r0).i32(r).op(OP.i32_add).get(ld).op(OP.i32_mul).get(col).op(OP.i32_add).i32(2).op(OP.i32_shl, OP.i32_add);
          if (v) c.i32(16 * v).op(OP.i32_add);
        };
        c.get(add).op(OP.if, T.void);
        for (let r = 0; r < R; r++) {
          for (let v = 0; v < V; v++) {
            addr(y, ldy, r, v);
            c.get(acc[r][v]);
            addr(add, ldadd, r, v);
            c.simdMem(SIMD.v128_load, 2).simd(SIMD.f32x4_add).simdMem(SIMD.v128_store, 2);
          }
        }
        c.op(OP.else);
        for (let r = 0; r < R; r++) {
          for (let v = 0; v < V; v++) {
            addr(y, ldy, r, v);
            c.get(acc[r][v]).simdMem(SIMD.v128_store, 2);
          }
        }
        c.op(OP.end);
      }
      c.op(OP.else);
      {
        // partial block: spill, then store the valid rows and columns one by one
        for (let r = 0; r < R; r++) {
          for (let v = 0; v < V; v++) c.i32(SCRATCH + (r * P + 4 * v) * 4).get(acc[r][v]).simdMem(SIMD.v128_store, 2);
        }
        c.get(rows).get(r0).op(OP.i32_sub).set(rlim);
        c.get(rlim).i32(R).get(rlim).i32(R).op(OP.i32_lt_s, OP.select).set(rlim);
        c.get(n).get(col).op(OP.i32_sub).set(lim);
        c.get(lim).i32(P).get(lim).i32(P).op(OP.i32_lt_s, OP.select).set(lim);
        forLoop(f, rr, () => c.i32(0), () => c.get(rlim), 1, () => {
          forLoop(f, jj, () => c.i32(0), () => c.get(lim), 1, () => {
            c.get(rr).i32(P).op(OP.i32_mul).get(jj).op(OP.i32_add).i32(2).op(OP.i32_shl).mem(OP.f32_load, 2, SCRATCH).set(tf);
            c.get(add).op(OP.if, T.void);
            c.get(tf);
            c.get(add).get(r0).get(rr).op(OP.i32_add).get(ldadd).op(OP.i32_mul).get(col).op(OP.i32_add).get(jj).op(OP.i32_add);
            c.i32(2).op(OP.i32_shl, OP.i32_add).mem(OP.f32_load, 2).op(OP.f32_add).set(tf);
            c.op(OP.end);
            c.get(y).get(r0).get(rr).op(OP.i32_add).get(ldy).op(OP.i32_mul).get(col).op(OP.i32_add).get(jj).op(OP.i32_add);
            c.i32(2).op(OP.i32_shl, OP.i32_add).get(tf).mem(OP.f32_store, 2);
          });
        });
      }
      c.op(OP.end);
    });
  });
  return f;
}

/** Pushes the address `base + 4·index` where `index` is pushed by `index()`. */
function at(f: FuncBuilder, base: number, index: () => void): void {
  f.code.get(base);
  index();
  f.code.i32(2).op(OP.i32_shl, OP.i32_add);
}

function rmsnorm(): FuncBuilder {
  const f = new FuncBuilder("rmsnorm", [["x", T.i32], ["rows", T.i32], ["dim", T.i32], ["wt", T.i32], ["eps", T.f64], ["y", T.i32]]);
  const c = f.code;
  const [x, rows, dim, wt, eps, y] = [0, 1, 2, 3, 4, 5];
  const [r, i, o] = ["r", "i", "o"].map((n) => f.l(n));
  const [ss, xv] = [f.l("ss", T.f64), f.l("xv", T.f64)];
  const inv = f.l("inv", T.f32);
  forLoop(f, r, () => c.i32(0), () => c.get(rows), 1, () => {
    c.get(r).get(dim).op(OP.i32_mul).set(o);
    c.f64(0).set(ss);
    forLoop(f, i, () => c.i32(0), () => c.get(dim), 1, () => {
      at(f, x, () => c.get(o).get(i).op(OP.i32_add));
      c.mem(OP.f32_load, 2).op(OP.f64_promote_f32).tee(xv).get(xv).op(OP.f64_mul).get(ss).op(OP.f64_add).set(ss);
    });
    // inv = f32(1 / sqrt(f32(f32(ss / dim) + eps)))
    c.f64(1);
    c.get(ss).get(dim).op(OP.f64_convert_i32_u, OP.f64_div, OP.f32_demote_f64, OP.f64_promote_f32);
    c.get(eps).op(OP.f64_add, OP.f32_demote_f64, OP.f64_promote_f32, OP.f64_sqrt, OP.f64_div, OP.f32_demote_f64).set(inv);
    forLoop(f, i, () => c.i32(0), () => c.get(dim), 1, () => {
      at(f, y, () => c.get(o).get(i).op(OP.i32_add));
      at(f, x, () => c.get(o).get(i).op(OP.i32_add));
      c.mem(OP.f32_load, 2).get(inv).op(OP.f32_mul);
      at(f, wt, () => c.get(i));
      c.mem(OP.f32_load, 2).op(OP.f32_mul).mem(OP.f32_store, 2);
    });
  });
  return f;
}

function rope(): FuncBuilder {
  const f = new FuncBuilder("rope", [
    ["x", T.i32], ["rows", T.i32], ["heads", T.i32], ["hd", T.i32], ["period", T.i32], ["pos0", T.i32], ["cos", T.i32], ["sin", T.i32],
  ]);
  const c = f.code;
  const [x, rows, heads, hd, period, pos0, cos, sin] = Array.from({ length: 8 }, (_, i) => i);
  const [r, h, i, half, t, base, pa, pb] = ["r", "h", "i", "half", "t", "base", "pa", "pb"].map((n) => f.l(n));
  const [re, im, cv, sv] = ["re", "im", "cv", "sv"].map((n) => f.l(n, T.f32));
  c.get(hd).i32(1).op(OP.i32_shr_u).set(half);
  forLoop(f, r, () => c.i32(0), () => c.get(rows), 1, () => {
    c.get(pos0).get(r).get(period).op(OP.i32_rem_u, OP.i32_add).get(half).op(OP.i32_mul).set(t);
    forLoop(f, h, () => c.i32(0), () => c.get(heads), 1, () => {
      c.get(r).get(heads).op(OP.i32_mul).get(h).op(OP.i32_add).get(hd).op(OP.i32_mul).set(base);
      forLoop(f, i, () => c.i32(0), () => c.get(half), 1, () => {
        at(f, x, () => c.get(base).get(i).i32(1).op(OP.i32_shl, OP.i32_add));
        c.tee(pa).mem(OP.f32_load, 2).set(re);
        c.get(pa).i32(4).op(OP.i32_add).tee(pb).mem(OP.f32_load, 2).set(im);
        at(f, cos, () => c.get(t).get(i).op(OP.i32_add));
        c.mem(OP.f32_load, 2).set(cv);
        at(f, sin, () => c.get(t).get(i).op(OP.i32_add));
        c.mem(OP.f32_load, 2).set(sv);
        c.get(pa).get(re).get(cv).op(OP.f32_mul).get(im).get(sv).op(OP.f32_mul, OP.f32_sub).mem(OP.f32_store, 2);
        c.get(pb).get(re).get(sv).op(OP.f32_mul).get(im).get(cv).op(OP.f32_mul, OP.f32_add).mem(OP.f32_store, 2);
      });
    });
  });
  return f;
}

function attention(EXP: number): FuncBuilder {
  const f = new FuncBuilder("attention", [
    ["q", T.i32], ["k", T.i32], ["v", T.i32], ["count", T.i32], ["seq", T.i32], ["from", T.i32], ["nh", T.i32], ["nkv", T.i32],
    ["hd", T.i32], ["out", T.i32], ["scr", T.i32],
  ]);
  const c = f.code;
  const [q, k, v, count, seq, from, nh, nkv, hd, out, scr] = Array.from({ length: 11 }, (_, i) => i);
  const [b, i, h, j, d, rep, qw, kw, qb, kb, vb, qo, ko, kh, qrows, jend] =
    ["b", "i", "h", "j", "d", "rep", "qw", "kw", "qb", "kb", "vb", "qo", "ko", "kh", "qrows", "jend"].map((n) => f.l(n));
  const [s, mx, sum, a, sc] = ["s", "mx", "sum", "a", "sc"].map((n) => f.l(n, T.f64));
  const scale = f.l("scale", T.f32);
  c.get(nh).get(nkv).op(OP.i32_div_u).set(rep);
  c.get(nh).get(hd).op(OP.i32_mul).set(qw);
  c.get(nkv).get(hd).op(OP.i32_mul).set(kw);
  c.get(seq).get(from).op(OP.i32_sub).set(qrows);
  c.f64(1).get(hd).op(OP.f64_convert_i32_u, OP.f64_sqrt, OP.f64_div, OP.f32_demote_f64).set(scale);
  const score = (jIdx: number): void => {
    c.get(scr).get(jIdx).i32(3).op(OP.i32_shl, OP.i32_add);
  };
  forLoop(f, b, () => c.i32(0), () => c.get(count), 1, () => {
    c.get(b).get(qrows).op(OP.i32_mul).get(qw).op(OP.i32_mul).set(qb);
    c.get(b).get(seq).op(OP.i32_mul).get(kw).op(OP.i32_mul).tee(kb).set(vb);
    forLoop(f, i, () => c.get(from), () => c.get(seq), 1, () => {
      c.get(i).i32(1).op(OP.i32_add).set(jend);
      forLoop(f, h, () => c.i32(0), () => c.get(nh), 1, () => {
        c.get(h).get(rep).op(OP.i32_div_u).set(kh);
        c.get(qb).get(i).get(from).op(OP.i32_sub).get(qw).op(OP.i32_mul, OP.i32_add).get(h).get(hd).op(OP.i32_mul, OP.i32_add).set(qo);
        c.f64(-Infinity).set(mx);
        forLoop(f, j, () => c.i32(0), () => c.get(jend), 1, () => {
          c.get(kb).get(j).get(kw).op(OP.i32_mul, OP.i32_add).get(kh).get(hd).op(OP.i32_mul, OP.i32_add).set(ko);
          c.f64(0).set(s);
          forLoop(f, d, () => c.i32(0), () => c.get(hd), 1, () => {
            at(f, q, () => c.get(qo).get(d).op(OP.i32_add));
            c.mem(OP.f32_load, 2).op(OP.f64_promote_f32);
            at(f, k, () => c.get(ko).get(d).op(OP.i32_add));
            c.mem(OP.f32_load, 2).op(OP.f64_promote_f32, OP.f64_mul).get(s).op(OP.f64_add).set(s);
          });
          c.get(s).op(OP.f32_demote_f64).get(scale).op(OP.f32_mul, OP.f64_promote_f32).set(sc);
          score(j);
          c.get(sc).mem(OP.f64_store, 3);
          c.get(sc).get(mx).get(sc).get(mx).op(OP.f64_gt, OP.select).set(mx);
        });
        c.f64(0).set(sum);
        forLoop(f, j, () => c.i32(0), () => c.get(jend), 1, () => {
          score(j);
          score(j);
          c.mem(OP.f64_load, 3).get(mx).op(OP.f64_sub).call(EXP).op(OP.f32_demote_f64, OP.f64_promote_f32).tee(sc);
          c.mem(OP.f64_store, 3);
          c.get(sum).get(sc).op(OP.f64_add).set(sum);
        });
        forLoop(f, d, () => c.i32(0), () => c.get(hd), 1, () => {
          c.f64(0).set(a);
          forLoop(f, j, () => c.i32(0), () => c.get(jend), 1, () => {
            score(j);
            c.mem(OP.f64_load, 3);
            at(f, v, () => c.get(vb).get(j).get(kw).op(OP.i32_mul, OP.i32_add).get(kh).get(hd).op(OP.i32_mul, OP.i32_add).get(d).op(OP.i32_add));
            c.mem(OP.f32_load, 2).op(OP.f64_promote_f32, OP.f64_mul).get(a).op(OP.f64_add).set(a);
          });
          at(f, out, () => c.get(qo).get(d).op(OP.i32_add));
          c.get(a).get(sum).op(OP.f64_div, OP.f32_demote_f64).mem(OP.f32_store, 2);
        });
      });
    });
  });
  return f;
}

function siluGate(EXP: number): FuncBuilder {
  const f = new FuncBuilder("silu_gate", [["a", T.i32], ["b", T.i32], ["n", T.i32]]);
  const c = f.code;
  const [a, b, n] = [0, 1, 2];
  const [i, pa, pb] = ["i", "pa", "pb"].map((x) => f.l(x));
  const xv = f.l("xv", T.f64);
  const [X, NX, KF, R, Pv] = ["X", "NX", "KF", "R", "Pv"].map((x) => f.l(x, T.v128));
  const splat = (v: number): void => {
    c.f64(v).simd(SIMD.f64x2_splat);
  };
  const scalar = (): void => {
    at(f, a, () => c.get(i));
    at(f, a, () => c.get(i));
    c.mem(OP.f32_load, 2).op(OP.f64_promote_f32).tee(xv);
    c.f64(1).get(xv).op(OP.f64_neg).call(EXP).op(OP.f64_add, OP.f64_div, OP.f32_demote_f64);
    at(f, b, () => c.get(i));
    c.mem(OP.f32_load, 2).op(OP.f32_mul).mem(OP.f32_store, 2);
  };
  // Two elements per step in float64x2 lanes, with exactly the scalar operations per lane, while
  // both exponents stay in the normal range (|k| ≤ 1021: no special cases); otherwise one by one.
  c.i32(0).set(i);
  c.op(OP.block, T.void, OP.loop, T.void);
  c.get(i).i32(2).op(OP.i32_add).get(n).op(OP.i32_gt_s).brIf(1);
  at(f, a, () => c.get(i));
  c.tee(pa).simdMem(SIMD.v128_load64_zero, 3).simd(SIMD.f64x2_promote_low_f32x4).tee(X).simd(SIMD.f64x2_neg).set(NX);
  c.get(NX).f64(-707).simd(SIMD.f64x2_splat, SIMD.f64x2_gt).get(NX).f64(708).simd(SIMD.f64x2_splat, SIMD.f64x2_lt, SIMD.v128_and, SIMD.i64x2_all_true);
  c.op(OP.if, T.void);
  {
    c.get(NX);
    splat(EXP_CONSTANTS.LOG2E);
    c.simd(SIMD.f64x2_mul);
    splat(0.5);
    c.simd(SIMD.f64x2_add, SIMD.f64x2_floor).set(KF);
    c.get(NX).get(KF);
    splat(EXP_CONSTANTS.LN2_HI);
    c.simd(SIMD.f64x2_mul, SIMD.f64x2_sub).get(KF);
    splat(EXP_CONSTANTS.LN2_LO);
    c.simd(SIMD.f64x2_mul, SIMD.f64x2_sub).set(R);
    splat(EXP_COEFFS[13]);
    c.set(Pv);
    for (let k = 12; k >= 0; k--) {
      c.get(Pv).get(R).simd(SIMD.f64x2_mul);
      splat(EXP_COEFFS[k]);
      c.simd(SIMD.f64x2_add).set(Pv);
    }
    // e = p · 2^k from bits; silu = x / (1 + e), demoted, times b
    c.get(pa);
    c.get(X);
    splat(1);
    c.get(Pv).get(KF).simd(SIMD.i32x4_trunc_sat_f64x2_s_zero, SIMD.i64x2_extend_low_i32x4_s);
    c.i64(1023n).simd(SIMD.i64x2_splat, SIMD.i64x2_add).i32(52).simd(SIMD.i64x2_shl, SIMD.f64x2_mul);
    c.simd(SIMD.f64x2_add, SIMD.f64x2_div, SIMD.f32x4_demote_f64x2_zero);
    at(f, b, () => c.get(i));
    c.tee(pb).simdMem(SIMD.v128_load64_zero, 3).simd(SIMD.f32x4_mul);
    c.simdLane(SIMD.v128_store64_lane, 3, 0, 0);
  }
  c.op(OP.else);
  scalar();
  c.get(i).i32(1).op(OP.i32_add).set(i);
  scalar();
  c.get(i).i32(1).op(OP.i32_sub).set(i);
  c.op(OP.end);
  c.get(i).i32(2).op(OP.i32_add).set(i);
  c.br(0).op(OP.end, OP.end);
  // odd tail
  c.get(i).get(n).op(OP.i32_lt_s, OP.if, T.void);
  scalar();
  c.op(OP.end);
  return f;
}

function gatherLast(): FuncBuilder {
  const f = new FuncBuilder("gather_last", [["x", T.i32], ["count", T.i32], ["seq", T.i32], ["width", T.i32], ["dst", T.i32]]);
  const c = f.code;
  const [x, count, seq, width, dst] = [0, 1, 2, 3, 4];
  const [b, i, src] = ["b", "i", "src"].map((n) => f.l(n));
  forLoop(f, b, () => c.i32(0), () => c.get(count), 1, () => {
    c.get(b).i32(1).op(OP.i32_add).get(seq).op(OP.i32_mul).i32(1).op(OP.i32_sub).get(width).op(OP.i32_mul).set(src);
    forLoop(f, i, () => c.i32(0), () => c.get(width), 1, () => {
      at(f, dst, () => c.get(b).get(width).op(OP.i32_mul).get(i).op(OP.i32_add));
      at(f, x, () => c.get(src).get(i).op(OP.i32_add));
      c.mem(OP.f32_load, 2).mem(OP.f32_store, 2);
    });
  });
  return f;
}

/** `expF64` of `kernels.ts`, operation for operation. */
function expFn(): FuncBuilder {
  const f = new FuncBuilder("exp", [["x", T.f64]], [T.f64]);
  const c = f.code;
  const x = 0;
  const [kf, r, p] = ["kf", "r", "p"].map((n) => f.l(n, T.f64));
  const k = f.l("k");
  const pow2 = (n: () => void): void => {
    n();
    c.i32(1023).op(OP.i32_add, OP.i64_extend_i32_s).i64(52n).op(OP.i64_shl, OP.f64_reinterpret_i64);
  };
  c.get(x).get(x).op(OP.f64_ne, OP.if, T.void).get(x).op(OP.return, OP.end);
  c.get(x).f64(EXP_MAX).op(OP.f64_gt, OP.if, T.void).f64(Infinity).op(OP.return, OP.end);
  c.get(x).f64(EXP_MIN).op(OP.f64_lt, OP.if, T.void).f64(0).op(OP.return, OP.end);
  c.get(x).f64(EXP_CONSTANTS.LOG2E).op(OP.f64_mul).f64(0.5).op(OP.f64_add, OP.f64_floor).tee(kf).op(OP.i32_trunc_f64_s).set(k);
  c.get(x).get(kf).f64(EXP_CONSTANTS.LN2_HI).op(OP.f64_mul, OP.f64_sub).get(kf).f64(EXP_CONSTANTS.LN2_LO).op(OP.f64_mul, OP.f64_sub).set(r);
  c.f64(EXP_COEFFS[13]).set(p);
  for (let n = 12; n >= 0; n--) c.get(p).get(r).op(OP.f64_mul).f64(EXP_COEFFS[n]).op(OP.f64_add).set(p);
  c.get(k).i32(1023).op(OP.i32_gt_s, OP.if, T.void);
  c.get(p);
  pow2(() => c.get(k).i32(1).op(OP.i32_sub));
  c.op(OP.f64_mul).f64(2).op(OP.f64_mul, OP.return, OP.end);
  c.get(k).i32(-1021).op(OP.i32_lt_s, OP.if, T.void);
  c.get(p);
  pow2(() => c.get(k).i32(64).op(OP.i32_add));
  c.op(OP.f64_mul).f64(2 ** -64).op(OP.f64_mul, OP.return, OP.end);
  c.get(p);
  pow2(() => c.get(k));
  c.op(OP.f64_mul);
  return f;
}

/**
 * The module's bytes: no imports, a growable memory of one page, and the functions of
 * {@link CpuKernelExports}.
 */
export function cpuKernelBytes(tiling: MatmulTiling = DEFAULT_TILING): Uint8Array<ArrayBuffer> {
  const P = 4 * tiling.vecs;
  const EXP = 0;
  const funcs = [expFn(), packWeights(P), packRows(tiling.rows), matmul(tiling), rmsnorm(), rope(), attention(EXP), siluGate(EXP), gatherLast()];
  return assemble([], funcs.map((f) => f.def()), 1);
}
