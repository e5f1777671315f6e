/**
 * The network node's admin API as v0.2.13 serves it (rest-upgrades.md §4) at `/admin/v1/…`: MLNode
 * upsert (POST and PUT), batch registration with 201/206/400, list with the current state fields,
 * delete, enable and disable, with the node's status codes and texts. No authentication, as on the
 * real node — bind it to loopback only.
 */
import type { DevnetChainView } from "./chain-view.js";
import { goJson } from "./go-json.js";
import { HttpRouteError, type Route, type RouteContext } from "./http-server.js";
import type { DevnetNode, DevnetState, InferenceNodeConfig } from "./state.js";

/** Settings of the admin API. */
export interface AdminApiOptions {
  chain: DevnetChainView;
  state: DevnetState;
}

/** Why a config is refused, in the node's words (`failed to create node: …`), or the config. */
function validConfig(raw: unknown, chain: DevnetChainView): InferenceNodeConfig | string {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return "invalid node config";
  const c = raw as Partial<InferenceNodeConfig>;
  if (typeof c.id !== "string" || c.id === "") return "node id is required";
  if (typeof c.host !== "string" || c.host === "") return "node host is required";
  for (const port of ["inference_port", "poc_port"] as const) {
    const v = c[port];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 65535) return `${port} must be between 1 and 65535`;
  }
  if (typeof c.max_concurrent !== "number" || !Number.isInteger(c.max_concurrent) || c.max_concurrent <= 0) return "max_concurrent must be greater than 0";
  const models = c.models;
  if (!models || typeof models !== "object" || Object.keys(models).length === 0) return "at least one model is required";
  const known = new Set(chain.models().map((m) => m.id));
  if (Object.keys(models).some((id) => !known.has(id))) return "one or more models are not valid governance models. Check logs for details.";
  return {
    id: c.id,
    host: c.host,
    inference_segment: c.inference_segment ?? "",
    inference_port: c.inference_port!,
    poc_segment: c.poc_segment ?? "",
    poc_port: c.poc_port!,
    models: Object.fromEntries(Object.entries(models).map(([k, v]) => [k, { args: [...(v?.args ?? [])] }])),
    max_concurrent: c.max_concurrent,
    hardware: (c.hardware ?? []).map((h) => ({ type: String(h.type), count: Number(h.count) })),
  };
}

/** Parses the body as echo binds it: a failure is 400 "invalid request body: <detail>". */
function bindBody(ctx: RouteContext): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(ctx.body)) as unknown;
  } catch (e) {
    throw new HttpRouteError(400, { error: `invalid request body: ${e instanceof Error ? e.message : String(e)}` });
  }
}

function addNode(state: DevnetState, chain: DevnetChainView, config: InferenceNodeConfig): void {
  const existing = state.nodes.get(config.id);
  const node: DevnetNode = {
    config,
    nodeNum: existing?.nodeNum ?? state.nextNodeNum++,
    enabled: true,
    enabledEpoch: chain.epoch().index,
    statusTimestamp: new Date(),
  };
  state.nodes.set(config.id, node);
}

function nodeResponse(node: DevnetNode, chain: DevnetChainView): unknown {
  const c = node.config;
  const models = chain.models().filter((m) => m.id in c.models);
  return {
    node: {
      host: c.host,
      inference_segment: c.inference_segment ?? "",
      inference_port: c.inference_port,
      poc_segment: c.poc_segment ?? "",
      poc_port: c.poc_port,
      models: c.models,
      id: c.id,
      max_concurrent: c.max_concurrent,
      node_num: node.nodeNum,
      hardware: c.hardware ?? [],
    },
    state: {
      intended_status: "INFERENCE",
      current_status: "INFERENCE",
      poc_intended_status: "IDLE",
      poc_current_status: "IDLE",
      lock_count: 0,
      failure_reason: "",
      status_timestamp: node.statusTimestamp.toISOString(),
      admin_state: { enabled: node.enabled, epoch: Number(node.enabledEpoch) },
      epoch_models: Object.fromEntries(
        models.map((m) => [m.id, goJson({ proposed_by: m.proposedBy, id: m.id, units_of_compute_per_token: m.unitsOfComputePerToken })]),
      ),
      epoch_ml_nodes: Object.fromEntries(
        models.map((m) => [m.id, { node_id: c.id, throughput: 0, poc_weight: 0, timeslot_allocation: [true, false] }]),
      ),
      // Self-reported by the MLNode's GET /api/v1/state; the devnet's network node does not poll it.
      ml_node_version: "",
      preserved_models: {},
    },
  };
}

/** The routes of the admin API. */
export function adminApiRoutes({ chain, state }: AdminApiOptions): Route[] {
  const toggle = (enabled: boolean): Route => ({
    method: "POST",
    pattern: `/admin/v1/nodes/:id/${enabled ? "enable" : "disable"}`,
    handler: ({ params }) => {
      const node = state.nodes.get(params.id!);
      if (!node) throw new HttpRouteError(404, { error: `node not found: ${params.id}` });
      node.enabled = enabled;
      node.enabledEpoch = chain.epoch().index;
      return { json: { message: `node ${enabled ? "enabled" : "disabled"} successfully`, node_id: params.id } };
    },
  });
  const upsert = (ctx: RouteContext) => {
    const config = validConfig(bindBody(ctx), chain);
    if (typeof config === "string") throw new HttpRouteError(400, { error: `failed to create node: ${config}` });
    addNode(state, chain, config);
    return { json: config };
  };
  return [
    { method: "POST", pattern: "/admin/v1/nodes", handler: upsert },
    { method: "PUT", pattern: "/admin/v1/nodes/:id", handler: upsert },
    {
      method: "POST",
      pattern: "/admin/v1/nodes/batch",
      handler: (ctx) => {
        const body = bindBody(ctx);
        if (!Array.isArray(body)) throw new HttpRouteError(400, { error: "invalid request body: expected a JSON array of node configs" });
        const accepted: InferenceNodeConfig[] = [];
        const errors: string[] = [];
        body.forEach((raw, i) => {
          const config = validConfig(raw, chain);
          if (typeof config === "string") {
            const id = raw && typeof raw === "object" ? String((raw as { id?: unknown }).id ?? "") : "";
            errors.push(`node[${i}] (id: ${id}): ${config}`);
          } else accepted.push(config);
        });
        if (accepted.length === 0) throw new HttpRouteError(400, { error: { error: "all nodes failed validation", errors } });
        for (const config of accepted) addNode(state, chain, config);
        return errors.length ? { status: 206, json: { nodes: accepted, errors } } : { status: 201, json: accepted };
      },
    },
    {
      method: "GET",
      pattern: "/admin/v1/nodes",
      handler: () => ({ json: [...state.nodes.values()].map((n) => nodeResponse(n, chain)) }),
    },
    {
      method: "DELETE",
      pattern: "/admin/v1/nodes/:id",
      handler: ({ params }) => ({ json: state.nodes.delete(params.id!) }),
    },
    toggle(true),
    toggle(false),
    { method: "GET", pattern: "/admin/v1/nodes/upgrade-status", handler: () => ({ json: { message: "No upgrade plan active" } }) },
    {
      method: "POST",
      pattern: "/admin/v1/nodes/version-status",
      handler: (ctx) => {
        const body = bindBody(ctx) as { version?: unknown } | null;
        if (!body || typeof body.version !== "string" || body.version === "") throw new HttpRouteError(400, { error: "Version field is required" });
        // The devnet MLNode answers every version (it is not versioned).
        return { json: Object.fromEntries([...state.nodes.keys()].map((id) => [id, { is_alive: true }])) };
      },
    },
  ];
}
