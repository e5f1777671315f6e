/**
 * The network node's ML callback server (port 9100, rest-upgrades.md §5). Since v0.2.12 it serves
 * only the PoC v2 routes `POST /v2/poc-batches/{model id escaped twice}/generated|validated`; the
 * PoW v1 routes (`/v1/poc-batches/…` and `/mlnode/v1/…`) are gone there. The devnet keeps the v1
 * routes as an option (on while the devnet's own PoC still runs v1) and answers the v2 routes
 * like a node: with their checks and texts, and 503 "artifact store not configured" until an
 * artifact store is plugged in (`v2Store`).
 */
import { base64 } from "@scure/base";
import { HttpRouteError, jsonBody, type Route, type RouteContext } from "./http-server.js";
import type { DevnetState, ReceivedPocBatch, ReceivedValidation } from "./state.js";

/** A PoC v2 artifact `{nonce, vector_b64}`. */
export interface CallbackArtifact {
  nonce: number;
  vector_b64: string;
}

/** Body of `POST /v2/poc-batches/{model}/generated` (`GeneratedArtifactBatchV2`), checked. */
export interface GeneratedArtifactBatch {
  block_hash: string;
  block_height: number;
  public_key: string;
  node_id: number;
  artifacts: CallbackArtifact[];
  encoding?: { dtype: string; k_dim: number; endian: string };
  request_id?: string;
}

/** Body of `POST /v2/poc-batches/{model}/validated` (`ValidatedResultV2`), checked. */
export interface ValidatedResult {
  request_id?: string;
  block_hash?: string;
  block_height?: number;
  public_key?: string;
  node_id?: number;
  n_total: number;
  n_mismatch: number;
  mismatch_nonces: number[];
  p_value: number;
  fraud_detected: boolean;
}

/**
 * Where the devnet's network node keeps PoC v2 results. Throw an `HttpRouteError` to answer like
 * the node does outside a phase, e.g. `new HttpRouteError(503, { error: "not in PoC generate phase" })`.
 */
export interface CallbackV2Store {
  /** Stores an artifact batch of `modelId` (vectors already checked to be non-empty base64). */
  generated(modelId: string, batch: GeneratedArtifactBatch): void | Promise<void>;
  /** Takes a validation verdict (the node turns it into `MsgSubmitPocValidationsV2`). */
  validated(modelId: string, result: ValidatedResult): void | Promise<void>;
}

/** Settings of the callback server. */
export interface CallbackApiOptions {
  /** Serve the PoW v1 routes too (removed from the node in v0.2.12; default true while the devnet runs PoC v1). */
  pocV1?: boolean;
  /** The artifact store; without it the v2 routes answer 503 "artifact store not configured". */
  v2Store?: CallbackV2Store;
}

function fail(status: number, error: string): never {
  throw new HttpRouteError(status, { error });
}

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

/** What the v1 receiver has already counted, per devnet state. */
interface V1Seen {
  /** `Idempotency-Key` values of delivered POSTs (bounded; the oldest are forgotten first). */
  keys: Set<string>;
  /** `{block_height}/{public_key}` → nonces already stored. */
  nonces: Map<string, Set<number>>;
}
const v1Seen = new WeakMap<DevnetState, V1Seen>();
const MAX_REMEMBERED_KEYS = 100_000;

function seenOf(state: DevnetState): V1Seen {
  let s = v1Seen.get(state);
  if (!s) {
    s = { keys: new Set(), nonces: new Map() };
    for (const b of state.pocBatches) for (const n of b.nonces) seenNonces(s, b).add(n);
    v1Seen.set(state, s);
  }
  return s;
}

function seenNonces(s: V1Seen, b: ReceivedPocBatch): Set<number> {
  const k = `${b.block_height}/${b.public_key.toUpperCase()}`;
  let set = s.nonces.get(k);
  if (!set) {
    set = new Set();
    s.nonces.set(k, set);
  }
  return set;
}

/**
 * Keeps only the nonces of `batch` not stored before for its stage and key (a nonce counts once,
 * however often it is posted), and drops a POST whose `Idempotency-Key` was already delivered.
 * Returns null when nothing new is left.
 */
