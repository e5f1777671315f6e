/**
 * A loopback network-node public API answering as `spec/rest-upgrades.md` §2 says v0.2.13 does (Go
 * encoding/json: omitempty, numbers for 64-bit ints, integer enums, `{"error": …}`), written
 * independently of the SDK. Routes removed since August 2025 (`GET /v1/chat/completions/:id`,
 * `/v1/training/*`, `POST /v1/bridge/block`) are not served: they answer echo's 404.
 */
import { json, startServer, type Reply, type SeenRequest, type TestServer } from "./server.js";

export const TA_ADDRESS = "gonka1ta0000000000000000000000000000000000ta";
export const INFERENCE_ID = "q0Zk+/mX9c3sH1vXWcQ2tO8Zs5l3yD2z7c1Q0bq1y8Zc4fJkQ2m7Xn4Jt9uYb6P5dQ3rWvS1uT2x0A8mB7nL+w==";

export const activeParticipants = {
  active_participants: {
    participants: [
      {
        index: TA_ADDRESS,
        validator_key: "m2lYk3n0Q4m8lJ1bW9qKxY6f5c2sT0vR3pA7eZ1uN8o=",
        weight: 4231,
        inference_url: "http://ta.example:8000",
        models: ["Qwen/Qwen2.5-7B-Instruct"],
        seed: { participant: TA_ADDRESS, epoch_index: 41, signature: "3045022100ab" },
        ml_nodes: [{ ml_nodes: [{ node_id: "node1", poc_weight: 4231, timeslot_allocation: [true, false] }] }],
      },
    ],
    epoch_group_id: 88,
    poc_start_block_height: 1_209_600,
    effective_block_height: 1_209_700,
    created_at_block_height: 1_209_690,
    epoch_id: 41,
  },
  addresses: ["7A3F0C5E2B1D4F6A8C9E0B1D2F3A4C5E6B7D8F90"],
  active_participants_bytes: "0a2c676f6e6b61",
  proof_ops: { ops: [{ type: "ics23:iavl", key: "QWN0aXZlUGFydGljaXBhbnRz", data: "CgIKAA==" }] },
  validators: [{ address: "7A3F0C5E2B1D4F6A8C9E0B1D2F3A4C5E6B7D8F90", voting_power: 4231 }],
  block: null,
};

const model = { proposed_by: "genesis", id: "Qwen/Qwen2.5-7B-Instruct", units_of_compute_per_token: 100, hf_repo: "Qwen/Qwen2.5-7B-Instruct", hf_commit: "a09a3545", model_args: ["--quantization", "fp8"], v_ram: 24, throughput_per_nonce: 10000, validation_threshold: { value: 85, exponent: -2 } };

/** Routes a test adds (e.g. the signed PoC proof and payload routes, which check vectors). */
export type ExtraRoutes = Record<string, (req: SeenRequest) => Reply | Promise<Reply>>;

