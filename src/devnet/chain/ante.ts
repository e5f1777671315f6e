import { create, fromBinary, getOption, toBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import { anyUnpack, type Any } from "@bufbuild/protobuf/wkt";
import { AuthInfoSchema, SignDocSchema, TxBodySchema, TxRawSchema, type AuthInfo, type TxBody } from "../../../generated/proto/cosmos/tx/v1beta1/tx_pb.js";
import { SignMode } from "../../../generated/proto/cosmos/tx/signing/v1beta1/signing_pb.js";
import { PubKeySchema } from "../../../generated/proto/cosmos/crypto/secp256k1/keys_pb.js";
import { signer as signerOption } from "../../../generated/proto/cosmos/msg/v1/msg_pb.js";
import { AbciError, sdk } from "./abci.js";
import { isFeeExempt, MAX_EXEMPT_GAS, requiredFee, useGrantedFees } from "./fees.js";
import { extraMessageGas } from "./exec-poc.js";
import { rejectUnknownFields, resolveAny } from "./unknown-fields.js";
import { FEE_COLLECTOR_ADDRESS } from "./state.js";
import { accountFromPubKey, bech32Bytes, bech32Encode, sha256Hex, verifySecp256k1 } from "./crypto.js";
import { devRegistry } from "./registry.js";
import type { ChainState, DevAccount } from "./state.js";

/** A decoded, ante-checked transaction. */
export interface CheckedTx {
  /** Hash (upper-case hex). */
  hash: string;
  /** TxRaw bytes. */
  txRaw: Uint8Array;
  /** Decoded body. */
  body: TxBody;
  /** Decoded auth info. */
  authInfo: AuthInfo;
  /** Decoded messages with their schemas. */
  messages: { typeUrl: string; schema: DescMessage; message: Message }[];
  /** The signing account. */
  signer: DevAccount;
  /** The signer's pubkey. */
  pubKey: Uint8Array;
  /** Gas limit. */
  gasWanted: bigint;
  /** Gas the devnet charges. */
  gasUsed: bigint;
  /** Fee moved to the fee collector (empty for duty txs and fee-less txs). */
  feePaid: { denom: string; amount: bigint }[];
  /** Account the fee came from (the signer, or the fee granter). */
  feePayer: string;
}

const MAX_UNORDERED_TIMEOUT_MS = 10 * 60_000;

/** Gas the devnet charges for one message (a fixed, documented model). */
export function messageGas(typeUrl: string): bigint {
  return typeUrl === "/cosmos.authz.v1beta1.MsgGrant" ? 20_000n : 30_000n;
}

/** Decodes an Any with the devnet registry. */
export function unpackAny(any: Any): { schema: DescMessage; message: Message } {
  const schema = resolveAny(any.typeUrl);
  const message = anyUnpack(any, devRegistry);
  if (!message) throw sdk.txDecode(`unable to decode ${any.typeUrl}`);
  return { schema, message };
}

/** The signer addresses of a message (from its `cosmos.msg.v1.signer` option). */
export function messageSigners(schema: DescMessage, message: Message): string[] {
  const names = getOption(schema, signerOption) ?? [];
  return names.map((n) => {
    const f = schema.fields.find((x) => x.name === n);
    const v = f ? (message as unknown as Record<string, unknown>)[f.localName] : undefined;
    return typeof v === "string" ? v : "";
  });
}

/** Account address (gonka1…) of a signer field value (account or valoper encoded). */
export function signerAccount(value: string): string {
  if (!value) throw sdk.invalidAddress("empty address string is not allowed");
  try {
    const prefix = value.startsWith("gonkavaloper1") ? "gonkavaloper" : "gonka";
    return bech32Encode(bech32Bytes(value, prefix), "gonka");
  } catch (e) {
    throw sdk.invalidAddress(`invalid signer address ${value}: ${(e as Error).message}`);
  }
}

/**
 * The ante handler: decodes the TxRaw with the generated schemas (refusing unresolvable type URLs
 * and critical unknown fields like the SDK 0.53 decoder), checks signer, chain ID, account number
 * and signature (node:crypto), sequence or unordered nonce, memo, timeout and gas, and runs the
 * v0.2.12+ fee rules: `min_gas_price_ngonka`, the duty bypass, and the fee granter's allowance.
 * On success (not simulating) it bumps the sequence and moves the fee to the fee collector.
 */
export function anteHandle(state: ChainState, txRaw: Uint8Array, mode: "check" | "simulate"): CheckedTx {
  let raw, body, authInfo;
  try {
    raw = fromBinary(TxRawSchema, txRaw);
    body = fromBinary(TxBodySchema, raw.bodyBytes);
    authInfo = fromBinary(AuthInfoSchema, raw.authInfoBytes);
  } catch (e) {
    throw sdk.txDecode(`failed to decode tx: ${(e as Error).message}`);
  }
  rejectUnknownFields(TxRawSchema, raw, { allowNonCritical: false });
  rejectUnknownFields(TxBodySchema, body, { allowNonCritical: true, ...(state.unknownParams ? { known: state.unknownParams.knownUnknown } : {}) });
  rejectUnknownFields(AuthInfoSchema, authInfo, { allowNonCritical: false });
  if (body.messages.length === 0) throw sdk.invalidRequest("must contain at least one message");
  const messages = body.messages.map((any) => ({ typeUrl: any.typeUrl, ...unpackAny(any) }));
  if (authInfo.signerInfos.length !== 1) throw sdk.unauthorized(`wrong number of signers; expected 1, got ${authInfo.signerInfos.length}`);
  if (mode === "check" && raw.signatures.length !== 1) throw sdk.unauthorized(`invalid number of signatures; expected 1, got ${raw.signatures.length}`);
  const si = authInfo.signerInfos[0]!;
  if (si.modeInfo?.sum.case !== "single" || si.modeInfo.sum.value.mode !== SignMode.DIRECT) {
    throw sdk.unauthorized("the devnet accepts SIGN_MODE_DIRECT single signatures only");
  }
  if (si.publicKey?.typeUrl !== "/cosmos.crypto.secp256k1.PubKey") throw sdk.invalidPubKey(`unsupported public key type ${si.publicKey?.typeUrl ?? "(none)"}`);
  const pubKey = fromBinary(PubKeySchema, si.publicKey.value).key;
  if (pubKey.length !== 33) throw sdk.invalidPubKey(`secp256k1 public key is ${pubKey.length} bytes, expected 33`);
  const pubAddress = accountFromPubKey(pubKey);

  for (const m of messages) {
    for (const s of messageSigners(m.schema, m.message)) {
      const acc = signerAccount(s);
      if (acc !== pubAddress) throw sdk.invalidPubKey(`pubKey does not match signer address ${acc} with signer index: 0`);
    }
    if (messageSigners(m.schema, m.message).length === 0) throw sdk.unknownRequest(`${m.typeUrl} has no signer`);
  }
  const account = state.accounts.get(pubAddress);
  if (!account) throw sdk.unknownAddress(`account ${pubAddress} not found`);
  if (account.pubKey && !equal(account.pubKey, pubKey)) throw sdk.invalidPubKey("pubKey does not match the account's");

  if (body.memo.length > 256) throw sdk.memoTooLarge(`maximum number of characters is 256 but received ${body.memo.length} characters`);
  if (body.timeoutHeight > 0n && state.height >= body.timeoutHeight) {
    throw sdk.txTimeoutHeight(`block height: ${state.height}, timeout height: ${body.timeoutHeight}`);
  }

  const gasWanted = authInfo.fee?.gasLimit ?? 0n;
  // Simulation sends an empty signature; charge for the 64 bytes a real one adds, like the SDK does.
  const missingSigBytes = mode === "simulate" ? raw.signatures.reduce((n, sig) => n + Math.max(0, 64 - sig.length), 0) : 0;
  let gasUsed = 1000n + 10n * BigInt(txRaw.length + missingSigBytes);
  for (const m of messages) gasUsed += messageGas(m.typeUrl) + extraMessageGas(state, m.typeUrl, m.message);
  if (mode === "check" && gasWanted < gasUsed) {
    throw sdk.outOfGas(`out of gas in location: devnet ante; gasWanted: ${gasWanted}, gasUsed: ${gasUsed}`);
  }

  const charge = feeToCharge(state, authInfo, messages, gasWanted, mode, pubAddress);

  let nonce: string | undefined;
  if (body.unordered) {
    if (si.sequence !== 0n) throw sdk.invalidRequest("unordered transaction must have sequence 0");
    if (!body.timeoutTimestamp) throw sdk.invalidRequest("unordered transaction must have timeout_timestamp set");
    const ms = Number(body.timeoutTimestamp.seconds) * 1000 + body.timeoutTimestamp.nanos / 1e6;
    if (ms <= state.time.getTime()) throw sdk.invalidRequest("unordered transaction has a timeout_timestamp that has already passed");
    if (ms > state.time.getTime() + MAX_UNORDERED_TIMEOUT_MS) throw sdk.invalidRequest("unordered tx ttl exceeds 10m0s");
    nonce = `${pubAddress}|${body.timeoutTimestamp.seconds}.${body.timeoutTimestamp.nanos}`;
    if (state.unorderedNonces.has(nonce)) throw sdk.txInMempool("tx is duplicated");
  } else if (si.sequence !== account.sequence) {
    throw sdk.wrongSequence(`account sequence mismatch, expected ${account.sequence}, got ${si.sequence}`);
  }

  if (mode === "check") {
    const signDoc = toBinary(
      SignDocSchema,
      create(SignDocSchema, { bodyBytes: raw.bodyBytes, authInfoBytes: raw.authInfoBytes, chainId: state.chainId, accountNumber: account.accountNumber }),
    );
    if (!verifySecp256k1(pubKey, signDoc, raw.signatures[0]!)) {
      throw sdk.unauthorized(
        `signature verification failed; please verify account number (${account.accountNumber}) and chain-id (${state.chainId})`,
      );
    }
    if (nonce) state.unorderedNonces.add(nonce);
    else account.sequence += 1n;
    account.pubKey ??= pubKey;
    charge.apply();
  }
  return { hash: sha256Hex(txRaw), txRaw, body, authInfo, messages, signer: account, pubKey, gasWanted, gasUsed, feePaid: charge.coins, feePayer: charge.from };
}

/**
 * The fee decorator of v0.2.12+: the fee checker (min gas price, duty bypass), then the fee
 * granter's allowance and the payer's balance. Returns what to apply once the tx is accepted.
 */
function feeToCharge(
  state: ChainState,
  authInfo: AuthInfo,
  messages: CheckedTx["messages"],
  gasWanted: bigint,
  mode: "check" | "simulate",
  signer: string,
): { coins: { denom: string; amount: bigint }[]; from: string; apply: () => void } {
  const stated = (authInfo.fee?.amount ?? []).map((c) => {
    if (!/^\d+$/.test(c.amount)) throw sdk.invalidCoins(`invalid fee amount ${c.amount}`);
    return { denom: c.denom, amount: BigInt(c.amount) };
  });
  // DeductFees: `!fees.IsValid()` → "invalid fee amount" (a duplicate denom would pay once, count twice)
  const feeProblem = stated.length ? coinsProblem(stated) : null;
  if (feeProblem) throw sdk.insufficientFee(`invalid fee amount: ${stated.map((c) => `${c.amount}${c.denom}`).join(",")} (${feeProblem})`);
  const exempt = isFeeExempt(messages);
  if (mode === "check" && exempt && gasWanted > MAX_EXEMPT_GAS) throw sdk.invalidGasLimit(`fee-exempt tx gas limit ${gasWanted} exceeds ${MAX_EXEMPT_GAS}`);
  if (mode === "check") {
    if (gasWanted === 0n) throw sdk.invalidGasLimit("must provide positive gas");
    const required = requiredFee(state, gasWanted, exempt);
    const paid = stated.filter((c) => c.denom === "ngonka").reduce((n, c) => n + c.amount, 0n);
    if (paid < required) throw sdk.insufficientFee(`insufficient fees; got: ${paid}ngonka required: ${required}ngonka`);
  }
  // duty txs are charged nothing, even when they state a fee
  const coins = exempt ? [] : stated.filter((c) => c.amount > 0n);
  const payer = authInfo.fee?.payer ? signerAccount(authInfo.fee.payer) : signer;
  if (payer !== signer) throw sdk.invalidRequest(`fee payer ${payer} is not the tx signer`);
  const granter = authInfo.fee?.granter ? signerAccount(authInfo.fee.granter) : "";
  let applyGrant = () => {};
  let from = payer;
  if (granter && granter !== payer) {
    applyGrant = useGrantedFees(state, granter, payer, coins, messages.map((m) => m.typeUrl));
    from = granter;
  }
  if (granter && !state.accounts.has(granter)) throw sdk.unknownAddress(`fee payer address: ${granter} does not exist`);
  for (const c of coins) {
    const have = state.balance(from, c.denom);
    if (have < c.amount) throw sdk.insufficientFunds(`spendable balance ${have}${c.denom} is smaller than ${c.amount}${c.denom}`);
  }
  return {
    coins,
    from,
    apply: () => {
      applyGrant();
      const bal = state.balances.get(from);
      for (const c of coins) bal?.set(c.denom, (bal.get(c.denom) ?? 0n) - c.amount);
      if (coins.length) state.fund(FEE_COLLECTOR_ADDRESS, coins);
    },
  };
}

const DENOM = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;

/**
 * The SDK's `Coins.Validate`, returning the problem (or null): every denom valid, every amount a
 * positive integer, denoms sorted and unique ("duplicate denomination ngonka"). A coin list that
 * passes cannot spend one balance twice.
 */
export function coinsProblem(coins: readonly { denom: string; amount: string | bigint }[]): string | null {
  for (let i = 0; i < coins.length; i++) {
    const { denom, amount } = coins[i]!;
    if (!DENOM.test(denom)) return `invalid denom: ${denom}`;
    const a = String(amount);
    if (!/^\d+$/.test(a) || BigInt(a) === 0n) return `coin ${a}${denom} amount is not positive`;
    if (i > 0) {
      const prev = coins[i - 1]!.denom;
      if (prev === denom) return `duplicate denomination ${denom}`;
      if (prev > denom) return `denomination ${denom} is not sorted`;
    }
  }
  return null;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export { AbciError };
