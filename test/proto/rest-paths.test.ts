import { getOption } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { http } from "../../generated/proto/google/api/annotations_pb.js";
import { registry } from "../../src/proto/index.js";

const P = "/productscience/inference/inference";

/** [service, rpc, HTTP method, path] as the chain's REST gateway serves them (spec/rest-apis.md §5.3, chain.md). */
const ROUTES: [string, string, string, string][] = [
  ["cosmos.tx.v1beta1.Service", "BroadcastTx", "post", "/cosmos/tx/v1beta1/txs"],
  ["cosmos.tx.v1beta1.Service", "Simulate", "post", "/cosmos/tx/v1beta1/simulate"],
  ["cosmos.tx.v1beta1.Service", "GetTx", "get", "/cosmos/tx/v1beta1/txs/{hash}"],
  ["cosmos.auth.v1beta1.Query", "Account", "get", "/cosmos/auth/v1beta1/accounts/{address}"],
  ["cosmos.bank.v1beta1.Query", "AllBalances", "get", "/cosmos/bank/v1beta1/balances/{address}"],
  ["cosmos.bank.v1beta1.Query", "Balance", "get", "/cosmos/bank/v1beta1/balances/{address}/by_denom"],
  ["cosmos.authz.v1beta1.Query", "Grants", "get", "/cosmos/authz/v1beta1/grants"],
  ["cosmos.gov.v1.Query", "Proposals", "get", "/cosmos/gov/v1/proposals"],
  ["cosmos.gov.v1.Query", "TallyResult", "get", "/cosmos/gov/v1/proposals/{proposal_id}/tally"],
  ["cosmos.gov.v1.Query", "Params", "get", "/cosmos/gov/v1/params/{params_type}"],
  ["inference.inference.Query", "Params", "get", `${P}/params`],
  ["inference.inference.Query", "Participant", "get", `${P}/participant/{index}`],
  ["inference.inference.Query", "ParticipantAll", "get", `${P}/participant`],
  ["inference.inference.Query", "AccountByAddress", "get", `${P}/inference_participant/{address}`],
  ["inference.inference.Query", "EpochInfo", "get", `${P}/epoch_info`],
  ["inference.inference.Query", "CurrentEpochGroupData", "get", `${P}/current_epoch_group_data`],
  ["inference.inference.Query", "PocBatchesForStage", "get", `${P}/poc_batches_for_stage/{block_height}`],
  ["inference.inference.Query", "CountPoCbatchesAtHeight", "get", `${P}/count_po_c_batches_at_height/{blockHeight}`],
  ["inference.inference.Query", "ModelsAll", "get", `${P}/models_all`],
  ["inference.inference.Query", "GetAllModelPerTokenPrices", "get", `${P}/all_model_per_token_prices`],
  [
    "inference.inference.Query",
    "GranteesByMessageType",
    "get",
    `${P}/grantees_by_message_type/{granter_address}/{message_type_url}`,
  ],
  ["inference.collateral.Query", "Params", "get", "/productscience/inference/collateral/params"],
  ["inference.bls.Query", "Params", "get", "/productscience/inference/bls/params"],
  ["cosmos.feegrant.v1beta1.Query", "Allowance", "get", "/cosmos/feegrant/v1beta1/allowance/{granter}/{grantee}"],
  ["cosmos.feegrant.v1beta1.Query", "Allowances", "get", "/cosmos/feegrant/v1beta1/allowances/{grantee}"],
  ["cosmos.feegrant.v1beta1.Query", "AllowancesByGranter", "get", "/cosmos/feegrant/v1beta1/issued/{granter}"],
];

