/** `gonka query`: read the chain (REST `/chain-api` or CometBFT RPC) and the public API (`/v1`). */
import { toJson as protoToJson, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { ProposalSchema, VoteSchema, ParamsSchema as GovParamsSchema } from "../../../generated/proto/cosmos/gov/v1/gov_pb.js";
import { ParamsSchema as InferenceParamsSchema } from "../../../generated/proto/inference/inference/params_pb.js";
import { ParticipantSchema } from "../../../generated/proto/inference/inference/participant_pb.js";
import { QueryEpochInfoResponseSchema } from "../../../generated/proto/inference/inference/query_pb.js";
import { ExcludedParticipantSchema } from "../../../generated/proto/inference/inference/confirmation_poc_pb.js";
import { PoCDelegationSchema, PoCDirectIntentSchema, PoCRefusalSchema } from "../../../generated/proto/inference/inference/poc_delegation_pb.js";
import {
  DeveloperAccessParamsSchema,
  GenesisGuardianParamsSchema,
  ParticipantAccessParamsSchema,
  TransferAgentAccessParamsSchema,
} from "../../../generated/proto/inference/inference/params_pb.js";
import { GrantSchema as FeeGrantSchema } from "../../../generated/proto/cosmos/feegrant/v1beta1/feegrant_pb.js";
import { createDapiClient, type DapiClient } from "../../dapi/index.js";
import { chainClientFor } from "../chain-client.js";
import type { CommandContext, CommandSpec } from "../command.js";
import { CliUsageError } from "../errors.js";
import { table } from "../output.js";
import type { ChainClient } from "../../chain/index.js";
import { registry } from "../../proto/index.js";

/** proto3 JSON with the chain registry, so `Any` fields (proposal messages) resolve. */
function toJson<D extends DescMessage>(schema: D, message: MessageShape<D>): unknown {
  return protoToJson(schema, message, { registry });
}

function arg(ctx: CommandContext, i: number, what: string): string {
  const v = ctx.args[i];
  if (!v) throw new CliUsageError(what, "missing", ctx.path);
  return v;
}

function id(ctx: CommandContext, i: number, what: string): bigint {
  const v = arg(ctx, i, what);
  if (!/^\d+$/.test(v)) throw new CliUsageError(what, `expected a non-negative integer, got "${v}"`, ctx.path);
  return BigInt(v);
}

function chainQuery(name: string, summary: string, usage: string | undefined, fn: (c: ChainClient, ctx: CommandContext) => Promise<unknown>, human?: (r: unknown) => string | string[]): CommandSpec {
  return {
    name,
    summary,
    ...(usage ? { usage } : {}),
    async run(ctx) {
      const chain = chainClientFor(ctx);
      try {
        const r = await fn(chain, ctx);
        ctx.out.result(r, human ? () => human(r) : undefined);
      } finally {
        chain.close();
      }
    },
  };
}

function dapiQuery(name: string, summary: string, usage: string | undefined, fn: (d: DapiClient, ctx: CommandContext) => Promise<unknown>, human?: (r: unknown) => string | string[]): CommandSpec {
  return {
    name,
    summary,
    ...(usage ? { usage } : {}),
    async run(ctx) {
      const r = await fn(createDapiClient({ baseUrl: ctx.global.node, timeoutMs: ctx.global.timeoutMs }), ctx);
      ctx.out.result(r, human ? () => human(r) : undefined);
    },
  };
}

/** The `query` command group. */
export const queryCommand: CommandSpec = {
  name: "query",
  summary: "read chain state (accounts, balances, params, participants, epochs, PoC batches, grants, gov) and the public API",
  subcommands: [
    chainQuery(
      "status",
      "chain id and latest block (CometBFT /status)",
      undefined,
      async (c) => {
        const chainId = await c.getChainId();
        const epoch = await c.getEpochInfo();
        return { chainId, blockHeight: epoch.blockHeight, epoch: epoch.latestEpoch?.index ?? 0n, pocStartBlockHeight: epoch.latestEpoch?.pocStartBlockHeight ?? 0n };
      },
      (r) => Object.entries(r as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`),
    ),
    chainQuery("account", "account number, sequence and pubkey", "<address>", (c, ctx) => c.getAccount(arg(ctx, 0, "address"))),
    chainQuery(
      "balance",
      "bank balances",
      "<address>",
      (c, ctx) => c.getBalances(arg(ctx, 0, "address")),
      (r) => {
        const list = r as { denom: string; amount: bigint }[];
        return list.length ? list.map((b) => `${b.amount} ${b.denom}`) : ["0 ngonka"];
      },
    ),
    chainQuery("inference-params", "inference module params (proto3 JSON)", undefined, async (c) => toJson(InferenceParamsSchema, await c.getInferenceParams())),
    chainQuery("participant", "one participant (chain record)", "<address>", async (c, ctx) => toJson(ParticipantSchema, await c.getParticipant(arg(ctx, 0, "address")))),
    chainQuery(
      "participants",
      "all participants (chain records)",
      undefined,
      async (c) => {
        const r = await c.getParticipants();
        return { blockHeight: r.blockHeight, participants: r.participants.map((p) => toJson(ParticipantSchema, p)) };
      },
      (r) => {
        const list = (r as { participants: { address?: string; weight?: number; inferenceUrl?: string }[] }).participants;
        return table([["ADDRESS", "WEIGHT", "URL"], ...list.map((p) => [p.address ?? "", String(p.weight ?? 0), p.inferenceUrl ?? ""])]);
      },
    ),
    chainQuery("epoch", "current epoch and PoC stage", undefined, async (c) => toJson(QueryEpochInfoResponseSchema, await c.getEpochInfo())),
    chainQuery("poc-batches", "PoC batches of the stage that started at a height", "<height>", async (c, ctx) => (await c.getPocBatchesForStage(id(ctx, 0, "height")))),
    chainQuery(
      "poc-delegation",
      "a participant's per-model PoC choices: delegations, refusals, intents (v0.2.12)",
      "<participant> [model-id]",
      async (c, ctx) => {
        const r = await c.getPoCDelegation(arg(ctx, 0, "participant"), ctx.args[1] ?? "");
        return {
          delegations: r.delegations.map((d) => toJson(PoCDelegationSchema, d)),
          refusals: r.refusals.map((d) => toJson(PoCRefusalSchema, d)),
          intents: r.intents.map((d) => toJson(PoCDirectIntentSchema, d)),
        };
      },
      (r) => {
        const x = r as { delegations: { modelId: string; delegateTo: string }[]; refusals: { modelId: string }[]; intents: { modelId: string }[] };
        const rows = [
          ...x.delegations.map((d) => [d.modelId, "DELEGATE", d.delegateTo]),
          ...x.refusals.map((d) => [d.modelId, "REFUSE", ""]),
          ...x.intents.map((d) => [d.modelId, "INTENT", ""]),
        ];
        return rows.length ? table([["MODEL", "MODE", "DELEGATE TO"], ...rows]) : ["no delegations, refusals or intents (DIRECT or NONE for every model)"];
      },
    ),
    chainQuery("participant-allow-list", "the participant allowlist (v0.2.7)", undefined, (c) => c.getParticipantAllowList(), (r) => {
      const list = r as string[];
      return list.length ? list : ["(empty)"];
    }),
    chainQuery(
      "excluded-participants",
      "participants excluded from an epoch (default: current)",
      "[epoch]",
      async (c, ctx) => (await c.getExcludedParticipants(ctx.args[0] ? id(ctx, 0, "epoch") : 0n)).map((x) => toJson(ExcludedParticipantSchema, x)),
    ),
    chainQuery("access-params", "access lists of the inference params: developers, participants, transfer agents, guardians", undefined, async (c) => {
      const a = await c.getAccessParams();
      return {
        developerAccess: a.developerAccess ? toJson(DeveloperAccessParamsSchema, a.developerAccess) : null,
        participantAccess: a.participantAccess ? toJson(ParticipantAccessParamsSchema, a.participantAccess) : null,
        transferAgentAccess: a.transferAgentAccess ? toJson(TransferAgentAccessParamsSchema, a.transferAgentAccess) : null,
        genesisGuardians: a.genesisGuardians ? toJson(GenesisGuardianParamsSchema, a.genesisGuardians) : null,
      };
    }),
    chainQuery("fee-allowance", "the x/feegrant allowance a granter gave a grantee (the ML-ops cold → warm one)", "<granter> <grantee>", async (c, ctx) => {
      const a = await c.getFeeAllowance(arg(ctx, 0, "granter"), arg(ctx, 1, "grantee"));
      return a ? toJson(FeeGrantSchema, a.grant) : null;
    }, (r) => (r ? JSON.stringify(r, null, 2) : "no allowance")),
    chainQuery("min-gas-price", "the chain's minimum gas price (fee_params.min_gas_price_ngonka)", undefined, async (c) => ({ minGasPriceNgonka: await c.getMinGasPrice() }), (r) => `${String((r as { minGasPriceNgonka: bigint }).minGasPriceNgonka)} ngonka per gas`),
    chainQuery("grantees", "grantees of a granter for one message type", "<granter> <msg-type-url>", (c, ctx) => c.getGranteesByMessageType(arg(ctx, 0, "granter"), arg(ctx, 1, "msg-type-url"))),
    chainQuery(
      "proposal",
      "one gov proposal",
      "<id>",
      async (c, ctx) => toJson(ProposalSchema, await c.getProposal(id(ctx, 0, "proposal id"))),
      (r) => {
        const p = r as { id?: string; status?: string; title?: string; finalTallyResult?: Record<string, string> };
        return [`#${p.id} ${p.title ?? ""}`, `status: ${p.status}`, `final tally: ${JSON.stringify(p.finalTallyResult ?? {})}`];
      },
    ),
    chainQuery("proposals", "gov proposals", undefined, async (c) => (await c.getProposals()).map((p) => toJson(ProposalSchema, p)), (r) =>
      table([["ID", "STATUS", "TITLE"], ...(r as { id: string; status: string; title: string }[]).map((p) => [p.id, p.status, p.title ?? ""])]),
    ),
    chainQuery("tally", "current tally of a proposal", "<id>", (c, ctx) => c.getTally(id(ctx, 0, "proposal id")), (r) =>
      Object.entries(r as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`),
    ),
    chainQuery("votes", "votes on a proposal", "<id>", async (c, ctx) => (await c.getVotes(id(ctx, 0, "proposal id"))).map((v) => toJson(VoteSchema, v))),
    chainQuery("gov-params", "gov params", undefined, async (c) => toJson(GovParamsSchema, await c.getGovParams())),
    dapiQuery("epoch-participants", "active participants of the current epoch (public API)", undefined, (d) => d.epochs.participants("current")),
    dapiQuery("models", "governance models (public API)", undefined, (d) => d.models.governance()),
    dapiQuery("pricing", "per-model prices in ngonka per token (public API)", undefined, (d) => d.pricing.governance()),
    dapiQuery("inference", "the record of an inference by id (public API)", "<inference-id>", (d, ctx) => d.inferences.get(arg(ctx, 0, "inference id"))),
  ],
};
