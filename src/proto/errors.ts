import { InvalidArgumentError, type GonkaErrorOptions } from "../errors.js";

/**
 * A type URL names no message type that gonka-sdk knows.
 *
 * Thrown by {@link schemaForTypeUrl}, `messageFromJson` and `anyUnpack`. The URL is kept in
 * `typeUrl`; type URLs are public names, never secrets.
 *
 * @example
 * ```ts
 * try { schemaForTypeUrl("/inference.inference.MsgTypo"); }
 * catch (e) { if (e instanceof UnknownTypeUrlError) console.log(e.typeUrl); }
 * ```
 */
export class UnknownTypeUrlError extends InvalidArgumentError {
  override name = "UnknownTypeUrlError";
  /** The type URL that was looked up, e.g. `"/inference.inference.MsgTypo"`. */
  readonly typeUrl: string;
  constructor(typeUrl: string, argument = "typeUrl", options: GonkaErrorOptions & { problem?: string } = {}) {
    super(argument, options.problem ?? `unknown type URL "${typeUrl}"`, {
      details:
        options.details ??
        'Check the spelling (Cosmos type URLs look like "/cosmos.gov.v1.MsgVote"). ' +
          "If the message type is new on the chain, add its .proto file under proto/ and run `npm run generate`.",
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
      ...(options.metaMessages !== undefined ? { metaMessages: options.metaMessages } : {}),
    });
    this.typeUrl = typeUrl;
  }
}
