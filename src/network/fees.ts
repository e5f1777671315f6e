/**
 * The chain's fee rules since v0.2.12 (spec chain-upgrades §6): a governance-set minimum gas
 * price in ngonka (`Params.fee_params.min_gas_price_ngonka`; 0 on mainnet today), checked as
 * `fee(ngonka) ≥ gas_limit × price`, and a duty bypass: a tx whose every message is a duty
 * message — directly or inside one level of `MsgExec` — pays nothing, whatever it states.
 *
 * @example
 * ```ts
 * isFeeExemptTx([{ typeUrl: "/cosmos.authz.v1beta1.MsgExec", inner: ["/inference.inference.MsgStartInference"] }]); // true
 * ```
 * @module
 */

/** The duty messages the fee checker exempts (spec §2.1 "fee" column and its notes). */
export const FEE_EXEMPT_TYPE_URLS: readonly string[] = Object.freeze([
  "/inference.inference.MsgStartInference",
  "/inference.inference.MsgFinishInference",
  "/inference.inference.MsgValidation",
  "/inference.inference.MsgInvalidateInference",
  "/inference.inference.MsgRevalidateInference",
  "/inference.inference.MsgSubmitPocBatch",
  "/inference.inference.MsgSubmitPocValidationsV2",
  "/inference.inference.MsgMLNodeWeightDistribution",
  "/inference.bls.MsgSubmitDealerPart",
  "/inference.bls.MsgSubmitVerificationVector",
  "/inference.bls.MsgSubmitGroupKeyValidationSignature",
  "/inference.bls.MsgSubmitPartialSignature",
]);

/** The largest gas limit a fee-exempt tx may state (3,000,000,000). */
export const FEE_EXEMPT_MAX_GAS = 3_000_000_000n;

/** The largest minimum gas price governance may set (1,000,000 ngonka per gas). */
export const MAX_MIN_GAS_PRICE_NGONKA = 1_000_000n;

const exempt = new Set(FEE_EXEMPT_TYPE_URLS);
const EXEC = "/cosmos.authz.v1beta1.MsgExec";

/** A top-level message of a tx: its type URL and, for `MsgExec`, the type URLs inside it. */
export interface TxMessageTypes {
  /** The type URL. */
  readonly typeUrl: string;
  /** For `MsgExec`: the type URLs of its messages. */
  readonly inner?: readonly string[];
}

/**
 * True when the chain charges no fee for a tx with these messages: every message is a duty
 * message, directly or inside one level of `MsgExec` (a nested `MsgExec` is not exempt).
 */
export function isFeeExemptTx(messages: readonly TxMessageTypes[]): boolean {
  if (messages.length === 0) return false;
  return messages.every((m) => (m.typeUrl === EXEC ? (m.inner?.length ?? 0) > 0 && m.inner!.every((u) => exempt.has(u)) : exempt.has(m.typeUrl)));
}
