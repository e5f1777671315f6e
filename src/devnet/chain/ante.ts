import { create, fromBinary, getOption, toBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import { anyUnpack, type Any } from "@bufbuild/protobuf/wkt";
import { AuthInfoSchema, SignDocSchema, TxBodySchema, TxRawSchema, type AuthInfo, type TxBody } from "../../../generated/proto/cosmos/tx/v1beta1/tx_pb.js";
import { SignMode } from "../../../generated/proto/cosmos/tx/signing/v1beta1/signing_pb.js";
import { PubKeySchema } from "../../../generated/proto/cosmos/crypto/secp256k1/keys_pb.js";
import { signer as signerOption } from "../../../generated/proto/cosmos/msg/v1/msg_pb.js";
import { AbciError, sdk } from "./abci.js";
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
}

const MAX_UNORDERED_TIMEOUT_MS = 10 * 60_000;

/** Gas the devnet charges for one message (a fixed, documented model). */
export function messageGas(typeUrl: string): bigint {
  return typeUrl === "/cosmos.authz.v1beta1.MsgGrant" ? 20_000n : 30_000n;
}

/** Decodes an Any with the devnet registry. */
export function unpackAny(any: Any): { schema: DescMessage; message: Message } {
  const name = any.typeUrl.slice(any.typeUrl.lastIndexOf("/") + 1);
  const schema = devRegistry.getMessage(name);
  if (!schema) throw sdk.txDecode(`unable to resolve type URL ${any.typeUrl}`);
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
 * The ante handler: decodes the TxRaw with the generated schemas, checks signer, chain ID,
 * account number and signature (node:crypto), sequence or unordered nonce, memo, timeout, gas and
 * fee. On success (not simulating) it bumps the sequence and charges the fee.
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
  }

  const gasWanted = authInfo.fee?.gasLimit ?? 0n;
  // Simulation sends an empty signature; charge for the 64 bytes a real one adds, like the SDK does.
  const missingSigBytes = mode === "simulate" ? raw.signatures.reduce((n, sig) => n + Math.max(0, 64 - sig.length), 0) : 0;
  let gasUsed = 1000n + 10n * BigInt(txRaw.length + missingSigBytes);
  for (const m of messages) gasUsed += messageGas(m.typeUrl);
  if (mode === "check" && gasWanted < gasUsed) {
    throw sdk.outOfGas(`out of gas in location: devnet ante; gasWanted: ${gasWanted}, gasUsed: ${gasUsed}`);
  }

  const fee = authInfo.fee?.amount ?? [];
  for (const c of fee) {
    if (!/^\d+$/.test(c.amount)) throw sdk.invalidCoins(`invalid fee amount ${c.amount}`);
    const have = state.balance(pubAddress, c.denom);
    if (have < BigInt(c.amount)) throw sdk.insufficientFunds(`spendable balance ${have}${c.denom} is smaller than ${c.amount}${c.denom}`);
  }
  if (mode === "check" && state.minGasPrice > 0) {
    const required = BigInt(Math.ceil(state.minGasPrice * Number(gasWanted)));
    const paid = BigInt(fee.find((c) => c.denom === "ngonka")?.amount ?? "0");
    if (paid < required) throw sdk.insufficientFee(`insufficient fees; got: ${paid}ngonka required: ${required}ngonka`);
  }

  if (mode === "check") {
    if (nonce) state.unorderedNonces.add(nonce);
    else account.sequence += 1n;
    account.pubKey ??= pubKey;
    const bal = state.balances.get(pubAddress);
    for (const c of fee) bal?.set(c.denom, (bal.get(c.denom) ?? 0n) - BigInt(c.amount));
  }
  return { hash: sha256Hex(txRaw), txRaw, body, authInfo, messages, signer: account, pubKey, gasWanted, gasUsed };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export { AbciError };
