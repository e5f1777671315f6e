import { secp256k1 } from "@noble/curves/secp256k1.js";
import { HDKey } from "@scure/bip32";
import { mnemonicToSeed, mnemonicToSeedWebcrypto } from "@scure/bip39";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import type { OfflineDirectSigner, DirectSignResponse } from "@cosmjs/proto-signing";
import { addressFromPublicKey, encodeAddress, decodeAddress, VALOPER_PREFIX } from "./address.js";
import { toBase64, tryFromHex } from "./bytes.js";
import { InvalidArgumentError } from "../errors.js";
import { InvalidPrivateKeyError } from "./errors.js";
import { checkMnemonic, generateMnemonic } from "./mnemonic.js";
import { resolveHdPath, type HdPathOptions } from "./hdpath.js";

/** The cosmjs `SignDoc` shape accepted by {@link OfflineDirectSigner.signDirect}. */
export type CosmjsSignDoc = Parameters<OfflineDirectSigner["signDirect"]>[1];

/**
 * Anything that can sign a Gonka transaction with SIGN_MODE_DIRECT: an address, its compressed
 * secp256k1 public key, and a function that signs bytes (sha256, then ECDSA, 64-byte r‖s low-S).
 * A {@link Wallet} is one; hardware or remote signers can implement it too.
 */
