/**
 * x/inference handlers of the devnet chain at v0.2.13 (spec chain-upgrades.md §2): participants,
 * params, the participant allowlist, governance models, and the inference lifecycle (Start,
 * Finish, Validation) whose handler failures after the permission check come back as a
 * successful message with `error_message` (§2.3).
 */
import { clone, create, type Message } from "@bufbuild/protobuf";
import type {
  MsgAddParticipantsToAllowList,
  MsgDeleteGovernanceModel,
  MsgFinishInference,
  MsgRegisterModel,
  MsgRemoveParticipantsFromAllowList,
  MsgStartInference,
  MsgSubmitNewParticipant,
  MsgSubmitNewUnfundedParticipant,
  MsgUpdateParams,
  MsgValidation,
} from "../../../generated/proto/inference/inference/tx_pb.js";
import { MsgFinishInferenceResponseSchema, MsgStartInferenceResponseSchema } from "../../../generated/proto/inference/inference/tx_pb.js";
import { ParticipantSchema, ParticipantStatus } from "../../../generated/proto/inference/inference/participant_pb.js";
import { ModelSchema } from "../../../generated/proto/inference/inference/model_pb.js";
import { InferenceSchema, InferenceStatus, type Inference } from "../../../generated/proto/inference/inference/inference_pb.js";
import type { Params } from "../../../generated/proto/inference/inference/params_pb.js";
import { AbciError, inferenceErr, sdk } from "./abci.js";
import { bech32Bytes, moduleAccount, verifySecp256k1 } from "./crypto.js";
import type { Apply, ExecContext, Handler } from "./exec.js";
import { validateParams } from "./params-validate.js";
import type { ChainState } from "./state.js";

/** The gov module account (authority of governance messages). */
const GOV = moduleAccount("gov");
/** The inference module account: holds inference escrows. */
export const INFERENCE_MODULE_ADDRESS = moduleAccount("inference");
/** `types.MaxAllowedTokens`: the cap on `max_tokens` and token counts. */
const MAX_TOKENS = 1_000_000n;

function isAddress(v: string): boolean {
  try {
    bech32Bytes(v, "gonka");
    return true;
  } catch {
    return false;
  }
}

/** The gov-permission check: the signer must be the gov module account. */
export function requireGov(authority: string): void {
  if (authority !== GOV) throw inferenceErr.invalidSigner();
}

/** A participant active in the current epoch (devnet: a participant with status ACTIVE). */
function requireActive(state: ChainState, address: string): void {
  if (state.participants.get(address)?.status !== ParticipantStatus.ACTIVE) throw inferenceErr.activeParticipantNotFound();
}

function registrationOpen(state: ChainState): void {
  const start = state.inferenceParams.participantAccessParams?.newParticipantRegistrationStartHeight ?? 0n;
  if (state.height < start) throw inferenceErr.registrationClosed();
}

function isB64Key32(s: string): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return false;
  return Buffer.from(s, "base64").length === 32;
}

/** Per-token price of inferences now: the grace price up to `grace_period_end_epoch`, the base price after. */
export function perTokenPrice(state: ChainState): bigint {
  const p = state.inferenceParams.dynamicPricingParams;
  if (!p) return 0n;
  return state.epoch.index <= p.gracePeriodEndEpoch ? p.gracePeriodPerTokenPrice : p.basePerTokenPrice;
}

/** The signed string of chain.md §4.5 / spec §8: payload ‖ decimal(ts) ‖ transfer agent [‖ executor]. */
function signedString(payload: string, ts: bigint, transferAgent: string, executor?: string): Uint8Array {
  return new TextEncoder().encode(`${payload}${ts > 0n ? ts.toString() : ""}${transferAgent}${executor ?? ""}`);
}

/** Accounts whose keys may sign for `address`: itself and its `MsgStartInference` grantees (spec §8). */
function keysOf(state: ChainState, address: string): Uint8Array[] {
  const keys: Uint8Array[] = [];
  const own = state.accounts.get(address)?.pubKey;
  if (own) keys.push(own);
  for (const g of state.grants.values()) {
    if (g.granter !== address || g.msgTypeUrl !== "/inference.inference.MsgStartInference") continue;
    const pk = state.accounts.get(g.grantee)?.pubKey;
    if (pk) keys.push(pk);
  }
  return keys;
}

