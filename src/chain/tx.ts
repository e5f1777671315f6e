import { create, toBinary, type MessageShape, type Registry } from "@bufbuild/protobuf";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  AuthInfoSchema,
  SignDocSchema,
  TxBodySchema,
  TxRawSchema,
  type SignDoc,
  type TxRaw,
} from "../../generated/proto/cosmos/tx/v1beta1/tx_pb.js";
import { SignMode } from "../../generated/proto/cosmos/tx/signing/v1beta1/signing_pb.js";
import { PubKeySchema } from "../../generated/proto/cosmos/crypto/secp256k1/keys_pb.js";
import { AnySchema, type Timestamp } from "@bufbuild/protobuf/wkt";
import { InvalidArgumentError } from "../errors.js";
import { toHex } from "./bytes.js";
import { ACCOUNT_PREFIX, decodeAddress } from "./address.js";
import type { TxSigner } from "./keys.js";
import { resolveMessagesIn, type TxMessage } from "./messages.js";
import { typeLookupFor } from "../proto/registry-hook.js";
import { toCoins, type CoinLike } from "./coins.js";
import { toTimestamp, type TimestampLike } from "./time.js";
import { checkSigners, validateMessages } from "./validate.js";

/** Type URL of the secp256k1 public key in `SignerInfo.public_key`. */
export const SECP256K1_PUBKEY_TYPE_URL = "/cosmos.crypto.secp256k1.PubKey";

/** Everything that goes into one SIGN_MODE_DIRECT transaction. */
export interface SignTxArgs {
  /** The key that signs (a {@link Wallet} or any {@link TxSigner}). */
  wallet: TxSigner;
  /** Chain ID, e.g. `"gonka-mainnet"`. */
  chainId: string;
  /** The signer's account number (from {@link getAccount}). */
  accountNumber: bigint | number | string;
  /** The signer's sequence; must be 0 for unordered txs. */
  sequence: bigint | number | string;
  /**
   * Messages: `txMessage(schema, init)` / `{ schema, message }` (recommended: needs no type
   * registry), protobuf-es messages, `{ typeUrl, value }`, or proto3 JSON with `"@type"`.
   */
  messages: readonly TxMessage[];
  /**
   * The type registry for messages given without their schema (JSON, `{ typeUrl, value }`, bare
   * protobuf-es messages) and for `google.protobuf.Any` values inside messages (`MsgExec`, grants,
   * proposals). Default: the SDK's `registry` from `gonka-sdk/proto` when it is loaded, which it
   * always is in Node and in any bundle that uses it. A browser app that signs only
   * `txMessage(...)` messages without Anys does not load it, and its bundle is about 35 kB gzip
   * smaller; such an app that also signs JSON messages passes `registry` here.
   */
  registry?: Registry;
  /** Gas limit (default 200000). */
  gasLimit?: bigint | number | string;
  /** Fee coins (default none: Gonka charges no fees). */
  fee?: readonly CoinLike[];
  /** Fee payer address (`AuthInfo.fee.payer`, field 3; rarely used, the chain leaves it empty). */
  feePayer?: string;
  /**
   * Fee granter address (`AuthInfo.fee.granter`, field 4): the account whose x/feegrant allowance
   * pays the fee. Warm (ML-ops) key txs name the cold account here (chain v0.2.12+).
   */
  feeGranter?: string;
  /** Memo, at most 256 characters on Gonka. */
  memo?: string;
  /** Block height after which the tx is invalid (0 = none). */
  timeoutHeight?: bigint | number | string;
  /** Send as an unordered tx (SDK 0.53): sequence 0 and a `timeoutTimestamp` as the replay nonce. */
  unordered?: boolean;
  /** Wall-clock expiry; required for unordered txs (at most 10 minutes ahead). */
  timeoutTimestamp?: TimestampLike;
  /** Skip the signer check that each message's signer field is the wallet (default false). */
  skipSignerCheck?: boolean;
}

