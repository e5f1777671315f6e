import { guardAction } from "../validate.js";
import { create, type Message } from "@bufbuild/protobuf";
import { anyPack, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { MsgGrantSchema, MsgRevokeSchema } from "../../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import { GenericAuthorizationSchema } from "../../../generated/proto/cosmos/authz/v1beta1/authz_pb.js";
import { MsgGrantAllowanceSchema, MsgRevokeAllowanceSchema } from "../../../generated/proto/cosmos/feegrant/v1beta1/tx_pb.js";
import { BasicAllowanceSchema } from "../../../generated/proto/cosmos/feegrant/v1beta1/feegrant_pb.js";
import { InvalidArgumentError } from "../../errors.js";
import type { ChainContext } from "../context.js";
import type { TxSigner } from "../keys.js";
import { decodeAddress } from "../address.js";
import { schemaForTypeUrl } from "../registry.js";
import { toCoins, type CoinLike } from "../coins.js";
import { sendTx, txOptions, type TxOptions } from "../send.js";
import type { TxResult } from "../broadcast.js";
import { getFeeAllowance } from "../query/feegrant.js";
import { ML_OPS_FEE_ALLOWANCE, ML_OPS_GRANT_TYPE_URLS } from "../../network/mlops.js";

/**
 * The 20 message types `inferenced tx inference grant-ml-ops-permissions` grants to the ML-ops
 * (warm) key at chain v0.2.13, in the CLI's order (the list lives in `src/network/mlops.ts`).
 */
export const ML_OPS_MESSAGE_TYPES: readonly string[] = ML_OPS_GRANT_TYPE_URLS;

/** The fee allowance of {@link grantMlOpsPermissions}: a feegrant `BasicAllowance`. */
export interface MlOpsFeeAllowanceOptions {
  /** Spend limit (default 10 GNK = 10,000,000,000 ngonka, like the CLI); `[]` = unlimited. */
  spendLimit?: CoinLike[];
  /** Expiry (default: the grants' expiration); `null` = never. */
  expiration?: Date | null;
}

/** Arguments of {@link grantMlOpsPermissions}. */
export interface GrantMlOpsArgs extends TxOptions {
  /** The ML-ops (warm) key's address. */
  grantee: string;
  /** Grant expiry (default: now + 365 days, like the CLI). */
  expiration?: Date;
  /** Message types to grant (default {@link ML_OPS_MESSAGE_TYPES}). */
  msgTypeUrls?: readonly string[];
  /**
   * The fee allowance cold → warm that pays the warm key's txs (`fee.granter`): granted only when
   * the pair has none yet (the chain refuses a second one). `false` skips it.
   */
  feeAllowance?: MlOpsFeeAllowanceOptions | false;
}

/** What {@link grantMlOpsPermissions} did. */
export interface GrantMlOpsResult extends TxResult {
  /** Number of `MsgGrant`s sent. */
  grants: number;
  /** `"granted"`: the tx carried a `MsgGrantAllowance`; `"exists"`: the pair already had one; `"skipped"`: not asked for. */
  feeAllowance: "granted" | "exists" | "skipped";
}

function checkExpiration(argument: string, d: Date): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime()) || d.getTime() <= Date.now()) {
    throw new InvalidArgumentError(argument, "must be a valid date in the future");
  }
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
  checkExpiration("expiration", expiration);
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
 * Builds the `MsgGrantAllowance` of {@link grantMlOpsPermissions}: a `BasicAllowance` from the
 * cold account to the warm key (default spend limit {@link ML_OPS_FEE_ALLOWANCE}, 10 GNK).
 *
 * @example
 * ```ts
 * mlOpsFeeAllowanceMessage(cold.address, warm.address, { expiration: new Date("2027-11-21T00:00:00Z") });
 * ```
 */
export function mlOpsFeeAllowanceMessage(granter: string, grantee: string, options: { spendLimit?: CoinLike[]; expiration: Date | null }) {
  decodeAddress(granter, "gonka", "granter");
  decodeAddress(grantee, "gonka", "grantee");
  if (options.expiration !== null) checkExpiration("feeAllowance.expiration", options.expiration);
  const spendLimit = toCoins("feeAllowance.spendLimit", options.spendLimit ?? ML_OPS_FEE_ALLOWANCE.spendLimit.map((c) => ({ ...c })));
  const basic = create(BasicAllowanceSchema, {
    spendLimit,
    ...(options.expiration !== null ? { expiration: timestampFromDate(options.expiration) } : {}),
  });
  return create(MsgGrantAllowanceSchema, {
    granter,
    grantee,
    allowance: { ...anyPack(BasicAllowanceSchema, basic), typeUrl: ML_OPS_FEE_ALLOWANCE.typeUrl },
  });
}

