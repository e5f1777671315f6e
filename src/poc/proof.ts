/**
 * The PoC wire objects (ProofBatch, ValidatedBatch), their checks, the `r_target` filter and the
 * fraud test. Pure functions: recomputing distances is the engine's job.
 */
import { binomialUpperTail, POC_MISMATCH_PROBABILITY } from "./binomial.js";
import { InvalidProofBatchError } from "./errors.js";

/** The network's default `r_target`. */
export const DEFAULT_R_TARGET = 1.4013564660458173;
/** The network's default `fraud_threshold`. */
export const DEFAULT_FRAUD_THRESHOLD = 1e-7;

/**
 * A batch of valid nonces, as MLNodes POST it to `{url}/generated` and as validators receive it
 * on `/api/v1/pow/validate`.
 */
export interface ProofBatch {
  /** Hex of the prover's 33-byte compressed account key (the exact string used as seed). */
  public_key: string;
  /** The PoC-start block hash (upper-case hex, used verbatim as seed). */
  block_hash: string;
  /** The PoC stage start height. */
  block_height: number;
  /** Nonces (int64 on the wire). */
  nonces: number[];
  /** Distance per nonce; generated batches hold only `dist < r_target`. */
  dist: number[];
  /** The MLNode's node id (0 in validation requests). */
  node_id: number;
}

/** The result of validating a {@link ProofBatch}, POSTed to `{url}/validated`. */
export interface ValidatedBatch extends ProofBatch {
  /** Distances as the prover claimed them (`dist` holds the recomputed ones). */
  received_dist: number[];
  r_target: number;
  fraud_threshold: number;
  /**
   * Number of nonces whose recomputed distance exceeds `r_target`, plus repeated nonces and
   * nonces outside the claimed node's stride.
   */
  n_invalid: number;
  /** `P(X >= n_invalid)`, `X ~ Binomial(n, 5e-4)`. */
  probability_honest: number;
  /** `probability_honest < fraud_threshold`. */
  fraud_detected: boolean;
}

/** Options of batch validation. */
export interface ValidationOptions {
  /** Default {@link DEFAULT_R_TARGET}. */
  rTarget?: number;
  /** Default {@link DEFAULT_FRAUD_THRESHOLD}. */
  fraudThreshold?: number;
  /**
   * The `node_count` of the stage's generation. When given, a nonce `n` belongs to the claimed
   * node only if `n mod nodeCount === batch.node_id` (every GPU group's offset `node_id + g *
   * node_count` and step `n_groups * node_count` keep that residue); others count as invalid.
   */
  nodeCount?: number;
  /** Stops a validation between chunks of nonces (the engine rejects with the signal's reason). */
  signal?: AbortSignal;
}

/** Why nonces of a batch were counted invalid before any recomputation. */
export interface BatchIntegrity {
  /** Index of every nonce that repeats an earlier one in the batch. */
  duplicates: number[];
  /** Index of every nonce outside the claimed node's stride (only with `nodeCount`). */
  outsideStride: number[];
}

/**
 * Finds repeated nonces and nonces outside the claimed node's stride. A nonce proves work once:
 * listing it twice, or listing another node's nonce, must not add weight, so validation counts
 * each such entry as invalid (the first occurrence of a nonce is judged on its distance).
 *
 * @example checkBatchIntegrity({ ...batch, nonces: [3, 3, 4] }) // { duplicates: [1], outsideStride: [] }
 */
export function checkBatchIntegrity(batch: ProofBatch, options: { nodeCount?: number } = {}): BatchIntegrity {
  const { nodeCount } = options;
  if (nodeCount !== undefined && !(Number.isSafeInteger(nodeCount) && nodeCount >= 1)) {
    throw new InvalidProofBatchError("node_count", `must be a positive integer, got ${nodeCount}`);
  }
  if (nodeCount !== undefined && !(batch.node_id >= 0 && batch.node_id < nodeCount)) {
    throw new InvalidProofBatchError("node_id", `${batch.node_id} is not a node number below node_count ${nodeCount}`);
  }
  const seen = new Set<number>();
  const out: BatchIntegrity = { duplicates: [], outsideStride: [] };
  batch.nonces.forEach((n, i) => {
    if (seen.has(n)) out.duplicates.push(i);
    else seen.add(n);
    if (nodeCount !== undefined && n % nodeCount !== batch.node_id) out.outsideStride.push(i);
  });
  return out;
}

function isInt(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v);
}

/**
 * Checks an untrusted JSON value is a well-formed {@link ProofBatch} and returns it typed.
 * Throws {@link InvalidProofBatchError} naming the offending field.
 *
 * @example const batch = parseProofBatch(await req.json());
 */
