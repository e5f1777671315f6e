/**
 * The devnet chain's queries against the vectors (wire-upgrades.json `queryResponses`): with the
 * vector's state loaded, the REST gateway prints the vector's `jsonWithDefaults` (plus `null` for
 * unset nullable sub-messages, spec §4.5) and `abci_query` returns the vector's bytes. Also:
 * the params test hook (unknown fields survive), node_info / abci_info, pagination and unknown routes.
 */
import { afterEach, describe, expect, it } from "vitest";
import { create, fromBinary, toBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import wire from "../fixtures/wire-upgrades.json" with { type: "json" };
import { registry } from "../../src/proto/index.js";
import type { Participant } from "../../generated/proto/inference/inference/participant_pb.js";
import { ParamsSchema, type Params } from "../../generated/proto/inference/inference/params_pb.js";
import { MsgUpdateParamsSchema } from "../../generated/proto/inference/inference/tx_pb.js";
import { MsgSubmitProposalSchema } from "../../generated/proto/cosmos/gov/v1/tx_pb.js";
import { AnySchema } from "@bufbuild/protobuf/wkt";
import type { Model } from "../../generated/proto/inference/inference/model_pb.js";
import type { Params as BlsParams } from "../../generated/proto/inference/bls/params_pb.js";
import type { ChainNode, ChainState } from "../../src/devnet/chain/index.js";
import { pocKey } from "../../src/devnet/chain/index.js";
import { cold, GOV, startManualNode, submit } from "./chain-helpers.js";

type Vector = (typeof wire.queryResponses)[number];
const vector = (grpc: string): Vector => wire.queryResponses.find((q) => q.grpcMethod === grpc)!;
const decode = (v: Vector): Record<string, unknown> & Message => fromBinary(registry.getMessage(v.typeUrl.slice(1))!, Buffer.from(v.hex, "hex")) as never;
const hexKey = (address: string) => Buffer.from((wire.keys.find((k) => k.address === address) ?? { publicKeyHex: "" }).publicKeyHex, "hex");

/** Removes `null`s (unset nullable sub-messages, which the vectors' form omits). */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
  return v;
}

async function abci(node: ChainNode, path: string, request: Uint8Array): Promise<{ code: number; value: string | null; log: string }> {
  const res = await fetch(`${node.rpcUrl}/`, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "abci_query", params: { path, data: Buffer.from(request).toString("hex") } }) });
  return ((await res.json()) as { result: { response: { code: number; value: string | null; log: string } } }).result.response;
}

function request(method: string, init: Record<string, unknown>): Uint8Array {
  const [svc, name] = method.slice(1).split("/");
  const m = (registry.getService(svc!)!.methods.find((x) => x.name === name)!);
  return toBinary(m.input, create(m.input as DescMessage, init as never));
}

