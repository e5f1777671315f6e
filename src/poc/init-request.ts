/**
 * The MLNode's `/api/v1/pow/init`, `/init/generate` and `/init/validate` request body
 * (`PowInitRequestUrl`), parsed and checked.
 */
import { InvalidArgumentError } from "../errors.js";
import { POC_PARAMS_V1, pocParamsFromWire, type PocParams, type PocParamsWire } from "./model/index.js";

/** A parsed `PowInitRequestUrl`. */
export interface PowInitRequest {
  /** Index of this MLNode among the participant's nodes (-1 when not set). */
  nodeId: number;
  /** Number of the participant's nodes (-1 when not set). */
  nodeCount: number;
  blockHash: string;
  blockHeight: number;
  publicKey: string;
  batchSize: number;
  rTarget: number;
  fraudThreshold: number;
  /** The request's `params`, or the MLNode's Python defaults (V1) when omitted. */
  params: PocParams;
  /** Callback base URL: batches go to `{url}/generated` and `{url}/validated`. */
  url: string;
}

function field<T>(b: Record<string, unknown>, name: string, check: (v: unknown) => v is T, what: string, fallback?: T): T {
  const v = b[name];
  if (v === undefined && fallback !== undefined) return fallback;
  if (!check(v)) throw new InvalidArgumentError(`request.${name}`, `must be ${what}`);
  return v;
}
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === "string" && v.length > 0;

/**
 * Parses the JSON body of `/api/v1/pow/init/generate` (the network FAQ's simulation request) or
 * `/init/validate`. Throws `InvalidArgumentError` naming the bad field.
 *
 * @example
 * ```ts
 * const req = fromInitRequest(JSON.parse(readFileSync("init.json", "utf8")));
 * req.params.dim; // 1792 for the network's V2 request
 * ```
 */
export function fromInitRequest(body: unknown): PowInitRequest {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new InvalidArgumentError("request", "must be a JSON object");
  const b = body as Record<string, unknown>;
  const params = b.params === undefined || b.params === null ? { ...POC_PARAMS_V1 } : pocParamsFromWire(b.params as PocParamsWire);
  const req: PowInitRequest = {
    nodeId: field(b, "node_id", isInt, "an integer", -1),
    nodeCount: field(b, "node_count", isInt, "an integer", -1),
    blockHash: field(b, "block_hash", isStr, "a non-empty string"),
    blockHeight: field(b, "block_height", isInt, "an integer"),
    publicKey: field(b, "public_key", isStr, "a non-empty string"),
    batchSize: field(b, "batch_size", isInt, "an integer"),
    rTarget: field(b, "r_target", isNum, "a number"),
    fraudThreshold: field(b, "fraud_threshold", isNum, "a number"),
    params,
    url: field(b, "url", isStr, "a URL string"),
  };
  if (req.batchSize < 1) throw new InvalidArgumentError("request.batch_size", "must be positive");
  if (!(req.rTarget > 0 && req.rTarget <= 2)) throw new InvalidArgumentError("request.r_target", "must lie in (0, 2]");
  if (!(req.fraudThreshold >= 0 && req.fraudThreshold <= 1)) throw new InvalidArgumentError("request.fraud_threshold", "must lie in [0, 1]");
  try {
    new URL(req.url);
  } catch (e) {
    throw new InvalidArgumentError("request.url", "is not an absolute URL", { cause: e });
  }
  return req;
}
