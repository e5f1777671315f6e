import { guardAction } from "../validate.js";
import { toUint64 } from "../tx.js";
import { create } from "@bufbuild/protobuf";
import { MsgRespondDealerComplaintsSchema } from "../../../generated/proto/inference/bls/tx_pb.js";
import { InvalidArgumentError } from "../../errors.js";
import type { ChainContext } from "../context.js";
import type { TxSigner } from "../keys.js";
import { decodeAddress } from "../address.js";
import { sendTx, txOptions } from "../send.js";
import type { TxResult } from "../broadcast.js";
import { resolveMessages } from "../messages.js";
import { MsgExecSchema } from "../../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import type { DutyOptions } from "./inference.js";

/** One answer to a complaint against the signer's dealing (bls `DealerComplaintResponse`). */
export interface DealerComplaintAnswer {
  /** Index of the participant who complained. */
  complainerIndex: number;
  /** The disputed share, revealed. */
  responseShareBytes: Uint8Array;
  /** What proves the share matches the dealer's commitment. */
  responseOpeningMaterial: Uint8Array;
}

function u32(argument: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new InvalidArgumentError(argument, "must be an integer in [0, 2^32)");
  return v;
}

/**
 * Builds bls `MsgRespondDealerComplaints` (v0.2.12, the DKG dispute phase).
 *
 * @example
 * ```ts
 * respondDealerComplaintsMessage(cold.address, { epochId: 231n, dealerIndex: 1, responses: [{ complainerIndex: 4, responseShareBytes, responseOpeningMaterial }] });
 * ```
 */
export function respondDealerComplaintsMessage(creator: string, a: { epochId: bigint | number; dealerIndex: number; responses: readonly DealerComplaintAnswer[] }) {
  decodeAddress(creator, "gonka", "creator");
  if (!a.responses?.length) throw new InvalidArgumentError("responses", "at least one response is required");
  const epochId = toUint64("epochId", a.epochId);
  if (epochId < 0n) throw new InvalidArgumentError("epochId", "must not be negative");
  return create(MsgRespondDealerComplaintsSchema, {
    creator,
    epochId,
    dealerIndex: u32("dealerIndex", a.dealerIndex),
    responses: a.responses.map((r, i) => {
      if (!(r.responseShareBytes instanceof Uint8Array) || !(r.responseOpeningMaterial instanceof Uint8Array)) {
        throw new InvalidArgumentError(`responses[${i}]`, "responseShareBytes and responseOpeningMaterial must be bytes");
      }
      return { complainerIndex: u32(`responses[${i}].complainerIndex`, r.complainerIndex), responseShareBytes: r.responseShareBytes, responseOpeningMaterial: r.responseOpeningMaterial };
    }),
  });
}

/**
 * Answers complaints against the signer's DKG dealing during the bls dispute phase
 * (`MsgRespondDealerComplaints`, v0.2.12). An ML-ops grant since v0.2.13: pass `granter` (the
 * cold account) to send it from the warm key inside `MsgExec`. Not fee-exempt.
 *
 * @example
 * ```ts
 * await respondDealerComplaints(chain, warm, { granter: cold.address, epochId: 231n, dealerIndex: 1, responses });
 * ```
 */
export const respondDealerComplaints = /* @__PURE__ */ guardAction("respondDealerComplaints", async function respondDealerComplaints(
  ctx: ChainContext,
  wallet: TxSigner,
  args: DutyOptions & { epochId: bigint | number; dealerIndex: number; responses: readonly DealerComplaintAnswer[] },
): Promise<TxResult> {
  const msg = respondDealerComplaintsMessage(args.granter ?? wallet.address, args);
  if (args.granter === undefined || args.granter === wallet.address) return sendTx(ctx, wallet, [msg], txOptions(args));
  const exec = create(MsgExecSchema, { grantee: wallet.address, msgs: resolveMessages([msg]).map((m) => m.any) });
  return sendTx(ctx, wallet, [exec], txOptions(args));
});
