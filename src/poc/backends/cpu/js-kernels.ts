/**
 * The plain-JavaScript twin of the WebAssembly CPU kernels ({@link cpuKernelBytes}): the same
 * exports over the same memory layout, with the same float32 operations in the same order, so
 * it returns bit-identical results. Used where WebAssembly cannot be compiled (a
 * Content-Security-Policy without `'wasm-unsafe-eval'`, or no SIMD support); slower.
 */
import { causalAttention, rmsNorm, rope, siluGate } from "./kernels.js";
import { PANEL, ROW_BLOCK, type CpuKernelExports } from "./wasm-kernels.js";

const PAGE = 65536;

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
      const acc = new Float32Array(R * P); // float32 storage rounds every sum as f32x4.add does
      const nb = Math.ceil(rows / R);
      const x0 = xp >> 2, w0 = w >> 2, y0 = y >> 2, a0 = add >> 2;
      for (let p = p0; p < p1; p++) {
        const wp = w0 + p * k * P, col = p * P;
        const cols = Math.min(P, n - col);
        for (let b = 0; b < nb; b++) {
          const xb = x0 + b * k * R;
          const r0 = b * R;
          const rs = Math.min(R, rows - r0);
          acc.fill(0);
          for (let i = 0; i < k; i++) {
            const wi = wp + i * P, xi = xb + i * R;
            for (let r = 0; r < rs; r++) {
              const xv = m[xi + r];
              const ar = r * P;
              for (let j = 0; j < cols; j++) acc[ar + j] += Math.fround(xv * m[wi + j]);
            }
          }
          for (let r = 0; r < rs; r++) {
            for (let j = 0; j < cols; j++) {
              const v = acc[r * P + j];
              m[y0 + (r0 + r) * ldy + col + j] = add ? v + m[a0 + (r0 + r) * ldadd + col + j] : v;
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
          seq, from, nHeads, nKv, headDim, f32(out + 4 * b * qRows * qw, qRows * qw),
        );
      }
    },
    silu_gate(a, b, n) {
      siluGate(f32(a, n), f32(b, n), n);
    },
    gather_last(x, count, seq, width, dst) {
      const d = f32(dst, count * width);
      for (let b = 0; b < count; b++) d.set(f32(x + 4 * ((b + 1) * seq - 1) * width, width), b * width);
    },
  };
}
