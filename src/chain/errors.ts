import { GonkaError, InvalidArgumentError, type GonkaErrorOptions } from "../errors.js";

/**
 * A mnemonic phrase is malformed: wrong length, a word outside the BIP-39 English wordlist, or a
 * bad checksum. The message names the problem and the word position, never the words.
 */
export class InvalidMnemonicError extends InvalidArgumentError {
  override name = "InvalidMnemonicError";
  /** Which check failed. */
  readonly reason: "length" | "word" | "checksum";
  constructor(reason: "length" | "word" | "checksum", problem: string, options: GonkaErrorOptions = {}) {
    super("mnemonic", problem, options);
    this.reason = reason;
  }
}

/** A private key is malformed (wrong length, not hex, zero or above the curve order). */
export class InvalidPrivateKeyError extends InvalidArgumentError {
  override name = "InvalidPrivateKeyError";
  constructor(problem: string, options: GonkaErrorOptions = {}) {
    super("privateKey", problem, options);
  }
}

/** A bech32 address is malformed: bad checksum, wrong prefix or wrong length. */
export class InvalidAddressError extends InvalidArgumentError {
  override name = "InvalidAddressError";
  constructor(argument: string, problem: string, options: GonkaErrorOptions = {}) {
    super(argument, problem, options);
  }
}

/** A message type URL has no schema in the SDK's registry: the one class of `gonka-sdk/proto`. */
export { UnknownTypeUrlError } from "../proto/errors.js";

/** Fields common to errors that carry an ABCI result. */
export interface ChainTxErrorInit {
  /** ABCI code (non-zero). */
  code: number;
  /** ABCI codespace, e.g. `"sdk"`. */
  codespace: string;
  /** The node's raw log. */
  log: string;
  /** Tx hash (upper-case hex), when known. */
  txHash?: string;
  /** Block height, when the tx was included. */
  height?: bigint;
}

/**
 * The chain rejected a transaction (CheckTx or DeliverTx returned a non-zero code). Subclasses
 * name the common cases; match on `code`/`codespace` for the rest.
 *
 * @example
 * ```ts
 * try { await chain.vote(wallet, { proposalId: 2n, option: "yes" }); }
 * catch (e) { if (e instanceof ChainTxError) console.log(e.codespace, e.code, e.log); }
 * ```
 */
export class ChainTxError extends GonkaError {
  override name = "ChainTxError";
  /** ABCI code (non-zero). */
  readonly code: number;
  /** ABCI codespace, e.g. `"sdk"`. */
  readonly codespace: string;
  /** The node's raw log. */
  readonly log: string;
  /** Tx hash (upper-case hex), when known. */
  readonly txHash?: string;
  /** Block height, when the tx was included. */
  readonly height?: bigint;
  constructor(init: ChainTxErrorInit, options: GonkaErrorOptions = {}) {
    super(`Transaction failed with ${init.codespace || "?"} code ${init.code}: ${firstLine(init.log)}`, {
      ...options,
      metaMessages: [
        ...(init.txHash ? [`tx hash: ${init.txHash}`] : []),
        ...(init.height !== undefined ? [`height: ${init.height}`] : []),
        ...(options.metaMessages ?? []),
      ],
    });
    this.code = init.code;
    this.codespace = init.codespace;
    this.log = init.log;
    if (init.txHash !== undefined) this.txHash = init.txHash;
    if (init.height !== undefined) this.height = init.height;
  }
}

/** `sdk` code 11: the gas limit was too low. */
export class OutOfGasError extends ChainTxError {
  override name = "OutOfGasError";
}
/** `sdk` code 32: the account sequence in the tx does not match the chain's. */
export class SequenceMismatchError extends ChainTxError {
  override name = "SequenceMismatchError";
  /** The sequence the chain expected, parsed from the log when present. */
  readonly expected?: bigint;
  constructor(init: ChainTxErrorInit, options: GonkaErrorOptions = {}) {
    super(init, options);
    const m = /expected (\d+)/.exec(init.log);
    if (m?.[1] !== undefined) this.expected = BigInt(m[1]);
  }
}
/** `sdk` code 4: signature verification failed or the signer lacks authorization. */
export class UnauthorizedError extends ChainTxError {
  override name = "UnauthorizedError";
}
/** `sdk` code 5: the account cannot pay the amount. */
export class InsufficientFundsError extends ChainTxError {
  override name = "InsufficientFundsError";
}

/** Builds the most specific {@link ChainTxError} subclass for an ABCI result. */
export function chainTxError(init: ChainTxErrorInit, options: GonkaErrorOptions = {}): ChainTxError {
  if (init.codespace === "sdk") {
    switch (init.code) {
      case 11:
        return new OutOfGasError(init, options);
      case 32:
        return new SequenceMismatchError(init, options);
      case 4:
        return new UnauthorizedError(init, options);
      case 5:
        return new InsufficientFundsError(init, options);
    }
  }
  return new ChainTxError(init, options);
}

/** A node answered, but not in the shape the protocol requires (bad JSON, missing fields). */
export class MalformedResponseError extends GonkaError {
  override name = "MalformedResponseError";
  /** The endpoint that answered. */
  readonly endpoint: string;
  constructor(endpoint: string, problem: string, options: GonkaErrorOptions = {}) {
    super(`Malformed response from ${endpoint}: ${problem}`, options);
    this.endpoint = endpoint;
  }
}

/** A node could not be reached or returned an HTTP/gRPC error that is not a tx result. */
export class NodeRequestError extends GonkaError {
  override name = "NodeRequestError";
  /** The endpoint that was called. */
  readonly endpoint: string;
  /** HTTP status, when the request got that far. */
  readonly status?: number;
  /** gRPC / Cosmos error code from the body, when present. */
  readonly code?: number;
  /** The node's own error text. */
  readonly serverMessage: string;
  constructor(
    endpoint: string,
    problem: string,
    init: { status?: number; code?: number } = {},
    options: GonkaErrorOptions = {},
  ) {
    super(`Request to ${endpoint} failed: ${problem}`, options);
    this.endpoint = endpoint;
    this.serverMessage = problem;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
  }
}

function firstLine(s: string): string {
  const line = s.split("\n")[0] ?? "";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** The chain has no account at this address (it never received funds, so it cannot sign). */
export class AccountNotFoundError extends GonkaError {
  override name = "AccountNotFoundError";
  /** The address. */
  readonly address: string;
  constructor(address: string, options: GonkaErrorOptions = {}) {
    super(`Account ${address} does not exist on chain`, {
      details: "An account exists once it has received funds; send it some ngonka first.",
      ...options,
    });
    this.address = address;
  }
}
