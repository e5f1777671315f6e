/**
 * `log1p` with the exact operation sequence of GNU libc's double `log1p`, so that numpy's ziggurat
 * tail — which calls the C library's `log1p` — is reproduced bit for bit on Linux.
 *
 * glibc's log1p is the fdlibm algorithm with its polynomial evaluated as
 * `R1 + z²R2 + z⁴R3 + z⁶R4`. On x86-64 CPUs with FMA and AVX2 (every server CPU of the last
 * decade, and the MLNodes' GPU hosts) glibc selects a build of it compiled with fused
 * multiply-adds, whose results differ in the last bit for ~0.05% of arguments from the plain
 * build; JavaScript's `Math.log1p` (fdlibm with a Horner polynomial in V8) differs from both.
 * The fused operations below were read off glibc 2.36's x86-64 FMA variant.
 */
import { fma } from "./fma.js";

const f64 = new Float64Array(1);
const i32 = new Int32Array(f64.buffer); // little-endian: [low word, high word]

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const LP1 = 6.666666666666735130e-1;
const LP2 = 3.999999999940941908e-1;
const LP3 = 2.857142874366239149e-1;
const LP4 = 2.222219843214978396e-1;
const LP5 = 1.818357216161805012e-1;
const LP6 = 1.531383769920937332e-1;
const LP7 = 1.479819860511658591e-1;

function high(x: number): number {
  f64[0] = x;
  return i32[1];
}

/**
 * `log(1 + x)` as glibc's x86-64 FMA build computes it (what numpy's `log1p` returns on Linux
 * servers).
 *
 * @example
 * ```ts
 * log1pGlibc(-0.2856711685837189); // -0.3364118744602512 (Math.log1p gives …2513)
 * ```
 */
export function log1pGlibc(x: number): number {
  return log1pImpl(x, true);
}

/** `log(1 + x)` as glibc's plain (no-FMA) build computes it (x86-64 CPUs without FMA/AVX2). */
export function log1pGlibcNoFma(x: number): number {
  return log1pImpl(x, false);
}

function log1pImpl(x: number, fused: boolean): number {
  const hx = high(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let hu = 0;
  let c = 0;
  if (hx < 0x3fda827a) {
    // x < 0.41422
    if (ax >= 0x3ff00000) return x === -1 ? -Infinity : NaN; // x <= -1
    if (ax < 0x3e200000) {
      // |x| < 2^-29
      if (ax < 0x3c900000) return x;
      return fused ? fma(-(x * x), 0.5, x) : x - x * x * 0.5;
    }
    if (hx > 0 || hx <= (0xbfd2bec3 | 0)) {
      // -0.2929 < x < 0.41422: no reduction
      k = 0;
      f = x;
      hu = 1;
    }
  } else if (hx >= 0x7ff00000) {
    return x + x;
  }
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1 + x;
      hu = high(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1 - (u - x) : x - (u - 1); // rounding error of 1 + x
      c /= u;
    } else {
      u = x;
      hu = high(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    f64[0] = u;
    if (hu < 0x6a09e) {
      i32[1] = hu | 0x3ff00000; // u in [1, sqrt 2)
    } else {
      k += 1;
      i32[1] = hu | 0x3fe00000; // u in [sqrt 2 / 2, 1)
      hu = (0x00100000 - hu) >> 2;
    }
    f = f64[0] - 1;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2^-20
    if (f === 0) {
      if (k === 0) return 0;
      if (fused) return fma(k, LN2_HI, fma(k, LN2_LO, c));
      c += k * LN2_LO;
      return k * LN2_HI + c;
    }
    const r = hfsq * (fused ? fma(-f, 0.6666666666666666, 1) : 1 - 0.6666666666666666 * f);
    if (k === 0) return f - r;
    if (fused) return fma(k, LN2_HI, -((r - fma(k, LN2_LO, c)) - f));
    return k * LN2_HI - ((r - (k * LN2_LO + c)) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  if (fused) {
    const z2f = z * z;
    const z4f = z2f * z2f;
    const rf = fma(z4f * z2f, fma(z, LP7, LP6), fma(z4f, fma(z, LP5, LP4), fma(z, LP1, z2f * fma(z, LP3, LP2))));
    const t = s * (hfsq + rf);
    if (k === 0) return f - (hfsq - t);
    return fma(k, LN2_HI, -((hfsq - (t + fma(k, LN2_LO, c))) - f));
  }
  const r1 = z * LP1;
  const z2 = z * z;
  const r2 = LP2 + z * LP3;
  const z4 = z2 * z2;
  const r3 = LP4 + z * LP5;
  const z6 = z4 * z2;
  const r4 = LP6 + z * LP7;
  const r = r1 + z2 * r2 + z4 * r3 + z6 * r4;
  if (k === 0) return f - (hfsq - s * (hfsq + r));
  return k * LN2_HI - ((hfsq - (s * (hfsq + r) + (k * LN2_LO + c))) - f);
}
