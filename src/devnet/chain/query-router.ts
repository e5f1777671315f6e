/**
 * Every query the devnet answers, by gRPC method, and the transports' shared plumbing: method
 * lookup for ABCI paths, binary `abci_query`, and the gateway JSON of a response (with the
 * params test hook's extra keys).
 */
import { create, fromBinary, toBinary, type DescMethod, type DescMethodUnary, type DescMessage, type JsonObject, type Message } from "@bufbuild/protobuf";
import { QueryError, queryHandlers, type QueryContext } from "./queries.js";
import { inferenceQueryHandlers } from "./queries-inference.js";
import { moduleQueryHandlers } from "./queries-modules.js";
import { devRegistry } from "./registry.js";
import { gatewayJson, mergeJson } from "./gateway-json.js";
import { unknownFieldKeys } from "./unknown-fields.js";
import { ParamsSchema } from "../../../generated/proto/inference/inference/params_pb.js";
import type { ChainState } from "./state.js";

type Handler = (ctx: QueryContext, req: never) => object;

/** Query and tx-service handlers by `package.Service/Method` (later tables win). */
export const allQueryHandlers: Record<string, Handler> = {
  ...(queryHandlers as Record<string, Handler>),
  ...(inferenceQueryHandlers as Record<string, Handler>),
  ...(moduleQueryHandlers as Record<string, Handler>),
};

let methods: Map<string, DescMethod> | undefined;

/** The unary method of an ABCI / gRPC path `/package.Service/Method`. */
export function methodOfPath(path: string): DescMethodUnary | undefined {
  if (!methods) {
    methods = new Map();
    for (const type of devRegistry) {
      if (type.kind !== "service") continue;
      for (const m of type.methods) if (m.methodKind === "unary") methods.set(`/${type.typeName}/${m.name}`, m);
    }
  }
  return methods.get(path) as DescMethodUnary | undefined;
}

/** Runs a handler and returns the response message. */
export function runQuery(ctx: QueryContext, method: DescMethodUnary, request: Message): Message {
  const handler = allQueryHandlers[`${method.parent.typeName}/${method.name}`];
  if (!handler) throw new QueryError(12, `unknown method ${method.name} for service ${method.parent.typeName}`);
  return create(method.output, handler(ctx, request as never) as never) as Message;
}

/** The result of an ABCI query, as CometBFT's `abci_query` reports it. */
export interface AbciQueryResult {
  code: number;
  log: string;
  codespace: string;
  value: Uint8Array;
}

const GRPC_NAMES: Record<number, string> = { 2: "Unknown", 3: "InvalidArgument", 5: "NotFound", 12: "Unimplemented", 13: "Internal" };

/**
 * `abci_query` with a gRPC method path and the protobuf request bytes: the protobuf response
 * bytes, or the SDK's error (NotFound → code 22 "key not found", InvalidArgument → 18, other →
 * 6; an unroutable path → 6 "unknown query path").
 */
export function abciQuery(ctx: QueryContext, path: string, data: Uint8Array): AbciQueryResult {
  const method = methodOfPath(path);
  if (!method || !allQueryHandlers[`${method.parent.typeName}/${method.name}`]) {
    return { code: 6, codespace: "sdk", log: "unknown query path: unknown request", value: new Uint8Array() };
  }
  try {
    const req = fromBinary(method.input, data);
    return { code: 0, codespace: "", log: "", value: toBinary(method.output, runQuery(ctx, method, req)) };
  } catch (e) {
    const q = e instanceof QueryError ? e : new QueryError(3, (e as Error).message);
    const status = `rpc error: code = ${GRPC_NAMES[q.grpcCode] ?? "Unknown"} desc = ${q.message}`;
    const [code, text] = q.grpcCode === 5 ? [22, "key not found"] : q.grpcCode === 3 ? [18, "invalid request"] : [6, "unknown request"];
    return { code, codespace: "sdk", log: `${status}: ${text}`, value: new Uint8Array() };
  }
}

/**
 * A response as the REST gateway prints it. With the params test hook, the extra keys are merged
 * into `params` while the stored params still carry the hook's unknown fields.
 */
export function restJson(state: ChainState, output: DescMessage, response: Message): JsonObject {
  const json = gatewayJson(output, response);
  const hook = state.unknownParams;
  if (hook?.json && (output.typeName === "inference.inference.QueryParamsResponse" || output.typeName === "inference.inference.QueryEpochInfoResponse")) {
    const have = unknownFieldKeys(ParamsSchema, state.inferenceParams);
    if ([...hook.knownUnknown].every((k) => have.has(k)) && json.params && typeof json.params === "object") mergeJson(json.params as JsonObject, hook.json);
  }
  return json;
}
