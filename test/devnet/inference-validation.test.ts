/**
 * Inference validation end to end on the devnet: executors answer signed chat requests with the
 * fake model's top-5 logprobs, the devnet's validator nodes sample, re-run with enforced tokens,
 * score and vote through `validateInference`, and the chain decides: the honest executor's
 * inferences pass, the cheater's are invalidated, counters, SPRT, status and reputation move.
 * Plus the devnet options inference clients need (allow-list from chain params, extra
 * participants, the stock CORS policy).
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InferenceStatus } from "../../generated/proto/inference/inference/inference_pb.js";
import { createGonkaClient, type GonkaClient } from "../../src/index.js";
import { ChainTxError, walletFromPrivateKey, type Wallet } from "../../src/chain/index.js";
import { moduleAccount } from "../../src/devnet/chain/crypto.js";
import { startDevnet, type Devnet } from "../../src/devnet/index.js";
import { decimalFromFloat, developerRequestHeaders, logprobsFromPayload, rewriteInferenceBody, storedPromptPayloadHash } from "../../src/inference/index.js";
import { vectors } from "../inference/validation/vectors.js";

const MODEL = "Qwen/Qwen2.5-7B-Instruct";
const developer: Wallet = walletFromPrivateKey(vectors.keys.developers[1].private_key_hex);
const LOG_FAIL = vectors.sprt.precomputed_mainnet.invalidation_log_fail; // {value, exponent}
const LOG_PASS = vectors.sprt.precomputed_mainnet.invalidation_log_pass;

function sha256Hex(b: Uint8Array | string): string {
  return createHash("sha256").update(b).digest("hex");
}

async function register(devnet: Devnet): Promise<GonkaClient> {
  devnet.fund(developer.address, 10n ** 12n);
  await fetch(`${devnet.url}/v1/participants`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ address: developer.address, pub_key: developer.publicKeyBase64 }) });
  return createGonkaClient({ url: devnet.url, chainId: devnet.chainId, wallet: developer });
}

async function ask(gonka: GonkaClient, content: string, extra: Record<string, unknown> = {}): Promise<{ status: number; raw: string; json: Record<string, unknown> & { id: string } }> {
  const res = await gonka.inference.fetch(`${gonka.inference.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content }], ...extra }),
  });
  const raw = await res.text();
  return { status: res.status, raw, json: JSON.parse(raw) as Record<string, unknown> & { id: string } };
}

/** `n · step` as the chain stores a 12-digit LLR: the coefficient at exponent −12. */
function llrOf(steps: { d: { value: number | bigint; exponent: number }; n: bigint }[]): bigint {
  return steps.reduce((sum, s) => sum + BigInt(s.d.value) * s.n, 0n);
}

function coefficient12(d: string): bigint {
  const [i, f = ""] = d.replace("-", "").split(".");
  const v = BigInt(i! + f.padEnd(12, "0"));
  return d.startsWith("-") ? -v : v;
}

