import { create } from "@bufbuild/protobuf";
import { anyPack, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { MsgGrantSchema, MsgRevokeSchema } from "../../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import { GenericAuthorizationSchema } from "../../../generated/proto/cosmos/authz/v1beta1/authz_pb.js";
import { InvalidArgumentError } from "../../errors.js";
import type { ChainContext } from "../context.js";
import type { TxSigner } from "../keys.js";
import { decodeAddress } from "../address.js";
import { schemaForTypeUrl } from "../registry.js";
import { sendTx, txOptions, type TxOptions } from "../send.js";
import type { TxResult } from "../broadcast.js";
import { ML_OPS_GRANT_TYPE_URLS } from "../../network/mlops.js";

/**
 * The 20 message types `inferenced tx inference grant-ml-ops-permissions` grants to the ML-ops
 * (warm) key at chain v0.2.13, in the CLI's order (the list lives in `src/network/mlops.ts`).
 */
export const ML_OPS_MESSAGE_TYPES: readonly string[] = ML_OPS_GRANT_TYPE_URLS;

/** Arguments of {@link grantMlOpsPermissions}. */
export interface GrantMlOpsArgs extends TxOptions {
  /** The ML-ops (warm) key's address. */
  grantee: string;
  /** Grant expiry (default: now + 365 days, like the CLI). */
  expiration?: Date;
  /** Message types to grant (default {@link ML_OPS_MESSAGE_TYPES}). */
  msgTypeUrls?: readonly string[];
}

/**
 * Builds the `MsgGrant`s of {@link grantMlOpsPermissions} (one `GenericAuthorization` per type).
 *
 * @example
 * ```ts
 * const msgs = mlOpsGrantMessages(cold.address, warm.address, new Date("2027-11-21T00:00:00Z"));
 * msgs.length; // 20
 * ```
 */
export function mlOpsGrantMessages(granter: string, grantee: string, expiration: Date, msgTypeUrls: readonly string[] = ML_OPS_MESSAGE_TYPES) {
  decodeAddress(grantee, "gonka", "grantee");
  if (Number.isNaN(expiration.getTime()) || expiration.getTime() <= Date.now()) {
    throw new InvalidArgumentError("expiration", "must be a valid date in the future");
  }
  if (msgTypeUrls.length === 0) throw new InvalidArgumentError("msgTypeUrls", "must not be empty");
  return msgTypeUrls.map((url) => {
    schemaForTypeUrl(url);
    const auth = create(GenericAuthorizationSchema, { msg: url });
    return create(MsgGrantSchema, {
      granter,
      grantee,
      grant: {
        authorization: { ...anyPack(GenericAuthorizationSchema, auth), typeUrl: "/cosmos.authz.v1beta1.GenericAuthorization" },
        expiration: timestampFromDate(expiration),
      },
    });
  });
}

/**
 * Grants the ML-ops (warm) key the permissions of `grant-ml-ops-permissions` in one tx: 20
 * `MsgGrant`s, signed by the account (cold) key. Gas is simulated (the CLI docs use 2,000,000).
 *
 * @example
 * ```ts
 * await grantMlOpsPermissions(chain, cold, { grantee: warm.address });
 * ```
 */
export async function grantMlOpsPermissions(ctx: ChainContext, wallet: TxSigner, args: GrantMlOpsArgs): Promise<TxResult> {
  const expiration = args.expiration ?? new Date(Date.now() + 365 * 24 * 3600_000);
  return sendTx(ctx, wallet, mlOpsGrantMessages(wallet.address, args.grantee, expiration, args.msgTypeUrls), txOptions(args));
}

/**
 * Revokes ML-ops grants (`MsgRevoke` per type; default all 20) in one tx.
 *
 * @example
 * ```ts
 * await revokeMlOpsPermissions(chain, cold, { grantee: warm.address });
 * ```
 */
export async function revokeMlOpsPermissions(
  ctx: ChainContext,
  wallet: TxSigner,
  args: TxOptions & { grantee: string; msgTypeUrls?: readonly string[] },
): Promise<TxResult> {
  decodeAddress(args.grantee, "gonka", "grantee");
  const urls = args.msgTypeUrls ?? ML_OPS_MESSAGE_TYPES;
  if (urls.length === 0) throw new InvalidArgumentError("msgTypeUrls", "must not be empty");
  const msgs = urls.map((msgTypeUrl) => create(MsgRevokeSchema, { granter: wallet.address, grantee: args.grantee, msgTypeUrl }));
  return sendTx(ctx, wallet, msgs, txOptions(args));
}