/** What each vector needs in the devnet state, and the gRPC request that asks for it. */
const loaders: Record<string, (s: ChainState, r: Record<string, unknown>) => Record<string, unknown>> = {
  "/inference.inference.Query/Params": (s, r) => {
    s.inferenceParams = r.params as Params;
    return {};
  },
  "/inference.inference.Query/Participant": (s, r) => {
    const p = r.participant as Participant;
    s.participants.set(p.index, p);
    return { index: p.index };
  },
  "/inference.inference.Query/AllPoCV2StoreCommitsForStage": (s, r) => {
    for (const c of r.commits as { participantAddress: string; count: number; rootHash: Uint8Array; modelId: string }[]) {
      s.ensureAccount(c.participantAddress).pubKey = hexKey(c.participantAddress);
      s.pocV2Commits.set(pocKey(2476800n, c.participantAddress, c.modelId), { ...c, pocStageStartBlockHeight: 2476800n, commitBlockHeight: 2476801n });
    }
    return { pocStageStartBlockHeight: 2476800n };
  },
  "/inference.inference.Query/AllMLNodeWeightDistributionsForStage": (s, r) => {
    for (const d of r.distributions as { participantAddress: string; weights: never[]; modelId: string }[]) {
      s.pocV2Distributions.set(pocKey(2476800n, d.participantAddress, d.modelId), { ...d, pocStageStartBlockHeight: 2476800n });
    }
    return { pocStageStartBlockHeight: 2476800n };
  },
  "/inference.inference.Query/PocV2ValidationsForStage": (s, r) => {
    for (const g of r.pocValidation as { participant: string; pocValidation: { participantAddress: string; modelId: string; validatorParticipantAddress: string }[] }[]) {
      s.ensureAccount(g.participant).pubKey = hexKey(g.participant);
      for (const v of g.pocValidation) s.pocV2Validations.set(pocKey(2476800n, v.participantAddress, v.modelId, v.validatorParticipantAddress), v as never);
    }
    return { blockHeight: 2476800n };
  },
  "/inference.inference.Query/PoCDelegation": (s, r) => {
    let who = "";
    for (const d of r.delegations as { modelId: string; delegator: string; delegateTo: string }[]) s.pocModes.set(pocKey((who = d.delegator), d.modelId), { mode: "delegate", delegateTo: d.delegateTo });
    for (const d of r.refusals as { modelId: string; participant: string }[]) s.pocModes.set(pocKey((who = d.participant), d.modelId), { mode: "refuse" });
    return { participant: who };
  },
  "/inference.inference.Query/ParticipantAllowList": (s, r) => {
    for (const a of r.addresses as string[]) s.participantAllowList.add(a);
    return {};
  },
  "/inference.inference.Query/AccountByAddress": (s, r) => {
    const address = wire.keys[0]!.address;
    s.ensureAccount(address).pubKey = new Uint8Array(Buffer.from(r.pubkey as string, "base64"));
    s.balances.set(address, new Map([["ngonka", BigInt(r.balance as bigint)]]));
    return { address };
  },
  "/inference.bls.Query/Params": (s, r) => {
    s.blsParams = r.params as BlsParams;
    return {};
  },
};

