/**
 * The other v0.2.13 modules on the devnet chain: participant allowlist by governance, bls
 * dealer-complaint responses, streamvesting transfers (schedule, epoch release), registration
 * gating and params validation of MsgUpdateParams.
 */
import { afterEach, describe, expect, it } from "vitest";
import { create, toBinary } from "@bufbuild/protobuf";
import { AnySchema } from "@bufbuild/protobuf/wkt";
import { MsgSubmitProposalSchema } from "../../generated/proto/cosmos/gov/v1/tx_pb.js";
import { ProposalStatus } from "../../generated/proto/cosmos/gov/v1/gov_pb.js";
import { MsgAddParticipantsToAllowListSchema, MsgRemoveParticipantsFromAllowListSchema, MsgUpdateParamsSchema } from "../../generated/proto/inference/inference/tx_pb.js";
import type { ChainNode } from "../../src/devnet/chain/index.js";
import { STREAMVESTING_ADDRESS, releaseVesting } from "../../src/devnet/chain/index.js";
import { cold, fourth, GNK, GOV, register, startManualNode, submit, third, warm } from "./chain-helpers.js";

const failed = (log: string) => `failed to execute message; message index: 0: ${log}`;

/** Submits a proposal with one message (its checks run at submission). */
function propose(node: ChainNode, typeUrl: string, value: Uint8Array) {
  return submit(node, cold, [create(MsgSubmitProposalSchema, {
    messages: [create(AnySchema, { typeUrl, value })], proposer: cold.address, title: "t", summary: "s", initialDeposit: [{ denom: "ngonka", amount: "25000000" }],
  })]);
}

/** {@link propose}s, votes yes with cold (most power) and ends the voting period. */
async function pass(node: ChainNode, typeUrl: string, value: Uint8Array): Promise<{ status: ProposalStatus; failedReason: string }> {
  const prop = await propose(node, typeUrl, value);
  if (prop.deliver?.code !== 0) throw new Error(prop.deliver?.log ?? prop.check.log);
  const id = node.state.nextProposalId - 1n;
  await submit(node, cold, [{ "@type": "/cosmos.gov.v1.MsgVote", proposalId: String(id), voter: cold.address, option: "VOTE_OPTION_YES" }]);
  node.state.time = new Date(node.state.time.getTime() + 10_000);
  node.produceBlock();
  const p = node.state.proposals.get(id)!;
  return { status: p.status, failedReason: p.failedReason };
}

