/**
 * Who may do what on the chain (v0.2.7+): the participant allowlist, excluded participants, the
 * access lists in the inference params, and each participant's per-model PoC participation choice.
 */
import { Query } from "../../../generated/proto/inference/inference/query_pb.js";
import type { ExcludedParticipant } from "../../../generated/proto/inference/inference/confirmation_poc_pb.js";
import type {
  DeveloperAccessParams,
  GenesisGuardianParams,
  ParticipantAccessParams,
  TransferAgentAccessParams,
} from "../../../generated/proto/inference/inference/params_pb.js";
import type { PoCDelegation, PoCDirectIntent, PoCRefusal } from "../../../generated/proto/inference/inference/poc_delegation_pb.js";
import { pathSegment } from "../../http/index.js";
import type { ChainContext } from "../context.js";
import { decodeAddress } from "../address.js";
import { MalformedResponseError } from "../errors.js";
import type { CallOptions } from "../transport/types.js";

const P = "/productscience/inference/inference";

/**
 * The participant allowlist (`ParticipantAllowList`, v0.2.7): when
 * `participant_access_params.use_participant_allowlist` is on, only these addresses enter an epoch.
 *
 * @example
 * ```ts
 * const allowed = await getParticipantAllowList(chain); // ["gonka1…", …]
 * ```
 */
export async function getParticipantAllowList(ctx: Pick<ChainContext, "transport">, options?: CallOptions): Promise<string[]> {
  const res = await ctx.transport.unary(Query.method.participantAllowList, {}, { path: `${P}/participant_allow_list` }, options);
  return res.addresses;
}

/**
 * Participants excluded from an epoch (`ExcludedParticipants`, v0.2.5), with the reason and the
 * height; `epochIndex` 0 (default) = the current epoch.
 *
 * @example
 * ```ts
 * for (const x of await getExcludedParticipants(chain)) console.log(x.address, x.reason);
 * ```
 */
export async function getExcludedParticipants(ctx: Pick<ChainContext, "transport">, epochIndex: bigint | number = 0n, options?: CallOptions): Promise<ExcludedParticipant[]> {
  const e = BigInt(epochIndex);
  const res = await ctx.transport.unary(Query.method.excludedParticipants, { epochIndex: e }, { path: `${P}/excluded_participants/${e}` }, options);
  return res.items;
}

/** A participant's per-model PoC participation choices (`PoCDelegation` query, v0.2.12). */
export interface PoCParticipation {
  /** Models the participant delegated (DELEGATE), and to whom. */
  delegations: PoCDelegation[];
  /** Models the participant refused (REFUSE). */
  refusals: PoCRefusal[];
  /** Models the participant declared it will run (INTENT). */
  intents: PoCDirectIntent[];
}

/**
 * The PoC delegations, refusals and intents of a participant, for one model or (default) all.
 * A model with none of the three is DIRECT if the participant commits PoC for it, else NONE.
 *
 * @example
 * ```ts
 * const { delegations } = await getPoCDelegation(chain, host.address, "moonshotai/Kimi-K2.6");
 * ```
 */
export async function getPoCDelegation(
  ctx: Pick<ChainContext, "transport">,
  participant: string,
  modelId = "",
  options?: CallOptions,
): Promise<PoCParticipation> {
  decodeAddress(participant, "gonka", "participant");
  const res = await ctx.transport.unary(
    Query.method.poCDelegation,
    { participant, modelId },
    { path: `${P}/poc_delegation/${pathSegment(participant)}`, ...(modelId ? { query: { model_id: modelId } } : {}) },
    options,
  );
  return { delegations: res.delegations, refusals: res.refusals, intents: res.intents };
}

/** The access lists of the inference params (v0.2.7+). Absent sub-messages are `undefined` (older nodes). */
export interface AccessParams {
  /** Who may request inferences, until which height (0 = no gating). */
  developerAccess: DeveloperAccessParams | undefined;
  /** Registration start height, blocklist and allowlist settings. */
  participantAccess: ParticipantAccessParams | undefined;
  /** Which addresses may act as transfer agent (empty = anyone). */
  transferAgentAccess: TransferAgentAccessParams | undefined;
  /** The genesis guardians and the network-maturity thresholds. */
  genesisGuardians: GenesisGuardianParams | undefined;
}

/**
 * The access lists of the inference params: developer access, participant access (registration
 * start, blocklist, allowlist switch), transfer agents and genesis guardians.
 *
 * @example
 * ```ts
 * const a = await getAccessParams(chain);
 * a.transferAgentAccess?.allowedTransferAddresses; // 7 addresses on mainnet since v0.2.9
 * ```
 */
export async function getAccessParams(ctx: Pick<ChainContext, "transport">, options?: CallOptions): Promise<AccessParams> {
  const res = await ctx.transport.unary(Query.method.params, {}, { path: `${P}/params` }, options);
  const p = res.params;
  if (!p) throw new MalformedResponseError(`${P}/params`, "the response has no params");
  return {
    developerAccess: p.developerAccessParams,
    participantAccess: p.participantAccessParams,
    transferAgentAccess: p.transferAgentAccessParams,
    genesisGuardians: p.genesisGuardianParams,
  };
}

/**
 * The transfer agents allowed to start inferences (`transfer_agent_access_params`, v0.2.9); an
 * empty list means anyone may.
 *
 * @example
 * ```ts
 * const agents = await getTransferAgentAccessParams(chain);
 * agents.allowedTransferAddresses.includes(myAgent);
 * ```
 */
export async function getTransferAgentAccessParams(ctx: Pick<ChainContext, "transport">, options?: CallOptions): Promise<{ allowedTransferAddresses: string[] }> {
  const a = await getAccessParams(ctx, options);
  return { allowedTransferAddresses: a.transferAgentAccess?.allowedTransferAddresses ?? [] };
}
