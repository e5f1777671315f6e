import { create, fromBinary, toBinary, type DescMessage, type DescMethodUnary, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import type { ChainContext } from "../context.js";
import { MalformedResponseError, NodeRequestError } from "../errors.js";
import type { CallOptions } from "../transport/types.js";

/**
 * Calls a query in binary form: over gRPC when that is the client's transport, else over CometBFT
 * RPC `abci_query` with the gRPC method path (plain HTTP, works in browsers). For queries the REST
 * gateway cannot route — a path parameter that contains `/` (a type URL, a model id such as
 * `Qwen/Qwen3-…`): grpc-gateway v1 matches the decoded path, so `%2F` splits the segment (spec
 * chain-upgrades §4.1).
 *
 * @example
 * ```ts
 * const res = await binaryQuery(chain, Query.method.granteesByMessageType, { granterAddress, messageTypeUrl: "/inference.inference.MsgStartInference" });
 * ```
 * @throws {NodeRequestError} when the node answers with a non-zero ABCI code.
 */
export async function binaryQuery<I extends DescMessage, O extends DescMessage>(
  ctx: Pick<ChainContext, "transport" | "rpc">,
  method: DescMethodUnary<I, O>,
  request: MessageInitShape<I>,
  options: CallOptions = {},
): Promise<MessageShape<O>> {
  if (ctx.transport.kind === "grpc") return ctx.transport.unary(method, request, { path: "" }, options);
  const path = `/${method.parent.typeName}/${method.name}`;
  const r = await ctx.rpc.abciQuery(path, toBinary(method.input, create(method.input, request)), options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {});
  if (r.code !== 0) throw new NodeRequestError(`abci_query ${path}`, r.log || `code ${r.code}`, { code: r.code });
  try {
    return fromBinary(method.output, r.value);
  } catch (e) {
    throw new MalformedResponseError(`abci_query ${path}`, `does not decode as ${method.output.typeName}`, { cause: e });
  }
}
