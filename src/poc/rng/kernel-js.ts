/**
 * The RNG kernel in plain JavaScript: the same exports and memory layout as the WebAssembly
 * kernel in `kernel.ts` (PCG64 with the XSL-RR output, numpy's ziggurat normals, float16
 * rounding, bounded draws for permutations) and bit-identical output. Used where WebAssembly
 * cannot be compiled (a Content-Security-Policy without `'wasm-unsafe-eval'`); several times slower.
 *
 * The 128-bit LCG runs on four 32-bit words; each 32×32-bit product is split into 16-bit halves so
 * every intermediate is an exact double.
 */
import { float16BitsToNumber, toFloat16Bits } from "./float16.js";
import type { KernelExports } from "./kernel.js";
import { log1pGlibc } from "./log1p.js";
import { ZIGGURAT_FI, ZIGGURAT_INV_R, ZIGGURAT_KI, ZIGGURAT_R, ZIGGURAT_WI } from "./ziggurat-tables.js";

const TWO32 = 4294967296;
// PCG64's multiplier 0x2360ed051fc65da4_4385df649fccf645 as 32-bit words, least significant first.
const M0 = 0x9fccf645, M1 = 0x4385df64, M2 = 0x1fc65da4, M3 = 0x2360ed05;

/** High 32 bits of the 64-bit product of two uint32 values. */
function mulhi(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const x = a1 * b0, y = a0 * b1;
  const mid = ((a0 * b0) >>> 16) + (x & 0xffff) + (y & 0xffff);
  return a1 * b1 + (x >>> 16) + (y >>> 16) + (mid >>> 16);
}

/** Round half to even, as WebAssembly's `f64.nearest` (for |v| < 2^51). */
function nearest(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * `exp(v)` for v in [-7, 0] by the kernel's range reduction and degree-12 polynomial (the same
 * operations as the WebAssembly `exp_approx`).
 */
function expApprox(v: number): number {
  const k = nearest(v * (1 / Math.LN2));
  const t = v - k * Math.LN2;
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const c = (n: number): number => 1 / fact(n);
  const pair = (n: number): number => c(n) + t * c(n + 1);
  const t2 = t * t, t4 = t2 * t2;
  let p = pair(0) + t2 * pair(2);
  p = p + t4 * (pair(4) + t2 * pair(6));
  p = p + t4 * t4 * (pair(8) + t2 * pair(10) + t4 * c(12));
  return p * 2 ** k;
}

/**
 * A JavaScript RNG kernel with its own memory (state at bytes 0–39, the output buffer at `BUF`).
 * @internal
 */
