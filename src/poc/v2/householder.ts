/**
 * The per-layer structure breaking of PoC v2 (spec §4.2): during the PoC forward pass every decoder
 * layer's output is reflected by `x ← x − 2(v_i·x)v_i`. This computes `v_i`; applying it is the
 * model runner's job (it needs the model).
 */
import { InvalidArgumentError } from "../../errors.js";
import { normF32 } from "./haar.js";
import { normals, seedFromString } from "./random.js";

/** The seed string of layer `layer`'s reflection: `"{blockHash}_layer_{layer}_householder"`. */
export function layerHouseholderSeedString(blockHash: string, layer: number): string {
  return `${blockHash}_layer_${layer}_householder`;
}

/**
 * The unit reflection vector of decoder layer `layer` (0-based global index):
 * `normal(seed, hiddenSize) / ‖·‖₂` in float32. Cast it to the activation dtype (bfloat16 on
 * mainnet, {@link toBfloat16}) before use, as the network does.
 *
 * @example
 * ```ts
 * layerHouseholder({ blockHash, layer: 0, hiddenSize: 4096 }); // Float32Array(4096), ‖v‖ ≈ 1
 * ```
 */
export function layerHouseholder(args: { blockHash: string; layer: number; hiddenSize: number }): Float32Array {
  const { blockHash, layer, hiddenSize } = args;
  if (typeof blockHash !== "string") throw new InvalidArgumentError("blockHash", "expected a string");
  if (!Number.isInteger(layer) || layer < 0) throw new InvalidArgumentError("layer", `must be a non-negative integer, got ${String(layer)}`);
  if (!Number.isInteger(hiddenSize) || hiddenSize < 1) throw new InvalidArgumentError("hiddenSize", `must be a positive integer, got ${String(hiddenSize)}`);
  const v = normals(seedFromString(layerHouseholderSeedString(blockHash, layer)), hiddenSize);
  const n = normF32(v);
  for (let i = 0; i < hiddenSize; i++) v[i] = v[i] / n;
  return v;
}
