/**
 * The plain-JavaScript twin of the WebAssembly CPU kernels ({@link cpuKernelBytes}): the same
 * exports over the same memory layout, with the same float32 operations in the same order, so
 * it returns bit-identical results. Used where WebAssembly cannot be compiled (a
 * Content-Security-Policy without `'wasm-unsafe-eval'`, or no SIMD support); slower.
 */
import { causalAttention, expF64, rmsNorm, rope, siluGate } from "./kernels.js";
import { PANEL, ROW_BLOCK, type CpuKernelExports } from "./wasm-kernels.js";

const PAGE = 65536;
if (ROW_BLOCK !== 4) throw new Error("js-kernels.ts: the matmul is written for row blocks of 4");

/** A growable memory like `WebAssembly.Memory` (a fresh, larger buffer on growth). */
class JsMemory {
  buffer: ArrayBuffer;
  constructor(pages: number) {
    this.buffer = new ArrayBuffer(pages * PAGE);
  }
  grow(pages: number): number {
    const old = this.buffer.byteLength / PAGE;
    const next = new ArrayBuffer(this.buffer.byteLength + pages * PAGE);
    new Uint8Array(next).set(new Uint8Array(this.buffer));
    this.buffer = next;
    return old;
  }
}

/**
 * A JavaScript instance of the CPU kernels with its own memory (one page, growable).
 *
 * @example
 * ```ts
 * const k = createJsCpuKernels();
 * k.memory.grow(16);
 * k.rmsnorm(x, rows, dim, weight, 1e-5, y); // byte pointers into k.memory.buffer
 * ```
 */
export function createJsCpuKernels(): CpuKernelExports {
  const memory = new JsMemory(1);
  const f32 = (ptr: number, n: number): Float32Array => new Float32Array(memory.buffer, ptr, n);
  const P = PANEL, R = ROW_BLOCK;
  return {
    memory,
    pack_weights(src, k, n, dst) {
      const np = Math.ceil(n / P);
      const s = f32(src, n * k), d = f32(dst, np * k * P);
      let o = 0;
      for (let p = 0; p < np; p++) {
        for (let i = 0; i < k; i++) {
          for (let j = 0; j < P; j++) {
            const row = p * P + j;
            d[o++] = row < n ? s[row * k + i] : 0;
          }
        }
      }
    },
    pack_rows(x, ldx, rows, k, dst) {
      const nb = Math.ceil(rows / R);
      const s = new Float32Array(memory.buffer), d = f32(dst, nb * k * R);
      const x0 = x >> 2;
      let o = 0;
      for (let b = 0; b < nb; b++) {
        for (let i = 0; i < k; i++) {
          for (let r = 0; r < R; r++) {
            const row = b * R + r;
            d[o++] = row < rows ? s[x0 + row * ldx + i] : 0;
          }
        }
      }
    },
    matmul(xp, rows, k, w, n, y, ldy, add, ldadd, p0, p1) {
      const m = new Float32Array(memory.buffer);
      const fr = Math.fround;
      const nb = Math.ceil(rows / R);
      const x0 = xp >> 2, w0 = w >> 2, y0 = y >> 2, a0 = add >> 2;
      const put = (r: number, o: number, v: number): void => {
        m[y0 + r * ldy + o] = add ? v + m[a0 + r * ldadd + o] : v;
      };
      for (let p = p0; p < p1; p++) {
        const wp = w0 + p * k * P, col = p * P;
        const cols = Math.min(P, n - col);
        for (let b = 0; b < nb; b++) {
          const xb = x0 + b * k * R, r0 = b * R;
          const rs = Math.min(R, rows - r0);
          // one float32 accumulator per output, summed in order of i (as the f32x4 lanes do);
          // 4 rows × 2 columns at a time
          for (let j = 0; j < cols; j += 2) {
            let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
            for (let i = 0, wi = wp + j, xi = xb; i < k; i++, wi += P, xi += R) {
              const wv = m[wi], wu = m[wi + 1];
              const x0v = m[xi], x1v = m[xi + 1], x2v = m[xi + 2], x3v = m[xi + 3];
              s0 = fr(s0 + fr(x0v * wv));
              s1 = fr(s1 + fr(x1v * wv));
              s2 = fr(s2 + fr(x2v * wv));
              s3 = fr(s3 + fr(x3v * wv));
              t0 = fr(t0 + fr(x0v * wu));
              t1 = fr(t1 + fr(x1v * wu));
              t2 = fr(t2 + fr(x2v * wu));
              t3 = fr(t3 + fr(x3v * wu));
            }
            const sums = [s0, s1, s2, s3], next = [t0, t1, t2, t3];
            for (let r = 0; r < rs; r++) {
              put(r0 + r, col + j, sums[r]);
              if (j + 1 < cols) put(r0 + r, col + j + 1, next[r]);
            }
          }
        }
      }
    },
    rmsnorm(x, rows, dim, weight, eps, y) {
      rmsNorm(f32(x, rows * dim), rows, dim, f32(weight, dim), eps, f32(y, rows * dim));
    },
    rope(x, rows, heads, headDim, period, pos0, cos, sin) {
      const half = headDim / 2;
      const tables = (period + pos0) * half;
      rope(f32(x, rows * heads * headDim), rows, heads, headDim, period, pos0, f32(cos, tables), f32(sin, tables));
    },
    attention(q, k, v, count, seq, from, nHeads, nKv, headDim, out) {
      const qw = nHeads * headDim, kw = nKv * headDim, qRows = seq - from;
      for (let b = 0; b < count; b++) {
        causalAttention(
          f32(q + 4 * b * qRows * qw, qRows * qw), f32(k + 4 * b * seq * kw, seq * kw), f32(v + 4 * b * seq * kw, seq * kw),
          seq, from, nHeads, nKv, headDim, f32(out + 4 * b * qRows * qw, qRows * qw), expF64,
        );
      }
    },
    silu_gate(a, b, n) {
      siluGate(f32(a, n), f32(b, n), n, expF64);
    },
    exp: expF64,
    gather_last(x, count, seq, width, dst) {
      const d = f32(dst, count * width);
      for (let b = 0; b < count; b++) d.set(f32(x + 4 * ((b + 1) * seq - 1) * width, width), b * width);
    },
  };
}
