/**
 * Fields that upgrades added to message types that already existed (spec chain-upgrades §1, §2.3,
 * §2.5): a node on an older release refuses a message that sets one (the SDK 0.53 decoder rejects
 * unknown fields inside tx messages), so the SDK checks them before signing like message types.
 *
 * @example
 * ```ts
 * fieldsAddedAfter("/inference.inference.MsgValidation", "v0.2.7"); // [{ field: "value_decimal", addedIn: "v0.2.8" }]
 * ```
 * @module
 */
import { compareReleases, type ReleaseName } from "./releases.js";

/** One field an upgrade added to an existing message type. */
export interface MessageFieldHistory {
  /** The message's type URL. */
  readonly typeUrl: string;
  /** The field's proto name. */
  readonly field: string;
  /** The release that added it. */
  readonly addedIn: ReleaseName;
}

const I = "/inference.inference.";

/** The fields upgrades added to message types that existed before them. */
export const MESSAGE_FIELD_HISTORY: readonly MessageFieldHistory[] = Object.freeze([
  { typeUrl: `${I}MsgInvalidateInference`, field: "invalidator", addedIn: "v0.2.4" },
  { typeUrl: `${I}MsgRevalidateInference`, field: "invalidator", addedIn: "v0.2.4" },
  { typeUrl: `${I}MsgStartInference`, field: "original_prompt_hash", addedIn: "v0.2.6" },
  { typeUrl: `${I}MsgFinishInference`, field: "prompt_hash", addedIn: "v0.2.6" },
  { typeUrl: `${I}MsgFinishInference`, field: "original_prompt_hash", addedIn: "v0.2.6" },
  { typeUrl: `${I}MsgValidation`, field: "value_decimal", addedIn: "v0.2.8" },
  { typeUrl: `${I}MsgPoCV2StoreCommit`, field: "entries", addedIn: "v0.2.12" },
  { typeUrl: `${I}MsgMLNodeWeightDistribution`, field: "entries", addedIn: "v0.2.12" },
  { typeUrl: `${I}MsgRequestBridgeWithdrawal`, field: "destination_bridge_address", addedIn: "v0.2.12" },
  { typeUrl: `${I}MsgRequestBridgeMint`, field: "destination_bridge_address", addedIn: "v0.2.12" },
  { typeUrl: "/inference.bls.MsgSubmitVerificationVector", field: "dealer_complaints", addedIn: "v0.2.12" },
  { typeUrl: "/inference.bls.MsgSubmitVerificationVector", field: "dealer_validity_proofs", addedIn: "v0.2.12" },
] satisfies MessageFieldHistory[]);

/** The fields of `typeUrl` that releases after `release` added (none for types not listed). */
export function fieldsAddedAfter(typeUrl: string, release: ReleaseName): MessageFieldHistory[] {
  return MESSAGE_FIELD_HISTORY.filter((h) => h.typeUrl === typeUrl && compareReleases(h.addedIn, release) > 0);
}
