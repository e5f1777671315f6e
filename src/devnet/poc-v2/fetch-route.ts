/**
 * Mounts a fetch-style handler (`(Request) => Promise<Response>`, like the PoC v2 flows' proof
 * route server) on the devnet's route tables.
 * @module
 */
import type { Route, RouteContext, RouteResult } from "../http-server.js";

/**
 * A devnet route answering with a fetch-style handler: the request is rebuilt as a web `Request`
 * (query, headers, body; the path given as `path`, default the pattern, so an `/api/…` alias
 * reaches the handler under its own path) and the `Response` passed back as text with its status
 * and headers.
 *
 * @example
 * ```ts
 * fetchRoute("POST", "/v1/poc/proofs", createPocV2ProofHandler({ store, signer, authorize }));
 * ```
 */
export function fetchRoute(method: string, pattern: string, handler: (request: Request) => Promise<Response>, path = pattern): Route {
  return {
    method,
    pattern,
    handler: async (ctx: RouteContext): Promise<RouteResult> => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(ctx.req.headers)) if (typeof v === "string") headers.set(k, v);
      const query = ctx.query.toString();
      const request = new Request(`http://devnet${path}${query ? `?${query}` : ""}`, {
        method,
        headers,
        ...(method === "GET" || method === "HEAD" ? {} : { body: ctx.body as unknown as BodyInit }),
      });
      const response = await handler(request);
      const out: Record<string, string> = {};
      response.headers.forEach((v, k) => {
        if (k !== "content-type" && k !== "content-length") out[k] = v;
      });
      return { status: response.status, text: await response.text(), contentType: response.headers.get("content-type") ?? "application/json", headers: out };
    },
  };
}
