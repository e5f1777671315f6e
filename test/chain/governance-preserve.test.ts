/**
 * Governance that cannot erase what it does not know: params served with fields that are NOT in
 * our .proto (field 30 at the top of inference Params, field 99 inside poc_params, field 20 in bls
 * Params) travel into the proposed MsgUpdateParams unchanged over the binary path (CometBFT
 * abci_query), and the REST JSON path refuses. The server bytes are built with a small wire
 * writer here, not with protobuf-es.
 */
import { afterEach, describe, expect, it } from "vitest";
import { fromBinary } from "@bufbuild/protobuf";
import { createChainClient, type ChainClient } from "../../src/chain/client.js";
import { ParamsNotPreservableError, unknownJsonFields } from "../../src/chain/params.js";
import { MsgSubmitProposalSchema } from "../../generated/proto/cosmos/gov/v1/tx_pb.js";
import { TxBodySchema, TxRawSchema } from "../../generated/proto/cosmos/tx/v1beta1/tx_pb.js";
import { QueryParamsResponseSchema } from "../../generated/proto/inference/inference/query_pb.js";
import { startFakeNode, type FakeNode } from "./fake-node.js";
import { bytesOf, hexOf, keys, queryVector } from "./vectors-v0213.js";

const [cold] = keys as [typeof keys[0]];
const PARAMS_PATH = "/productscience/inference/inference/params";

// --- a minimal protobuf wire reader/writer (independent of protobuf-es) ---
interface WireField {
  no: number;
  wt: number;
  /** varint value (wt 0) */
  v?: bigint;
  /** payload (wt 2), or the raw 8/4 bytes (wt 1/5) */
  b?: Uint8Array;
}
function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let r = 0n;
  let s = 0n;
  for (;;) {
    const byte = buf[pos++]!;
    r |= BigInt(byte & 0x7f) << s;
    if (!(byte & 0x80)) return [r, pos];
    s += 7n;
  }
}
function varint(n: bigint): number[] {
  const out: number[] = [];
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
function parse(buf: Uint8Array): WireField[] {
  const out: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = readVarint(buf, pos);
    pos = p1;
    const no = Number(tag >> 3n);
    const wt = Number(tag & 7n);
    if (wt === 0) {
      const [v, p2] = readVarint(buf, pos);
      out.push({ no, wt, v });
      pos = p2;
    } else if (wt === 2) {
      const [len, p2] = readVarint(buf, pos);
      out.push({ no, wt, b: buf.subarray(p2, p2 + Number(len)) });
      pos = p2 + Number(len);
    } else if (wt === 1 || wt === 5) {
      const n = wt === 1 ? 8 : 4;
      out.push({ no, wt, b: buf.subarray(pos, pos + n) });
      pos += n;
    } else throw new Error(`wire type ${wt}`);
  }
  return out;
}
function write(fields: WireField[]): Uint8Array {
  const out: number[] = [];
  for (const f of fields) {
    out.push(...varint(BigInt((f.no << 3) | f.wt)));
    if (f.wt === 0) out.push(...varint(f.v!));
    else if (f.wt === 2) out.push(...varint(BigInt(f.b!.length)), ...f.b!);
    else out.push(...f.b!);
  }
  return new Uint8Array(out);
}
const field = (fields: WireField[], no: number) => fields.find((f) => f.no === no);

/** The vector's QueryParamsResponse with field 99 appended to poc_params (3) and field 30 to Params. */
function inferenceParamsWithUnknown(): { response: Uint8Array; params: Uint8Array } {
  const resp = parse(bytesOf(queryVector("inference params").hex));
  const params = parse(field(resp, 1)!.b!);
  const poc = parse(field(params, 3)!.b!);
  poc.push({ no: 99, wt: 2, b: new TextEncoder().encode("future") });
  const newParams = params.map((f) => (f.no === 3 ? { ...f, b: write(poc) } : f));
  newParams.push({ no: 30, wt: 0, v: 42n });
  const p = write(newParams);
  return { response: write([{ no: 1, wt: 2, b: p }]), params: p };
}

/** The MsgUpdateParams inside the proposal the node received, as wire fields. */
function proposedUpdate(node: FakeNode, index = 0): { typeUrl: string; fields: WireField[] } {
  const body = fromBinary(TxBodySchema, fromBinary(TxRawSchema, node.broadcasts[index]!).bodyBytes);
  expect(body.messages[0]!.typeUrl).toBe("/cosmos.gov.v1.MsgSubmitProposal");
  const prop = fromBinary(MsgSubmitProposalSchema, body.messages[0]!.value);
  return { typeUrl: prop.messages[0]!.typeUrl, fields: parse(prop.messages[0]!.value) };
}

