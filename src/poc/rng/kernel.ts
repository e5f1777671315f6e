/**
 * The RNG kernel: PCG64 (128-bit LCG + XSL-RR output) and numpy's ziggurat normal sampler as a
 * small WebAssembly module, built at load time by {@link assemble} from the code below.
 *
 * WebAssembly has 64-bit integers but no 64×64→128 multiply, so one PCG step is written with
 * 32-bit halves: `lo' = lo·Mlo + inclo`, `hi' = mulhi(lo, Mlo) + lo·Mhi + hi·Mlo + inchi + carry`.
 * The bulk loops keep the generator state in locals (registers) and write into a buffer in
 * the module's memory, which callers copy out in chunks.
 *
 * Memory layout (bytes): 0 state lo, 8 state hi, 16 inc lo, 24 inc hi, 32 has_uint32 (i32),
 * 36 buffered uint32; 64 ki[256] (i64); 2112 wi[256] (f64); 4160 fi[256] (f64); 65536 buffer
 * (256 KiB, small enough to stay in L2 while it is copied out).
 *
 * Where WebAssembly cannot be compiled (a Content-Security-Policy without `'wasm-unsafe-eval'`),
 * {@link kernel} returns the plain-JavaScript twin from `kernel-js.ts` (same exports, same memory
 * layout, bit-identical output) and warns once; {@link rngBackendInfo} tells which one runs.
 */
import { createJsRngKernel } from "./kernel-js.js";
import { log1pGlibc } from "./log1p.js";
import { assemble, Code, OP, T, type FuncDef } from "./wasm-asm.js";
import { compileWasm, instantiateWasm, isWasmUnavailable, warnJavaScriptFallback } from "./wasm-support.js";
import { ZIGGURAT_FI, ZIGGURAT_INV_R, ZIGGURAT_KI, ZIGGURAT_R, ZIGGURAT_WI } from "./ziggurat-tables.js";

/** Offset of the output buffer in kernel memory. */
export const BUF = 65536;
/** Size of the output buffer in bytes. */
export const BUF_BYTES = 1 << 18;
const KI = 64;
const WI = KI + 2048;
const FI = WI + 2048;

/** PCG64's 128-bit multiplier. */
export const PCG_MULT = 0x2360ed051fc65da44385df649fccf645n;
const ML = PCG_MULT & 0xffffffffffffffffn;
const MH = PCG_MULT >> 64n;
const ML0 = ML & 0xffffffffn;
const ML1 = ML >> 32n;
const M32 = 0xffffffffn;

/** Named locals of a function being written. */
class Fn {
  readonly code = new Code();
  readonly locals: number[] = [];
  private readonly names = new Map<string, number>();
  constructor(
    readonly name: string | undefined,
    readonly params: [string, number][],
    readonly results: number[],
  ) {
    params.forEach(([n], i) => this.names.set(n, i));
  }
  /** Index of a local, declaring it with type `t` on first use. */
  l(name: string, t: number = T.i64): number {
    let i = this.names.get(name);
    if (i === undefined) {
      i = this.params.length + this.locals.length;
      this.locals.push(t);
      this.names.set(name, i);
    }
    return i;
  }
  def(): FuncDef {
    return { name: this.name, params: this.params.map(([, t]) => t), results: this.results, locals: this.locals, code: this.code };
  }
}

/** Loads state lo/hi and inc lo/hi from memory into locals sl, sh, il, ih. */
function loadState(f: Fn): void {
  const c = f.code;
  c.i32(0).mem(OP.i64_load, 3, 0).set(f.l("sl"));
  c.i32(0).mem(OP.i64_load, 3, 8).set(f.l("sh"));
  c.i32(0).mem(OP.i64_load, 3, 16).set(f.l("il"));
  c.i32(0).mem(OP.i64_load, 3, 24).set(f.l("ih"));
}

