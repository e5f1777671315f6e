/**
 * Inference validation played out on the devnet (`startDevnet({ inferenceValidation })`):
 * executors answer chat requests with the fake model's top-5 logprobs (one may cheat with a
 * different model), and the validator nodes of every devnet participant sample, re-run with the
 * executor's tokens enforced, score and vote; the devnet chain decides, opens invalidation votes,
 * counts revalidations and moves the executors' counters, SPRT and status.
 */
import type { ChainState } from "./chain/index.js";
import { participantReputation } from "./chain/exec-validation.js";
import type { DevnetIdentity } from "./devnet-keys.js";
import { createDevnetExecutors, type DevnetExecutor, type DevnetExecutors, type DevnetExecutorSpec } from "./inference-executors.js";
import { startDevnetValidators, type DevnetValidationRecord, type DevnetValidators } from "./inference-validators.js";
import { ParticipantStatus } from "../../generated/proto/inference/inference/participant_pb.js";

/** Options of `startDevnet({ inferenceValidation })`. */
export interface DevnetInferenceValidationOptions {
  /** The executors (default one honest executor, `"executor-1"`). The devnet's own participant stays the transfer agent. */
  executors?: readonly DevnetExecutorSpec[];
  /** Run the devnet's validator nodes (default true). Off: validate yourself with `validateInference`. */
  validators?: boolean;
  /** `"spec"` (default): nodes sample with `shouldValidate`; `"always"`: every node checks every inference. */
  sampling?: "spec" | "always";
  /** Epochs completed of the devnet's own participant (default 30: reputation 100). */
  epochsCompleted?: number;
}

/** A participant's standing as the chain keeps it. */
export interface DevnetParticipantStanding {
  address: string;
  status: "ACTIVE" | "INVALID" | "INACTIVE" | "UNSPECIFIED";
  /** Reputation 0–100 from its completed epochs. */
  reputation: number;
  epochsCompleted: number;
  validatedInferences: bigint;
  invalidatedInferences: bigint;
  consecutiveInvalidInferences: bigint;
  /** `current_epoch_stats.invalidLLR` as a decimal string. */
  invalidLLR: string;
}

/** The running inference-validation pieces of a devnet. */
export interface DevnetInferenceValidation {
  /** The executors (addresses, names, which one cheats). */
  readonly executors: readonly DevnetExecutor[];
  /** The executor set the transfer agent uses. */
  readonly executorSet: DevnetExecutors;
  /** The validator nodes (absent with `validators: false`). */
  readonly validators?: DevnetValidators;
  /** Every validation the devnet's nodes made. */
  readonly records: readonly DevnetValidationRecord[];
  /** Waits until the validator nodes have nothing left to do (see `DevnetValidators.settle`). */
  settle(options?: { timeoutMs?: number }): Promise<void>;
  /** A participant's status, reputation and validation counters. */
  standing(address: string): DevnetParticipantStanding;
  stop(): Promise<void>;
}

const STATUS: Record<number, DevnetParticipantStanding["status"]> = {
  [ParticipantStatus.ACTIVE]: "ACTIVE",
  [ParticipantStatus.INVALID]: "INVALID",
  [ParticipantStatus.INACTIVE]: "INACTIVE",
};

/** Starts the executors and the validator nodes (the chain's own participant must exist already). */
export function startDevnetInferenceValidation(args: {
  chainState: ChainState;
  url: string;
  chainId: string;
  transferAgent: DevnetIdentity;
  options: DevnetInferenceValidationOptions;
}): DevnetInferenceValidation {
  const { chainState, options } = args;
  const own = chainState.participants.get(args.transferAgent.address);
  if (own) own.epochsCompleted = options.epochsCompleted ?? 30;
  const executorSet = createDevnetExecutors({
    chainState,
    specs: options.executors ?? [{ name: "executor-1" }],
    url: args.url,
    transferAgent: args.transferAgent,
  });
  const validators =
    options.validators === false
      ? undefined
      : startDevnetValidators({
          chainState,
          url: args.url,
          chainId: args.chainId,
          sampling: options.sampling ?? "spec",
          nodes: [
            { name: "devnet", identity: args.transferAgent, variant: "" },
            ...executorSet.list.map((e) => ({ name: e.name, identity: e.identity, variant: e.variant })),
          ],
        });
  return {
    executors: executorSet.list,
    executorSet,
    ...(validators ? { validators } : {}),
    get records() {
      return validators?.records ?? [];
    },
    settle: (o) => (validators ? validators.settle(o) : Promise.resolve()),
    standing(address) {
      const p = chainState.participants.get(address);
      const s = p?.currentEpochStats;
      const llr = s?.invalidLLR;
      return {
        address,
        status: STATUS[p?.status ?? 0] ?? "UNSPECIFIED",
        reputation: participantReputation(chainState, address),
        epochsCompleted: p?.epochsCompleted ?? 0,
        validatedInferences: s?.validatedInferences ?? 0n,
        invalidatedInferences: s?.invalidatedInferences ?? 0n,
        consecutiveInvalidInferences: p?.consecutiveInvalidInferences ?? 0n,
        invalidLLR: llr ? decimalString(llr.value, llr.exponent) : "0",
      };
    },
    stop: async () => {
      await validators?.stop();
    },
  };
}

function decimalString(value: bigint, exponent: number): string {
  const neg = value < 0n;
  let digits = (neg ? -value : value).toString();
  if (exponent >= 0) return `${neg ? "-" : ""}${digits}${"0".repeat(exponent)}`;
  digits = digits.padStart(-exponent + 1, "0");
  const s = `${digits.slice(0, exponent)}.${digits.slice(exponent)}`.replace(/\.?0+$/, "");
  return `${neg && s !== "0" ? "-" : ""}${s}`;
}

/** The executor set of a validation that starts once the public port is known. */
export function lazyDevnetExecutors(get: () => DevnetInferenceValidation | undefined): DevnetExecutors {
  const set = () => {
    const v = get();
    if (!v) throw new Error("the devnet's executors are not started yet");
    return v.executorSet;
  };
  return {
    get list() {
      return get()?.executorSet.list ?? [];
    },
    get executed() {
      return get()?.executorSet.executed ?? new Map();
    },
    execute: (request) => set().execute(request),
    payloads: (id) => get()?.executorSet.payloads(id),
  };
}
