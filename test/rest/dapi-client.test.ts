/**
 * The public-API client against a loopback node answering as v0.2.13 does (rest-upgrades.md §2),
 * with the signed routes checked against golden vectors: payload retrieval
 * (`inference-upgrades.json` `payloadRetrieval`) and PoC v2 proof requests (`poc-v2.json`
 * `go.proof_signing`).
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import { createDapiClient, HttpError, ServiceUnavailableError, type PocProofsRequest } from "../../src/dapi/index.js";
import { activeParticipants, INFERENCE_ID, startFakeDapi, TA_ADDRESS } from "./helpers/fake-dapi.js";
import { json, type TestServer } from "./helpers/server.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
const payloadVector = (JSON.parse(fixture("inference-upgrades.json")) as {
  payloadRetrieval: { request: { path: string; validator_private_key_hex: string; validator_address: string; epoch_id: number; timestamp_ns: string; signed_string: string; headers: Record<string, string> }; response_signature: { inference_id: string; prompt_payload: string; executor_signature: string } };
}).payloadRetrieval;
const pocText = fixture("poc-v2.json");
const proofVector = (JSON.parse(pocText) as { go: { proof_signing: { request: { count: number; leaf_indices: number[]; model_id: string; poc_stage_start_block_height: number; root_hash: string; signed_bytes_ascii: string; validator_address: string; validator_signer_address: string }; response: { proofs: unknown[] } } } }).go.proof_signing;
// The vector's timestamp exceeds 2^53: read it from the raw text.
const PROOF_TIMESTAMP = /"timestamp":\s*(\d+)/.exec(pocText.slice(pocText.indexOf('"proof_signing"')))![1]!;

/** Cosmos secp256k1 signature (64-byte r‖s, low-S) over SHA-256 of the bytes, as the node verifies. */
const cosmosSign = (privateKeyHex: string) => (bytes: Uint8Array) => secp256k1.sign(sha256(bytes), Buffer.from(privateKeyHex, "hex"), { prehash: false, lowS: true, format: "compact" });

/** An independent implementation of the proof-request payload (poc-v2.md §9.4), for the test only. */
function proofRequestPayload(r: Omit<PocProofsRequest, "signature">): Uint8Array {
  const parts: Buffer[] = [];
  const le = (v: bigint | number, bytes: 4 | 8) => {
    const b = Buffer.alloc(bytes);
    if (bytes === 8) b.writeBigUInt64LE(BigInt(v));
    else b.writeUInt32LE(Number(v));
    parts.push(b);
  };
  const str = (s: string) => {
    le(Buffer.byteLength(s), 4);
    parts.push(Buffer.from(s));
  };
  le(BigInt(String(r.poc_stage_start_block_height)), 8);
  str(r.model_id);
  parts.push(Buffer.from(r.root_hash, "base64"));
  le(Number(r.count), 4);
  le(r.leaf_indices.length, 4);
  for (const i of r.leaf_indices) le(Number(i), 4);
  le(BigInt(String(r.timestamp)), 8);
  str(r.validator_address);
  str(r.validator_signer_address);
  return new TextEncoder().encode(Buffer.from(sha256(Buffer.concat(parts))).toString("hex"));
}

const VALIDATOR_KEY = payloadVector.request.validator_private_key_hex;
let proofBodies: unknown[] = [];

let server: TestServer;
let dapi: ReturnType<typeof createDapiClient>;
beforeAll(async () => {
  ({ server } = await startFakeDapi({
    "GET /v1/inference/payloads": (req) => {
      const h = payloadVector.request.headers;
      if (req.query.get("inference_id") !== payloadVector.response_signature.inference_id) return json(404, { error: "payload not found" });
      if (!req.headers.authorization) return json(401, { error: "Authorization header required" });
      if (req.headers["x-validator-address"] !== h["X-Validator-Address"] || req.headers["x-epoch-id"] !== h["X-Epoch-Id"] || req.headers["x-timestamp"] !== h["X-Timestamp"]) return json(400, { error: "request timestamp too old" });
      if (req.headers.authorization !== h.Authorization) return json(401, { error: "invalid signature" });
      return json(200, { inference_id: payloadVector.response_signature.inference_id, prompt_payload: Buffer.from(payloadVector.response_signature.prompt_payload).toString("base64"), response_payload: "e30=", executor_signature: payloadVector.response_signature.executor_signature });
    },
    "POST /v1/poc/proofs": (req) => {
      proofBodies.push(req.json);
      const body = req.json as PocProofsRequest;
      const key = secp256k1.getPublicKey(Buffer.from(VALIDATOR_KEY, "hex"), true);
      const ok = secp256k1.verify(Buffer.from(body.signature, "base64"), sha256(proofRequestPayload(body)), key, { prehash: false, lowS: true, format: "compact" });
      if (!ok) return json(401, { error: "invalid signature" });
      return json(200, { ...proofVector.response, signer_address: TA_ADDRESS, timestamp: "1767225600123456789", signature: "A".repeat(86) + "==" });
    },
    "GET /v1/poc/artifacts/state": (req) => json(200, { poc_stage_start_block_height: Number(req.query.get("height")), model_id: req.query.get("model_id"), count: 1000, root_hash: Buffer.from(proofVector.request.root_hash, "hex").toString("base64") }),
  }));
  dapi = createDapiClient({ baseUrl: server.url, retries: 0 });
});
afterAll(() => server.close());
const last = () => server.requests.at(-1);