/** spec/chain-upgrades.md §4.1: the inference Query service at v0.2.13, in declaration order, paths after P. */
const INFERENCE_QUERY_ROUTES: [string, string][] = [
  ["Params", "/params"],
  ["Inference", "/inference/{index}"],
  ["InferenceAll", "/inference"],
  ["Participant", "/participant/{index}"],
  ["ParticipantAll", "/participant"],
  ["AccountByAddress", "/inference_participant/{address}"],
  ["GetRandomExecutor", "/get_random_executor"],
  ["EpochGroupData", "/epoch_group_data/{epoch_index}"],
  ["EpochGroupDataAll", "/epoch_group_data"],
  ["SettleAmount", "/settle_amount/{participant}"],
  ["SettleAmountAll", "/settle_amount"],
  ["EpochGroupValidations", "/epoch_group_validations/{participant}/{epoch_index}"],
  ["EpochGroupValidationsAll", "/epoch_group_validations"],
  ["PocBatchesForStage", "/poc_batches_for_stage/{block_height}"],
  ["PocValidationsForStage", "/poc_validations_for_stage/{block_height}"],
  ["PocV2ValidationsForStage", "/poc_v2_validations_for_stage/{block_height}"],
  ["PoCV2StoreCommit", "/poc_v2_store_commit/{poc_stage_start_block_height}/{participant_address}/{model_id}"],
  ["MLNodeWeightDistribution", "/mlnode_weight_distribution/{poc_stage_start_block_height}/{participant_address}/{model_id}"],
  ["AllPoCV2StoreCommitsForStage", "/all_poc_v2_store_commits/{poc_stage_start_block_height}"],
  ["AllMLNodeWeightDistributionsForStage", "/all_mlnode_weight_distributions/{poc_stage_start_block_height}"],
  ["GetCurrentEpoch", "/get_current_epoch"],
  ["TokenomicsData", "/tokenomics_data"],
  ["GetUnitOfComputePriceProposal", "/get_unit_of_compute_price_proposal"],
  ["CurrentEpochGroupData", "/current_epoch_group_data"],
  ["ModelsAll", "/models_all"],
  ["InferenceTimeout", "/inference_timeout/{expirationHeight}/{inferenceId}"],
  ["InferenceTimeoutAll", "/inference_timeout"],
  ["InferenceValidationDetails", "/inference_validation_details/{epochId}/{inferenceId}"],
  ["InferenceValidationDetailsAll", "/inference_validation_details"],
  ["GetInferenceValidationParameters", "/get_inference_validation_parameters/{ids}/{requester}"],
  ["EpochPerformanceSummary", "/epoch_performance_summary/{epoch_index}"],
  ["EpochPerformanceSummaryByParticipant", "/epoch_performance_summary/{epoch_index}/{participantId}"],
  ["EpochPerformanceSummaryAll", "/epoch_performance_summary"],
  ["HardwareNodes", "/hardware_nodes/{participant}"],
  ["HardwareNodesAll", "/hardware_nodes_all"],
  ["GetParticipantCurrentStats", "/get_participant_current_stats/{participantId}"],
  ["GetAllParticipantCurrentStats", "/get_all_participant_current_stats"],
  ["GetParticipantsFullStats", "/participants_stats"],
  ["StatsByTimePeriodByDeveloper", "/developer/{developer}/stats_by_time"],
  ["StatsByDeveloperAndEpochsBackwards", "/developer/{developer}/stats_by_epochs_backwards"],
  ["CountParticipants", "/participants/count"],
  ["DebugStatsDeveloperStats", "/debug/developer/all_stats"],
  ["InferencesAndTokensStatsByEpochsBackwards", "/developer/stats_by_epochs_backwards"],
  ["InferencesAndTokensStatsByTimePeriod", "/all_stats_by_time"],
  ["InferencesAndTokensStatsByModels", "/models_stats_by_time"],
  ["GetMinimumValidationAverage", "/get_minimum_validation_average"],
  ["PartialUpgrade", "/partial_upgrade/{height}"],
  ["PartialUpgradeAll", "/partial_upgrade"],
  ["BridgeTransaction", "/bridge_transaction/{origin_chain}/{block_number}/{receipt_index}"],
  ["BridgeTransactions", "/bridge_transactions"],
  ["BridgeAddressesByChain", "/bridge_addresses/{chain_id}"],
  ["LiquidityPool", "/liquidity_pool"],
  ["WrappedTokenBalances", "/wrapped_token_balances/{address}"],
  ["ValidateWrappedTokenForTrade", "/validate_wrapped_token_for_trade/{contract_address}"],
  ["ValidateIbcTokenForTrade", "/validate_ibc_token_for_trade/{ibc_denom}"],
  ["ApprovedTokensForTrade", "/approved_tokens_for_trade"],
  ["EpochInfo", "/epoch_info"],
  ["CountPoCbatchesAtHeight", "/count_po_c_batches_at_height/{blockHeight}"],
  ["CountPoCvalidationsAtHeight", "/count_po_c_validations_at_height/{blockHeight}"],
  ["GetModelPerTokenPrice", "/model_per_token_price/{model_id}"],
  ["GetAllModelPerTokenPrices", "/all_model_per_token_prices"],
  ["GetModelCapacity", "/model_capacity/{model_id}"],
  ["GetAllModelCapacities", "/all_model_capacities"],
  ["GranteesByMessageType", "/grantees_by_message_type/{granter_address}/{message_type_url}"],
  ["MLNodeVersion", "/mlnode_version"],
  ["ParticipantAllowList", "/participant_allow_list"],
  ["ExcludedParticipants", "/excluded_participants/{epoch_index}"],
  ["ActiveConfirmationPoCEvent", "/active_confirmation_poc_event"],
  ["ListConfirmationPoCEvents", "/confirmation_poc_events/{epoch_index}"],
  ["ListRandomSeeds", "/random_seeds/{epoch_index}"],
  ["ParticipantsWithBalances", "/participants_with_balances"],
  ["PoCValidationSnapshot", "/poc_validation_snapshot/{poc_stage_start_height}"],
  ["DevshardEscrow", "/devshard_escrow/{id}"],
  ["PreservedNodesSnapshot", "/preserved_nodes_snapshot"],
  ["DevshardHostEpochStats", "/devshard_host_epoch_stats/{epoch_index}/{participant}"],
  ["PoCDelegation", "/poc_delegation/{participant}"],
];


