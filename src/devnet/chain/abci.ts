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
  invalidRequest: (log: string) => new AbciError("sdk", 18, `${log}: invalid request`),
  txInMempool: (log: string) => new AbciError("sdk", 19, `${log}: tx already in mempool`),
  invalidChainId: (log: string) => new AbciError("sdk", 28, `${log}: invalid chain-id`),
  txTimeoutHeight: (log: string) => new AbciError("sdk", 30, `${log}: tx timeout height`),
  wrongSequence: (log: string) => new AbciError("sdk", 32, `${log}: incorrect account sequence`),
  notFound: (log: string) => new AbciError("sdk", 38, `${log}: not found`),
};