describe("devnet inference validation (sampling as the spec says)", () => {
  let devnet: Devnet;
  let gonka: GonkaClient;
  beforeAll(async () => {
    devnet = await startDevnet({ blockTimeMs: 30, inferenceValidation: { executors: [{ name: "honest" }, { name: "cheater", cheat: true }] } });
    gonka = await register(devnet);
  }, 60_000);
  afterAll(async () => {
    gonka?.close();
    await devnet?.stop();
  });

  it("executors answer with top-5 token-id logprobs; the inference is on chain with the hashes of the served payloads", async () => {
    const body = { model: MODEL, messages: [{ role: "user", content: "first question" }], max_tokens: 40 };
    const { status, raw, json } = await ask(gonka, "first question", { max_tokens: 40 });
    expect(status).toBe(200);
    const positions = logprobsFromPayload(raw);
    expect(positions).toHaveLength(40);
    for (const p of positions) {
      expect(p.token).toMatch(/^\d+$/);
      expect(p.top_logprobs).toHaveLength(5);
      expect(p.top_logprobs?.some((t) => t.token === p.token)).toBe(true);
    }
    const inf = devnet.chainState!.inferences.get(json.id)!;
    expect(inf.status === InferenceStatus.FINISHED || inf.status >= InferenceStatus.VALIDATED).toBe(true);
    expect(inf.responseHash).toBe(sha256Hex(raw));
    expect(inf.originalPromptHash).toBe(sha256Hex(JSON.stringify(body)));
    const executed = devnet.inferenceValidation!.executorSet.payloads(json.id)!;
    expect(storedPromptPayloadHash(executed.promptPayload)).toBe(inf.promptHash);
    // the prompt payload is the node's rewrite of the body (top_logprobs 5, max_tokens 40, a seed)
    const seed = (JSON.parse(executed.promptPayload) as { seed: number }).seed;
    expect(executed.promptPayload).toBe(rewriteInferenceBody({ body: JSON.stringify(body), seed }).promptPayload);
    expect(inf.executedBy).toBe(devnet.inferenceValidation!.executors[0]!.address);
    expect(inf.transferredBy).toBe(devnet.participant.address);
    const participants = (await (await fetch(`${devnet.url}/v1/epochs/current/participants`)).json()) as { active_participants: { participants: { index: string }[] } };
    expect(participants.active_participants.participants.map((p) => p.index)).toEqual([devnet.participant.address, ...devnet.inferenceValidation!.executors.map((e) => e.address)]);
  });

  it("honest inferences pass, the cheater's are invalidated, and the counters and SPRT move", async () => {
    const iv = devnet.inferenceValidation!;
    const [honest, cheater] = iv.executors;
    const mine: string[] = [];
    const count = () => {
      const all = mine.map((id) => devnet.chainState!.inferences.get(id)!);
      return {
        invalidated: all.filter((i) => i.executedBy === cheater!.address && i.status === InferenceStatus.INVALIDATED).length,
        validated: all.filter((i) => i.executedBy === honest!.address && i.status === InferenceStatus.VALIDATED).length,
      };
    };
    for (let i = 0; i < 12 && (count().invalidated === 0 || count().validated === 0); i++) {
      for (const q of [`question ${i} a`, `question ${i} b`]) mine.push((await ask(gonka, q)).json.id);
      await iv.settle({ timeoutMs: 60_000 });
    }
    expect(count().invalidated).toBeGreaterThan(0);
    expect(count().validated).toBeGreaterThan(0);
    for (const id of mine) {
      const inf = devnet.chainState!.inferences.get(id)!;
      if (inf.executedBy === honest!.address) expect([InferenceStatus.FINISHED, InferenceStatus.VALIDATED]).toContain(inf.status);
      else expect([InferenceStatus.FINISHED, InferenceStatus.INVALIDATED]).toContain(inf.status);
    }
    // every first validation was sampled: reputation 100 and traffic ≤ 100 give target 1, so p = 10 / (30 − 10)
    const first = iv.records.filter((r) => !r.revalidation && r.result?.sampling);
    expect(first.length).toBeGreaterThan(0);
    for (const r of first) expect(r.result!.sampling!.probability!.toString()).toBe("0.5");
    // an honest validator's score of the cheater is far below 0.94; of the honest executor, exactly 1
    for (const r of iv.records.filter((x) => x.result?.outcome === "submitted" && !x.revalidation && x.validatorName !== "cheater")) {
      const executedBy = devnet.chainState!.inferences.get(r.inferenceId)!.executedBy;
      if (executedBy === honest!.address) expect(r.result!.valueDecimal).toEqual(decimalFromFloat(1));
      else expect(r.result!.similarity!).toBeLessThan(0.9);
    }
    // the chain's counters and LLRs: each invalidation adds ln(p1/p0), each validation ln((1−p1)/(1−p0))
    const h = iv.standing(honest!.address);
    const c = iv.standing(cheater!.address);
    expect(h.invalidatedInferences).toBe(0n);
    expect(c.validatedInferences).toBe(0n);
    expect(c.invalidatedInferences).toBe(BigInt(count().invalidated));
    expect(coefficient12(h.invalidLLR)).toBe(llrOf([{ d: LOG_PASS, n: h.validatedInferences }]));
    expect(coefficient12(c.invalidLLR)).toBe(llrOf([{ d: LOG_FAIL, n: c.invalidatedInferences }]));
    expect(c.consecutiveInvalidInferences).toBe(c.invalidatedInferences < 5n ? c.invalidatedInferences : 0n);
    expect(iv.records.filter((r) => r.error)).toEqual([]);
  }, 180_000);

  it("MsgInvalidateInference sent by anyone but the inference's group policy is refused", async () => {
    const id = [...devnet.chainState!.inferences.keys()][0]!;
    const e = await gonka.chain
      .sendTx(developer, [{ "@type": "/inference.inference.MsgInvalidateInference", creator: developer.address, inferenceId: id, invalidator: developer.address }])
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ChainTxError);
    expect((e as ChainTxError).message).toMatch(/not the group policy/);
  });
});