describe("the inference Query service at v0.2.13 (76 RPCs)", () => {
  const svc = registry.getService("inference.inference.Query");

  it("declares the 76 RPCs of §4.1 in the chain's order", () => {
    expect(svc?.methods.map((m) => m.name)).toEqual(INFERENCE_QUERY_ROUTES.map(([rpc]) => rpc));
  });

  it.each(INFERENCE_QUERY_ROUTES)("%s is GET P%s", (rpc, path) => {
    const m = svc?.methods.find((x) => x.name === rpc);
    expect(m).toBeDefined();
    if (!m) return;
    const rule = getOption(m, http);
    expect(rule.pattern.case).toBe("get");
    expect(rule.pattern.value).toBe(`${P}${path}`);
  });

  it("no longer declares the removed queries", () => {
    const names = new Set(svc?.methods.map((m) => m.name));
    for (const gone of ["InferenceParticipant", "TopMiner", "TopMinerAll", "TrainingTask", "QueuedTrainingTasks", "TrainingTaskAll",
      "InProgressTrainingTasks", "TrainingKvRecord", "ListTrainingKvRecordKeys", "TrainingBarrier", "TrainingAliveNodes"]) {
      expect(names.has(gone), gone).toBe(false);
    }
  });
});

describe("google.api.http routes of the Query services", () => {
  it.each(ROUTES)("%s/%s is %s %s", (serviceName, rpc, method, path) => {
    const svc = registry.getService(serviceName);
    const m = svc?.methods.find((x) => x.name === rpc);
    expect(m, `${serviceName}/${rpc}`).toBeDefined();
    if (!m) return;
    const rule = getOption(m, http);
    expect(rule.pattern.case).toBe(method);
    expect(rule.pattern.value).toBe(path);
    if (method === "post") expect(rule.body).toBe("*");
  });

  it("gives every rpc of every Query service a route, each path parameter naming a request field", () => {
    let checked = 0;
    for (const svc of [...registry].filter((t) => t.kind === "service")) {
      if (!svc.typeName.endsWith(".Query") && svc.typeName !== "cosmos.tx.v1beta1.Service") continue;
      for (const m of svc.methods) {
        const rule = getOption(m, http);
        const path = typeof rule.pattern.value === "string" ? rule.pattern.value : "";
        expect(path, `${svc.typeName}/${m.name}`).toMatch(/^\/(cosmos|productscience)\//);
        for (const [, param] of path.matchAll(/\{([^}]+)\}/g)) {
          expect(m.input.fields.some((f) => f.name === param), `${m.name} {${param}}`).toBe(true);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
