import type { Registry } from "@bufbuild/protobuf";
import { InvalidArgumentError } from "../errors.js";

/**
 * What reading a message without its schema needs: a registry to find schemas by name, and the
 * check that refuses message types a chain upgrade removed (`assertNotRemoved` from
 * `gonka-sdk/proto`).
 *
 * @internal
 */
export interface TypeLookup {
  /** Finds message schemas by full name. */
  readonly registry: Registry;
  /** Throws `RemovedMessageTypeError` when `typeUrl` names a removed message type. */
  assertNotRemoved(typeUrl: string, argument?: string): void;
}

/**
 * The SDK's full type registry and removed-type check, once the registry is loaded; undefined
 * before (or in an app bundle that never loads it).
 *
 * The registry of every generated schema (`registry` from `gonka-sdk/proto`) is large: about
 * 140 kB minified (35 kB gzip) of descriptors. The signing path (`signTx`, `buildSignDoc`) consults it only for
 * messages given without their schema (proto3 JSON with `"@type"`, `{ typeUrl, value }`, a bare
 * protobuf-es message) and for `google.protobuf.Any` values nested in a message (`MsgExec`,
 * authz grants, proposals). It reaches the registry through this hook rather than by importing it,
 * so that a browser app which signs `txMessage(MsgVoteSchema, …)` messages does not bundle it
 * (nor the table of removed message types).
 *
 * The registry marks itself loaded when it is created: always in Node (every entry point that
 * signs loads it), and in a bundle whenever any code the app uses refers to it.
 */
let loaded: TypeLookup | undefined;

/**
 * Records `registry` (with the removed-type check) as the SDK's loaded type lookup and returns
 * the registry. Called once, by the initializer of `registry` in `./registry.ts` (a pure call:
 * bundlers drop both when the registry is unused).
 *
 * @internal
 */
export function markRegistryLoaded<R extends Registry>(registry: R, assertNotRemoved: TypeLookup["assertNotRemoved"]): R {
  loaded = { registry, assertNotRemoved };
  return registry;
}

/**
 * The SDK's type lookup if its registry is loaded in this program, else undefined.
 *
 * @internal
 */
export function loadedTypes(): TypeLookup | undefined {
  return loaded;
}

/**
 * The type lookup the signing path uses: `registry` when given (with the SDK's removed-type check
 * when the SDK's registry is loaded, else a check that refuses every type URL it is asked about,
 * saying why), else the SDK's when loaded, else undefined.
 *
 * @internal
 */
export function typeLookupFor(registry: Registry | undefined): TypeLookup | undefined {
  if (registry === undefined) return loaded;
  if (loaded?.registry === registry) return loaded;
  return {
    registry,
    assertNotRemoved:
      loaded?.assertNotRemoved ??
      ((typeUrl: string, argument = "typeUrl") => {
        throw registryNeeded(argument, `names ${typeUrl} inside a message`);
      }),
  };
}

/**
 * The error for a message that cannot be handled without the SDK's type registry, in a program
 * where it is not loaded (a browser bundle that signs only messages given with their schema).
 *
 * @internal
 * @param argument - the argument at fault, e.g. `"messages[0]"`.
 * @param what - what needs the registry, e.g. `"is proto3 JSON (/cosmos.gov.v1.MsgVote)"`.
 * @param typeName - the message's type (`/cosmos.gov.v1.MsgVote` or `cosmos.gov.v1.MsgVote`), to
 *   name its schema in the advice.
 */
export function registryNeeded(argument: string, what: string, typeName?: string): InvalidArgumentError {
  const short = typeName?.replace(/^\//, "").split(".").pop();
  const schema = short && /^[A-Za-z_]\w*$/.test(short) ? `${short}Schema` : "MsgVoteSchema";
  return new InvalidArgumentError(argument, `${what}; reading it needs the SDK's type registry, which is not loaded in this program`, {
    details:
      `Give the message with its schema: txMessage(${schema}, { … }) or { schema, message } ` +
      '(import the schema from "gonka-sdk/proto/<path>_pb"). Messages that carry a google.protobuf.Any ' +
      '(MsgExec, grants, proposals) and JSON messages need the registry: import { registry } from "gonka-sdk/proto" ' +
      "and pass it as signTx({ registry, … }).",
  });
}
