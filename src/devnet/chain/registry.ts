import type { Registry } from "@bufbuild/protobuf";
import { registry } from "../../proto/index.js";

/** Every generated schema, for decoding `Any`s and proto3 JSON in the devnet chain (the SDK's one registry). */
export const devRegistry: Registry = registry;