export function parseProofBatch(body: unknown): ProofBatch {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new InvalidProofBatchError("(root)", "must be a JSON object");
  }
  const b = body as Record<string, unknown>;
  for (const f of ["public_key", "block_hash"] as const) {
    if (typeof b[f] !== "string" || (b[f] as string).length === 0) throw new InvalidProofBatchError(f, "must be a non-empty string");
  }
  if (!isInt(b.block_height)) throw new InvalidProofBatchError("block_height", "must be an integer");
  const nodeId = b.node_id === undefined ? 0 : b.node_id;
  if (!isInt(nodeId)) throw new InvalidProofBatchError("node_id", "must be an integer");
  if (!Array.isArray(b.nonces)) throw new InvalidProofBatchError("nonces", "must be an array of integers");
  if (!Array.isArray(b.dist)) throw new InvalidProofBatchError("dist", "must be an array of numbers");
  b.nonces.forEach((n, i) => {
    if (!isInt(n) || n < 0) throw new InvalidProofBatchError(`nonces[${i}]`, "must be a non-negative safe integer");
  });
  b.dist.forEach((d, i) => {
    if (typeof d !== "number") throw new InvalidProofBatchError(`dist[${i}]`, "must be a number");
  });
  return {
    public_key: b.public_key as string,
    block_hash: b.block_hash as string,
    block_height: b.block_height,
    nonces: b.nonces as number[],
    dist: b.dist as number[],
    node_id: nodeId,
  };
}

/**
 * Checks a claimed batch before validation: `nonces` and `dist` of equal length, every claimed
 * distance finite, in [0, 2] and below `r_target` (a generated batch holds only valid nonces).
 */
export function checkClaimedBatch(batch: ProofBatch, rTarget: number): void {
  if (batch.nonces.length !== batch.dist.length) {
    throw new InvalidProofBatchError("dist", `has ${batch.dist.length} entries but nonces has ${batch.nonces.length}`);
  }
  batch.dist.forEach((d, i) => {
    if (typeof d !== "number" || Number.isNaN(d)) throw new InvalidProofBatchError(`dist[${i}]`, "is NaN");
    if (d < 0 || d > 2 || !Number.isFinite(d)) throw new InvalidProofBatchError(`dist[${i}]`, `${d} lies outside [0, 2]`);
    if (d >= rTarget) throw new InvalidProofBatchError(`dist[${i}]`, `claimed ${d} is not below r_target ${rTarget}`);
  });
}

function checkThresholds(rTarget: number, fraudThreshold: number): void {
  if (!(rTarget > 0 && rTarget <= 2)) throw new InvalidProofBatchError("r_target", `must lie in (0, 2], got ${rTarget}`);
  if (!(fraudThreshold >= 0 && fraudThreshold <= 1)) {
    throw new InvalidProofBatchError("fraud_threshold", `must lie in [0, 1], got ${fraudThreshold}`);
  }
}

/**
 * Builds the {@link ValidatedBatch} from a claimed batch and the recomputed distances:
 * `n_invalid` counts recomputed `dist > r_target`, plus every repeated nonce and (with
 * `nodeCount`) every nonce outside the claimed node's stride ({@link checkBatchIntegrity}), so a
 * batch padded with repeats or another node's nonces fails the fraud test; `probability_honest` is the binomial upper
 * tail with p = 5e-4, `fraud_detected = probability_honest < fraud_threshold`.
 *
 * @example const v = assessBatch(batch, recomputed, { rTarget: 1.4013564660458173 });
 */
export function assessBatch(batch: ProofBatch, recomputed: ArrayLike<number>, options: ValidationOptions = {}): ValidatedBatch {
  const rTarget = options.rTarget ?? DEFAULT_R_TARGET;
  const fraudThreshold = options.fraudThreshold ?? DEFAULT_FRAUD_THRESHOLD;
  checkThresholds(rTarget, fraudThreshold);
  checkClaimedBatch(batch, rTarget);
  if (recomputed.length !== batch.nonces.length) {
    throw new InvalidProofBatchError("dist", `recomputed ${recomputed.length} distances for ${batch.nonces.length} nonces`);
  }
  const dist = Array.from(recomputed);
  const integrity = checkBatchIntegrity(batch, options);
  const bad = new Set<number>([...integrity.duplicates, ...integrity.outsideStride]);
  let nInvalid = 0;
  dist.forEach((d, i) => { if (bad.has(i) || !(d <= rTarget)) nInvalid++; });
  const probabilityHonest = binomialUpperTail(nInvalid, dist.length, POC_MISMATCH_PROBABILITY);
  return {
    public_key: batch.public_key,
    block_hash: batch.block_hash,
    block_height: batch.block_height,
    nonces: [...batch.nonces],
    dist,
    node_id: batch.node_id,
    received_dist: [...batch.dist],
    r_target: rTarget,
    fraud_threshold: fraudThreshold,
    n_invalid: nInvalid,
    probability_honest: probabilityHonest,
    fraud_detected: probabilityHonest < fraudThreshold,
  };
}

/**
 * Keeps the nonces with `dist < r_target`, as MLNode workers do before queueing a batch.
 *
 * @example filterValid([5, 6], [1.2, 1.5], 1.4) // { nonces: [5], dist: [1.2] }
 */
export function filterValid(nonces: ArrayLike<number>, dist: ArrayLike<number>, rTarget: number): { nonces: number[]; dist: number[] } {
  const out = { nonces: [] as number[], dist: [] as number[] };
  for (let i = 0; i < nonces.length; i++) {
    if (dist[i] < rTarget) {
      out.nonces.push(nonces[i]);
      out.dist.push(dist[i]);
    }
  }
  return out;
}

/**
 * Merges batches of one node into one (the sender merges everything queued since its last POST).
 */
export function mergeBatches(batches: ProofBatch[]): ProofBatch | null {
  if (batches.length === 0) return null;
  const first = batches[0];
  return {
    ...first,
    nonces: batches.flatMap((b) => b.nonces),
    dist: batches.flatMap((b) => b.dist),
  };
}
