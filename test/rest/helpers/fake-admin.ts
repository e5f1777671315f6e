/**
 * A loopback network-node admin API answering as `spec/rest-apis.md` §3 says (echo + Go
 * encoding/json: omitempty, `{"error": string|object}`, 201 + `null` from nodes/batch, a bare
 * boolean from DELETE), written independently of the SDK.
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
  const register = (config: Record<string, unknown>): boolean => {
    const models = Object.keys((config.models as Record<string, unknown> | undefined) ?? {});
    if (!models.every((m) => GOVERNANCE_MODELS.has(m))) return false;
    state.nodes.set(String(config.id), { config, num: ++counter, enabled: true });
    return true;
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
          },
        })),
      ),
    "POST /admin/v1/nodes": (req) => needJson(req) ?? (register(req.json as Record<string, unknown>) ? json(200, req.json) : json(500, { error: "error creating new node" })),
    "PUT /admin/v1/nodes/:id": (req) => needJson(req) ?? (register(req.json as Record<string, unknown>) ? json(200, req.json) : json(500, { error: "error creating new node" })),
    "POST /admin/v1/nodes/batch": (req) => {
      const added = (req.json as Record<string, unknown>[]).filter(register);
      return json(201, added.length ? added : null);
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
    "POST /admin/v1/debug/create-dummy-training-task": (req) => json(200, { task: { id: (req.json as { task_id: number }).task_id } }),
  });
  return Object.assign(state, { server, url: server.url });
}
