/**
 * The MLNode API's PoC backend built on `gonka-sdk/poc` (CPU reference or WebGPU).
 */
import { UnsupportedError } from "../errors.js";
import type { MlNodePocBackend } from "./mlnode-api.js";

/** Which engine backend computes distances. */
export type DevnetPocBackendKind = "cpu" | "webgpu";

/** Creates the PoC backend of the devnet's MLNode from the SDK's PoC engine. */
export function createEnginePocBackend(kind: DevnetPocBackendKind = "cpu"): MlNodePocBackend {
  return {
    createWorker: async () => {
      throw new UnsupportedError(`the ${kind} PoC engine is not available in this build`);
    },
    probabilityHonest: () => 1,
  };
}
