/**
 * The PoC model's shape: hyper-parameters, presets (the network's V1 and V2), parameter layout in
 * registration order, and weight initialisation from the random pool (poc.md §2).
 *
 * @example
 * ```ts
 * import { POC_PARAMS_V2, parameterLayout, initWeights } from "gonka-sdk/poc";
 * const layout = parameterLayout(POC_PARAMS_V2);
 * ```
 * @packageDocumentation
 */
export {
  checkPocParams,
  ffnHiddenDim,
  headDim,
  pocParamsFromWire,
  pocParamsToWire,
  toPocParams,
  type PocParams,
  type PocParamsWire,
} from "./params.js";
export { POC_PARAMS_V1, POC_PARAMS_V2, POC_PARAMS_TESTNET } from "./presets.js";
export { parameterLayout, poolSize, totalParams, type ParameterInfo } from "./layout.js";
export {
  fillFromPool,
  generateWeightPool,
  initWeights,
  weightPlacement,
  WEIGHT_STD,
  type PlacedParameter,
  type PocWeights,
  type WeightPlacement,
} from "./init.js";
