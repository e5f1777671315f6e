/**
 * The validator flow (`validateInference`) over loopback fakes: the devnet chain node (real txs,
 * real `MsgValidation` handling), a loopback executor serving the payload route (which can
 * misbehave), and MLNode seams answering with the golden vectors' validator responses. Values
 * are checked against inference-upgrades.json: the validator's seed, the sampling decision, the
 * replay body, `value_decimal`, the threshold decision and the SPRT step.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InferenceSchema, InferenceStatus } from "../../../generated/proto/inference/inference/inference_pb.js";
import { ParticipantSchema, ParticipantStatus } from "../../../generated/proto/inference/inference/participant_pb.js";
import { createChainClient, walletFromPrivateKey, type ChainClient, type Wallet } from "../../../src/chain/index.js";
import { startChainNode, type ChainNode } from "../../../src/devnet/chain/index.js";
import { InvalidArgumentError } from "../../../src/errors.js";
import {
  InferenceNotFoundError,
  MalformedLogprobsError,
  PayloadRetrievalError,
  ValidationAbortedError,
  ValidationNoMlNodeError,
  ValidationReplayError,
  signPayloadResponse,
  validateInference,
  validateInferences,
  verifyComponents,
  type SamplingInputs,
  type ValidationMlNode,
  type ValidationProgress,
  type ValidatorReplayRequest,
} from "../../../src/inference/index.js";
import { payload, vectors } from "./vectors.js";

const MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
const PR = vectors.payloadRetrieval;
const VECTOR_ID: string = PR.response_signature.inference_id;
const PROMPT: string = PR.response_signature.prompt_payload;
const EXECUTOR_KEY: string = PR.response_signature.executor_private_key_hex;
const validator: Wallet = walletFromPrivateKey(vectors.keys.validators[0].private_key_hex);
const validator2: Wallet = walletFromPrivateKey(vectors.keys.validators[1].private_key_hex);
const executor: Wallet = walletFromPrivateKey(EXECUTOR_KEY);
const developer: Wallet = walletFromPrivateKey(vectors.keys.developers[0].private_key_hex);
const EPOCH = 412n;
const caseOf = (description: string) => vectors.validation.cases.find((c: { description: string }) => c.description === description);
/** Sampling inputs that select every inference (p = 1). */
const SELECT: SamplingInputs = { executorReputation: 0, trafficBasis: 0, executorPower: 1, validatorPower: 10, totalPower: 11 };

type Mode = "ok" | "404" | "500" | "malformed" | "huge" | "hang" | "tampered" | "bad-signature";
const served = new Map<string, { response: string; mode: Mode; requests: number; signature?: string }>();
let refusedSignatures = 0;
let executorServer: Server;
let executorUrl = "";
let node: ChainNode;
let chain: ChainClient;

function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function executorRoute(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://x");
  const id = url.searchParams.get("inference_id") ?? "";
  const entry = served.get(id);
  const h = (n: string) => String(req.headers[n.toLowerCase()] ?? "");
  // the executor checks the validator's signature over inference_id ‖ epoch ‖ timestamp ‖ validator
  const check = verifyComponents({
    components: { payload: id, epochId: BigInt(h("X-Epoch-Id") || "0"), timestamp: h("X-Timestamp"), transferAddress: h("X-Validator-Address") },
    signature: h("Authorization"),
    publicKeys: [validator.publicKey, validator2.publicKey],
  });
  if (!check.accepted) {
    refusedSignatures++;
    res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "invalid signature" }));
    return;
  }
  if (!entry) return void res.writeHead(404, { "content-type": "application/json" }).end('{"error":"payload not found"}');
  entry.requests++;
  const json = (status: number, body: string): void => void res.writeHead(status, { "content-type": "application/json" }).end(body);
  const response = entry.mode === "tampered" ? entry.response.replace('"logprob":-', '"logprob":-1') : entry.response;
  const signature =
    entry.mode === "bad-signature"
      ? signPayloadResponse({ executorPrivateKey: vectors.keys.executors[1].private_key_hex, inferenceId: id, promptPayload: PROMPT, responsePayload: response, executorAddress: executor.address })
      : (entry.signature ?? signPayloadResponse({ executorPrivateKey: EXECUTOR_KEY, inferenceId: id, promptPayload: PROMPT, responsePayload: response, executorAddress: executor.address }));
  const body = () =>
    JSON.stringify({
      inference_id: id,
      prompt_payload: Buffer.from(PROMPT).toString("base64"),
      response_payload: Buffer.from(response).toString("base64"),
      executor_signature: signature,
    });
  switch (entry.mode) {
    case "404":
      return json(404, '{"error":"payload not found"}');
    case "500":
      return json(500, '{"error":"failed to retrieve payloads"}');
    case "malformed":
      return json(200, '{"inference_id": "x", "prompt_payload": 7');
    case "huge":
      return json(200, JSON.stringify({ inference_id: id, prompt_payload: Buffer.alloc(300_000).toString("base64"), response_payload: "", executor_signature: "x" }));
    case "hang":
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
      return; // never finishes
    default:
      return json(200, body());
  }
}

