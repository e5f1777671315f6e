import { describe, expect, it } from "vitest";
import {
  assertCurrentSignatureScheme,
  checkTimestampWindow,
  decodeStdBase64,
  detectSignatureScheme,
  developerRequestHeaders,
  executorSignature,
  inferenceSignaturePayload,
  LegacySignatureSchemeError,
  signatureString,
  signComponents,
  signInferenceRequest,
  signString,
  transferAgentHop,
  verifyComponents,
  verifyInferenceRequest,
} from "../../../src/inference/index.js";
import { InvalidArgumentError } from "../../../src/errors.js";
import { big, vectors } from "./vectors.js";

const dec = new TextDecoder();
const developers = vectors.keys.developers as { private_key_hex: string; pubkey_b64: string; address: string }[];

interface RequestSignatureVector {
  description: string;
  private_key_hex: string;
  requester_address: string;
  requester_pubkey_b64: string;
  body_utf8: string;
  body_sha256_hex: string;
  timestamp_ns: string;
  transfer_address: string;
  signed_string: string;
  authorization: string;
  headers: Record<string, string>;
  ta_hop: {
    ta_seed: number;
    prompt_hash: string;
    executor_address: string;
    ta_private_key_hex: string;
    ta_signed_string: string;
    ta_signature: string;
    executor_private_key_hex: string;
    executor_signature: string;
    headers_to_executor: Record<string, string>;
  };
}

describe("developer request signatures, current scheme (requestSignatures)", () => {
  const cases = (vectors.requestSignatures as RequestSignatureVector[]).map((v, i) => [i, v.description, v] as const);
  it("has the 8 vectors", () => expect(cases).toHaveLength(8));

  it.each(cases)("%i %s: signed string, Authorization and headers reproduce", (_i, _d, r) => {
    const comps = { payload: r.body_sha256_hex, timestamp: r.timestamp_ns, transferAddress: r.transfer_address };
    expect(signatureString(comps)).toBe(r.signed_string);
    expect(signComponents(r.private_key_hex, comps)).toBe(r.authorization);
    expect(
      developerRequestHeaders({
        privateKey: r.private_key_hex,
        requesterAddress: r.requester_address,
        body: r.body_utf8,
        timestampNs: r.timestamp_ns,
        transferAddress: r.transfer_address,
      }),
    ).toEqual(r.headers);
    // the existing signer (signature.ts) reproduces the same vectors
    const args = { body: r.body_utf8, timestampNs: BigInt(r.timestamp_ns), transferAddress: r.transfer_address };
    expect(dec.decode(inferenceSignaturePayload(args))).toBe(r.signed_string);
    expect(signInferenceRequest({ ...args, privateKey: r.private_key_hex })).toBe(r.authorization);
    expect(verifyInferenceRequest({ ...args, authorization: r.authorization, publicKey: r.requester_pubkey_b64 })).toBe(true);
    expect(verifyComponents({ components: comps, signature: r.authorization, publicKeys: [r.requester_pubkey_b64] })).toEqual({ accepted: true, error: "" });
  });

  it.each(cases)("%i %s: TA hop (X-TA-Signature, executor headers) and executor signature reproduce", (_i, _d, r) => {
    const h = r.ta_hop;
    const comps = { payload: h.prompt_hash, timestamp: r.timestamp_ns, transferAddress: r.transfer_address, executorAddress: h.executor_address };
    expect(signatureString(comps, "transfer_agent")).toBe(h.ta_signed_string);
    const hop = transferAgentHop({
      taPrivateKey: h.ta_private_key_hex,
      authorization: r.authorization,
      promptHash: h.prompt_hash,
      seed: h.ta_seed,
      timestampNs: r.timestamp_ns,
      transferAddress: r.transfer_address,
      requesterAddress: r.requester_address,
      executorAddress: h.executor_address,
    });
    expect(hop.taSignature).toBe(h.ta_signature);
    expect(hop.headers).toEqual(h.headers_to_executor);
    expect(
      executorSignature({
        executorPrivateKey: h.executor_private_key_hex,
        promptHash: h.prompt_hash,
        timestampNs: r.timestamp_ns,
        transferAddress: r.transfer_address,
        executorAddress: h.executor_address,
      }),
    ).toBe(h.executor_signature);
  });
});

describe("legacy raw-body signatures (legacyRawBodySignatures)", () => {
  const legacy = vectors.legacyRawBodySignatures as {
    body_utf8: string;
    timestamp_ns: string;
    transfer_address: string;
    private_key_hex: string;
    signed_string: string;
    authorization: string;
  }[];

  it.each(legacy.map((v, i) => [i, v] as const))("vector %i: reproduces under the raw-body scheme and is detected and refused", (_i, v) => {
    const args = { body: v.body_utf8, timestampNs: BigInt(v.timestamp_ns), transferAddress: v.transfer_address };
    // the signing functions refuse the removed scheme; the vector reproduces from its signed string
    expect(() => inferenceSignaturePayload({ ...args, scheme: "raw-body" })).toThrow(LegacySignatureSchemeError);
    expect(v.signed_string).toBe(`${v.body_utf8}${v.timestamp_ns}${v.transfer_address}`);
    expect(signString(v.private_key_hex, v.signed_string)).toBe(v.authorization);
    const detect = {
      authorization: v.authorization,
      body: v.body_utf8,
      timestampNs: v.timestamp_ns,
      transferAddress: v.transfer_address,
      publicKeys: [developers[0]!.pubkey_b64],
    };
    expect(detectSignatureScheme(detect)).toBe("raw-body");
    expect(() => assertCurrentSignatureScheme(detect)).toThrow(LegacySignatureSchemeError);
    // a current-scheme signature of the same request is accepted
    const current = signInferenceRequest({ ...args, scheme: "hashed-body", privateKey: v.private_key_hex });
    expect(detectSignatureScheme({ ...detect, authorization: current })).toBe("hashed-body");
    expect(() => assertCurrentSignatureScheme({ ...detect, authorization: current })).not.toThrow();
    // another key: neither scheme
    expect(detectSignatureScheme({ ...detect, publicKeys: [developers[1]!.pubkey_b64] })).toBe("invalid");
  });
});