/** Stores locals sl, sh back to memory. */
function storeState(f: Fn): void {
  const c = f.code;
  c.i32(0).get(f.l("sl")).mem(OP.i64_store, 3, 0);
  c.i32(0).get(f.l("sh")).mem(OP.i64_store, 3, 8);
}

/** One PCG64 step on locals sl/sh; leaves the XSL-RR output of the new state in local `r`. */
function step(f: Fn): void {
  const c = f.code;
  const [sl, sh, il, ih] = [f.l("sl"), f.l("sh"), f.l("il"), f.l("ih")];
  const [a0, a1, t, w1, nh, r] = ["a0", "a1", "p01", "p10", "nh", "r"].map((n) => f.l(n));
  // mulhi(sl, ML) from 32-bit halves: t = a1*b0 + (a0*b0 >> 32); w1 = (t & M32) + a0*b1;
  // hi = a1*b1 + (t >> 32) + (w1 >> 32) — no intermediate can overflow 64 bits.
  c.get(sl).i64(M32).op(OP.i64_and).set(a0);
  c.get(sl).i64(32n).op(OP.i64_shr_u).set(a1);
  c.get(a1).i64(ML0).op(OP.i64_mul).get(a0).i64(ML0).op(OP.i64_mul).i64(32n).op(OP.i64_shr_u, OP.i64_add).set(t);
  c.get(t).i64(M32).op(OP.i64_and).get(a0).i64(ML1).op(OP.i64_mul, OP.i64_add).set(w1);
  c.get(a1).i64(ML1).op(OP.i64_mul);
  c.get(t).i64(32n).op(OP.i64_shr_u, OP.i64_add);
  c.get(w1).i64(32n).op(OP.i64_shr_u, OP.i64_add);
  c.get(sl).i64(MH).op(OP.i64_mul, OP.i64_add);
  c.get(sh).i64(ML).op(OP.i64_mul, OP.i64_add);
  c.get(ih).op(OP.i64_add).set(nh);
  c.get(sl).i64(ML).op(OP.i64_mul).get(il).op(OP.i64_add).tee(sl);
  c.get(il).op(OP.i64_lt_u, OP.i64_extend_i32_u).get(nh).op(OP.i64_add).set(sh);
  c.get(sh).get(sl).op(OP.i64_xor).get(sh).i64(58n).op(OP.i64_shr_u, OP.i64_rotr).set(r);
}

/** Pushes next_double of local `r`: (r >> 11) * 2^-53. */
function doubleOf(f: Fn): void {
  f.code.get(f.l("r")).i64(11n).op(OP.i64_shr_u, OP.f64_convert_i64_s).f64(2 ** -53).op(OP.f64_mul);
}

/**
 * Writes one standard normal into f64 local `z`, with the state in locals. The wedge test of
 * layers 1…255 (≈1.2% of draws) runs inline; the tail of layer 0 (≈0.03%) spills the state to
 * memory and calls function `tailIndex`; `expIndex` is the library exp for near-boundary cases.
 */
