import { guardAction } from "../validate.js";
import { toUint64 } from "../tx.js";
import { create, type Message } from "@bufbuild/protobuf";
import {
  MsgDepositSchema,
  MsgSubmitProposalSchema,
  MsgSubmitProposalResponseSchema,
  MsgVoteSchema,
  MsgVoteWeightedSchema,
} from "../../../generated/proto/cosmos/gov/v1/tx_pb.js";
import { VoteOption } from "../../../generated/proto/cosmos/gov/v1/gov_pb.js";
import { MsgUpdateParamsSchema } from "../../../generated/proto/inference/inference/tx_pb.js";
import type { Params } from "../../../generated/proto/inference/inference/params_pb.js";
import { fromBinary, clone } from "@bufbuild/protobuf";
import { ParamsSchema } from "../../../generated/proto/inference/inference/params_pb.js";
import { Query as InferenceQuery } from "../../../generated/proto/inference/inference/query_pb.js";
import { MsgUpdateParamsSchema as BlsMsgUpdateParamsSchema } from "../../../generated/proto/inference/bls/tx_pb.js";
import { ParamsSchema as BlsParamsSchema, type Params as BlsParams } from "../../../generated/proto/inference/bls/params_pb.js";
import { Query as BlsQuery } from "../../../generated/proto/inference/bls/query_pb.js";
import { fetchParams, type ParamsSource, type ParamsVia } from "../params.js";
import { InvalidArgumentError } from "../../errors.js";
import type { ChainContext } from "../context.js";
import type { TxSigner } from "../keys.js";
import { GOV_MODULE_ADDRESS } from "../address.js";
import { toCoins, type CoinLike } from "../coins.js";
import { resolveMessages, type TxMessage } from "../messages.js";
import { validateMessages } from "../validate.js";
import { sendTx, txOptions, type TxOptions } from "../send.js";
import type { TxResult } from "../broadcast.js";

/** Vote options as the CLI spells them. */
export type VoteOptionName = "yes" | "no" | "abstain" | "no_with_veto";

const OPTIONS: Record<string, VoteOption> = {
  yes: VoteOption.YES,
  no: VoteOption.NO,
  abstain: VoteOption.ABSTAIN,
  no_with_veto: VoteOption.NO_WITH_VETO,
  vote_option_yes: VoteOption.YES,
  vote_option_no: VoteOption.NO,
  vote_option_abstain: VoteOption.ABSTAIN,
  vote_option_no_with_veto: VoteOption.NO_WITH_VETO,
};

/** Parses `yes|no|abstain|no_with_veto` (or the enum names) to a {@link VoteOption}. */
export function parseVoteOption(option: VoteOptionName | VoteOption | string): VoteOption {
  if (typeof option === "number") {
    if (option >= 1 && option <= 4) return option;
  } else if (typeof option === "string") {
    const v = OPTIONS[option.toLowerCase()];
    if (v !== undefined) return v;
  }
  throw new InvalidArgumentError("option", "expected yes, no, abstain or no_with_veto");
}

/** Arguments of {@link submitProposal}. */
export interface SubmitProposalArgs extends TxOptions {
  /** Messages to execute if it passes (their `authority` must be the gov module address). */
  messages: readonly TxMessage[];
  /** Initial deposit (mainnet min deposit: 25,000,000 ngonka; expedited 50,000,000). */
  initialDeposit?: CoinLike[];
  /** Title. */
  title: string;
  /** Summary. */
  summary: string;
  /** Metadata (often an ipfs:// link). */
  metadata?: string;
  /** Expedited proposal (shorter voting period, higher threshold). */
  expedited?: boolean;
}

/**
 * Submits a gov v1 proposal (`inferenced tx gov submit-proposal proposal.json`); messages may be
 * typed or proto3 JSON with `"@type"`, exactly like the `messages` array of proposal.json.
 * Returns the tx result plus the new proposal ID.
 *
 * @example
 * ```ts
 * const { proposalId } = await submitProposal(chain, wallet, {
 *   title: "Raise sample size", summary: "…", initialDeposit: [{ denom: "ngonka", amount: 25_000_000n }],
 *   messages: [inferenceParamsUpdate(params)],
 * });
 * ```
 */
export const submitProposal = /* @__PURE__ */ guardAction("submitProposal", async function submitProposal(ctx: ChainContext, wallet: TxSigner, args: SubmitProposalArgs): Promise<TxResult & { proposalId: bigint }> {
  const inner = resolveMessages(args.messages ?? []);
  validateMessages(inner, "messages");
  inner.forEach((m, i) => {
    const rec = m.message as unknown as Record<string, unknown>;
    if (typeof rec.authority === "string" && rec.authority !== GOV_MODULE_ADDRESS) {
      throw new InvalidArgumentError(`messages[${i}].authority`, `must be the gov module address ${GOV_MODULE_ADDRESS}`);
    }
  });
  if (!args.title) throw new InvalidArgumentError("title", "must not be empty");
  const msg = create(MsgSubmitProposalSchema, {
    messages: inner.map((m) => m.any),
    initialDeposit: toCoins("initialDeposit", args.initialDeposit ?? []),
    proposer: wallet.address,
    metadata: args.metadata ?? "",
    title: args.title,
    summary: args.summary,
    expedited: args.expedited ?? false,
  });
  const result = await sendTx(ctx, wallet, [msg], txOptions(args));
  const res = result.msgResponses.find((a) => a.typeUrl === "/cosmos.gov.v1.MsgSubmitProposalResponse");
  const proposalId = res ? fromBinary(MsgSubmitProposalResponseSchema, res.value).proposalId : 0n;
  return { ...result, proposalId };
});

