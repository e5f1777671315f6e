import { guardAction } from "../validate.js";
import { create } from "@bufbuild/protobuf";
import { MsgExecSchema } from "../../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import { InvalidArgumentError } from "../../errors.js";
import type { ChainContext } from "../context.js";
import type { TxSigner } from "../keys.js";
import { resolveMessages, type TxMessage } from "../messages.js";
import { validateMessages } from "../validate.js";
import { sendTx, txOptions, type TxOptions } from "../send.js";
import type { TxResult } from "../broadcast.js";

/**
 * Wraps messages signed-for by another account (their `creator` is the granter, e.g. the cold
 * key) in an authz `MsgExec` sent by the grantee (the warm key), as the API node does.
 *
 * @example
 * ```ts
 * await execAs(chain, warm, {
 *   unordered: true,
 *   messages: [create(MsgSubmitPocBatchSchema, { creator: cold.address, pocStageStartBlockHeight: 93600n, batchId, nonces, dist })],
 * });
 * ```
 */
export const execAs = /* @__PURE__ */ guardAction("execAs", async function execAs(ctx: ChainContext, grantee: TxSigner, args: TxOptions & { messages: readonly TxMessage[] }): Promise<TxResult> {
  if (!args.messages?.length) throw new InvalidArgumentError("messages", "at least one message is required");
  const inner = resolveMessages(args.messages);
  validateMessages(inner, "messages");
  const exec = create(MsgExecSchema, { grantee: grantee.address, msgs: inner.map((m) => m.any) });
  return sendTx(ctx, grantee, [exec], txOptions(args));
});