function normal(f: Fn, tailIndex: number, expIndex: number): void {
  const c = f.code;
  const [r, rabs, z] = [f.l("r"), f.l("rabs"), f.l("z", T.f64)];
  const [rw, off] = [f.l("rw", T.i32), f.l("off", T.i32)];
  const [lhs, v, e] = [f.l("lhs", T.f64), f.l("v", T.f64), f.l("e", T.f64)];
  c.op(OP.block, T.void).op(OP.loop, T.void);
  step(f);
  // off = 8 * (r & 0xff): byte offset of layer idx in the tables
  c.get(r).op(OP.i32_wrap_i64).tee(rw).i32(3).op(OP.i32_shl).i32(0x7f8).op(OP.i32_and).set(off);
  c.get(r).i64(9n).op(OP.i64_shr_u).i64(0xfffffffffffffn).op(OP.i64_and).set(rabs);
  // x = rabs * wi[idx], negated when bit 8 of r is set
  c.get(rabs).op(OP.f64_convert_i64_s).get(off).mem(OP.f64_load, 3, WI).op(OP.f64_mul).set(z);
  c.get(z).op(OP.f64_neg).get(z).get(rw).i32(0x100).op(OP.i32_and, OP.select).set(z);
  // fast accept: rabs < ki[idx]
  c.get(rabs).get(off).mem(OP.i64_load, 3, KI).op(OP.i64_lt_u).brIf(1);
  // layer 0: the tail beyond r (never rejects)
  c.get(off).op(OP.i32_eqz).op(OP.if, T.void);
  storeState(f);
  c.get(rabs).call(tailIndex).set(z);
  c.i32(0).mem(OP.i64_load, 3, 0).set(f.l("sl"));
  c.i32(0).mem(OP.i64_load, 3, 8).set(f.l("sh"));
  c.br(2);
  c.op(OP.end);
  // wedge: accept when (fi[idx-1] - fi[idx]) * next_double + fi[idx] < exp(-0.5 * x * x)
  step(f);
  c.get(off).mem(OP.f64_load, 3, FI - 8).get(off).mem(OP.f64_load, 3, FI).op(OP.f64_sub);
  doubleOf(f);
  c.op(OP.f64_mul).get(off).mem(OP.f64_load, 3, FI).op(OP.f64_add).set(lhs);
  c.f64(-0.5).get(z).op(OP.f64_mul).get(z).op(OP.f64_mul).set(v);
  // decide with the in-kernel exp when the margin is clear; only comparisons within 1e-9 of the
  // boundary (practically never) ask the library exp
  expApprox(f, v, e);
  c.get(lhs).get(e).f64(1 - 1e-9).op(OP.f64_mul, OP.f64_lt).brIf(1);
  c.get(lhs).get(e).f64(1 + 1e-9).op(OP.f64_mul, OP.f64_gt).brIf(0);
  c.get(lhs).get(v).call(expIndex).op(OP.f64_lt).brIf(1);
  c.br(0);
  c.op(OP.end, OP.end);
}

/** Converts float16 bits (i32 on the stack) to the bits of the same value as a float32 (exact). */
function f16ToF32Bits(f: Fn): void {
  const c = f.code;
  const [h, s, e] = [f.l("wh", T.i32), f.l("ws", T.i32), f.l("we", T.i32)];
  c.tee(h).i32(0x8000).op(OP.i32_and).i32(16).op(OP.i32_shl).set(s);
  c.get(h).i32(0x7c00).op(OP.i32_and).set(e);
  c.get(e).i32(0x7c00).op(OP.i32_eq).op(OP.if, T.i32);
  c.get(h).i32(0x3ff).op(OP.i32_and).i32(13).op(OP.i32_shl).i32(0x7f800000).op(OP.i32_or); // inf / NaN
  c.op(OP.else);
  c.get(e).op(OP.i32_eqz).op(OP.if, T.i32);
  // subnormal or zero: mant * 2^-24, exact in float32
  c.get(h).i32(0x3ff).op(OP.i32_and, OP.f32_convert_i32_u).f32(2 ** -24).op(OP.f32_mul, OP.i32_reinterpret_f32);
  c.op(OP.else);
  c.get(h).i32(0x7fff).op(OP.i32_and).i32(13).op(OP.i32_shl).i32(0x38000000).op(OP.i32_add); // rebias 15 -> 127
  c.op(OP.end, OP.end);
  c.get(s).op(OP.i32_or);
}

/**
 * Local `e` ≈ exp(local `v`) for v in [-7, 0]: v = k·ln2 + t, |t| ≤ ln2/2, e^t by a degree-12
 * Taylor polynomial, times 2^k assembled from bits. Relative error below 1e-13 (checked against
 * Math.exp in test/poc/rng/kernel-exp.test.ts).
 */
