import { createRegistry, type Registry } from "@bufbuild/protobuf";
import { file_google_protobuf_any, file_google_protobuf_duration, file_google_protobuf_timestamp } from "@bufbuild/protobuf/wkt";
import { allFiles } from "../../../generated/proto/index.js";

/** Every generated schema, for decoding `Any`s and proto3 JSON in the devnet chain. */
export const devRegistry: Registry = createRegistry(
  file_google_protobuf_any,
  file_google_protobuf_duration,
  file_google_protobuf_timestamp,
  ...allFiles,
);