/** A signed transaction in every form a caller may need. */
export interface SignedTx {
  /** Encoded `TxBody`. */
  bodyBytes: Uint8Array;
  /** Encoded `AuthInfo`. */
  authInfoBytes: Uint8Array;
  /** Encoded `SignDoc`: the exact bytes that were signed. */
  signDoc: Uint8Array;
  /** The 64-byte compact secp256k1 signature. */
  signature: Uint8Array;
  /** Encoded `TxRaw`: what is broadcast. */
  txRaw: Uint8Array;
  /** Tx hash: upper-case hex of sha256(txRaw), as CometBFT and explorers show it. */
  hash: string;
}

/**
 * Builds, signs (SIGN_MODE_DIRECT) and encodes a transaction. Pure: it does not talk to a node.
 *
 * Give messages with their schema (`txMessage(MsgVoteSchema, { … })`): signing them needs no type
 * registry, so a browser app that signs only those leaves the registry of every generated schema
 * out of its bundle. JSON messages (`"@type"`) work too, through the SDK's registry (see
 * {@link SignTxArgs.registry}).
 *
 * @example
 * ```ts
 * import { MsgVoteSchema } from "gonka-sdk/proto/cosmos/gov/v1/tx_pb";
 * import { VoteOption } from "gonka-sdk/proto/cosmos/gov/v1/gov_pb";
 * const { txRaw, hash } = await signTx({
 *   wallet, chainId: "gonka-mainnet", accountNumber: 42n, sequence: 7n, gasLimit: 200000n,
 *   messages: [txMessage(MsgVoteSchema, { proposalId: 2n, voter: wallet.address, option: VoteOption.YES })],
 * });
 * // or, in Node (or with `registry` passed): messages: [{ "@type": "/cosmos.gov.v1.MsgVote", proposalId: "2", voter: wallet.address, option: "VOTE_OPTION_YES" }]
 * ```
 * @throws {InvalidArgumentError} for bad numbers, a message without its signer, an unknown type URL, …
 */
export async function signTx(args: SignTxArgs): Promise<SignedTx> {
  const { bodyBytes, authInfoBytes, signDoc } = buildSignDoc(args);
  const signature = await args.wallet.signBytes(signDoc);
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    throw new InvalidArgumentError("wallet", "signBytes must return a 64-byte signature");
  }
  const txRaw = encodeTxRaw({ bodyBytes, authInfoBytes, signatures: [signature] });
  return { bodyBytes, authInfoBytes, signDoc, signature, txRaw, hash: txHash(txRaw) };
}

/** The unsigned parts of a tx: body, auth info and the SignDoc bytes to sign. */
export function buildSignDoc(args: SignTxArgs): { bodyBytes: Uint8Array; authInfoBytes: Uint8Array; signDoc: Uint8Array } {
  const chainId = args.chainId;
  if (typeof chainId !== "string" || chainId.length === 0) throw new InvalidArgumentError("chainId", "must be a non-empty string");
  const accountNumber = toUint64("accountNumber", args.accountNumber);
  const sequence = toUint64("sequence", args.sequence);
  const unordered = args.unordered ?? false;
  if (unordered && sequence !== 0n) {
    throw new InvalidArgumentError("sequence", "must be 0 for an unordered tx", {
      details: "The SDK rejects unordered txs with a non-zero sequence; the timeout timestamp is the nonce.",
    });
  }
  if (unordered && args.timeoutTimestamp === undefined) {
    throw new InvalidArgumentError("timeoutTimestamp", "is required for an unordered tx");
  }
  if (!Array.isArray(args.messages) || args.messages.length === 0) {
    throw new InvalidArgumentError("messages", "at least one message is required");
  }
  const memo = args.memo ?? "";
  if (memo.length > 256) throw new InvalidArgumentError("memo", `is ${memo.length} characters, the chain allows 256`);

  if (args.registry !== undefined && typeof (args.registry as Partial<Registry> | null)?.getMessage !== "function") {
    throw new InvalidArgumentError("registry", "expected a protobuf-es Registry, such as registry from gonka-sdk/proto");
  }
  const types = typeLookupFor(args.registry);
  const resolved = resolveMessagesIn(types, args.messages);
  validateMessages(resolved, "messages", types?.registry ?? null);
  if (!args.skipSignerCheck) checkSigners(resolved, args.wallet.address);
  const bodyBytes = encodeTxBody({
    messages: resolved.map((r) => r.any),
    memo,
    timeoutHeight: toUint64("timeoutHeight", args.timeoutHeight ?? 0n),
    unordered,
    timeoutTimestamp: args.timeoutTimestamp === undefined ? undefined : toTimestamp(args.timeoutTimestamp),
  });
  const authInfoBytes = encodeAuthInfo({
    publicKey: args.wallet.publicKey,
    sequence,
    gasLimit: toUint64("gasLimit", args.gasLimit ?? 200000n),
    fee: toCoins("fee", args.fee ?? []),
    payer: optionalAddress("feePayer", args.feePayer),
    granter: optionalAddress("feeGranter", args.feeGranter),
  });
  const signDoc = encodeSignDoc({ bodyBytes, authInfoBytes, chainId, accountNumber });
  return { bodyBytes, authInfoBytes, signDoc };
}

