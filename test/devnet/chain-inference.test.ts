/**
 * The inference lifecycle on the devnet chain at v0.2.13 (spec chain-upgrades.md §2.3, §8): after
 * the permission check, Start/Finish failures come back as a successful tx whose response carries
 * `error_message` (also inside MsgExec); signatures are checked over the hashes; MsgValidation
 * takes `value_decimal`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromBinary } from "@bufbuild/protobuf";
import wire from "../fixtures/wire-upgrades.json" with { type: "json" };
import { MsgStartInferenceResponseSchema, type MsgFinishInferenceResponse, type MsgStartInferenceResponse } from "../../generated/proto/inference/inference/tx_pb.js";
import type { MsgExecResponse } from "../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import { InferenceStatus } from "../../generated/proto/inference/inference/inference_pb.js";
import { signComponents } from "../../src/inference/index.js";
import type { ChainNode } from "../../src/devnet/chain/index.js";
import { cold, fourth, register, startManualNode, submit, third, warm } from "./chain-helpers.js";

const KEY = Object.fromEntries(wire.keys.map((k) => [k.address, k.privateKeyHex]));
const MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
const failed = (log: string) => `failed to execute message; message index: 0: ${log}`;

/** A request by `third` (developer) through `cold` (transfer agent), executed by `warm`. */
function request(n: number, over: Record<string, unknown> = {}) {
  const ts = BigInt(Date.now()) * 1_000_000n + BigInt(n);
  const originalPromptHash = `${n}`.padStart(64, "a");
  const promptHash = `${n}`.padStart(64, "b");
  const inferenceId = signComponents(KEY[third.address]!, { payload: originalPromptHash, timestamp: ts, transferAddress: cold.address }, "developer");
  const transferSignature = signComponents(KEY[cold.address]!, { payload: promptHash, timestamp: ts, transferAddress: cold.address, executorAddress: warm.address }, "transfer_agent");
  const executorSignature = signComponents(KEY[warm.address]!, { payload: promptHash, timestamp: ts, transferAddress: cold.address, executorAddress: warm.address }, "executor");
  const start = {
    "@type": "/inference.inference.MsgStartInference", creator: cold.address, inferenceId, promptHash, originalPromptHash, model: MODEL,
    requestedBy: third.address, assignedTo: warm.address, maxTokens: "100", promptTokenCount: "12", requestTimestamp: String(ts), transferSignature, ...over,
  };
  const finish = {
    "@type": "/inference.inference.MsgFinishInference", creator: warm.address, inferenceId, responseHash: "c".repeat(64), promptTokenCount: "12",
    completionTokenCount: "30", executedBy: warm.address, transferredBy: cold.address, requestTimestamp: String(ts), transferSignature, executorSignature,
    requestedBy: third.address, model: MODEL, promptHash, originalPromptHash,
  };
  return { start, finish, inferenceId };
}

