/**
 * The v0.2.13 operator flows against the embedded devnet chain node (src/devnet/chain): network
 * info and the release check, ML-ops grants with the fee allowance, fees from fee_params and fee
 * grants, PoC delegation, error_message responses, bls dispute responses, vesting transfers, and
 * params proposals that keep fields the SDK does not know (devnet `unknownParamsFields`).
 */
import { afterEach, describe, expect, it } from "vitest";
import { fromBinary } from "@bufbuild/protobuf";
import type { ChainNode, ChainNodeOptions } from "../../src/devnet/chain/index.js";
import type { ChainClient, ChainClientOptions } from "../../src/chain/client.js";
import { ChainMsgError, FeeTooLowError, GasPriceTooLowError } from "../../src/chain/errors.js";
import { MessageTypeNotInReleaseError } from "../../src/network/availability.js";
import { ParamsNotPreservableError } from "../../src/chain/params.js";
import { QueryParamsResponseSchema } from "../../generated/proto/inference/inference/query_pb.js";
import { ProposalStatus } from "../../generated/proto/cosmos/gov/v1/gov_pb.js";
import { cold, warm, other, GNK, startNode, clientFor } from "./helpers.js";

const VALIDATOR_KEY = "dLSUAosbTOmIzxlx9oNndZGBZr9YuMvewSwb4pH4pYw=";
const KIMI = "moonshotai/Kimi-K2.6";
const MINIMAX = "MiniMaxAI/MiniMax-M2.7";
const HASH = "ef1b402ff87714559dc4f59e9757acfe3c6102428a9afdbad984ca424641e444";
const SIG = Buffer.alloc(64, 7).toString("base64");

let node: ChainNode | undefined;
let chain: ChainClient | undefined;
async function start(opts: ChainNodeOptions = {}, client: Partial<ChainClientOptions> = {}): Promise<{ node: ChainNode; chain: ChainClient }> {
  node = await startNode(opts);
  chain = clientFor(node, client);
  return { node, chain };
}
afterEach(async () => {
  chain?.close();
  await node?.stop();
  node = chain = undefined;
});

describe("devnet: which network am I talking to", () => {
  it("networkInfo reads v0.2.13 from abci_info: the SDK's target", async () => {
    const { chain } = await start();
    const info = await chain.networkInfo();
    expect(info).toMatchObject({ chainId: "gonka-mainnet", appVersion: "v0.2.13", versionSource: "abci_info", release: "v0.2.13", support: "target", supported: true });
  });

  it("a node posing as v0.2.11 gets MsgSetPoCDelegation refused before signing", async () => {
    const { node, chain } = await start({ appVersion: "v0.2.11" });
    const before = node.state.height;
    const err = await chain.setPoCDelegation(cold, { modelId: KIMI, delegateTo: other.address }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MessageTypeNotInReleaseError);
    expect((err as MessageTypeNotInReleaseError).addedIn).toBe("v0.2.12");
    expect([...node.state.txs.values()].filter((t) => t.height >= before)).toHaveLength(0);
  });
});

describe("devnet: ML-ops grants with the fee allowance, warm-key txs paid by the cold account", () => {
  it("grant → allowance on chain → second grant keeps it → warm key's tx paid via feeGranter → revoke removes both", async () => {
    const { node, chain } = await start({ minGasPriceNgonka: 10 });
    await chain.submitNewParticipant(cold, { url: "http://203.0.113.7:8000", validatorKey: VALIDATOR_KEY });
    const g = await chain.grantMlOpsPermissions(cold, { grantee: warm.address });
    expect(g).toMatchObject({ grants: 20, feeAllowance: "granted" });
    expect(g.msgResponses).toHaveLength(21);
    const a = await chain.getFeeAllowance(cold.address, warm.address);
    expect(a?.basic?.spendLimit).toMatchObject([{ denom: "ngonka", amount: "10000000000" }]);
    expect((await chain.grantMlOpsPermissions(cold, { grantee: warm.address })).feeAllowance).toBe("exists");

    // the warm key pays nothing itself: the fee comes out of the cold account's allowance
    const warmBefore = await chain.getBalance(warm.address);
    const sent = await chain.send(warm, { to: other.address, amount: [{ denom: "ngonka", amount: 1000n }], feeGranter: cold.address });
    expect(sent.gasWanted).toBeGreaterThan(0n);
    expect(await chain.getBalance(warm.address)).toBe(warmBefore - 1000n);
    const after = await chain.getFeeAllowance(cold.address, warm.address);
    const left = BigInt(after!.basic!.spendLimit[0]!.amount);
    expect(left).toBe(10_000_000_000n - sent.gasWanted * 10n);

    const r = await chain.revokeMlOpsPermissions(cold, { grantee: warm.address });
    expect(r).toMatchObject({ revoked: 20, feeAllowance: "revoked" });
    expect(await chain.getFeeAllowance(cold.address, warm.address)).toBeUndefined();
    expect(node.state.grants.size).toBe(0);
  });
});

