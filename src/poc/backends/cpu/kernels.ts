/**
 * The CPU forward pass's building blocks in plain TypeScript: float32 storage, accumulation in
 * JavaScript numbers (float64), results rounded to float32 when stored. Clear rather than clever;
 * this is the oracle the GPU kernels are checked against.
 */

const LOG2E = 1.4426950408889634;
/** ln 2 split so that `k · LN2_HI` is exact for |k| < 2^21 (fdlibm's constants). */
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
/** Taylor coefficients 1/n! of e^r, n = 0…13. */
export const EXP_COEFFS: readonly number[] = Array.from({ length: 14 }, (_, n) => {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return 1 / f;
});
/** Above this `exp` overflows; below {@link EXP_MIN} it underflows to 0. */
export const EXP_MAX = 709.782712893384;
/** See {@link EXP_MAX}. */
export const EXP_MIN = -745.1332191019412;

const pow2Buf = new Float64Array(1);
const pow2Words = new Uint32Array(pow2Buf.buffer);
/** 2^n for -1022 ≤ n ≤ 1023, from its bits. */
function pow2(n: number): number {
  pow2Words[0] = 0;
  pow2Words[1] = (n + 1023) << 20;
  return pow2Buf[0];
}

/**
 * `e^x` in float64 by a fixed sequence of IEEE operations (Cody–Waite reduction by ln 2, a
 * degree-13 Taylor polynomial by Horner's rule, scaling by 2^k from bits), within ~2 ulp of
 * `Math.exp`. The CPU kernels use it instead of `Math.exp`, whose last bit differs between
 * JavaScript engines, so that the WebAssembly kernels and their JavaScript twin agree bit for bit
 * everywhere; the WebAssembly module performs exactly these operations.
 */
export function expF64(x: number): number {
  if (x !== x) return x;
  if (x > EXP_MAX) return Infinity;
  if (x < EXP_MIN) return 0;
  const k = Math.floor(x * LOG2E + 0.5);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  let p = EXP_COEFFS[13];
  for (let n = 12; n >= 0; n--) p = p * r + EXP_COEFFS[n];
  if (k > 1023) return (p * pow2(k - 1)) * 2;
  if (k < -1021) return (p * pow2(k + 64)) * 2 ** -64;
  return p * pow2(k);
}

/** The constants {@link expF64} uses, for the WebAssembly module. @internal */
export const EXP_CONSTANTS = { LOG2E, LN2_HI, LN2_LO } as const;

/**
 * `y[r, o] = sum_k x[r, k] * w[o, k]` (+ `add[r, o]` when given) for `rows` rows, with
 * `w` stored `[out, k]` as torch's Linear does.
 */
export function linear(
  x: Float32Array, rows: number, k: number, w: Float32Array, out: number,
  y: Float32Array, add?: Float32Array,
): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const x0 = r * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k;
    for (let o = 0; o < out; o++) {
      const wo = o * k;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let i = 0; i < k; i++) {
        const wv = w[wo + i];
        a0 += x[x0 + i] * wv;
        a1 += x[x1 + i] * wv;
        a2 += x[x2 + i] * wv;
        a3 += x[x3 + i] * wv;
      }
      if (add) {
        a0 += add[r * out + o]; a1 += add[(r + 1) * out + o];
        a2 += add[(r + 2) * out + o]; a3 += add[(r + 3) * out + o];
      }
      y[r * out + o] = a0; y[(r + 1) * out + o] = a1;
      y[(r + 2) * out + o] = a2; y[(r + 3) * out + o] = a3;
    }
  }
  for (; r < rows; r++) {
    const x0 = r * k;
    for (let o = 0; o < out; o++) {
      const wo = o * k;
      let a = 0;
      for (let i = 0; i < k; i++) a += x[x0 + i] * w[wo + i];
      y[r * out + o] = add ? a + add[r * out + o] : a;
    }
  }
}

/** RMSNorm of each row: `x * 1/sqrt(mean(x^2) + eps) * weight`. */
export function rmsNorm(x: Float32Array, rows: number, dim: number, weight: Float32Array, eps: number, y: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += x[o + i] * x[o + i];
    const inv = Math.fround(1 / Math.sqrt(Math.fround(Math.fround(ss / dim) + eps)));
    for (let i = 0; i < dim; i++) y[o + i] = Math.fround(x[o + i] * inv) * weight[i];
  }
}

/**
 * Rotates adjacent pairs `(v[2i], v[2i+1])` of every head in place by the RoPE tables
 * (`cos`/`sin` are `[seq, headDim/2]`). `x` is `[rows, heads * headDim]`; row `r` sits at
 * sequence position `pos0 + r % period`.
 */
export function rope(
  x: Float32Array, rows: number, heads: number, headDim: number, period: number, pos0: number,
  cos: Float32Array, sin: Float32Array,
): void {
  const half = headDim / 2;
  const width = heads * headDim;
  for (let r = 0; r < rows; r++) {
    const t = (pos0 + (r % period)) * half;
    for (let h = 0; h < heads; h++) {
      const base = r * width + h * headDim;
      for (let i = 0; i < half; i++) {
        const re = x[base + 2 * i], im = x[base + 2 * i + 1];
        const c = cos[t + i], s = sin[t + i];
        x[base + 2 * i] = Math.fround(re * c) - Math.fround(im * s);
        x[base + 2 * i + 1] = Math.fround(re * s) + Math.fround(im * c);
      }
    }
  }
}

/**
 * Causal self-attention for one sequence. `k`/`v` are `[seq, nKv*hd]`; `q` and `out` hold only
 * the query positions `from..seq-1` (`[seq-from, nHeads*hd]`); query head `h` reads kv head
 * `floor(h / (nHeads/nKv))`. `exp` is the softmax's exponential (`Math.exp` in the reference).
 */
export function causalAttention(
  q: Float32Array, k: Float32Array, v: Float32Array, seq: number, from: number,
  nHeads: number, nKv: number, hd: number, out: Float32Array, exp: (x: number) => number = Math.exp,
): void {
  const rep = nHeads / nKv;
  const scale = Math.fround(1 / Math.sqrt(hd));
  const qw = nHeads * hd, kw = nKv * hd;
  const scores = new Float64Array(seq);
  for (let i = from; i < seq; i++) {
    for (let h = 0; h < nHeads; h++) {
      const kh = Math.floor(h / rep);
      const qo = (i - from) * qw + h * hd;
      let max = -Infinity;
      for (let j = 0; j <= i; j++) {
        const ko = j * kw + kh * hd;
        let s = 0;
        for (let d = 0; d < hd; d++) s += q[qo + d] * k[ko + d];
        const sc = Math.fround(Math.fround(s) * scale);
        scores[j] = sc;
        if (sc > max) max = sc;
      }
      let sum = 0;
      for (let j = 0; j <= i; j++) {
        const e = Math.fround(exp(scores[j] - max));
        scores[j] = e;
        sum += e;
      }
      const oo = (i - from) * qw + h * hd;
      for (let d = 0; d < hd; d++) {
        let a = 0;
        for (let j = 0; j <= i; j++) a += scores[j] * v[j * kw + kh * hd + d];
        out[oo + d] = a / sum;
      }
    }
  }
}

/** `a[i] = silu(a[i]) * b[i]` with `silu(x) = x / (1 + exp(-x))` (`exp`: `Math.exp` in the reference). */
export function siluGate(a: Float32Array, b: Float32Array, n: number, exp: (x: number) => number = Math.exp): void {
  for (let i = 0; i < n; i++) {
    const x = a[i];
    a[i] = Math.fround(x / (1 + exp(-x))) * b[i];
  }
}
