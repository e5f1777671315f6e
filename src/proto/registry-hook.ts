import type { Registry } from "@bufbuild/protobuf";
import { InvalidArgumentError } from "../errors.js";

/**
 * The SDK's full type registry, once it is loaded; undefined before (or in an app bundle that
 * never loads it).
 *
 * The registry of every generated schema (`registry` from `gonka-sdk/proto`) is large: about
 * 150 kB of minified descriptors. The signing path (`signTx`, `buildSignDoc`) consults it only for
 * messages given without their schema (proto3 JSON with `"@type"`, `{ typeUrl, value }`, a bare
 * protobuf-es message) and for `google.protobuf.Any` values nested in a message (`MsgExec`,
 * authz grants, proposals). It reaches the registry through this hook rather than by importing it,
 * so that a browser app which signs `txMessage(MsgVoteSchema, …)` messages does not bundle it.
 *
 * The registry marks itself loaded when it is created: always in Node (every entry point that
 * signs loads it), and in a bundle whenever any code the app uses refers to it.
 */
let loaded: Registry | undefined;

/**
 * Marks `registry` as the SDK's loaded type registry and returns it. Called once, by the
 * initializer of `registry` in `./registry.ts` (a pure call: bundlers drop both when the
 * registry is unused).
 *
 * @internal
 */
export function markRegistryLoaded<R extends Registry>(registry: R): R {
  loaded = registry;
  return registry;
}

/**
 * The SDK's type registry if it is loaded in this program, else undefined.
 *
 * @internal
 * @example
 * ```ts
 * const reg = args.registry ?? loadedRegistry();
 * ```
 */
export function loadedRegistry(): Registry | undefined {
  return loaded;
}

/**
 * The error for a message that cannot be handled without a type registry, in a program where
 * none is loaded (a browser bundle that signs only messages given with their schema).
 *
 * @internal
 * @param argument - the argument at fault, e.g. `"messages[0]"`.
 * @param what - what needs the registry, e.g. `"is proto3 JSON (/cosmos.gov.v1.MsgVote)"`.
 */
export function registryNeeded(argument: string, what: string): InvalidArgumentError {
  return new InvalidArgumentError(argument, `${what}; reading it needs the SDK's type registry, which is not loaded in this program`, {
    details:
      "Give the message with its schema: txMessage(MsgVoteSchema, { … }) or { schema, message } " +
      '(import the schema from "gonka-sdk/proto/<path>_pb"). Messages that carry a google.protobuf.Any ' +
      '(MsgExec, grants, proposals) and JSON messages need the registry: import { registry } from "gonka-sdk/proto" ' +
      "and pass it as signTx({ registry, … }).",
  });
}
