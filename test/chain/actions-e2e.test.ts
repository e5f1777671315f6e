import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromBinary } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { ProposalStatus, VoteOption } from "../../generated/proto/cosmos/gov/v1/gov_pb.js";
import { GenericAuthorizationSchema } from "../../generated/proto/cosmos/authz/v1beta1/authz_pb.js";
import { ParticipantStatus } from "../../generated/proto/inference/inference/participant_pb.js";
import type { ChainNode } from "../../src/devnet/chain/index.js";
import type { ChainClient } from "../../src/chain/client.js";
import { ML_OPS_MESSAGE_TYPES } from "../../src/chain/actions/mlops.js";
import { GOV_MODULE_ADDRESS } from "../../src/chain/address.js";
import { UnauthorizedError, ChainTxError, InsufficientFundsError } from "../../src/chain/errors.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { cold, warm, other, GNK, startNode, clientFor } from "./helpers.js";

const VALIDATOR_KEY = "dLSUAosbTOmIzxlx9oNndZGBZr9YuMvewSwb4pH4pYw=";

const configs = [
  { name: "REST queries, CometBFT RPC broadcast", transport: "rest", broadcastVia: "rpc" },
  { name: "gRPC queries and tx Service", transport: "grpc", broadcastVia: "service" },
  { name: "REST queries and REST tx Service", transport: "rest", broadcastVia: "service" },
] as const;

