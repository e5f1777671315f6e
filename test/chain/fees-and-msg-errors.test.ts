/**
 * Fees from the chain's minimum gas price (fee_params), and errors hidden in success
 * (`error_message` in a message response, also inside MsgExec) — against a scripted loopback node.
 */
import { afterEach, describe, expect, it } from "vitest";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { anyPack, type Any } from "@bufbuild/protobuf/wkt";
import { createChainClient, type ChainClient } from "../../src/chain/client.js";
import { resolveFee, parseGasPrice } from "../../src/chain/fees.js";
import { msgFailures } from "../../src/chain/msg-errors.js";
import { ChainMsgError, ChainTxError, FeeTooLowError, GasPriceTooLowError } from "../../src/chain/errors.js";
import { isFeeExemptTx } from "../../src/network/fees.js";
import { schemaForTypeUrl } from "../../src/chain/registry.js";
import { MsgExecResponseSchema, MsgExecSchema } from "../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import {
  MsgFinishInferenceResponseSchema,
  MsgStartInferenceResponseSchema,
} from "../../generated/proto/inference/inference/tx_pb.js";
import { MsgDeclarePoCIntentResponseSchema } from "../../generated/proto/inference/inference/poc_delegation_pb.js";
import { AuthInfoSchema, TxRawSchema } from "../../generated/proto/cosmos/tx/v1beta1/tx_pb.js";
import { startFakeNode, type FakeNode } from "./fake-node.js";
import { bytesOf, keys, messageVector, queryVector } from "./vectors-v0213.js";

const [cold, warm] = keys as [typeof keys[0], typeof keys[0]];
const PARAMS_PATH = "/productscience/inference/inference/params";

function params(minGasPrice: string): Record<string, unknown> {
  const json = structuredClone(queryVector("inference params").jsonWithDefaults) as { params: { fee_params: { min_gas_price_ngonka: string } } };
  json.params.fee_params.min_gas_price_ngonka = minGasPrice;
  return json;
}

function feeOf(txRaw: Uint8Array): { amount: { denom: string; amount: string }[]; gasLimit: bigint; granter: string } {
  return fromBinary(AuthInfoSchema, fromBinary(TxRawSchema, txRaw).authInfoBytes).fee!;
}

