/**
 * numpy-compatible randomness for the Proof-of-Compute: SeedSequence, PCG64, the double ziggurat
 * normal sampler, permutations, and the network's derived quantities (inputs, permutations,
 * target). Bit-for-bit equal to numpy's `Generator(PCG64(SeedSequence(...)))`.
 *
 * @example
 * ```ts
 * import { rngFromSeed, pocInputs } from "gonka-sdk/poc";
 * const z = rngFromSeed("seed", 4).standardNormal(1024);
 * const x = pocInputs(blockHash, publicKey, 7n, 256, 1792); // Uint16Array of float16 bits
 * ```
 * @packageDocumentation
 */
export { RngSeedError, RngSizeError } from "./errors.js";
export { MAX_ARRAY_LENGTH, MAX_ALLOCATION_BYTES } from "./checks.js";
export { seedEntropy, SeedSequence } from "./seed-sequence.js";
export { Pcg64, xslRr, type Pcg64State } from "./pcg64.js";
export { Generator, rngFromSeed } from "./generator.js";
export { rngBackendInfo, type RngBackendInfo } from "./kernel.js";
export { toFloat16Bits, float16BitsToNumber, float16ArrayToFloat32 } from "./float16.js";
export { ZIGGURAT_R, ZIGGURAT_INV_R, ZIGGURAT_KI, ZIGGURAT_WI, ZIGGURAT_FI } from "./ziggurat-tables.js";
export {
  pocInputs,
  pocInputsBatch,
  pocInputsFloat32,
  pocPermutation,
  pocTarget,
  pocInputsSeed,
  pocPermutationSeed,
  pocTargetSeed,
  pairwiseSum,
  type Nonce,
} from "./derived.js";