describe.each(configs)("every operator action end to end ($name)", ({ transport, broadcastVia }) => {
  let node: ChainNode;
  let chain: ChainClient;
  beforeAll(async () => {
    // a voting period long enough that the proposal is still in it when the test lists proposals on a loaded machine
    node = await startNode({ votingPeriodMs: 2500 });
    chain = clientFor(node, { transport, broadcastVia });
  });
  afterAll(async () => {
    chain.close();
    await node.stop();
  });

  it("reads account, balances and the chain ID", async () => {
    expect(await chain.getChainId()).toBe("gonka-mainnet");
    const acc = await chain.getAccount(cold.address);
    expect(acc.accountNumber).toBe(0n);
    expect(acc.sequence).toBe(0n);
    expect(await chain.getBalance(cold.address)).toBe(1000n * GNK);
    expect(await chain.getBalances(warm.address)).toEqual([{ denom: "ngonka", amount: 10n * GNK }]);
  });

  it("submitNewParticipant registers the signer", async () => {
    const r = await chain.submitNewParticipant(cold, { url: "http://203.0.113.7:8000", validatorKey: VALIDATOR_KEY });
    expect(r.height).toBeGreaterThan(0n);
    expect(r.gasUsed).toBeGreaterThan(0n);
    expect(r.gasWanted).toBeGreaterThanOrEqual(r.gasUsed);
    const p = await chain.getParticipant(cold.address);
    expect(p.inferenceUrl).toBe("http://203.0.113.7:8000");
    expect(p.validatorKey).toBe(VALIDATOR_KEY);
    expect(p.status).toBe(ParticipantStatus.ACTIVE);
    const { participants } = await chain.getParticipants();
    expect(participants.map((x) => x.address)).toContain(cold.address);
    expect((await chain.getAccount(cold.address)).sequence).toBe(1n);
    expect((await chain.getAccount(cold.address)).publicKey).toEqual(cold.publicKey);
  });

  it("grantMlOpsPermissions grants all 20 types (v0.2.13 list) and the fee allowance in one tx, execAs uses them, revoke removes them", async () => {
    const expiration = new Date(Date.now() + 365 * 24 * 3600_000);
    const r = await chain.grantMlOpsPermissions(cold, { grantee: warm.address, expiration });
    expect(r.grants).toBe(20);
    expect(r.feeAllowance).toBe("granted");
    expect(r.msgResponses).toHaveLength(21);
    const allowance = await chain.getFeeAllowance(cold.address, warm.address);
    expect(allowance?.basic?.spendLimit).toMatchObject([{ denom: "ngonka", amount: "10000000000" }]);
    expect(Math.abs(timestampMs(allowance!.basic!.expiration!) - expiration.getTime())).toBeLessThan(1000);
    expect(node.state.grants.size).toBe(20);
    const g = [...node.state.grants.values()];
    expect(g.map((x) => x.msgTypeUrl)).toEqual([...ML_OPS_MESSAGE_TYPES]);
    expect(fromBinary(GenericAuthorizationSchema, g[4]!.authorization.value).msg).toBe("/inference.inference.MsgSubmitPocBatch");
    expect(Math.abs(timestampMs(g[0]!.expiration!) - expiration.getTime())).toBeLessThan(1000);
    const grantees = await chain.getGranteesByMessageType(cold.address, "/inference.inference.MsgStartInference");
    expect(grantees.map((x) => x.address)).toEqual([warm.address]);

    // the warm key answers a DKG complaint for the cold account (an ML-ops grant since v0.2.13), its fee paid by the cold account
    const answer = { epochId: 1n, dealerIndex: 0, responses: [{ complainerIndex: 2, responseShareBytes: new Uint8Array(32).fill(1), responseOpeningMaterial: new Uint8Array(32).fill(2) }] };
    const ex = await chain.respondDealerComplaints(warm, { ...answer, granter: cold.address, feeGranter: cold.address, unordered: true });
    expect(ex.height).toBeGreaterThan(0n);
    expect(ex.msgResponses.map((m) => m.typeUrl)).toEqual(["/cosmos.authz.v1beta1.MsgExecResponse"]);
    expect((await chain.getAccount(warm.address)).sequence).toBe(0n); // unordered: no sequence bump

    await chain.revokeMlOpsPermissions(cold, { grantee: warm.address, msgTypeUrls: ["/inference.bls.MsgRespondDealerComplaints"], feeAllowance: false });
    expect(node.state.grants.size).toBe(19);
    const err = await chain.respondDealerComplaints(warm, { ...answer, granter: cold.address, gasLimit: 500_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnauthorizedError);
    expect((err as UnauthorizedError).log).toMatch(/authorization not found/);
  });

  it("submitProposal (inference MsgUpdateParams with gov authority), deposit, vote, voteWeighted, tally, pass", async () => {
    const before = await chain.getInferenceParams();
    expect(before.pocParams!.validationSampleSize).toBe(200);
    const prop = await chain.proposeInferenceParams(cold, {
      title: "Raise PoC validation sample size",
      summary: "Sets validation_sample_size to 300.",
      initialDeposit: [{ denom: "ngonka", amount: 10_000_000n }],
      edit: (p) => {
        p.pocParams!.validationSampleSize = 300;
      },
    });
    expect(prop.proposalId).toBeGreaterThan(0n);
    let p = await chain.getProposal(prop.proposalId);
    expect(p.status).toBe(ProposalStatus.DEPOSIT_PERIOD);
    expect(p.messages[0]!.typeUrl).toBe("/inference.inference.MsgUpdateParams");
    await chain.deposit(other, { proposalId: prop.proposalId, amount: [{ denom: "ngonka", amount: 15_000_000n }] });
    p = await chain.getProposal(prop.proposalId);
    expect(p.status).toBe(ProposalStatus.VOTING_PERIOD);
    await chain.vote(cold, { proposalId: prop.proposalId, option: "yes" });
    await chain.voteWeighted(other, { proposalId: prop.proposalId, options: [{ option: "yes", weight: "0.7" }, { option: "abstain", weight: 0.3 }] });
    const tally = await chain.getTally(prop.proposalId);
    expect(tally.yes).toBe(100n + 14n);
    expect(tally.abstain).toBe(6n);
    const votes = await chain.getVotes(prop.proposalId);
    expect(votes.map((v) => v.options.map((o) => o.option))).toEqual([[VoteOption.YES], [VoteOption.YES, VoteOption.ABSTAIN]]);
    const proposals = await chain.getProposals({ status: ProposalStatus.VOTING_PERIOD });
    expect(proposals.map((x) => x.id)).toContain(prop.proposalId);
    await expect.poll(async () => (await chain.getProposal(prop.proposalId)).status, { timeout: 5000, interval: 50 }).toBe(ProposalStatus.PASSED);
    expect((await chain.getInferenceParams()).pocParams!.validationSampleSize).toBe(300);
    expect((await chain.getGovParams()).quorum).toBe("0.250000000000000000"); // v0.2.13
  });

  it("submitProposal accepts proposal.json-style messages and rejects a non-gov authority", async () => {
    const r = await chain.submitProposal(cold, {
      title: "v0.2.5", summary: "upgrade", expedited: true, initialDeposit: [{ denom: "ngonka", amount: 50_000_000n }],
      messages: [{ "@type": "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade", authority: GOV_MODULE_ADDRESS, plan: { name: "v0.2.5", height: "1234567", info: "{}" } }],
    });
    expect((await chain.getProposal(r.proposalId)).expedited).toBe(true);
    await expect(
      chain.submitProposal(cold, {
        title: "bad", summary: "bad",
        messages: [{ "@type": "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade", authority: cold.address, plan: { name: "x", height: "1" } }],
      }),
    ).rejects.toThrow(/gov module address/);
  });

  it("unjail derives the valoper from the wallet", async () => {
    const err = await chain.unjail(cold, { gasLimit: 300_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainTxError);
    expect((err as ChainTxError).codespace).toBe("slashing");
    node.state.jailed.add(cold.valoper);
    await chain.unjail(cold);
    expect(node.state.jailed.has(cold.valoper)).toBe(false);
  });

  it("depositCollateral and withdrawCollateral", async () => {
    const before = await chain.getBalance(cold.address);
    await chain.depositCollateral(cold, { amount: 4_200_000_000n });
    expect(node.state.collateral.get(cold.address)).toBe(4_200_000_000n);
    expect(await chain.getBalance(cold.address)).toBe(before - 4_200_000_000n);
    const w = await chain.withdrawCollateral(cold, { amount: 200_000_000n });
    expect(w.completionEpoch).toBe(node.state.epoch.index + 1n);
    expect(node.state.collateral.get(cold.address)).toBe(4_000_000_000n);
  });

  it("send moves coins; too much fails with InsufficientFundsError", async () => {
    const before = await chain.getBalance(other.address);
    await chain.send(cold, { to: other.address, amount: [{ denom: "ngonka", amount: GNK }] });
    expect(await chain.getBalance(other.address)).toBe(before + GNK);
    const err = await chain.send(warm, { to: other.address, amount: [{ denom: "ngonka", amount: 1000n * GNK }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InsufficientFundsError);
    expect((err as InsufficientFundsError).code).toBe(5);
  });

  it("refuses bad inputs before signing", async () => {
    await expect(chain.submitNewParticipant(cold, { url: "ftp://x", validatorKey: VALIDATOR_KEY })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(chain.submitNewParticipant(cold, { url: "http://x:1", validatorKey: "AAAA" })).rejects.toThrow(/decodes to 3 bytes/);
    await expect(chain.vote(cold, { proposalId: 1n, option: "maybe" as "yes" })).rejects.toThrow(/yes, no, abstain or no_with_veto/);
    await expect(chain.voteWeighted(cold, { proposalId: 1n, options: [{ option: "yes", weight: "0.5" }] })).rejects.toThrow(/sum to exactly 1/);
    await expect(chain.grantMlOpsPermissions(cold, { grantee: "gonka1notanaddress" })).rejects.toThrow(/grantee/);
  });
});