/** Records an inference on chain as Start + Finish would, and what its executor serves. */
function addInference(id: string, o: { response?: string; mode?: Mode; executedBy?: string; status?: InferenceStatus; signature?: string; epoch?: bigint } = {}): void {
  const response = o.response ?? payload("executor_0");
  served.set(id, { response, mode: o.mode ?? "ok", requests: 0, ...(o.signature ? { signature: o.signature } : {}) });
  node.state.inferences.set(
    id,
    create(InferenceSchema, {
      index: id, inferenceId: id, promptHash: sha256Hex(PROMPT), responseHash: sha256Hex(response), model: MODEL,
      requestedBy: developer.address, executedBy: o.executedBy ?? executor.address, transferredBy: developer.address,
      status: o.status ?? InferenceStatus.FINISHED, epochId: o.epoch ?? EPOCH, startBlockHeight: node.state.height, endBlockHeight: node.state.height,
      endBlockTimestamp: BigInt(node.state.time.getTime()), promptTokenCount: 3n, completionTokenCount: 9n,
    }),
  );
}

/** An MLNode seam answering with a vector's validator response; records the replay requests. */
function vectorMlNode(bodyRef: string, status = 200): ValidationMlNode & { requests: ValidatorReplayRequest[] } {
  const requests: ValidatorReplayRequest[] = [];
  return {
    requests,
    complete: async (request) => {
      requests.push(request);
      return { status, body: payload(bodyRef) };
    },
  };
}

function participant(w: Wallet, power: bigint): void {
  node.state.ensureAccount(w.address).pubKey = w.publicKey;
  node.state.power.set(w.address, power);
  node.state.participants.set(w.address, create(ParticipantSchema, { index: w.address, address: w.address, weight: Number(power), inferenceUrl: executorUrl, status: ParticipantStatus.ACTIVE }));
}

beforeAll(async () => {
  executorServer = createServer(executorRoute);
  await new Promise<void>((r) => executorServer.listen(0, "127.0.0.1", r));
  executorUrl = `http://127.0.0.1:${(executorServer.address() as AddressInfo).port}`;
  node = await startChainNode({
    chainId: "gonka-flow-test",
    blockTimeMs: 20,
    accounts: [validator, validator2, executor, developer].map((w) => ({ address: w.address, coins: [{ denom: "ngonka", amount: 10n ** 12n }] })),
  });
  node.state.epoch = { index: EPOCH, pocStartBlockHeight: 1n };
  participant(validator, 10n);
  participant(validator2, 10n);
  participant(executor, 10n);
  chain = createChainClient({ url: node.url, chainId: "gonka-flow-test", pollIntervalMs: 20 });
}, 60_000);

afterAll(async () => {
  chain?.close();
  executorServer?.closeAllConnections();
  await new Promise((r) => executorServer?.close(r));
  await node?.stop();
});

const base = () => ({ chain, wallet: validator, payloadRetryDelayMs: 10, payloadTimeoutMs: 2000 });

