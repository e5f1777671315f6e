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
  ["inference.inference.Query", "InferenceParticipant", "get", `${P}/inference_participant/{address}`],
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
];

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
    expect(checked).toBeGreaterThan(50);
  });
});