/** Throws unless the base64 64-byte signature verifies under one of the keys. */
function verifySignature(what: string, signatureB64: string, message: Uint8Array, keys: Uint8Array[]): void {
  const sig = Buffer.from(signatureB64, "base64");
  if (keys.length === 0) throw inferenceErr.invalidSignature(`${what}: account has no public key`);
  if (!keys.some((k) => verifySecp256k1(k, message, sig))) throw inferenceErr.invalidSignature(`${what}: signature is invalid`);
}

/** The request timestamp must lie in [block time − expiration − 60 s, block time + advance] (ns). */
function checkTimestamp(state: ChainState, tsNs: bigint): void {
  const v = state.inferenceParams.validationParams;
  const now = BigInt(state.time.getTime()) * 1_000_000n;
  const expiration = ((v?.timestampExpiration ?? 60n) + 60n) * 1_000_000_000n;
  const advance = (v?.timestampAdvance ?? 30n) * 1_000_000_000n;
  if (tsNs < now - expiration) throw inferenceErr.signatureTooOld();
  if (tsNs > now + advance) throw inferenceErr.signatureInFuture();
}

/** Runs the soft checks; a thrown AbciError becomes the response's `error_message`. */
function soft(ctx: ExecContext, event: string, id: string, checks: () => Apply, respond: (errorMessage: string) => Message): Apply {
  try {
    return checks();
  } catch (e) {
    if (!(e instanceof AbciError)) throw e;
    return () => {
      ctx.events.push({ type: event, attributes: [{ key: "result", value: "failed" }, { key: "inference_id", value: id }] });
      return respond(e.log);
    };
  }
}

function checkTokens(fields: [string, bigint][]): void {
  for (const [name, v] of fields) if (v > MAX_TOKENS) throw inferenceErr.tokenCountOutOfRange(`${name} exceeds limit (${v} > ${MAX_TOKENS})`);
}

function developerGate(state: ChainState, developer: string): void {
  const p = state.inferenceParams.developerAccessParams;
  if (p && p.untilBlockHeight > 0n && state.height < p.untilBlockHeight && !p.allowedDeveloperAddresses.includes(developer)) {
    throw inferenceErr.developerNotAllowlisted(developer);
  }
}

function transferAgentGate(state: ChainState, agent: string): void {
  const list = state.inferenceParams.transferAgentAccessParams?.allowedTransferAddresses ?? [];
  if (list.length > 0 && !list.includes(agent)) throw inferenceErr.transferAgentNotAllowlisted(agent);
}

function mismatch(kind: "dev" | "ta", what: string, a: string | bigint, b: string | bigint): void {
  if (a === b) return;
  const err = kind === "dev" ? "developer signature components mismatch" : "transfer agent signature components mismatch";
  throw new AbciError("inference", kind === "dev" ? 1170 : 1171, `${what} mismatch: message=${a} inference=${b}: ${err}`);
}

function escrowFor(state: ChainState, inf: Inference): { amount: bigint; price: bigint } {
  const price = perTokenPrice(state);
  return { amount: (inf.maxTokens + inf.promptTokenCount) * price, price };
}

/** Throws when `from` cannot pay `amount` ngonka. */
function canPay(state: ChainState, from: string, amount: bigint): void {
  const have = state.balance(from, "ngonka");
  if (amount > 0n && have < amount) throw inferenceErr.requesterCannotPay(`${from} has ${have}ngonka, needs ${amount}ngonka`);
}

/** Moves ngonka between accounts (checked with {@link canPay} first). */
function pay(state: ChainState, from: string, to: string, amount: bigint): void {
  if (amount <= 0n) return;
  canPay(state, from, amount);
  state.balances.get(from)!.set("ngonka", state.balance(from, "ngonka") - amount);
  state.fund(to, [{ denom: "ngonka", amount }]);
}

function settle(state: ChainState, inf: Inference): void {
  if (inf.status !== InferenceStatus.FINISHED || !inf.startBlockHeight || !inf.endBlockHeight) return;
  const cost = (inf.promptTokenCount + inf.completionTokenCount) * inf.perTokenPrice;
  const actual = cost < BigInt(inf.escrowAmount) ? cost : BigInt(inf.escrowAmount);
  pay(state, INFERENCE_MODULE_ADDRESS, inf.executedBy, actual);
  pay(state, INFERENCE_MODULE_ADDRESS, inf.requestedBy, BigInt(inf.escrowAmount) - actual);
  inf.actualCost = actual;
}

