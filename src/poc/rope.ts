/**
 * Rotary position embedding tables, computed as the reference does: float32 frequencies
 * `1 / theta^(2i/head_dim)`, optional Llama-3.1 scaling, angles `pos * freq` in float32.
 */
import type { PocShape } from "./shape.js";

const f = Math.fround;

/** Llama-3.1 frequency scaling (factor 8, low 1, high 4, original context 8192). */
function scaleFrequency(freq: number): number {
  const scaleFactor = 8;
  const lowFreqFactor = 1;
  const highFreqFactor = 4;
  const oldContext = 8192;
  const lowFreqWavelen = oldContext / lowFreqFactor;
  const highFreqWavelen = oldContext / highFreqFactor;
  const wavelen = f((2 * Math.PI) / freq);
  if (wavelen < highFreqWavelen) return freq;
  if (wavelen > lowFreqWavelen) return f(freq / scaleFactor);
  const smooth = f((oldContext / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor));
  return f((1 - smooth) * (freq / scaleFactor) + smooth * freq);
}

/** Per-pair RoPE frequencies (`head_dim / 2` float32 values). */
export function ropeFrequencies(headDim: number, theta: number, scaled: boolean): Float32Array {
  const half = headDim / 2;
  const out = new Float32Array(half);
  for (let i = 0; i < half; i++) {
    const exponent = f((2 * i) / headDim);
    const freq = f(1 / f(Math.pow(theta, exponent)));
    out[i] = scaled ? scaleFrequency(freq) : freq;
  }
  return out;
}

/**
 * Cosine and sine tables `[seq_len, head_dim/2]` (row-major) for positions `0..seq_len-1`.
 *
 * @example const { cos, sin } = ropeTables(shape); // cos[pos * hd/2 + i]
 */
export function ropeTables(shape: PocShape): { cos: Float32Array; sin: Float32Array } {
  const half = shape.headDim / 2;
  const freqs = ropeFrequencies(shape.headDim, shape.params.rope_theta, shape.params.use_scaled_rope);
  const cos = new Float32Array(shape.seqLen * half);
  const sin = new Float32Array(shape.seqLen * half);
  for (let p = 0; p < shape.seqLen; p++) {
    for (let i = 0; i < half; i++) {
      const angle = f(p * freqs[i]);
      cos[p * half + i] = Math.cos(angle);
      sin[p * half + i] = Math.sin(angle);
    }
  }
  return { cos, sin };
}
