import { fromBinary, type Message } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { Query } from "../../../generated/proto/cosmos/auth/v1beta1/query_pb.js";
import type { BaseAccount } from "../../../generated/proto/cosmos/auth/v1beta1/auth_pb.js";
import { PubKeySchema } from "../../../generated/proto/cosmos/crypto/secp256k1/keys_pb.js";
import { pathSegment } from "../../http/index.js";
import type { ChainContext } from "../context.js";
import { AccountNotFoundError, MalformedResponseError, NodeRequestError } from "../errors.js";
import { decodeAddress } from "../address.js";
import { normalizeAnyTypeUrls, registry } from "../../proto/index.js";
import type { CallOptions } from "../transport/types.js";

/** The signing-relevant part of an auth account. */
export interface AccountInfo {
  /** `gonka1…`. */
  address: string;
  /** Account number (part of every SignDoc). */
  accountNumber: bigint;
  /** Next sequence. */
  sequence: bigint;
  /** Compressed secp256k1 public key, once the account has signed a tx. */
  publicKey?: Uint8Array;
}

/**
 * Account number and sequence of an address (`/cosmos/auth/v1beta1/accounts/{address}`).
 * Understands base, module and vesting accounts.
 *
 * @example
 * ```ts
 * const { accountNumber, sequence } = await getAccount(chain, wallet.address);
 * ```
 * @throws {AccountNotFoundError} when the chain has no such account (it has never received funds).
 */
export async function getAccount(ctx: Pick<ChainContext, "transport">, address: string, options?: CallOptions): Promise<AccountInfo> {
  decodeAddress(address);
  let res;
  try {
    res = await ctx.transport.unary(Query.method.account, { address }, { path: `/cosmos/auth/v1beta1/accounts/${pathSegment(address)}` }, options);
  } catch (e) {
    if (e instanceof NodeRequestError && (e.code === 5 || e.status === 404)) throw new AccountNotFoundError(address, { cause: e });
    throw e;
  }
  if (!res.account) throw new MalformedResponseError("auth/accounts", "the response has no account");
  const unpacked = anyUnpack(res.account, registry);
  const unpackedSchema = unpacked ? registry.getMessage(unpacked.$typeName) : undefined;
  if (unpacked && unpackedSchema) normalizeAnyTypeUrls(unpackedSchema, unpacked);
  const base = unpacked ? findBaseAccount(unpacked) : undefined;
  if (!base) throw new MalformedResponseError("auth/accounts", `cannot read account type ${res.account.typeUrl}`);
  const info: AccountInfo = { address: base.address, accountNumber: base.accountNumber, sequence: base.sequence };
  if (base.pubKey?.typeUrl === "/cosmos.crypto.secp256k1.PubKey") info.publicKey = fromBinary(PubKeySchema, base.pubKey.value).key;
  return info;
}

function findBaseAccount(m: Message, depth = 0): BaseAccount | undefined {
  if (m.$typeName === "cosmos.auth.v1beta1.BaseAccount") return m as BaseAccount;
  if (depth > 3) return undefined;
  for (const v of Object.values(m as unknown as Record<string, unknown>)) {
    if (v && typeof v === "object" && "$typeName" in v) {
      const found = findBaseAccount(v as Message, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}