describe("devnet inference validation: a persistent cheater", () => {
  let devnet: Devnet;
  let gonka: GonkaClient;
  beforeAll(async () => {
    devnet = await startDevnet({ blockTimeMs: 30, inferenceValidation: { sampling: "always", executors: [{ name: "honest" }, { name: "cheater", cheat: true }] } });
    gonka = await register(devnet);
  }, 60_000);
  afterAll(async () => {
    gonka?.close();
    await devnet?.stop();
  });

  it("five invalidations in a row make it INVALID: reputation 0, collateral slashed, excluded, no more requests; the honest one keeps serving", async () => {
    const iv = devnet.inferenceValidation!;
    const [honest, cheater] = iv.executors;
    const state = devnet.chainState!;
    state.collateral.set(cheater!.address, 1000n);
    state.fund(moduleAccount("collateral"), [{ denom: "ngonka", amount: 1000n }]);
    expect(iv.standing(cheater!.address).reputation).toBe(100);
    for (let i = 0; i < 14 && iv.standing(cheater!.address).status === "ACTIVE"; i++) {
      await ask(gonka, `round ${i}`);
      await iv.settle({ timeoutMs: 60_000 });
    }
    const c = iv.standing(cheater!.address);
    expect(c).toMatchObject({ status: "INVALID", reputation: 0, epochsCompleted: 0, invalidatedInferences: 5n, consecutiveInvalidInferences: 0n });
    // the quick-failure test (0.05^5 < 1e-6) decided before the SPRT step, which the chain then skips:
    // the LLR holds the first four invalidations, 4 · ln(0.1/0.05) = 2.77258872224 < 4
    expect(coefficient12(c.invalidLLR)).toBe(llrOf([{ d: LOG_FAIL, n: 4n }]));
    expect(state.excludedParticipants.find((e) => e.address === cheater!.address)?.reason).toBe("consecutive_failures");
    expect(state.collateral.get(cheater!.address)).toBe(800n); // slash_fraction_invalid 0.2
    // the honest executor's inferences were failed by the cheater's node and revalidated by the others
    const h = iv.standing(honest!.address);
    expect(h).toMatchObject({ status: "ACTIVE", reputation: 100, invalidatedInferences: 0n });
    expect(iv.records.some((r) => r.validatorName === "cheater" && r.result?.statusAfter === "VOTING")).toBe(true);
    // the transfer agent routes only to ACTIVE executors now, and the INVALID node stops validating
    const after = await ask(gonka, "after the exclusion");
    expect(state.inferences.get(after.json.id)!.executedBy).toBe(honest!.address);
    await iv.settle({ timeoutMs: 60_000 });
    expect(iv.records.filter((r) => r.inferenceId === after.json.id).map((r) => r.validatorName).sort()).toEqual(["devnet"]);
    expect(state.inferences.get(after.json.id)!.status).toBe(InferenceStatus.VALIDATED);
  }, 240_000);
});

describe("devnet options for inference clients", () => {
  let devnet: Devnet;
  const other = walletFromPrivateKey(vectors.keys.transfer_agents[0].private_key_hex).address;
  beforeAll(async () => {
    devnet = await startDevnet({
      allowedTransferAddresses: [other],
      extraParticipants: [{ address: other, inferenceUrl: "http://10.0.0.7:8000", weight: 5n }],
    });
  }, 60_000);
  afterAll(async () => {
    await devnet?.stop();
  });

  it("allowedTransferAddresses is the chain params' transfer_agent_access_params and the TA's check", async () => {
    const params = (await (await fetch(`${devnet.url}/chain-api/productscience/inference/inference/params`)).json()) as {
      params: { transfer_agent_access_params: { allowed_transfer_addresses: string[] } };
    };
    expect(params.params.transfer_agent_access_params.allowed_transfer_addresses).toEqual([other]);
    (await register(devnet)).close();
    const signed = (content: string) => {
      const body = JSON.stringify({ model: MODEL, messages: [{ role: "user", content }], max_tokens: 4 });
      const headers = developerRequestHeaders({
        privateKey: vectors.keys.developers[1].private_key_hex, requesterAddress: developer.address, body,
        timestampNs: BigInt(Date.now()) * 1_000_000n, transferAddress: devnet.participant.address,
      });
      return fetch(`${devnet.url}/v1/chat/completions`, { method: "POST", headers: { ...headers }, body });
    };
    const r = await signed("blocked");
    expect(r.status).toBe(403);
    expect(await r.json()).toEqual({ error: "Transfer Agent not allowed" });
    // the TA follows the chain params (as a node does on new blocks)
    devnet.chainState!.inferenceParams.transferAgentAccessParams!.allowedTransferAddresses.push(devnet.participant.address);
    expect((await signed("allowed now")).status).toBe(200);
  });

  it("extraParticipants are listed in the epoch's participants", async () => {
    const body = (await (await fetch(`${devnet.url}/v1/epochs/current/participants`)).json()) as { active_participants: { participants: { index: string; inference_url: string; weight: number }[] } };
    expect(body.active_participants.participants.map((p) => [p.index, p.inference_url])).toEqual([
      [devnet.participant.address, devnet.url],
      [other, "http://10.0.0.7:8000"],
    ]);
  });

  it("the public entry sends the stock CORS headers by default; proxy: { cors: false } turns them off", async () => {
    const pre = await fetch(`${devnet.url}/v1/chat/completions`, { method: "OPTIONS", headers: { origin: "http://app.example", "access-control-request-method": "POST" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-headers")).not.toMatch(/X-Requester-Address/i);
    const off = await startDevnet({ proxy: { cors: false } });
    try {
      const res = await fetch(`${off.url}/v1/status`, { headers: { origin: "http://app.example" } });
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await off.stop();
    }
  });
});
