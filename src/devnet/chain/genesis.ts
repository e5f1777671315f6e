import { fromJson, type JsonObject } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { ParamsSchema as InferenceParamsSchema, type Params as InferenceParams } from "../../../generated/proto/inference/inference/params_pb.js";
import { ParamsSchema as GovParamsSchema, type Params as GovParams } from "../../../generated/proto/cosmos/gov/v1/gov_pb.js";
import { create } from "@bufbuild/protobuf";

const d = (value: string, exponent: number): JsonObject => ({ value, exponent });

/** The inference module params of mainnet genesis (spec chain.md §5.1). */
export function mainnetInferenceParams(): InferenceParams {
  return fromJson(InferenceParamsSchema, {
    epochParams: {
      epochLength: "17280", epochMultiplier: "1", epochShift: "16980", defaultUnitOfComputePrice: "100",
      pocStageDuration: "60", pocExchangeDuration: "5", pocValidationDelay: "5", pocValidationDuration: "20",
      setNewValidatorsDelay: "120", inferenceValidationCutoff: "80", inferencePruningEpochThreshold: "2",
    },
    validationParams: {
      falsePositiveRate: d("5", -2), minRampUpMeasurements: 10, passValue: d("99", -2), minValidationAverage: d("1", -2),
      maxValidationAverage: d("1", 0), expirationBlocks: "20", epochsToMax: "30", fullValidationTrafficCutoff: "10000",
      minValidationHalfway: d("5", -2), minValidationTrafficCutoff: "100", missPercentageCutoff: d("1", -2),
      missRequestsPenalty: d("1", 0), timestampExpiration: "60", timestampAdvance: "30",
    },
    pocParams: { defaultDifficulty: 5, validationSampleSize: 200, pocDataPruningEpochThreshold: "1" },
    tokenomicsParams: {
      subsidyReductionInterval: d("5", -2), subsidyReductionAmount: d("2", -1), currentSubsidyPercentage: d("9", -1),
      // Fields 4, 5 and 8 (top-miner rewards) were removed by the v0.2.12 upgrade.
      workVestingPeriod: "180", rewardVestingPeriod: "180",
    },
    collateralParams: {
      slashFractionInvalid: d("2", -1), slashFractionDowntime: d("1", -1), downtimeMissedPercentageThreshold: d("5", -2),
      gracePeriodEndEpoch: "180", baseWeightRatio: d("2", -1), collateralPerWeightUnit: d("42", -1),
    },
    bitcoinRewardParams: {
      useBitcoinRewards: true, initialEpochReward: "323000000000000", decayRate: d("-475", -6), genesisEpoch: "1",
      utilizationBonusFactor: d("5", -1), fullCoverageBonusFactor: d("12", -1), partialCoverageBonusFactor: d("1", -1),
    },
    dynamicPricingParams: {
      stabilityZoneLowerBound: d("4", -1), stabilityZoneUpperBound: d("6", -1), priceElasticity: d("5", -2),
      utilizationWindowDuration: "60", minPerTokenPrice: "1", basePerTokenPrice: "100", gracePeriodEndEpoch: "90",
      gracePeriodPerTokenPrice: "0",
    },
    bandwidthLimitsParams: { estimatedLimitsPerBlockKb: "10752", kbPerInputToken: d("23", -4), kbPerOutputToken: d("64", -2) },
  });
}

/** Gov params of mainnet genesis, with the voting period given in ms (mainnet: 48 h). */
export function mainnetGovParams(votingPeriodMs = 48 * 3600_000): GovParams {
  return create(GovParamsSchema, {
    minDeposit: [{ denom: "ngonka", amount: "25000000" }],
    maxDepositPeriod: durationFromMs(172_800_000),
    votingPeriod: durationFromMs(votingPeriodMs),
    quorum: "0.334000000000000000",
    threshold: "0.500000000000000000",
    vetoThreshold: "0.334000000000000000",
    minInitialDepositRatio: "0.000000000000000000",
    proposalCancelRatio: "0.500000000000000000",
    expeditedVotingPeriod: durationFromMs(Math.min(votingPeriodMs, 12 * 3600_000)),
    expeditedThreshold: "0.667000000000000000",
    expeditedMinDeposit: [{ denom: "ngonka", amount: "50000000" }],
    burnVoteQuorum: false,
    burnProposalDepositPrevote: false,
    burnVoteVeto: true,
    minDepositRatio: "0.010000000000000000",
  });
}
