/**
 * The devnet chain refuses what chain v0.2.13 refuses at decode and at the authz keeper: removed
 * type URLs (spec chain-upgrades.md §2.2, §5) and critical unknown fields (§6 "Tx decoding").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, toBinary } from "@bufbuild/protobuf";
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { GenericAuthorizationSchema } from "../../generated/proto/cosmos/authz/v1beta1/authz_pb.js";
import { MsgGrantSchema } from "../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import { MsgSubmitProposalSchema } from "../../generated/proto/cosmos/gov/v1/tx_pb.js";
import { MsgUpdateParamsSchema } from "../../generated/proto/inference/inference/tx_pb.js";
import { ParamsSchema } from "../../generated/proto/inference/inference/params_pb.js";
import { mainnetInferenceParams, type ChainNode } from "../../src/devnet/chain/index.js";
import { cold, GOV, rawAny, startManualNode, submitRaw, warm } from "./chain-helpers.js";

/** Appends a varint field `no = value` to encoded bytes. */
function withVarintField(bytes: Uint8Array, no: number, value: number): Uint8Array {
  const tag: number[] = [];
  for (let t = (no << 3) >>> 0; ; t >>>= 7) {
    if (t < 0x80) {
      tag.push(t);
      break;
    }
    tag.push((t & 0x7f) | 0x80);
  }
  return new Uint8Array([...bytes, ...tag, value]);
}

/** An `Any` in the Cosmos form (`/package.Message`). */
function anyPack<D extends DescMessage>(schema: D, message: MessageShape<D>) {
  return rawAny(`/${schema.typeName}`, toBinary(schema, message));
}

function grantOf(typeUrl: string) {
  return anyPack(MsgGrantSchema, create(MsgGrantSchema, {
    granter: cold.address, grantee: warm.address,
    grant: { authorization: anyPack(GenericAuthorizationSchema, create(GenericAuthorizationSchema, { msg: typeUrl })) },
  }));
}

/** A gov proposal whose MsgUpdateParams carries `tokenomics` bytes as given. */
function proposalWithTokenomics(tokenomics: Uint8Array) {
  const p = mainnetInferenceParams();
  const params = toBinary(ParamsSchema, { ...p, tokenomicsParams: undefined });
  // field 4 (tokenomics_params), length-delimited
  const withTok = new Uint8Array([...params, 0x22, tokenomics.length, ...tokenomics]);
  const update = rawAny("/inference.inference.MsgUpdateParams", new Uint8Array([
    ...toBinary(MsgUpdateParamsSchema, create(MsgUpdateParamsSchema, { authority: GOV })), 0x12, ...varint(withTok.length), ...withTok,
  ]));
  return anyPack(MsgSubmitProposalSchema, create(MsgSubmitProposalSchema, {
    messages: [update], proposer: cold.address, title: "t", summary: "s", initialDeposit: [{ denom: "ngonka", amount: "25000000" }],
  }));
}

function varint(n: number): number[] {
  const out: number[] = [];
  for (; n >= 0x80; n >>>= 7) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return out;
}

describe("devnet chain: removed type URLs and unknown fields", () => {
  let node: ChainNode;
  beforeAll(async () => {
    node = await startManualNode();
  });
  afterAll(async () => {
    await node.stop();
  });

  it("a tx carrying a removed Msg (MsgSubmitPocValidation) fails to decode at CheckTx", async () => {
    const r = await submitRaw(node, cold, [rawAny("/inference.inference.MsgSubmitPocValidation", new Uint8Array([0x0a, 0x01, 0x61]))]);
    expect(r.check).toEqual({ code: 2, codespace: "sdk", log: "unable to resolve type URL /inference.inference.MsgSubmitPocValidation: tx parse error" });
    expect(node.state.accounts.get(cold.address)!.sequence).toBe(0n);
  });

  it("a removed training Msg inside MsgExec fails to decode too", async () => {
    const exec = rawAny("/cosmos.authz.v1beta1.MsgExec", new Uint8Array([
      0x0a, ...varint(cold.address.length), ...new TextEncoder().encode(cold.address),
      0x12, 0x28, 0x0a, 0x24, ...new TextEncoder().encode("/inference.inference.MsgJoinTraining"), 0x12, 0x00,
    ]));
    const r = await submitRaw(node, cold, [exec]);
    expect(r.check.code).toBe(2);
    expect(r.check.log).toBe("unable to resolve type URL /inference.inference.MsgJoinTraining: tx parse error");
  });

  it("an authz MsgGrant naming a removed type fails with \"<url> doesn't exist.\" (sdk code 29) and grants nothing", async () => {
    const r = await submitRaw(node, cold, [grantOf("/inference.inference.MsgSubmitPocValidation")]);
    expect(r.check.code).toBe(0);
    expect(r.deliver).toMatchObject({
      code: 29, codespace: "sdk",
      log: "failed to execute message; message index: 0: /inference.inference.MsgSubmitPocValidation doesn't exist.: invalid type",
    });
    expect(node.state.grants.size).toBe(0);
  });

  it("the old 25-entry ML-ops list fails as a whole: one good grant before a removed one is rolled back", async () => {
    const r = await submitRaw(node, cold, [grantOf("/inference.inference.MsgStartInference"), grantOf("/inference.inference.MsgTrainingHeartbeat")]);
    expect(r.deliver?.code).toBe(29);
    expect(r.deliver?.log).toBe("failed to execute message; message index: 1: /inference.inference.MsgTrainingHeartbeat doesn't exist.: invalid type");
    expect(node.state.grants.size).toBe(0);
  });

  it("a grant of a routed v0.2.13 type is accepted", async () => {
    const r = await submitRaw(node, cold, [grantOf("/inference.bls.MsgRespondDealerComplaints")]);
    expect(r.deliver?.code).toBe(0);
    expect([...node.state.grants.values()].map((g) => g.msgTypeUrl)).toEqual(["/inference.bls.MsgRespondDealerComplaints"]);
  });

  it("removed TokenomicsParams field 4 inside a proposal's MsgUpdateParams is an unknown critical field: tx parse error", async () => {
    const tok = withVarintField(new Uint8Array(), 4, 1);
    const r = await submitRaw(node, cold, [proposalWithTokenomics(tok)]);
    expect(r.check).toEqual({ code: 2, codespace: "sdk", log: 'inference.inference.TokenomicsParams: {TagNum: 4, WireType:"varint"}: unknown protobuf field: tx parse error' });
    expect(node.state.proposals.size).toBe(0);
  });

  it("a non-critical unknown field (number with bit 11 set) inside a body message is allowed", async () => {
    const tok = withVarintField(new Uint8Array(), 1025, 1);
    const r = await submitRaw(node, cold, [proposalWithTokenomics(tok)]);
    expect(r.check.code).toBe(0);
    expect(r.deliver?.code).toBe(0);
    expect(node.state.proposals.size).toBe(1);
  });
});
