import type { IncomingMessage, ServerResponse } from "node:http";
import { create, fromJson, getOption, toJson, type DescMethod, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { http as httpOption } from "../../../generated/proto/google/api/annotations_pb.js";
import { devRegistry } from "./registry.js";
import { QueryError, queryHandlers, type QueryContext } from "./queries.js";

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
  const parts = path.split("/").filter(Boolean).map((p) => decodeURIComponent(p));
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

/**
 * Serves `/chain-api/…` like the Cosmos grpc-gateway: proto3 JSON with original (snake_case)
 * field names, int64 as strings, errors as `{code, message, details}`.
 */
export async function handleRest(ctx: QueryContext, req: IncomingMessage, res: ServerResponse, path: string, search: URLSearchParams, body: string): Promise<void> {
  const found = match(req.method ?? "GET", path);
  if (!found) return send(res, 501, { code: 12, message: "Not Implemented", details: [] });
  const { route, params } = found;
  const handler = queryHandlers[`${route.method.parent.typeName}/${route.method.name}`];
  if (!handler) return send(res, 501, { code: 12, message: `${route.method.parent.typeName}/${route.method.name} is not implemented by the devnet`, details: [] });
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
    const out = create(route.method.output, handler(ctx, input as never) as never);
    send(res, 200, toJson(route.method.output, out, { registry: devRegistry, useProtoFieldName: true, alwaysEmitImplicit: true }));
  } catch (e) {
    if (e instanceof QueryError) return send(res, STATUS_OF[e.grpcCode] ?? 500, { code: e.grpcCode, message: e.message, details: [] });
    send(res, 500, { code: 13, message: (e as Error).message, details: [] });
  }
}
