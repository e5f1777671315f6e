/**
 * gonka-sdk/inference/node — the Node-only parts of `gonka-sdk/inference`: a local gateway that
 * lets browser apps send signed inference requests past a stock node's CORS settings, and
 * `createLocalTransferAgent`, a transfer agent on loopback for tests and demos.
 * `gonka-sdk/inference` itself never imports this module, so browser bundles stay free of
 * `node:http`.
 *
 * @example
 * ```ts
 * import { startInferenceGateway } from "gonka-sdk/inference/node";
 * const gateway = await startInferenceGateway({
 *   upstream: "http://node2.gonka.ai:8000",
 *   allowedOrigins: ["http://127.0.0.1:5173"],
 * });
 * console.log(gateway.url); // http://127.0.0.1:8787
 * ```
 * @packageDocumentation
 */
export {
  startInferenceGateway,
  GATEWAY_DEFAULT_ROUTES,
  GATEWAY_DEFAULT_MAX_REQUEST_BYTES,
  GATEWAY_FORWARDED_HEADERS,
  type InferenceGateway,
  type InferenceGatewayOptions,
  type GatewayRequestInfo,
} from "./gateway.js";
export {
  createLocalTransferAgent,
  type LocalTransferAgent,
  type LocalTransferAgentOptions,
  type LocalTransferAgentRequest,
  type LocalVerifyArgs,
} from "./local-transfer-agent.js";
