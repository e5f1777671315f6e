/**
 * gonka-sdk — the TypeScript SDK for the Gonka network.
 * @packageDocumentation
 */
export * from "./errors.js";
