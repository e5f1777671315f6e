/**
 * Errors of the WebGPU backend beyond the engine's (`../../errors.ts`).
 */
import { UnsupportedError } from "../../../errors.js";
import { DAWN_SUBGROUP_MATRIX_TOGGLES, SUBGROUP_MATRIX_FEATURE } from "./gpu.js";

/**
 * A kernel was asked for (through `tuning`) that needs an adapter feature the device does not
 * have — e.g. `tuning: { kernel: "subgroup-matrix" }` without `chromium-experimental-subgroup-matrix`
 * and an f16×f16→f32 configuration, or float16 activations without `shader-f16`.
 */
export class GpuFeatureUnavailableError extends UnsupportedError {
  override name = "GpuFeatureUnavailableError";
  /** The missing WebGPU feature. */
  readonly feature: string;
  constructor(feature: string, forWhat: string) {
    const details = feature === SUBGROUP_MATRIX_FEATURE
      ? `It needs the adapter features "${SUBGROUP_MATRIX_FEATURE}" (with an f16×f16→f32 configuration), "subgroups" and "shader-f16". ` +
        `In Node with the \`webgpu\` package on NVIDIA, pass webgpu: { dawnToggles: [${DAWN_SUBGROUP_MATRIX_TOGGLES.map((t) => `"${t}"`).join(", ")}] }; ` +
        'in Chromium the feature is experimental (enable-unsafe-webgpu). Otherwise use kernel "tiled" or leave the kernel to the default.'
      : `Use an adapter with "${feature}", or leave the kernel and activations to their defaults.`;
    super(`The adapter lacks "${feature}", needed for ${forWhat}`, { details });
    this.feature = feature;
  }
}
