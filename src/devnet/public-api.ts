/**
 * The network node's public API as v0.2.13 serves it (rest-upgrades.md §2, inference-flow.md §2),
 * at `/v1/…`, `/v2/…` and `/api/v1/…`. Responses follow Go `encoding/json` conventions; chat
 * completions are answered by a deterministic fake model after the transfer agent's checks, in
 * the node's order and with its texts. Not served by the devnet: `/v1/completions`, stats (answered
 * 503 "stats storage is not configured", like a node with the store off), bridge, BLS and devshard
 * routes. PoC v2 proofs answer 503 until the devnet keeps an artifact store.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { base64, hex } from "@scure/base";
import { isAddress } from "../chain/index.js";
import type { DevnetChainView } from "./chain-view.js";
import { devnetIdentity } from "./devnet-keys.js";
import { fakeChatCompletion, fakeChatCompletionStream, type ChatRequest } from "./fake-model.js";
import { DevnetExecutionError, type DevnetExecutors } from "./inference-executors.js";
import { goJson } from "./go-json.js";
import { HttpRouteError, type Route, type RouteContext, type RouteResult } from "./http-server.js";
import type { DevnetState } from "./state.js";
import { addressOfPubkey, signPayload, verifyInferenceSignature, verifyPayloadSignature } from "./verify-request.js";

/** Settings of the public API. */
export interface PublicApiOptions {
  chain: DevnetChainView;
  state: DevnetState;
  /** Account address of the devnet's own participant (the transfer agent and executor). */
  transferAgentAddress: string;
  /** Base64 ED25519 consensus key of the devnet's participant. */
  transferAgentValidatorKey: string;
  /** The public URL, known once the server listens. */
  publicUrl: () => string;
  /** Seconds a request timestamp may lag the block time (mainnet 60). */
  timestampExpirationS?: number;
  /** Seconds a request timestamp may lead the block time (mainnet 30). */
  timestampAdvanceS?: number;
  /** Price per token in ngonka used for the escrow check (devnet default 0: free). */
  pricePerToken?: bigint;
  /**
   * The chain's transfer-agent allow-list (`transfer_agent_access_params`); non-empty ⇒ requests
   * whose transfer address is not listed get 403 "Transfer Agent not allowed". Default empty (open).
   * A function is read on every request (a node caches the chain params on new blocks).
   */
  allowedTransferAddresses?: readonly string[] | (() => readonly string[]);
  /**
   * Executors the transfer agent hands chat requests to (see `createDevnetExecutors`); they answer,
   * keep and serve the payloads, and record the inference on chain. Default: the devnet's own
   * participant answers and nothing is recorded on chain.
   */
  executors?: DevnetExecutors;
  /** More entries of `/v1/epochs/current/participants` (participants run elsewhere). */
  extraParticipants?: readonly DevnetExtraParticipant[];
  /**
   * The participant's signer key, for `/v1/identity` and payload signatures. Default: the devnet
   * identity's key when `transferAgentAddress` is the devnet participant.
   */
  signerKey?: Uint8Array;
}

/** An extra entry of the epoch's active participants. */
export interface DevnetExtraParticipant {
  address: string;
  inferenceUrl: string;
  /** Models it serves (default the devnet's). */
  models?: readonly string[];
  /** Weight (default 1). */
  weight?: bigint | number;
  /** Base64 ED25519 consensus key (default empty). */
  validatorKey?: string;
}

const EPOCH_LENGTH = 100n;
const DEFAULT_MAX_TOKENS = 5000n;

function err(status: number, error: unknown): never {
  throw new HttpRouteError(status, { error });
}

function header(ctx: RouteContext, name: string): string {
  const v = ctx.req.headers[name.toLowerCase()];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
}

