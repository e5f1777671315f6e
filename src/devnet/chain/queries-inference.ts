/**
 * The inference queries of chain v0.2.13 the devnet answers (spec chain-upgrades.md §4): accounts,
 * allowlist, exclusions, models (paginated), inferences, PoC v2 commits / distributions /
 * validations / snapshot, delegation, epoch info, MLNode version.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import type { Model } from "../../../generated/proto/inference/inference/model_pb.js";
import { QueryError, type QueryContext } from "./queries.js";
import { pocKey, type ChainState } from "./state.js";
import { paginate } from "./pagination.js";

type Req = Record<string, unknown>;
type Handler = (ctx: QueryContext, req: Req & import("@bufbuild/protobuf").Message) => object;

const big = (v: unknown): bigint => (typeof v === "bigint" ? v : BigInt(String(v ?? 0)));

function pubKeyForms(state: ChainState, address: string): { pubKey: string; hexPubKey: string } {
  const pk = state.accounts.get(address)?.pubKey;
  return { pubKey: pk ? Buffer.from(pk).toString("base64") : "", hexPubKey: pk ? Buffer.from(pk).toString("hex") : "" };
}

/** The devnet's block hash stand-in: upper-case hex SHA-256 of `"<chain-id>/<height>"`. */
export function devnetBlockHash(state: ChainState, height: bigint): string {
  return Buffer.from(sha256(new TextEncoder().encode(`${state.chainId}/${height}`))).toString("hex").toUpperCase();
}

const P = "inference.inference.Query/";