describe("validateInference: sampling", () => {
  it("not selected: skips with the vector's sampling decision (seed derived from the wallet) and sends nothing", async () => {
    const sv = vectors.sampling.shouldValidate.find((c: { seed: bigint; validator_power: number; details: { inference_id: string; executor_reputation: number } }) =>
      c.seed === 6319769218445448120n && c.validator_power === 20000 && c.details.inference_id.startsWith("gUTG") && c.details.executor_reputation === 0);
    const id: string = sv.details.inference_id;
    addInference(id);
    const mlNode = vectorMlNode("validator_0");
    const r = await validateInference({
      ...base(), inferenceId: id, mlNode,
      sampling: { executorReputation: 0, trafficBasis: sv.details.traffic_basis, executorPower: sv.executor_power, validatorPower: sv.validator_power, totalPower: sv.total_power },
    });
    expect(r).toMatchObject({ outcome: "skipped", skip: "not-selected" });
    expect(r.sampling?.shouldValidate).toBe(false);
    expect(r.sampling?.randomValue?.toString()).toBe(sv.random_value);
    expect(r.sampling?.probability?.toString()).toBe(sv.probability);
    expect(served.get(id)!.requests).toBe(0);
    expect(mlNode.requests).toHaveLength(0);
    expect(node.state.validations.has(`${id}|${validator.address}`)).toBe(false);
  });

  it("selected: the same inference with the vector's larger validator weight is validated", async () => {
    const sv = vectors.sampling.shouldValidate.find((c: { seed: bigint; validator_power: number; details: { inference_id: string; executor_reputation: number } }) =>
      c.seed === 6319769218445448120n && c.validator_power === 150000 && c.details.inference_id.startsWith("gUTG") && c.details.executor_reputation === 0);
    expect(sv.should_validate).toBe(true);
    const r = await validateInference({
      ...base(), inferenceId: sv.details.inference_id, mlNode: vectorMlNode("validator_0"),
      sampling: { executorReputation: 0, trafficBasis: sv.details.traffic_basis, executorPower: sv.executor_power, validatorPower: sv.validator_power, totalPower: sv.total_power },
    });
    expect(r.sampling?.randomValue?.toString()).toBe(sv.random_value);
    expect(r.outcome).toBe("submitted");
  });

  it("requires sampling inputs (the chain's InferenceValidationDetails cannot be decoded) unless told to always validate", async () => {
    addInference("needs-sampling");
    await expect(validateInference({ ...base(), inferenceId: "needs-sampling", mlNode: vectorMlNode("validator_0") })).rejects.toThrow(InvalidArgumentError);
  });

  it("skips the validator's own inference, a finished-not inference and an invalidated one", async () => {
    addInference("own", { executedBy: validator.address });
    addInference("started", { status: InferenceStatus.STARTED });
    addInference("gone", { status: InferenceStatus.INVALIDATED });
    const mlNode = vectorMlNode("validator_0");
    expect((await validateInference({ ...base(), inferenceId: "own", mlNode, sampling: SELECT })).skip).toBe("own-inference");
    expect((await validateInference({ ...base(), inferenceId: "started", mlNode, sampling: SELECT })).skip).toBe("not-finished");
    expect((await validateInference({ ...base(), inferenceId: "gone", mlNode, sampling: SELECT })).skip).toBe("already-invalidated");
    expect(mlNode.requests).toHaveLength(0);
  });

  it("skips an inference two epochs old", async () => {
    addInference("old", { epoch: EPOCH - 2n });
    expect((await validateInference({ ...base(), inferenceId: "old", mlNode: vectorMlNode("validator_0"), sampling: SELECT })).skip).toBe("stale-epoch");
  });
});