function expApprox(f: Fn, v: number, e: number): void {
  const c = f.code;
  const [k, t] = [f.l("ek", T.f64), f.l("et", T.f64)];
  c.get(v).f64(1 / Math.LN2).op(OP.f64_mul, OP.f64_nearest).set(k);
  c.get(v).get(k).f64(Math.LN2).op(OP.f64_mul, OP.f64_sub).set(t);
  // Σ t^n / n! for n ≤ 12 by Estrin's scheme (short dependency chains)
  const [t2, t4] = [f.l("et2", T.f64), f.l("et4", T.f64)];
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const pair = (n: number): void => {
    c.f64(1 / fact(n)).get(t).f64(1 / fact(n + 1)).op(OP.f64_mul, OP.f64_add); // c_n + c_(n+1) t
  };
  c.get(t).get(t).op(OP.f64_mul).tee(t2).get(t2).op(OP.f64_mul).set(t4);
  pair(0);
  c.get(t2);
  pair(2);
  c.op(OP.f64_mul, OP.f64_add); // p0..3
  pair(4);
  c.get(t2);
  pair(6);
  c.op(OP.f64_mul, OP.f64_add).get(t4).op(OP.f64_mul, OP.f64_add); // + t4 (p4..7)
  pair(8);
  c.get(t2);
  pair(10);
  c.op(OP.f64_mul, OP.f64_add).get(t4).f64(1 / fact(12)).op(OP.f64_mul, OP.f64_add);
  c.get(t4).get(t4).op(OP.f64_mul, OP.f64_mul, OP.f64_add); // + t8 (p8..12)
  c.get(k).op(OP.i64_trunc_f64_s).i64(1023n).op(OP.i64_add).i64(52n).op(OP.i64_shl, OP.f64_reinterpret_i64);
  c.op(OP.f64_mul).set(e);
}

/** Converts the f32 on the stack to IEEE binary16 bits (round to nearest even), pushes an i32. */
function f32ToF16(f: Fn): void {
  const c = f.code;
  const [b, sign] = [f.l("hb", T.i32), f.l("hs", T.i32)];
  c.op(OP.i32_reinterpret_f32).tee(b).i32(0x80000000).op(OP.i32_and).i32(16).op(OP.i32_shr_u).set(sign);
  c.get(b).i32(0x7fffffff).op(OP.i32_and).set(b);
  c.get(b).i32(0x47800000).op(OP.i32_ge_u).op(OP.if, T.i32);
  {
    c.i32(0x7e00).i32(0x7c00).get(b).i32(0x7f800000).op(OP.i32_gt_u, OP.select);
  }
  c.op(OP.else);
  {
    c.get(b).i32(113 << 23).op(OP.i32_lt_u).op(OP.if, T.i32);
    c.get(b).op(OP.f32_reinterpret_i32).f32(0.5).op(OP.f32_add, OP.i32_reinterpret_f32).i32(0x3f000000).op(OP.i32_sub);
    c.op(OP.else);
    c.get(b).i32(((15 - 127) << 23) + 0xfff).op(OP.i32_add);
    c.get(b).i32(13).op(OP.i32_shr_u).i32(1).op(OP.i32_and, OP.i32_add).i32(13).op(OP.i32_shr_u);
    c.op(OP.end);
  }
  c.op(OP.end).get(sign).op(OP.i32_or);
}

/**
 * `for (p = ptr; p < ptr + n * stride; p += stride) body`, with params "ptr" (0) and "n" (1) and
 * i32 locals "p" and "end".
 */
function pointerLoop(f: Fn, stride: number, body: (p: number) => void): void {
  const c = f.code;
  const [p, end] = [f.l("p", T.i32), f.l("end", T.i32)];
  c.get(0).tee(p).get(1).i32(stride).op(OP.i32_mul, OP.i32_add).set(end);
  c.op(OP.block, T.void).op(OP.loop, T.void);
  c.get(p).get(end).op(OP.i32_ge_u).brIf(1);
  body(p);
  c.get(p).i32(stride).op(OP.i32_add).set(p);
  c.br(0).op(OP.end, OP.end);
}

