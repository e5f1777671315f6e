/**
 * The devnet's validator nodes (inference-flow.md §5–§8): every devnet participant's node reacts
 * to finished inferences like an API node — it samples with `shouldValidate` (its epoch seed,
 * the executor's reputation, the weights, the traffic basis), and when selected runs the SDK's
 * `validateInference` against the devnet over HTTP: payloads fetched signed from the executor,
 * re-run on its own "MLNode" (the fake model, with the executor's tokens enforced), scored, and
 * `MsgValidation` sent as a real tx. When the chain opens an invalidation vote, every node
 * revalidates (`revalidation: true`), which casts its vote. A cheating participant's node runs its
 * cheap model for everything, validation included.
 */
import { createChainClient, walletFromPrivateKey, type ChainClient } from "../chain/index.js";
import { InferenceStatus, type Inference } from "../../generated/proto/inference/inference/inference_pb.js";
import { ParticipantStatus } from "../../generated/proto/inference/inference/participant_pb.js";
import { validateInference, type InferenceValidationResult, type SamplingInputs } from "../inference/validation/flow.js";
import type { ValidationMlNode } from "../inference/validation/flow-mlnode.js";
import { TimeoutError } from "../errors.js";
import type { ChainState } from "./chain/index.js";
import { modelGroupWeights, participantReputation } from "./chain/exec-validation.js";
import type { DevnetIdentity } from "./devnet-keys.js";
import { fakeModelReplay } from "./fake-model.js";

/** One validator node of the devnet. */
export interface DevnetValidatorNode {
  /** A name for logs (the executor's name, or `"devnet"` for the devnet's own participant). */
  name: string;
  identity: DevnetIdentity;
  /** The model its MLNode runs: `""` the served one, else a cheat's variant. */
  variant: string;
}

/** One validation a devnet node made (or tried). */
export interface DevnetValidationRecord {
  validator: string;
  validatorName: string;
  inferenceId: string;
  revalidation: boolean;
  /** The flow's result (absent when it threw). */
  result?: InferenceValidationResult;
  /** What it threw (a refused tx, …). */
  error?: Error;
}

/** The devnet's validator nodes, running in the background. */
export interface DevnetValidators {
  readonly nodes: readonly DevnetValidatorNode[];
  /** Every validation made so far, in completion order. */
  readonly records: readonly DevnetValidationRecord[];
  /**
   * Resolves once every node has handled every finished inference and every open vote it can vote
   * on (nothing queued, nothing in flight). Rejects with `TimeoutError` after `timeoutMs` (default 60 000).
   */
  settle(options?: { timeoutMs?: number }): Promise<void>;
  /** Stops the loop and waits for the validations in flight. */
  stop(): Promise<void>;
}

/** The sampling inputs the chain records for an inference, from the devnet chain's state. */
export function devnetSamplingInputs(state: ChainState, inf: Inference, validator: string): SamplingInputs {
  const group = modelGroupWeights(state);
  const total = [...group.values()].reduce((a, b) => a + b, 0n);
  const count = (epoch: bigint, upTo?: bigint) =>
    [...state.inferences.values()].filter((i) => i.epochId === epoch && i.endBlockHeight > 0n && (upTo === undefined || i.endBlockHeight <= upTo)).length;
  const traffic = Math.max(count(inf.epochId, inf.endBlockHeight), inf.epochId > 0n ? count(inf.epochId - 1n) : 0);
  return {
    executorReputation: participantReputation(state, inf.executedBy),
    trafficBasis: traffic,
    executorPower: state.power.get(inf.executedBy) ?? 0n,
    validatorPower: group.get(validator) ?? 0n,
    totalPower: total,
  };
}

interface Task {
  node: DevnetValidatorNode;
  inferenceId: string;
  revalidation: boolean;
}

/**
 * Starts the devnet's validator nodes: a loop every `intervalMs` finds new work in the chain's
 * state (finished inferences, open votes) and each node works through its queue one task at a
 * time, revalidations first (one wallet, one tx at a time).
 */