export interface TxSigner {
  /** Account address, `gonka1…`. */
  readonly address: string;
  /** Compressed secp256k1 public key (33 bytes). */
  readonly publicKey: Uint8Array;
  /** Signs `sha256(bytes)`; returns the 64-byte compact low-S signature. */
  signBytes(bytes: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/**
 * A secp256k1 account key held in memory. The private key lives in a closure: it is not a
 * property, is left out of `JSON.stringify` and `console.log`, and is only returned by
 * {@link Wallet.exportPrivateKey}.
 */
export interface Wallet extends TxSigner {
  /** Account address, `gonka1…`. */
  readonly address: string;
  /** Validator operator address with the same bytes, `gonkavaloper1…`. */
  readonly valoper: string;
  /** Compressed secp256k1 public key (33 bytes). */
  readonly publicKey: Uint8Array;
  /** The public key as standard base64 (the form the chain and the API node show). */
  readonly publicKeyBase64: string;
  /** The BIP-32 path the key came from, when it came from a mnemonic. */
  readonly hdPath?: string;
  /** A cosmjs-compatible signer for `SigningStargateClient` and other cosmjs tooling. */
  readonly signer: OfflineDirectSigner;
  /** Signs `sha256(bytes)` synchronously; 64-byte compact low-S signature (RFC 6979). */
  signBytes(bytes: Uint8Array): Uint8Array;
  /** Returns a copy of the 32-byte private key. Treat it as a secret. */
  exportPrivateKey(): Uint8Array;
}

/**
 * Derives a wallet from a BIP-39 English mnemonic. Default path `m/44'/1200'/0'/0/0` (Gonka's coin
 * type 1200). Keplr and cosmjs default to coin type 118, which gives a **different** address for
 * the same words: pass `{ coinType: 118 }` to reproduce those.
 *
 * @example
 * ```ts
 * const wallet = await walletFromMnemonic(process.env.MNEMONIC!);
 * wallet.address; // "gonka1…"
 * const second = await walletFromMnemonic(phrase, { accountIndex: 1 }); // m/44'/1200'/0'/0/1
 * ```
 * @throws {InvalidMnemonicError} for a wrong word, wrong checksum or wrong length.
 */
export async function walletFromMnemonic(
  mnemonic: string,
  options: HdPathOptions & { passphrase?: string } = {},
): Promise<Wallet> {
  const phrase = checkMnemonic(mnemonic);
  const hdPath = resolveHdPath(options);
  // WebCrypto's native PBKDF2 when present (Node ≥ 20, browsers), else the pure-JS one.
  const seed = globalThis.crypto?.subtle
    ? await mnemonicToSeedWebcrypto(phrase, options.passphrase ?? "")
    : await mnemonicToSeed(phrase, options.passphrase ?? "");
  const node = HDKey.fromMasterSeed(seed).derive(hdPath);
  seed.fill(0);
  const key = node.privateKey;
  if (!key) throw new InvalidPrivateKeyError("derivation produced no private key");
  const wallet = makeWallet(Uint8Array.from(key), hdPath);
  node.wipePrivateData();
  return wallet;
}

/**
 * A wallet from a raw 32-byte secp256k1 private key (bytes or hex, optional `0x`).
 *
 * @example
 * ```ts
 * const wallet = walletFromPrivateKey("9e8ba689…b74c");
 * ```
 * @throws {InvalidPrivateKeyError} when the key is not 32 bytes of hex or is out of range.
 */
export function walletFromPrivateKey(privateKey: Uint8Array | string): Wallet {
  let bytes: Uint8Array;
  if (typeof privateKey === "string") {
    const decoded = tryFromHex(privateKey.trim());
    if (!decoded) throw new InvalidPrivateKeyError("expected 64 hex characters (optionally 0x-prefixed)");
    bytes = decoded;
  } else if (privateKey instanceof Uint8Array) {
    bytes = Uint8Array.from(privateKey);
  } else {
    throw new InvalidPrivateKeyError("expected a Uint8Array or a hex string");
  }
  if (bytes.length !== 32) throw new InvalidPrivateKeyError(`is ${bytes.length} bytes, expected 32`);
  if (!secp256k1.utils.isValidSecretKey(bytes)) {
    throw new InvalidPrivateKeyError("is zero or not below the secp256k1 group order");
  }
  return makeWallet(bytes, undefined);
}

/**
 * A new random wallet and its 24-word mnemonic (default path). Store the mnemonic safely: it is
 * the only way to recover the key.
 *
 * @example
 * ```ts
 * const { wallet, mnemonic } = await generateWallet();
 * ```
 */
export async function generateWallet(
  options: HdPathOptions & { words?: 12 | 24 } = {},
): Promise<{ wallet: Wallet; mnemonic: string }> {
  const mnemonic = generateMnemonic(options.words ?? 24);
  return { wallet: await walletFromMnemonic(mnemonic, options), mnemonic };
}

/**
 * Verifies a 64-byte compact secp256k1 signature over `sha256(bytes)` (the chain's rule: low-S only).
 */
export function verifySignature(publicKey: Uint8Array, bytes: Uint8Array, signature: Uint8Array): boolean {
  try {
    return secp256k1.verify(signature, bytes, publicKey, { prehash: true, lowS: true });
  } catch {
    return false;
  }
}

function makeWallet(privateKey: Uint8Array, hdPath: string | undefined): Wallet {
  const publicKey = secp256k1.getPublicKey(privateKey, true);
  const address = addressFromPublicKey(publicKey);
  const valoper = encodeAddress(decodeAddress(address), VALOPER_PREFIX);
  const publicKeyBase64 = toBase64(publicKey);
  const signBytes = (bytes: Uint8Array): Uint8Array =>
    secp256k1.sign(bytes, privateKey, { prehash: true, lowS: true });

  const signer: OfflineDirectSigner = {
    getAccounts: async () => [{ address, algo: "secp256k1", pubkey: Uint8Array.from(publicKey) }],
    signDirect: async (signerAddress: string, signDoc: CosmjsSignDoc): Promise<DirectSignResponse> => {
      if (signerAddress !== address) {
        throw new InvalidArgumentError("signerAddress", `this signer holds ${address} only`);
      }
      const sig = signBytes(encodeCosmjsSignDoc(signDoc));
      return {
        signed: signDoc,
        signature: {
          pub_key: { type: "tendermint/PubKeySecp256k1", value: publicKeyBase64 },
          signature: toBase64(sig),
        },
      };
    },
  };

  const wallet: Wallet & { toJSON(): unknown } = {
    address,
    valoper,
    publicKey,
    publicKeyBase64,
    ...(hdPath !== undefined ? { hdPath } : {}),
    signer,
    signBytes,
    exportPrivateKey: () => Uint8Array.from(privateKey),
    toJSON: () => ({ address, valoper, publicKey: publicKeyBase64, ...(hdPath ? { hdPath } : {}) }),
  };
  Object.defineProperty(wallet, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => `Wallet { address: '${address}' }`,
    enumerable: false,
  });
  return Object.freeze(wallet);
}

/** SIGN_MODE_DIRECT bytes of a cosmjs SignDoc (fields 1–4 of cosmos.tx.v1beta1.SignDoc). */
function encodeCosmjsSignDoc(doc: CosmjsSignDoc): Uint8Array {
  const w = new BinaryWriter();
  if (doc.bodyBytes.length) w.uint32(10).bytes(doc.bodyBytes);
  if (doc.authInfoBytes.length) w.uint32(18).bytes(doc.authInfoBytes);
  if (doc.chainId) w.uint32(26).string(doc.chainId);
  if (doc.accountNumber !== 0n) w.uint32(32).uint64(doc.accountNumber);
  return w.finish();
}
