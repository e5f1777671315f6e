/**
 * PoC v2 chain pieces on the devnet chain: the three message builders with their checks, the
 * actions as the account and as its warm key through authz (`granter`), and the queries of commits,
 * distributions, validations and the snapshot over REST (stage query filtered by model, since a
 * model id with '/' cannot travel in a REST path) and over gRPC (the per-model RPCs).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/errors.js";
import { createChainClient, type ChainClient } from "../../../src/chain/client.js";
import { ChainTxError, NodeRequestError } from "../../../src/chain/errors.js";
import type { ChainNode } from "../../../src/devnet/chain/index.js";
import {
  POC_V2_MSG_TYPE_URLS, getAllMLNodeWeightDistributions, getAllPoCV2StoreCommits, getMLNodeWeightDistribution, getPoCV2StoreCommit, getPoCValidationSnapshot,
  getPocV2ValidationsForStage, mlNodeWeightDistributionMessage, pocV2StoreCommitMessage, pocV2Windows, storePoCV2Commit, submitMLNodeWeightDistribution,
  submitPocValidationsV2, submitPocValidationsV2Message, waitForHeight,
} from "../../../src/poc/v2/index.js";
import { KIMI, QWEN, registerParticipant, scheduleStage, startPocChain, testWallet } from "./flows-standin.js";

const cold = testWallet(30);
const warm = testWallet(31);
const other = testWallet(32);
const root = (b: number) => new Uint8Array(32).fill(b);
const S = 1000n;

describe("PoC v2 message builders", () => {
  it("MsgPoCV2StoreCommit: entries with model, count > 0 and a 32-byte root (bytes or base64); deprecated fields empty", () => {
    const m = pocV2StoreCommitMessage(cold.address, { pocStageStartBlockHeight: S, entries: [{ modelId: QWEN, count: 7, rootHash: root(1) }, { modelId: KIMI, count: 2, rootHash: Buffer.from(root(2)).toString("base64") }] });
    expect(m.$typeName).toBe("inference.inference.MsgPoCV2StoreCommit");
    expect(m.entries.map((e) => [e.modelId, e.count, e.rootHash[0]])).toEqual([[QWEN, 7, 1], [KIMI, 2, 2]]);
    expect(m.count).toBe(0);
    expect(m.rootHash.length).toBe(0);
    const bad = (args: Parameters<typeof pocV2StoreCommitMessage>[1], re: RegExp) => expect(() => pocV2StoreCommitMessage(cold.address, args)).toThrow(re);
    bad({ pocStageStartBlockHeight: S, entries: [] }, /at least one/);
    bad({ pocStageStartBlockHeight: S, entries: [{ modelId: QWEN, count: 0, rootHash: root(1) }] }, /count/);
    bad({ pocStageStartBlockHeight: S, entries: [{ modelId: QWEN, count: 1, rootHash: new Uint8Array(31) }] }, /exactly 32 bytes/);
    bad({ pocStageStartBlockHeight: S, entries: [{ modelId: "", count: 1, rootHash: root(1) }] }, /modelId/);
    bad({ pocStageStartBlockHeight: S, entries: [{ modelId: QWEN, count: 1, rootHash: root(1) }, { modelId: QWEN, count: 2, rootHash: root(1) }] }, /twice/);
    bad({ pocStageStartBlockHeight: 0n, entries: [{ modelId: QWEN, count: 1, rootHash: root(1) }] }, /positive/);
    expect(() => pocV2StoreCommitMessage("gonka1bad", { pocStageStartBlockHeight: S, entries: [{ modelId: QWEN, count: 1, rootHash: root(1) }] })).toThrow(InvalidArgumentError);
  });

  it("MsgMLNodeWeightDistribution: non-empty weights, distinct node ids, sum equal to the committed count when given", () => {
    const m = mlNodeWeightDistributionMessage(cold.address, { pocStageStartBlockHeight: S, entries: [{ modelId: QWEN, weights: [{ nodeId: "1", weight: 3 }, { nodeId: "2", weight: 4 }] }], committedCounts: { [QWEN]: 7 } });
    expect(m.entries[0]!.weights.map((w) => w.weight)).toEqual([3, 4]);
    expect(m.weights).toEqual([]);
    const bad = (args: Parameters<typeof mlNodeWeightDistributionMessage>[1], re: RegExp) => expect(() => mlNodeWeightDistributionMessage(cold.address, args)).toThrow(re);
    bad({ pocStageStartBlockHeight: S, entries: [{ modelId: QWEN, weights: [] }] }, /at least one MLNode/);
    bad({ pocStageStartBlockHeight: S, entries: [{ modelId: QWEN, weights: [{ nodeId: "1", weight: 1 }, { nodeId: "1", weight: 1 }] }] }, /twice/);
    bad({ pocStageStartBlockHeight: S, entries: [{ modelId: QWEN, weights: [{ nodeId: "1", weight: 0 }] }] }, /sum to the committed count/);
    bad({ pocStageStartBlockHeight: S, entries: [{ modelId: QWEN, weights: [{ nodeId: "1", weight: 6 }] }], committedCounts: { [QWEN]: 7 } }, /committed count is 7/);
  });

  it("MsgSubmitPocValidationsV2: −1 or a positive weight, a model, each pair once (what the chain would silently skip is refused)", () => {
    const m = submitPocValidationsV2Message(cold.address, { pocStageStartBlockHeight: S, validations: [{ participantAddress: other.address, modelId: QWEN, validatedWeight: 200 }, { participantAddress: warm.address, modelId: QWEN, validatedWeight: -1 }] });
    expect(m.validations.map((v) => v.validatedWeight)).toEqual([200n, -1n]);
    const bad = (validations: Parameters<typeof submitPocValidationsV2Message>[1]["validations"], re: RegExp) =>
      expect(() => submitPocValidationsV2Message(cold.address, { pocStageStartBlockHeight: S, validations })).toThrow(re);
    bad([], /at least one vote/);
    bad([{ participantAddress: other.address, modelId: QWEN, validatedWeight: 0 }], /-1 \(reject\) or a positive/);
    bad([{ participantAddress: other.address, modelId: QWEN, validatedWeight: -2 }], /-1 \(reject\)/);
    bad([{ participantAddress: other.address, modelId: "", validatedWeight: 1 }], /modelId/);
    bad([{ participantAddress: other.address, modelId: QWEN, validatedWeight: 1 }, { participantAddress: other.address, modelId: QWEN, validatedWeight: -1 }], /keeps only the first/);
  });

  it("pocV2Windows follows chain-upgrades §7.1 with the mainnet params", () => {
    expect(pocV2Windows({ pocStageDuration: 35n, pocExchangeDuration: 0n, pocValidationDelay: 5n, pocValidationDuration: 240n }, S))
      .toEqual({ exchange: [S + 1n, S + 35n], generationEnd: S + 35n, validation: [S + 41n, S + 280n] });
  });
});

describe("PoC v2 actions and queries on the devnet chain", () => {
  let node: ChainNode;
  let chain: ChainClient;
  let grpc: ChainClient;
  let stage: bigint;

  beforeAll(async () => {
    ({ node, chain } = await startPocChain([cold, warm, other]));
    grpc = createChainClient({ url: node.url, transport: "grpc", pollIntervalMs: 20 });
    for (const w of [cold, other]) await registerParticipant(chain, w, "http://127.0.0.1:9");
    await chain.grantMlOpsPermissions(cold, { grantee: warm.address, feeAllowance: false });
    stage = scheduleStage(node, 2n);
    await waitForHeight(chain, stage + 1n, { pollMs: 20, what: "stage" });
    // the cold account's commit through its warm key (authz MsgExec), the other's directly
    await storePoCV2Commit(chain, warm, { granter: cold.address, pocStageStartBlockHeight: stage, entries: [{ modelId: QWEN, count: 10, rootHash: root(1) }, { modelId: KIMI, count: 4, rootHash: root(2) }] });
    await storePoCV2Commit(chain, other, { pocStageStartBlockHeight: stage, entries: [{ modelId: QWEN, count: 6, rootHash: root(3) }] });
  }, 60_000);

  afterAll(async () => {
    chain?.close();
    grpc?.close();
    await node?.stop();
  });

  it("the commit through the warm key is recorded for the cold account", async () => {
    const c = await getPoCV2StoreCommit(chain, { pocStageStartBlockHeight: stage, participantAddress: cold.address, modelId: QWEN });
    expect(c).toEqual({ found: true, count: 10, rootHash: root(1) });
    expect((await getPoCV2StoreCommit(chain, { pocStageStartBlockHeight: stage, participantAddress: warm.address, modelId: QWEN })).found).toBe(false);
    expect(POC_V2_MSG_TYPE_URLS.storeCommit).toBe("/inference.inference.MsgPoCV2StoreCommit");
  });

  it("REST and gRPC answer the same commits; the per-model query over gRPC uses the model id with '/'", async () => {
    const rest = await getAllPoCV2StoreCommits(chain, stage);
    const viaGrpc = await getAllPoCV2StoreCommits(grpc, stage);
    const rows = (xs: typeof rest) => xs.map((c) => [c.participantAddress, c.modelId, c.count, Buffer.from(c.rootHash).toString("hex"), c.hexPubKey]).sort();
    expect(rows(rest)).toEqual(rows(viaGrpc));
    expect(rows(rest)).toHaveLength(3);
    expect(rest.find((c) => c.participantAddress === other.address)!.hexPubKey).toBe(Buffer.from(other.publicKey).toString("hex"));
    for (const modelId of [QWEN, KIMI, "x/none"]) {
      const a = await getPoCV2StoreCommit(chain, { pocStageStartBlockHeight: stage, participantAddress: cold.address, modelId });
      const b = await getPoCV2StoreCommit(grpc, { pocStageStartBlockHeight: stage, participantAddress: cold.address, modelId });
      expect(b).toEqual(a);
    }
  });

  it("the chain refuses a commit whose count does not grow (the action throws, nothing silently dropped)", async () => {
    // A new block first: the chain also allows one commit per block per model, which would be the refusal otherwise.
    const h0 = node.state.height;
    for (let i = 0; i < 200 && node.state.height <= h0; i++) await new Promise((r) => setTimeout(r, 25));
    const err = await storePoCV2Commit(chain, other, { pocStageStartBlockHeight: stage, entries: [{ modelId: QWEN, count: 6, rootHash: root(4) }] }).catch((e: unknown) => e);
    expect(err instanceof ChainTxError || err instanceof NodeRequestError).toBe(true);
    expect(String((err as Error).message)).toMatch(/count must increase/);
  });

  it("weight distributions and votes are stored and read back over both transports", async () => {
    const w = pocV2Windows(node.state.inferenceParams.epochParams!, stage);
    await waitForHeight(chain, w.exchange[1], { pollMs: 20, what: "exchange end" });
    await submitMLNodeWeightDistribution(chain, warm, { granter: cold.address, pocStageStartBlockHeight: stage, entries: [{ modelId: QWEN, weights: [{ nodeId: "1", weight: 7 }, { nodeId: "2", weight: 3 }] }] });
    for (const c of [chain, grpc]) {
      const d = await getMLNodeWeightDistribution(c, { pocStageStartBlockHeight: stage, participantAddress: cold.address, modelId: QWEN });
      expect(d.found).toBe(true);
      expect(d.weights.map((x) => [x.nodeId, x.weight])).toEqual([["1", 7], ["2", 3]]);
      expect((await getMLNodeWeightDistribution(c, { pocStageStartBlockHeight: stage, participantAddress: cold.address, modelId: KIMI })).found).toBe(false);
    }
    expect((await getAllMLNodeWeightDistributions(chain, stage)).map((d) => d.modelId)).toEqual([QWEN]);

    await waitForHeight(chain, w.validation[0], { pollMs: 20, what: "validation start" });
    await submitPocValidationsV2(chain, warm, { granter: cold.address, pocStageStartBlockHeight: stage, validations: [{ participantAddress: other.address, modelId: QWEN, validatedWeight: 6 }] });
    await submitPocValidationsV2(chain, other, { pocStageStartBlockHeight: stage, validations: [{ participantAddress: cold.address, modelId: QWEN, validatedWeight: -1 }] });
    for (const c of [chain, grpc]) {
      const groups = await getPocV2ValidationsForStage(c, stage);
      const votes = groups.flatMap((g) => g.pocValidation.map((v) => [v.participantAddress, v.validatorParticipantAddress, v.validatedWeight])).sort();
      expect(votes).toEqual([[cold.address, other.address, -1n], [other.address, cold.address, 6n]].sort());
    }
  });

  it("the validation snapshot lists the models with their voting powers; none for another stage", async () => {
    const snap = await getPoCValidationSnapshot(chain, stage);
    expect(snap?.pocStageStartHeight).toBe(stage);
    expect(snap!.modelVotingPowers.map((m) => m.modelId)).toContain(QWEN);
    expect(snap!.totalNetworkWeight).toBeGreaterThan(0n);
    expect((await getPoCValidationSnapshot(grpc, stage))?.appHash).toBe(snap!.appHash);
    expect(await getPoCValidationSnapshot(chain, stage + 1n)).toBeUndefined();
  });

  it("queries check their arguments", async () => {
    await expect(getAllPoCV2StoreCommits(chain, 0n)).rejects.toThrow(/positive/);
    await expect(getPoCV2StoreCommit(chain, { pocStageStartBlockHeight: stage, participantAddress: "nope", modelId: QWEN })).rejects.toThrow(InvalidArgumentError);
    await expect(getPoCV2StoreCommit(chain, { pocStageStartBlockHeight: stage, participantAddress: cold.address, modelId: "" })).rejects.toThrow(/modelId/);
  });
});