describe("validateInference: pass and fail", () => {
  it("pass: fetches the vector payloads, sends the vector's replay body, submits the vector's value_decimal; the chain marks it VALIDATED", async () => {
    addInference(VECTOR_ID, { signature: PR.response_signature.executor_signature });
    const c = caseOf("slightly different logprobs (sigma 0.002)");
    const mlNode = vectorMlNode(c.validator_response_body_ref);
    const events: ValidationProgress["type"][] = [];
    const r = await validateInference({ ...base(), inferenceId: VECTOR_ID, mlNode, sampling: SELECT, onProgress: (e) => events.push(e.type) });
    expect(mlNode.requests[0]!.body).toBe(vectors.validation.validationRequests.find((v: { executor_response_payload_ref: string }) => v.executor_response_payload_ref === "executor_0").body);
    expect(r).toMatchObject({ outcome: "submitted", kind: "similarity", similarity: Number(c.similarity), statusAfter: "VALIDATED", passes: true });
    expect(r.valueDecimal).toEqual({ value: BigInt(c.value_decimal.value), exponent: c.value_decimal.exponent });
    expect(r.threshold?.toString()).toBe("0.94");
    expect(r.responseHash).toBe(sha256Hex(payload(c.validator_response_body_ref)));
    expect(node.state.validations.get(`${VECTOR_ID}|${validator.address}`)?.value).toBe(c.value_decimal_string);
    expect(node.state.inferences.get(VECTOR_ID)!.validatedBy).toContain(validator.address);
    expect(events).toEqual(["inference", "sampling", "payloads", "replayed", "scored", "submitting", "submitted"]);
    expect(refusedSignatures).toBe(0);
  });

  it("skips an inference this validator already validated", async () => {
    expect((await validateInference({ ...base(), inferenceId: VECTOR_ID, mlNode: vectorMlNode("validator_0"), sampling: SELECT })).skip).toBe("already-validated");
  });

  it("fail below the model threshold: the chain opens the invalidation vote; revalidations vote it through to INVALIDATED", async () => {
    node.state.models.get(MODEL)!.validationThreshold = { $typeName: "inference.inference.Decimal", value: 98n, exponent: -2 } as never;
    try {
      const c = caseOf("clearly different logprobs (sigma 0.5, two top tokens replaced per position)");
      expect(c.passes_threshold[0]).toBe(false); // genesis 0.98
      addInference("will-fail");
      const r = await validateInference({ ...base(), inferenceId: "will-fail", mlNode: vectorMlNode(c.validator_response_body_ref), sampling: SELECT });
      expect(r).toMatchObject({ outcome: "submitted", passes: false, statusAfter: "VOTING" });
      expect(r.valueDecimal).toEqual({ value: BigInt(c.value_decimal.value), exponent: c.value_decimal.exponent });
      // a non-revalidation call on a vote skips nothing, a revalidation votes
      const r2 = await validateInference({ ...base(), wallet: validator2, inferenceId: "will-fail", mlNode: vectorMlNode(c.validator_response_body_ref), revalidation: true });
      expect(r2).toMatchObject({ outcome: "submitted", revalidation: true, statusAfter: "VOTING" }); // 10 of 30: not yet half
      const r3 = await validateInference({ ...base(), inferenceId: "will-fail", mlNode: vectorMlNode(c.validator_response_body_ref), revalidation: true });
      expect(r3.statusAfter).toBe("INVALIDATED"); // 20 of 30
      const stats = node.state.participants.get(executor.address)!;
      expect(stats.currentEpochStats?.invalidatedInferences).toBe(1n);
      expect(stats.consecutiveInvalidInferences).toBe(1n);
      const fail = vectors.sprt.precomputed_mainnet.invalidation_log_fail;
      // the SPRT step after one invalidation from a validated start: logFail added
      const llr = stats.currentEpochStats!.invalidLLR!;
      const prior = vectors.sprt.precomputed_mainnet.invalidation_log_pass; // the earlier pass of this file's executor
      const expected = BigInt(fail.value) + BigInt(prior.value) * (stats.currentEpochStats!.validatedInferences as bigint);
      expect(llr.value * 10n ** BigInt(llr.exponent + 12)).toBe(expected);
      // a revalidation after the vote closed is skipped
      expect((await validateInference({ ...base(), wallet: validator2, inferenceId: "will-fail", mlNode: vectorMlNode("validator_0"), revalidation: true })).skip).toBe("already-invalidated");
    } finally {
      node.state.models.get(MODEL)!.validationThreshold = { $typeName: "inference.inference.Decimal", value: 94n, exponent: -2 } as never;
    }
  });

  it("the validator's node rejecting the replay (422) counts as a pass with 1.0", async () => {
    addInference("rejects");
    const r = await validateInference({ ...base(), inferenceId: "rejects", mlNode: vectorMlNode("validator_16", 422), sampling: SELECT });
    expect(r).toMatchObject({ outcome: "submitted", similarity: 1, valueDecimal: { value: 1n, exponent: 0 }, statusAfter: "VALIDATED" });
  });

  it("executor tokens that are text are invalid (0) without asking the MLNode", async () => {
    addInference("text-tokens", { response: payload("executor_13") });
    const mlNode = vectorMlNode("validator_13");
    const r = await validateInference({ ...base(), inferenceId: "text-tokens", mlNode, sampling: SELECT });
    expect(mlNode.requests).toHaveLength(0);
    expect(r).toMatchObject({ outcome: "submitted", kind: "invalid", valueDecimal: { value: 0n, exponent: 0 }, statusAfter: "VOTING" });
  });

  it("a validator response without logprobs sends nothing", async () => {
    addInference("no-logits");
    const r = await validateInference({ ...base(), inferenceId: "no-logits", mlNode: vectorMlNode("validator_17"), sampling: SELECT });
    expect(r.outcome).toBe("no-message");
    expect(r.reason).toBe(caseOf("validator response without logprobs").error);
    expect(node.state.validations.has(`no-logits|${validator.address}`)).toBe(false);
  });

  it("dryRun decides without sending; given payloads skip the executor", async () => {
    addInference("dry", { mode: "500" });
    const r = await validateInference({
      ...base(), inferenceId: "dry", mlNode: vectorMlNode("validator_0"), sampling: "always", dryRun: true,
      payloads: { promptPayload: PROMPT, responsePayload: payload("executor_0") },
    });
    expect(r).toMatchObject({ outcome: "decided", kind: "similarity", similarity: 1, passes: true });
    expect(served.get("dry")!.requests).toBe(0);
    expect(node.state.validations.has(`dry|${validator.address}`)).toBe(false);
  });
});

