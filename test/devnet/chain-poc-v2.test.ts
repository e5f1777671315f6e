/**
 * PoC v2 on the devnet chain (spec chain-upgrades.md §7): store commits (count strictly
 * increasing, 32-byte root, governance model, one per block per model, window [S+1, S+stage+exchange]),
 * weight distributions (sum = committed count), validations (vote once, −1 = fraud), delegation
 * modes, v1 batches refused, and the epoch weights that follow.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChainNode } from "../../src/devnet/chain/index.js";
import { pocWindows } from "../../src/devnet/chain/index.js";
import { pocV2Weights } from "../../src/devnet/chain-adapter.js";
import { broadcastInOneBlock, cold, fourth, register, sign, startManualNode, submit, third, warm } from "./chain-helpers.js";

const S = 1000n;
const QWEN = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
const KIMI = "moonshotai/Kimi-K2.6";
const root = (b: number, n = 32) => Buffer.alloc(n, b).toString("base64");
const commit = (creator: string, entries: { modelId: string; count: number; rootHash: string }[], stage = S) => ({
  "@type": "/inference.inference.MsgPoCV2StoreCommit", creator, pocStageStartBlockHeight: String(stage), entries,
});
const at = (node: ChainNode, h: bigint) => {
  node.state.height = h - 1n; // the next block is h
};
const failed = (log: string) => `failed to execute message; message index: 0: ${log}`;

describe("devnet chain: PoC v2", () => {
  let node: ChainNode;
  beforeAll(async () => {
    node = await startManualNode();
    for (const w of [cold, warm, third, fourth]) await register(node, w);
    node.state.epoch = { index: 5n, pocStartBlockHeight: S };
  });
  afterAll(async () => {
    await node.stop();
  });

  it("the windows follow the mainnet epoch params: commits in [S+1, S+35], validations in [S+41, S+280]", () => {
    expect(pocWindows(node.state, S)).toEqual({ commit: [S + 1n, S + 35n], validation: [S + 41n, S + 280n] });
  });

  it("refuses a commit before the window, for another stage, with a bad root, a zero count or a non-governance model", async () => {
    at(node, S);
    expect((await submit(node, cold, [commit(cold.address, [{ modelId: QWEN, count: 5, rootHash: root(1) }])])).deliver)
      .toMatchObject({ code: 1108, codespace: "inference", log: failed("PoC exchange window closed: POC submission is too late") });
    at(node, S + 1n);
    expect((await submit(node, cold, [commit(cold.address, [{ modelId: QWEN, count: 5, rootHash: root(1) }], S + 240n)])).deliver?.log)
      .toBe(failed(`start block height ${S + 240n} doesn't match PoC stage start ${S}: start block height must be divisible by 240`));
    expect((await submit(node, cold, [commit(cold.address, [{ modelId: QWEN, count: 5, rootHash: root(1, 31) }])])).deliver?.log)
      .toBe(failed("root_hash must be 32 bytes, got 31: illegal state for the operation requested"));
    expect((await submit(node, cold, [commit(cold.address, [{ modelId: QWEN, count: 0, rootHash: root(1) }])])).deliver?.code).toBe(1137);
    expect((await submit(node, cold, [commit(cold.address, [{ modelId: "Qwen/Qwen2.5-7B-Instruct", count: 5, rootHash: root(1) }])])).deliver)
      .toMatchObject({ code: 1134, log: failed('model_id "Qwen/Qwen2.5-7B-Instruct" is not a governance model: invalid model') });
    expect((await submit(node, cold, [commit(cold.address, [])])).deliver?.log).toBe(failed("entries must not be empty: illegal state for the operation requested"));
    expect(node.state.pocV2Commits.size).toBe(0);
  });

  it("stores commits, one per block per model, with strictly increasing counts, and burns the commit gas", async () => {
    at(node, S + 2n);
    const first = await submit(node, cold, [commit(cold.address, [{ modelId: QWEN, count: 100, rootHash: root(2) }, { modelId: KIMI, count: 40, rootHash: root(3) }])]);
    expect(first.deliver?.code).toBe(0);
    // first commit of the stage: base_validation_gas 500,000 + 100 per counted artifact
    expect(node.state.txs.get(first.hash)!.gasUsed).toBeGreaterThan(500_000n + 100n * 140n);

    const [a, b] = await broadcastInOneBlock(node, [
      await sign(node, cold, [commit(cold.address, [{ modelId: QWEN, count: 150, rootHash: root(4) }])]),
      await sign(node, cold, [commit(cold.address, [{ modelId: QWEN, count: 160, rootHash: root(5) }])], {}, 1n),
    ]);
    expect(a!.deliver?.code).toBe(0);
    expect(node.state.txs.get(a!.hash)!.gasUsed).toBeLessThan(500_000n);
    expect(b!.deliver).toMatchObject({ code: 1137, log: failed("only one commit per block allowed: illegal state for the operation requested") });

    const notIncreasing = await submit(node, cold, [commit(cold.address, [{ modelId: QWEN, count: 150, rootHash: root(6) }])]);
    expect(notIncreasing.deliver?.log).toBe(failed("count must increase: got 150, last recorded 150: illegal state for the operation requested"));
    const c = node.state.pocV2Commits.get(`${S}|${cold.address}|${QWEN}`)!;
    expect(c.count).toBe(150);
    expect(Buffer.from(c.rootHash).toString("base64")).toBe(root(4));

    // two more participants commit
    expect((await submit(node, third, [commit(third.address, [{ modelId: QWEN, count: 60, rootHash: root(7) }])])).deliver?.code).toBe(0);
    expect((await submit(node, fourth, [commit(fourth.address, [{ modelId: QWEN, count: 80, rootHash: root(8) }])])).deliver?.code).toBe(0);

    at(node, S + 36n);
    expect((await submit(node, cold, [commit(cold.address, [{ modelId: QWEN, count: 200, rootHash: root(9) }])])).deliver?.code).toBe(1108);
  });

  it("the commit queries answer over REST and gRPC-by-ABCI", async () => {
    const all = (await (await fetch(`${node.restUrl}/productscience/inference/inference/all_poc_v2_store_commits/${S}`)).json()) as { commits: { participant_address: string; count: number; model_id: string; root_hash: string; hex_pub_key: string }[] };
    expect(all.commits.map((x) => [x.participant_address, x.model_id, x.count])).toEqual([
      [cold.address, QWEN, 150], [cold.address, KIMI, 40], [third.address, QWEN, 60], [fourth.address, QWEN, 80],
    ]);
    expect(all.commits[0]!.root_hash).toBe(root(4));
    expect(all.commits[0]!.hex_pub_key).toBe(Buffer.from(cold.publicKey).toString("hex"));
    const one = (await (await fetch(`${node.restUrl}/productscience/inference/inference/poc_v2_store_commit/${S}/${cold.address}/none`)).json()) as { found: boolean; count: number; root_hash: string };
    expect(one).toEqual({ count: 0, root_hash: "", found: false });
  });

  it("accepts a weight distribution only when its sum equals the committed count", async () => {
    const dist = (weights: { nodeId: string; weight: number }[], modelId = QWEN) => ({
      "@type": "/inference.inference.MsgMLNodeWeightDistribution", creator: cold.address, pocStageStartBlockHeight: String(S), entries: [{ modelId, weights }],
    });
    at(node, S + 40n);
    expect((await submit(node, cold, [dist([{ nodeId: "a", weight: 100 }, { nodeId: "b", weight: 49 }])])).deliver?.log)
      .toBe(failed("weight sum 149 does not match committed count 150: illegal state for the operation requested"));
    expect((await submit(node, cold, [dist([])])).deliver?.log).toBe(failed("entry weights must not be empty: illegal state for the operation requested"));
    expect((await submit(node, cold, [dist([{ nodeId: "a", weight: 100 }, { nodeId: "b", weight: 50 }])])).deliver?.code).toBe(0);
    const all = (await (await fetch(`${node.restUrl}/productscience/inference/inference/all_mlnode_weight_distributions/${S}`)).json()) as { distributions: unknown[] };
    expect(all.distributions).toEqual([{ participant_address: cold.address, weights: [{ node_id: "a", weight: 100 }, { node_id: "b", weight: 50 }], model_id: QWEN }]);
  });

  it("counts each validator's first vote only (−1 = fraud), skips entries without a model, and only in the validation window", async () => {
    const votes = (creator: string, entries: { participantAddress: string; validatedWeight: string; modelId: string }[]) => ({
      "@type": "/inference.inference.MsgSubmitPocValidationsV2", creator, pocStageStartBlockHeight: String(S), validations: entries,
    });
    at(node, S + 40n);
    expect((await submit(node, warm, [votes(warm.address, [{ participantAddress: cold.address, validatedWeight: "150", modelId: QWEN }])])).deliver?.code).toBe(1108);
    at(node, S + 41n);
    const r = await submit(node, warm, [votes(warm.address, [
      { participantAddress: cold.address, validatedWeight: "150", modelId: QWEN },
      { participantAddress: third.address, validatedWeight: "-1", modelId: QWEN },
      { participantAddress: fourth.address, validatedWeight: "80", modelId: "" },
    ])]);
    expect(r.deliver?.code).toBe(0);
    const flip = await submit(node, warm, [votes(warm.address, [{ participantAddress: third.address, validatedWeight: "60", modelId: QWEN }])]);
    expect(flip.deliver?.code).toBe(0);
    expect((await submit(node, cold, [votes(cold.address, [
      { participantAddress: third.address, validatedWeight: "-1", modelId: QWEN }, { participantAddress: fourth.address, validatedWeight: "80", modelId: QWEN },
    ])])).deliver?.code).toBe(0);
    const got = (await (await fetch(`${node.restUrl}/productscience/inference/inference/poc_v2_validations_for_stage/${S}`)).json()) as {
      poc_validation: { participant: string; model_id: string; poc_validation: { validator_participant_address: string; validated_weight: string }[] }[];
    };
    const byParticipant = Object.fromEntries(got.poc_validation.map((g) => [g.participant, g.poc_validation.map((v) => [v.validator_participant_address, v.validated_weight])]));
    expect(byParticipant).toEqual({
      [cold.address]: [[warm.address, "150"]],
      [third.address]: [[warm.address, "-1"], [cold.address, "-1"]],
      [fourth.address]: [[cold.address, "80"]],
    });
    at(node, S + 281n);
    expect((await submit(node, warm, [votes(warm.address, [{ participantAddress: fourth.address, validatedWeight: "80", modelId: QWEN }])])).deliver?.log)
      .toBe(failed("PoC validation window closed: POC submission is too late"));
  });

  it("turns accepted commits into epoch weight: fraud votes from > 2/3 of the power zero a participant", () => {
    // power: cold 100, warm/third/fourth 10 each (total 130); cold's vote alone is > 2/3
    const w = pocV2Weights(node.state, S);
    expect(w.get(third.address)).toBe(0n);
    expect(w.get(fourth.address)).toBe(80n);
    // cold: accepted only by warm (10 of 130 power) → not accepted; Kimi had no votes → its count stands
    expect(w.get(cold.address)).toBe(40n);
  });

  it("refuses MsgSubmitPocBatch while poc_v2_enabled=true (ErrDeprecated)", async () => {
    const r = await submit(node, cold, [{
      "@type": "/inference.inference.MsgSubmitPocBatch", creator: cold.address, pocStageStartBlockHeight: String(S), batchId: "b", nonces: ["1"], dist: [0.5], nodeId: "n",
    }]);
    expect(r.deliver).toMatchObject({ code: 1161, codespace: "inference", log: failed("MsgSubmitPocBatch is not accepted while poc_v2_enabled=true: this message type is deprecated") });
  });

  it("records delegation, refusal and intent per model and answers PoCDelegation", async () => {
    const set = (sender: string, modelId: string, delegateTo: string) => ({ "@type": "/inference.inference.MsgSetPoCDelegation", sender, modelId, delegateTo });
    expect((await submit(node, cold, [set(cold.address, QWEN, cold.address)])).deliver?.code).toBe(18);
    expect((await submit(node, cold, [set(cold.address, "nope", third.address)])).deliver?.code).toBe(1134);
    expect((await submit(node, cold, [set(cold.address, QWEN, third.address)])).deliver?.code).toBe(0);
    expect((await submit(node, cold, [{ "@type": "/inference.inference.MsgRefusePoCDelegation", sender: cold.address, modelId: KIMI }])).deliver?.code).toBe(0);
    expect((await submit(node, cold, [{ "@type": "/inference.inference.MsgDeclarePoCIntent", sender: cold.address, modelId: "MiniMaxAI/MiniMax-M2.7" }])).deliver?.code).toBe(0);
    const q = async (model = "") =>
      (await (await fetch(`${node.restUrl}/productscience/inference/inference/poc_delegation/${cold.address}${model ? `?model_id=${encodeURIComponent(model)}` : ""}`)).json()) as Record<string, unknown>;
    expect(await q()).toEqual({
      delegations: [{ model_id: QWEN, delegator: cold.address, delegate_to: third.address }],
      refusals: [{ model_id: KIMI, participant: cold.address }],
      intents: [{ model_id: "MiniMaxAI/MiniMax-M2.7", participant: cold.address }],
    });
    expect(await q(KIMI)).toEqual({ delegations: [], refusals: [{ model_id: KIMI, participant: cold.address }], intents: [] });
    expect((await submit(node, cold, [set(cold.address, QWEN, "")])).deliver?.code).toBe(0);
    expect((await q(QWEN)).delegations).toEqual([]);
  });
});
