import { create, getOption, toBinary } from "@bufbuild/protobuf";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { GonkaError, InvalidArgumentError } from "../../src/errors.js";
import { signer, service } from "../../generated/proto/cosmos/msg/v1/msg_pb.js";
import { VoteOption } from "../../generated/proto/cosmos/gov/v1/gov_pb.js";
import { MsgVoteSchema } from "../../generated/proto/cosmos/gov/v1/tx_pb.js";
import { allFiles } from "../../generated/proto/index.js";
import {
  UnknownTypeUrlError,
  messageFromJson,
  registry,
  schemaForTypeUrl,
  typeNameOfUrl,
  typeUrlOf,
} from "../../src/proto/index.js";

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL("../fixtures/wire-upgrades.json", import.meta.url)), "utf8")) as {
  mlOpsGrantTypeUrls: string[];
};

/** spec/chain-upgrades.md §2.1: the inference Msg service at v0.2.13, in declaration order, with signer fields. */
const INFERENCE_RPCS: [string, string][] = [
  ["UpdateParams", "authority"],
  ["StartInference", "creator"],
  ["FinishInference", "creator"],
  ["SubmitNewParticipant", "creator"],
  ["Validation", "creator"],
  ["SubmitNewUnfundedParticipant", "creator"],
  ["InvalidateInference", "creator"],
  ["RevalidateInference", "creator"],
  ["ClaimRewards", "creator"],
  ["SubmitPocBatch", "creator"],
  ["SubmitPocValidationsV2", "creator"],
  ["PoCV2StoreCommit", "creator"],
  ["MLNodeWeightDistribution", "creator"],
  ["SubmitSeed", "creator"],
  ["SubmitUnitOfComputePriceProposal", "creator"],
  ["RegisterModel", "authority"],
  ["DeleteGovernanceModel", "authority"],
  ["SubmitHardwareDiff", "creator"],
  ["CreatePartialUpgrade", "authority"],
  ["BridgeExchange", "validator"],
  ["RegisterBridgeAddresses", "authority"],
  ["RegisterLiquidityPool", "authority"],
  ["RegisterTokenMetadata", "authority"],
  ["ApproveBridgeTokenForTrading", "authority"],
  ["RequestBridgeWithdrawal", "creator"],
  ["RequestBridgeMint", "creator"],
  ["CancelBridgeOperation", "creator"],
  ["GovernanceCancelBridgeOperation", "authority"],
  ["RegisterWrappedTokenContract", "authority"],
  ["MigrateAllWrappedTokens", "authority"],
  ["AddParticipantsToAllowList", "authority"],
  ["RemoveParticipantsFromAllowList", "authority"],
  ["ApproveIbcTokenForTrading", "authority"],
  ["RegisterIbcTokenMetadata", "authority"],
  ["CreateDevshardEscrow", "creator"],
  ["SettleDevshardEscrow", "settler"],
  ["SetDevshardRequestsEnabled", "authority"],
  ["SetPoCDelegation", "sender"],
  ["RefusePoCDelegation", "sender"],
  ["DeclarePoCIntent", "sender"],
];

/** spec/chain-upgrades.md §2.2 and §2.8: type URLs the chain no longer resolves at v0.2.13. */
const REMOVED = [
  "/inference.inference.MsgSubmitPocValidation",
  "/inference.inference.MsgCreateTrainingTask",
  "/inference.inference.MsgClaimTrainingTaskForAssignment",
  "/inference.inference.MsgAssignTrainingTask",
  "/inference.inference.MsgSubmitTrainingKvRecord",
  "/inference.inference.MsgJoinTraining",
  "/inference.inference.MsgTrainingHeartbeat",
  "/inference.inference.MsgSetBarrier",
  "/inference.inference.MsgJoinTrainingStatus",
  "/inference.inference.MsgCreateDummyTrainingTask",
  "/inference.inference.MsgAddUserToTrainingAllowList",
  "/inference.inference.MsgRemoveUserFromTrainingAllowList",
  "/inference.inference.MsgSetTrainingAllowList",
  "/inference.inference.MsgCreateSubnetEscrow",
  "/inference.inference.MsgSettleSubnetEscrow",
];