/** An optional bech32 account address argument ("" when absent). */
function optionalAddress(name: string, value: string | undefined): string {
  if (value === undefined || value === "") return "";
  decodeAddress(value, ACCOUNT_PREFIX, name);
  return value;
}

/** Encodes a `TxBody` from already-packed messages. */
export function encodeTxBody(b: {
  messages: MessageShape<typeof AnySchema>[];
  memo: string;
  timeoutHeight: bigint;
  unordered: boolean;
  timeoutTimestamp: Timestamp | undefined;
}): Uint8Array {
  return toBinary(
    TxBodySchema,
    create(TxBodySchema, {
      messages: b.messages,
      memo: b.memo,
      timeoutHeight: b.timeoutHeight,
      unordered: b.unordered,
      ...(b.timeoutTimestamp ? { timeoutTimestamp: b.timeoutTimestamp } : {}),
    }),
  );
}

/** Encodes an `AuthInfo` with one secp256k1 SIGN_MODE_DIRECT signer. */
export function encodeAuthInfo(a: {
  publicKey: Uint8Array;
  sequence: bigint;
  gasLimit: bigint;
  fee: { denom: string; amount: string }[];
  payer: string;
  granter: string;
}): Uint8Array {
  const pubKey = create(AnySchema, {
    typeUrl: SECP256K1_PUBKEY_TYPE_URL,
    value: toBinary(PubKeySchema, create(PubKeySchema, { key: a.publicKey })),
  });
  return toBinary(
    AuthInfoSchema,
    create(AuthInfoSchema, {
      signerInfos: [
        {
          publicKey: pubKey,
          modeInfo: { sum: { case: "single", value: { mode: SignMode.DIRECT } } },
          sequence: a.sequence,
        },
      ],
      fee: { amount: a.fee, gasLimit: a.gasLimit, payer: a.payer, granter: a.granter },
    }),
  );
}

/** Encodes a `SignDoc` (the bytes a SIGN_MODE_DIRECT signature covers). */
export function encodeSignDoc(d: Omit<SignDoc, "$typeName">): Uint8Array {
  return toBinary(SignDocSchema, create(SignDocSchema, d));
}

/** Encodes a `TxRaw`. */
export function encodeTxRaw(t: Omit<TxRaw, "$typeName">): Uint8Array {
  return toBinary(TxRawSchema, create(TxRawSchema, t));
}

/** Upper-case hex sha256 of encoded TxRaw bytes: the tx hash nodes index by. */
export function txHash(txRaw: Uint8Array): string {
  return toHex(sha256(txRaw)).toUpperCase();
}

/** Parses a non-negative 64-bit integer argument. */
export function toUint64(name: string, v: bigint | number | string): bigint {
  let n: bigint;
  try {
    if (typeof v === "number" && !Number.isSafeInteger(v)) throw new Error();
    if (typeof v === "string" && !/^\d+$/.test(v)) throw new Error();
    n = BigInt(v);
  } catch {
    throw new InvalidArgumentError(name, "expected a non-negative integer");
  }
  if (n < 0n || n >= 1n << 64n) throw new InvalidArgumentError(name, "must be in [0, 2^64)");
  return n;
}
