/**
 * Our OpenAPI documents must list every route of spec/rest-apis.md (§1 MLNode, §2 callbacks, §3
 * admin, §4 public API). The expected lists below are copied from the spec's route tables.
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
  it("mlnode.yaml: every §1 route, and both callbacks of §1.8/§2 as webhooks", () => {
    const { paths, webhooks } = routesOf("mlnode.yaml");
    const expected = [
      "GET /api/v1/state", "POST /api/v1/stop", "POST /api/v1/inference/up", "POST /api/v1/inference/down",
      "POST /api/v1/pow/init", "POST /api/v1/pow/init/generate", "POST /api/v1/pow/init/validate",
      "POST /api/v1/pow/phase/generate", "POST /api/v1/pow/phase/validate", "POST /api/v1/pow/validate",
      "GET /api/v1/pow/status", "POST /api/v1/pow/stop", "POST /api/v1/train/start", "POST /api/v1/train/stop",
      "GET /api/v1/train/status", "GET /health", "GET /livez", "GET /readyz",
    ];
    expect(paths.sort()).toEqual(expected.sort());
    expect(webhooks.sort()).toEqual(["POST pocBatchGenerated", "POST pocBatchValidated"]);
  });

  it("vllm.yaml: the inference-port routes the network node calls (§1.10, §1.11)", () => {
    expect(routesOf("vllm.yaml").paths.sort()).toEqual(["GET /health", "POST /tokenize"]);
  });

  it("admin.yaml: every §3 route plus the later node update and version routes", () => {
    const expected = [
      "POST /admin/v1/nodes", "POST /admin/v1/nodes/batch", "GET /admin/v1/nodes", "DELETE /admin/v1/nodes/{id}",
      "POST /admin/v1/nodes/{id}/enable", "POST /admin/v1/nodes/{id}/disable", "POST /admin/v1/unit-of-compute-price-proposal",
      "GET /admin/v1/unit-of-compute-price-proposal", "POST /admin/v1/models", "POST /admin/v1/tx/send", "POST /admin/v1/bls/request",
      "POST /admin/v1/debug/create-dummy-training-task",
      "PUT /admin/v1/nodes/{id}", "GET /admin/v1/nodes/upgrade-status", "POST /admin/v1/nodes/version-status",
    ];
    expect(routesOf("admin.yaml").paths.sort()).toEqual(expected.sort());
  });

  it("dapi.yaml: every §4.1 route", () => {
    const expected = [
      "GET /v1/status", "POST /v1/chat/completions", "GET /v1/chat/completions/{id}", "GET /v1/participants/{address}",
      "GET /v1/participants", "POST /v1/participants", "GET /v1/epochs/{epoch}", "GET /v1/epochs/{epoch}/participants",
      "GET /v1/pricing", "GET /v1/models", "GET /v1/governance/pricing", "GET /v1/governance/models", "GET /v1/poc-batches/{epoch}",
      "GET /v1/versions", "GET /v1/bls/epoch/{id}", "GET /v1/bls/signatures/{request_id}", "GET /v1/restrictions/status",
      "GET /v1/restrictions/exemptions", "GET /v1/restrictions/exemptions/{id}/usage/{account}", "POST /v1/training/tasks",
      "GET /v1/training/tasks", "GET /v1/training/tasks/{id}", "POST /v1/training/lock-nodes", "POST /v1/verify-proof",
      "POST /v1/verify-block", "GET /v1/debug/pubkey-to-addr/{pubkey}", "GET /v1/debug/verify/{height}", "POST /v1/bridge/block",
      "GET /v1/bridge/status",
    ];
    expect(routesOf("dapi.yaml").paths.sort()).toEqual(expected.sort());
  });
});
