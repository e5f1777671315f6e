/** An ABCI failure: code + codespace + log, as the chain returns it. */
export class AbciError extends Error {
  override name = "AbciError";
  constructor(
    readonly codespace: string,
    readonly code: number,
    readonly log: string,
  ) {
    super(log);
  }
}

/** Cosmos SDK error codes the devnet uses (codespace `sdk`). */
export const sdk = {
  txDecode: (log: string) => new AbciError("sdk", 2, `${log}: tx parse error`),
  invalidSequence: (log: string) => new AbciError("sdk", 3, `${log}: invalid sequence`),
  unauthorized: (log: string) => new AbciError("sdk", 4, `${log}: unauthorized`),
  insufficientFunds: (log: string) => new AbciError("sdk", 5, `${log}: insufficient funds`),
  unknownRequest: (log: string) => new AbciError("sdk", 6, `${log}: unknown request`),
  invalidAddress: (log: string) => new AbciError("sdk", 7, `${log}: invalid address`),
  invalidPubKey: (log: string) => new AbciError("sdk", 8, `${log}: invalid pubkey`),
  unknownAddress: (log: string) => new AbciError("sdk", 9, `${log}: unknown address`),
  invalidCoins: (log: string) => new AbciError("sdk", 10, `${log}: invalid coins`),
  outOfGas: (log: string) => new AbciError("sdk", 11, `${log}: out of gas`),
  memoTooLarge: (log: string) => new AbciError("sdk", 12, `${log}: memo too large`),
  insufficientFee: (log: string) => new AbciError("sdk", 13, `${log}: insufficient fee`),
  invalidGasLimit: (log: string) => new AbciError("sdk", 41, `${log}: invalid gas limit`),
  invalidRequest: (log: string) => new AbciError("sdk", 18, `${log}: invalid request`),
  txInMempool: (log: string) => new AbciError("sdk", 19, `${log}: tx already in mempool`),
  invalidChainId: (log: string) => new AbciError("sdk", 28, `${log}: invalid chain-id`),
  txTimeoutHeight: (log: string) => new AbciError("sdk", 30, `${log}: tx timeout height`),
  wrongSequence: (log: string) => new AbciError("sdk", 32, `${log}: incorrect account sequence`),
  notFound: (log: string) => new AbciError("sdk", 38, `${log}: not found`),
  invalidType: (log: string) => new AbciError("sdk", 29, `${log}: invalid type`),
};

/** x/inference errors (codespace `inference`, the chain's registered codes and texts). */
export const inferenceErr = {
  invalidSigner: (log?: string) => wrap("inference", 1100, "expected gov account as only signer for proposal message", log),
  participantNotFound: (log?: string) => wrap("inference", 1103, "participant not found", log),
  pocWrongStartBlockHeight: (log?: string) => wrap("inference", 1107, "start block height must be divisible by 240", log),
  pocTooLate: (log?: string) => wrap("inference", 1108, "POC submission is too late", log),
  invalidSignature: (log?: string) => wrap("inference", 1132, "invalid keys provided for StartInference", log),
  invalidModel: (log?: string) => wrap("inference", 1134, "invalid model", log),
  illegalState: (log?: string) => wrap("inference", 1137, "illegal state for the operation requested", log),
  duplicateValidation: (log?: string) => wrap("inference", 1143, "participant has already validated this inference", log),
  nodeIdEmpty: (log?: string) => wrap("inference", 1145, "node id is empty", log),
  finishProcessed: (log?: string) => wrap("inference", 1146, "inference has already finished processed", log),
  startProcessed: (log?: string) => wrap("inference", 1147, "inference has already started processed", log),
  signatureTooOld: (log?: string) => wrap("inference", 1150, "signature is too old", log),
  signatureInFuture: (log?: string) => wrap("inference", 1151, "signature is in the future", log),
  developerNotAllowlisted: (log?: string) => wrap("inference", 1154, "developer is not allowlisted to request inference at this height", log),
  participantBlocked: (log?: string) => wrap("inference", 1155, "participant is blocked from participating in PoC", log),
  registrationClosed: (log?: string) => wrap("inference", 1156, "new participant registration is closed", log),
  tokenCountOutOfRange: (log?: string) => wrap("inference", 1159, "token count out of range", log),
  deprecated: (log?: string) => wrap("inference", 1161, "this message type is deprecated", log),
  notSupported: (log?: string) => wrap("inference", 1163, "operation not supported in current mode", log),
  invalidAddress: (log?: string) => wrap("inference", 1164, "invalid address", log),
  transferAgentNotAllowlisted: (log?: string) => wrap("inference", 1165, "transfer agent not in allowlist", log),
  activeParticipantNotFound: (log?: string) => wrap("inference", 1169, "participant is not active", log),
  requesterCannotPay: (log?: string) => wrap("inference", 1106, "requester cannot pay for inference", log),
  inferenceNotFound: (log?: string) => wrap("inference", 1102, "inference with id not found", log),
  cannotValidateOwn: (log?: string) => wrap("inference", 1105, "participant cannot validate own inference", log),
};

/** x/feegrant errors (codespace `feegrant`). */
export const feegrantErr = {
  feeLimitExceeded: (log?: string) => wrap("feegrant", 2, "fee limit exceeded", log),
  feeLimitExpired: (log?: string) => wrap("feegrant", 3, "fee allowance expired", log),
  invalidDuration: (log?: string) => wrap("feegrant", 4, "invalid duration", log),
  noAllowance: (log?: string) => wrap("feegrant", 5, "no allowance", log),
  messageNotAllowed: (log?: string) => wrap("feegrant", 7, "message not allowed", log),
};

/** A registered error wrapped the `errorsmod.Wrap` way: `"<context>: <registered text>"`. */
function wrap(codespace: string, code: number, text: string, context?: string): AbciError {
  return new AbciError(codespace, code, context ? `${context}: ${text}` : text);
}

/** Prefixes an error's log (`errorsmod.Wrapf(err, prefix)`), keeping code and codespace. */
export function wrapError(e: AbciError, prefix: string): AbciError {
  return new AbciError(e.codespace, e.code, `${prefix}: ${e.log}`);
}
