/**
 * The network node's ML callback server (rest-apis.md §2): MLNodes POST generated and validated
 * PoC batches here. The devnet keeps them in memory and lists them through the public API's
 * `GET /v1/poc-batches/:height`.
 */
import { HttpRouteError, jsonBody, type Route } from "./http-server.js";
import type { DevnetState, ReceivedPocBatch, ReceivedValidation } from "./state.js";

function asBatch(raw: unknown): ReceivedPocBatch {
  const b = raw as Partial<ReceivedPocBatch>;
  if (typeof b !== "object" || b === null || !Array.isArray(b.nonces) || !Array.isArray(b.dist) || typeof b.public_key !== "string") {
    throw new HttpRouteError(400, { error: { message: "invalid ProofBatch" } });
  }
  return {
    public_key: b.public_key,
    block_hash: String(b.block_hash ?? ""),
    block_height: Number(b.block_height ?? 0),
    nonces: b.nonces.map(Number),
    dist: b.dist.map(Number),
    node_id: Number(b.node_id ?? 0),
    received_at: new Date(),
  };
}

/** The routes of the ML callback server (new and legacy prefixes). */
export function callbackApiRoutes(state: DevnetState): Route[] {
  const notify = () => {
    for (const l of state.batchListeners) l();
  };
  const routes: Route[] = [
    {
      method: "POST",
      pattern: "/v1/poc-batches/generated",
      handler: (ctx) => {
        state.pocBatches.push(asBatch(jsonBody(ctx)));
        notify();
        return { empty: true };
      },
    },
    {
      method: "POST",
      pattern: "/v1/poc-batches/validated",
      handler: (ctx) => {
        const raw = jsonBody<Partial<ReceivedValidation>>(ctx);
        const base = asBatch(raw);
        state.pocValidations.push({
          ...base,
          received_dist: (raw.received_dist ?? []).map(Number),
          r_target: Number(raw.r_target),
          fraud_threshold: Number(raw.fraud_threshold),
          n_invalid: Number(raw.n_invalid),
          probability_honest: Number(raw.probability_honest),
          fraud_detected: Boolean(raw.fraud_detected),
        });
        notify();
        return { empty: true };
      },
    },
  ];
  return [...routes, ...routes.map((r) => ({ ...r, pattern: `/mlnode${r.pattern}` }))];
}
