/**
 * gonka-sdk/mlnode/node — the Node-only parts of `gonka-sdk/mlnode`: `createPocCallbackServer`,
 * an HTTP server that receives an MLNode's PoC callbacks. `gonka-sdk/mlnode` itself never imports
 * this module, so browser bundles stay free of `node:http`; in other runtimes serve
 * `createPocCallbackHandler` from `gonka-sdk/mlnode` with your own web server.
 *
 * @example
 * ```ts
 * import { createPocCallbackServer } from "gonka-sdk/mlnode/node";
 * const callbacks = await createPocCallbackServer({ onGenerated: (batch) => console.log(batch) });
 * console.log(callbacks.url); // hand this to the MLNode as the callback URL
 * ```
 * @packageDocumentation
 */
export { createPocCallbackServer, type PocCallbackServer, type PocCallbackServerOptions } from "./callback-server.js";
