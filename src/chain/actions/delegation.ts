import { guardAction } from "../validate.js";
import { create } from "@bufbuild/protobuf";
import {
  MsgDeclarePoCIntentSchema,
  MsgRefusePoCDelegationSchema,
  MsgSetPoCDelegationSchema,
} from "../../../generated/proto/inference/inference/poc_delegation_pb.js";
import { InvalidArgumentError } from "../../errors.js";
import type { ChainContext } from "../context.js";
import type { TxSigner } from "../keys.js";
import { decodeAddress } from "../address.js";
import { sendTx, txOptions, type TxOptions } from "../send.js";
import type { TxResult } from "../broadcast.js";

function modelIdOf(modelId: unknown): string {
  if (typeof modelId !== "string" || !modelId.trim()) throw new InvalidArgumentError("modelId", "must name a PoC model, e.g. \"moonshotai/Kimi-K2.6\"");
  return modelId;
}

/**
 * Builds `MsgSetPoCDelegation` (v0.2.12): `sender` gives its PoC-validation power for `modelId`
 * to `delegateTo`; an empty `delegateTo` clears the delegation. Delegating to yourself is refused.
 *
 * @example
 * ```ts
 * setPoCDelegationMessage(host.address, { modelId: "moonshotai/Kimi-K2.6", delegateTo: "gonka1…" });
 * ```
 */
export function setPoCDelegationMessage(sender: string, args: { modelId: string; delegateTo: string }) {
  decodeAddress(sender, "gonka", "sender");
  const modelId = modelIdOf(args.modelId);
  const delegateTo = args.delegateTo ?? "";
  if (delegateTo !== "") {
    decodeAddress(delegateTo, "gonka", "delegateTo");
    if (delegateTo === sender) throw new InvalidArgumentError("delegateTo", "is the sender; the chain refuses delegating to yourself (use an empty delegateTo to clear a delegation)");
  }
  return create(MsgSetPoCDelegationSchema, { sender, modelId, delegateTo });
}

/** Builds `MsgRefusePoCDelegation` (v0.2.12) for `modelId`. */
export function refusePoCDelegationMessage(sender: string, args: { modelId: string }) {
  decodeAddress(sender, "gonka", "sender");
  return create(MsgRefusePoCDelegationSchema, { sender, modelId: modelIdOf(args.modelId) });
}

/** Builds `MsgDeclarePoCIntent` (v0.2.12) for `modelId`. */
export function declarePoCIntentMessage(sender: string, args: { modelId: string }) {
  decodeAddress(sender, "gonka", "sender");
  return create(MsgDeclarePoCIntentSchema, { sender, modelId: modelIdOf(args.modelId) });
}

/**
 * The per-model PoC participation choice DELEGATE (spec chain-upgrades §7.4): the signer gives
 * its PoC-validation power for one model to another participant (block signing and gov power are
 * unaffected; it costs `delegation_params.delegation_share`). `delegateTo: ""` clears it.
 * Delegations freeze `deploy_window` blocks before the PoC start.
 *
 * @example
 * ```ts
 * await setPoCDelegation(chain, host, { modelId: "moonshotai/Kimi-K2.6", delegateTo: "gonka1…" });
 * ```
 */
export const setPoCDelegation = /* @__PURE__ */ guardAction("setPoCDelegation", async function setPoCDelegation(ctx: ChainContext, wallet: TxSigner, args: TxOptions & { modelId: string; delegateTo: string }): Promise<TxResult> {
  return sendTx(ctx, wallet, [setPoCDelegationMessage(wallet.address, args)], txOptions(args));
});

/**
 * The per-model PoC participation choice REFUSE: the signer neither commits PoC for the model nor
 * delegates (it costs `delegation_params.refusal_penalty`).
 *
 * @example
 * ```ts
 * await refusePoCDelegation(chain, host, { modelId: "MiniMaxAI/MiniMax-M2.7" });
 * ```
 */
export const refusePoCDelegation = /* @__PURE__ */ guardAction("refusePoCDelegation", async function refusePoCDelegation(ctx: ChainContext, wallet: TxSigner, args: TxOptions & { modelId: string }): Promise<TxResult> {
  return sendTx(ctx, wallet, [refusePoCDelegationMessage(wallet.address, args)], txOptions(args));
});

/**
 * The per-model PoC participation choice INTENT: for a model approved but not active yet, the
 * signer declares it will run PoC for it directly.
 *
 * @example
 * ```ts
 * await declarePoCIntent(chain, host, { modelId: "MiniMaxAI/MiniMax-M2.7" });
 * ```
 */
export const declarePoCIntent = /* @__PURE__ */ guardAction("declarePoCIntent", async function declarePoCIntent(ctx: ChainContext, wallet: TxSigner, args: TxOptions & { modelId: string }): Promise<TxResult> {
  return sendTx(ctx, wallet, [declarePoCIntentMessage(wallet.address, args)], txOptions(args));
});