describe("createDapiClient", () => {
  it("reads status and versions", async () => {
    await expect(dapi.status()).resolves.toEqual({ status: "ok" });
    await expect(dapi.versions()).resolves.toMatchObject({ api_version: { application_name: "decentralized-api", commit: "312044d2" } });
  });

  it("reads an account as {pubkey, balance, denom} (balance present at 0), also at /v2/accounts", async () => {
    await expect(dapi.participants.get(TA_ADDRESS)).resolves.toEqual({ pubkey: "A1sE0eYq6Vb0V7o5Rk0wq5R4n9WmJ3bFZ2fK3x8Y9Z0a", balance: 0, denom: "ngonka" });
    await expect(dapi.accounts.get(TA_ADDRESS)).resolves.toEqual({ pubkey: "A1sE0eYq6Vb0V7o5Rk0wq5R4n9WmJ3bFZ2fK3x8Y9Z0a", balance: 0, denom: "ngonka" });
    expect(last()?.path).toBe(`/v2/accounts/${TA_ADDRESS}`);
  });

  it("explains the 404s for an account never seen on chain or without a public key, and the 400 for a bad address", async () => {
    const e = (await dapi.participants.get("gonka1new").catch((x: unknown) => x)) as HttpError;
    expect(e).toBeInstanceOf(HttpError);
    expect([e.status, e.serverMessage]).toEqual([404, "account not found"]);
    expect(e.details).toMatch(/participants\.register/);
    const noKey = (await dapi.participants.get("gonka1nokey").catch((x: unknown) => x)) as HttpError;
    expect([noKey.status, noKey.serverMessage]).toEqual([404, "account has no public key"]);
    expect(noKey.details).toMatch(/never signed a transaction/);
    const bad = (await dapi.accounts.get("cosmos1xyz").catch((x: unknown) => x)) as HttpError;
    expect([bad.status, bad.serverMessage]).toEqual([400, "invalid address"]);
  });

  it("reads the chain's participant record at /v2/participants and the signed identity", async () => {
    await expect(dapi.participants.record(TA_ADDRESS)).resolves.toMatchObject({ participant: { address: TA_ADDRESS, status: 1, current_epoch_stats: { invalidLLR: { value: -25, exponent: -1 } } } });
    await expect(dapi.identity()).resolves.toMatchObject({ data: { address: TA_ADDRESS, block: 3_450_200 } });
  });

  it("lists participants with balances as numbers", async () => {
    const list = await dapi.participants.list();
    expect(list.block_height).toBe(1_210_000);
    expect(list.participants?.[0]).toMatchObject({ id: TA_ADDRESS, balance: 9_000_000_000_000, voting_power: 4231 });
  });

  it("registers a developer with {address, pub_key} only (empty 200), refusing other bodies before sending", async () => {
    await expect(dapi.participants.register({ address: "gonka1dev", pub_key: "A1sE0eYq6Vb0V7o5Rk0wq5R4n9WmJ3bFZ2fK3x8Y9Z0a" })).resolves.toBeUndefined();
    expect(last()?.json).toEqual({ address: "gonka1dev", pub_key: "A1sE0eYq6Vb0V7o5Rk0wq5R4n9WmJ3bFZ2fK3x8Y9Z0a" });
    const before = server.requests.length;
    await expect(dapi.participants.register({ url: "http://me:8000", validator_key: "m2lY" } as never)).rejects.toThrow(InvalidArgumentError);
    await expect(dapi.participants.register({ address: "gonka1dev", pub_key: "02" + "ab".repeat(32) })).rejects.toThrow(/base64/);
    expect(server.requests.length).toBe(before);
  });

  it("reads the latest epoch with phase and stages", async () => {
    const epoch = await dapi.epochs.latest();
    expect(epoch).toMatchObject({ phase: "Inference", latest_epoch: { index: 41, poc_start_block_height: 1_209_600 } });
    expect(epoch.epoch_stages?.poc_validation_exchange_window).toEqual({ start: 1_209_671, end: 1_209_695 });
  });

  it("reads current-epoch participants with the proof fields, by name or number", async () => {
    await expect(dapi.epochs.participants()).resolves.toEqual(activeParticipants);
    expect(last()?.path).toBe("/v1/epochs/current/participants");
    await dapi.epochs.participants(41n);
    expect(last()?.path).toBe("/v1/epochs/41/participants");
    expect(() => dapi.epochs.participants(0)).toThrow(InvalidArgumentError);
    const e = (await dapi.epochs.participants(40).catch((x: unknown) => x)) as HttpError;
    expect([e.status, e.details]).toEqual([404, "The chain stored no active participants for this epoch (PoC failed or the epoch is too old)."]);
  });

  it("lists models from the OpenAI list (data), governance models (null → []) and the legacy list, and prices", async () => {
    await expect(dapi.models.list()).resolves.toMatchObject([{ object: "model", id: "Qwen/Qwen2.5-7B-Instruct", hugging_face_id: "Qwen/Qwen2.5-7B-Instruct", context_length: 32768 }]);
    await expect(dapi.models.governance()).resolves.toEqual([]);
    await expect(dapi.models.governanceLegacy()).resolves.toMatchObject([{ id: "Qwen/Qwen2.5-7B-Instruct", validation_threshold: { value: 85, exponent: -2 } }]);
    await expect(dapi.pricing.get()).resolves.toMatchObject({ unit_of_compute_price: 100, dynamic_pricing_enabled: false, models: [{ price_per_token: 10000 }] });
    await expect(dapi.pricing.forModel("Qwen/Qwen2.5-7B-Instruct")).resolves.toEqual({ id: "Qwen/Qwen2.5-7B-Instruct", units_of_compute_per_token: 100, price_per_token: 12500, capacity: 1000000, utilization: 0.42 });
    await expect(dapi.pricing.forModel("nope")).resolves.toBeUndefined();
    await expect(dapi.pricing.governance()).resolves.toMatchObject({ dynamic_pricing_enabled: true });
  });

  it("looks up an inference with GET /v1/chat/completions?id=, query-encoding + / =", async () => {
    const inf = await dapi.inferences.get(INFERENCE_ID);
    expect(inf).toMatchObject({ inference_id: INFERENCE_ID, status: 1, actual_cost: 520000 });
    // Known limitation (docs/rest.md): 64-bit JSON numbers above 2^53 are rounded by JSON.parse.
    expect(inf.request_timestamp).toBe(Number("1795298400123456789"));
    expect(last()?.path).toBe("/v1/chat/completions");
    expect(last()?.query.get("id")).toBe(INFERENCE_ID);
    const e = (await dapi.inferences.get("missing").catch((x: unknown) => x)) as HttpError;
    expect([e.status, e.serverMessage]).toEqual([404, "Inference not found"]);
    // The August-2025 route is gone: a client still using it gets the node's bare 404.
    const old = await fetch(`${server.url}/v1/chat/completions/${encodeURIComponent(INFERENCE_ID)}`);
    expect(old.status).toBe(404);
  });

  it("fetches an inference's payloads from its executor, signing as the payloadRetrieval vector does", async () => {
    const r = payloadVector.request;
    const answer = await dapi.inferences.payloads(payloadVector.response_signature.inference_id, {
      validatorAddress: r.validator_address,
      epochId: r.epoch_id,
      timestampNs: r.timestamp_ns,
      sign: (bytes) => {
        expect(new TextDecoder().decode(bytes)).toBe(r.signed_string);
        return cosmosSign(VALIDATOR_KEY)(bytes);
      },
    });
    expect(answer.executor_signature).toBe(payloadVector.response_signature.executor_signature);
    expect(Buffer.from(answer.prompt_payload, "base64").toString()).toBe(payloadVector.response_signature.prompt_payload);
    const seen = last()!;
    expect(`${seen.path}?${seen.query.toString()}`).toBe(r.path);
    expect(seen.headers.authorization).toBe(r.headers.Authorization);
    await expect(dapi.inferences.payloads("x", { validatorAddress: r.validator_address, epochId: 1, sign: () => new Uint8Array(63) })).rejects.toThrow(/64-byte/);
  });

  it("reads PoC batches of a stage by block height", async () => {
    const r = await dapi.pocBatches.get(1_209_600n);
    expect(r.poc_batch?.[0]?.poc_batch?.[0]).toMatchObject({ nonces: [17, 99, 4096], dist: [1.21, 1.33, 1.4], received_at_block_height: 1_209_603 });
  });

  it("reads BLS epoch data and signing status (null when unknown; hex only)", async () => {
    await expect(dapi.bls.epoch(41)).resolves.toMatchObject({ epoch_id: 41 });
    await expect(dapi.bls.signingStatus("00ff")).resolves.toEqual({ signing_request: { request_id: "AP8=", status: 2 } });
    await expect(dapi.bls.signingStatus("abcd")).resolves.toEqual({ signing_request: null });
    expect(() => dapi.bls.signingStatus("AP8=")).toThrow(/hex/);
  });

  it("reads restrictions status, exemptions and usage", async () => {
    await expect(dapi.restrictions.status()).resolves.toMatchObject({ is_active: true });
    await expect(dapi.restrictions.exemptions()).resolves.toMatchObject({ exemptions: [{ exemption_id: "team" }] });
    await expect(dapi.restrictions.usage("team", "gonka1a")).resolves.toEqual({ usage_entries: [{ exemption_id: "team", account_address: "gonka1a", usage_count: 2 }] });
  });

  it("reads the stats routes (Unix ms, epochs_n) and types the 503 of a node without a stats store", async () => {
    await expect(dapi.stats.models({ timeFrom: 1_781_800_000_000 })).resolves.toEqual({ stats_models: [{ model: "Qwen/Qwen2.5-7B-Instruct", ai_tokens: 123456, inferences: 42 }] });
    expect(last()?.query.get("time_from")).toBe("1781800000000");
    await expect(dapi.stats.developerInferences("gonka1dev")).resolves.toMatchObject({ stats: [{ epoch_id: 41, inference: { status: "FINISHED" } }] });
    await expect(dapi.stats.developerSummaryEpochs("gonka1dev", 3)).resolves.toEqual({ ai_tokens: 52, inferences: 1, actual_inferences_cost: 520000 });
    await expect(dapi.stats.summaryEpochs(5)).resolves.toMatchObject({ inferences: 70 });
    expect(last()?.query.get("epochs_n")).toBe("5");
    const off = await dapi.stats.summaryTime().catch((x: unknown) => x);
    expect(off).toBeInstanceOf(ServiceUnavailableError);
    expect(() => dapi.stats.models({ timeFrom: 1_781_800_000 })).toThrow(/milliseconds/);
    expect(() => dapi.stats.summaryEpochs(0)).toThrow(InvalidArgumentError);
  });

  it("signs a PoC v2 proof request with a signer callback; the payload matches go.proof_signing", async () => {
    const v = proofVector.request;
    const unsigned = {
      poc_stage_start_block_height: String(v.poc_stage_start_block_height),
      model_id: v.model_id,
      root_hash: Buffer.from(v.root_hash, "hex").toString("base64"),
      count: String(v.count),
      leaf_indices: v.leaf_indices.map(String),
      validator_address: v.validator_address,
      validator_signer_address: v.validator_signer_address,
      timestamp: PROOF_TIMESTAMP,
    };
    expect(new TextDecoder().decode(proofRequestPayload(unsigned))).toBe(v.signed_bytes_ascii);

    proofBodies = [];
    const answer = await dapi.submitPocProofs(
      {
        pocStageStartBlockHeight: BigInt(v.poc_stage_start_block_height),
        modelId: v.model_id,
        rootHash: Buffer.from(v.root_hash, "hex"),
        count: v.count,
        leafIndices: [5, 0, 17],
        validatorAddress: v.validator_address,
        validatorSignerAddress: v.validator_signer_address,
        timestampNs: PROOF_TIMESTAMP,
      },
      { payload: proofRequestPayload, sign: cosmosSign(VALIDATOR_KEY) },
    );
    expect(answer.proofs).toHaveLength(2);
    expect(answer.proofs[0]).toMatchObject({ leaf_index: 5, nonce_value: 11, proof: ["SBNJTRN+FjG7owHVrKtue7eqdM4RhdRWVl71HXN2d7I="] });
    expect(proofBodies[0]).toMatchObject({ poc_stage_start_block_height: "3450120", count: "1000", leaf_indices: ["5", "0", "17"], timestamp: PROOF_TIMESTAMP, root_hash: unsigned.root_hash });
    // An already-signed request is sent as is.
    const signed = { ...(proofBodies[0] as PocProofsRequest) };
    await expect(dapi.submitPocProofs(signed)).resolves.toMatchObject({ signer_address: TA_ADDRESS });
    expect(proofBodies[1]).toEqual(signed);
  });

  it("refuses a proof request the node would refuse, before signing", async () => {
    const base = { pocStageStartBlockHeight: 1, modelId: "m", rootHash: new Uint8Array(32), count: 10, validatorAddress: "gonka1v", validatorSignerAddress: "gonka1w" };
    const signer = { payload: () => new Uint8Array(64), sign: () => new Uint8Array(64) };
    const before = server.requests.length;
    await expect(dapi.submitPocProofs({ ...base, leafIndices: [10] }, signer)).rejects.toThrow(/not below count 10/);
    await expect(dapi.submitPocProofs({ ...base, leafIndices: Array.from({ length: 501 }, (_, i) => i % 10) }, signer)).rejects.toThrow(/1 to 500/);
    await expect(dapi.submitPocProofs({ ...base, rootHash: new Uint8Array(31), leafIndices: [1] }, signer)).rejects.toThrow(/32 bytes/);
    await expect(dapi.submitPocProofs({ ...base, leafIndices: [1] })).rejects.toThrow(/signer/);
    expect(server.requests.length).toBe(before);
  });

  it("reads a participant's artifact store state", async () => {
    await expect(dapi.pocArtifactsState(3_450_120n, "moonshotai/Kimi-K2.6")).resolves.toEqual({ poc_stage_start_block_height: 3_450_120, model_id: "moonshotai/Kimi-K2.6", count: 1000, root_hash: Buffer.from(proofVector.request.root_hash, "hex").toString("base64") });
    expect(last()?.query.toString()).toBe("height=3450120&model_id=moonshotai%2FKimi-K2.6");
  });

  it("verifies proofs and blocks (typed error when invalid)", async () => {
    await expect(dapi.verify.block({ block: { header: { height: "5" } }, validators: [{ pub_key: "m2lY", voting_power: 10 }] })).resolves.toBeUndefined();
    await expect(dapi.verify.proof({ value: "0a", app_hash: "ff", proof_ops: { ops: [] }, epoch: 41 })).resolves.toBeUndefined();
    const e = (await dapi.verify.proof({ value: "00", app_hash: "ff", proof_ops: { ops: [] }, epoch: 41 }).catch((x: unknown) => x)) as HttpError;
    expect([e.status, e.serverMessage]).toEqual([400, "proof verification failed: value mismatch"]);
  });

  it("reads the plain-text debug routes", async () => {
    await expect(dapi.debug.pubkeyToAddress("035b04d1e62ae956f457ba39464d30ab91e27f5a")).resolves.toBe(TA_ADDRESS);
    await expect(dapi.debug.verifyBlock(100)).resolves.toBe("Block signatures verified");
  });

  it("reads bridge status and addresses (POST /v1/bridge/block moved to the admin API)", async () => {
    await expect(dapi.bridge.status()).resolves.toMatchObject({ pendingBlocksCount: 1, readyToProcess: false });
    await expect(dapi.bridge.addresses("ethereum")).resolves.toEqual({ chain_name: "ethereum", chain_id: "1", addresses: ["0xBridge"] });
    expect(() => dapi.bridge.addresses("")).toThrow(InvalidArgumentError);
    expect((await fetch(`${server.url}/v1/bridge/block`, { method: "POST", body: "{}" })).status).toBe(404);
  });

  it("works behind the nginx /api prefix", async () => {
    const prefixed = createDapiClient({ baseUrl: `${server.url}/api` });
    const e = (await prefixed.status().catch((x: unknown) => x)) as HttpError;
    expect(e.url).toBe(`${server.url}/api/v1/status`);
    expect(e.status).toBe(404);
  });
});
