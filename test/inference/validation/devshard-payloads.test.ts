import { describe, expect, it } from "vitest";
import { bytesToHex } from "@noble/hashes/utils.js";
import {
  devshardRequestDigest,
  devshardShouldValidate,
  payloadResponseSignedString,
  payloadRetrievalRequest,
  recoverDevshardSender,
  signatureString,
  signDevshardRequest,
  signPayloadResponse,
  verifyPayloadResponse,
} from "../../../src/inference/index.js";
import { InvalidArgumentError } from "../../../src/errors.js";
import { payload, vectors } from "./vectors.js";

describe("devshard request signatures (devshardRequestSignatures)", () => {
  const cases = vectors.devshardRequestSignatures as {
    private_key_hex: string;
    sender_address: string;
    escrow_id: string;
    body_utf8: string;
    timestamp_s: number;
    message_sha256_hex: string;
    x_devshard_signature: string;
    headers: Record<string, string>;
  }[];
  it.each(cases.map((c) => [c.escrow_id, c] as const))("escrow %s: digest, r‖s‖v signature, headers and recovered sender", (_e, c) => {
    const args = { escrowId: c.escrow_id, body: c.body_utf8, timestampS: c.timestamp_s };
    expect(bytesToHex(devshardRequestDigest(args))).toBe(c.message_sha256_hex);
    const headers = signDevshardRequest({ ...args, privateKey: c.private_key_hex });
    expect(headers).toEqual(c.headers);
    expect(headers["X-Devshard-Signature"]).toBe(c.x_devshard_signature);
    expect(recoverDevshardSender({ ...args, signatureHex: c.x_devshard_signature })).toBe(c.sender_address);
    // a changed body recovers someone else
    expect(recoverDevshardSender({ ...args, body: c.body_utf8 + " ", signatureHex: c.x_devshard_signature })).not.toBe(c.sender_address);
  });
  it("refuses malformed signatures and timestamps", () => {
    const args = { escrowId: "1", body: "", timestampS: 1 };
    expect(() => recoverDevshardSender({ ...args, signatureHex: "00" })).toThrow(InvalidArgumentError);
    expect(() => recoverDevshardSender({ ...args, signatureHex: "00".repeat(64) + "05" })).toThrow(/recovery byte/);
    expect(() => devshardRequestDigest({ ...args, timestampS: -1 })).toThrow(InvalidArgumentError);
  });
});

describe("devshard's integer sampler (devshardShouldValidate)", () => {
  const cases = vectors.devshardShouldValidate as {
    seed: string;
    inference_id: number;
    validator_slots: number;
    executor_slots: number;
    total_slots: number;
    rate_basis_points: number;
    should_validate: boolean;
  }[];
  it("has the 26 vectors", () => expect(cases).toHaveLength(26));
  it.each(cases.map((c, i) => [i, c.should_validate, c] as const))("vector %i → %s", (_i, _s, c) => {
    expect(
      devshardShouldValidate({
        seed: BigInt(c.seed),
        inferenceNonce: c.inference_id,
        validatorSlots: c.validator_slots,
        executorSlots: c.executor_slots,
        totalSlots: c.total_slots,
        rateBasisPoints: c.rate_basis_points,
      }),
    ).toBe(c.should_validate);
  });
  it("a rate of 0 never samples; a full rate over all other slots always does", () => {
    const base = { seed: 1795794567547719312n, validatorSlots: 15, executorSlots: 1, totalSlots: 16 };
    for (let n = 0; n < 50; n++) {
      expect(devshardShouldValidate({ ...base, inferenceNonce: n, rateBasisPoints: 0 })).toBe(false);
      expect(devshardShouldValidate({ ...base, inferenceNonce: n, rateBasisPoints: 10000 })).toBe(true);
    }
    expect(() => devshardShouldValidate({ ...base, inferenceNonce: 1, validatorSlots: -1 })).toThrow(InvalidArgumentError);
  });
});

describe("payload retrieval signatures (payloadRetrieval)", () => {
  const req = vectors.payloadRetrieval.request;
  const res = vectors.payloadRetrieval.response_signature;
  it("the validator's request: signed string, path and headers", () => {
    expect(
      signatureString({ payload: res.inference_id, epochId: req.epoch_id, timestamp: req.timestamp_ns, transferAddress: req.validator_address }),
    ).toBe(req.signed_string);
    const r = payloadRetrievalRequest({
      privateKey: req.validator_private_key_hex,
      validatorAddress: req.validator_address,
      inferenceId: res.inference_id,
      epochId: req.epoch_id,
      timestampNs: req.timestamp_ns,
    });
    expect(r.method).toBe(req.method);
    expect(r.path).toBe(req.path);
    expect(r.headers).toEqual(req.headers);
  });
  it("the executor's signature over the served payloads, and its verification", () => {
    const args = { inferenceId: res.inference_id, promptPayload: res.prompt_payload, responsePayload: payload(res.response_payload_ref), executorAddress: res.executor_address };
    expect(payloadResponseSignedString(args)).toBe(res.signed_string);
    expect(signPayloadResponse({ ...args, executorPrivateKey: res.executor_private_key_hex })).toBe(res.executor_signature);
    const executorKey = (vectors.keys.executors as { address: string; pubkey_b64: string }[]).find((k) => k.address === res.executor_address)!.pubkey_b64;
    const grantee = vectors.keys.validators[1].pubkey_b64 as string;
    expect(verifyPayloadResponse({ ...args, executorSignature: res.executor_signature, publicKeys: [grantee, executorKey] })).toEqual({ accepted: true, error: "" });
    expect(verifyPayloadResponse({ ...args, responsePayload: payload("validator_0"), executorSignature: res.executor_signature, publicKeys: [executorKey] })).toEqual({
      accepted: false,
      error: "invalid signature",
    });
  });
  it("refuses a missing inference id or a negative epoch", () => {
    const base = { privateKey: req.validator_private_key_hex, validatorAddress: req.validator_address, inferenceId: "x", epochId: 1, timestampNs: "1" };
    expect(() => payloadRetrievalRequest({ ...base, inferenceId: "" })).toThrow(InvalidArgumentError);
    expect(() => payloadRetrievalRequest({ ...base, epochId: -1 })).toThrow(InvalidArgumentError);
  });
});