/** A counted loop `for (i = 0; i < n; i++) body`, with i32 locals "i" and param "n". */
function countedLoop(f: Fn, body: () => void): void {
  const c = f.code;
  const [i, n] = [f.l("i", T.i32), f.l("n", T.i32)];
  c.i32(0).set(i);
  c.op(OP.block, T.void).op(OP.loop, T.void);
  c.get(i).get(n).op(OP.i32_ge_u).brIf(1);
  body();
  c.get(i).i32(1).op(OP.i32_add).set(i);
  c.br(0).op(OP.end, OP.end);
}

function build(): Uint8Array<ArrayBuffer> {
  const LOG1P = 0;
  const EXP = 1;
  const NFUNC = 2;
  const fns: Fn[] = [];
  const add = (f: Fn): number => {
    fns.push(f);
    return NFUNC + fns.length - 1;
  };

  // next_u64(): one step on the state in memory.
  const next = new Fn("next_u64", [], [T.i64]);
  loadState(next);
  step(next);
  storeState(next);
  next.code.get(next.l("r"));
  const NEXT = add(next);

  // tail(rabs) -> f64: the ziggurat's tail beyond r, drawing from the state in memory.
  const slow = new Fn(undefined, [["rabs", T.i64]], [T.f64]);
  {
    const c = slow.code;
    const rabs = 0;
    const [xx, yy] = [slow.l("xx", T.f64), slow.l("yy", T.f64)];
    const nextDouble = (): void => {
      c.call(NEXT).i64(11n).op(OP.i64_shr_u, OP.f64_convert_i64_s).f64(2 ** -53).op(OP.f64_mul);
    };
    c.op(OP.loop, T.void);
    c.f64(-ZIGGURAT_INV_R);
    nextDouble();
    c.op(OP.f64_neg).call(LOG1P).op(OP.f64_mul).set(xx);
    nextDouble();
    c.op(OP.f64_neg).call(LOG1P).op(OP.f64_neg).set(yy);
    c.get(yy).get(yy).op(OP.f64_add).get(xx).get(xx).op(OP.f64_mul).op(OP.f64_gt);
    c.op(OP.if, T.void);
    c.f64(-ZIGGURAT_R).get(xx).op(OP.f64_sub).f64(ZIGGURAT_R).get(xx).op(OP.f64_add);
    c.get(rabs).i64(8n).op(OP.i64_shr_u, OP.i32_wrap_i64).i32(1).op(OP.i32_and, OP.select, OP.return);
    c.op(OP.end);
    c.br(0).op(OP.end);
    c.f64(NaN); // unreachable
  }
  const SLOW = add(slow);

  // fill_u64(ptr, n)
  const fu = new Fn("fill_u64", [["ptr", T.i32], ["n", T.i32]], []);
  loadState(fu);
  pointerLoop(fu, 8, (p) => {
    step(fu);
    fu.code.get(p).get(fu.l("r")).mem(OP.i64_store, 3);
  });
  storeState(fu);
  add(fu);

  // fill_double(ptr, n)
  const fd = new Fn("fill_double", [["ptr", T.i32], ["n", T.i32]], []);
  loadState(fd);
  pointerLoop(fd, 8, (p) => {
    step(fd);
    fd.code.get(p);
    doubleOf(fd);
    fd.code.mem(OP.f64_store, 3);
  });
  storeState(fd);
  add(fd);

  // fill_normal(ptr, n, loc, scale, affine): z, or loc + scale * z when affine != 0
  const fnorm = new Fn("fill_normal", [["ptr", T.i32], ["n", T.i32], ["loc", T.f64], ["scale", T.f64], ["affine", T.i32]], []);
  loadState(fnorm);
  pointerLoop(fnorm, 8, (p) => {
    normal(fnorm, SLOW, EXP);
    const c = fnorm.code;
    const z = fnorm.l("z", T.f64);
    c.get(p).get(2).get(3).get(z).op(OP.f64_mul, OP.f64_add).get(z).get(4).op(OP.select);
    c.mem(OP.f64_store, 3);
  });
  storeState(fnorm);
  add(fnorm);

  // fill_normal_f16(ptr, n, loc, scale, affine): float64 -> float32 -> float16 bits
  const fh = new Fn("fill_normal_f16", [["ptr", T.i32], ["n", T.i32], ["loc", T.f64], ["scale", T.f64], ["affine", T.i32]], []);
  loadState(fh);
  pointerLoop(fh, 2, (p) => {
    normal(fh, SLOW, EXP);
    const c = fh.code;
    const z = fh.l("z", T.f64);
    c.get(p).get(2).get(3).get(z).op(OP.f64_mul, OP.f64_add).get(z).get(4).op(OP.select);
    c.op(OP.f32_demote_f64);
    f32ToF16(fh);
    c.mem(OP.i32_store16, 1);
  });
  storeState(fh);
  add(fh);

  // fill_normal_h32(ptr, n, loc, scale, affine): the float16-rounded values widened to float32
  const fw = new Fn("fill_normal_h32", [["ptr", T.i32], ["n", T.i32], ["loc", T.f64], ["scale", T.f64], ["affine", T.i32]], []);
  loadState(fw);
  pointerLoop(fw, 4, (p) => {
    normal(fw, SLOW, EXP);
    const c = fw.code;
    const z = fw.l("z", T.f64);
    c.get(p).get(2).get(3).get(z).op(OP.f64_mul, OP.f64_add).get(z).get(4).op(OP.select);
    c.op(OP.f32_demote_f64);
    f32ToF16(fw);
    f16ToF32Bits(fw);
    c.mem(OP.i32_store, 2);
  });
  storeState(fw);
  add(fw);

  // fill_interval32(ptr, n, max): out[i] = random_interval(max - i) for 32-bit maxima (buffered uint32)
  const fi = new Fn("fill_interval32", [["ptr", T.i32], ["n", T.i32], ["max", T.i32]], []);
  {
    const c = fi.code;
    const [has, buf, m, mask, v] = [fi.l("has", T.i32), fi.l("buf", T.i32), fi.l("m", T.i32), fi.l("mask", T.i32), fi.l("v", T.i32)];
    loadState(fi);
    c.i32(0).mem(OP.i32_load, 2, 32).set(has);
    c.i32(0).mem(OP.i32_load, 2, 36).set(buf);
    countedLoop(fi, () => {
      c.get(2).get(fi.l("i", T.i32)).op(OP.i32_sub).tee(m).set(mask);
      for (const s of [1, 2, 4, 8, 16]) c.get(mask).get(mask).i32(s).op(OP.i32_shr_u, OP.i32_or).set(mask);
      c.i32(0).set(v);
      c.get(m).op(OP.if, T.void);
      c.op(OP.loop, T.void);
      // v = next_uint32() & mask
      c.get(has).op(OP.if, T.i32).i32(0).set(has).get(buf);
      c.op(OP.else);
      step(fi);
      c.get(fi.l("r")).i64(32n).op(OP.i64_shr_u, OP.i32_wrap_i64).set(buf).i32(1).set(has);
      c.get(fi.l("r")).op(OP.i32_wrap_i64);
      c.op(OP.end);
      c.get(mask).op(OP.i32_and).tee(v).get(m).op(OP.i32_gt_u).brIf(0);
      c.op(OP.end);
      c.op(OP.end);
      c.get(0).get(fi.l("i", T.i32)).i32(2).op(OP.i32_shl, OP.i32_add).get(v).mem(OP.i32_store, 2);
    });
    storeState(fi);
    c.i32(0).get(has).mem(OP.i32_store, 2, 32);
    c.i32(0).get(buf).mem(OP.i32_store, 2, 36);
  }
  add(fi);

  // exp_approx(v): the in-kernel exp bound, exported for tests
  const ea = new Fn("exp_approx", [["v", T.f64]], [T.f64]);
  expApprox(ea, 0, ea.l("e", T.f64));
  ea.code.get(ea.l("e", T.f64));
  add(ea);

  return assemble(
    [
      { name: "log1p", params: [T.f64], results: [T.f64] },
      { name: "exp", params: [T.f64], results: [T.f64] },
    ],
    fns.map((f) => f.def()),
    Math.ceil((BUF + BUF_BYTES) / 65536),
  );
}

