/**
 * Our OpenAPI documents must list every route of v0.2.13 (spec/rest-upgrades.md §2.1 public API,
 * §3 devshard host routes, §4 admin, §5 callbacks, §6 MLNode) and none of the routes it removed.
 * The expected lists below are copied from the spec's route tables.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

function routesOf(file: string): { paths: string[]; webhooks: string[] } {
  const text = readFileSync(new URL(`../../openapi/${file}`, import.meta.url), "utf8");
  const paths: string[] = [];
  const webhooks: string[] = [];
  let section = "";
  let current = "";
  for (const line of text.split("\n")) {
    const top = /^([a-z]+):/.exec(line);
    if (top) section = top[1] ?? "";
    const key = /^ {2}([^\s#][^:]*):\s*$/.exec(line);
    if (key) current = key[1] ?? "";
    const method = /^ {4}(get|post|put|delete|patch):\s*$/.exec(line);
    if (method && current) (section === "paths" ? paths : section === "webhooks" ? webhooks : []).push(`${method[1]?.toUpperCase()} ${current}`);
  }
  return { paths, webhooks };
}

describe("OpenAPI documents cover the spec", () => {
  it("mlnode.yaml: every §6.1 route; PoC v2 and PoW v1 callbacks as webhooks", () => {
    const { paths, webhooks } = routesOf("mlnode.yaml");
    const expected = [
      "GET /api/v1/state", "POST /api/v1/stop", "POST /api/v1/inference/up", "POST /api/v1/inference/up/async",
      "GET /api/v1/inference/up/status", "POST /api/v1/inference/down",
      "POST /api/v1/inference/pow/init/generate", "POST /api/v1/inference/pow/generate", "GET /api/v1/inference/pow/generate/{request_id}",
      "GET /api/v1/inference/pow/status", "POST /api/v1/inference/pow/stop",
      "POST /api/v1/models/status", "POST /api/v1/models/download", "DELETE /api/v1/models", "GET /api/v1/models/list", "GET /api/v1/models/space",
      "GET /api/v1/gpu/devices", "GET /api/v1/gpu/driver",
      "POST /api/v1/pow/init", "POST /api/v1/pow/init/generate", "POST /api/v1/pow/init/validate",
      "POST /api/v1/pow/phase/generate", "POST /api/v1/pow/phase/validate", "POST /api/v1/pow/validate",
      "GET /api/v1/pow/status", "POST /api/v1/pow/stop", "POST /api/v1/train/start", "POST /api/v1/train/stop",
      "GET /api/v1/train/status", "GET /health", "GET /livez", "GET /readyz",
    ];
    expect(paths.sort()).toEqual(expected.sort());
    expect(webhooks.sort()).toEqual(["POST pocBatchGenerated", "POST pocBatchValidated", "POST pocV2Generated", "POST pocV2Validated"]);
  });

  it("vllm.yaml: the inference-port routes the network node calls (§1.10, §1.11)", () => {
    expect(routesOf("vllm.yaml").paths.sort()).toEqual(["GET /health", "POST /tokenize"]);
  });

  it("admin.yaml: every §4 route, without the removed dummy training task", () => {
    const expected = [
      "POST /admin/v1/nodes", "POST /admin/v1/nodes/batch", "GET /admin/v1/nodes", "PUT /admin/v1/nodes/{id}", "DELETE /admin/v1/nodes/{id}",
      "POST /admin/v1/nodes/{id}/enable", "POST /admin/v1/nodes/{id}/disable", "GET /admin/v1/nodes/upgrade-status",
      "POST /admin/v1/nodes/version-status", "POST /admin/v1/unit-of-compute-price-proposal", "GET /admin/v1/unit-of-compute-price-proposal",
      "POST /admin/v1/models", "POST /admin/v1/tx/send", "POST /admin/v1/bls/request", "GET /admin/v1/export/db", "GET /admin/v1/config",
      "POST /admin/v1/claim-reward/recover", "GET /admin/v1/setup/report", "POST /admin/v1/bridge/block", "POST /admin/v1/payloads",
    ];
    expect(routesOf("admin.yaml").paths.sort()).toEqual(expected.sort());
  });

  it("dapi.yaml: every §2.1 route and the §3 devshard host routes; the removed ones are gone", () => {
    const expected = [
      "GET /v1/status", "GET /v1/identity", "POST /v1/chat/completions", "POST /v1/completions", "GET /v1/chat/completions",
      "GET /v1/inference/payloads", "GET /v1/participants/{address}", "GET /v1/participants", "POST /v1/participants",
      "POST /v1/verify-proof", "POST /v1/verify-block", "GET /v1/pricing", "GET /v1/governance/pricing", "GET /v1/models",
      "GET /v1/governance/models", "GET /v1/governance/models-legacy", "GET /v1/stats/models", "GET /v1/stats/developers/{developer}/inferences",
      "GET /v1/stats/developers/{developer}/summary/epochs", "GET /v1/stats/summary/epochs", "GET /v1/stats/summary/time",
      "GET /v1/stats/debug/developers", "GET /v1/poc-batches/{epoch}", "GET /v1/debug/pubkey-to-addr/{pubkey}", "GET /v1/debug/verify/{height}",
      "GET /v1/versions", "GET /v1/bridge/status", "GET /v1/bridge/addresses", "GET /v1/epochs/{epoch}", "GET /v1/epochs/{epoch}/participants",
      "GET /v1/bls/epoch/{id}", "GET /v1/bls/epochs/{id}", "GET /v1/bls/signatures/{request_id}", "GET /v1/restrictions/status",
      "GET /v1/restrictions/exemptions", "GET /v1/restrictions/exemptions/{id}/usage/{account}", "POST /v1/poc/proofs",
      "GET /v1/poc/artifacts/state", "GET /v2/participants/{address}", "GET /v2/accounts/{address}",
      "POST /v1/devshard/sessions/{id}/chat/completions", "POST /v1/devshard/sessions/{id}/verify-timeout",
      "POST /v1/devshard/sessions/{id}/challenge-receipt", "POST /v1/devshard/sessions/{id}/gossip/nonce",
      "POST /v1/devshard/sessions/{id}/gossip/txs", "GET /v1/devshard/sessions/{id}/diffs", "GET /v1/devshard/sessions/{id}/mempool",
      "GET /v1/devshard/sessions/{id}/signatures", "GET /v1/devshard/sessions/{id}/payloads", "GET /v1/devshard/stats/shards",
      "GET /v1/devshard/stats/shards/{escrow_id}",
    ];
    const { paths } = routesOf("dapi.yaml");
    expect(paths.sort()).toEqual(expected.sort());
    for (const removed of ["GET /v1/chat/completions/{id}", "POST /v1/bridge/block", "POST /v1/training/tasks", "GET /v1/training/tasks", "GET /v1/training/tasks/{id}", "POST /v1/training/lock-nodes"])
      expect(paths).not.toContain(removed);
  });
});