function epochStages(pocStart: bigint, index: bigint): Record<string, unknown> {
  return {
    epoch_index: Number(index),
    poc_start: Number(pocStart),
    poc_generation_wind_down: Number(pocStart + 15n),
    poc_generation_end: Number(pocStart + 20n),
    poc_validation_start: Number(pocStart + 21n),
    poc_validation_wind_down: Number(pocStart + 35n),
    poc_validation_end: Number(pocStart + 40n),
    set_new_validators: Number(pocStart + 41n),
    claim_money: Number(pocStart + 42n),
    inference_validation_cutoff: Number(pocStart + EPOCH_LENGTH - 5n),
    next_poc_start: Number(pocStart + EPOCH_LENGTH),
    poc_exchange_window: { start: Number(pocStart + 1n), end: Number(pocStart + 20n) },
    poc_validation_exchange_window: { start: Number(pocStart + 22n), end: Number(pocStart + 40n) },
  };
}

function phaseAt(height: bigint, pocStart: bigint): string {
  const d = height - pocStart;
  if (d < 0n || d > 40n) return "Inference";
  if (d < 15n) return "PoCGenerate";
  if (d < 20n) return "PoCGenerateWindDown";
  if (d < 35n) return "PoCValidate";
  return "PoCValidateWindDown";
}

function modelJson(m: ReturnType<DevnetChainView["models"]>[number]): unknown {
  return goJson({ proposed_by: m.proposedBy, id: m.id, units_of_compute_per_token: m.unitsOfComputePerToken, hf_repo: m.hfRepo });
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const PAYLOAD_MAX_AGE_NS = 60n * 1_000_000_000n;
const PAYLOAD_MAX_AHEAD_NS = 10n * 1_000_000_000n;

/** Text of one chat message as the TA estimates it: the string, or its concatenated text parts. */
function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((p) => (p && typeof p === "object" && (p as { type?: unknown }).type === "text" ? String((p as { text?: unknown }).text ?? "") : "")).join("");
  return "";
}

/** The message checks of the node's schema validation that the devnet applies (400 with the message). */
function checkMessages(messages: unknown[]): string | undefined {
  for (const [i, raw] of messages.entries()) {
    if (!raw || typeof raw !== "object") return `messages[${i}]: must be an object`;
    const m = raw as { role?: unknown; content?: unknown; tool_call_id?: unknown };
    if (typeof m.role !== "string" || m.role === "") return `messages[${i}]: role is required`;
    const c = m.content;
    if (!(c === null || c === undefined || typeof c === "string" || Array.isArray(c))) return `messages[${i}]: content must be a string, null or an array of parts`;
    if (Array.isArray(c)) {
      for (const part of c) {
        const p = part as { type?: unknown; text?: unknown } | null;
        if (!p || typeof p !== "object" || typeof p.type !== "string") return `messages[${i}]: every content part needs a type`;
        if (p.type === "text" && (typeof p.text !== "string" || p.text === "")) return `messages[${i}]: text parts need a non-empty text`;
      }
    }
    if ((m.role === "user" || m.role === "system") && messageText(c) === "" && !Array.isArray(c)) return `messages[${i}]: ${m.role} messages need content`;
    if (m.role === "tool" && (typeof m.tool_call_id !== "string" || m.tool_call_id === "")) return `messages[${i}]: tool messages need tool_call_id`;
  }
  return undefined;
}

