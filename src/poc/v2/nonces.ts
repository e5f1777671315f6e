/**
 * Which nonces each vLLM backend computes during generation (spec §6): an arithmetic progression
 * per (MLNode, backend), so no two backends of a host ever repeat a nonce.
 */
import { requireInt } from "./bytes.js";

/** Where a backend sits: `nodeId` = the API node's `node_num` (1, 2, …), `nodeCount` = highest `node_num` + 1. */
export interface NonceScheduleArgs {
  nodeId: number;
  nodeCount: number;
  /** Position of the vLLM backend in the MLNode's port-sorted healthy list; default 0. */
  groupId?: number;
  /** Number of healthy backends behind the MLNode; default 1. */
  nGroups?: number;
}

/**
 * The `index`-th nonce of a backend: `nodeId + groupId·nodeCount + index·(nGroups·nodeCount)`.
 *
 * @example
 * ```ts
 * [0, 1, 2].map((i) => generationNonce({ nodeId: 2, nodeCount: 3 }, i)); // [2, 5, 8]
 * ```
 */
export function generationNonce(args: NonceScheduleArgs, index: number): number {
  const nodeCount = requireInt(args.nodeCount, "nodeCount", 1, 2 ** 31 - 1);
  const nodeId = requireInt(args.nodeId, "nodeId", 0, nodeCount - 1);
  const nGroups = requireInt(args.nGroups ?? 1, "nGroups", 1, 2 ** 31 - 1);
  const groupId = requireInt(args.groupId ?? 0, "groupId", 0, nGroups - 1);
  requireInt(index, "index", 0, Number.MAX_SAFE_INTEGER);
  return nodeId + groupId * nodeCount + index * nGroups * nodeCount;
}

/** The nonces of batch `batch` (0-based) of `batchSize` (default 32, the network's default). */
export function generationBatch(args: NonceScheduleArgs, batch: number, batchSize = 32): number[] {
  requireInt(batch, "batch", 0, Number.MAX_SAFE_INTEGER);
  requireInt(batchSize, "batchSize", 1, 1 << 20);
  return Array.from({ length: batchSize }, (_, i) => generationNonce(args, batch * batchSize + i));
}
