/**
 * Checks a transaction's message types against the release a node runs, before anything is
 * signed: a type the release does not have yet (or no longer has) is refused by the node as a
 * whole, so the SDK refuses it first, with a typed error that names the release that added it.
 *
 * @example
 * ```ts
 * assertMessageTypesAvailable([{ typeUrl: "/inference.inference.MsgSetPoCDelegation", where: "messages[0]" }], "v0.2.11");
 * // throws MessageTypeNotInReleaseError: added in v0.2.12
 * ```
 * @module
 */
import { GonkaError, type GonkaErrorOptions } from "../errors.js";
import { TARGET_RELEASE, messageTypeAvailability, type ReleaseName } from "./releases.js";
import { fieldsAddedAfter } from "./fields.js";

/**
 * A message type that the connected node's release does not have: it was added by a later
 * upgrade, or removed by this one or an earlier one. Raised before signing.
 *
 * @example
 * ```ts
 * try { await chain.setPoCDelegation(cold, { modelId, delegateTo }); }
 * catch (e) { if (e instanceof MessageTypeNotInReleaseError) console.log(e.typeUrl, e.release, e.addedIn); }
 * ```
 */
export class MessageTypeNotInReleaseError extends GonkaError {
  override name = "MessageTypeNotInReleaseError";
  /** The type URL. */
  readonly typeUrl: string;
  /** The node's release. */
  readonly release: ReleaseName;
  /** Where in the tx it sits, e.g. `messages[0].msgs[1]` or `messages[2].grant.authorization.msg`. */
  readonly where: string;
  /** The release that added the type, when the node is older than that. */
  readonly addedIn: ReleaseName | undefined;
  /** The release that removed the type, when it is gone. */
  readonly removedIn: ReleaseName | undefined;
  /** The field, when it is a field (not the type) that the release does not have yet. */
  readonly field: string | undefined;
  constructor(
    init: { typeUrl: string; release: ReleaseName; where: string; addedIn?: ReleaseName; removedIn?: ReleaseName; replacedBy?: string; field?: string },
    options: GonkaErrorOptions = {},
  ) {
    const why = init.field
      ? `sets field ${init.field}, which ${init.addedIn} added, but the node runs ${init.release}`
      : init.addedIn
      ? `was added in ${init.addedIn}, but the node runs ${init.release}`
      : `was removed in ${init.removedIn}, and the node runs ${init.release}`;
    super(`${init.where}: ${init.typeUrl} ${why}`, {
      details: init.addedIn
        ? `The node refuses a tx that carries it. Use a node that runs ${init.addedIn} or later (gonka-sdk targets ${TARGET_RELEASE}), or drop the message.`
        : `The node refuses a tx that carries it.${init.replacedBy ? ` Use ${init.replacedBy} instead.` : ""}`,
      ...options,
    });
    this.typeUrl = init.typeUrl;
    this.release = init.release;
    this.where = init.where;
    this.addedIn = init.addedIn;
    this.removedIn = init.removedIn;
    this.field = init.field;
  }
}

/**
 * The node's release could not be determined (its version string names none and its params did
 * not tell one), so message types cannot be checked. Raised before signing, unless the client
 * allows unknown releases.
 */
export class UnknownNetworkReleaseError extends GonkaError {
  override name = "UnknownNetworkReleaseError";
  /** The application version the node reported ("" when it reported none). */
  readonly appVersion: string;
  constructor(appVersion: string, options: GonkaErrorOptions = {}) {
    super(`Cannot tell which Gonka release the node runs (application version "${appVersion}")`, {
      details:
        "gonka-sdk checks each message type against the node's release before signing. Pass assumeRelease: \"v0.2.13\" (the release you know the node runs) " +
        "or allowUnknownRelease: true (send unchecked) to createChainClient, or releaseCheck: false to skip the check.",
      ...options,
    });
    this.appVersion = appVersion;
  }
}

/** A type URL in a tx, with where it sits (for the error message). */
export interface TxTypeUrl {
  /** The type URL. */
  readonly typeUrl: string;
  /** Where it sits, e.g. `messages[0].msgs[1]`. */
  readonly where: string;
  /** For a message (not a granted type): the proto names of the fields it sets. */
  readonly setFields?: readonly string[];
}

/**
 * Throws {@link MessageTypeNotInReleaseError} for the first type URL that `release` does not have,
 * then for the first set field that a later release added to an existing type
 * (`MESSAGE_FIELD_HISTORY` of `./fields.ts`). Types the release table does not track (Cosmos SDK modules) pass.
 */
export function assertMessageTypesAvailable(typeUrls: readonly TxTypeUrl[], release: ReleaseName): void {
  for (const { typeUrl, where } of typeUrls) {
    const a = messageTypeAvailability(typeUrl, release);
    if (a.status === "not-yet-added") throw new MessageTypeNotInReleaseError({ typeUrl, release, where, addedIn: a.addedIn });
    if (a.status === "removed") {
      throw new MessageTypeNotInReleaseError({ typeUrl, release, where, removedIn: a.removedIn, ...(a.replacedBy ? { replacedBy: a.replacedBy } : {}) });
    }
  }
  for (const { typeUrl, where, setFields } of typeUrls) {
    if (!setFields?.length) continue;
    for (const h of fieldsAddedAfter(typeUrl, release)) {
      if (setFields.includes(h.field)) throw new MessageTypeNotInReleaseError({ typeUrl, release, where: `${where}.${h.field}`, addedIn: h.addedIn, field: h.field });
    }
  }
}
