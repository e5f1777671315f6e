import type { DescMethodUnary } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { devRegistry } from "./registry.js";
import { QueryError, type QueryContext } from "./queries.js";
import { allQueryHandlers, runQuery } from "./query-router.js";

/** Registers every implemented query / tx-service method on a Connect router (gRPC). */
export function registerGrpc(router: ConnectRouter, ctx: QueryContext): void {
  for (const type of devRegistry) {
    if (type.kind !== "service") continue;
    for (const method of type.methods) {
      if (method.methodKind !== "unary") continue;
      if (!allQueryHandlers[`${type.typeName}/${method.name}`]) continue;
      const m = method as DescMethodUnary;
      router.rpc(m, async (req) => {
        try {
          return runQuery(ctx, m, req) as never;
        } catch (e) {
          if (e instanceof QueryError) throw new ConnectError(e.message, e.grpcCode as Code);
          throw new ConnectError((e as Error).message, Code.Internal);
        }
      });
    }
  }
}
