/**
 * A loopback network-node admin API answering as `spec/rest-upgrades.md` §4 says v0.2.13 does
 * (echo + Go encoding/json: `{"error": …}`, POST/PUT nodes as an upsert with 400 "failed to create
 * node: …", nodes/batch with 201/206/400, `ml_node_version`/`preserved_models` in the state, a bare
 * boolean from DELETE, the operations routes), written independently of the SDK.
 */
import { json, startServer, type Reply, type SeenRequest, type TestServer } from "./server.js";

export interface FakeAdmin {
  server: TestServer;
  url: string;
  nodes: Map<string, { config: Record<string, unknown>; num: number; enabled: boolean }>;
  upgradePlan: string | null;
}

const GOVERNANCE_MODELS = new Set(["Qwen/Qwen2.5-7B-Instruct", "Qwen/QwQ-32B"]);

export async function startFakeAdmin(): Promise<FakeAdmin> {
  const state: Omit<FakeAdmin, "server" | "url"> = { nodes: new Map(), upgradePlan: null };
  let counter = 0;
  const needJson = (req: SeenRequest): Reply | undefined =>
    req.headers["content-type"]?.startsWith("application/json") ? undefined : json(400, { error: { message: "Unsupported Media Type" } });
  /** The node's validation; returns the reason or undefined, and registers (upsert) when valid. */
  const problem = (config: Record<string, unknown>): string | undefined => {
    const models = Object.keys((config.models as Record<string, unknown> | undefined) ?? {});
    if (!config.id) return "node id is required";
    if (!config.host) return "node host is required";
    if (!((config.poc_port as number) >= 1 && (config.poc_port as number) <= 65535)) return "poc_port must be between 1 and 65535";
    if (!((config.max_concurrent as number) > 0)) return "max_concurrent must be greater than 0";
    if (models.length === 0) return "at least one model is required";
    if (!models.every((m) => GOVERNANCE_MODELS.has(m))) return "one or more models are not valid governance models. Check logs for details.";
    return undefined;
  };
  const register = (config: Record<string, unknown>): void => {
    const existing = state.nodes.get(String(config.id));
    state.nodes.set(String(config.id), { config, num: existing?.num ?? ++counter, enabled: existing?.enabled ?? true });
  };
  const upsert = (req: SeenRequest): Reply => {
    if (req.json === undefined) return json(400, { error: "invalid request body: unexpected end of JSON input" });
    const why = problem(req.json as Record<string, unknown>);
    if (why) return json(400, { error: `failed to create node: ${why}` });
    register(req.json as Record<string, unknown>);
    return json(200, req.json);
  };
  const idOf = (req: SeenRequest) => decodeURIComponent(req.path.split("/")[4] ?? "");
  const toggle = (enabled: boolean) => (req: SeenRequest): Reply => {
    const node = state.nodes.get(idOf(req));
    if (!node) return json(404, { error: `node not found: ${idOf(req)}` });
    node.enabled = enabled;
    return json(200, { message: `node ${enabled ? "enabled" : "disabled"} successfully`, node_id: idOf(req) });
  };
  const reports = (version: string) =>
    Object.fromEntries([...state.nodes.keys()].map((id) => [id, version === "v3.0.8" ? { is_alive: true } : { is_alive: false, error: `dial tcp: no ${version} endpoint` }]));
  const server = await startServer({
    "GET /admin/v1/nodes": () =>
      json(
        200,
        [...state.nodes.values()].map(({ config, num, enabled }) => ({
          node: { ...config, node_num: num },
          state: {
            intended_status: "INFERENCE",
            current_status: "UNKNOWN",
            poc_intended_status: "IDLE",
            poc_current_status: "IDLE",
            lock_count: 0,
            failure_reason: "",
            status_timestamp: "2026-11-21T21:00:00Z",
            admin_state: enabled ? { enabled: true, epoch: 12 } : { epoch: 12 },
            epoch_models: { "Qwen/Qwen2.5-7B-Instruct": { proposed_by: "genesis", id: "Qwen/Qwen2.5-7B-Instruct", units_of_compute_per_token: 100, v_ram: 24, throughput_per_nonce: 10000, validation_threshold: { value: 85, exponent: -2 } } },
            epoch_ml_nodes: { "Qwen/Qwen2.5-7B-Instruct": { node_id: config.id, poc_weight: 1234, timeslot_allocation: [true, false] } },
            ml_node_version: "3.0.12",
            preserved_models: { "Qwen/Qwen2.5-7B-Instruct": true },
          },
        })),
      ),
    "POST /admin/v1/nodes": (req) => needJson(req) ?? upsert(req),
    "PUT /admin/v1/nodes/:id": (req) => needJson(req) ?? upsert(req),
    "POST /admin/v1/nodes/batch": (req) => {
      const all = req.json as Record<string, unknown>[];
      const errors: string[] = [];
      const ok = all.filter((c, i) => {
        const why = problem(c);
        if (why) errors.push(`node[${i}] (id: ${String(c.id ?? "")}): ${why}`);
        return !why;
      });
      if (ok.length === 0) return json(400, { error: { error: "all nodes failed validation", errors } });
      ok.forEach(register);
      return errors.length ? json(206, { nodes: ok, errors }) : json(201, ok);
    },
    "GET /admin/v1/nodes/upgrade-status": () => json(200, state.upgradePlan ? reports(state.upgradePlan) : { message: "No upgrade plan active" }),
    "POST /admin/v1/nodes/version-status": (req) => {
      const version = (req.json as { version?: string } | undefined)?.version;
      return version ? json(200, reports(version)) : json(400, { error: "Version field is required" });
    },
    "DELETE /admin/v1/nodes/:id": (req) => json(200, state.nodes.delete(idOf(req))),
    "POST /admin/v1/nodes/:id/enable": toggle(true),
    "POST /admin/v1/nodes/:id/disable": toggle(false),
    "GET /admin/v1/unit-of-compute-price-proposal": () => json(200, { proposal: { participant: "gonka1node", price: 150, proposed_at_block_height: 4242, proposed_at_epoch: 3 }, default: 100 }),
    "POST /admin/v1/unit-of-compute-price-proposal": (req) => {
      const denom = (req.json as { denom?: string }).denom ?? "";
      if (!["ngonka", "ugonka", "mgonka", "gonka"].includes(denom)) return json(400, { error: {} });
      return { status: 200, raw: "" };
    },
    "POST /admin/v1/models": (req) => needJson(req) ?? { status: 200, raw: "" },
    "POST /admin/v1/tx/send": (req) => {
      const messages = ((req.json as { body?: { messages?: unknown[] } }).body?.messages ?? []) as unknown[];
      if (messages.length === 0) return json(400, { error: "no messages found in tx" });
      return json(200, { txhash: "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", raw_log: "[]" });
    },
    "POST /admin/v1/bls/request": (req) => {
      const body = req.json as { current_epoch_id?: unknown; chain_id?: unknown };
      if (typeof body.chain_id !== "string") return json(400, { error: { message: "code=400, message=Syntax error" } });
      return { status: 200, raw: "" };
    },
    "POST /admin/v1/bridge/block": (req) => {
      const b = req.json as { blockNumber?: string; receipts?: unknown[] };
      if (!b.blockNumber) return json(400, { error: "Required fields missing: blockNumber, receiptsRoot, originChain" });
      return json(200, { status: "success", message: "Block queued for processing", blockNumber: b.blockNumber, receiptsCount: b.receipts?.length ?? 0, queueSize: 1 });
    },
    "POST /admin/v1/payloads": (req) => {
      const id = req.query.get("inference_id");
      if (!id) return json(400, { error: "inference_id query parameter is required" });
      return json(200, { status: "success", inference_id: id, epoch_id: (req.json as { epoch_id: string }).epoch_id });
    },
    "GET /admin/v1/config": () => json(200, { api: { port: 9000, public_url: "http://node.example:8000" }, nodes: [] }),
    "GET /admin/v1/export/db": () => json(200, { kv: { "poc.last_stage": "3450120" } }),
    "GET /admin/v1/setup/report": () =>
      json(200, {
        experimental: true,
        generated_at: "2026-06-20T10:00:00Z",
        cached_until: "2026-06-20T10:05:00Z",
        overall_status: "PASS",
        checks: [{ id: "mlnode_reachable", status: "PASS", message: "1/1 MLNodes reachable" }],
        summary: { total_checks: 1, passed_checks: 1, failed_checks: 0, unavailable_checks: 0, issues: [], recommendations: [] },
      }),
    "POST /admin/v1/claim-reward/recover": (req) =>
      json(200, { success: true, message: "claim executed", epoch_index: (req.json as { epoch_index?: number }).epoch_index ?? 40, seed: 12345, missed_validations: 2, already_claimed: false, claim_executed: true }),
  });
  return Object.assign(state, { server, url: server.url });
}
