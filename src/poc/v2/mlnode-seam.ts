/**
 * The MLNode seam of the PoC v2 flows. Generating artifacts and recomputing them for validation
 * are forward passes of the **served model**: they need an MLNode serving that exact model on a
 * GPU. The flows reach it only through these two small interfaces, so anything that answers them
 * works: a real MLNode through `createMlNodeClient` ({@link pocV2MlNodeFromClient}), the devnet's
 * stand-in, or a test double.
 * @module
 */
import type { MlNodePocV2Api } from "../../mlnode/client.js";
import type { PocV2GenerateRequest, PocV2GenerateResponse } from "../../mlnode/types.js";
import { messageOf } from "../../errors.js";
import { MlNodeValidationError } from "./flow-errors.js";
import { checkAborted, sleep } from "./flow-util.js";

/** What a validator asks its MLNode to recompute and test (one participant, one model). */
export interface PocV2RecomputeRequest {
  /** The **generation** block hash: the stage start's hash (regular PoC: upper-case hex). */
  blockHash: string;
  /** The stage start height. */
  blockHeight: number;
  /** The participant's public key (`hex_pub_key` of its commit, lower-case hex). */
  publicKey: string;
  modelId: string;
  /** `seq_len` of the model's PoC inputs. */
  seqLen: number;
  /** `k_dim` (omit for the MLNode's default 12). */
  kDim?: number;
  /** `poc_stronger_rng` (sent only when true, as the API node does). */
  strongerRng?: boolean;
  /** The nonces to recompute: exactly the nonces of `artifacts`. */
  nonces: number[];
  /** The participant's verified artifacts. */
  artifacts: { nonce: number; vector_b64: string }[];
  /** The test, under the MLNode's names (`fraud_threshold`, not the chain's `p_value_threshold`). */
  statTest: { distThreshold: number; pMismatch: number; fraudThreshold: number };
}

/** The MLNode's verdict (the body vLLM posts to `/validated`). */
export interface PocV2Verdict {
  nTotal: number;
  nMismatch: number;
  mismatchNonces: number[];
  pValue: number;
  fraudDetected: boolean;
}

/** An MLNode that recomputes artifacts and runs the statistical test: the validator's seam. */
export interface PocV2MlNode {
  /** Recomputes `nonces` with the served model and tests them against `artifacts`. */
  validate(request: PocV2RecomputeRequest, options?: { signal?: AbortSignal }): Promise<PocV2Verdict>;
  /** Stops any generation still running (the API node stops its MLNodes when validation starts; queued jobs wait behind generation). */
  stop?(options?: { signal?: AbortSignal }): Promise<unknown>;
}

/** An MLNode that generates artifacts (`init/generate` … `stop`): the host's seam. */
export type PocV2GenerationNode = Pick<MlNodePocV2Api, "initGenerate" | "stop">;

/** Options of {@link pocV2MlNodeFromClient}. */
export interface PocV2MlNodeClientOptions {
  /** How often to poll a queued job (default 1000 ms). */
  pollMs?: number;
  /** Give up on one recomputation after this long (default 600 000 ms). */
  timeoutMs?: number;
  /** Nonces per forward pass (`batch_size`, default 32 as the network). */
  batchSize?: number;
}

function verdictOf(r: PocV2GenerateResponse, modelId: string): PocV2Verdict {
  if (typeof r.n_total !== "number" || typeof r.fraud_detected !== "boolean") {
    throw new MlNodeValidationError(modelId, "the completed job carries no verdict (n_total, fraud_detected); was `validation` dropped?");
  }
  return {
    nTotal: r.n_total,
    nMismatch: r.n_mismatch ?? 0,
    mismatchNonces: r.mismatch_nonces ?? [],
    pValue: r.p_value ?? 1,
    fraudDetected: r.fraud_detected,
  };
}

/**
 * The validator seam over an MLNode client: `POST /api/v1/inference/pow/generate` with
 * `validation.artifacts` and `stat_test` (sending `fraud_threshold`, the name the MLNode reads),
 * queued like the API node does, then polled (`GET …/generate/{request_id}`) until completed.
 *
 * @example
 * ```ts
 * const mlNode = pocV2MlNodeFromClient(createMlNodeClient({ baseUrl: "http://gpu-host:8080" }));
 * ```
 */
export function pocV2MlNodeFromClient(client: { pocV2: Pick<MlNodePocV2Api, "generate" | "result" | "stop"> }, options: PocV2MlNodeClientOptions = {}): PocV2MlNode {
  const pollMs = options.pollMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 600_000;
  return {
    stop: (o) => client.pocV2.stop(o?.signal ? { signal: o.signal } : undefined),
    async validate(req, o = {}) {
      const request: PocV2GenerateRequest = {
        block_hash: req.blockHash,
        block_height: req.blockHeight,
        public_key: req.publicKey,
        node_id: 0,
        node_count: 1,
        nonces: req.nonces,
        params: { model: req.modelId, seq_len: req.seqLen, ...(req.kDim !== undefined ? { k_dim: req.kDim } : {}) },
        batch_size: options.batchSize ?? 32,
        wait: false,
        validation: { artifacts: req.artifacts },
        stat_test: { dist_threshold: req.statTest.distThreshold, p_mismatch: req.statTest.pMismatch, fraud_threshold: req.statTest.fraudThreshold },
        ...(req.strongerRng ? { poc_stronger_rng: true } : {}),
      } as PocV2GenerateRequest;
      let r: PocV2GenerateResponse;
      try {
        r = await client.pocV2.generate(request, o.signal ? { signal: o.signal } : undefined);
      } catch (e) {
        throw new MlNodeValidationError(req.modelId, messageOf(e), { cause: e });
      }
      const start = Date.now();
      while (r.status === "queued" || r.status === "running") {
        if (!r.request_id) throw new MlNodeValidationError(req.modelId, "the MLNode queued the job without a request_id");
        if (Date.now() - start > timeoutMs) throw new MlNodeValidationError(req.modelId, `no result after ${timeoutMs} ms (job ${r.request_id})`);
        await sleep(pollMs, o.signal, "MLNode recomputation");
        checkAborted(o.signal, "MLNode recomputation");
        try {
          r = await client.pocV2.result(r.request_id, o.signal ? { signal: o.signal } : undefined);
        } catch (e) {
          throw new MlNodeValidationError(req.modelId, messageOf(e), { cause: e });
        }
      }
      if (r.status === "failed") throw new MlNodeValidationError(req.modelId, `the job failed${r.request_id ? ` (${r.request_id})` : ""}`);
      return verdictOf(r, req.modelId);
    },
  };
}