function deduplicate(state: DevnetState, batch: ReceivedPocBatch, key: string | undefined): ReceivedPocBatch | null {
  const s = seenOf(state);
  if (key !== undefined && s.keys.has(key)) return null;
  const nonces = seenNonces(s, batch);
  const keep: number[] = [];
  batch.nonces.forEach((n, i) => {
    if (nonces.has(n)) return;
    nonces.add(n);
    keep.push(i);
  });
  if (key !== undefined) {
    s.keys.add(key);
    if (s.keys.size > MAX_REMEMBERED_KEYS) s.keys.delete(s.keys.values().next().value as string);
  }
  if (keep.length === 0) return null;
  if (keep.length === batch.nonces.length) return batch;
  return { ...batch, nonces: keep.map((i) => batch.nonces[i]), dist: keep.map((i) => batch.dist[i]) };
}

function idempotencyKey(ctx: RouteContext): string | undefined {
  const v = ctx.req.headers["idempotency-key"];
  return typeof v === "string" && v.length > 0 && v.length <= 200 ? v : undefined;
}

/** The model id of a v2 route: the router decoded the segment once, the handler unescapes it again. */
function modelIdOf(ctx: RouteContext): string {
  const once = ctx.params.model_id ?? "";
  if (once === "") fail(400, "model_id required");
  let modelId: string;
  try {
    modelId = decodeURIComponent(once);
  } catch {
    fail(400, "invalid model_id");
  }
  if (modelId === "") fail(400, "model_id required");
  return modelId;
}

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

function parseGenerated(raw: unknown): GeneratedArtifactBatch {
  const b = raw as Partial<GeneratedArtifactBatch> | null;
  if (!b || typeof b !== "object" || typeof b.block_hash !== "string" || !isInt(b.block_height) || typeof b.public_key !== "string" || !isInt(b.node_id) || !Array.isArray(b.artifacts))
    fail(400, "invalid request body");
  for (const a of b.artifacts) if (!a || !isInt(a.nonce) || typeof a.vector_b64 !== "string") fail(400, "invalid request body");
  return b as GeneratedArtifactBatch;
}

function parseValidated(raw: unknown): ValidatedResult {
  const r = raw as Partial<ValidatedResult> | null;
  if (!r || typeof r !== "object" || !isInt(r.n_total) || !isInt(r.n_mismatch) || typeof r.p_value !== "number" || typeof r.fraud_detected !== "boolean")
    fail(400, "invalid request body");
  return { ...r, mismatch_nonces: Array.isArray(r.mismatch_nonces) ? r.mismatch_nonces.map(Number) : [] } as ValidatedResult;
}

/** The routes of the ML callback server. */
export function callbackApiRoutes(state: DevnetState, options: CallbackApiOptions = {}): Route[] {
  const notify = () => {
    for (const l of state.batchListeners) l();
  };
  const v2: Route[] = [
    {
      method: "POST",
      pattern: "/v2/poc-batches/:model_id/generated",
      handler: async (ctx) => {
        const modelId = modelIdOf(ctx);
        if (!options.v2Store) fail(503, "artifact store not configured");
        const batch = parseGenerated(jsonBody(ctx));
        if (![...state.nodes.values()].some((n) => n.nodeNum === batch.node_id)) fail(400, "unknown node_num");
        for (const a of batch.artifacts) {
          let bytes: Uint8Array;
          try {
            bytes = base64.decode(a.vector_b64);
          } catch {
            fail(400, "invalid base64 in artifact vector");
          }
          if (bytes.length === 0) fail(400, "empty artifact vector");
        }
        await options.v2Store.generated(modelId, batch);
        notify();
        return { empty: true };
      },
    },
    {
      method: "POST",
      pattern: "/v2/poc-batches/:model_id/validated",
      handler: async (ctx) => {
        const modelId = modelIdOf(ctx);
        if (!options.v2Store) fail(503, "artifact store not configured");
        await options.v2Store.validated(modelId, parseValidated(jsonBody(ctx)));
        notify();
        return { empty: true };
      },
    },
  ];
  if (options.pocV1 === false) return v2;
  const v1: Route[] = [
    {
      method: "POST",
      pattern: "/v1/poc-batches/generated",
      handler: (ctx) => {
        // At least once on the sender's side, once here: replays (same Idempotency-Key) and
        // nonces already stored for the stage and key add nothing.
        const batch = deduplicate(state, asBatch(jsonBody(ctx)), idempotencyKey(ctx));
        if (batch) {
          state.pocBatches.push(batch);
          notify();
        }
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
  return [...v2, ...v1, ...v1.map((r) => ({ ...r, pattern: `/mlnode${r.pattern}` }))];
}