export const inferenceHandlers: Record<string, Handler> = {
  "/inference.inference.MsgSubmitNewParticipant": (state, m) => {
    const msg = m as MsgSubmitNewParticipant;
    registrationOpen(state);
    if (msg.url && !/^https?:\/\/[^/]+/.test(msg.url)) throw new AbciError("inference", 1100, `invalid url ${msg.url}`);
    if (msg.validatorKey && !isB64Key32(msg.validatorKey)) throw sdk.invalidPubKey("invalid validator key: expected base64 of 32 bytes");
    if (msg.workerKey && !isB64Key32(msg.workerKey)) throw sdk.invalidPubKey("invalid worker key: expected base64 of 32 bytes");
    return () => {
      const existing = state.participants.get(msg.creator);
      if (existing) {
        // v0.2.12+: an existing record is updated field by field, never overwritten
        if (msg.url) existing.inferenceUrl = msg.url;
        if (msg.validatorKey) existing.validatorKey = msg.validatorKey;
        if (msg.workerKey) existing.workerPublicKey = msg.workerKey;
        return undefined;
      }
      state.participants.set(msg.creator, create(ParticipantSchema, {
        index: msg.creator, address: msg.creator, weight: -1, inferenceUrl: msg.url, validatorKey: msg.validatorKey,
        workerPublicKey: msg.workerKey, status: ParticipantStatus.ACTIVE, joinTime: BigInt(state.time.getTime()), joinHeight: state.height,
      }));
      return undefined;
    };
  },
  "/inference.inference.MsgSubmitNewUnfundedParticipant": (state, m) => {
    const msg = m as MsgSubmitNewUnfundedParticipant;
    registrationOpen(state);
    if (!isAddress(msg.address)) throw sdk.invalidAddress(`invalid participant address ${JSON.stringify(msg.address)}`);
    const pubKey = msg.pubKey ? Buffer.from(msg.pubKey, "base64") : undefined;
    if (pubKey && pubKey.length !== 33) throw sdk.invalidPubKey("pub_key must be base64 of a 33-byte compressed secp256k1 key");
    return () => {
      const acc = state.ensureAccount(msg.address);
      if (pubKey) acc.pubKey ??= new Uint8Array(pubKey);
      if (msg.url && !state.participants.has(msg.address)) {
        state.participants.set(msg.address, create(ParticipantSchema, {
          index: msg.address, address: msg.address, weight: -1, inferenceUrl: msg.url, validatorKey: msg.validatorKey,
          workerPublicKey: msg.workerKey, status: ParticipantStatus.ACTIVE, joinTime: BigInt(state.time.getTime()), joinHeight: state.height,
        }));
      }
      return undefined;
    };
  },
  "/inference.inference.MsgUpdateParams": (state, m) => {
    const msg = m as MsgUpdateParams;
    requireGov(msg.authority);
    const p = msg.params;
    if (!p) throw sdk.invalidRequest("params must be set");
    validateParams(p, state.strictDevshardParams);
    return () => {
      // MsgUpdateParams replaces every param; fields the SDK did not know ride along in $unknown
      state.inferenceParams = p as Params;
      return undefined;
    };
  },
  "/inference.inference.MsgAddParticipantsToAllowList": (state, m) => {
    const msg = m as MsgAddParticipantsToAllowList;
    requireGov(msg.authority);
    for (const a of msg.addresses) if (!isAddress(a)) throw inferenceErr.invalidAddress(a);
    return () => {
      for (const a of msg.addresses) state.participantAllowList.add(a);
      return undefined;
    };
  },
  "/inference.inference.MsgRemoveParticipantsFromAllowList": (state, m) => {
    const msg = m as MsgRemoveParticipantsFromAllowList;
    requireGov(msg.authority);
    for (const a of msg.addresses) if (!isAddress(a)) throw inferenceErr.invalidAddress(a);
    return () => {
      for (const a of msg.addresses) state.participantAllowList.delete(a);
      return undefined;
    };
  },
  "/inference.inference.MsgRegisterModel": (state, m) => {
    const msg = m as MsgRegisterModel;
    requireGov(msg.authority);
    if (!msg.id.trim()) throw inferenceErr.invalidModel("model id must not be empty");
    return () => {
      state.models.set(msg.id, create(ModelSchema, {
        proposedBy: msg.proposedBy, id: msg.id, unitsOfComputePerToken: msg.unitsOfComputePerToken, hfRepo: msg.hfRepo,
        hfCommit: msg.hfCommit, modelArgs: msg.modelArgs, vRam: msg.vRam, throughputPerNonce: msg.throughputPerNonce,
        ...(msg.validationThreshold ? { validationThreshold: msg.validationThreshold } : {}),
      }));
      return undefined;
    };
  },
  "/inference.inference.MsgDeleteGovernanceModel": (state, m) => {
    const msg = m as MsgDeleteGovernanceModel;
    requireGov(msg.authority);
    if (!state.models.has(msg.id)) throw inferenceErr.invalidModel(`model ${msg.id} not found`);
    return () => {
      state.models.delete(msg.id);
      return undefined;
    };
  },
  "/inference.inference.MsgStartInference": (state, m, _signer, ctx) => {
    const msg = m as MsgStartInference;
    requireActive(state, msg.creator);
    const fail = (errorMessage: string) => create(MsgStartInferenceResponseSchema, { inferenceIndex: msg.inferenceId, errorMessage });
    return soft(ctx, "start_inference", msg.inferenceId, () => {
      developerGate(state, msg.requestedBy);
      transferAgentGate(state, msg.creator);
      checkTokens([["max_tokens", msg.maxTokens], ["prompt_token_count", msg.promptTokenCount]]);
      if (!state.participants.has(msg.creator)) throw inferenceErr.participantNotFound(msg.creator);
      const existing = state.inferences.get(msg.inferenceId);
      if (existing?.startBlockHeight) throw inferenceErr.startProcessed("inference has already start processed");
      if (existing) {
        // Finish came first: compare what both messages carry
        mismatch("dev", "original_prompt_hash", msg.originalPromptHash, existing.originalPromptHash);
        mismatch("dev", "request_timestamp", msg.requestTimestamp, existing.requestTimestamp);
        mismatch("dev", "requested_by", msg.requestedBy, existing.requestedBy);
        mismatch("ta", "prompt_hash", msg.promptHash, existing.promptHash);
        mismatch("ta", "transfer agent", msg.creator, existing.transferredBy);
        mismatch("ta", "executor", msg.assignedTo, existing.executedBy);
      } else {
        try {
          checkTimestamp(state, msg.requestTimestamp);
        } catch (e) {
          throw inferenceErr.invalidSignature((e as AbciError).log);
        }
        verifySignature(`developer ${msg.requestedBy}`, msg.inferenceId, signedString(msg.originalPromptHash, msg.requestTimestamp, msg.creator), keysOf(state, msg.requestedBy));
      }
      const inf = existing ? clone(InferenceSchema, existing) : create(InferenceSchema, { index: msg.inferenceId, inferenceId: msg.inferenceId });
      Object.assign(inf, {
        promptHash: msg.promptHash, originalPromptHash: msg.originalPromptHash, model: msg.model, requestedBy: msg.requestedBy,
        transferredBy: msg.creator, assignedTo: msg.assignedTo, maxTokens: msg.maxTokens, promptTokenCount: existing ? inf.promptTokenCount : msg.promptTokenCount,
        requestTimestamp: msg.requestTimestamp, transferSignature: msg.transferSignature, nodeVersion: msg.nodeVersion,
        startBlockHeight: state.height, startBlockTimestamp: BigInt(state.time.getTime()), epochId: state.epoch.index,
        epochPocStartBlockHeight: state.epoch.pocStartBlockHeight,
      });
      const escrow = existing ? { amount: 0n, price: inf.perTokenPrice } : escrowFor(state, inf);
      canPay(state, msg.requestedBy, escrow.amount);
      if (!existing) {
        inf.escrowAmount = escrow.amount;
        inf.perTokenPrice = escrow.price;
      }
      return () => {
        pay(state, msg.requestedBy, INFERENCE_MODULE_ADDRESS, escrow.amount);
        state.inferences.set(msg.inferenceId, inf);
        settle(state, inf);
        return create(MsgStartInferenceResponseSchema, { inferenceIndex: msg.inferenceId });
      };
    }, fail);
  },
  "/inference.inference.MsgFinishInference": (state, m, _signer, ctx) => {
    const msg = m as MsgFinishInference;
    requireActive(state, msg.creator);
    const fail = (errorMessage: string) => create(MsgFinishInferenceResponseSchema, { inferenceIndex: msg.inferenceId, errorMessage });
    return soft(ctx, "finish_inference", msg.inferenceId, () => {
      transferAgentGate(state, msg.transferredBy);
      checkTokens([["prompt_token_count", msg.promptTokenCount], ["completion_token_count", msg.completionTokenCount]]);
      if (!state.participants.has(msg.executedBy)) throw inferenceErr.participantNotFound(msg.executedBy);
      const existing = state.inferences.get(msg.inferenceId);
      if (existing?.endBlockHeight) throw inferenceErr.finishProcessed("inference has already finish processed");
      if (existing) {
        mismatch("dev", "original_prompt_hash", msg.originalPromptHash, existing.originalPromptHash);
        mismatch("dev", "request_timestamp", msg.requestTimestamp, existing.requestTimestamp);
        mismatch("dev", "transfer agent", msg.transferredBy, existing.transferredBy);
        mismatch("dev", "requested_by", msg.requestedBy, existing.requestedBy);
        mismatch("ta", "prompt_hash", msg.promptHash, existing.promptHash);
        if (existing.assignedTo) mismatch("ta", "executor", msg.executedBy, existing.assignedTo);
      } else {
        try {
          checkTimestamp(state, msg.requestTimestamp);
        } catch (e) {
          throw inferenceErr.invalidSignature((e as AbciError).log);
        }
        verifySignature(`developer ${msg.requestedBy}`, msg.inferenceId, signedString(msg.originalPromptHash, msg.requestTimestamp, msg.transferredBy), keysOf(state, msg.requestedBy));
      }
      // the transfer agent's signature, deferred from Start (spec §8: agent's key or its grantees')
      verifySignature(
        `transfer agent ${msg.transferredBy}`, msg.transferSignature,
        signedString(msg.promptHash, msg.requestTimestamp, msg.transferredBy, msg.executedBy), keysOf(state, msg.transferredBy),
      );
      const inf = existing ? clone(InferenceSchema, existing) : create(InferenceSchema, { index: msg.inferenceId, inferenceId: msg.inferenceId });
      Object.assign(inf, {
        responseHash: msg.responseHash, promptTokenCount: msg.promptTokenCount, completionTokenCount: msg.completionTokenCount,
        executedBy: msg.executedBy, transferredBy: msg.transferredBy, requestedBy: msg.requestedBy, requestTimestamp: msg.requestTimestamp,
        executionSignature: msg.executorSignature, model: inf.model || msg.model, promptHash: msg.promptHash,
        originalPromptHash: msg.originalPromptHash, endBlockHeight: state.height, endBlockTimestamp: BigInt(state.time.getTime()),
        status: InferenceStatus.FINISHED,
      });
      if (!existing) inf.perTokenPrice = perTokenPrice(state);
      return () => {
        state.inferences.set(msg.inferenceId, inf);
        settle(state, inf);
        return create(MsgFinishInferenceResponseSchema, { inferenceIndex: msg.inferenceId });
      };
    }, fail);
  },
  "/inference.inference.MsgValidation": (state, m) => {
    const msg = m as MsgValidation;
    // ValidateBasic: value_decimal, when present, must be in [0,1]; otherwise the deprecated double
    const value = msg.valueDecimal ? decimalString(msg.valueDecimal.value, msg.valueDecimal.exponent) : String(msg.value);
    const n = Number(value);
    if (!(n >= 0 && n <= 1)) throw sdk.invalidRequest(`validation value ${value} is outside [0,1]`);
    requireActive(state, msg.creator);
    const inf = state.inferences.get(msg.inferenceId);
    if (!inf) throw inferenceErr.inferenceNotFound(msg.inferenceId);
    if (inf.executedBy === msg.creator) throw inferenceErr.cannotValidateOwn(msg.inferenceId);
    const key = `${msg.inferenceId}|${msg.creator}`;
    if (state.validations.has(key) && !msg.revalidation) throw inferenceErr.duplicateValidation(msg.inferenceId);
    return () => {
      state.validations.set(key, { inferenceId: msg.inferenceId, validator: msg.creator, value, revalidation: msg.revalidation, height: state.height });
      if (!inf.validatedBy.includes(msg.creator)) inf.validatedBy.push(msg.creator);
      if (inf.status === InferenceStatus.FINISHED) inf.status = InferenceStatus.VALIDATED;
      return undefined;
    };
  },
};

/** `value × 10^exponent` as a plain decimal string. */
export function decimalString(value: bigint, exponent: number): string {
  const neg = value < 0n;
  let digits = (neg ? -value : value).toString();
  if (exponent >= 0) return `${neg ? "-" : ""}${digits}${"0".repeat(exponent)}`;
  const k = -exponent;
  digits = digits.padStart(k + 1, "0");
  const s = `${digits.slice(0, -k)}.${digits.slice(-k)}`.replace(/\.?0+$/, "");
  return `${neg && s !== "0" ? "-" : ""}${s}`;
}
