import { Query } from "../../../generated/proto/inference/inference/query_pb.js";
import type { Params } from "../../../generated/proto/inference/inference/params_pb.js";
import type { Participant } from "../../../generated/proto/inference/inference/participant_pb.js";
import type { PoCBatchesWithParticipants, QueryEpochInfoResponse, Grantee } from "../../../generated/proto/inference/inference/query_pb.js";
import { pathSegment } from "../../http/index.js";
import type { ChainContext } from "../context.js";
import { decodeAddress } from "../address.js";
import { MalformedResponseError } from "../errors.js";
import { toBase64 } from "../bytes.js";
import type { CallOptions } from "../transport/types.js";
import { binaryQuery } from "./binary.js";

const P = "/productscience/inference/inference";

/**
 * The inference module's current params (the payload of `MsgUpdateParams`).
 *
 * @example
 * ```ts
 * const params = await getInferenceParams(chain);
 * params.pocParams!.validationSampleSize; // 200
 * ```
 */
export async function getInferenceParams(ctx: Pick<ChainContext, "transport">, options?: CallOptions): Promise<Params> {
  const res = await ctx.transport.unary(Query.method.params, {}, { path: `${P}/params` }, options);
  if (!res.params) throw new MalformedResponseError(`${P}/params`, "the response has no params");
  return res.params;
}

/** One participant by address. */
export async function getParticipant(ctx: Pick<ChainContext, "transport">, address: string, options?: CallOptions): Promise<Participant> {
  decodeAddress(address);
  const res = await ctx.transport.unary(Query.method.participant, { index: address }, { path: `${P}/participant/${pathSegment(address)}` }, options);
  if (!res.participant) throw new MalformedResponseError(`${P}/participant`, "the response has no participant");
  return res.participant;
}

/**
 * Every participant (follows pagination).
 *
 * @example
 * ```ts
 * const { participants, blockHeight } = await getParticipants(chain);
 * ```
 */
export async function getParticipants(ctx: Pick<ChainContext, "transport">, options?: CallOptions): Promise<{ participants: Participant[]; blockHeight: bigint }> {
  const participants: Participant[] = [];
  let key: Uint8Array | undefined;
  let blockHeight = 0n;
  for (let page = 0; page < 1000; page++) {
    const res = await ctx.transport.unary(
      Query.method.participantAll,
      { pagination: { key: key ?? new Uint8Array(), limit: 1000n } },
      { path: `${P}/participant`, query: { "pagination.limit": 1000, ...(key?.length ? { "pagination.key": toBase64(key) } : {}) } },
      options,
    );
    participants.push(...res.participant);
    blockHeight = res.blockHeight;
    key = res.pagination?.nextKey;
    if (!key || key.length === 0) break;
  }
  return { participants, blockHeight };
}

/** Current block height, params and latest epoch (`epoch_info`). */
export async function getEpochInfo(ctx: Pick<ChainContext, "transport">, options?: CallOptions): Promise<QueryEpochInfoResponse> {
  return ctx.transport.unary(Query.method.epochInfo, {}, { path: `${P}/epoch_info` }, options);
}

/** PoC batches submitted for the stage that started at `blockHeight`, grouped by participant. */
export async function getPocBatchesForStage(
  ctx: Pick<ChainContext, "transport">,
  blockHeight: bigint | number,
  options?: CallOptions,
): Promise<PoCBatchesWithParticipants[]> {
  const h = BigInt(blockHeight);
  const res = await ctx.transport.unary(Query.method.pocBatchesForStage, { blockHeight: h }, { path: `${P}/poc_batches_for_stage/${h}` }, options);
  return res.pocBatch;
}

/**
 * Grantees (warm keys) that `granter` authorized for one message type, with their pubkeys.
 *
 * The type URL starts with `/`, which the REST gateway cannot route inside a path segment (spec
 * chain-upgrades §4.1), so on a REST client this asks over CometBFT RPC `abci_query` (binary); a
 * gRPC client asks over gRPC.
 *
 * @example
 * ```ts
 * await getGranteesByMessageType(chain, cold.address, "/inference.inference.MsgStartInference");
 * ```
 */
export async function getGranteesByMessageType(
  ctx: Pick<ChainContext, "transport" | "rpc">,
  granter: string,
  messageTypeUrl: string,
  options?: CallOptions,
): Promise<Grantee[]> {
  decodeAddress(granter, "gonka", "granter");
  if (messageTypeUrl.includes("/")) {
    return (await binaryQuery(ctx, Query.method.granteesByMessageType, { granterAddress: granter, messageTypeUrl }, options)).grantees;
  }
  const res = await ctx.transport.unary(
    Query.method.granteesByMessageType,
    { granterAddress: granter, messageTypeUrl },
    { path: `${P}/grantees_by_message_type/${pathSegment(granter)}/${pathSegment(messageTypeUrl)}` },
    options,
  );
  return res.grantees;
}
