import type { IncomingMessage, ServerResponse } from "node:http";
import { fromJson, getOption, type DescMethod, type DescMethodUnary, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { http as httpOption } from "../../../generated/proto/google/api/annotations_pb.js";
import { devRegistry } from "./registry.js";
import { QueryError, type QueryContext } from "./queries.js";
import { allQueryHandlers, restJson, runQuery } from "./query-router.js";

interface Route {
  verb: string;
  segments: string[];
  method: DescMethod;
  body: string;
}

/** REST routes from the `google.api.http` options of every service in the registry. */
function buildRoutes(): Route[] {
  const routes: Route[] = [];
  for (const type of devRegistry) {
    if (type.kind !== "service") continue;
    for (const method of type.methods) {
      const rule = getOption(method, httpOption);
      if (!rule?.pattern.case || rule.pattern.case === "custom") continue;
      routes.push({ verb: rule.pattern.case.toUpperCase(), segments: rule.pattern.value.split("/").filter(Boolean), method, body: rule.body });
    }
  }
  // literal segments win over parameters (e.g. /balances/{address}/by_denom)
  return routes.sort((a, b) => b.segments.length - a.segments.length);
}

let routes: Route[] | undefined;

function match(verb: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  routes ??= buildRoutes();
  // grpc-gateway v1 matches the already-decoded path: a `%2F` inside a segment splits it (spec §4.1)
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  // empty segments count (`…/gonka1…//inference.…` does not match `{a}/{b}`), a trailing slash does not
  const parts = decoded.replace(/^\/|\/$/g, "").split("/");
  for (const route of routes) {
    if (route.verb !== verb || route.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    route.segments.forEach((seg, i) => {
      const m = /^\{([^}=]+)(=[^}]*)?\}$/.exec(seg);
      if (m) params[m[1]!] = parts[i]!;
      else if (seg !== parts[i]) ok = false;
    });
    if (ok) return { route, params };
  }
  return undefined;
}

/** Sets `a.b.c = v` in a JSON object. */
function setPath(obj: JsonObject, path: string, v: string): void {
  const keys = path.split(".");
  let cur = obj;
  keys.slice(0, -1).forEach((k) => {
    if (typeof cur[k] !== "object" || cur[k] === null) cur[k] = {};
    cur = cur[k] as JsonObject;
  });
  cur[keys[keys.length - 1]!] = v;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json" });
  res.end(text);
}

const STATUS_OF: Record<number, number> = { 3: 400, 5: 404, 12: 501, 2: 500 };

/** `GET /cosmos/base/tendermint/v1beta1/node_info`: the CometBFT node and the application version. */
function nodeInfo({ state }: QueryContext): JsonObject {
  return {
    default_node_info: {
      protocol_version: { p2p: "8", block: "11", app: "0" }, default_node_id: "0000000000000000000000000000000000000000",
      listen_addr: "tcp://127.0.0.1:26656", network: state.chainId, version: "0.38.21", channels: "40202122233038606100",
      moniker: "gonka-devnet", other: { tx_index: "on", rpc_address: "tcp://127.0.0.1:26657" },
    },
    application_version: {
      name: "inference", app_name: "inferenced", version: state.appVersion, git_commit: "", build_tags: "", go_version: "go version go1.24.2",
      build_deps: [], cosmos_sdk_version: "v0.53.3",
    },
  };
}

/**
 * Serves `/chain-api/…` like the Cosmos grpc-gateway: the gateway's JSON (gateway-json.ts),
 * errors as `{code, message, details}`, and `node_info`.
 */
export async function handleRest(ctx: QueryContext, req: IncomingMessage, res: ServerResponse, path: string, search: URLSearchParams, body: string): Promise<void> {
  if ((req.method ?? "GET") === "GET" && path === "/cosmos/base/tendermint/v1beta1/node_info") return send(res, 200, nodeInfo(ctx));
  const found = match(req.method ?? "GET", path);
  if (!found) return send(res, 501, { code: 12, message: "Not Implemented", details: [] });
  const { route, params } = found;
  if (!allQueryHandlers[`${route.method.parent.typeName}/${route.method.name}`]) {
    // a route of the v0.2.13 schema the devnet does not model: the gateway's unimplemented answer
    return send(res, 501, { code: 12, message: `unknown method ${route.method.name} for service ${route.method.parent.typeName}`, details: [] });
  }
  let input;
  try {
    const json: JsonObject = route.body === "*" && body ? (JSON.parse(body) as JsonObject) : {};
    for (const [k, v] of search) setPath(json, k, v);
    for (const [k, v] of Object.entries(params)) setPath(json, k, v);
    input = fromJson(route.method.input, json as JsonValue, { registry: devRegistry, ignoreUnknownFields: true });
  } catch (e) {
    return send(res, 400, { code: 3, message: (e as Error).message, details: [] });
  }
  try {
    const out = runQuery(ctx, route.method as DescMethodUnary, input);
    send(res, 200, restJson(ctx.state, route.method.output, out));
  } catch (e) {
    if (e instanceof QueryError) return send(res, STATUS_OF[e.grpcCode] ?? 500, { code: e.grpcCode, message: e.message, details: [] });
    send(res, 500, { code: 13, message: (e as Error).message, details: [] });
  }
}
