/**
 * The v0.2.13 operator flows, byte for byte against the golden vectors (test/fixtures/wire-upgrades.json):
 * message builders against messages[], and whole flows (grantMlOpsPermissions, a warm-key MsgExec
 * paid by the cold account) against txs[], broadcast to a scripted loopback node that serves the
 * vectors' params (min gas price 10 ngonka).
 */
import { afterEach, describe, expect, it } from "vitest";
import { create, fromBinary, toBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import { schemaForTypeUrl } from "../../src/chain/registry.js";
import { fromJsonCosmos } from "../../src/proto/index.js";
import { createChainClient, type ChainClient } from "../../src/chain/client.js";
import { ML_OPS_MESSAGE_TYPES, mlOpsFeeAllowanceMessage, mlOpsGrantMessages } from "../../src/chain/actions/mlops.js";
import { declarePoCIntentMessage, refusePoCDelegationMessage, setPoCDelegationMessage } from "../../src/chain/actions/delegation.js";
import { finishInferenceMessage, startInferenceMessage, validationMessage } from "../../src/chain/actions/inference.js";
import { respondDealerComplaintsMessage } from "../../src/chain/actions/bls.js";
import { batchTransferWithVestingMessage, transferWithVestingMessage } from "../../src/chain/actions/vesting.js";
import { ML_OPS_FEE_ALLOWANCE, ML_OPS_GRANT_TYPE_URLS } from "../../src/network/mlops.js";
import { MsgExecResponseSchema } from "../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import { MsgGrantAllowanceResponseSchema } from "../../generated/proto/cosmos/feegrant/v1beta1/tx_pb.js";
import { MsgGrantResponseSchema } from "../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import { MsgPoCV2StoreCommitResponseSchema } from "../../generated/proto/inference/inference/tx_pb.js";
import { AuthInfoSchema, TxBodySchema, TxRawSchema } from "../../generated/proto/cosmos/tx/v1beta1/tx_pb.js";
import { startFakeNode, type FakeNode } from "./fake-node.js";
import { V, bytesOf, hexOf, keys, messageVector, queryVector } from "./vectors-v0213.js";

const [cold, warm] = keys as [typeof keys[0], typeof keys[0]];
const bin = (m: Message): string => hexOf(toBinary(schemaForTypeUrl(`/${m.$typeName}`) as DescMessage, m));
const PARAMS_PATH = "/productscience/inference/inference/params";
const EXPIRY = new Date("2027-11-21T00:00:00Z");

describe("ML-ops data equals the vectors", () => {
  it("ML_OPS_MESSAGE_TYPES is the 20-type list of mlOpsGrantTypeUrls", () => {
    expect([...ML_OPS_MESSAGE_TYPES]).toEqual(V.mlOpsGrantTypeUrls);
    expect([...ML_OPS_GRANT_TYPE_URLS]).toEqual(V.mlOpsGrantTypeUrls);
  });

  it("the default fee allowance spend limit is mlOpsFeeAllowance (10 GNK)", () => {
    expect(ML_OPS_FEE_ALLOWANCE.spendLimit.map((c) => ({ ...c }))).toEqual(V.mlOpsFeeAllowance);
  });

  it("mlOpsFeeAllowanceMessage encodes to the MsgGrantAllowance vector", () => {
    const v = messageVector("feegrant MsgGrantAllowance");
    expect(bin(mlOpsFeeAllowanceMessage(cold.address, warm.address, { expiration: EXPIRY }))).toBe(v.hex);
  });

  it("mlOpsGrantMessages encodes the four new ML-ops grants like their vectors", () => {
    const grants = mlOpsGrantMessages(cold.address, warm.address, EXPIRY);
    expect(grants).toHaveLength(20);
    for (const url of ["/inference.inference.MsgSubmitPocValidationsV2", "/inference.inference.MsgPoCV2StoreCommit", "/inference.inference.MsgMLNodeWeightDistribution", "/inference.bls.MsgRespondDealerComplaints"]) {
      const i = ML_OPS_MESSAGE_TYPES.indexOf(url);
      expect(bin(grants[i]!)).toBe(messageVector(`ML-ops MsgGrant, new type ${url}`).hex);
    }
  });
});

describe("message builders encode to the vectors' bytes", () => {
  const cases: [string, () => Message][] = [
    ["MsgSetPoCDelegation", () => setPoCDelegationMessage(keys[3]!.address, { modelId: "moonshotai/Kimi-K2.6", delegateTo: cold.address })],
    ["MsgSetPoCDelegation clearing a delegation (delegate_to empty)", () => setPoCDelegationMessage(keys[3]!.address, { modelId: "moonshotai/Kimi-K2.6", delegateTo: "" })],
    ["MsgRefusePoCDelegation", () => refusePoCDelegationMessage(keys[3]!.address, { modelId: "MiniMaxAI/MiniMax-M2.7" })],
    ["MsgDeclarePoCIntent", () => declarePoCIntentMessage(cold.address, { modelId: "MiniMaxAI/MiniMax-M2.7" })],
    [
      "MsgValidation with value_decimal (8), deprecated double value unset",
      () => {
        const j = messageVector("MsgValidation with value_decimal (8), deprecated double value unset").json as Record<string, string>;
        return validationMessage(j.creator!, { id: j.id!, inferenceId: j.inferenceId!, responseHash: j.responseHash!, value: 0.9873 });
      },
    ],
    [
      "MsgValidation revalidation, value_decimal 0 (present but empty Decimal)",
      () => {
        const j = messageVector("MsgValidation revalidation").json as Record<string, string>;
        return validationMessage(j.creator!, { inferenceId: j.inferenceId!, revalidation: true, value: 0 });
      },
    ],
    [
      "MsgStartInference (v0.2.6+: hashes only, payload fields left empty)",
      () => {
        const j = messageVector("MsgStartInference (v0.2.6+").json as Record<string, string>;
        return startInferenceMessage(j.creator!, {
          inferenceId: j.inferenceId!, promptHash: j.promptHash!, originalPromptHash: j.originalPromptHash!, model: j.model!, requestedBy: j.requestedBy!,
          assignedTo: j.assignedTo!, nodeVersion: j.nodeVersion!, maxTokens: j.maxTokens!, promptTokenCount: j.promptTokenCount!,
          requestTimestamp: j.requestTimestamp!, transferSignature: j.transferSignature!,
        });
      },
    ],
    [
      "MsgFinishInference with prompt_hash (15) and original_prompt_hash (16)",
      () => {
        const j = messageVector("MsgFinishInference").json as Record<string, string>;
        return finishInferenceMessage(j.creator!, {
          inferenceId: j.inferenceId!, responseHash: j.responseHash!, promptTokenCount: j.promptTokenCount!, completionTokenCount: j.completionTokenCount!,
          executedBy: j.executedBy!, transferredBy: j.transferredBy!, requestTimestamp: j.requestTimestamp!, transferSignature: j.transferSignature!,
          executorSignature: j.executorSignature!, requestedBy: j.requestedBy!, model: j.model!, promptHash: j.promptHash!, originalPromptHash: j.originalPromptHash!,
        });
      },
    ],
    [
      "bls MsgRespondDealerComplaints",
      () => {
        const j = messageVector("bls MsgRespondDealerComplaints").json as { creator: string; responses: { complainerIndex: number; responseShareBytes: string; responseOpeningMaterial: string }[] };
        return respondDealerComplaintsMessage(j.creator, {
          epochId: 231n,
          dealerIndex: 1,
          responses: j.responses.map((r) => ({
            complainerIndex: r.complainerIndex,
            responseShareBytes: new Uint8Array(Buffer.from(r.responseShareBytes, "base64")),
            responseOpeningMaterial: new Uint8Array(Buffer.from(r.responseOpeningMaterial, "base64")),
          })),
        });
      },
    ],
    ["streamvesting MsgTransferWithVesting", () => transferWithVestingMessage(cold.address, { recipient: keys[2]!.address, amount: [{ denom: "ngonka", amount: 25_000_000_000n }], vestingEpochs: 180 })],
    [
      "streamvesting MsgBatchTransferWithVesting",
      () =>
        batchTransferWithVestingMessage(cold.address, {
          vestingEpochs: 365,
          outputs: [
            { recipient: keys[2]!.address, amount: [{ denom: "ngonka", amount: 10_000_000_000n }] },
            { recipient: keys[3]!.address, amount: [{ denom: "ngonka", amount: 12_000_000_000n }] },
          ],
        }),
    ],
  ];
  for (const [description, build] of cases) {
    it(description, () => {
      expect(bin(build())).toBe(messageVector(description).hex);
    });
  }
});

function fakeParams(minGasPrice: string): Record<string, unknown> {
  const q = queryVector("inference params");
  const json = structuredClone(q.jsonWithDefaults) as { params: { fee_params: { min_gas_price_ngonka: string } } };
  json.params.fee_params.min_gas_price_ngonka = minGasPrice;
  return json;
}

describe("whole flows sign byte for byte like txs[]", () => {
  let node: FakeNode | undefined;
  let chain: ChainClient | undefined;
  afterEach(async () => {
    chain?.close();
    await node?.stop();
    node = undefined;
    chain = undefined;
  });

  it("grantMlOpsPermissions (20 grants + the 10 GNK allowance, fee from min gas price 10) equals txs[0]", async () => {
    const t = V.txs[0]!;
    node = await startFakeNode({
      accounts: { [cold.address]: [42n, 5n] },
      rest: { [PARAMS_PATH]: fakeParams("10") },
      msgResponses: () => [
        ...Array.from({ length: 20 }, () => anyPack(MsgGrantResponseSchema, create(MsgGrantResponseSchema))),
        anyPack(MsgGrantAllowanceResponseSchema, create(MsgGrantAllowanceResponseSchema)),
      ],
    });
    chain = createChainClient({ url: node.url, pollIntervalMs: 5, confirmTimeoutMs: 3000 });
    const r = await chain.grantMlOpsPermissions(cold, { grantee: warm.address, expiration: EXPIRY, gasLimit: 2_000_000n });
    expect(r.grants).toBe(20);
    expect(r.feeAllowance).toBe("granted");
    expect(node.broadcasts).toHaveLength(1);
    expect(hexOf(node.broadcasts[0]!)).toBe(t.txRawHex);
    expect(r.hash).toBe(t.txHash);
    // the allowance was looked up first (none), and nothing was simulated (gas given)
    expect(node.requests).toContain(`GET /cosmos/feegrant/v1beta1/allowance/${cold.address}/${warm.address}`);
    expect(node.requests).not.toContain("POST /cosmos/tx/v1beta1/simulate");
  });

  it("grantMlOpsPermissions sends only the 20 grants when the pair already has an allowance", async () => {
    node = await startFakeNode({
      accounts: { [cold.address]: [42n, 5n] },
      rest: {
        [PARAMS_PATH]: fakeParams("10"),
        [`/cosmos/feegrant/v1beta1/allowance/${cold.address}/${warm.address}`]: {
          allowance: {
            granter: cold.address,
            grantee: warm.address,
            allowance: { "@type": "/cosmos.feegrant.v1beta1.BasicAllowance", spend_limit: [{ denom: "ngonka", amount: "100000000000" }], expiration: "2027-01-01T00:00:00Z" },
          },
        },
      },
    });
    chain = createChainClient({ url: node.url, pollIntervalMs: 5, confirmTimeoutMs: 3000 });
    const r = await chain.grantMlOpsPermissions(cold, { grantee: warm.address, expiration: EXPIRY, gasLimit: 2_000_000n });
    expect(r.feeAllowance).toBe("exists");
    const t = V.txs[0]!;
    const body = fromBinary(TxBodySchema, fromBinary(TxRawSchema, node.broadcasts[0]!).bodyBytes);
    expect(body.messages).toHaveLength(20);
    expect(body.messages.every((m) => m.typeUrl === "/cosmos.authz.v1beta1.MsgGrant")).toBe(true);
    // the 20 grants are the first 20 messages of txs[0], byte for byte
    const vecBody = fromBinary(TxBodySchema, fromBinary(TxRawSchema, bytesOf(t.txRawHex)).bodyBytes);
    expect(body.messages.map((m) => hexOf(m.value))).toEqual(vecBody.messages.slice(0, 20).map((m) => hexOf(m.value)));
  });

  it("grantMlOpsPermissions takes a custom spend limit and expiry, or skips the allowance", async () => {
    node = await startFakeNode({ accounts: { [cold.address]: [42n, 5n] }, rest: { [PARAMS_PATH]: fakeParams("0") } });
    chain = createChainClient({ url: node.url, pollIntervalMs: 5, confirmTimeoutMs: 3000 });
    const custom = await chain.grantMlOpsPermissions(cold, {
      grantee: warm.address, expiration: EXPIRY, gasLimit: 2_000_000n, feeAllowance: { spendLimit: [{ denom: "ngonka", amount: 5_000_000_000n }], expiration: null },
    });
    expect(custom.feeAllowance).toBe("granted");
    const lastMsg = (raw: Uint8Array) => {
      const body = fromBinary(TxBodySchema, fromBinary(TxRawSchema, raw).bodyBytes);
      return body.messages;
    };
    const msgs = lastMsg(node.broadcasts[0]!);
    expect(msgs).toHaveLength(21);
    const expected = fromJsonCosmos(schemaForTypeUrl("/cosmos.feegrant.v1beta1.MsgGrantAllowance"), {
      granter: cold.address, grantee: warm.address, allowance: { "@type": "/cosmos.feegrant.v1beta1.BasicAllowance", spendLimit: [{ denom: "ngonka", amount: "5000000000" }] },
    });
    expect(hexOf(msgs[20]!.value)).toBe(hexOf(toBinary(schemaForTypeUrl("/cosmos.feegrant.v1beta1.MsgGrantAllowance"), expected)));
    // zero min gas price: no fee coin at all
    const info = fromBinary(AuthInfoSchema, fromBinary(TxRawSchema, node.broadcasts[0]!).authInfoBytes);
    expect(info.fee!.amount).toEqual([]);

    const skipped = await chain.grantMlOpsPermissions(cold, { grantee: warm.address, expiration: EXPIRY, gasLimit: 2_000_000n, feeAllowance: false });
    expect(skipped.feeAllowance).toBe("skipped");
    expect(lastMsg(node.broadcasts[1]!)).toHaveLength(20);
  });

  it("revokeMlOpsPermissions revokes the 20 grants and, when there is one, the allowance", async () => {
    const allowancePath = `/cosmos/feegrant/v1beta1/allowance/${cold.address}/${warm.address}`;
    node = await startFakeNode({
      accounts: { [cold.address]: [42n, 6n] },
      rest: {
        [PARAMS_PATH]: fakeParams("0"),
        [allowancePath]: { allowance: { granter: cold.address, grantee: warm.address, allowance: { "@type": "/cosmos.feegrant.v1beta1.BasicAllowance", spend_limit: [], expiration: null } } },
      },
    });
    chain = createChainClient({ url: node.url, pollIntervalMs: 5, confirmTimeoutMs: 3000 });
    const r = await chain.revokeMlOpsPermissions(cold, { grantee: warm.address, gasLimit: 1_000_000n });
    expect(r.revoked).toBe(20);
    expect(r.feeAllowance).toBe("revoked");
    const body = fromBinary(TxBodySchema, fromBinary(TxRawSchema, node.broadcasts[0]!).bodyBytes);
    expect(body.messages.map((m) => m.typeUrl)).toEqual([...Array(20).fill("/cosmos.authz.v1beta1.MsgRevoke"), "/cosmos.feegrant.v1beta1.MsgRevokeAllowance"]);

    delete node.options.rest![allowancePath];
    const r2 = await chain.revokeMlOpsPermissions(cold, { grantee: warm.address, gasLimit: 1_000_000n });
    expect(r2.feeAllowance).toBe("none");
    const body2 = fromBinary(TxBodySchema, fromBinary(TxRawSchema, node.broadcasts[1]!).bodyBytes);
    expect(body2.messages).toHaveLength(20);
  });

  for (const [i, price] of [[1, "10"], [2, "0"]] as const) {
    it(`execAs by the warm key with feeGranter = cold (min gas price ${price}) equals txs[${i}]`, async () => {
      const t = V.txs[i]!;
      node = await startFakeNode({
        accounts: { [warm.address]: [43n, 9n] },
        rest: { [PARAMS_PATH]: fakeParams(price) },
        msgResponses: () => [anyPack(MsgExecResponseSchema, create(MsgExecResponseSchema, { results: [toBinary(MsgPoCV2StoreCommitResponseSchema, create(MsgPoCV2StoreCommitResponseSchema))] }))],
      });
      chain = createChainClient({ url: node.url, pollIntervalMs: 5, confirmTimeoutMs: 3000 });
      const inner = (t.messages[0]!.json as { msgs: Record<string, unknown>[] }).msgs;
      const r = await chain.execAs(warm, {
        messages: inner as never,
        unordered: true,
        timeoutTimestamp: t.timeoutTimestamp!,
        gasLimit: BigInt(t.gasLimit),
        feeGranter: cold.address,
      });
      expect(hexOf(node.broadcasts[0]!)).toBe(t.txRawHex);
      expect(r.hash).toBe(t.txHash);
    });
  }
});
