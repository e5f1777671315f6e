/**
 * The devnet's executors (inference-flow.md §3): extra participants, each running the fake model
 * on its "MLNode" — one may serve a different model under the requested name (a cheater). The
 * transfer agent (the devnet's own participant) picks one per request, round robin over the
 * ACTIVE ones; the executor rewrites the body like a node (logprobs on, `top_logprobs: 5`, a
 * seed, …), answers with top-5 logprobs in the OpenAI form (Go-encoded, `id` = the inference id),
 * keeps the prompt and response payloads, serves them signed on `GET /v1/inference/payloads`, and
 * the pair's `MsgStartInference` / `MsgFinishInference` are recorded in the devnet chain's state
 * (executed directly by their handlers, as the TA's and executor's nodes would broadcast them).
 */
import { create, type DescMessage, type Message } from "@bufbuild/protobuf";
import {
  MsgFinishInferenceSchema,
  MsgStartInferenceSchema,
} from "../../generated/proto/inference/inference/tx_pb.js";
import { ParticipantStatus } from "../../generated/proto/inference/inference/participant_pb.js";
import type { ChainState } from "./chain/index.js";
import { dispatch, type DevEvent } from "./chain/exec.js";
import { addDevnetParticipant } from "./chain-adapter.js";
import { devnetIdentity, type DevnetIdentity } from "./devnet-keys.js";
import { fakeChatCompletion, fakeChatCompletionStream, type ChatRequest } from "./fake-model.js";
import { promptHashes, sha256Hex, streamedResponsePayload } from "../inference/hashes.js";
import { goJsonStringify, type JsonValue } from "../inference/validation/go-json.js";
import { signComponents } from "../inference/signature-v2.js";

/** One devnet executor. */
export interface DevnetExecutorSpec {
  /** Its name; the participant's keys are derived from it (devnet only, public). */
  name: string;
  /** Weight / voting power (default 10, like the devnet's own participant). */
  power?: bigint;
  /**
   * Serve a different model under the requested name: `true` (a model called `"cheap"`) or the
   * variant's name. Its node also validates with that model (its MLNode is the cheap one).
   */
  cheat?: boolean | string;
  /** Epochs completed (reputation = min(100, epochs/30·100)); default 30 (reputation 100). */
  epochsCompleted?: number;
}

/** A running executor. */
export interface DevnetExecutor {
  name: string;
  address: string;
  /** `""` for the served model, else the cheat's variant. */
  variant: string;
  identity: DevnetIdentity;
}

/** What an executor kept of one inference (served on the payload route). */
export interface DevnetExecutedInference {
  inferenceId: string;
  executor: DevnetExecutor;
  model: string;
  promptPayload: string;
  responsePayload: string;
  promptHash: string;
  responseHash: string;
  /** `error_message` of the recorded Start / Finish, when the chain refused them softly. */
  chainErrors: string[];
}

/** The request as the transfer agent passes it on. */
export interface DevnetExecutionRequest {
  rawBody: Uint8Array;
  /** `Authorization` = the inference id. */
  inferenceId: string;
  requester: string;
  transferAddress: string;
  timestampNs: bigint;
  /** Unix seconds of the answer (`created`). */
  created: number;
}

/** The executor's answer. */
export type DevnetExecutionAnswer =
  | { kind: "json"; body: string; record: DevnetExecutedInference; usage: { prompt_tokens: number; completion_tokens: number } }
  | { kind: "stream"; lines: string[]; record: DevnetExecutedInference; usage: { prompt_tokens: number; completion_tokens: number } };

/** A thrown answer of the executor path (status and the node's text). */
export class DevnetExecutionError extends Error {
  override name = "DevnetExecutionError";
  constructor(
    readonly status: number,
    readonly text: string,
  ) {
    super(text);
  }
}

