import { fromBinary } from "@bufbuild/protobuf";
import type { OfflineDirectSigner } from "@cosmjs/proto-signing";
import { base64 } from "@scure/base";
import { SignDocSchema } from "../../generated/proto/cosmos/tx/v1beta1/tx_pb.js";
import { InvalidArgumentError } from "../errors.js";
import type { TxSigner } from "./keys.js";
import { addressFromPublicKey } from "./address.js";

/**
 * Adapts any cosmjs `OfflineDirectSigner` (Keplr, Leap, a cosmjs `DirectSecp256k1HdWallet`
 * created with Gonka's path and prefix, a remote signer) to a {@link TxSigner}, so `signTx` and
 * every action can use it. The SignDoc bytes are decoded and handed to `signDirect`; the signer
 * must not change them.
 *
 * @example
 * ```ts
 * const signer = await txSignerFromOfflineSigner(window.keplr.getOfflineSigner("gonka-mainnet"));
 * await chain.vote(signer, { proposalId: 2n, option: "yes" });
 * ```
 * @throws {InvalidArgumentError} when the signer has no secp256k1 account (or not `address`).
 */
export async function txSignerFromOfflineSigner(signer: OfflineDirectSigner, address?: string): Promise<TxSigner> {
  const accounts = await signer.getAccounts();
  const account = address ? accounts.find((a) => a.address === address) : accounts[0];
  if (!account) throw new InvalidArgumentError("address", address ? `the signer does not hold ${address}` : "the signer has no accounts");
  if (account.algo !== "secp256k1") throw new InvalidArgumentError("signer", `account algorithm is ${account.algo}; Gonka accounts use secp256k1`);
  const publicKey = Uint8Array.from(account.pubkey);
  if (addressFromPublicKey(publicKey) !== account.address) {
    throw new InvalidArgumentError("signer", `its public key does not derive ${account.address} (wrong bech32 prefix or coin type?)`);
  }
  return {
    address: account.address,
    publicKey,
    async signBytes(bytes: Uint8Array): Promise<Uint8Array> {
      const doc = fromBinary(SignDocSchema, bytes);
      const res = await signer.signDirect(account.address, {
        bodyBytes: doc.bodyBytes,
        authInfoBytes: doc.authInfoBytes,
        chainId: doc.chainId,
        accountNumber: doc.accountNumber,
      });
      const signed = res.signed;
      const same =
        signed.chainId === doc.chainId &&
        BigInt(signed.accountNumber) === doc.accountNumber &&
        equal(signed.bodyBytes, doc.bodyBytes) &&
        equal(signed.authInfoBytes, doc.authInfoBytes);
      if (!same) throw new InvalidArgumentError("signer", "the signer changed the transaction it was asked to sign");
      return base64.decode(res.signature.signature);
    },
  };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
