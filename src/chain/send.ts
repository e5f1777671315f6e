import { Service } from "../../generated/proto/cosmos/tx/v1beta1/service_pb.js";
import { InvalidArgumentError } from "../errors.js";
import type { ChainContext } from "./context.js";
import { broadcastTx, waitForTx, type TxResult } from "./broadcast.js";
import { buildSignDoc, encodeTxRaw, signTx, toUint64, type SignTxArgs } from "./tx.js";
import { getAccount } from "./query/auth.js";
import { FeeCapExceededError, NodeRequestError, SequenceMismatchError, chainTxError } from "./errors.js";
import { DEFAULT_MAX_FEE, DEFAULT_MAX_SIMULATED_GAS } from "./context.js";
import { toCoins } from "./coins.js";
import type { TxSigner } from "./keys.js";
import type { TxMessage } from "./messages.js";
import type { CoinLike } from "./coins.js";
import { uniqueTimeoutTimestamp, type TimestampLike } from "./time.js";
import { resolveMessages } from "./messages.js";
import { checkNodeRelease, txMessageTypes } from "./release-check.js";
import { getMinGasPrice, resolveFee } from "./fees.js";
import { isFeeExemptTx } from "../network/fees.js";

/** Options every transaction-sending action accepts. */
export interface TxOptions {
  /** Gas limit; `"auto"` (default) simulates and multiplies by `gasMultiplier`. */
  gasLimit?: bigint | number | "auto";
  /** Multiplier on simulated gas (default: the client's, 1.4). */
  gasMultiplier?: number;
  /**
   * Fee coins (default: gas limit × the gas price, rounded up, in ngonka; none while the price is 0).
   * Refused before signing when it offers less ngonka than gas limit × the chain's minimum.
   */
  fee?: CoinLike[];
  /**
   * Gas price in ngonka per gas (number or decimal string). Default: the client's, else the
   * chain's minimum (`fee_params.min_gas_price_ngonka`, 0 on mainnet today). Below the chain's
   * minimum → {@link GasPriceTooLowError} before signing.
   */
  gasPrice?: number | string;
  /**
   * Account whose x/feegrant allowance pays the fee (`AuthInfo.fee.granter`): the cold account
   * when a warm (ML-ops) key signs, as the API node does since v0.2.12.
   */
  feeGranter?: string;
  /** Account that pays the fee instead of the first signer (`AuthInfo.fee.payer`; rarely used). */
  feePayer?: string;
  /** Memo (≤ 256 characters). */
  memo?: string;
  /** Send unordered (sequence 0, nonce = a unique timeout timestamp 60 s ahead). */
  unordered?: boolean;
  /** Timeout timestamp for unordered txs (default now + 60 s, unique per process). */
  timeoutTimestamp?: TimestampLike;
  /** Block height after which the tx is invalid. */
  timeoutHeight?: bigint | number;
  /** How long to wait for inclusion, ms. */
  confirmTimeoutMs?: number;
  /** Skip the check that each message's signer is the wallet (for authz-wrapped flows). */
  skipSignerCheck?: boolean;
  /** Largest fee in ngonka for this tx (default: the client's `maxFee`, 10 GNK). */
  maxFee?: bigint | number | string;
}

/** Per signer (client × address): the queue tail and the next sequence we know of. */
interface SignerState {
  tail: Promise<unknown>;
  accountNumber?: bigint;
  nextSequence?: bigint;
}
const signers = new WeakMap<object, Map<string, SignerState>>();

function signerState(ctx: ChainContext, address: string): SignerState {
  const key: object = ctx.cache ?? ctx.rpc ?? ctx;
  let map = signers.get(key);
  if (!map) signers.set(key, (map = new Map()));
  let state = map.get(address);
  if (!state) map.set(address, (state = { tail: Promise.resolve() }));
  return state;
}

/** Runs `f` after every earlier queued call of the same signer has finished. */
async function queued<T>(state: SignerState, f: () => Promise<T>): Promise<T> {
  const before = state.tail;
  let release!: () => void;
  state.tail = new Promise<void>((r) => (release = r));
  await before.catch(() => undefined);
  try {
    return await f();
  } finally {
    release();
  }
}

/** The most retries after a sequence mismatch (it refetches the account). */
const SEQUENCE_RETRIES = 1;

