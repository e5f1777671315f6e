import type { GonkaErrorOptions } from "../errors.js";
import { UnknownTypeUrlError } from "../proto/errors.js";

/**
 * A message type URL names a message the chain no longer has: a chain upgrade removed it, so a tx
 * carrying it (directly, inside `MsgExec`, or as an authz grant) is refused as a whole.
 *
 * It extends {@link UnknownTypeUrlError} (the SDK has no schema for it either), and adds the
 * release that removed the type and its replacement, when there is one.
 *
 * @example
 * ```ts
 * try { await signTx({ …, messages: [{ "@type": "/inference.inference.MsgSubmitPocValidation", … }] }); }
 * catch (e) {
 *   if (e instanceof RemovedMessageTypeError) console.log(e.removedIn, e.replacedBy);
 *   // "v0.2.12" "/inference.inference.MsgSubmitPocValidationsV2"
 * }
 * ```
 */
export class RemovedMessageTypeError extends UnknownTypeUrlError {
  override name = "RemovedMessageTypeError";
  /** The chain release whose upgrade removed the type, e.g. `"v0.2.12"`. */
  readonly removedIn: string;
  /** The type URL to use instead, when the chain has a replacement. */
  readonly replacedBy: string | undefined;
  constructor(
    typeUrl: string,
    removal: { removedIn: string; replacedBy?: string | undefined; note?: string | undefined },
    argument = "typeUrl",
    options: Omit<GonkaErrorOptions, "details"> = {},
  ) {
    const instead = removal.replacedBy
      ? `Use ${removal.replacedBy} instead.`
      : "The chain has no replacement; drop the message.";
    super(typeUrl, argument, {
      ...options,
      problem: `"${typeUrl}" no longer exists on the chain (removed in ${removal.removedIn})`,
      details: `${typeUrl} was removed from the chain by the ${removal.removedIn} upgrade; the chain refuses a tx that carries it. ${instead}${
        removal.note ? ` (${removal.note})` : ""
      }`,
    });
    this.removedIn = removal.removedIn;
    this.replacedBy = removal.replacedBy;
  }
}