/**
 * Grants the ML-ops (warm) key the permissions of `grant-ml-ops-permissions` (chain v0.2.12+) in
 * one tx signed by the account (cold) key: 20 `MsgGrant`s, then — when the pair has no fee
 * allowance yet (queried first) — one `MsgGrantAllowance` with a 10 GNK `BasicAllowance`, so the
 * warm key's txs can name the cold account as `feeGranter`. Gas is simulated unless given (the CLI
 * docs use 2,000,000); the fee follows the chain's minimum gas price.
 *
 * @example
 * ```ts
 * const r = await grantMlOpsPermissions(chain, cold, { grantee: warm.address });
 * r.grants;        // 20
 * r.feeAllowance;  // "granted" (or "exists" when the pair already had one)
 * ```
 */
export const grantMlOpsPermissions = /* @__PURE__ */ guardAction("grantMlOpsPermissions", async function grantMlOpsPermissions(ctx: ChainContext, wallet: TxSigner, args: GrantMlOpsArgs): Promise<GrantMlOpsResult> {
  const expiration = args.expiration ?? new Date(Date.now() + 365 * 24 * 3600_000);
  const grants = mlOpsGrantMessages(wallet.address, args.grantee, expiration, args.msgTypeUrls);
  const messages: Message[] = [...grants];
  let feeAllowance: GrantMlOpsResult["feeAllowance"] = "skipped";
  if (args.feeAllowance !== false) {
    const opts = args.feeAllowance ?? {};
    const allowance = mlOpsFeeAllowanceMessage(wallet.address, args.grantee, {
      ...(opts.spendLimit ? { spendLimit: opts.spendLimit } : {}),
      expiration: opts.expiration === undefined ? expiration : opts.expiration,
    });
    if (await getFeeAllowance(ctx, wallet.address, args.grantee)) feeAllowance = "exists";
    else {
      messages.push(allowance);
      feeAllowance = "granted";
    }
  }
  const result = await sendTx(ctx, wallet, messages, txOptions(args));
  return { ...result, grants: grants.length, feeAllowance };
});

/** What {@link revokeMlOpsPermissions} did. */
export interface RevokeMlOpsResult extends TxResult {
  /** Number of `MsgRevoke`s sent. */
  revoked: number;
  /** `"revoked"`: the tx carried a `MsgRevokeAllowance`; `"none"`: the pair had no allowance; `"skipped"`: not asked for. */
  feeAllowance: "revoked" | "none" | "skipped";
}

/**
 * Revokes the ML-ops grants (`MsgRevoke` per type; default all 20) and, when the pair has one,
 * the cold → warm fee allowance (`MsgRevokeAllowance`), in one tx.
 *
 * @example
 * ```ts
 * const r = await revokeMlOpsPermissions(chain, cold, { grantee: warm.address });
 * r.feeAllowance; // "revoked"
 * ```
 */
export const revokeMlOpsPermissions = /* @__PURE__ */ guardAction("revokeMlOpsPermissions", async function revokeMlOpsPermissions(
  ctx: ChainContext,
  wallet: TxSigner,
  args: TxOptions & { grantee: string; msgTypeUrls?: readonly string[]; feeAllowance?: boolean },
): Promise<RevokeMlOpsResult> {
  decodeAddress(args.grantee, "gonka", "grantee");
  const urls = args.msgTypeUrls ?? ML_OPS_MESSAGE_TYPES;
  if (urls.length === 0 && args.feeAllowance === false) throw new InvalidArgumentError("msgTypeUrls", "must not be empty");
  const messages: Message[] = urls.map((msgTypeUrl) => create(MsgRevokeSchema, { granter: wallet.address, grantee: args.grantee, msgTypeUrl }));
  let feeAllowance: RevokeMlOpsResult["feeAllowance"] = "skipped";
  if (args.feeAllowance !== false) {
    if (await getFeeAllowance(ctx, wallet.address, args.grantee)) {
      messages.push(create(MsgRevokeAllowanceSchema, { granter: wallet.address, grantee: args.grantee }));
      feeAllowance = "revoked";
    } else feeAllowance = "none";
  }
  if (messages.length === 0) throw new InvalidArgumentError("msgTypeUrls", "nothing to revoke: no types given and the pair has no fee allowance");
  const result = await sendTx(ctx, wallet, messages, txOptions(args));
  return { ...result, revoked: urls.length, feeAllowance };
});
