/**
 * A loopback network-node public API answering as `spec/rest-apis.md` §4 says (Go encoding/json:
 * omitempty, numbers for 64-bit ints, integer enums, `{"error": …}`), written independently of the SDK.
 */
import { json, startServer, type SeenRequest, type TestServer } from "./server.js";

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

export async function startFakeDapi(): Promise<{ server: TestServer; url: string }> {
  const idOf = (req: SeenRequest, i: number) => decodeURIComponent(req.path.split("/")[i] ?? "");
  const server = await startServer({
    "GET /v1/status": () => json(200, { status: "ok" }),
    "GET /v1/versions": () => json(200, { timestamp: "2026-11-21T22:00:00Z", api_version: { application_name: "decentralized-api", version: "0.2.3", commit: "312044d2" }, node_version: { application_name: "inferenced", version: "0.2.3", commit: "312044d2" } }),
    "GET /v1/participants/:address": (req) => {
      const address = idOf(req, 3);
      if (address === TA_ADDRESS) return json(200, { pubkey: "A1sE0eYq6Vb0V7o5Rk0wq5R4n9WmJ3bFZ2fK3x8Y9Z0a" });
      if (address.startsWith("gonka1")) return json(500, { error: "rpc error: code = NotFound desc = account " + address + " not found" });
      return json(500, { error: "rpc error: code = InvalidArgument desc = decoding bech32 failed" });
    },
    "GET /v1/participants": () => json(200, { participants: [{ id: TA_ADDRESS, url: "http://ta.example:8000", coins_owed: 1500, refunds_owed: 0, balance: 9_000_000_000_000, voting_power: 4231, reputation: 0 }], block_height: 1_210_000 }),
    "POST /v1/participants": (req) => {
      const body = req.json as Record<string, string>;
      if (body.address && body.pub_key) return { status: 200, raw: "" };
      return json(200, { id: "gonka1operator0000000000000000000000000000op", url: body.url, coins_owed: 0, refunds_owed: 0, balance: 0, voting_power: 0, reputation: 0 });
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
    "GET /v1/models": () => json(200, { models: [model] }),
    "GET /v1/governance/models": () => json(200, { models: null }),
    "GET /v1/chat/completions/:id": (req) => {
      const id = idOf(req, 4);
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
    "POST /v1/training/tasks": (req) => json(201, { task: { id: 7, requested_by: "gonka1op", hardware_resources: (req.json as { hardware_resources: unknown }).hardware_resources } }),
    "GET /v1/training/tasks": () => json(200, { tasks: [{ id: 7 }] }),
    "GET /v1/training/tasks/:id": (req) => (/^\d+$/.test(idOf(req, 4)) ? json(200, { task: { id: Number(idOf(req, 4)) } }) : json(400, { error: "invalid task id" })),
    "POST /v1/training/lock-nodes": () => ({ status: 200, raw: "" }),
    "POST /v1/verify-proof": (req) => ((req.json as { value?: string }).value === "00" ? json(400, { error: "proof verification failed: value mismatch" }) : { status: 200, raw: "" }),
    "POST /v1/verify-block": () => ({ status: 200, raw: "" }),
    "GET /v1/debug/pubkey-to-addr/:pk": () => ({ status: 200, raw: TA_ADDRESS, headers: { "content-type": "text/plain; charset=UTF-8" } }),
    "GET /v1/debug/verify/:height": () => ({ status: 200, raw: "Block signatures verified", headers: { "content-type": "text/plain; charset=UTF-8" } }),
    "POST /v1/bridge/block": (req) => {
      const b = req.json as { blockNumber?: string; receipts?: unknown[] };
      if (!b.blockNumber) return json(400, { error: "Required fields missing: blockNumber, receiptsRoot, originChain" });
      return json(200, { status: "success", message: "Block queued for processing", blockNumber: b.blockNumber, receiptsCount: b.receipts?.length ?? 0, queueSize: 1 });
    },
    "GET /v1/bridge/status": () => json(200, { pendingBlocksCount: 1, pendingReceiptsCount: 2, blockCountByNumber: { "100": 1 }, earliestBlockNumber: "100", latestBlockNumber: "100", readyToProcess: false, minBlocksBeforeProcessing: 6 }),
  });
  return { server, url: server.url };
}