/** The executor set the public API hands chat requests to. */
export interface DevnetExecutors {
  readonly list: readonly DevnetExecutor[];
  /** Runs a request on the next ACTIVE executor and records it on chain. */
  execute(request: DevnetExecutionRequest): DevnetExecutionAnswer;
  /** What the inference's executor kept, for the payload route. */
  payloads(inferenceId: string): DevnetExecutedInference | undefined;
  /** Every inference executed so far. */
  readonly executed: ReadonlyMap<string, DevnetExecutedInference>;
}

/** The identity of a devnet executor by name (devnet only). */
export function devnetExecutorIdentity(name: string): DevnetIdentity {
  return devnetIdentity(`gonka-devnet-executor/${name}`);
}

function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p === "object" && (p as { type?: unknown }).type === "text" ? String((p as { text?: unknown }).text ?? "") : "")).join("");
  }
  return "";
}

/** int31 X-Seed: the TA picks a random one; the devnet derives it from the inference id (reproducible). */
function taSeed(inferenceId: string): number {
  return parseInt(sha256Hex(inferenceId).slice(0, 8), 16) & 0x7fffffff;
}

/**
 * Registers the executors as ACTIVE participants (power, keys, `inference_url` = the devnet's
 * public URL) and returns the executor set.
 */
export function createDevnetExecutors(args: {
  chainState: ChainState;
  specs: readonly DevnetExecutorSpec[];
  /** The devnet's public URL (all executors are served on it). */
  url: string;
  /** The transfer agent: the devnet's own participant. */
  transferAgent: DevnetIdentity;
}): DevnetExecutors {
  const { chainState } = args;
  const names = new Set<string>();
  const list: DevnetExecutor[] = args.specs.map((s) => {
    if (typeof s.name !== "string" || s.name === "" || names.has(s.name)) throw new Error(`devnet executors need distinct names (got ${JSON.stringify(s.name)})`);
    names.add(s.name);
    const identity = devnetExecutorIdentity(s.name);
    addDevnetParticipant(chainState, identity, args.url, s.power ?? 10n);
    chainState.participants.get(identity.address)!.epochsCompleted = s.epochsCompleted ?? 30;
    const variant = s.cheat === true ? "cheap" : typeof s.cheat === "string" ? s.cheat : "";
    return { name: s.name, address: identity.address, variant, identity };
  });
  const executed = new Map<string, DevnetExecutedInference>();
  let next = 0;

  const pick = (): DevnetExecutor => {
    const active = list.filter((e) => chainState.participants.get(e.address)?.status === ParticipantStatus.ACTIVE);
    if (active.length === 0) throw new DevnetExecutionError(503, "no executors available for model");
    return active[next++ % active.length]!;
  };

  const record = (typeUrl: string, schema: DescMessage, message: Message, signer: string): string => {
    const ctx: { events: DevEvent[] } = { events: [] };
    try {
      const res = dispatch(chainState, typeUrl, schema, message, signer, ctx)() as { errorMessage?: string } | undefined;
      return res?.errorMessage ?? "";
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  };

  return {
    list,
    executed,
    payloads: (id) => executed.get(id),
    execute(req) {
      const executor = pick();
      const logprobsMode = chainState.inferenceParams.validationParams?.logprobsMode ?? "processed_logprobs";
      let hashes: ReturnType<typeof promptHashes>;
      try {
        hashes = promptHashes({ body: req.rawBody, seed: taSeed(req.inferenceId), logprobsMode });
      } catch (e) {
        throw new DevnetExecutionError(400, e instanceof Error ? ((e as { reason?: string }).reason ?? e.message) : String(e));
      }
      const rewritten = JSON.parse(hashes.modifiedBody) as ChatRequest & { messages: { content?: unknown }[] };
      const modelRequest: ChatRequest = { ...rewritten, messages: rewritten.messages.map((m) => ({ ...m, content: messageText(m.content) })) };
      const options = { variant: executor.variant };
      let answer: DevnetExecutionAnswer;
      let responsePayload: string;
      let usage: { prompt_tokens: number; completion_tokens: number };
      const base = (): DevnetExecutedInference => ({
        inferenceId: req.inferenceId, executor, model: rewritten.model ?? "", promptPayload: hashes.promptPayload, responsePayload,
        promptHash: hashes.promptHash, responseHash: sha256Hex(responsePayload), chainErrors: [],
      });
      if (rewritten.stream === true) {
        // every data line re-encoded with sorted keys, as the node forwards them; the payload keeps them all
        const lines = [...fakeChatCompletionStream(modelRequest, req.inferenceId, req.created, options)].map((l) => {
          const line = l.trim();
          return line.startsWith("data: {") ? `data: ${goJsonStringify(JSON.parse(line.slice(6)) as JsonValue)}` : line;
        });
        responsePayload = streamedResponsePayload(lines);
        const last = lines.map((l) => (l.startsWith("data: {") ? (JSON.parse(l.slice(6)) as { usage?: typeof usage }) : {})).find((c) => c.usage);
        usage = last?.usage ?? { prompt_tokens: 0, completion_tokens: 0 };
        answer = { kind: "stream", lines, record: base(), usage };
      } else {
        const completion = fakeChatCompletion(modelRequest, req.inferenceId, req.created, options);
        responsePayload = goJsonStringify(completion as JsonValue);
        usage = completion.usage as typeof usage;
        answer = { kind: "json", body: responsePayload, record: base(), usage };
      }
      const rec = answer.record;
      executed.set(req.inferenceId, rec);

      // MsgStartInference (the TA's) and MsgFinishInference (the executor's), as their nodes broadcast them
      const ta = args.transferAgent;
      const raw = JSON.parse(new TextDecoder().decode(req.rawBody)) as { max_tokens?: unknown; max_completion_tokens?: unknown; messages?: { content?: unknown }[] };
      const positive = (v: unknown) => (typeof v === "number" && v > 0 ? BigInt(Math.trunc(v)) : 0n);
      const maxTokens = positive(raw.max_completion_tokens) || positive(raw.max_tokens);
      const promptEstimate = BigInt((raw.messages ?? []).reduce((n, m) => n + new TextEncoder().encode(messageText(m?.content)).length + 1, 0));
      const sig = { payload: rec.promptHash, timestamp: req.timestampNs, transferAddress: req.transferAddress, executorAddress: executor.address };
      const transferSignature = signComponents(ta.accountKey, sig, "transfer_agent");
      const executorSignature = signComponents(executor.identity.accountKey, sig, "executor");
      const originalPromptHash = hashes.originalPromptHash;
      const startError = record(
        "/inference.inference.MsgStartInference",
        MsgStartInferenceSchema,
        create(MsgStartInferenceSchema, {
          creator: req.transferAddress, inferenceId: req.inferenceId, promptHash: rec.promptHash, model: rec.model, requestedBy: req.requester,
          assignedTo: executor.address, nodeVersion: "", maxTokens, promptTokenCount: promptEstimate, requestTimestamp: req.timestampNs,
          transferSignature, originalPromptHash,
        }),
        req.transferAddress,
      );
      const finishError = record(
        "/inference.inference.MsgFinishInference",
        MsgFinishInferenceSchema,
        create(MsgFinishInferenceSchema, {
          creator: executor.address, inferenceId: req.inferenceId, responseHash: rec.responseHash, promptTokenCount: BigInt(usage.prompt_tokens),
          completionTokenCount: BigInt(usage.completion_tokens), executedBy: executor.address, transferredBy: req.transferAddress,
          requestTimestamp: req.timestampNs, transferSignature, executorSignature, requestedBy: req.requester, model: rec.model,
          promptHash: rec.promptHash, originalPromptHash,
        }),
        executor.address,
      );
      rec.chainErrors.push(...[startError, finishError].filter(Boolean));
      return answer;
    },
  };
}