describe("the node's verifier (signatureVerification)", () => {
  const cases = vectors.signatureVerification as {
    description: string;
    input: {
      payload: string;
      timestamp: bigint | number;
      transfer_address: string;
      pubkey_b64?: string;
      pubkeys_b64?: string[];
      signature: string;
    };
    accepted: boolean;
    error: string;
  }[];
  it("has the 8 vectors", () => expect(cases).toHaveLength(8));

  it.each(cases.map((c) => [c.description, c] as const))("%s", (_d, c) => {
    const r = verifyComponents({
      components: { payload: c.input.payload, timestamp: big(c.input.timestamp), transferAddress: c.input.transfer_address },
      signature: c.input.signature,
      publicKeys: c.input.pubkeys_b64 ?? [c.input.pubkey_b64!],
    });
    expect(r).toEqual({ accepted: c.accepted, error: c.error });
  });

  it("decodes standard base64 like Go and reports the first illegal byte", () => {
    expect(decodeStdBase64("%%%")).toEqual({ error: "illegal base64 data at input byte 0" });
    expect(decodeStdBase64("QUJD%A==")).toEqual({ error: "illegal base64 data at input byte 4" });
    expect(decodeStdBase64("QUI=").bytes).toEqual(new Uint8Array([0x41, 0x42]));
    expect(verifyComponents({ components: { payload: "p", transferAddress: "t" }, signature: "AAAA", publicKeys: [] }).accepted).toBe(false);
  });
});

describe("signature bytes rules (signatureBytesRules)", () => {
  it.each((vectors.signatureBytesRules as { input: Record<string, unknown>; signed_string: string }[]).map((v, i) => [i, v] as const))(
    "vector %i",
    (_i, v) => {
      const i = v.input as { payload: string; timestamp: number; epoch_id?: number; transfer_address: string; executor_address?: string; type: string };
      const s = signatureString(
        {
          payload: i.payload,
          timestamp: i.timestamp,
          ...(i.epoch_id !== undefined ? { epochId: i.epoch_id } : {}),
          transferAddress: i.transfer_address,
          ...(i.executor_address !== undefined ? { executorAddress: i.executor_address } : {}),
        },
        i.type as "developer" | "transfer_agent",
      );
      expect(s).toBe(v.signed_string);
    },
  );

  it("refuses a transfer-agent signature without an executor address and negative parts", () => {
    expect(() => signatureString({ payload: "p", transferAddress: "t" }, "transfer_agent")).toThrow(InvalidArgumentError);
    expect(() => signatureString({ payload: "p", transferAddress: "t", timestamp: -1 })).toThrow(InvalidArgumentError);
    expect(() => developerRequestHeaders({ privateKey: developers[0]!.private_key_hex, requesterAddress: "a", body: "", timestampNs: "0", transferAddress: "t" })).toThrow(
      /positive/,
    );
  });
});

describe("timestamp window (timestampWindow)", () => {
  const cases = vectors.timestampWindow as {
    signature_ts: string;
    latest_block_time_ns: string;
    expiration_s: number;
    advance_s: number;
    extra_ns: string;
    accepted: boolean;
    error: string;
  }[];
  it("has the 10 vectors", () => expect(cases).toHaveLength(10));
  it.each(cases.map((c, i) => [i, c] as const))("vector %i", (_i, c) => {
    expect(
      checkTimestampWindow({
        signatureTimestampNs: c.signature_ts,
        latestBlockTimeNs: c.latest_block_time_ns,
        expirationS: c.expiration_s,
        advanceS: c.advance_s,
        extraNs: c.extra_ns,
      }),
    ).toEqual({ accepted: c.accepted, error: c.error });
  });
  it("defaults to mainnet's 60 s / 30 s and refuses malformed timestamps", () => {
    const block = 1_000_000_000_000n;
    expect(checkTimestampWindow({ signatureTimestampNs: block - 60_000_000_000n, latestBlockTimeNs: block }).accepted).toBe(true);
    expect(checkTimestampWindow({ signatureTimestampNs: block + 30_000_000_001n, latestBlockTimeNs: block }).error).toBe("signature is in the future");
    expect(() => checkTimestampWindow({ signatureTimestampNs: "1.5", latestBlockTimeNs: block })).toThrow(InvalidArgumentError);
  });
});