export function createJsRngKernel(bytes: number): KernelExports {
  const memory = { buffer: new ArrayBuffer(bytes) };
  const w = new Uint32Array(memory.buffer);
  const view = new DataView(memory.buffer);
  // The generator's state while a function runs (loaded from and stored back to memory).
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i0 = 0, i1 = 0, i2 = 0, i3 = 0;
  // The last output, as 32-bit halves.
  let rlo = 0, rhi = 0;
  const load = (): void => {
    s0 = w[0]; s1 = w[1]; s2 = w[2]; s3 = w[3]; i0 = w[4]; i1 = w[5]; i2 = w[6]; i3 = w[7];
  };
  const store = (): void => {
    w[0] = s0; w[1] = s1; w[2] = s2; w[3] = s3;
  };
  /** One LCG step (state = state·M + inc mod 2^128), then the XSL-RR output into rlo/rhi. */
  const step = (): void => {
    const p00l = Math.imul(s0, M0) >>> 0, p00h = mulhi(s0, M0);
    const p01l = Math.imul(s0, M1) >>> 0, p01h = mulhi(s0, M1);
    const p10l = Math.imul(s1, M0) >>> 0, p10h = mulhi(s1, M0);
    const p02l = Math.imul(s0, M2) >>> 0, p02h = mulhi(s0, M2);
    const p11l = Math.imul(s1, M1) >>> 0, p11h = mulhi(s1, M1);
    const p20l = Math.imul(s2, M0) >>> 0, p20h = mulhi(s2, M0);
    let t = p00l + i0;
    const n0 = t >>> 0;
    t = Math.floor(t / TWO32) + p00h + p01l + p10l + i1;
    const n1 = t % TWO32;
    t = Math.floor(t / TWO32) + p01h + p10h + p02l + p11l + p20l + i2;
    const n2 = t % TWO32;
    const n3 = (Math.floor(t / TWO32) + p02h + p11h + p20h + i3 +
      Math.imul(s0, M3) + Math.imul(s1, M2) + Math.imul(s2, M1) + Math.imul(s3, M0)) >>> 0;
    s0 = n0; s1 = n1; s2 = n2; s3 = n3;
    // XSL-RR: rotate (hi ^ lo) right by hi >> 58
    const xlo = (s2 ^ s0) >>> 0, xhi = (s3 ^ s1) >>> 0;
    const rot = s3 >>> 26;
    if (rot === 0) {
      rlo = xlo; rhi = xhi;
    } else if (rot < 32) {
      rlo = ((xlo >>> rot) | (xhi << (32 - rot))) >>> 0;
      rhi = ((xhi >>> rot) | (xlo << (32 - rot))) >>> 0;
    } else if (rot === 32) {
      rlo = xhi; rhi = xlo;
    } else {
      const r = rot - 32;
      rlo = ((xhi >>> r) | (xlo << (32 - r))) >>> 0;
      rhi = ((xlo >>> r) | (xhi << (32 - r))) >>> 0;
    }
  };
  const nextDouble = (): number => {
    step();
    return (rhi * 2097152 + (rlo >>> 11)) * 2 ** -53;
  };
  const tail = (bit: number): number => {
    for (;;) {
      const xx = -ZIGGURAT_INV_R * log1pGlibc(-nextDouble());
      const yy = -log1pGlibc(-nextDouble());
      if (yy + yy > xx * xx) return bit ? -ZIGGURAT_R - xx : ZIGGURAT_R + xx;
    }
  };
  const normal = (): number => {
    for (;;) {
      step();
      const idx = rlo & 0xff;
      const rabs = (rhi & 0x1fffffff) * 8388608 + (rlo >>> 9);
      const z = rabs * ZIGGURAT_WI[idx];
      const x = rlo & 0x100 ? -z : z;
      if (rabs < ZIGGURAT_KI[idx]) return x;
      if (idx === 0) return tail((rlo >>> 17) & 1);
      const lhs = (ZIGGURAT_FI[idx - 1] - ZIGGURAT_FI[idx]) * nextDouble() + ZIGGURAT_FI[idx];
      if (lhs < Math.exp(-0.5 * x * x)) return x;
    }
  };
  const fillNormal = (n: number, loc: number, scale: number, affine: number, put: (i: number, v: number) => void): void => {
    load();
    for (let i = 0; i < n; i++) {
      const z = normal();
      put(i, affine ? loc + scale * z : z);
    }
    store();
  };
  return {
    memory,
    next_u64() {
      load();
      step();
      store();
      return BigInt.asIntN(64, (BigInt(rhi) << 32n) | BigInt(rlo));
    },
    fill_u64(ptr, n) {
      load();
      for (let i = 0; i < n; i++) {
        step();
        view.setUint32(ptr + 8 * i, rlo, true);
        view.setUint32(ptr + 8 * i + 4, rhi, true);
      }
      store();
    },
    fill_double(ptr, n) {
      load();
      const out = new Float64Array(memory.buffer, ptr, n);
      for (let i = 0; i < n; i++) out[i] = nextDouble();
      store();
    },
    fill_normal(ptr, n, loc, scale, affine) {
      const out = new Float64Array(memory.buffer, ptr, n);
      fillNormal(n, loc, scale, affine, (i, v) => { out[i] = v; });
    },
    fill_normal_f16(ptr, n, loc, scale, affine) {
      const out = new Uint16Array(memory.buffer, ptr, n);
      fillNormal(n, loc, scale, affine, (i, v) => { out[i] = toFloat16Bits(v); });
    },
    fill_normal_h32(ptr, n, loc, scale, affine) {
      const out = new Float32Array(memory.buffer, ptr, n);
      fillNormal(n, loc, scale, affine, (i, v) => { out[i] = float16BitsToNumber(toFloat16Bits(v)); });
    },
    fill_interval32(ptr, n, max) {
      load();
      let has = w[8], buf = w[9];
      const out = new Uint32Array(memory.buffer, ptr, n);
      for (let i = 0; i < n; i++) {
        const m = (max - i) >>> 0;
        let mask = m;
        mask |= mask >>> 1; mask |= mask >>> 2; mask |= mask >>> 4; mask |= mask >>> 8; mask |= mask >>> 16;
        mask >>>= 0;
        let v = 0;
        if (m !== 0) {
          do {
            let u: number;
            if (has) {
              has = 0;
              u = buf;
            } else {
              step();
              buf = rhi;
              has = 1;
              u = rlo;
            }
            v = (u & mask) >>> 0;
          } while (v > m);
        }
        out[i] = v;
      }
      store();
      w[8] = has;
      w[9] = buf;
    },
    exp_approx: expApprox,
  };
}