/** Handlers by `package.Service/Method`. */
export const inferenceQueryHandlers: Record<string, Handler> = {
  [`${P}Params`]: ({ state }) => ({ params: state.inferenceParams }),
  [`${P}AccountByAddress`]: ({ state }, req) => {
    const address = String(req.address);
    const acc = state.accounts.get(address);
    if (!acc) throw new QueryError(5, `account ${address} not found`);
    return { pubkey: acc.pubKey ? Buffer.from(acc.pubKey).toString("base64") : "", balance: state.balance(address, "ngonka"), denom: "ngonka" };
  },
  [`${P}ParticipantAllowList`]: ({ state }) => ({ addresses: [...state.participantAllowList].sort() }),
  [`${P}ExcludedParticipants`]: ({ state }, req) => {
    const epoch = big(req.epochIndex) || state.epoch.index;
    return { items: state.excludedParticipants.filter((e) => e.epochIndex === epoch) };
  },
  [`${P}MLNodeVersion`]: ({ state }) => ({ mlnodeVersion: { currentVersion: state.mlnodeVersion } }),
  [`${P}ModelsAll`]: ({ state }, req) => {
    const models = [...state.models.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const page = paginate<Model>(models, (m) => m.id, req.pagination as never);
    return { model: page.items, pagination: page.pagination };
  },
  [`${P}Inference`]: ({ state }, req) => {
    const inf = state.inferences.get(String(req.index));
    if (!inf) throw new QueryError(5, "not found");
    return { inference: inf };
  },
  [`${P}InferenceAll`]: ({ state }, req) => {
    const list = [...state.inferences.values()].sort((a, b) => (a.index < b.index ? -1 : 1));
    const page = paginate(list, (i) => i.index, req.pagination as never);
    return { inference: page.items, pagination: page.pagination };
  },
  [`${P}GetCurrentEpoch`]: ({ state }) => ({ epoch: state.epoch.index }),
  [`${P}EpochInfo`]: ({ state }) => ({
    blockHeight: state.height,
    params: state.inferenceParams,
    latestEpoch: { index: state.epoch.index, pocStartBlockHeight: state.epoch.pocStartBlockHeight },
    isConfirmationPocActive: false,
  }),
  [`${P}ActiveConfirmationPoCEvent`]: () => ({ isActive: false }),
  [`${P}ListConfirmationPoCEvents`]: () => ({ events: [] }),
  [`${P}PoCV2StoreCommit`]: ({ state }, req) => {
    const c = state.pocV2Commits.get(pocKey(big(req.pocStageStartBlockHeight), String(req.participantAddress), String(req.modelId)));
    return c ? { count: c.count, rootHash: c.rootHash, found: true } : { found: false };
  },
  [`${P}MLNodeWeightDistribution`]: ({ state }, req) => {
    const d = state.pocV2Distributions.get(pocKey(big(req.pocStageStartBlockHeight), String(req.participantAddress), String(req.modelId)));
    return d ? { weights: d.weights, found: true } : { found: false };
  },
  [`${P}AllPoCV2StoreCommitsForStage`]: ({ state }, req) => {
    const s = big(req.pocStageStartBlockHeight);
    const commits = [...state.pocV2Commits.values()]
      .filter((c) => c.pocStageStartBlockHeight === s)
      .map((c) => ({ participantAddress: c.participantAddress, count: c.count, rootHash: c.rootHash, hexPubKey: pubKeyForms(state, c.participantAddress).hexPubKey, modelId: c.modelId }));
    return { commits };
  },
  [`${P}AllMLNodeWeightDistributionsForStage`]: ({ state }, req) => {
    const s = big(req.pocStageStartBlockHeight);
    const distributions = [...state.pocV2Distributions.values()]
      .filter((d) => d.pocStageStartBlockHeight === s)
      .map((d) => ({ participantAddress: d.participantAddress, weights: d.weights, modelId: d.modelId }));
    return { distributions };
  },
  [`${P}PocV2ValidationsForStage`]: ({ state }, req) => {
    const s = big(req.blockHeight);
    const groups = new Map<string, { participant: string; modelId: string; pocValidation: unknown[] }>();
    for (const v of state.pocV2Validations.values()) {
      if (v.pocStageStartBlockHeight !== s) continue;
      const k = pocKey(v.participantAddress, v.modelId);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { participant: v.participantAddress, modelId: v.modelId, pocValidation: [] }));
      g.pocValidation.push(v);
    }
    return {
      pocValidation: [...groups.values()].map((g) => {
        const { pubKey, hexPubKey } = pubKeyForms(state, g.participant);
        return { participant: g.participant, pubKey, hexPubKey, pocValidation: g.pocValidation, modelId: g.modelId };
      }),
    };
  },
  [`${P}PoCValidationSnapshot`]: ({ state }, req) => {
    const s = big(req.pocStageStartHeight);
    // the devnet snapshots the stage it is in: the voting powers as they stand
    if (s !== state.epoch.pocStartBlockHeight || s === 0n) return { found: false };
    const powers = [...state.power].filter(([, p]) => p > 0n).sort(([a], [b]) => (a < b ? -1 : 1));
    const total = powers.reduce((n, [, p]) => n + p, 0n);
    return {
      found: true,
      snapshot: {
        pocStageStartHeight: s, snapshotHeight: s, appHash: devnetBlockHash(state, s), totalNetworkWeight: total,
        modelVotingPowers: (state.inferenceParams.pocParams?.models ?? []).map((m) => ({
          modelId: m.modelId, votingPowers: powers.map(([address, votingPower]) => ({ address, votingPower })),
        })),
      },
    };
  },
  [`${P}PoCDelegation`]: ({ state }, req) => {
    const participant = String(req.participant);
    const model = String(req.modelId ?? "");
    const delegations: object[] = [];
    const refusals: object[] = [];
    const intents: object[] = [];
    for (const [key, mode] of state.pocModes) {
      const [who, modelId] = [key.slice(0, key.indexOf("|")), key.slice(key.indexOf("|") + 1)];
      if (who !== participant || (model && model !== modelId)) continue;
      if (mode.mode === "delegate") delegations.push({ modelId, delegator: who, delegateTo: mode.delegateTo });
      else if (mode.mode === "refuse") refusals.push({ modelId, participant: who });
      else intents.push({ modelId, participant: who });
    }
    return { delegations, refusals, intents };
  },
  [`${P}GranteesByMessageType`]: ({ state }, req) => ({
    grantees: [...state.grants.values()]
      .filter((g) => g.granter === req.granterAddress && g.msgTypeUrl === req.messageTypeUrl)
      .map((g) => ({ address: g.grantee, pubKey: pubKeyForms(state, g.grantee).pubKey })),
  }),
};