/** Options of {@link sendTx}: {@link TxOptions} plus `wait`. */
export interface SendTxOptions extends TxOptions {
  /** Wait for inclusion (default true). With `false` the result has only `hash`. */
  wait?: boolean;
}

/** What {@link sendTx} returns: the included tx, or just its hash when `wait: false`. */
export type SendResult = TxResult | { hash: string };

/**
 * Signs and broadcasts messages, then waits for inclusion. Before signing it checks each message
 * type against the release the node runs (see {@link getNetworkInfo}), looks up account number
 * and sequence, simulates gas (× multiplier) unless given, and computes the fee from the chain's
 * minimum gas price. The txs of one signer (per client and address) are queued: each is signed and
 * broadcast after the previous one, with the sequence counted locally (fetched once, incremented
 * after each accepted broadcast, refetched after a mismatch, which is retried once), so concurrent sends
 * from one key all succeed. A fee above `maxFee` (default 10 GNK) or a simulated gas above
 * `maxSimulatedGas` (default 50 000 000) is refused before signing ({@link FeeCapExceededError}).
 * A message whose response carries an `error_message` makes it throw {@link ChainMsgError}.
 *
 * @example
 * ```ts
 * const result = await sendTx(chain, wallet, [{ "@type": "/cosmos.gov.v1.MsgVote", proposalId: "2", voter: wallet.address, option: "VOTE_OPTION_YES" }]);
 * console.log(result.hash, result.height);
 * ```
 */
export async function sendTx(ctx: ChainContext, wallet: TxSigner, messages: readonly TxMessage[], options: SendTxOptions & { wait: false }): Promise<{ hash: string }>;
export async function sendTx(ctx: ChainContext, wallet: TxSigner, messages: readonly TxMessage[], options?: TxOptions & { wait?: true }): Promise<TxResult>;
export async function sendTx(ctx: ChainContext, wallet: TxSigner, messages: readonly TxMessage[], options: SendTxOptions = {}): Promise<SendResult> {
  const chainId = await ctx.getChainId();
  const unordered = options.unordered ?? false;
  const resolved = resolveMessages(messages);
  await checkNodeRelease(ctx, resolved);
  const exempt = isFeeExemptTx(txMessageTypes(resolved));
  if (options.fee !== undefined) toCoins("fee", options.fee);
  const maxFee = options.maxFee !== undefined ? toUint64("maxFee", options.maxFee) : (ctx.txDefaults.maxFee ?? DEFAULT_MAX_FEE);
  const state = signerState(ctx, wallet.address);
  const hash = await queued(state, async () => {
    for (let attempt = 0; ; attempt++) {
      let accountNumber = state.accountNumber;
      let sequence = state.nextSequence;
      if (accountNumber === undefined || sequence === undefined || unordered) {
        const account = await getAccount(ctx, wallet.address);
        accountNumber = account.accountNumber;
        sequence = account.sequence;
      }
      const base: SignTxArgs = {
        wallet,
        chainId,
        accountNumber,
        sequence: unordered ? 0n : sequence,
        messages,
        memo: options.memo ?? "",
        unordered,
        ...(unordered ? { timeoutTimestamp: options.timeoutTimestamp ?? uniqueTimeoutTimestamp(60) } : {}),
        ...(options.timeoutHeight !== undefined ? { timeoutHeight: options.timeoutHeight } : {}),
        ...(options.skipSignerCheck ? { skipSignerCheck: true } : {}),
        ...(options.feeGranter ? { feeGranter: options.feeGranter } : {}),
        ...(options.feePayer ? { feePayer: options.feePayer } : {}),
      };
      try {
        const gasLimit = await resolveGas(ctx, base, options);
        const gasPrice = options.gasPrice ?? ctx.txDefaults.gasPrice;
        const minGasPrice = await getMinGasPrice(ctx);
        const fee = resolveFee({ gasLimit, minGasPrice, exempt, gasPrice, fee: options.fee });
        const paid = fee.filter((c) => c.denom === "ngonka").reduce((n, c) => n + BigInt(c.amount), 0n);
        if (paid > maxFee) throw new FeeCapExceededError("fee", paid, maxFee);
        const signed = await signTx({ ...base, gasLimit, fee });
        const sent = await broadcastTx(ctx, signed.txRaw);
        if (!unordered) {
          state.accountNumber = accountNumber;
          state.nextSequence = sequence + 1n;
        }
        return sent;
      } catch (e) {
        if (e instanceof SequenceMismatchError && !unordered) {
          state.accountNumber = undefined;
          state.nextSequence = undefined;
          if (attempt < SEQUENCE_RETRIES) continue;
        }
        // Anything else may or may not have moved the sequence: ask the chain next time.
        if (!(e instanceof FeeCapExceededError)) state.nextSequence = undefined;
        throw e;
      }
    }
  });
  if (options.wait === false) return { hash };
  return await waitForTx(ctx, hash, options.confirmTimeoutMs !== undefined ? { timeoutMs: options.confirmTimeoutMs } : {});
}