describe("type-URL registry", () => {
  it("finds every ML-ops grant message type of grant-ml-ops-permissions (the 20 of wire-upgrades.json)", () => {
    expect(fixture.mlOpsGrantTypeUrls).toHaveLength(20);
    for (const url of fixture.mlOpsGrantTypeUrls) expect(typeUrlOf(schemaForTypeUrl(url))).toBe(url);
  });

  it("has no schema for any type URL the chain removed", () => {
    for (const url of REMOVED) expect(registry.getMessage(typeNameOfUrl(url)), url).toBeUndefined();
  });

  it("declares the inference Msg service in the chain's order, each request with its signer field", () => {
    const svc = registry.getService("inference.inference.Msg");
    expect(svc).toBeDefined();
    if (!svc) return;
    expect(getOption(svc, service)).toBe(true);
    expect(svc.methods).toHaveLength(40);
    expect(svc.methods.map((m) => m.name)).toEqual(INFERENCE_RPCS.map(([name]) => name));
    for (const [i, m] of svc.methods.entries()) {
      expect(m.input.typeName).toBe(`inference.inference.Msg${m.name}`);
      expect(m.output.typeName).toBe(`inference.inference.Msg${m.name}Response`);
      expect(getOption(m.input, signer)).toEqual([INFERENCE_RPCS[i][1]]);
    }
  });

  it("gives every request of every Msg service a signer option that names one of its fields", () => {
    let services = 0;
    for (const file of allFiles) {
      for (const svc of file.services) {
        if (!getOption(svc, service)) continue;
        services++;
        for (const m of svc.methods) {
          const signers = getOption(m.input, signer);
          expect(signers.length, m.input.typeName).toBeGreaterThan(0);
          for (const s of signers) expect(m.input.fields.some((f) => f.name === s), `${m.input.typeName}.${s}`).toBe(true);
        }
      }
    }
    // inference, collateral, bls, genesistransfer, restrictions, bookkeeper, streamvesting,
    // bank, authz, feegrant, gov, slashing, upgrade
    expect(services).toBe(13);
  });

  it("declares every custom module's Msg type URL of spec/chain.md §1.4 and chain-upgrades.md §2.5-§2.6", () => {
    const urls = [
      "/inference.collateral.MsgUpdateParams",
      "/inference.collateral.MsgDepositCollateral",
      "/inference.collateral.MsgWithdrawCollateral",
      "/inference.bls.MsgUpdateParams",
      "/inference.genesistransfer.MsgUpdateParams",
      "/inference.genesistransfer.MsgTransferOwnership",
      "/inference.restrictions.MsgUpdateParams",
      "/inference.restrictions.MsgExecuteEmergencyTransfer",
      "/inference.bookkeeper.MsgUpdateParams",
      "/inference.streamvesting.MsgUpdateParams",
      "/inference.streamvesting.MsgTransferWithVesting",
      "/inference.streamvesting.MsgBatchTransferWithVesting",
      "/inference.bls.MsgRespondDealerComplaints",
      "/cosmos.feegrant.v1beta1.MsgGrantAllowance",
      "/cosmos.feegrant.v1beta1.MsgRevokeAllowance",
      "/cosmos.feegrant.v1beta1.BasicAllowance",
      "/cosmos.feegrant.v1beta1.PeriodicAllowance",
      "/cosmos.feegrant.v1beta1.AllowedMsgAllowance",
    ];
    for (const url of urls) expect(typeUrlOf(schemaForTypeUrl(url))).toBe(url);
  });

  it("maps a schema to its Cosmos type URL and back", () => {
    expect(typeUrlOf(MsgVoteSchema)).toBe("/cosmos.gov.v1.MsgVote");
    expect(schemaForTypeUrl("/cosmos.gov.v1.MsgVote")).toBe(MsgVoteSchema);
    expect(schemaForTypeUrl("type.googleapis.com/cosmos.gov.v1.MsgVote")).toBe(MsgVoteSchema);
    expect(typeNameOfUrl("/cosmos.gov.v1.MsgVote")).toBe("cosmos.gov.v1.MsgVote");
  });

  it("resolves well-known types used inside messages", () => {
    expect(schemaForTypeUrl("/google.protobuf.Timestamp").typeName).toBe("google.protobuf.Timestamp");
  });
});

describe("unknown type URLs", () => {
  it("throw UnknownTypeUrlError naming the URL and what to do", () => {
    let caught: unknown;
    try {
      schemaForTypeUrl("/inference.inference.MsgTypo");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UnknownTypeUrlError);
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect(caught).toBeInstanceOf(GonkaError);
    const err = caught as UnknownTypeUrlError;
    expect(err.name).toBe("UnknownTypeUrlError");
    expect(err.typeUrl).toBe("/inference.inference.MsgTypo");
    expect(err.argument).toBe("typeUrl");
    expect(err.shortMessage).toContain("/inference.inference.MsgTypo");
    expect(err.details).toContain("npm run generate");
  });

  it("throw for an empty URL and for a URL ending in a slash", () => {
    expect(() => schemaForTypeUrl("")).toThrow(UnknownTypeUrlError);
    expect(() => schemaForTypeUrl("/")).toThrow(UnknownTypeUrlError);
  });

  it("throw from messageFromJson for an unknown \"@type\", also inside an Any", () => {
    expect(() => messageFromJson({ "@type": "/x.y.Nope" })).toThrow(UnknownTypeUrlError);
    expect(() =>
      messageFromJson({
        "@type": "/cosmos.authz.v1beta1.MsgExec",
        grantee: "gonka1c73uxrxztjtcjptrj54ryyw7fw55htw73r3m2a",
        msgs: [{ "@type": "/x.y.Nope" }],
      }),
    ).toThrow(InvalidArgumentError);
  });
});

describe("messageFromJson input checks", () => {
  it("rejects JSON without a string \"@type\"", () => {
    expect(() => messageFromJson({ voter: "x" })).toThrow(/@type/);
    expect(() => messageFromJson([])).toThrow(InvalidArgumentError);
    expect(() => messageFromJson(null)).toThrow(InvalidArgumentError);
  });

  it("rejects fields that do not fit the schema with an InvalidArgumentError", () => {
    expect(() => messageFromJson({ "@type": "/cosmos.gov.v1.MsgVote", proposalId: "not a number" })).toThrow(
      InvalidArgumentError,
    );
  });

  it("accepts proto field names (snake_case) as well as JSON names", () => {
    const a = messageFromJson({ "@type": "/cosmos.gov.v1.MsgVote", proposal_id: "2", option: "VOTE_OPTION_YES" });
    const b = create(MsgVoteSchema, { proposalId: 2n, option: VoteOption.YES });
    expect(toBinary(MsgVoteSchema, a.message as typeof b)).toEqual(toBinary(MsgVoteSchema, b));
  });
});