describe("fetch, edit, propose keeps fields the SDK does not know", () => {
  let node: FakeNode | undefined;
  let chain: ChainClient | undefined;
  afterEach(async () => {
    chain?.close();
    await node?.stop();
    node = chain = undefined;
  });
  const proposal = { title: "t", summary: "s", initialDeposit: [{ denom: "ngonka", amount: 25_000_000n }], gasLimit: 1_000_000 };

  it("proposeInferenceParams over abci_query carries field 30 and poc_params field 99 byte for byte", async () => {
    const served = inferenceParamsWithUnknown();
    node = await startFakeNode({
      accounts: { [cold.address]: [1n, 0n] },
      abci: { "/inference.inference.Query/Params": served.response },
      rest: { [PARAMS_PATH]: queryVector("inference params").jsonWithDefaults },
    });
    chain = createChainClient({ url: node.url, pollIntervalMs: 5 });

    // unchanged params: the proposed params are exactly the served bytes
    const same = await chain.proposeInferenceParams(cold, { ...proposal, edit: () => {} });
    expect(same.paramsVia).toBe("abci_query");
    expect(same.unknownFieldCount).toBe(2);
    const u0 = proposedUpdate(node, 0);
    expect(u0.typeUrl).toBe("/inference.inference.MsgUpdateParams");
    expect(hexOf(field(u0.fields, 2)!.b!)).toBe(hexOf(served.params));

    // an edit changes its field and nothing else
    const r = await chain.proposeInferenceParams(cold, { ...proposal, edit: (p) => void (p.pocParams!.validationSampleSize = 300) });
    expect(r.unknownFieldCount).toBe(2);
    const params = parse(field(proposedUpdate(node, 1).fields, 2)!.b!);
    expect(field(params, 30)).toEqual({ no: 30, wt: 0, v: 42n });
    const poc = parse(field(params, 3)!.b!);
    expect(new TextDecoder().decode(field(poc, 99)!.b!)).toBe("future");
    expect(field(poc, 2)!.v).toBe(300n);
    const expected = parse(served.params).map((f) =>
      f.no === 3 ? { ...f, b: write(parse(f.b!).map((g) => (g.no === 2 ? { ...g, v: 300n } : g))) } : f,
    );
    expect(hexOf(field(proposedUpdate(node, 1).fields, 2)!.b!)).toBe(hexOf(write(expected)));
    expect(node.requests.filter((x) => x === "ABCI /inference.inference.Query/Params")).toHaveLength(2);
    // REST params were read once, only for the minimum gas price (cached)
    expect(node.requests.filter((x) => x === `GET ${PARAMS_PATH}`)).toHaveLength(1);
  });

  it("proposeBlsParams over abci_query carries bls Params field 20", async () => {
    const resp = parse(bytesOf(queryVector("bls params").hex));
    const params = [...parse(field(resp, 1)!.b!), { no: 20, wt: 2, b: new Uint8Array([1, 2, 3]) }];
    node = await startFakeNode({
      accounts: { [cold.address]: [1n, 0n] },
      abci: { "/inference.bls.Query/Params": write([{ no: 1, wt: 2, b: write(params) }]) },
      rest: { [PARAMS_PATH]: queryVector("inference params").jsonWithDefaults },
    });
    chain = createChainClient({ url: node.url, pollIntervalMs: 5 });
    const r = await chain.proposeBlsParams(cold, { ...proposal, edit: (p) => void (p.disputePhaseDurationBlocks = 8n) });
    expect(r.unknownFieldCount).toBe(1);
    const u = proposedUpdate(node);
    expect(u.typeUrl).toBe("/inference.bls.MsgUpdateParams");
    const sent = parse(field(u.fields, 2)!.b!);
    expect(hexOf(field(sent, 20)!.b!)).toBe("010203");
    expect(field(sent, 6)!.v).toBe(8n);
  });

  it("over REST JSON with unknown keys it refuses (ParamsNotPreservableError) and signs nothing", async () => {
    const json = structuredClone(queryVector("inference params").jsonWithDefaults) as { params: Record<string, unknown> & { poc_params: Record<string, unknown> } };
    json.params.future_params = { knob: "1" };
    json.params.poc_params.future_field = "x";
    node = await startFakeNode({ accounts: { [cold.address]: [1n, 0n] }, rest: { [PARAMS_PATH]: json } });
    chain = createChainClient({ url: node.url, pollIntervalMs: 5 });
    const err = await chain.proposeInferenceParams(cold, { ...proposal, paramsSource: "rest", edit: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParamsNotPreservableError);
    expect((err as ParamsNotPreservableError).unknownFields).toEqual(["params.poc_params.future_field", "params.future_params"]);
    expect((err as ParamsNotPreservableError).details).toMatch(/binary/);
    // "auto" falls back to REST only when the binary query is not answered, and still refuses
    const auto = await chain.proposeInferenceParams(cold, { ...proposal, edit: () => {} }).catch((e: unknown) => e);
    expect(auto).toBeInstanceOf(ParamsNotPreservableError);
    expect(node.broadcasts).toHaveLength(0);
    // "binary" does not fall back
    await expect(chain.proposeInferenceParams(cold, { ...proposal, paramsSource: "binary", edit: () => {} })).rejects.toThrow(/unknown query path/);
  });

  it("over REST JSON that the schema covers fully it proposes (paramsVia rest)", async () => {
    node = await startFakeNode({ accounts: { [cold.address]: [1n, 0n] }, rest: { [PARAMS_PATH]: queryVector("inference params").jsonWithDefaults } });
    chain = createChainClient({ url: node.url, pollIntervalMs: 5 });
    const r = await chain.proposeInferenceParams(cold, { ...proposal, paramsSource: "rest", edit: (p) => void (p.pocParams!.validationSampleSize = 300) });
    expect(r.paramsVia).toBe("rest");
    const params = parse(field(proposedUpdate(node).fields, 2)!.b!);
    // every field of the vector's params is there, with the one edit
    const vec = parse(field(parse(bytesOf(queryVector("inference params").hex)), 1)!.b!);
    expect(params.map((f) => f.no)).toEqual(vec.map((f) => f.no));
    expect(field(parse(field(params, 3)!.b!), 2)!.v).toBe(300n);
  });

  it("unknownJsonFields walks sub-messages and lists (snake_case and camelCase keys)", () => {
    expect(unknownJsonFields(QueryParamsResponseSchema, { params: { pocParams: { models: [{ model_id: "x", extra: 1 }] }, fee_params: null, zzz: 0 } })).toEqual([
      "params.pocParams.models[0].extra",
      "params.zzz",
    ]);
    expect(unknownJsonFields(QueryParamsResponseSchema, queryVector("inference params").jsonWithDefaults)).toEqual([]);
  });
});