/** The exported functions of the kernel instance (WebAssembly or its JavaScript twin). */
export interface KernelExports {
  /** The kernel's memory (the generator state at 0, the output buffer at {@link BUF}). */
  memory: { readonly buffer: ArrayBuffer };
  next_u64(): bigint;
  fill_u64(ptr: number, n: number): void;
  fill_double(ptr: number, n: number): void;
  fill_normal(ptr: number, n: number, loc: number, scale: number, affine: number): void;
  fill_normal_f16(ptr: number, n: number, loc: number, scale: number, affine: number): void;
  fill_normal_h32(ptr: number, n: number, loc: number, scale: number, affine: number): void;
  fill_interval32(ptr: number, n: number, max: number): void;
  exp_approx(v: number): number;
}

/** Which implementation of the RNG kernel runs in this JavaScript realm. */
export interface RngBackendInfo {
  /** `"wasm"`: the WebAssembly kernel; `"js"`: the plain-JavaScript twin (same output, slower). */
  backend: "wasm" | "js";
  /** Why WebAssembly is not used (with `"js"`). */
  reason?: string;
}

let instance: KernelExports | undefined;
let info: RngBackendInfo | undefined;

/**
 * The shared kernel instance, created on first use: the WebAssembly module (compiled
 * synchronously, ~2 KiB) or, where WebAssembly is refused, its JavaScript twin.
 */
