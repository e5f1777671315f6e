/**
 * Connects the network-node APIs to the devnet chain node: a {@link DevnetChainView} over the
 * chain state, the genesis of the devnet's own participant, and the devnet's simplified epoch
 * end (PoC weights → voting power).
 */
import { create } from "@bufbuild/protobuf";
import { ParticipantSchema, ParticipantStatus } from "../../generated/proto/inference/inference/participant_pb.js";
import type { ChainState } from "./chain/index.js";
import { releaseVesting } from "./chain/exec-modules.js";
import type { DevnetChainView, DevnetModel } from "./chain-view.js";
import type { DevnetIdentity } from "./devnet-keys.js";
import type { DevnetState } from "./state.js";
import { addressOfPubkey } from "./verify-request.js";
import { pocV2ParticipantWeights, tallyPocV2Stage } from "./poc-v2/tally.js";
import { hex } from "@scure/base";

/**
 * A chain view reading the chain node's state. The governance models are the chain's (`MsgRegisterModel`
 * and `MsgDeleteGovernanceModel` change them); `described` supplies the public API's fields
 * (units of compute, HF repo) of models the devnet was started with.
 */
export function chainViewOf(state: ChainState, described: readonly DevnetModel[] = []): DevnetChainView {
  const models = (): DevnetModel[] =>
    [...state.models.values()].map(
      (m) => described.find((d) => d.id === m.id) ?? { id: m.id, unitsOfComputePerToken: m.unitsOfComputePerToken, hfRepo: m.hfRepo, proposedBy: m.proposedBy },
    );
  return {
    get chainId() {
      return state.chainId;
    },
    height: () => state.height,
    blockTimeNs: () => BigInt(state.time.getTime()) * 1_000_000n,
    participants: () =>
      [...state.participants.values()].map((p) => ({
        address: p.address || p.index,
        inferenceUrl: p.inferenceUrl,
        weight: state.power.get(p.address || p.index) ?? (p.weight > 0 ? BigInt(p.weight) : 0n),
        validatorKey: p.validatorKey,
        models: models().map((m) => m.id),
      })),
    accountPubkey: (address) => state.accounts.get(address)?.pubKey,
    balance: (address) => state.balance(address, "ngonka"),
    models,
    epoch: () => ({ ...state.epoch }),
    registerAccount(address, pubkey) {
      const existing = state.accounts.get(address);
      if (existing?.pubKey) return false;
      state.ensureAccount(address).pubKey = pubkey;
      return true;
    },
  };
}

/** Writes the devnet participant (transfer agent, validator) into the chain state at genesis. */
export function addDevnetParticipant(state: ChainState, id: DevnetIdentity, inferenceUrl: string, power: bigint): void {
  state.fund(id.address, [{ denom: "ngonka", amount: 10n ** 15n }]);
  state.ensureAccount(id.address).pubKey = id.accountPubkey;
  state.power.set(id.address, power);
  state.participants.set(
    id.address,
    create(ParticipantSchema, {
      index: id.address,
      address: id.address,
      weight: Number(power),
      inferenceUrl,
      validatorKey: id.validatorKey,
      status: ParticipantStatus.ACTIVE,
      joinHeight: state.height,
      joinTime: BigInt(state.time.getTime()),
    }),
  );
}

/**
 * The PoC v2 weights of a stage, per participant (summed over models): each (participant, model)
 * commit weighs its committed count when validators holding more than 2/3 of the voting power
 * accepted it, 0 when they did not (votes with `validated_weight ≤ 0` are fraud votes); a pair no
 * validator with power voted on keeps its count (the devnet may have no other validators). The
 * per-model tally: `tallyPocV2Stage`.
 */
export function pocV2Weights(chain: ChainState, stage: bigint): Map<string, bigint> {
  return pocV2ParticipantWeights(tallyPocV2Stage(chain, stage));
}

/**
 * The devnet's epoch end. With `poc_v2_enabled` every participant's weight is its
 * {@link pocV2Weights} for the current stage; otherwise the number of valid nonces it delivered —
 * its `MsgSubmitPocBatch` batches on chain or, when it has none, the batches its MLNode posted to
 * the devnet's callback server. Weights become voting power, vesting schedules release an epoch's
 * share, and a new epoch starts with its PoC stage at the current height. Returns the new weights.
 */
export function endDevnetEpoch(chain: ChainState, node: DevnetState, rTarget: number): Map<string, bigint> {
  const stage = chain.epoch.pocStartBlockHeight;
  if (chain.inferenceParams.pocParams?.pocV2Enabled) {
    const weights = pocV2Weights(chain, stage);
    applyWeights(chain, weights);
    return weights;
  }
  const count = (dist: readonly number[]) => BigInt(dist.filter((d) => d < rTarget).length);
  // on-chain MsgSubmitPocBatch batches count first; a participant without any counts what its
  // MLNode posted to the devnet's callback server (batches the network node would have submitted)
  const onChain = new Map<string, bigint>();
  for (const b of chain.pocBatches) {
    if (b.pocStageStartBlockHeight !== stage) continue;
    onChain.set(b.participantAddress, (onChain.get(b.participantAddress) ?? 0n) + count(b.dist));
  }
  const viaCallback = new Map<string, bigint>();
  for (const b of node.pocBatches) {
    if (BigInt(b.block_height) !== stage) continue;
    let address: string;
    try {
      address = addressOfPubkey(hex.decode(b.public_key.toLowerCase()));
    } catch {
      continue;
    }
    viaCallback.set(address, (viaCallback.get(address) ?? 0n) + count(b.dist));
  }
  const weights = new Map<string, bigint>(viaCallback);
  for (const [address, w] of onChain) weights.set(address, w);
  applyWeights(chain, weights);
  return weights;
}

function applyWeights(chain: ChainState, weights: Map<string, bigint>): void {
  for (const [address, weight] of weights) {
    if (weight === 0n) continue;
    chain.power.set(address, weight);
    const p = chain.participants.get(address);
    if (p) p.weight = Number(weight);
  }
  releaseVesting(chain);
  chain.epoch = { index: chain.epoch.index + 1n, pocStartBlockHeight: chain.height };
}