describe("devnet: fees from fee_params", () => {
  it("pays gas × min gas price; refuses a lower price or fee before signing; zero price sends no fee coin", async () => {
    const { chain } = await start({ minGasPriceNgonka: 10 });
    expect(await chain.getMinGasPrice()).toBe(10n);
    const before = await chain.getBalance(cold.address);
    const r = await chain.send(cold, { to: other.address, amount: [{ denom: "ngonka", amount: 1n }] });
    expect(await chain.getBalance(cold.address)).toBe(before - 1n - r.gasWanted * 10n);
    await expect(chain.send(cold, { to: other.address, amount: [{ denom: "ngonka", amount: 1n }], gasPrice: 9 })).rejects.toBeInstanceOf(GasPriceTooLowError);
    await expect(chain.send(cold, { to: other.address, amount: [{ denom: "ngonka", amount: 1n }], gasLimit: 200_000, fee: [{ denom: "ngonka", amount: 1n }] })).rejects.toBeInstanceOf(FeeTooLowError);
  });

  it("with min gas price 0 the fee is empty and the balance moves only by the amount", async () => {
    const { chain } = await start();
    const before = await chain.getBalance(cold.address);
    await chain.send(cold, { to: other.address, amount: [{ denom: "ngonka", amount: 5n }] });
    expect(await chain.getBalance(cold.address)).toBe(before - 5n);
  });
});

describe("devnet: per-model PoC participation and the access queries", () => {
  it("setPoCDelegation / refusePoCDelegation / declarePoCIntent and the PoCDelegation query", async () => {
    const { chain } = await start();
    await chain.submitNewParticipant(cold, { url: "http://203.0.113.7:8000", validatorKey: VALIDATOR_KEY });
    await chain.setPoCDelegation(cold, { modelId: KIMI, delegateTo: other.address });
    await chain.refusePoCDelegation(cold, { modelId: MINIMAX });
    let s = await chain.getPoCDelegation(cold.address);
    expect(s.delegations.map((d) => [d.modelId, d.delegator, d.delegateTo])).toEqual([[KIMI, cold.address, other.address]]);
    expect(s.refusals.map((r) => r.modelId)).toEqual([MINIMAX]);
    expect((await chain.getPoCDelegation(cold.address, KIMI)).refusals).toEqual([]);
    await chain.setPoCDelegation(cold, { modelId: KIMI, delegateTo: "" });
    await chain.declarePoCIntent(cold, { modelId: KIMI });
    s = await chain.getPoCDelegation(cold.address);
    expect(s.delegations).toEqual([]);
    expect(s.intents.map((i) => i.modelId)).toEqual([KIMI]);
  });

  it("participant allowlist, excluded participants, access params", async () => {
    const { chain } = await start();
    expect(Array.isArray(await chain.getParticipantAllowList())).toBe(true);
    expect(Array.isArray(await chain.getExcludedParticipants())).toBe(true);
    const a = await chain.getAccessParams();
    expect(a.participantAccess).toBeDefined();
    expect(a.transferAgentAccess).toBeDefined();
    expect((await chain.getTransferAgentAccessParams()).allowedTransferAddresses).toEqual(a.transferAgentAccess!.allowedTransferAddresses);
  });
});

describe("devnet: errors hidden in success", () => {
  it("a MsgStartInference the handler refuses comes back as ChainMsgError (direct and through MsgExec)", async () => {
    const { chain } = await start();
    await chain.submitNewParticipant(cold, { url: "http://203.0.113.7:8000", validatorKey: VALIDATOR_KEY });
    const fields = {
      inferenceId: SIG, promptHash: HASH, originalPromptHash: HASH, model: KIMI, requestedBy: other.address, assignedTo: cold.address,
      maxTokens: 100, promptTokenCount: 10, requestTimestamp: BigInt(Date.now()) * 1_000_000n, transferSignature: SIG,
    };
    const err = await chain.startInference(cold, fields).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainMsgError);
    expect((err as ChainMsgError).errorMessage).not.toBe("");
    expect((err as ChainMsgError).height).toBeGreaterThan(0n);

    await chain.grantMlOpsPermissions(cold, { grantee: warm.address });
    const viaExec = await chain.startInference(warm, { ...fields, granter: cold.address, feeGranter: cold.address }).catch((e: unknown) => e);
    expect(viaExec).toBeInstanceOf(ChainMsgError);
    expect((viaExec as ChainMsgError).failures[0]).toMatchObject({ messageIndex: 0, innerIndex: 0, messageTypeUrl: "/inference.inference.MsgStartInference" });
  });
});

