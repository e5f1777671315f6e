const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * IEEE binary16 bits of a number rounded first to float32 and then to float16 (round to nearest,
 * ties to even at each step) — the double rounding of numpy `.astype(float32)` then torch
 * `.to(float16)`.
 *
 * @example
 * ```ts
 * toFloat16Bits(1); // 0x3c00
 * ```
 */
export function toFloat16Bits(x: number): number {
  f32[0] = x;
  let b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  b &= 0x7fffffff;
  if (b >= 0x47800000) return sign | (b > 0x7f800000 ? 0x7e00 : 0x7c00);
  if (b < 113 << 23) {
    // subnormal or zero: let float32 addition do the rounding
    u32[0] = b;
    f32[0] += 0.5;
    return sign | (u32[0] - 0x3f000000);
  }
  const odd = (b >>> 13) & 1;
  return sign | ((b + ((15 - 127) << 23) + 0xfff + odd) >>> 13);
}

/**
 * The number an IEEE binary16 bit pattern stands for (exact).
 *
 * @example
 * ```ts
 * float16BitsToNumber(0x3c00); // 1
 * ```
 */
export function float16BitsToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1024 + mant) * 2 ** (exp - 25);
}

/** Converts a whole array of float16 bit patterns to a Float32Array (exact). */
export function float16ArrayToFloat32(bits: Uint16Array): Float32Array {
  const table = float16Table();
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]];
  return out;
}

let table: Float32Array | undefined;
function float16Table(): Float32Array {
  if (!table) {
    table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) table[h] = float16BitsToNumber(h);
  }
  return table;
}
