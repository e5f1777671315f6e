/**
 * The MLNode API's PoC backend built on `gonka-sdk/poc`: one engine per init request (block hash,
 * public key, params), on the CPU reference backend or WebGPU.
 */
import { binomialUpperTail, createPocEngine, POC_PARAMS_V1, toPocParams, totalParams, type PocParams, type PocParamsWire } from "../poc/index.js";
import { HttpRouteError } from "./http-server.js";
import type { MlNodePocBackend, PowInitRequest } from "./mlnode-api.js";

/** Which engine backend computes distances. */
export type DevnetPocBackendKind = "cpu" | "webgpu";

/** Options of {@link createEnginePocBackend}. */
export interface EnginePocBackendOptions {
  /** Largest model (total parameters) the devnet accepts (default 50 M on the CPU, 400 M on WebGPU). */
  maxParams?: number;
  /** Called when the WebGPU backend is unavailable and the engine falls back to the CPU. */
  onFallback?: (reason: unknown) => void;
}

function paramsOf(init: PowInitRequest): PocParams {
  // the Python MLNode's defaults when `params` is omitted (rest-apis.md §1.6)
  if (!init.params) return { ...POC_PARAMS_V1 };
  try {
    return toPocParams(init.params as unknown as PocParamsWire);
  } catch (e) {
    throw new HttpRouteError(422, { detail: [{ loc: ["body", "params"], msg: e instanceof Error ? e.message : String(e), type: "value_error" }] });
  }
}

/**
 * Creates the PoC backend of the devnet's MLNode from the SDK's PoC engine.
 *
 * @example
 * ```ts
 * const devnet = await startDevnet({ poc: createEnginePocBackend("webgpu", { maxParams: 1e9 }) });
 * ```
 */
export function createEnginePocBackend(kind: DevnetPocBackendKind = "cpu", options: EnginePocBackendOptions = {}): MlNodePocBackend {
  const maxParams = options.maxParams ?? (kind === "cpu" ? 50_000_000 : 400_000_000);
  return {
    checkParams(init) {
      const n = totalParams(paramsOf(init));
      if (n > maxParams) {
        throw new HttpRouteError(400, {
          detail: `params describe a ${n}-parameter model; this devnet MLNode (${kind}) accepts at most ${maxParams}. Send smaller params (see POC_PARAMS presets) or start the devnet with a larger maxParams.`,
        });
      }
    },
    async createWorker(init) {
      const engine = await createPocEngine({
        params: paramsOf(init),
        blockHash: init.block_hash,
        publicKey: init.public_key,
        backend: kind,
        fallbackToCpu: true,
        ...(options.onFallback ? { onFallback: options.onFallback } : {}),
      });
      return {
        distances: async (nonces, publicKey) => Array.from(await engine.distances(nonces, publicKey)),
        close: () => engine.destroy(),
      };
    },
    probabilityHonest: (n, nInvalid) => binomialUpperTail(nInvalid, n),
  };
}