describe("devnet chain: inferences", () => {
  let node: ChainNode;
  beforeAll(async () => {
    node = await startManualNode();
    for (const w of [cold, warm, third]) await register(node, w);
  });
  afterAll(async () => {
    await node.stop();
  });

  it("a creator that is not an active participant fails the tx (code 1169)", async () => {
    const r = await submit(node, fourth, [request(1, { creator: fourth.address }).start]);
    expect(r.deliver).toMatchObject({ code: 1169, codespace: "inference", log: failed("participant is not active") });
  });

  it("a transfer agent outside allowed_transfer_addresses gets a successful tx with error_message", async () => {
    node.state.inferenceParams.transferAgentAccessParams!.allowedTransferAddresses = [warm.address];
    try {
      const { start, inferenceId } = request(2);
      const r = await submit(node, cold, [start]);
      expect(r.deliver?.code).toBe(0);
      expect(r.responses[0]).toMatchObject({ $typeName: "inference.inference.MsgStartInferenceResponse", inferenceIndex: inferenceId, errorMessage: `${cold.address}: transfer agent not in allowlist` });
      expect(r.deliver?.events).toContainEqual({ type: "start_inference", attributes: [{ key: "result", value: "failed", index: true }, { key: "inference_id", value: inferenceId, index: true }] });
      expect(node.state.inferences.has(inferenceId)).toBe(false);
    } finally {
      node.state.inferenceParams.transferAgentAccessParams!.allowedTransferAddresses = [];
    }
  });

  it("a bad developer signature, a stale timestamp or too many tokens are soft failures too", async () => {
    const bad = await submit(node, cold, [request(3, { inferenceId: Buffer.alloc(64, 7).toString("base64") }).start]);
    expect((bad.responses[0] as MsgStartInferenceResponse).errorMessage).toBe(`developer ${third.address}: signature is invalid: invalid keys provided for StartInference`);
    const stale = request(4);
    const old = await submit(node, cold, [{ ...stale.start, requestTimestamp: String((BigInt(Date.now()) - 600_000n) * 1_000_000n) }]);
    expect((old.responses[0] as MsgStartInferenceResponse).errorMessage).toBe("signature is too old: invalid keys provided for StartInference");
    const big = await submit(node, cold, [request(5, { maxTokens: "1000001" }).start]);
    expect(big.deliver?.code).toBe(0);
    expect((big.responses[0] as MsgStartInferenceResponse).errorMessage).toBe("max_tokens exceeds limit (1000001 > 1000000): token count out of range");
  });

  it("Start then Finish record the inference; a repeated Start is a soft failure; the REST query shows it", async () => {
    const { start, finish, inferenceId } = request(6);
    const s = await submit(node, cold, [start]);
    expect(s.responses[0]).toMatchObject({ inferenceIndex: inferenceId, errorMessage: "" });
    const again = await submit(node, cold, [start]);
    expect((again.responses[0] as MsgStartInferenceResponse).errorMessage).toBe("inference has already start processed: inference has already started processed");
    const badTa = await submit(node, warm, [{ ...finish, transferSignature: Buffer.alloc(64, 9).toString("base64") }]);
    expect((badTa.responses[0] as MsgFinishInferenceResponse).errorMessage).toBe(`transfer agent ${cold.address}: signature is invalid: invalid keys provided for StartInference`);
    const f = await submit(node, warm, [finish]);
    expect(f.responses[0]).toMatchObject({ $typeName: "inference.inference.MsgFinishInferenceResponse", inferenceIndex: inferenceId, errorMessage: "" });
    const inf = node.state.inferences.get(inferenceId)!;
    expect(inf.status).toBe(InferenceStatus.FINISHED);
    expect([inf.promptTokenCount, inf.completionTokenCount, inf.executedBy, inf.originalPromptHash]).toEqual([12n, 30n, warm.address, start.originalPromptHash]);
    // base64 ids may hold "/", which the gateway cannot route in a path segment: list them instead
    const rest = (await (await fetch(`${node.restUrl}/productscience/inference/inference/inference`)).json()) as { inference: Record<string, unknown>[] };
    expect(rest.inference.find((i) => i.inference_id === inferenceId)).toMatchObject({ inference_id: inferenceId, status: "FINISHED", requested_by: third.address, original_prompt_hash: start.originalPromptHash, completion_token_count: "30" });
  });

  it("a Start sent by the warm key through MsgExec carries the inner response (with error_message) in MsgExecResponse.results", async () => {
    const grant = { "@type": "/cosmos.authz.v1beta1.MsgGrant", granter: cold.address, grantee: fourth.address, grant: { authorization: { "@type": "/cosmos.authz.v1beta1.GenericAuthorization", msg: "/inference.inference.MsgStartInference" } } };
    expect((await submit(node, cold, [grant])).deliver?.code).toBe(0);
    const { start, inferenceId } = request(7, { maxTokens: "2000000" });
    const r = await submit(node, fourth, [{ "@type": "/cosmos.authz.v1beta1.MsgExec", grantee: fourth.address, msgs: [start] }]);
    expect(r.deliver?.code).toBe(0);
    const exec = r.responses[0] as MsgExecResponse;
    expect(exec.$typeName).toBe("cosmos.authz.v1beta1.MsgExecResponse");
    const inner = fromBinary(MsgStartInferenceResponseSchema, exec.results[0]!);
    expect(inner).toMatchObject({ inferenceIndex: inferenceId, errorMessage: "max_tokens exceeds limit (2000000 > 1000000): token count out of range" });
  });

  it("MsgValidation takes value_decimal in [0,1] (a present-but-empty Decimal is 0), once per validator, never by the executor", async () => {
    const { start, finish, inferenceId } = request(8);
    await submit(node, cold, [start]);
    await submit(node, warm, [finish]);
    const v = (creator: string, valueDecimal: { value?: string; exponent?: number }, revalidation = false) => ({
      "@type": "/inference.inference.MsgValidation", creator, id: `v-${creator}`, inferenceId, responseHash: "c".repeat(64), valueDecimal, revalidation,
    });
    const out = await submit(node, third, [v(third.address, { value: "15", exponent: -1 })]);
    expect(out.deliver).toMatchObject({ code: 18, codespace: "sdk", log: failed("validation value 1.5 is outside [0,1]: invalid request") });
    expect((await submit(node, warm, [v(warm.address, { value: "1" })])).deliver?.code).toBe(1105);
    expect((await submit(node, third, [v(third.address, { value: "95", exponent: -2 })])).deliver?.code).toBe(0);
    expect(node.state.validations.get(`${inferenceId}|${third.address}`)?.value).toBe("0.95");
    expect((await submit(node, third, [v(third.address, {})])).deliver?.code).toBe(1143);
    expect((await submit(node, third, [v(third.address, {}, true)])).deliver?.code).toBe(0);
    expect(node.state.validations.get(`${inferenceId}|${third.address}`)?.value).toBe("0");
    expect(node.state.inferences.get(inferenceId)!.status).toBe(InferenceStatus.VALIDATED);
  });
});