export function kernel(): KernelExports {
  if (instance) return instance;
  const what = "the PoC RNG kernel";
  const compiled = compileWasm(build(), what);
  // The tail's log1p must be glibc's (numpy calls the C library); exp only decides the wedge
  // comparison, where a last-bit difference would matter with probability ~2^-53 per test.
  const made = compiled.ok ? instantiateWasm(compiled, { env: { log1p: log1pGlibc, exp: Math.exp } }, what) : compiled;
  let k: KernelExports;
  if (isWasmUnavailable(made)) {
    warnJavaScriptFallback(made);
    k = createJsRngKernel(BUF + BUF_BYTES);
    info = { backend: "js", reason: made.reason };
  } else {
    k = made as unknown as KernelExports;
    info = { backend: "wasm" };
  }
  const mem = k.memory.buffer;
  const ki = new BigUint64Array(mem, KI, 256);
  const wi = new Float64Array(mem, WI, 256);
  const fiv = new Float64Array(mem, FI, 256);
  for (let i = 0; i < 256; i++) {
    ki[i] = BigInt(ZIGGURAT_KI[i]);
    wi[i] = ZIGGURAT_WI[i];
    fiv[i] = ZIGGURAT_FI[i];
  }
  instance = k;
  return k;
}

/**
 * Which RNG kernel this realm uses — `{ backend: "wasm" }`, or `{ backend: "js", reason }` where
 * WebAssembly was refused (e.g. a Content-Security-Policy without `'wasm-unsafe-eval'`). Creates
 * the kernel if needed.
 *
 * @example
 * ```ts
 * if (rngBackendInfo().backend === "js") console.log("PoC randomness runs in plain JavaScript");
 * ```
 */
export function rngBackendInfo(): RngBackendInfo {
  kernel();
  return { ...info! };
}

/** Raw module bytes (for inspection and tests). */
export function kernelBytes(): Uint8Array<ArrayBuffer> {
  return build();
}