export function startDevnetValidators(args: {
  chainState: ChainState;
  url: string;
  chainId: string;
  nodes: readonly DevnetValidatorNode[];
  /** `"spec"` (default): sample with `shouldValidate`; `"always"`: every node validates every inference. */
  sampling?: "spec" | "always";
  intervalMs?: number;
}): DevnetValidators {
  const { chainState } = args;
  const chain: ChainClient = createChainClient({ url: args.url, chainId: args.chainId, pollIntervalMs: 50, confirmTimeoutMs: 30_000 });
  const wallets = new Map(args.nodes.map((n) => [n.identity.address, walletFromPrivateKey(n.identity.accountKey)]));
  const seen = new Set<string>();
  const voted = new Set<string>();
  const queues = new Map<string, Task[]>(args.nodes.map((n) => [n.identity.address, []]));
  const busy = new Set<string>();
  const inflight = new Set<Promise<void>>();
  const records: DevnetValidationRecord[] = [];
  const abort = new AbortController();
  let stopped = false;

  const mlNodeOf = (variant: string): ValidationMlNode => ({
    complete: async (request) => fakeModelReplay(request.body, { variant }),
  });

  const run = async (task: Task) => {
    const { node } = task;
    const address = node.identity.address;
    try {
      const result = await validateInference({
        chain,
        wallet: wallets.get(address)!,
        inferenceId: task.inferenceId,
        mlNode: mlNodeOf(node.variant),
        revalidation: task.revalidation,
        sampling: args.sampling === "always" ? "always" : (inf) => devnetSamplingInputs(chainState, inf, address),
        payloadAttempts: 3,
        payloadRetryDelayMs: 200,
        payloadTimeoutMs: 5000,
        signal: abort.signal,
      });
      records.push({ validator: address, validatorName: node.name, inferenceId: task.inferenceId, revalidation: task.revalidation, result });
    } catch (e) {
      if (!stopped) records.push({ validator: address, validatorName: node.name, inferenceId: task.inferenceId, revalidation: task.revalidation, error: e instanceof Error ? e : new Error(String(e)) });
    }
  };

  const pump = () => {
    for (const node of args.nodes) {
      const address = node.identity.address;
      const queue = queues.get(address)!;
      if (busy.has(address) || queue.length === 0 || stopped) continue;
      const task = queue.shift()!;
      busy.add(address);
      const p = run(task).finally(() => {
        busy.delete(address);
        inflight.delete(p);
        pump();
      });
      inflight.add(p);
    }
  };

  /** Finds new work; returns how many tasks were queued. */
  const scan = (): number => {
    let queued = 0;
    for (const node of args.nodes) {
      const address = node.identity.address;
      // a node whose participant is no longer ACTIVE cannot send MsgValidation
      if (chainState.participants.get(address)?.status !== ParticipantStatus.ACTIVE) continue;
      const queue = queues.get(address)!;
      for (const inf of chainState.inferences.values()) {
        const id = inf.inferenceId || inf.index;
        const vote = chainState.inferenceVotes.get(id);
        const key = `${address}|${id}`;
        if (inf.status === InferenceStatus.VOTING && vote && vote.weights.has(address) && !vote.invalidate.has(address) && !voted.has(key)) {
          voted.add(key);
          seen.add(key);
          // the revalidation is this node's validation of it: a first validation still queued is dropped
          const pending = queue.findIndex((t) => t.inferenceId === id && !t.revalidation);
          if (pending >= 0) queue.splice(pending, 1);
          queue.unshift({ node, inferenceId: id, revalidation: true });
          queued++;
        }
        if (inf.endBlockHeight > 0n && !seen.has(key)) {
          seen.add(key);
          if (inf.executedBy === address || inf.status === InferenceStatus.STARTED) continue;
          queue.push({ node, inferenceId: id, revalidation: false });
          queued++;
        }
      }
    }
    pump();
    return queued;
  };

  const timer = setInterval(scan, args.intervalMs ?? 100);
  timer.unref();

  return {
    nodes: args.nodes,
    records,
    async settle({ timeoutMs = 60_000 } = {}) {
      const start = Date.now();
      for (;;) {
        const queued = scan();
        const idle = queued === 0 && inflight.size === 0 && [...queues.values()].every((q) => q.length === 0);
        if (idle) return;
        if (Date.now() - start > timeoutMs) throw new TimeoutError("waiting for the devnet's validators", timeoutMs);
        if (inflight.size > 0) await Promise.race([...inflight, new Promise((r) => setTimeout(r, 50))]);
        else await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      abort.abort();
      await Promise.allSettled([...inflight]);
      chain.close?.();
    },
  };
}
