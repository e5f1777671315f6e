import { guardAction } from "../validate.js";
import { create } from "@bufbuild/protobuf";
import { MsgSubmitNewParticipantSchema } from "../../../generated/proto/inference/inference/tx_pb.js";
import type { ChainContext } from "../context.js";
import type { TxSigner } from "../keys.js";
import { sendTx, txOptions, type TxOptions } from "../send.js";
import { checkEd25519Key, checkParticipantUrl } from "../validate.js";
import type { TxResult } from "../broadcast.js";

/** Arguments of {@link submitNewParticipant}. */
export interface SubmitNewParticipantArgs extends TxOptions {
  /** The participant's public URL (http/https with a host), e.g. `http://203.0.113.7:8000`. */
  url: string;
  /** The consensus key: standard base64 of the 32-byte ed25519 pubkey (`/status` → `validator_info.pub_key.value`). */
  validatorKey: string;
  /** Optional worker key (same format). */
  workerKey?: string;
}

/**
 * Registers (or updates) the signer as a participant: `inferenced tx inference submit-new-participant`.
 *
 * @example
 * ```ts
 * await submitNewParticipant(chain, coldWallet, { url: "http://203.0.113.7:8000", validatorKey: "dLSUAosb…pYw=" });
 * ```
 * @throws {InvalidArgumentError} for a bad URL or a key that is not base64 of 32 bytes.
 */
export const submitNewParticipant = /* @__PURE__ */ guardAction("submitNewParticipant", async function submitNewParticipant(ctx: ChainContext, wallet: TxSigner, args: SubmitNewParticipantArgs): Promise<TxResult> {
  checkParticipantUrl("url", args.url);
  checkEd25519Key("validatorKey", args.validatorKey);
  if (args.workerKey) checkEd25519Key("workerKey", args.workerKey);
  const msg = create(MsgSubmitNewParticipantSchema, {
    creator: wallet.address,
    url: args.url,
    validatorKey: args.validatorKey,
    workerKey: args.workerKey ?? "",
  });
  return sendTx(ctx, wallet, [msg], txOptions(args));
});

