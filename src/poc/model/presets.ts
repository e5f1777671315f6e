import type { PocParams } from "./params.js";

/**
 * The parameters the API node sends to MLNodes on mainnet today (Go `MainNetParams`):
 * 64 layers of dim 1792, FFN hidden 49152, vocab 8196, seq 256 — about 17.7 billion parameters.
 */
export const POC_PARAMS_V2: Readonly<PocParams> = Object.freeze({
  dim: 1792,
  nLayers: 64,
  nHeads: 64,
  nKvHeads: 64,
  vocabSize: 8196,
  ffnDimMultiplier: 10.0,
  multipleOf: 8192,
  normEps: 1e-5,
  ropeTheta: 10000,
  useScaledRope: false,
  seqLen: 256,
});

/**
 * The MLNode's built-in default parameters (used when a request omits `params`; the original
 * PoW model): dim 2048, 16 layers, vocab 8192, seq 16.
 */
export const POC_PARAMS_V1: Readonly<PocParams> = Object.freeze({
  dim: 2048,
  nLayers: 16,
  nHeads: 16,
  nKvHeads: 16,
  vocabSize: 8192,
  ffnDimMultiplier: 1.3,
  multipleOf: 1024,
  normEps: 1e-5,
  ropeTheta: 500000.0,
  useScaledRope: false,
  seqLen: 16,
});

/** The API node's testnet parameters (Go `TestNetParams`). */
export const POC_PARAMS_TESTNET: Readonly<PocParams> = Object.freeze({
  dim: 1024,
  nLayers: 32,
  nHeads: 32,
  nKvHeads: 32,
  vocabSize: 8196,
  ffnDimMultiplier: 10.0,
  multipleOf: 2048,
  normEps: 1e-5,
  ropeTheta: 10000,
  useScaledRope: false,
  seqLen: 128,
});