describe("fee = gas limit × price, rounded up", () => {
  it("uses the chain's minimum when no price is given; zero gives no coin", () => {
    expect(resolveFee({ gasLimit: 2_000_000n, minGasPrice: 10n, exempt: false })).toEqual([{ denom: "ngonka", amount: 20_000_000n }]);
    expect(resolveFee({ gasLimit: 2_000_000n, minGasPrice: 0n, exempt: false })).toEqual([]);
  });

  it("rounds a decimal price up, from numbers (shortest decimal) and strings", () => {
    expect(resolveFee({ gasLimit: 3n, minGasPrice: 0n, exempt: false, gasPrice: 0.5 })).toEqual([{ denom: "ngonka", amount: 2n }]);
    expect(resolveFee({ gasLimit: 200_001n, minGasPrice: 0n, exempt: false, gasPrice: "0.025" })).toEqual([{ denom: "ngonka", amount: 5001n }]);
    expect(parseGasPrice("p", 1e-7)).toEqual({ num: 1n, scale: 7, text: "0.0000001" });
    expect(() => parseGasPrice("p", -1)).toThrow(/≥ 0/);
    expect(() => parseGasPrice("p", "1,5")).toThrow(/not a non-negative decimal/);
  });

  it("refuses a price below the chain's minimum (GasPriceTooLowError) and a too-small explicit fee (FeeTooLowError)", () => {
    const e = (() => {
      try {
        resolveFee({ gasLimit: 100n, minGasPrice: 10n, exempt: false, gasPrice: 9.5 });
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(GasPriceTooLowError);
    expect(e).toMatchObject({ gasPrice: "9.5", minGasPrice: 10n });
    expect(() => resolveFee({ gasLimit: 100n, minGasPrice: 10n, exempt: false, fee: [{ denom: "ngonka", amount: 999n }] })).toThrow(FeeTooLowError);
    expect(resolveFee({ gasLimit: 100n, minGasPrice: 10n, exempt: false, fee: [{ denom: "ngonka", amount: 1000n }] })).toEqual([{ denom: "ngonka", amount: 1000n }]);
  });

  it("a duty tx (all messages exempt, or inside one MsgExec) pays nothing and is not refused", () => {
    const exempt = isFeeExemptTx([{ typeUrl: "/cosmos.authz.v1beta1.MsgExec", inner: ["/inference.inference.MsgStartInference", "/inference.inference.MsgValidation"] }]);
    expect(exempt).toBe(true);
    expect(isFeeExemptTx([{ typeUrl: "/inference.inference.MsgPoCV2StoreCommit" }])).toBe(false);
    expect(isFeeExemptTx([{ typeUrl: "/inference.inference.MsgValidation" }, { typeUrl: "/cosmos.bank.v1beta1.MsgSend" }])).toBe(false);
    expect(resolveFee({ gasLimit: 1_000_000_000n, minGasPrice: 10n, exempt: true })).toEqual([]);
    expect(resolveFee({ gasLimit: 100n, minGasPrice: 10n, exempt: true, gasPrice: 1 })).toEqual([{ denom: "ngonka", amount: 100n }]);
  });
});

describe("fees in sendTx against a node with a minimum gas price", () => {
  let node: FakeNode | undefined;
  let chain: ChainClient | undefined;
  afterEach(async () => {
    chain?.close();
    await node?.stop();
    node = chain = undefined;
  });

  it("pays gas × fee_params.min_gas_price_ngonka, reads the price once per TTL, and refuses a lower user price before signing", async () => {
    node = await startFakeNode({ accounts: { [cold.address]: [1n, 0n] }, rest: { [PARAMS_PATH]: params("7") }, simulatedGas: 100_000n });
    chain = createChainClient({ url: node.url, pollIntervalMs: 5 });
    await chain.declarePoCIntent(cold, { modelId: "a/b", gasLimit: 123_457 });
    expect(feeOf(node.broadcasts[0]!)).toMatchObject({ amount: [{ denom: "ngonka", amount: "864199" }], gasLimit: 123_457n });
    // simulated gas × 1.4, then the fee from it
    await chain.declarePoCIntent(cold, { modelId: "a/c" });
    expect(feeOf(node.broadcasts[1]!)).toMatchObject({ amount: [{ denom: "ngonka", amount: String(140_000n * 7n) }], gasLimit: 140_000n });
    expect(node.requests.filter((r) => r === `GET ${PARAMS_PATH}`)).toHaveLength(1);

    await expect(chain.declarePoCIntent(cold, { modelId: "a/d", gasLimit: 1000, gasPrice: 6 })).rejects.toBeInstanceOf(GasPriceTooLowError);
    await expect(chain.declarePoCIntent(cold, { modelId: "a/d", gasLimit: 1000, fee: [] })).rejects.toBeInstanceOf(FeeTooLowError);
    expect(node.broadcasts).toHaveLength(2);
    // a client-wide price above the minimum is used as is
    const priced = createChainClient({ url: node.url, pollIntervalMs: 5, gasPrice: "7.5" });
    await priced.declarePoCIntent(cold, { modelId: "a/e", gasLimit: 3 });
    priced.close();
    expect(feeOf(node.broadcasts[2]!).amount).toMatchObject([{ denom: "ngonka", amount: "23" }]); // 3 × 7.5 = 22.5, rounded up
  });

  it("a warm-key duty tx (MsgExec of MsgValidation) pays no fee even when the chain has a minimum", async () => {
    node = await startFakeNode({ accounts: { [warm.address]: [2n, 0n] }, rest: { [PARAMS_PATH]: params("10") } });
    chain = createChainClient({ url: node.url, pollIntervalMs: 5 });
    const j = messageVector("MsgValidation with value_decimal (8), deprecated double value unset").json as Record<string, string>;
    await chain.submitValidation(warm, { granter: cold.address, feeGranter: cold.address, inferenceId: j.inferenceId!, value: "0.9873", gasLimit: 500_000 });
    const fee = feeOf(node.broadcasts[0]!);
    expect(fee.amount).toEqual([]);
    expect(fee.granter).toBe(cold.address);
  });
});

describe("errors hidden in success: error_message throws ChainMsgError", () => {
  let node: FakeNode | undefined;
  let chain: ChainClient | undefined;
  afterEach(async () => {
    chain?.close();
    await node?.stop();
    node = chain = undefined;
  });

  it("msgFailures reads the vector's MsgStartInferenceResponse error_message", () => {
    const v = messageVector("MsgStartInferenceResponse with error_message");
    const any: Any = { $typeName: "google.protobuf.Any", typeUrl: v.typeUrl, value: bytesOf(v.hex) };
    expect(msgFailures([any])).toEqual([
      { messageIndex: 0, messageTypeUrl: "/inference.inference.MsgStartInference", responseTypeUrl: "/inference.inference.MsgStartInferenceResponse", errorMessage: "transfer agent not allowed" },
    ]);
    const ok = anyPack(MsgStartInferenceResponseSchema, create(MsgStartInferenceResponseSchema, { inferenceIndex: "x" }));
    expect(msgFailures([{ ...ok, typeUrl: "/inference.inference.MsgStartInferenceResponse" }])).toEqual([]);
    // every response type in the registry with error_message is covered: today Start and Finish
    for (const url of ["/inference.inference.MsgStartInferenceResponse", "/inference.inference.MsgFinishInferenceResponse"]) {
      expect(schemaForTypeUrl(url).fields.some((f) => f.name === "error_message")).toBe(true);
    }
  });

  const startFields = () => {
    const j = messageVector("MsgStartInference (v0.2.6+").json as Record<string, string>;
    return {
      inferenceId: j.inferenceId!, promptHash: j.promptHash!, originalPromptHash: j.originalPromptHash!, model: j.model!, requestedBy: j.requestedBy!,
      assignedTo: j.assignedTo!, maxTokens: j.maxTokens!, promptTokenCount: j.promptTokenCount!, requestTimestamp: j.requestTimestamp!, transferSignature: j.transferSignature!,
    };
  };

  it("startInference throws ChainMsgError with the message, tx hash and height — never reports success", async () => {
    const agent = keys[2]!;
    node = await startFakeNode({
      accounts: { [agent.address]: [3n, 0n] },
      rest: { [PARAMS_PATH]: params("0") },
      msgResponses: () => [
        { ...anyPack(MsgStartInferenceResponseSchema, create(MsgStartInferenceResponseSchema, { inferenceIndex: "i", errorMessage: "transfer agent not allowed" })), typeUrl: "/inference.inference.MsgStartInferenceResponse" },
      ],
    });
    chain = createChainClient({ url: node.url, pollIntervalMs: 5 });
    const err = await chain.startInference(agent, { ...startFields(), gasLimit: 300_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainMsgError);
    expect(err).toBeInstanceOf(ChainTxError);
    const m = err as ChainMsgError;
    expect(m.errorMessage).toBe("transfer agent not allowed");
    expect(m.txHash).toMatch(/^[0-9A-F]{64}$/);
    expect(m.height).toBe(101n);
    expect(m.failures[0]).toMatchObject({ messageIndex: 0, messageTypeUrl: "/inference.inference.MsgStartInference" });
    expect(m.shortMessage).toMatch(/transfer agent not allowed/);
  });

  it("inside MsgExec: the inner response in MsgExecResponse.results is read as the inner message's response", async () => {
    node = await startFakeNode({
      accounts: { [warm.address]: [2n, 0n] },
      rest: { [PARAMS_PATH]: params("0") },
      msgResponses: () => [
        {
          ...anyPack(MsgExecResponseSchema, create(MsgExecResponseSchema, { results: [toBinary(MsgFinishInferenceResponseSchema, create(MsgFinishInferenceResponseSchema, { errorMessage: "executor signature invalid" }))] })),
          typeUrl: "/cosmos.authz.v1beta1.MsgExecResponse",
        },
      ],
    });
    chain = createChainClient({ url: node.url, pollIntervalMs: 5 });
    const j = messageVector("MsgFinishInference").json as Record<string, string>;
    const err = await chain
      .finishInference(warm, {
        granter: j.creator!,
        inferenceId: j.inferenceId!, responseHash: j.responseHash!, promptTokenCount: 1, completionTokenCount: 2, executedBy: j.executedBy!, transferredBy: j.transferredBy!,
        requestTimestamp: j.requestTimestamp!, transferSignature: j.transferSignature!, executorSignature: j.executorSignature!, requestedBy: j.requestedBy!, model: j.model!,
        promptHash: j.promptHash!, originalPromptHash: j.originalPromptHash!, gasLimit: 400_000,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainMsgError);
    expect((err as ChainMsgError).failures).toEqual([
      { messageIndex: 0, innerIndex: 0, messageTypeUrl: "/inference.inference.MsgFinishInference", responseTypeUrl: "/inference.inference.MsgFinishInferenceResponse", errorMessage: "executor signature invalid" },
    ]);
    // the tx really was a MsgExec from the warm key for the cold account
    const body = fromBinary(schemaForTypeUrl("/cosmos.tx.v1beta1.TxBody"), fromBinary(TxRawSchema, node.broadcasts[0]!).bodyBytes) as unknown as { messages: Any[] };
    const exec = fromBinary(MsgExecSchema, body.messages[0]!.value);
    expect(exec.grantee).toBe(warm.address);
    expect(exec.msgs[0]!.typeUrl).toBe("/inference.inference.MsgFinishInference");

    // waitForTx can hand the result to tools that inspect failures themselves
    const r = await chain.waitForTx((err as ChainMsgError).txHash!, { allowMsgErrors: true });
    expect(r.msgResponses).toHaveLength(1);
  });

  it("a response without error_message passes (a successful delegation tx)", async () => {
    node = await startFakeNode({
      accounts: { [cold.address]: [1n, 0n] },
      rest: { [PARAMS_PATH]: params("0") },
      msgResponses: () => [{ ...anyPack(MsgDeclarePoCIntentResponseSchema, create(MsgDeclarePoCIntentResponseSchema)), typeUrl: "/inference.inference.MsgDeclarePoCIntentResponse" }],
    });
    chain = createChainClient({ url: node.url, pollIntervalMs: 5 });
    const r = await chain.declarePoCIntent(cold, { modelId: "MiniMaxAI/MiniMax-M2.7", gasLimit: 200_000 });
    expect(r.height).toBe(101n);
  });
});

describe("duty actions refuse bad input before signing", () => {
  const j = () => messageVector("MsgStartInference (v0.2.6+").json as Record<string, string>;
  it("hashes must be 64 lowercase hex", async () => {
    const { startInferenceMessage } = await import("../../src/chain/actions/inference.js");
    const base = { ...j(), maxTokens: 1, promptTokenCount: 1 } as never as Parameters<typeof startInferenceMessage>[1];
    expect(() => startInferenceMessage(j().creator!, { ...base, originalPromptHash: j().originalPromptHash!.toUpperCase() })).toThrow(/originalPromptHash.*64 lowercase hex/);
    expect(() => startInferenceMessage(j().creator!, { ...base, promptHash: "abc" })).toThrow(/promptHash.*64 lowercase hex/);
    expect(() => startInferenceMessage(j().creator!, { ...base, maxTokens: 1_000_001 })).toThrow(/maxTokens/);
    expect(() => startInferenceMessage(j().creator!, { ...base, transferSignature: "AAAA" })).toThrow(/transferSignature.*64-byte/);
  });
  it("validation values outside [0, 1] and self-delegation are refused", async () => {
    const { validationMessage } = await import("../../src/chain/actions/inference.js");
    const { setPoCDelegationMessage } = await import("../../src/chain/actions/delegation.js");
    const { transferWithVestingMessage } = await import("../../src/chain/actions/vesting.js");
    expect(() => validationMessage(cold.address, { inferenceId: "x", value: 1.0001 })).toThrow(/\[0, 1\]/);
    expect(() => validationMessage(cold.address, { inferenceId: "x", value: Number.NaN })).toThrow(/finite/);
    expect(validationMessage(cold.address, { inferenceId: "x", value: "0.950" }).valueDecimal).toMatchObject({ value: 95n, exponent: -2 });
    expect(validationMessage(cold.address, { inferenceId: "x", value: 1 }).valueDecimal).toMatchObject({ value: 1n, exponent: 0 });
    expect(() => setPoCDelegationMessage(cold.address, { modelId: "m/x", delegateTo: cold.address })).toThrow(/yourself/);
    expect(() => transferWithVestingMessage(cold.address, { recipient: warm.address, amount: [{ denom: "ngonka", amount: 9_999_999_999n }] })).toThrow(/10 GNK/);
    expect(() => transferWithVestingMessage(cold.address, { recipient: warm.address, amount: [{ denom: "ngonka", amount: 10_000_000_000n }], vestingEpochs: 3651 })).toThrow(/3650/);
  });
});
