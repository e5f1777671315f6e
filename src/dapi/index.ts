/**
 * gonka-sdk/dapi — work in progress; see the README's module table for status.
 * @packageDocumentation
 */
export {};