/**
 * The `MsgUpdateParams` that replaces the inference params (the handler overwrites **all**
 * params, so pass a complete copy, e.g. from {@link getInferenceParams}).
 */
export function inferenceParamsUpdate(params: Params): Message {
  return create(MsgUpdateParamsSchema, { authority: GOV_MODULE_ADDRESS, params });
}

/** The `inference.bls.MsgUpdateParams` that replaces the bls params (pass a complete copy). */
export function blsParamsUpdate(params: BlsParams): Message {
  return create(BlsMsgUpdateParamsSchema, { authority: GOV_MODULE_ADDRESS, params });
}

/** Arguments of the "fetch, edit, propose" helpers. */
export type ProposeParamsArgs<P> = Omit<SubmitProposalArgs, "messages"> & {
  /** Changes the fetched params in place (fields the SDK does not know are carried along untouched). */
  edit: (params: P) => void;
  /**
   * Where the current params are fetched from (default `"auto"`): the binary form (gRPC, or
   * CometBFT RPC `abci_query`), which keeps every field byte for byte, or REST JSON, which is
   * refused with {@link ParamsNotPreservableError} when it has a field the SDK does not know.
   */
  paramsSource?: ParamsSource;
};

/** What a "fetch, edit, propose" helper returns. */
export interface ProposeParamsResult extends TxResult {
  /** The new proposal's id. */
  proposalId: bigint;
  /** How the current params were fetched. */
  paramsVia: ParamsVia;
  /** Fields the SDK does not know that the proposal carries unchanged. */
  unknownFieldCount: number;
}

/** The inference module's `Query/Params`, for {@link fetchParams}. */
export const INFERENCE_PARAMS_QUERY = {
  what: "inference params",
  // A getter: a top-level property read would keep the whole Query service in every app bundle.
  get method() {
    return InferenceQuery.method.params;
  },
  restPath: "/productscience/inference/inference/params",
  paramsSchema: ParamsSchema,
  pick: (r: { params?: Params | undefined }) => r.params,
};

/** The bls module's `Query/Params`, for {@link fetchParams}. */
export const BLS_PARAMS_QUERY = {
  what: "bls params",
  // A getter: a top-level property read would keep the whole Query service in every app bundle.
  get method() {
    return BlsQuery.method.params;
  },
  restPath: "/productscience/inference/bls/params",
  paramsSchema: BlsParamsSchema,
  pick: (r: { params?: BlsParams | undefined }) => r.params,
};

/**
 * Fetches the current inference params, lets `edit` change a copy, and proposes the whole tree
 * (`MsgUpdateParams` replaces every param). The params are fetched in binary form by default, so
 * every field the chain returned — also fields this SDK's schema does not know — goes into the
 * proposal byte for byte; over REST JSON with unknown fields it refuses
 * ({@link ParamsNotPreservableError}) instead of proposing their erasure.
 *
 * @example
 * ```ts
 * await proposeInferenceParams(chain, wallet, {
 *   title: "PoC sample 300", summary: "…", initialDeposit: [{ denom: "ngonka", amount: 25_000_000n }],
 *   edit: (p) => { p.pocParams!.validationSampleSize = 300; },
 * });
 * ```
 */
export const proposeInferenceParams = /* @__PURE__ */ guardAction("proposeInferenceParams", async function proposeInferenceParams(ctx: ChainContext, wallet: TxSigner, args: ProposeParamsArgs<Params>): Promise<ProposeParamsResult> {
  checkProposeParamsArgs(args);
  const fetched = await fetchParams(ctx, INFERENCE_PARAMS_QUERY, args.paramsSource);
  const params = clone(ParamsSchema, fetched.params);
  args.edit(params);
  const r = await submitProposal(ctx, wallet, { ...args, messages: [inferenceParamsUpdate(params)] });
  return { ...r, paramsVia: fetched.via, unknownFieldCount: fetched.unknownFieldCount };
});

