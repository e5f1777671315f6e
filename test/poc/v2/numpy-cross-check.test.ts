/**
 * Whole-tensor cross-check of pocInputs against an independent numpy implementation written from
 * the spec (bench/pocv2_reference.py), at the three mainnet shapes and both RNG variants. The golden
 * vectors only hold 40 values per full-size tensor (their sha256 are CUDA's bits); this compares every
 * element: float32 within 1e-6 and bfloat16 casts equal except for one-unit flips in ≤ 1e-4 of
 * elements. Needs python3 with numpy and several seconds per tensor: GONKA_LONG=1.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pocInputs, toBfloat16 } from "../../../src/poc/v2/index.js";
import { ulps16, V } from "./fixtures.js";

function numpyAvailable(): boolean {
  try {
    execFileSync("python3", ["-c", "import numpy"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const script = join(import.meta.dirname, "..", "..", "..", "bench", "pocv2_reference.py");

describe.skipIf(!process.env.GONKA_LONG || !numpyAvailable())("pocInputs = numpy reference on every element (GONKA_LONG)", () => {
  const big = V.torch.inputs.filter((c: { seq_len: number }) => c.seq_len === 1024);
  for (const c of big) {
    it(`${c.case} ${c.variant} nonce ${c.nonce} (${c.seq_len}×${c.dim})`, () => {
      const stronger = c.variant === "concat_murmur";
      const args = [script, "--inputs", c.block_hash, c.public_key, String(c.nonce), String(c.seq_len), String(c.dim), ...(stronger ? ["--stronger"] : [])];
      const raw = execFileSync("python3", args, { maxBuffer: 64 << 20 });
      const np = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
      const ours = pocInputs({ blockHash: c.block_hash, publicKey: c.public_key, nonce: c.nonce, seqLen: c.seq_len, hiddenSize: c.dim, strongerRng: stronger });
      expect(np.length).toBe(ours.length);
      let maxAbs = 0;
      for (let i = 0; i < ours.length; i++) maxAbs = Math.max(maxAbs, Math.abs(ours[i] - np[i]));
      expect(maxAbs).toBeLessThanOrEqual(1e-6);
      const a = toBfloat16(ours);
      const b = toBfloat16(np);
      let flips = 0;
      for (let i = 0; i < a.length; i++) {
        if (a[i] !== b[i]) {
          flips++;
          expect(ulps16(a[i], b[i])).toBe(1);
        }
      }
      expect(flips / a.length).toBeLessThanOrEqual(1e-4);
    }, 120_000);
  }
});