async function resolveGas(ctx: ChainContext, base: SignTxArgs, options: TxOptions): Promise<bigint> {
  if (options.gasLimit !== undefined && options.gasLimit !== "auto") return toUint64("gasLimit", options.gasLimit);
  const multiplier = options.gasMultiplier ?? ctx.txDefaults.gasMultiplier;
  if (!(multiplier >= 1) || !Number.isFinite(multiplier)) throw new InvalidArgumentError("gasMultiplier", "must be a finite number ≥ 1");
  const used = await simulateGas(ctx, base);
  const cap = ctx.txDefaults.maxSimulatedGas ?? DEFAULT_MAX_SIMULATED_GAS;
  const gas = BigInt(Math.ceil(Number(used) * multiplier));
  if (used > cap || gas > cap * 2n) throw new FeeCapExceededError("gas", used, cap);
  return gas;
}

/**
 * Simulates a tx (signature left empty, as the SDK allows) and returns the gas it used.
 *
 * @throws {ChainTxError} when the chain says the tx would fail (sequence, funds, …).
 */
export async function simulateGas(ctx: Pick<ChainContext, "transport">, args: Omit<SignTxArgs, "gasLimit">): Promise<bigint> {
  // A large placeholder gas limit keeps the simulated tx at least as long as the final one.
  const { bodyBytes, authInfoBytes } = buildSignDoc({ ...args, gasLimit: 0xffffffffn });
  const txBytes = encodeTxRaw({ bodyBytes, authInfoBytes, signatures: [new Uint8Array()] });
  try {
    const res = await ctx.transport.unary(Service.method.simulate, { txBytes }, { path: "/cosmos/tx/v1beta1/simulate", method: "POST" });
    if (!res.gasInfo) return 200_000n;
    return res.gasInfo.gasUsed;
  } catch (e) {
    throw simulationError(e);
  }
}

/** SDK error descriptions that end a failed simulation's message, and their `sdk` codes. */
const SDK_SUFFIXES: [RegExp, number][] = [
  [/unauthorized$/, 4],
  [/insufficient funds$/, 5],
  [/unknown request$/, 6],
  [/invalid address$/, 7],
  [/invalid pubkey$/, 8],
  [/unknown address$/, 9],
  [/out of gas$/, 11],
  [/memo too large$/, 12],
  [/insufficient fee$/, 13],
  [/invalid request$/, 18],
  [/incorrect account sequence$/, 32],
];

/**
 * A failed simulation comes back as a gRPC/HTTP error whose text is the ABCI log; when the log
 * ends with a known SDK error description, turn it into the matching {@link ChainTxError}.
 */
export function simulationError(e: unknown): unknown {
  if (!(e instanceof NodeRequestError)) return e;
  const log = e.serverMessage.trim();
  for (const [re, code] of SDK_SUFFIXES) {
    if (re.test(log)) return chainTxError({ code, codespace: "sdk", log }, { cause: e });
  }
  return e;
}

/** The {@link TxOptions} of an action's arguments (drops the action's own fields and any `wait`). */
export function txOptions(args: TxOptions): TxOptions & { wait?: true } {
  const out: TxOptions = {};
  const src = args as Record<string, unknown>;
  const keys: (keyof TxOptions)[] = ["gasLimit", "gasMultiplier", "fee", "gasPrice", "feeGranter", "feePayer", "memo", "unordered", "timeoutTimestamp", "timeoutHeight", "confirmTimeoutMs", "skipSignerCheck", "maxFee"];
  for (const k of keys) if (src[k] !== undefined) (out as Record<string, unknown>)[k] = src[k];
  return out;
}