describe("devnet: bls dispute responses and vesting transfers", () => {
  it("respondDealerComplaints is accepted", async () => {
    const { chain } = await start();
    const r = await chain.respondDealerComplaints(cold, {
      epochId: 1n, dealerIndex: 0, responses: [{ complainerIndex: 1, responseShareBytes: new Uint8Array(32).fill(1), responseOpeningMaterial: new Uint8Array(32).fill(2) }],
    });
    expect(r.height).toBeGreaterThan(0n);
  });

  it("transferWithVesting and batchTransferWithVesting take the coins from the sender", async () => {
    const { chain } = await start();
    const before = await chain.getBalance(cold.address);
    await chain.transferWithVesting(cold, { recipient: other.address, amount: [{ denom: "ngonka", amount: 10n * GNK }], vestingEpochs: 180 });
    await chain.batchTransferWithVesting(cold, {
      vestingEpochs: 365,
      outputs: [
        { recipient: other.address, amount: [{ denom: "ngonka", amount: 10n * GNK }] },
        { recipient: warm.address, amount: [{ denom: "ngonka", amount: 12n * GNK }] },
      ],
    });
    expect(await chain.getBalance(cold.address)).toBe(before - 32n * GNK);
  });
});

describe("devnet: governance keeps params fields the SDK does not know", () => {
  // poc_params (3) appears twice on the wire: protobuf merges the second occurrence (field 99) into it
  const unknown = {
    bytes: new Uint8Array([0x1a, 0x08, 0x9a, 0x06, 0x06, ...new TextEncoder().encode("future"), 0xf0, 0x01, 0x2a]),
    json: { poc_params: { future_field: "future" }, future_top: "42" },
  };
  for (const transport of ["rest", "grpc"] as const) {
    it(`proposeInferenceParams (${transport === "rest" ? "abci_query" : "gRPC"}) proposes fields 30 and poc_params.99 unchanged, and the chain keeps them`, async () => {
      const { node, chain } = await start({ unknownParamsFields: unknown }, { transport });
      const r = await chain.proposeInferenceParams(cold, {
        title: "PoC sample 300", summary: "s", initialDeposit: [{ denom: "ngonka", amount: 50_000_000n }], edit: (p) => void (p.pocParams!.validationSampleSize = 300),
      });
      expect(r.paramsVia).toBe(transport === "rest" ? "abci_query" : "grpc");
      expect(r.unknownFieldCount).toBe(2);
      await chain.vote(cold, { proposalId: r.proposalId, option: "yes" });
      await chain.vote(other, { proposalId: r.proposalId, option: "yes" });
      await expect.poll(async () => (await chain.getProposal(r.proposalId)).status, { timeout: 5000, interval: 50 }).toBe(ProposalStatus.PASSED);
      const q = await chain.rpc.abciQuery("/inference.inference.Query/Params", new Uint8Array());
      const params = fromBinary(QueryParamsResponseSchema, q.value).params!;
      expect(params.pocParams!.validationSampleSize).toBe(300);
      expect(params.$unknown?.map((u) => u.no)).toEqual([30]);
      expect(params.pocParams!.$unknown?.map((u) => [u.no, new TextDecoder().decode(u.data)])).toEqual([[99, "\u0006future"]]);
      expect(node.state.height).toBeGreaterThan(0n);
    });
  }

  it("over REST JSON the devnet's extra keys make proposeInferenceParams refuse", async () => {
    const { chain } = await start({ unknownParamsFields: unknown });
    const err = await chain.proposeInferenceParams(cold, { title: "t", summary: "s", paramsSource: "rest", edit: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParamsNotPreservableError);
    expect((err as ParamsNotPreservableError).unknownFields.sort()).toEqual(["params.future_top", "params.poc_params.future_field"]);
  });
});
