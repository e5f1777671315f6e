/**
 * `gonka-sdk/poc/v2`: PoC v2 as mainnet runs it since v0.2.9 (see docs/poc-v2.md).
 * Everything around the served model: seeds, inputs, artifacts, MMR commitments, proofs,
 * sampling, the statistical test and weights.
 */
export {};
