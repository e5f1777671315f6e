/**
 * Mainnet PoC v2 values per model and network-wide (spec §11.4, §13, §15; chain-upgrades §7),
 * as data. Governance can change the chain's values; read them from the chain when it matters.
 */

/** The stat-test parameters of a model as the chain stores them. */
export interface PocStatTest {
  /** `dist_threshold`: the largest L2 distance counted as a match. */
  distThreshold: number;
  /** `p_mismatch`: the honest per-nonce mismatch probability. */
  pMismatch: number;
  /**
   * The chain's `p_value_threshold`. The API node sends it under that name, the MLNode and vLLM
   * expect `fraud_threshold` and drop it, so vLLM decides with its default 0.01
   * ({@link VLLM_FRAUD_THRESHOLD}). Send `fraud_threshold` explicitly to choose.
   */
  pValueThreshold: number;
}

/** One PoC model (`PoCModelConfig` plus the facts an implementation needs). */
export interface PocV2Model {
  modelId: string;
  /** `seq_len` of the PoC inputs. */
  seqLen: number;
  /** `k_dim` (the MLNode default; the API node omits it). */
  kDim: number;
  /** `get_hidden_size()` of the served model (from its public config). */
  hiddenSize: number;
  /** Decoder layers (one Householder reflection each). */
  layers: number;
  /** The dtype the inputs are cast to (`torch_dtype` of the HF config). */
  inputDtype: "bfloat16";
  statTest: PocStatTest;
  /** `weight_scale_factor` (LegacyDec string): consensus weight per unit of PoC weight. */
  weightScaleFactor: string;
  /** The release that added it. */
  since: string;
}

/** The three mainnet PoC models at v0.2.13. */
export const POC_V2_MAINNET_MODELS: readonly PocV2Model[] = Object.freeze(([
  {
    modelId: "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8",
    seqLen: 1024,
    kDim: 12,
    hiddenSize: 4096,
    layers: 94,
    inputDtype: "bfloat16" as const,
    statTest: { distThreshold: 0.2, pMismatch: 0.1, pValueThreshold: 0.05 },
    weightScaleFactor: "0.3593",
    since: "v0.2.8 (tracking), v0.2.9",
  },
  {
    modelId: "moonshotai/Kimi-K2.6",
    seqLen: 1024,
    kDim: 12,
    hiddenSize: 7168,
    layers: 61,
    inputDtype: "bfloat16" as const,
    statTest: { distThreshold: 0.4, pMismatch: 0.1, pValueThreshold: 0.05 },
    weightScaleFactor: "0.78",
    since: "v0.2.12",
  },
  {
    modelId: "MiniMaxAI/MiniMax-M2.7",
    seqLen: 1024,
    kDim: 12,
    hiddenSize: 3072,
    layers: 62,
    inputDtype: "bfloat16" as const,
    statTest: { distThreshold: 0.75, pMismatch: 0.1, pValueThreshold: 0.05 },
    weightScaleFactor: "0.3024",
    since: "v0.2.13",
  },
] satisfies PocV2Model[]).map((m): PocV2Model => Object.freeze({ ...m, statTest: Object.freeze(m.statTest) })));

/** The mainnet model with this id, or `undefined`. */
export function pocV2Model(modelId: string): PocV2Model | undefined {
  return POC_V2_MAINNET_MODELS.find((m) => m.modelId === modelId);
}

/** The fraud threshold vLLM actually applies on mainnet (the chain's 0.05 never reaches it). */
export const VLLM_FRAUD_THRESHOLD = 0.01;

/** vLLM's `stat_test` defaults when a request carries none. */
export const VLLM_STAT_TEST_DEFAULTS = Object.freeze({ distThreshold: 0.02, pMismatch: 0.001, fraudThreshold: 0.01 });

/** The chain's defaults (params.go) and the Go client's, for models without their own values. */
export const CHAIN_STAT_TEST_DEFAULTS: PocStatTest = Object.freeze({ distThreshold: 0.4, pMismatch: 0.1, pValueThreshold: 0.05 });

/** Network-wide PoC v2 values on mainnet after v0.2.10/v0.2.12/v0.2.13. */
export const POC_V2_MAINNET_PARAMS = Object.freeze({
  pocV2Enabled: true,
  confirmationPocV2Enabled: true,
  /** `validation_sample_size`; the chain's 0 means 200. */
  validationSampleSize: 200,
  /** `validation_slots` as v0.2.10 set it (0: every validator checks everyone); governance may have changed it. */
  validationSlots: 0,
  pocNormalizationEnabled: true,
  /** `poc_stronger_rng_enabled`: off by default; a governance vote may turn it on. */
  pocStrongerRngEnabled: false,
  epochLength: 17280,
  pocStageDuration: 35,
  pocExchangeDuration: 0,
  pocValidationDelay: 5,
  pocValidationDuration: 240,
  inferenceValidationCutoff: 2,
  setNewValidatorsDelay: 120,
  confirmationPocSafetyWindow: 500,
  /** Assumed seconds per block in the time normalisation. */
  blockTimeSeconds: "5.41",
  /** `cap_factor` since v0.2.12 (caps non-initial model groups' consensus weight). */
  capFactor: "0.75",
  /** Most leaf indices per proof request. */
  maxProofLeafIndices: 500,
  /** Default vLLM generation batch. */
  batchSize: 32,
  /** vLLM's callback interval, seconds. */
  callbackIntervalSeconds: 5,
  /** The API node's commit interval, seconds. */
  commitIntervalSeconds: 5,
});
