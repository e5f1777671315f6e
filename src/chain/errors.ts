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
  constructor(init: ChainTxErrorInit, options: GonkaErrorOptions & { shortMessage?: string } = {}) {
    const { shortMessage, ...rest } = options;
    super(shortMessage ?? `Transaction failed with ${init.codespace || "?"} code ${init.code}: ${firstLine(init.log)}`, {
      ...rest,
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

/**
 * A node's answer contradicts what we sent or asked: a broadcast answered with another tx's hash,
 * a looked-up tx with another hash or bytes that do not hash to it, an impossible height, or a
 * chain ID other than the configured one. The answer is not believed; try another node.
 */
export class NodeAnswerMismatchError extends GonkaError {
  override name = "NodeAnswerMismatchError";
  /** The endpoint that answered. */
  readonly endpoint: string;
  /** What we expected (e.g. our tx hash). */
  readonly expected: string;
  /** What the node said. */
  readonly received: string;
  constructor(endpoint: string, what: string, expected: string, received: string, options: GonkaErrorOptions = {}) {
    const shown = received.length > 100 ? `${received.slice(0, 100)}…` : received;
    super(`${endpoint} answered a ${what} that does not match: expected ${expected}, got ${shown}`, {
      details: options.details ?? "The node's answer cannot be right, so it is not believed. Use another node (or check the configured chain ID).",
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
    });
    this.endpoint = endpoint;
    this.expected = expected;
    this.received = shown;
  }
}

/**
 * A tx would pay more than the client's cap: its fee is above `maxFee`, or a simulation asked for
 * more gas than `maxSimulatedGas` (a dishonest or broken node can answer any gas). Nothing was signed.
 */
export class FeeCapExceededError extends GonkaError {
  override name = "FeeCapExceededError";
  /** `"fee"` (ngonka) or `"gas"` (simulated gas). */
  readonly what: "fee" | "gas";
  /** The amount asked. */
  readonly amount: bigint;
  /** The cap. */
  readonly cap: bigint;
  constructor(what: "fee" | "gas", amount: bigint, cap: bigint) {
    super(
      what === "fee"
        ? `The fee of ${amount} ngonka is above the cap of ${cap} ngonka; nothing was signed`
        : `The node's simulation asks for ${amount} gas, above the cap of ${cap}; nothing was signed`,
      {
        details:
          what === "fee"
            ? "Check the gas price and gas limit. If the fee is intended, raise maxFee (client option) for this client."
            : "A node may answer any gas; try another node, give gasLimit yourself, or raise maxSimulatedGas.",
      },
    );
    this.what = what;
    this.amount = amount;
    this.cap = cap;
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

/**
 * A gas price below the chain's minimum (`Params.fee_params.min_gas_price_ngonka`): the chain
 * would refuse the tx for an insufficient fee. Raised before signing.
 */
export class GasPriceTooLowError extends InvalidArgumentError {
  override name = "GasPriceTooLowError";
  /** The price that was asked for, ngonka per gas (decimal text). */
  readonly gasPrice: string;
  /** The chain's minimum, ngonka per gas. */
  readonly minGasPrice: bigint;
  constructor(gasPrice: string, minGasPrice: bigint, options: GonkaErrorOptions = {}) {
    super("gasPrice", `${gasPrice} ngonka per gas is below the chain's minimum of ${minGasPrice}`, {
      details: `The chain requires fee ≥ gas limit × ${minGasPrice} ngonka. Leave gasPrice unset to pay the chain's minimum, or raise it.`,
      ...options,
    });
    this.gasPrice = gasPrice;
    this.minGasPrice = minGasPrice;
  }
}

/** An explicit fee below gas limit × the chain's minimum gas price. Raised before signing. */
export class FeeTooLowError extends InvalidArgumentError {
  override name = "FeeTooLowError";
  /** The ngonka the fee offers. */
  readonly offered: bigint;
  /** The ngonka the chain requires (gas limit × minimum gas price, rounded up). */
  readonly required: bigint;
  constructor(offered: bigint, required: bigint, options: GonkaErrorOptions = {}) {
    super("fee", `offers ${offered} ngonka, the chain requires ${required} (gas limit × its minimum gas price)`, {
      details: "Leave fee unset to pay the chain's minimum, or raise it; only the ngonka amount counts.",
      ...options,
    });
    this.offered = offered;
    this.required = required;
  }
}

/** One message whose response carries an `error_message`. */
export interface MsgFailure {
  /** Index of the message in the tx. */
  messageIndex: number;
  /** Index inside `MsgExec.msgs`, when the failing message was wrapped in a `MsgExec`. */
  innerIndex?: number;
  /** Type URL of the message that failed. */
  messageTypeUrl: string;
  /** Type URL of its response. */
  responseTypeUrl: string;
  /** The chain's `error_message`. */
  errorMessage: string;
}

/**
 * A transaction was included and succeeded (code 0), but a message's response carries an
 * `error_message`: since v0.2.6 most Start/Finish inference handler failures come back this way.
 * The message did not take effect. `txHash` and `height` say where the tx is; `failures` lists
 * every failed message.
 *
 * @example
 * ```ts
 * try { await chain.startInference(agent, args); }
 * catch (e) { if (e instanceof ChainMsgError) console.log(e.errorMessage, e.txHash, e.height); }
 * ```
 */
export class ChainMsgError extends ChainTxError {
  override name = "ChainMsgError";
  /** The first failure's `error_message`. */
  readonly errorMessage: string;
  /** Every message that failed. */
  readonly failures: MsgFailure[];
  constructor(failures: MsgFailure[], init: { txHash: string; height: bigint; log?: string }, options: GonkaErrorOptions = {}) {
    const f = failures[0]!;
    const where = `messages[${f.messageIndex}]${f.innerIndex !== undefined ? `.msgs[${f.innerIndex}]` : ""}`;
    super(
      { code: 0, codespace: "", log: init.log ?? "", txHash: init.txHash, height: init.height },
      {
        ...options,
        shortMessage: `${f.messageTypeUrl} (${where}) failed in an included tx: ${f.errorMessage}`,
        details:
          "The tx succeeded, but the chain reported this message as failed in its response's error_message; the message had no effect." +
          (failures.length > 1 ? ` ${failures.length - 1} more message(s) failed too (see failures).` : ""),
      },
    );
    this.errorMessage = f.errorMessage;
    this.failures = failures;
  }
}
