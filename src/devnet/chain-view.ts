/**
 * What the devnet's network-node APIs (public, admin) need to know about the chain. The devnet
 * fills it from the embedded chain node; tests can give a standalone one.
 */

/** A participant as the public API reports it. */
export interface DevnetParticipant {
  /** Bech32 account address (`gonka1…`), the participant index. */
  address: string;
  /** The participant's inference URL. */
  inferenceUrl: string;
  /** PoC weight (= voting power in the devnet). */
  weight: bigint;
  /** Base64 32-byte ED25519 consensus key, if registered with one. */
  validatorKey: string;
  /** Models served by the participant. */
  models: string[];
}

/** A governance model as the public API reports it (Go JSON field names are applied later). */
export interface DevnetModel {
  id: string;
  unitsOfComputePerToken: bigint;
  hfRepo: string;
  proposedBy: string;
}

/** Read access to the chain state, plus the one write the public API performs itself. */
export interface DevnetChainView {
  /** Chain id, e.g. `gonka-devnet`. */
  readonly chainId: string;
  /** Latest block height. */
  height(): bigint;
  /** Latest block time in Unix nanoseconds (the reference of the inference timestamp window). */
  blockTimeNs(): bigint;
  /** All registered participants. */
  participants(): DevnetParticipant[];
  /** The compressed secp256k1 pubkey of an account, if the chain knows it. */
  accountPubkey(address: string): Uint8Array | undefined;
  /** Spendable `ngonka` balance of an account. */
  balance(address: string): bigint;
  /** Governance models. */
  models(): DevnetModel[];
  /** Current epoch index and the start height of its PoC stage. */
  epoch(): { index: bigint; pocStartBlockHeight: bigint };
  /**
   * Registers a developer account with its pubkey (the "unfunded participant" path of
   * `POST /v1/participants`). Returns false when the account already exists.
   */
  registerAccount(address: string, pubkey: Uint8Array): boolean;
}
