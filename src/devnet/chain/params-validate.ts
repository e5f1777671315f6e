/**
 * `Params.Validate` of the inference module at v0.2.13 (spec chain-upgrades.md §3.1), run by
 * `MsgUpdateParams`: nil sub-messages, PoC models, devshard escrow, delegation, fee and height
 * rules.
 */
import type { Decimal, Params } from "../../../generated/proto/inference/inference/params_pb.js";
import { sdk } from "./abci.js";

const invalid = (what: string) => sdk.invalidRequest(`invalid params: ${what}`);

function inUnitInterval(d: Decimal | undefined): boolean {
  if (!d) return true;
  const v = Number(d.value) * 10 ** d.exponent;
  return v >= 0 && v <= 1;
}

/**
 * Throws the chain's invalid-params error for the first rule `p` breaks. `strictDevshard` adds the
 * rules on `DevshardEscrowParams` 14, 15 and 17 (timeouts > 0, vote threshold 1..100): mainnet
 * holds 0 there until v0.2.14, and whether the v0.2.13 binary already checks them is open
 * (spec §11), so the devnet leaves them off unless told.
 */
export function validateParams(p: Params, strictDevshard = false): void {
  const required: [string, unknown][] = [
    ["validation_params", p.validationParams], ["tokenomics_params", p.tokenomicsParams], ["collateral_params", p.collateralParams],
    ["bitcoin_reward_params", p.bitcoinRewardParams], ["epoch_params", p.epochParams], ["poc_params", p.pocParams],
    ["dynamic_pricing_params", p.dynamicPricingParams],
  ];
  for (const [name, v] of required) if (!v) throw invalid(`${name} must not be nil`);

  const ids = new Set<string>();
  for (const m of p.pocParams!.models) {
    if (ids.has(m.modelId)) throw invalid(`duplicate PoC model_id ${m.modelId}`);
    if (m.seqLen < 0n) throw invalid(`PoC model ${m.modelId} has a negative seq_len`);
    ids.add(m.modelId);
  }

  const e = p.devshardEscrowParams;
  if (e) {
    if (e.minAmount === 0n) throw invalid("devshard min_amount must be > 0");
    if (e.maxAmount < e.minAmount) throw invalid("devshard max_amount must be >= min_amount");
    if (e.groupSize === 0) throw invalid("devshard group_size must be > 0");
    if (e.maxNonce === 0) throw invalid("devshard max_nonce must be > 0");
    if (strictDevshard && e.refusalTimeout <= 0n) throw invalid("devshard refusal_timeout must be > 0");
    if (strictDevshard && e.executionTimeout <= 0n) throw invalid("devshard execution_timeout must be > 0");
    if (e.validationRate > 10000) throw invalid("devshard validation_rate must be <= 10000");
    if (strictDevshard && (e.voteThresholdFactor < 1 || e.voteThresholdFactor > 100)) throw invalid("devshard vote_threshold_factor must be in 1..100");
    const names = new Set<string>();
    for (const v of e.approvedVersions) {
      if (!v.name || !v.binary || !/^[0-9a-f]{64}$/i.test(v.sha256)) throw invalid("each devshard approved version needs a name, a binary and a 64-hex sha256");
      if (names.has(v.name)) throw invalid(`duplicate devshard approved version ${v.name}`);
      names.add(v.name);
    }
  }

  const dg = p.delegationParams;
  if (dg) {
    if (dg.deployWindow < 0n || dg.vMin < 0n) throw invalid("delegation deploy_window and v_min must not be negative");
    const unit: [string, Decimal | undefined][] = [
      ["refusal_penalty", dg.refusalPenalty], ["no_participation_penalty", dg.noParticipationPenalty], ["delegation_share", dg.delegationShare],
      ["w_threshold", dg.wThreshold], ["cap_factor", dg.capFactor],
    ];
    for (const [name, v] of unit) if (!inUnitInterval(v)) throw invalid(`delegation ${name} must be in [0,1]`);
    if (!ids.has(dg.initialModelId)) throw invalid(`delegation initial_model_id ${dg.initialModelId} is not one of poc_params.models`);
  }

  if ((p.feeParams?.minGasPriceNgonka ?? 0n) > 1_000_000n) throw invalid("fee_params.min_gas_price_ngonka must be <= 1000000");

  const heights: [string, bigint | undefined][] = [
    ["genesis_guardian_params.network_maturity_min_height", p.genesisGuardianParams?.networkMaturityMinHeight],
    ["developer_access_params.until_block_height", p.developerAccessParams?.untilBlockHeight],
    ["participant_access_params.new_participant_registration_start_height", p.participantAccessParams?.newParticipantRegistrationStartHeight],
    ["participant_access_params.participant_allowlist_until_block_height", p.participantAccessParams?.participantAllowlistUntilBlockHeight],
  ];
  for (const [name, v] of heights) if ((v ?? 0n) < 0n) throw invalid(`${name} must not be negative`);
}
