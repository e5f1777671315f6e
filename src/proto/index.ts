/**
 * gonka-sdk/proto — generated protobuf schemas and the type-URL registry.
 * @packageDocumentation
 */
export {};