/** The arguments a params proposal needs, checked before the params are fetched. */
function checkProposeParamsArgs(args: { edit?: unknown; title?: unknown; summary?: unknown; paramsSource?: unknown }): void {
  if (typeof args.edit !== "function") throw new InvalidArgumentError("edit", "expected a function that changes the fetched params");
  if (typeof args.title !== "string" || args.title === "") throw new InvalidArgumentError("title", "expected a non-empty string");
  if (args.summary !== undefined && typeof args.summary !== "string") throw new InvalidArgumentError("summary", "expected a string");
  if (args.paramsSource !== undefined && !["auto", "rest", "binary"].includes(args.paramsSource as string)) {
    throw new InvalidArgumentError("paramsSource", "unknown source");
  }
}

/**
 * Like {@link proposeInferenceParams}, for the bls module's params (`inference.bls.MsgUpdateParams`).
 *
 * @example
 * ```ts
 * await proposeBlsParams(chain, wallet, { title: "Longer dispute phase", summary: "…", initialDeposit, edit: (p) => { p.disputePhaseDurationBlocks = 8n; } });
 * ```
 */
export const proposeBlsParams = /* @__PURE__ */ guardAction("proposeBlsParams", async function proposeBlsParams(ctx: ChainContext, wallet: TxSigner, args: ProposeParamsArgs<BlsParams>): Promise<ProposeParamsResult> {
  checkProposeParamsArgs(args);
  const fetched = await fetchParams(ctx, BLS_PARAMS_QUERY, args.paramsSource);
  const params = clone(BlsParamsSchema, fetched.params);
  args.edit(params);
  const r = await submitProposal(ctx, wallet, { ...args, messages: [blsParamsUpdate(params)] });
  return { ...r, paramsVia: fetched.via, unknownFieldCount: fetched.unknownFieldCount };
});

/** Adds a deposit to a proposal (`tx gov deposit`). */
export const deposit = /* @__PURE__ */ guardAction("deposit", async function deposit(ctx: ChainContext, wallet: TxSigner, args: TxOptions & { proposalId: bigint | number; amount: CoinLike[] }): Promise<TxResult> {
  const msg = create(MsgDepositSchema, { proposalId: toUint64("proposalId", args.proposalId), depositor: wallet.address, amount: toCoins("amount", args.amount) });
  return sendTx(ctx, wallet, [msg], txOptions(args));
});

/**
 * Votes on a proposal with the account (cold) key (`tx gov vote <id> <option>`).
 *
 * @example
 * ```ts
 * await vote(chain, cold, { proposalId: 2n, option: "yes" });
 * ```
 */
export const vote = /* @__PURE__ */ guardAction("vote", async function vote(
  ctx: ChainContext,
  wallet: TxSigner,
  args: TxOptions & { proposalId: bigint | number; option: VoteOptionName | VoteOption; metadata?: string },
): Promise<TxResult> {
  const msg = create(MsgVoteSchema, {
    proposalId: toUint64("proposalId", args.proposalId),
    voter: wallet.address,
    option: parseVoteOption(args.option),
    metadata: args.metadata ?? "",
  });
  return sendTx(ctx, wallet, [msg], txOptions(args));
});

/**
 * A weighted vote (`tx gov weighted-vote`); weights are decimals that must sum to 1.
 *
 * @example
 * ```ts
 * await voteWeighted(chain, cold, { proposalId: 7n, options: [{ option: "yes", weight: "0.7" }, { option: "abstain", weight: "0.3" }] });
 * ```
 */
export const voteWeighted = /* @__PURE__ */ guardAction("voteWeighted", async function voteWeighted(
  ctx: ChainContext,
  wallet: TxSigner,
  args: TxOptions & { proposalId: bigint | number; options: { option: VoteOptionName | VoteOption; weight: string | number }[]; metadata?: string },
): Promise<TxResult> {
  if (!args.options?.length) throw new InvalidArgumentError("options", "at least one option is required");
  const options = args.options.map((o, i) => ({ option: parseVoteOption(o.option), weight: toDec18(`options[${i}].weight`, o.weight) }));
  const sum = options.reduce((s, o) => s + BigInt(o.weight.replace(".", "")), 0n);
  if (sum !== 10n ** 18n) throw new InvalidArgumentError("options", "weights must sum to exactly 1");
  const msg = create(MsgVoteWeightedSchema, { proposalId: toUint64("proposalId", args.proposalId), voter: wallet.address, options, metadata: args.metadata ?? "" });
  return sendTx(ctx, wallet, [msg], txOptions(args));
});

/** A decimal as the SDK's 18-digit LegacyDec string, e.g. 0.7 → "0.700000000000000000". */
function toDec18(argument: string, v: string | number): string {
  const s = typeof v === "number" ? String(v) : v;
  const m = /^(\d+)(?:\.(\d{1,18}))?$/.exec(s);
  if (!m || (typeof v === "number" && !Number.isFinite(v))) throw new InvalidArgumentError(argument, "expected a decimal between 0 and 1");
  const dec = `${m[1]}.${(m[2] ?? "").padEnd(18, "0")}`;
  const scaled = BigInt(dec.replace(".", ""));
  if (scaled <= 0n || scaled > 10n ** 18n) throw new InvalidArgumentError(argument, "must be in (0, 1]");
  return dec;
}