describe("devnet chain queries against the vectors", () => {
  let node: ChainNode | undefined;
  afterEach(async () => {
    await node?.stop();
    node = undefined;
  });

  it.each(Object.keys(loaders))("%s: REST prints the vector's jsonWithDefaults, abci_query returns its bytes", async (grpc) => {
    node = await startManualNode();
    const v = vector(grpc);
    const req = loaders[grpc]!(node.state, decode(v));
    const [, path] = v.restPath.split(" ");
    const rest = (await (await fetch(`${node.restUrl}${path}`)).json()) as Record<string, unknown>;
    expect(withoutNulls(rest)).toEqual(v.jsonWithDefaults);
    const q = await abci(node, grpc, request(grpc, req));
    expect(q.code).toBe(0);
    expect(Buffer.from(q.value ?? "", "base64").toString("hex")).toBe(v.hex);
  });

  it("PoCV2StoreCommit: abci_query returns the vector's bytes; the REST route cannot carry a model id with '/' (501)", async () => {
    node = await startManualNode();
    const v = vector("/inference.inference.Query/PoCV2StoreCommit");
    const r = decode(v) as unknown as { count: number; rootHash: Uint8Array };
    node.state.pocV2Commits.set(pocKey(2476800n, cold.address, "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"), {
      participantAddress: cold.address, pocStageStartBlockHeight: 2476800n, modelId: "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", count: r.count, rootHash: r.rootHash, commitBlockHeight: 1n,
    });
    const q = await abci(node, v.grpcMethod, request(v.grpcMethod, { pocStageStartBlockHeight: 2476800n, participantAddress: cold.address, modelId: "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8" }));
    expect(Buffer.from(q.value!, "base64").toString("hex")).toBe(v.hex);
    const rest = await fetch(`${node.restUrl}${v.restPath.split(" ")[1]}`);
    expect(rest.status).toBe(501);
    expect(await rest.json()).toEqual({ code: 12, message: "Not Implemented", details: [] });
  });

  it("ModelsAll is paginated: the vector's model prints as the gateway does, pages follow next_key", async () => {
    node = await startManualNode();
    const v = vector("/inference.inference.Query/ModelsAll");
    const model = (decode(v).model as Model[])[0]!;
    node.state.models.set(model.id, model);
    const all = (await (await fetch(`${node.restUrl}/productscience/inference/inference/models_all`)).json()) as { model: unknown[]; pagination: unknown };
    expect(all.model).toContainEqual((v.jsonWithDefaults as { model: unknown[] }).model[0]);
    expect(all.pagination).toEqual({ next_key: "", total: "3" }); // the vector's model replaced the genesis one of the same id
    const page = (await (await fetch(`${node.restUrl}/productscience/inference/inference/models_all?pagination.limit=2`)).json()) as { model: { id: string }[]; pagination: { next_key: string } };
    expect(page.model.map((m) => m.id)).toEqual(["MiniMaxAI/MiniMax-M2.7", "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"]);
    const next = (await (await fetch(`${node.restUrl}/productscience/inference/inference/models_all?pagination.key=${encodeURIComponent(page.pagination.next_key)}`)).json()) as { model: { id: string }[] };
    expect(next.model.map((m) => m.id)).toEqual(["moonshotai/Kimi-K2.6"]);
  });

  it("serves genesis params with every v0.2.13 sub-message, bls params 6-8 and gov quorum 0.25", async () => {
    node = await startManualNode();
    const p = ((await (await fetch(`${node.restUrl}/productscience/inference/inference/params`)).json()) as { params: Record<string, Record<string, unknown>> }).params;
    expect(Object.keys(p)).toEqual(expect.arrayContaining([
      "epoch_params", "validation_params", "poc_params", "tokenomics_params", "collateral_params", "bitcoin_reward_params", "dynamic_pricing_params",
      "bandwidth_limits_params", "confirmation_poc_params", "genesis_guardian_params", "developer_access_params", "participant_access_params",
      "transfer_agent_access_params", "devshard_escrow_params", "fee_params", "delegation_params",
    ]));
    expect(Object.values(p).every((x) => x !== null)).toBe(true);
    expect(p.fee_params).toEqual({ min_gas_price_ngonka: "0", base_validation_gas: "500000", gas_per_poc_count: "100" });
    expect((p.poc_params!.models as { model_id: string }[]).map((m) => m.model_id)).toEqual(["Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", "moonshotai/Kimi-K2.6", "MiniMaxAI/MiniMax-M2.7"]);
    expect(p.epoch_params).toMatchObject({ poc_stage_duration: "35", poc_exchange_duration: "0", poc_validation_duration: "240", inference_validation_cutoff: "2" });
    expect(p.poc_params!.model_params).toBeNull(); // deprecated, cleared; nullable → null
    expect(p.poc_params!.poc_v2_enabled).toBe(true);
    const bls = ((await (await fetch(`${node.restUrl}/productscience/inference/bls/params`)).json()) as { params: Record<string, unknown> }).params;
    expect(bls).toEqual({
      i_total_slots: 100, t_slots_degree_offset: 50, dealing_phase_duration_blocks: "5", verification_phase_duration_blocks: "3", signing_deadline_blocks: "10",
      dispute_phase_duration_blocks: "6", completed_fallback_blocks: "0", max_signing_attempts: 3,
    });
    const gov = ((await (await fetch(`${node.restUrl}/cosmos/gov/v1/params/tallying`)).json()) as { params: { quorum: string } }).params;
    expect(gov.quorum).toBe("0.250000000000000000");
  });

  it("the params hook: unknown fields survive abci_query, a gov proposal carrying them, and show in REST while stored", async () => {
    // field 99 (varint 7) at the top, field 50 (varint 1) inside poc_params (3)
    const bytes = new Uint8Array([0x98, 0x06, 0x07, 0x1a, 0x03, 0x90, 0x03, 0x01]);
    node = await startManualNode({ votingPeriodMs: 1000, unknownParamsFields: { bytes, json: { future_params: { enabled: true }, poc_params: { future_switch: true } } } });
    const q = await abci(node, "/inference.inference.Query/Params", new Uint8Array());
    const got = Buffer.from(q.value!, "base64");
    const params = fromBinary(registry.getMessage("inference.inference.QueryParamsResponse")!, got) as unknown as { params: Params & { $unknown?: { no: number }[] } };
    expect(params.params.$unknown?.map((u) => u.no)).toEqual([99]);
    expect((params.params.pocParams as unknown as { $unknown?: { no: number }[] }).$unknown?.map((u) => u.no)).toEqual([50]);
    const rest = ((await (await fetch(`${node.restUrl}/productscience/inference/inference/params`)).json()) as { params: Record<string, Record<string, unknown>> }).params;
    expect(rest.future_params).toEqual({ enabled: true });
    expect(rest.poc_params!.future_switch).toBe(true);
    expect(rest.poc_params!.validation_sample_size).toBe(200);

    // a proposal built from the binary params (unknown fields kept by protobuf-es) passes decode and keeps them
    const edited = params.params;
    edited.pocParams!.validationSampleSize = 300;
    const update = create(AnySchema, { typeUrl: "/inference.inference.MsgUpdateParams", value: toBinary(MsgUpdateParamsSchema, create(MsgUpdateParamsSchema, { authority: GOV, params: edited })) });
    const prop = await submit(node, cold, [create(MsgSubmitProposalSchema, { messages: [update], proposer: cold.address, title: "t", summary: "s", initialDeposit: [{ denom: "ngonka", amount: "25000000" }] })]);
    expect(prop.deliver?.code).toBe(0);
    expect((await submit(node, cold, [{ "@type": "/cosmos.gov.v1.MsgVote", proposalId: "1", voter: cold.address, option: "VOTE_OPTION_YES" }])).deliver?.code).toBe(0);
    node.state.time = new Date(node.state.time.getTime() + 5000);
    node.produceBlock();
    expect(node.state.inferenceParams.pocParams!.validationSampleSize).toBe(300);
    const after = toBinary(ParamsSchema, node.state.inferenceParams);
    expect(Buffer.from(after).includes(Buffer.from([0x98, 0x06, 0x07]))).toBe(true);
    const rest2 = ((await (await fetch(`${node.restUrl}/productscience/inference/inference/params`)).json()) as { params: Record<string, unknown> }).params;
    expect(rest2.future_params).toEqual({ enabled: true });
  });

  it("node_info and abci_info report the application version; abci_query refuses an unknown path", async () => {
    node = await startManualNode({ appVersion: "v0.2.11", chainId: "gonka-devnet" });
    const info = (await (await fetch(`${node.restUrl}/cosmos/base/tendermint/v1beta1/node_info`)).json()) as { default_node_info: { network: string }; application_version: { version: string; cosmos_sdk_version: string } };
    expect(info.default_node_info.network).toBe("gonka-devnet");
    expect(info.application_version).toMatchObject({ version: "v0.2.11", cosmos_sdk_version: "v0.53.3", app_name: "inferenced" });
    const abciInfo = (await (await fetch(`${node.rpcUrl}/abci_info`)).json()) as { result: { response: Record<string, string> } };
    expect(abciInfo.result.response).toMatchObject({ data: "inference", version: "v0.2.11", app_version: "0", last_block_height: String(node.state.height) });
    expect(await abci(node, "/inference.inference.Query/TopMiner", new Uint8Array())).toMatchObject({ code: 6, log: "unknown query path: unknown request", value: null });
    const missing = await abci(node, "/cosmos.feegrant.v1beta1.Query/Allowance", request("/cosmos.feegrant.v1beta1.Query/Allowance", { granter: cold.address, grantee: GOV }));
    expect(missing).toMatchObject({ code: 22, log: "rpc error: code = NotFound desc = fee-grant not found: not found: key not found" });
  });

  it("routes of the v0.2.13 schema the devnet does not model answer 501 like the gateway, not a crash", async () => {
    node = await startManualNode();
    const r = await fetch(`${node.restUrl}/productscience/inference/inference/devshard_escrow/4711`);
    expect(r.status).toBe(501);
    expect(await r.json()).toMatchObject({ code: 12 });
    const removed = await fetch(`${node.restUrl}/productscience/inference/inference/top_miner`);
    expect(removed.status).toBe(501);
  });
});