export async function startFakeDapi(extraRoutes: ExtraRoutes = {}): Promise<{ server: TestServer; url: string }> {
  const idOf = (req: SeenRequest, i: number) => decodeURIComponent(req.path.split("/")[i] ?? "");
  /** `AccountByAddress` with the node's gRPC → HTTP mapping (v0.2.12+). */
  const account = (address: string): Reply => {
    if (!address.startsWith("gonka1")) return json(400, { error: "invalid address" });
    if (address === TA_ADDRESS) return json(200, { pubkey: "A1sE0eYq6Vb0V7o5Rk0wq5R4n9WmJ3bFZ2fK3x8Y9Z0a", balance: 0, denom: "ngonka" });
    if (address === "gonka1nokey") return json(404, { error: "account has no public key" });
    return json(404, { error: "account not found" });
  };
  const statsRange = (req: SeenRequest): Reply | undefined => {
    for (const key of ["time_from", "time_to"]) {
      const v = req.query.get(key);
      if (v !== null && Number(v) < 1e12) return json(400, { error: `${key} must be in milliseconds` });
    }
    return undefined;
  };
  const epochsN = (req: SeenRequest): Reply | undefined => (Number(req.query.get("epochs_n") ?? 0) > 0 ? undefined : json(400, { error: "epochs_n must be greater than 0" }));
  const server = await startServer({
    "GET /v1/status": () => json(200, { status: "ok" }),
    "GET /v1/versions": () => json(200, { timestamp: "2026-11-21T22:00:00Z", api_version: { application_name: "decentralized-api", version: "0.2.3", commit: "312044d2" }, node_version: { application_name: "inferenced", version: "0.2.3", commit: "312044d2" } }),
    "GET /v1/participants/:address": (req) => account(idOf(req, 3)),
    "GET /v2/accounts/:address": (req) => account(idOf(req, 3)),
    "GET /v2/participants/:address": (req) =>
      idOf(req, 3) === TA_ADDRESS
        ? json(200, { participant: { index: TA_ADDRESS, address: TA_ADDRESS, weight: 4231, inference_url: "http://ta.example:8000", status: 1, epochs_completed: 40, current_epoch_stats: { inference_count: 12, invalidLLR: { value: -25, exponent: -1 } } } })
        : json(404, { error: "participant not found" }),
    "GET /v1/identity": () => json(200, { data: { address: TA_ADDRESS, block: 3_450_200, timestamp: "2026-06-20T10:00:00Z" }, signature: "A".repeat(86) + "==" }),
    "GET /v1/participants": () => json(200, { participants: [{ id: TA_ADDRESS, url: "http://ta.example:8000", coins_owed: 1500, refunds_owed: 0, balance: 9_000_000_000_000, voting_power: 4231, reputation: 0 }], block_height: 1_210_000 }),
    "POST /v1/participants": (req) => {
      const body = req.json as Record<string, string>;
      if (body.address && body.pub_key) return { status: 200, raw: "" };
      return json(400, { error: "Address and PubKey are required" });
    },
    "GET /v1/epochs/latest": () =>
      json(200, {
        block_height: 1_210_000,
        latest_epoch: { index: 41, poc_start_block_height: 1_209_600 },
        phase: "Inference",
        epoch_stages: { epoch_index: 41, poc_start: 1_209_600, poc_generation_wind_down: 1_209_650, poc_generation_end: 1_209_660, poc_validation_start: 1_209_670, poc_validation_wind_down: 1_209_680, poc_validation_end: 1_209_690, set_new_validators: 1_209_691, claim_money: 1_209_692, inference_validation_cutoff: 1_224_000, next_poc_start: 1_224_000, poc_exchange_window: { start: 1_209_601, end: 1_209_665 }, poc_validation_exchange_window: { start: 1_209_671, end: 1_209_695 } },
        next_epoch_stages: { epoch_index: 42, poc_start: 1_224_000 },
        epoch_params: { epoch_length: 14400, poc_stage_duration: 60, poc_validation_duration: 20 },
      }),
    "GET /v1/epochs/:epoch": () => json(400, { error: "Only getting info for current epoch is supported at the moment" }),
    "GET /v1/epochs/:epoch/participants": (req) => {
      const epoch = idOf(req, 3);
      if (epoch === "current" || epoch === "41") return json(200, activeParticipants);
      if (epoch === "0") return json(400, { error: "Epoch enumeration starts with 1" });
      return json(404, { error: "No active participants found for epoch " + epoch + ". Looks like PoC failed!" });
    },
    "GET /v1/pricing": () => json(200, { unit_of_compute_price: 100, models: [{ id: model.id, units_of_compute_per_token: 100, price_per_token: 10000 }], dynamic_pricing_enabled: false }),
    "GET /v1/governance/pricing": () => json(200, { unit_of_compute_price: 100, models: [{ id: model.id, units_of_compute_per_token: 100, price_per_token: 12500, capacity: 1000000, utilization: 0.42 }, { id: "Qwen/QwQ-32B", units_of_compute_per_token: 1000, price_per_token: 100000 }], dynamic_pricing_enabled: true }),
    "GET /v1/models": () =>
      json(200, { object: "list", data: [{ object: "model", id: model.id, hugging_face_id: model.hf_repo, name: model.id, created: 1_781_900_000, input_modalities: ["text"], output_modalities: ["text"], context_length: 32768, max_output_length: 32768 }] }),
    "GET /v1/governance/models": () => json(200, { models: null }),
    "GET /v1/governance/models-legacy": () => json(200, { model: [model] }),
    "GET /v1/chat/completions": (req) => {
      const id = req.query.get("id") ?? "";
      if (!id) return json(400, { error: "Invalid inference ID" });
      if (id !== INFERENCE_ID) return json(404, { error: "Inference not found" });
      const reply = json(200, { index: id, inference_id: id, prompt_hash: "9f86d0", response_hash: "2c26b4", prompt_token_count: 12, completion_token_count: 40, requested_by: "gonka1dev", executed_by: TA_ADDRESS, status: 1, start_block_height: 1_209_990, end_block_height: 1_209_992, model: model.id, max_tokens: 5000, actual_cost: 520000, escrow_amount: 50120000, epoch_id: 41, transferred_by: TA_ADDRESS, request_timestamp: "__NS__", per_token_price: 10000 });
      // Go writes int64 as a bare JSON number, even above 2^53.
      return { ...reply, raw: reply.raw?.replace('"__NS__"', "1795298400123456789") };
    },
    "GET /v1/poc-batches/:height": (req) => {
      const h = idOf(req, 3);
      if (!/^\d+$/.test(h)) return json(400, { error: "invalid block height" });
      return json(200, { poc_batch: [{ participant: TA_ADDRESS, pub_key: "A1sE0eYq", hex_pub_key: "035b04d1e62ae956f457ba39464d30ab91e27f5a", poc_batch: [{ participant_address: TA_ADDRESS, poc_stage_start_block_height: Number(h), received_at_block_height: Number(h) + 3, nonces: [17, 99, 4096], dist: [1.21, 1.33, 1.4], batch_id: "6f1c1d0a-2f4e-4b7e-9c2d-3a1b5c7d9e0f", node_id: "node1" }] }] });
    },
    "GET /v1/bls/epoch/:id": (req) => json(200, { epoch_id: Number(idOf(req, 4)), i_total_slots: 100, t_slots_degree: 50, dkg_phase: 3 }),
    "GET /v1/bls/signatures/:id": (req) => (/^[0-9a-fA-F]+$/.test(idOf(req, 4)) ? json(200, { signing_request: idOf(req, 4) === "00ff" ? { request_id: "AP8=", status: 2 } : null }) : json(400, { error: "Invalid request ID format (must be hex-encoded)" })),
    "GET /v1/restrictions/status": () => json(200, { is_active: true, restriction_end_block: 1_555_000, remaining_blocks: 345_000 }),
    "GET /v1/restrictions/exemptions": () => json(200, { exemptions: [{ exemption_id: "team", from_address: "gonka1a", to_address: "gonka1b", max_amount: "1000", usage_limit: 5, expiry_block: 2_000_000 }] }),
    "GET /v1/restrictions/exemptions/:id/usage/:account": (req) => json(200, { usage_entries: [{ exemption_id: idOf(req, 4), account_address: idOf(req, 6), usage_count: 2 }] }),
    "GET /v1/stats/models": (req) => statsRange(req) ?? json(200, { stats_models: [{ model: model.id, ai_tokens: 123456, inferences: 42 }] }),
    "GET /v1/stats/developers/:dev/inferences": (req) => statsRange(req) ?? json(200, { stats: [{ epoch_id: 41, timestamp: 1_781_899_864_123, inference: { inference_id: INFERENCE_ID, epoch_id: 41, status: "FINISHED", total_token_count: 52, model: model.id, actual_cost_in_coins: 520000 } }] }),
    "GET /v1/stats/developers/:dev/summary/epochs": (req) => epochsN(req) ?? json(200, { ai_tokens: 52, inferences: 1, actual_inferences_cost: 520000 }),
    "GET /v1/stats/summary/epochs": (req) => epochsN(req) ?? json(200, { ai_tokens: 9000, inferences: 70, actual_inferences_cost: 9_000_000 }),
    "GET /v1/stats/summary/time": () => json(503, { error: "stats storage is not configured" }),
    "GET /v1/bridge/addresses": (req) => (req.query.get("chain") ? json(200, { chain_name: req.query.get("chain"), chain_id: "1", addresses: ["0xBridge"] }) : json(400, { error: "chain query parameter is required" })),
    "POST /v1/verify-proof": (req) => ((req.json as { value?: string }).value === "00" ? json(400, { error: "proof verification failed: value mismatch" }) : { status: 200, raw: "" }),
    "POST /v1/verify-block": () => ({ status: 200, raw: "" }),
    "GET /v1/debug/pubkey-to-addr/:pk": () => ({ status: 200, raw: TA_ADDRESS, headers: { "content-type": "text/plain; charset=UTF-8" } }),
    "GET /v1/debug/verify/:height": () => ({ status: 200, raw: "Block signatures verified", headers: { "content-type": "text/plain; charset=UTF-8" } }),
    ...extraRoutes,
    "GET /v1/bridge/status": () => json(200, { pendingBlocksCount: 1, pendingReceiptsCount: 2, blockCountByNumber: { "100": 1 }, earliestBlockNumber: "100", latestBlockNumber: "100", readyToProcess: false, minBlocksBeforeProcessing: 6 }),
  });
  return { server, url: server.url };
}
