/**
 * In-memory state of the devnet's network node (the decentralized-api part): registered MLNodes,
 * PoC batches received from MLNodes, and the inferences it served.
 */
import type { ProofBatch, ValidatedBatch } from "../poc/index.js";

/** `InferenceNodeConfig` of the admin API (rest-apis.md §3.1), snake_case as on the wire. */
export interface InferenceNodeConfig {
  id: string;
  host: string;
  inference_segment?: string;
  inference_port: number;
  poc_segment?: string;
  poc_port: number;
  models: Record<string, { args: string[] }>;
  max_concurrent: number;
  hardware?: { type: string; count: number }[];
  version?: string;
}

/** A registered MLNode with its local state. */
export interface DevnetNode {
  config: InferenceNodeConfig;
  nodeNum: number;
  enabled: boolean;
  enabledEpoch: bigint;
  statusTimestamp: Date;
}

/** A PoC batch received on the ML callback server (`/v1/poc-batches/generated`). */
export interface ReceivedPocBatch extends ProofBatch {
  received_at: Date;
}

/** A validation result received on `/v1/poc-batches/validated`. */
export interface ReceivedValidation extends ValidatedBatch {
  received_at: Date;
}

/** An inference the devnet's transfer agent served. */
export interface DevnetInference {
  id: string;
  model: string;
  requestedBy: string;
  transferredBy: string;
  executedBy: string;
  promptHash: string;
  responseHash: string;
  originalPrompt: string;
  responsePayload: string;
  promptTokens: number;
  completionTokens: number;
  requestTimestamp: bigint;
  height: bigint;
}

/** The network node's mutable state. */
export interface DevnetState {
  nodes: Map<string, DevnetNode>;
  nextNodeNum: number;
  pocBatches: ReceivedPocBatch[];
  pocValidations: ReceivedValidation[];
  inferences: Map<string, DevnetInference>;
  usedAuthKeys: Set<string>;
  /** Listeners told about every batch that arrives (used by `devnet.waitForPocBatches`). */
  batchListeners: Set<() => void>;
}

/** A fresh, empty state. */
export function createDevnetState(): DevnetState {
  return {
    nodes: new Map(),
    nextNodeNum: 1,
    pocBatches: [],
    pocValidations: [],
    inferences: new Map(),
    usedAuthKeys: new Set(),
    batchListeners: new Set(),
  };
}