describe("validateInference: payloads", () => {
  it("a payload whose hash differs from the chain's record is invalidated at once (value 0, no response hash)", async () => {
    addInference("tampered", { mode: "tampered" });
    const mlNode = vectorMlNode("validator_0");
    const r = await validateInference({ ...base(), inferenceId: "tampered", mlNode, sampling: SELECT });
    expect(r).toMatchObject({ outcome: "submitted", kind: "payload-mismatch", valueDecimal: { value: 0n, exponent: 0 }, responseHash: "" });
    expect((r.error as PayloadRetrievalError).failure).toBe("hash-mismatch");
    expect(served.get("tampered")!.requests).toBe(1);
    expect(mlNode.requests).toHaveLength(0);
    expect(node.state.validations.get(`tampered|${validator.address}`)?.value).toBe("0");
  });

  it("payloads signed by another key are invalidated", async () => {
    addInference("bad-sig", { mode: "bad-signature" });
    const r = await validateInference({ ...base(), inferenceId: "bad-sig", mlNode: vectorMlNode("validator_0"), sampling: SELECT });
    expect(r.kind).toBe("payload-mismatch");
    expect((r.error as PayloadRetrievalError).failure).toBe("bad-signature");
  });

  it("404 (pruned) is skipped silently", async () => {
    addInference("pruned", { mode: "404" });
    const r = await validateInference({ ...base(), inferenceId: "pruned", mlNode: vectorMlNode("validator_0"), sampling: SELECT });
    expect(r).toMatchObject({ outcome: "skipped", skip: "payloads-pruned" });
    expect(node.state.validations.has(`pruned|${validator.address}`)).toBe(false);
  });

  it("an executor answering 500 is retried, then invalidated as unavailable (the network's choice)", async () => {
    addInference("down", { mode: "500" });
    const retries: number[] = [];
    const r = await validateInference({ ...base(), inferenceId: "down", mlNode: vectorMlNode("validator_0"), sampling: SELECT, payloadAttempts: 3, onProgress: (e) => e.type === "payload-retry" && retries.push(e.attempt) });
    expect(served.get("down")!.requests).toBe(3);
    expect(retries).toEqual([1, 2]);
    expect(r).toMatchObject({ outcome: "submitted", kind: "payloads-unavailable", valueDecimal: { value: 0n, exponent: 0 } });
    expect((r.error as PayloadRetrievalError).failure).toBe("http-transient");
  });

  it("a malformed answer, with onPayloadsUnavailable 'no-message', sends nothing", async () => {
    addInference("malformed", { mode: "malformed" });
    const r = await validateInference({ ...base(), inferenceId: "malformed", mlNode: vectorMlNode("validator_0"), sampling: SELECT, payloadAttempts: 2, onPayloadsUnavailable: "no-message" });
    expect(r.outcome).toBe("no-message");
    expect((r.error as PayloadRetrievalError).failure).toBe("malformed");
    expect(served.get("malformed")!.requests).toBe(2);
  });

  it("an answer over the byte bound is refused as too large", async () => {
    addInference("huge", { mode: "huge" });
    const r = await validateInference({ ...base(), inferenceId: "huge", mlNode: vectorMlNode("validator_0"), sampling: SELECT, payloadAttempts: 1, maxPayloadBytes: 50_000, onPayloadsUnavailable: "no-message" });
    expect((r.error as PayloadRetrievalError).failure).toBe("too-large");
  });

  it("an executor that stalls hits the deadline", async () => {
    addInference("hang", { mode: "hang" });
    const started = Date.now();
    const r = await validateInference({ ...base(), inferenceId: "hang", mlNode: vectorMlNode("validator_0"), sampling: SELECT, payloadAttempts: 1, payloadTimeoutMs: 300, onPayloadsUnavailable: "no-message" });
    expect((r.error as PayloadRetrievalError).failure).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("a malformed executor response payload (hash matching the record) sends nothing, with the typed error", async () => {
    addInference("bad-payload", { response: '{"choices":[{"logprobs":{"content":[{"token":5}]}}]}' });
    const r = await validateInference({ ...base(), inferenceId: "bad-payload", mlNode: vectorMlNode("validator_0"), sampling: SELECT });
    expect(r.outcome).toBe("no-message");
    expect(r.error).toBeInstanceOf(MalformedLogprobsError);
  });

  it("given payloads that do not match the record are invalidated; oversized ones are refused", async () => {
    addInference("given-bad");
    const r = await validateInference({ ...base(), inferenceId: "given-bad", mlNode: vectorMlNode("validator_0"), sampling: SELECT, payloads: { promptPayload: PROMPT, responsePayload: payload("executor_8") } });
    expect(r.kind).toBe("payload-mismatch");
    addInference("given-big");
    const big = await validateInference({
      ...base(), inferenceId: "given-big", mlNode: vectorMlNode("validator_0"), sampling: SELECT, dryRun: true, maxPayloadBytes: 100,
      payloads: { promptPayload: PROMPT, responsePayload: payload("executor_0") }, onPayloadsUnavailable: "no-message",
    });
    expect((big.error as PayloadRetrievalError).failure).toBe("too-large");
  });
});

describe("validateInference: the MLNode seam", () => {
  it("no MLNode configured: a clear error that the re-run needs the served model on a GPU", async () => {
    addInference("no-mlnode");
    const e = await validateInference({ ...base(), inferenceId: "no-mlnode", sampling: SELECT }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationNoMlNodeError);
    expect((e as Error).message).toMatch(/served model on a GPU/);
    expect((e as ValidationNoMlNodeError).model).toBe(MODEL);
    expect(served.get("no-mlnode")!.requests).toBe(0);
  });

  it("an MLNode that throws is retried, then nothing is sent (ValidationReplayError)", async () => {
    addInference("mlnode-down");
    let calls = 0;
    const r = await validateInference({
      ...base(), inferenceId: "mlnode-down", sampling: SELECT, replayAttempts: 2, replayRetryDelayMs: 10,
      mlNode: { complete: async () => { calls++; throw new Error("connection refused"); } },
    });
    expect(calls).toBe(2);
    expect(r.outcome).toBe("no-message");
    expect(r.error).toBeInstanceOf(ValidationReplayError);
  });

  it("an MLNode by URL: the replay is POSTed to {base}/v1/chat/completions; a closed port, a stall and an oversized answer are typed", async () => {
    const c = caseOf("moderately different logprobs (sigma 0.05)");
    let mode: "ok" | "hang" | "huge" = "ok";
    let seenPath = "";
    let seenBody = "";
    const vllm = createServer((req, res) => {
      seenPath = req.url ?? "";
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        seenBody = body;
        if (mode === "hang") return void res.writeHead(200).write("{");
        res.writeHead(200, { "content-type": "application/json" }).end(mode === "huge" ? "x".repeat(400_000) : payload(c.validator_response_body_ref));
      });
    });
    await new Promise<void>((r) => vllm.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(vllm.address() as AddressInfo).port}`;
    try {
      addInference("by-url");
      const r = await validateInference({ ...base(), inferenceId: "by-url", mlNode: `${url}/v1`, sampling: SELECT });
      expect(seenPath).toBe("/v1/chat/completions");
      expect(JSON.parse(seenBody).enforced_tokens.tokens).toHaveLength(JSON.parse(payload("executor_0")).choices[0].logprobs.content.length);
      expect(r.valueDecimal).toEqual({ value: BigInt(c.value_decimal.value), exponent: c.value_decimal.exponent });
      mode = "hang";
      addInference("by-url-hang");
      const h = await validateInference({ ...base(), inferenceId: "by-url-hang", mlNode: url, replayTimeoutMs: 300, sampling: SELECT });
      expect((h.error as ValidationReplayError).failure).toBe("timeout");
      mode = "huge";
      addInference("by-url-huge");
      const g = await validateInference({ ...base(), inferenceId: "by-url-huge", mlNode: url, maxPayloadBytes: 200_000, sampling: SELECT });
      expect((g.error as ValidationReplayError).failure).toBe("too-large");
    } finally {
      vllm.closeAllConnections();
      await new Promise((r) => vllm.close(r));
    }
    addInference("closed-port");
    const closed = await validateInference({ ...base(), inferenceId: "closed-port", mlNode: url, sampling: SELECT });
    expect((closed.error as ValidationReplayError).failure).toBe("unreachable");
  });

  it("an aborted signal stops the flow with ValidationAbortedError", async () => {
    addInference("abort", { mode: "hang" });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await expect(validateInference({ ...base(), inferenceId: "abort", mlNode: vectorMlNode("validator_0"), sampling: SELECT, payloadTimeoutMs: 10_000, signal: ac.signal })).rejects.toBeInstanceOf(ValidationAbortedError);
  });

  it("an unknown inference id is InferenceNotFoundError", async () => {
    await expect(validateInference({ ...base(), inferenceId: "no-such-inference", mlNode: vectorMlNode("validator_0"), sampling: SELECT })).rejects.toBeInstanceOf(InferenceNotFoundError);
  });
});

describe("validateInferences (batch over an epoch)", () => {
  it("validates the epoch's finished inferences it did not execute, skipping per sampling, one tx at a time", async () => {
    const epoch = EPOCH + 1n;
    node.state.epoch = { index: epoch, pocStartBlockHeight: 2n };
    try {
      for (const id of ["b-1", "b-2", "b-3"]) addInference(id, { epoch });
      addInference("b-own", { epoch, executedBy: validator2.address });
      addInference("b-old", { epoch: EPOCH });
      const seen: string[] = [];
      const report = await validateInferences({
        ...base(), wallet: validator2, mlNode: vectorMlNode("validator_0"), concurrency: 3,
        sampling: (inf) => (inf.inferenceId === "b-2" ? { ...SELECT, validatorPower: 0 } : SELECT),
        onResult: (r) => seen.push(r.inferenceId),
      });
      expect(report.epoch).toBe(epoch);
      expect(report.results.map((r) => r.inferenceId).sort()).toEqual(["b-1", "b-2", "b-3"]); // not its own, not another epoch's
      expect(report.counts).toEqual({ submitted: 2, skipped: 1, noMessage: 0, decided: 0 });
      expect(report.results.find((r) => r.inferenceId === "b-2")?.skip).toBe("not-selected");
      expect(seen).toHaveLength(3);
      for (const id of ["b-1", "b-3"]) expect(node.state.validations.get(`${id}|${validator2.address}`)?.value).toBe("1");
    } finally {
      node.state.epoch = { index: EPOCH, pocStartBlockHeight: 1n };
    }
  });
});