describe("devnet chain: allowlist, bls, streamvesting, params", () => {
  let node: ChainNode | undefined;
  afterEach(async () => {
    await node?.stop();
    node = undefined;
  });

  it("adds and removes allowlist addresses by governance only; the query lists them", async () => {
    node = await startManualNode({ votingPeriodMs: 1000 });
    const direct = await submit(node, cold, [{ "@type": "/inference.inference.MsgAddParticipantsToAllowList", authority: cold.address, addresses: [third.address] }]);
    expect(direct.deliver).toMatchObject({ code: 1100, log: failed("expected gov account as only signer for proposal message") });
    const add = await pass(node, "/inference.inference.MsgAddParticipantsToAllowList", toBinary(MsgAddParticipantsToAllowListSchema, create(MsgAddParticipantsToAllowListSchema, { authority: GOV, addresses: [third.address, fourth.address] })));
    expect(add.status).toBe(ProposalStatus.PASSED);
    const list = async () => ((await (await fetch(`${node!.restUrl}/productscience/inference/inference/participant_allow_list`)).json()) as { addresses: string[] }).addresses;
    expect(await list()).toEqual([third.address, fourth.address].sort());
    await pass(node, "/inference.inference.MsgRemoveParticipantsFromAllowList", toBinary(MsgRemoveParticipantsFromAllowListSchema, create(MsgRemoveParticipantsFromAllowListSchema, { authority: GOV, addresses: [third.address] })));
    expect(await list()).toEqual([fourth.address]);
    const bad = await propose(node, "/inference.inference.MsgAddParticipantsToAllowList", toBinary(MsgAddParticipantsToAllowListSchema, create(MsgAddParticipantsToAllowListSchema, { authority: GOV, addresses: ["nope"] })));
    expect(bad.deliver).toMatchObject({ code: 1164, log: failed("nope: invalid address") });
  });

  it("MsgUpdateParams replaces the params, and Params.Validate refuses a model-less delegation or a fee above 1,000,000", async () => {
    node = await startManualNode({ votingPeriodMs: 1000 });
    const params = structuredClone(node.state.inferenceParams);
    const update = () => toBinary(MsgUpdateParamsSchema, create(MsgUpdateParamsSchema, { authority: GOV, params }));
    params.feeParams!.minGasPriceNgonka = 1_000_001n;
    expect((await propose(node, "/inference.inference.MsgUpdateParams", update())).deliver?.log)
      .toBe(failed("invalid params: fee_params.min_gas_price_ngonka must be <= 1000000: invalid request"));
    params.feeParams!.minGasPriceNgonka = 7n;
    params.delegationParams!.initialModelId = "unknown/model";
    expect((await propose(node, "/inference.inference.MsgUpdateParams", update())).deliver?.log)
      .toBe(failed("invalid params: delegation initial_model_id unknown/model is not one of poc_params.models: invalid request"));
    params.delegationParams!.initialModelId = "moonshotai/Kimi-K2.6";
    expect((await pass(node, "/inference.inference.MsgUpdateParams", toBinary(MsgUpdateParamsSchema, create(MsgUpdateParamsSchema, { authority: GOV, params })))).status).toBe(ProposalStatus.PASSED);
    expect(node.state.inferenceParams.feeParams!.minGasPriceNgonka).toBe(7n);
    // a direct MsgUpdateParams with a non-gov authority fails the permission check
    const direct = await submit(node, cold, [{ "@type": "/inference.inference.MsgUpdateParams", authority: cold.address, params: {} }], { fee: [{ denom: "ngonka", amount: "35000000" }] });
    expect(direct.deliver).toMatchObject({ code: 1100, log: failed("expected gov account as only signer for proposal message") });
  });

  it("registration is refused below new_participant_registration_start_height (code 1156); re-registering updates fields only", async () => {
    node = await startManualNode();
    node.state.inferenceParams.participantAccessParams!.newParticipantRegistrationStartHeight = node.state.height + 100n;
    const closed = await submit(node, cold, [{ "@type": "/inference.inference.MsgSubmitNewParticipant", creator: cold.address, url: "http://198.51.100.1:8000" }]);
    expect(closed.deliver).toMatchObject({ code: 1156, log: failed("new participant registration is closed") });
    node.state.inferenceParams.participantAccessParams!.newParticipantRegistrationStartHeight = 0n;
    await register(node, cold);
    const key = Buffer.alloc(32, 5).toString("base64");
    await submit(node, cold, [{ "@type": "/inference.inference.MsgSubmitNewParticipant", creator: cold.address, validatorKey: key }]);
    expect(node.state.participants.get(cold.address)).toMatchObject({ inferenceUrl: "http://203.0.113.9:8000", validatorKey: key });
  });

  it("bls MsgRespondDealerComplaints is accepted and recorded", async () => {
    node = await startManualNode();
    const r = await submit(node, warm, [{
      "@type": "/inference.bls.MsgRespondDealerComplaints", creator: warm.address, epochId: "12", dealerIndex: 3,
      responses: [{ complainerIndex: 7, responseShareBytes: Buffer.alloc(32, 1).toString("base64"), responseOpeningMaterial: Buffer.alloc(48, 2).toString("base64") }],
    }]);
    expect(r.deliver?.code).toBe(0);
    expect(node.state.dealerComplaintResponses.get("12|3|7")?.creator).toBe(warm.address);
  });

  it("streamvesting: transfers move coins into the vesting module and release an equal share each epoch; small amounts are refused", async () => {
    node = await startManualNode();
    const small = await submit(node, cold, [{ "@type": "/inference.streamvesting.MsgTransferWithVesting", sender: cold.address, recipient: third.address, amount: [{ denom: "ngonka", amount: "9999999999" }], vestingEpochs: "3" }]);
    expect(small.deliver).toMatchObject({ code: 10, codespace: "sdk" });
    const before = node.state.balance(third.address, "ngonka");
    const t = await submit(node, cold, [{ "@type": "/inference.streamvesting.MsgTransferWithVesting", sender: cold.address, recipient: third.address, amount: [{ denom: "ngonka", amount: String(100n * GNK) }], vestingEpochs: "3" }]);
    expect(t.deliver?.code).toBe(0);
    const batch = await submit(node, cold, [{
      "@type": "/inference.streamvesting.MsgBatchTransferWithVesting", sender: cold.address, vestingEpochs: "0",
      outputs: [{ recipient: fourth.address, amount: [{ denom: "ngonka", amount: String(18n * GNK) }] }],
    }]);
    expect(batch.deliver?.code).toBe(0);
    expect(node.state.balance(STREAMVESTING_ADDRESS, "ngonka")).toBe(118n * GNK);
    expect(node.state.vesting.map((v) => [v.recipient, v.epochs])).toEqual([[third.address, 3n], [fourth.address, 180n]]);
    for (let i = 0; i < 3; i++) releaseVesting(node.state);
    expect(node.state.balance(third.address, "ngonka")).toBe(before + 100n * GNK);
    expect(node.state.balance(fourth.address, "ngonka")).toBe(1000n * GNK + 3n * (18n * GNK / 180n));
    expect(node.state.vesting.map((v) => v.recipient)).toEqual([fourth.address]);
  });
});
