/**
 * Fused multiply-add `round(a * b + c)` with a single rounding, in plain JavaScript: error-free
 * transformations (Dekker's product, Knuth's sum) give the exact result as a sum of doubles, which
 * rounds correctly unless it sits on a rounding boundary; those rare cases are settled exactly
 * with BigInt arithmetic.
 */

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const SPLIT = 134217729; // 2^27 + 1
const SAFE_MAX = 2 ** 500;
const SAFE_MIN = 2 ** -500;

/** ulp of a normal double on its smaller side (half of it when x is a power of two). */
function minUlp(x: number): number {
  f64[0] = x;
  const bits = u64[0] & 0x7fffffffffffffffn;
  const exp = Number(bits >> 52n);
  const mant = bits & 0xfffffffffffffn;
  return 2 ** (exp - 1075 - (mant === 0n ? 1 : 0) + 1);
}

/**
 * `a * b + c` rounded once (IEEE fusedMultiplyAdd, round to nearest even).
 *
 * @example
 * ```ts
 * fma(0.1, 10, -1); // 5.551115123125783e-17 (a * b + c gives 0)
 * ```
 */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  if (!Number.isFinite(p) || !Number.isFinite(c) || p === 0 || c === 0) return p + c;
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  const ac = Math.abs(c);
  if (aa > SAFE_MAX || ab > SAFE_MAX || aa < SAFE_MIN || ab < SAFE_MIN || ac > SAFE_MAX || ac < SAFE_MIN) {
    return fmaExact(a, b, c);
  }
  // exact product p + e
  let t = SPLIT * a;
  const ahi = t - (t - a);
  const alo = a - ahi;
  t = SPLIT * b;
  const bhi = t - (t - b);
  const blo = b - bhi;
  const e = ((ahi * bhi - p) + ahi * blo + alo * bhi) + alo * blo;
  // exact p + c = s + r
  const s = p + c;
  let bb = s - p;
  const r = (p - (s - bb)) + (c - bb);
  // exact r + e = u + w
  const u = r + e;
  bb = u - r;
  const w = (r - (u - bb)) + (e - bb);
  // exact s + u = r0 + err, r0 = round(s + u)
  const r0 = s + u;
  bb = r0 - s;
  const err = (s - (r0 - bb)) + (u - bb);
  if (w === 0) return r0; // the exact value is s + u, rounded once
  if (r0 === 0 || !Number.isFinite(r0)) return fmaExact(a, b, c);
  if (Math.abs(err) + Math.abs(w) < minUlp(r0) * 0.4999) return r0;
  return fmaExact(a, b, c);
}

function decompose(x: number): [bigint, number] {
  f64[0] = x;
  const bits = u64[0];
  const exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  return [bits >> 63n ? -mant : mant, e];
}

/** Exact `round(a * b + c)` with BigInt (finite, non-zero operands). */
export function fmaExact(a: number, b: number, c: number): number {
  const [ma, ea] = decompose(a);
  const [mb, eb] = decompose(b);
  const [mc, ec] = decompose(c);
  const mp = ma * mb;
  const ep = ea + eb;
  const e0 = Math.min(ep, ec);
  let m = (mp << BigInt(ep - e0)) + (mc << BigInt(ec - e0));
  if (m === 0n) return 0;
  const neg = m < 0n;
  if (neg) m = -m;
  let e = e0;
  const bitlen = m.toString(2).length;
  // keep 64 significant bits plus a sticky bit, then let Number() round to 53 bits (ties to even)
  if (bitlen > 64) {
    const k = bitlen - 64;
    const sticky = (m & ((1n << BigInt(k)) - 1n)) !== 0n ? 1n : 0n;
    m = (m >> BigInt(k)) | sticky;
    e += k;
  }
  let v = Number(m);
  // scale by 2^e in steps that stay exact for normal results
  while (e > 0) {
    const s = Math.min(e, 1000);
    v *= 2 ** s;
    e -= s;
  }
  while (e < 0) {
    const s = Math.max(e, -1000);
    v *= 2 ** s;
    e -= s;
  }
  return neg ? -v : v;
}