/** The routes of the public API, under `/v1`, `/v2` and `/api/…`. */
export function publicApiRoutes(o: PublicApiOptions): Route[] {
  const { chain, state } = o;
  const expiration = BigInt(o.timestampExpirationS ?? 60) * 1_000_000_000n;
  const advance = BigInt(o.timestampAdvanceS ?? 30) * 1_000_000_000n;
  const price = o.pricePerToken ?? 0n;
  const allowedList = o.allowedTransferAddresses ?? [];
  const allowed = (): readonly string[] => (typeof allowedList === "function" ? allowedList() : allowedList);
  const own = devnetIdentity();
  const signerKey = o.signerKey ?? (own.address === o.transferAgentAddress ? own.accountKey : undefined);
  let identityCache: { at: number; body: unknown } | undefined;

  const activeParticipants = (): unknown[] => {
    const models = chain.models().map((m) => m.id);
    const epoch = chain.epoch();
    const weightOf = (address: string) => chain.participants().find((p) => p.address === address)?.weight ?? 1n;
    const weight = weightOf(o.transferAgentAddress);
    const entry = (address: string, validatorKey: string, w: bigint, url: string, served: readonly string[], mlNodes: unknown[]) =>
      goJson({
        index: address,
        validator_key: validatorKey,
        weight: w,
        inference_url: url,
        models: [...served],
        seed: { participant: address, epoch_index: epoch.index, signature: "" },
        ml_nodes: [{ ml_nodes: mlNodes }],
      });
    const executors = (o.executors?.list ?? []).filter((e) => chain.participants().some((p) => p.address === e.address));
    return [
      entry(o.transferAgentAddress, o.transferAgentValidatorKey, weight, o.publicUrl(), models,
        [...state.nodes.values()].map((n) => ({ node_id: n.config.id, poc_weight: weight, timeslot_allocation: [true, false] }))),
      ...executors.map((e) =>
        entry(e.address, e.identity.validatorKey, weightOf(e.address), o.publicUrl(), models, [{ node_id: `${e.name}-mlnode`, poc_weight: weightOf(e.address), timeslot_allocation: [true, false] }]),
      ),
      ...(o.extraParticipants ?? []).map((x) => entry(x.address, x.validatorKey ?? "", BigInt(x.weight ?? 1), x.inferenceUrl, x.models ?? models, [])),
    ];
  };

  /** `AccountByAddress` with the node's gRPC → HTTP mapping. */
  const accountAnswer = (address: string): RouteResult => {
    if (!isAddress(address)) err(400, "invalid address");
    const pubkey = chain.accountPubkey(address);
    const balance = chain.balance(address);
    if (!pubkey) err(404, balance > 0n ? "account has no public key" : "account not found");
    return { json: { pubkey: base64.encode(pubkey), balance: Number(balance), denom: "ngonka" } };
  };

  /** The transfer agent's checks in the node's order (inference-flow.md §2.7), then the fake executor. */
  const chat = async (ctx: RouteContext): Promise<RouteResult> => {
    let request: ChatRequest & { messages?: unknown };
    try {
      request = JSON.parse(new TextDecoder().decode(ctx.body)) as ChatRequest;
      if (!request || typeof request !== "object" || Array.isArray(request)) throw new Error("expected a JSON object");
    } catch (e) {
      err(400, `invalid chat completion request: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!Array.isArray(request.messages) || request.messages.length === 0) err(400, "messages is required");
    const transferAddress = header(ctx, "x-transfer-address") || o.transferAgentAddress;
    const allowList = allowed();
    if (allowList.length > 0 && !allowList.includes(transferAddress)) err(403, "Transfer Agent not allowed");
    const authorization = header(ctx, "authorization");
    if (!authorization) err(401, "Authorization is required");
    if (typeof request.model !== "string" || request.model === "") err(400, "No model specified");
    const schemaProblem = checkMessages(request.messages);
    if (schemaProblem) err(400, schemaProblem);
    const requester = header(ctx, "x-requester-address");
    const timestamp = header(ctx, "x-timestamp");
    const pubkey = chain.accountPubkey(requester);
    if (!pubkey) err(500, `rpc error: code = NotFound desc = ${chain.balance(requester) > 0n ? "account has no public key" : "account not found"}`);
    const ts = /^\d+$/.test(timestamp) ? BigInt(timestamp) : 0n;
    const scheme = verifyInferenceSignature({ body: ctx.body, timestampNs: ts > 0n ? ts.toString() : "", transferAddress, signatureB64: authorization, pubkey });
    if (!scheme) err(401, "Unable to validate request against PubKey:invalid signature");
    if (!chain.models().some((m) => m.id === request.model)) err(404, "model not found");
    const messages = request.messages as { content?: unknown }[];
    if (price > 0n) {
      const promptBytes = messages.reduce((n, m) => n + new TextEncoder().encode(messageText(m.content)).length + 1, 0);
      const maxTokens = typeof request.max_tokens === "number" && request.max_tokens > 0 ? BigInt(Math.trunc(request.max_tokens)) : DEFAULT_MAX_TOKENS;
      if (chain.balance(requester) < (BigInt(promptBytes) + maxTokens) * price) err(402, "Insufficient balance");
    }
    const offset = chain.blockTimeNs() - ts;
    if (offset > expiration) err(400, "signature is too old");
    if (offset < -advance) err(400, "signature is in the future");
    if (state.usedAuthKeys.has(authorization)) err(400, "AuthKey has already been used for a transfer request");
    state.usedAuthKeys.add(authorization);
    if (o.executors) return executeOnExecutor(ctx, request, requester, transferAddress, ts, authorization);
    // The fake model reads string contents; typed text parts are joined like the TA's estimate.
    const modelRequest = { ...request, messages: messages.map((m) => ({ ...m, content: messageText(m.content) })) } as ChatRequest;
    const created = Math.floor(Number(chain.blockTimeNs() / 1_000_000_000n));
    const completion = fakeChatCompletion(modelRequest, authorization, created);
    const usage = completion.usage as { prompt_tokens: number; completion_tokens: number };
    const responsePayload = JSON.stringify(completion);
    state.inferences.set(authorization, {
      id: authorization,
      model: request.model,
      requestedBy: requester,
      transferredBy: transferAddress,
      executedBy: o.transferAgentAddress,
      promptHash: hex.encode(sha256(ctx.body)),
      responseHash: hex.encode(sha256(new TextEncoder().encode(responsePayload))),
      originalPrompt: new TextDecoder().decode(ctx.body),
      responsePayload,
      promptTokens: usage.prompt_tokens,
      completionTokens: usage.completion_tokens,
      requestTimestamp: ts,
      height: chain.height(),
    });
    if (request.stream) {
      const stream = (async function* () {
        yield* fakeChatCompletionStream(modelRequest, authorization, created);
      })();
      return { stream, contentType: "text/event-stream" };
    }
    return { json: completion };
  };

  /** The TA → executor hop of the executor set: the executor answers and the inference goes on chain. */
  const executeOnExecutor = (ctx: RouteContext, request: ChatRequest, requester: string, transferAddress: string, ts: bigint, authorization: string): RouteResult => {
    const created = Math.floor(Number(chain.blockTimeNs() / 1_000_000_000n));
    let answer: ReturnType<DevnetExecutors["execute"]>;
    try {
      answer = o.executors!.execute({ rawBody: ctx.body, inferenceId: authorization, requester, transferAddress, timestampNs: ts, created });
    } catch (e) {
      if (e instanceof DevnetExecutionError) err(e.status, e.text);
      throw e;
    }
    const r = answer.record;
    state.inferences.set(authorization, {
      id: authorization,
      model: request.model ?? "",
      requestedBy: requester,
      transferredBy: transferAddress,
      executedBy: r.executor.address,
      promptHash: r.promptHash,
      responseHash: r.responseHash,
      originalPrompt: new TextDecoder().decode(ctx.body),
      responsePayload: r.responsePayload,
      promptTokens: answer.usage.prompt_tokens,
      completionTokens: answer.usage.completion_tokens,
      requestTimestamp: ts,
      height: chain.height(),
    });
    if (answer.kind === "stream") {
      const lines = answer.lines;
      const stream = (async function* () {
        for (const line of lines) yield `${line}\n\n`;
      })();
      return { stream, contentType: "text/event-stream" };
    }
    return { text: answer.body, contentType: "application/json" };
  };

  /** `GET /v1/inference/payloads`: a validator fetches an inference's payloads from its executor. */
  const payloads = (ctx: RouteContext): RouteResult => {
    const inferenceId = ctx.query.get("inference_id") ?? "";
    if (!inferenceId) err(400, "inference_id required");
    const validator = header(ctx, "x-validator-address");
    if (!validator) err(400, "X-Validator-Address header required");
    const timestamp = header(ctx, "x-timestamp");
    if (!timestamp) err(400, "X-Timestamp header required");
    if (!/^\d+$/.test(timestamp)) err(400, "invalid X-Timestamp");
    const epochHeader = header(ctx, "x-epoch-id");
    if (!epochHeader) err(400, "X-Epoch-Id header required");
    const authorization = header(ctx, "authorization");
    if (!authorization) err(401, "Authorization header required");
    const now = BigInt(Date.now()) * 1_000_000n;
    const ts = BigInt(timestamp);
    if (now - ts > PAYLOAD_MAX_AGE_NS) err(400, "request timestamp too old");
    if (ts - now > PAYLOAD_MAX_AHEAD_NS) err(400, "request timestamp in the future");
    const inference = state.inferences.get(inferenceId);
    const executed = o.executors?.payloads(inferenceId);
    if (!inference && !executed) err(404, "payload not found");
    if (!/^\d+$/.test(epochHeader)) err(400, "invalid X-Epoch-Id");
    if (!chain.participants().some((p) => p.address === validator)) err(401, "not an active participant");
    const key = chain.accountPubkey(validator);
    // the signature covers the epoch the validator names (the inference's)
    const epochPart = epochHeader === "0" ? "" : BigInt(epochHeader).toString();
    const signed = new TextEncoder().encode(`${inferenceId}${epochPart}${timestamp}${validator}`);
    if (!key || !verifyPayloadSignature(signed, authorization, key)) err(401, "invalid signature");
    if (executed) {
      const prompt = new TextEncoder().encode(executed.promptPayload);
      const response = new TextEncoder().encode(executed.responsePayload);
      const who = executed.executor.address;
      const executorSigned = new TextEncoder().encode(`${inferenceId}${hex.encode(sha256(prompt))}${hex.encode(sha256(response))}${who}`);
      return {
        json: {
          inference_id: inferenceId,
          prompt_payload: base64.encode(prompt),
          response_payload: base64.encode(response),
          executor_signature: signPayload(executorSigned, executed.executor.identity.accountKey),
        },
      };
    }
    if (!inference) err(404, "payload not found");
    if (!signerKey) err(500, "failed to retrieve payloads");
    const prompt = new TextEncoder().encode(inference.originalPrompt);
    const response = new TextEncoder().encode(inference.responsePayload);
    const executorSigned = new TextEncoder().encode(`${inferenceId}${hex.encode(sha256(prompt))}${hex.encode(sha256(response))}${o.transferAgentAddress}`);
    return {
      json: {
        inference_id: inferenceId,
        prompt_payload: base64.encode(prompt),
        response_payload: base64.encode(response),
        executor_signature: signPayload(executorSigned, signerKey),
      },
    };
  };

  const identity = (): RouteResult => {
    if (!signerKey) err(500, "failed to generate identity: no signer key");
    if (!identityCache || Date.now() - identityCache.at > 5 * 60_000) {
      const data = { address: o.transferAgentAddress, block: Number(chain.height()), timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") };
      identityCache = { at: Date.now(), body: { data, signature: signPayload(new TextEncoder().encode(JSON.stringify(data)), signerKey) } };
    }
    return { json: identityCache.body };
  };

  const statsOff = (): RouteResult => err(503, "stats storage is not configured");

  const routes: Route[] = [
    { method: "GET", pattern: "/v1/status", handler: () => ({ json: { status: "ok" } }) },
    { method: "GET", pattern: "/v1/identity", handler: identity },
    { method: "POST", pattern: "/v1/chat/completions", handler: chat },
    {
      // Since v0.2.6 the record is read with a query parameter; `/v1/chat/completions/:id` is gone (404).
      method: "GET",
      pattern: "/v1/chat/completions",
      handler: ({ query }) => {
        const id = query.get("id");
        if (!id) err(400, "Invalid inference ID");
        const inf = state.inferences.get(id);
        if (!inf) err(404, "Inference not found");
        return {
          json: goJson({
            index: inf.id,
            inference_id: inf.id,
            prompt_hash: inf.promptHash,
            response_hash: inf.responseHash,
            prompt_token_count: inf.promptTokens,
            completion_token_count: inf.completionTokens,
            requested_by: inf.requestedBy,
            executed_by: inf.executedBy,
            status: 1,
            start_block_height: inf.height,
            end_block_height: inf.height,
            model: inf.model,
            transferred_by: inf.transferredBy,
            request_timestamp: inf.requestTimestamp,
            // Payloads live off chain since v0.2.6 (GET /v1/inference/payloads); the record keeps the hash.
            original_prompt_hash: hex.encode(sha256(new TextEncoder().encode(inf.originalPrompt))),
          }),
        };
      },
    },
    { method: "GET", pattern: "/v1/inference/payloads", handler: payloads },
    { method: "GET", pattern: "/v1/participants/:address", handler: ({ params }) => accountAnswer(params.address!) },
    { method: "GET", pattern: "/v2/accounts/:address", handler: ({ params }) => accountAnswer(params.address!) },
    {
      method: "GET",
      pattern: "/v2/participants/:address",
      handler: ({ params }) => {
        const address = params.address!;
        if (!isAddress(address)) err(400, "invalid address");
        const p = chain.participants().find((x) => x.address === address);
        if (!p) err(404, "participant not found");
        return {
          json: {
            participant: goJson({
              index: p.address,
              address: p.address,
              weight: p.weight,
              inference_url: p.inferenceUrl,
              status: 1,
              validator_key: p.validatorKey,
            }),
          },
        };
      },
    },
    {
      method: "GET",
      pattern: "/v1/participants",
      handler: () => ({
        json: goJson({
          participants: chain.participants().map((p) => ({
            id: p.address,
            url: p.inferenceUrl,
            coins_owed: 0,
            refunds_owed: 0,
            balance: chain.balance(p.address),
            voting_power: p.weight,
            reputation: 0,
          })),
          block_height: chain.height(),
        }),
      }),
    },
    {
      // Only the unfunded-account branch remains (v0.2.12). The node broadcasts
      // MsgSubmitNewUnfundedParticipant asynchronously and answers 200 whatever the tx does; the
      // devnet registers the account only when the key matches the address (else the tx would fail).
      method: "POST",
      pattern: "/v1/participants",
      handler: (ctx) => {
        let body: { address?: unknown; pub_key?: unknown };
        try {
          body = JSON.parse(new TextDecoder().decode(ctx.body)) as typeof body;
        } catch (e) {
          err(400, e instanceof Error ? e.message : String(e));
        }
        if (typeof body.address !== "string" || body.address === "" || typeof body.pub_key !== "string" || body.pub_key === "")
          err(400, "Address and PubKey are required");
        let pubkey: Uint8Array | undefined;
        try {
          pubkey = base64.decode(body.pub_key);
        } catch {
          pubkey = undefined;
        }
        if (pubkey && pubkey.length === 33 && addressOfPubkey(pubkey) === body.address) chain.registerAccount(body.address, pubkey);
        return { empty: true };
      },
    },
    {
      method: "GET",
      pattern: "/v1/epochs/:epoch",
      handler: ({ params }) => {
        if (params.epoch !== "latest") err(400, "Only getting info for current epoch is supported at the moment");
        const { index, pocStartBlockHeight } = chain.epoch();
        const height = chain.height();
        return {
          json: {
            block_height: Number(height),
            latest_epoch: { index: Number(index), poc_start_block_height: Number(pocStartBlockHeight) },
            phase: phaseAt(height, pocStartBlockHeight),
            epoch_stages: epochStages(pocStartBlockHeight, index),
            next_epoch_stages: epochStages(pocStartBlockHeight + EPOCH_LENGTH, index + 1n),
            epoch_params: goJson({ epoch_length: EPOCH_LENGTH, epoch_multiplier: 1, poc_stage_duration: 20, poc_validation_duration: 20 }),
            is_confirmation_poc_active: false,
          },
        };
      },
    },
    {
      method: "GET",
      pattern: "/v1/epochs/:epoch/participants",
      handler: ({ params }) => {
        const e = params.epoch!;
        if (e !== "current") {
          if (!/^\d+$/.test(e)) err(400, "Invalid epoch id");
          if (e === "0") err(400, "Epoch enumeration starts with 1");
        }
        const { index, pocStartBlockHeight } = chain.epoch();
        return {
          json: {
            active_participants: goJson({
              participants: activeParticipants(),
              epoch_group_id: index,
              poc_start_block_height: pocStartBlockHeight,
              effective_block_height: pocStartBlockHeight + 42n,
              created_at_block_height: pocStartBlockHeight + 41n,
              epoch_id: index,
            }),
            addresses: [],
            active_participants_bytes: "",
            proof_ops: null,
            validators: [],
            block: null,
            excluded_participants: [],
          },
        };
      },
    },
    {
      // OpenAI-style list since v0.2.11. Devnet models carry no context window (0 here).
      method: "GET",
      pattern: "/v1/models",
      handler: () => ({
        json: {
          object: "list",
          data: chain.models().map((m) => ({
            object: "model",
            id: m.id,
            hugging_face_id: m.hfRepo,
            name: m.id,
            created: Math.floor(Date.now() / 1000),
            input_modalities: ["text"],
            output_modalities: ["text"],
            context_length: 0,
            max_output_length: 0,
          })),
        },
      }),
    },
    { method: "GET", pattern: "/v1/governance/models", handler: () => ({ json: { models: chain.models().map(modelJson) } }) },
    { method: "GET", pattern: "/v1/governance/models-legacy", handler: () => ({ json: { model: chain.models().map(modelJson) } }) },
    ...["/v1/pricing", "/v1/governance/pricing"].map(
      (pattern): Route => ({
        method: "GET",
        pattern,
        handler: () => ({
          json: {
            unit_of_compute_price: Number(price),
            models: chain.models().map((m) => ({
              id: m.id,
              units_of_compute_per_token: Number(m.unitsOfComputePerToken),
              price_per_token: Number(m.unitsOfComputePerToken * price),
            })),
            dynamic_pricing_enabled: false,
          },
        }),
      }),
    ),
    {
      method: "GET",
      pattern: "/v1/poc-batches/:height",
      handler: ({ params }) => {
        if (!/^\d+$/.test(params.height!)) err(400, "Invalid block height");
        const height = Number(params.height);
        const byKey = new Map<string, unknown[]>();
        for (const b of state.pocBatches.filter((x) => x.block_height === height)) {
          const list = byKey.get(b.public_key) ?? [];
          list.push(b);
          byKey.set(b.public_key, list);
        }
        return {
          json: {
            poc_batch: [...byKey.entries()].map(([hexKey, batches]) => {
              const pubkey = hex.decode(hexKey.toLowerCase());
              const participant = addressOfPubkey(pubkey);
              return {
                participant,
                pub_key: base64.encode(pubkey),
                hex_pub_key: hexKey,
                poc_batch: batches.map((raw, i) => {
                  const b = raw as (typeof state.pocBatches)[number];
                  return goJson({
                    participant_address: participant,
                    poc_stage_start_block_height: b.block_height,
                    received_at_block_height: chain.height(),
                    nonces: b.nonces,
                    dist: b.dist,
                    batch_id: `devnet-${b.block_height}-${i}`,
                    node_id: String(b.node_id),
                  });
                }),
              };
            }),
          },
        };
      },
    },
    {
      method: "GET",
      pattern: "/v1/versions",
      handler: () => ({
        json: {
          timestamp: new Date().toISOString(),
          api_version: { application_name: "gonka-devnet-api", version: "devnet", commit: "" },
          node_version: { application_name: "gonka-devnet-chain", version: "devnet", commit: "" },
        },
      }),
    },
    ...["/v1/stats/models", "/v1/stats/developers/:developer/inferences", "/v1/stats/developers/:developer/summary/epochs", "/v1/stats/summary/epochs", "/v1/stats/summary/time", "/v1/stats/debug/developers"].map(
      (pattern): Route => ({ method: "GET", pattern, handler: statsOff }),
    ),
    // PoC v2 proofs need the artifact store the devnet does not keep yet.
    { method: "POST", pattern: "/v1/poc/proofs", handler: () => err(503, "artifact store not configured") },
    { method: "GET", pattern: "/v1/poc/artifacts/state", handler: () => err(503, "artifact store not configured") },
  ];
  // The proxy serves /v1, /v2 and their /api/ forms.
  return [...routes, ...routes.map((r) => ({ ...r, pattern: `/api${r.pattern}` }))];
}

/** The public API's body limit (the node's echo middleware: 10 MiB). */
export const PUBLIC_API_MAX_BODY_BYTES = MAX_BODY_BYTES;
