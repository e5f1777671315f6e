/**
 * The network node's public API (rest-apis.md §4), served by the devnet at `/v1/…` and
 * `/api/v1/…`. Responses follow Go `encoding/json` conventions (§0.2); chat completions are
 * answered by a deterministic fake model after verifying the developer's signature (§4.3).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { base64, hex } from "@scure/base";
import type { DevnetChainView } from "./chain-view.js";
import { fakeChatCompletion, fakeChatCompletionStream, type ChatRequest } from "./fake-model.js";
import { goJson } from "./go-json.js";
import { HttpRouteError, jsonBody, type Route, type RouteContext, type RouteResult } from "./http-server.js";
import type { DevnetState } from "./state.js";
import { addressOfPubkey, verifyInferenceSignature } from "./verify-request.js";

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

/** The routes of the public API, under both `/v1` and `/api/v1`. */
export function publicApiRoutes(o: PublicApiOptions): Route[] {
  const { chain, state } = o;
  const expiration = BigInt(o.timestampExpirationS ?? 60) * 1_000_000_000n;
  const advance = BigInt(o.timestampAdvanceS ?? 30) * 1_000_000_000n;
  const price = o.pricePerToken ?? 0n;

  const activeParticipants = (): unknown[] => {
    const models = chain.models().map((m) => m.id);
    const epoch = chain.epoch();
    const weight = chain.participants().find((p) => p.address === o.transferAgentAddress)?.weight ?? 1n;
    return [
      goJson({
        index: o.transferAgentAddress,
        validator_key: o.transferAgentValidatorKey,
        weight,
        inference_url: o.publicUrl(),
        models,
        seed: { participant: o.transferAgentAddress, epoch_index: epoch.index, signature: "" },
        ml_nodes: [{ ml_nodes: [...state.nodes.values()].map((n) => ({ node_id: n.config.id, poc_weight: weight, timeslot_allocation: [true, false] })) }],
      }),
    ];
  };

  const chat = async (ctx: RouteContext): Promise<RouteResult> => {
    const authorization = header(ctx, "authorization");
    if (!authorization) err(401, "Authorization is required");
    const requester = header(ctx, "x-requester-address");
    const timestamp = header(ctx, "x-timestamp");
    const transferAddress = header(ctx, "x-transfer-address") || o.transferAgentAddress;
    let ts = 0n;
    if (/^\d+$/.test(timestamp)) ts = BigInt(timestamp);
    const offset = chain.blockTimeNs() - ts;
    if (offset > expiration) err(400, "Request timestamp is too old");
    if (offset < -advance) err(400, "Request timestamp is in the future");
    const pubkey = chain.accountPubkey(requester);
    if (!pubkey) err(500, `rpc error: code = NotFound desc = account ${requester} not found`);
    const scheme = verifyInferenceSignature({
      body: ctx.body,
      timestampNs: ts > 0n ? ts.toString() : "",
      transferAddress,
      signatureB64: authorization,
      pubkey,
    });
    if (!scheme) err(401, "Unable to validate request against PubKey:signature does not match the requester's public key");
    if (state.usedAuthKeys.has(authorization)) err(400, "AuthKey has already been used for a transfer request");
    const request = jsonBody<ChatRequest>(ctx);
    if (!Array.isArray(request.messages) || request.messages.some((m) => typeof m.content !== "string")) {
      err(500, "json: cannot unmarshal messages: content must be a string");
    }
    if (!chain.models().some((m) => m.id === request.model)) err(500, `no executor available for model ${String(request.model)}`);
    if (price > 0n) {
      const promptBytes = request.messages!.reduce((n, m) => n + new TextEncoder().encode(`${String(m.content)}\n`).length, 0);
      const maxTokens = request.max_tokens ? BigInt(request.max_tokens) : DEFAULT_MAX_TOKENS;
      if (chain.balance(requester) < (BigInt(promptBytes) + maxTokens) * price) err(402, "Insufficient balance");
    }
    state.usedAuthKeys.add(authorization);
    const created = Math.floor(Number(chain.blockTimeNs() / 1_000_000_000n));
    const completion = fakeChatCompletion(request, authorization, created);
    const usage = completion.usage as { prompt_tokens: number; completion_tokens: number };
    const responsePayload = JSON.stringify(completion);
    state.inferences.set(authorization, {
      id: authorization,
      model: request.model ?? "",
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
        yield* fakeChatCompletionStream(request, authorization, created);
      })();
      return { stream, contentType: "text/event-stream" };
    }
    return { json: completion };
  };

  const routes: Route[] = [
    { method: "GET", pattern: "/v1/status", handler: () => ({ json: { status: "ok" } }) },
    {
      method: "GET",
      pattern: "/v1/identity",
      handler: () => ({
        json: { address: o.transferAgentAddress, data: { delegate_ta: { [o.publicUrl()]: o.transferAgentAddress } } },
      }),
    },
    { method: "POST", pattern: "/v1/chat/completions", handler: chat },
    {
      method: "GET",
      pattern: "/v1/chat/completions/:id",
      handler: ({ params }) => {
        const inf = state.inferences.get(params.id!) ?? state.inferences.get(params.id!.replace(/ /g, "+"));
        if (!inf) err(404, "Inference not found");
        return {
          json: goJson({
            index: inf.id,
            inference_id: inf.id,
            prompt_hash: inf.promptHash,
            prompt_payload: inf.originalPrompt,
            response_hash: inf.responseHash,
            response_payload: inf.responsePayload,
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
            original_prompt: inf.originalPrompt,
          }),
        };
      },
    },
    {
      method: "GET",
      pattern: "/v1/participants/:address",
      handler: ({ params }) => {
        const pubkey = chain.accountPubkey(params.address!);
        if (!pubkey) err(500, "rpc error: code = NotFound desc = account not found");
        return { json: goJson({ pubkey: base64.encode(pubkey), balance: chain.balance(params.address!) }) };
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
      method: "POST",
      pattern: "/v1/participants",
      handler: (ctx) => {
        const body = jsonBody<{ address?: string; pub_key?: string; url?: string }>(ctx);
        if (body.address && body.pub_key) {
          let pubkey: Uint8Array;
          try {
            pubkey = base64.decode(body.pub_key);
          } catch {
            err(400, "pub_key is not base64");
          }
          if (pubkey.length !== 33 || addressOfPubkey(pubkey) !== body.address) err(500, "pub_key does not match address");
          chain.registerAccount(body.address, pubkey);
          return { empty: true };
        }
        return { json: goJson({ id: o.transferAgentAddress, url: body.url ?? "" }) };
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
          },
        };
      },
    },
    { method: "GET", pattern: "/v1/models", handler: () => ({ json: { models: chain.models().map(modelJson) } }) },
    { method: "GET", pattern: "/v1/governance/models", handler: () => ({ json: { models: chain.models().map(modelJson) } }) },
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
  ];
  return [...routes, ...routes.map((r) => ({ ...r, pattern: `/api${r.pattern}` }))];
}
