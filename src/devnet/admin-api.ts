/**
 * The network node's admin API (rest-apis.md §3) at `/admin/v1/…`: MLNode registration, list,
 * delete, enable and disable, with the real status codes and bodies. No authentication, as on
 * the real node — bind it to loopback only.
 */
import type { DevnetChainView } from "./chain-view.js";
import { goJson } from "./go-json.js";
import { HttpRouteError, jsonBody, type Route } from "./http-server.js";
import type { DevnetNode, DevnetState, InferenceNodeConfig } from "./state.js";

/** Settings of the admin API. */
export interface AdminApiOptions {
  chain: DevnetChainView;
  state: DevnetState;
}

function validConfig(raw: unknown, chain: DevnetChainView): InferenceNodeConfig | null {
  if (typeof raw !== "object" || raw === null) return null;
  const c = raw as Partial<InferenceNodeConfig>;
  if (typeof c.id !== "string" || c.id === "" || typeof c.host !== "string") return null;
  const models = c.models ?? {};
  const known = new Set(chain.models().map((m) => m.id));
  if (typeof models !== "object" || Object.keys(models).some((id) => !known.has(id))) return null;
  return {
    id: c.id,
    host: c.host,
    inference_segment: c.inference_segment ?? "",
    inference_port: Number(c.inference_port ?? 0),
    poc_segment: c.poc_segment ?? "",
    poc_port: Number(c.poc_port ?? 0),
    models: Object.fromEntries(Object.entries(models).map(([k, v]) => [k, { args: [...(v?.args ?? [])] }])),
    max_concurrent: Number(c.max_concurrent ?? 0),
    hardware: (c.hardware ?? []).map((h) => ({ type: String(h.type), count: Number(h.count) })),
    version: c.version ?? "",
  };
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
      version: c.version ?? "",
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
  return [
    {
      method: "POST",
      pattern: "/admin/v1/nodes",
      handler: (ctx) => {
        const config = validConfig(jsonBody(ctx), chain);
        if (!config) throw new HttpRouteError(500, { error: "error creating new node" });
        addNode(state, chain, config);
        return { json: config };
      },
    },
    {
      method: "POST",
      pattern: "/admin/v1/nodes/batch",
      handler: (ctx) => {
        const body = jsonBody(ctx);
        if (!Array.isArray(body)) throw new HttpRouteError(400, { error: { message: "expected a JSON array" } });
        const added: InferenceNodeConfig[] = [];
        for (const raw of body) {
          const config = validConfig(raw, chain);
          if (!config) continue;
          addNode(state, chain, config);
          added.push(config);
        }
        return { status: 201, json: added.length ? added : null };
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
  ];
}
