/**
 * One PoC v2 stage on the devnet, end to end (its MLNodes run the stand-in model, not the real
 * one): three hosts (the devnet's own participant, an honest extra host, a dishonest one with
 * power 5) generate, commit, serve signed proofs, validate each other and vote; the chain's tally
 * turns counts into weight per model. `validation_sample_size` is 50, so validators really sample
 * and the weight (the committed count) differs from the votes' `validated_weight` (50).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevnet, STAND_IN_HEADER, standInArtifact, type Devnet, type DevnetPocV2StageEvent, type DevnetPocV2StageReport } from "../../src/devnet/index.js";
import { devnetIdentity } from "../../src/devnet/devnet-keys.js";
import { createChainClient, type ChainClient } from "../../src/chain/client.js";
import { walletFromPrivateKey } from "../../src/chain/keys.js";
import {
  checkProofResponse, decodeBase64, fetchPocV2Proofs, getAllMLNodeWeightDistributions, getAllPoCV2StoreCommits, getPocV2ValidationsForStage, sampleLeafIndices,
  verifyMmrProof,
} from "../../src/poc/v2/index.js";

const MODEL = "Qwen/Qwen2.5-7B-Instruct"; // the devnet's governance model, also its PoC model
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("a PoC v2 stage on the devnet", () => {
  let devnet: Devnet;
  let chain: ChainClient;
  let report: DevnetPocV2StageReport;
  const events: DevnetPocV2StageEvent[] = [];
  let weights: Map<string, bigint>;
  const addr = (name: string) => devnet.hosts.find((h) => h.name === name)!.address;

  beforeAll(async () => {
    devnet = await startDevnet({
      hosts: [{ name: "honest" }, { name: "cheat", dishonest: true, power: 5n }],
      editParams: (p) => {
        p.pocParams!.validationSampleSize = 50;
      },
    });
    chain = createChainClient({ url: devnet.url, chainId: devnet.chainId });
    report = await devnet.runPocV2Stage({ onEvent: (e) => events.push(e) });
  }, 120_000);
  afterAll(async () => {
    chain?.close();
    await devnet?.stop();
  });

  it("runs PoC v2 by default: poc_v2_enabled, three hosts, each flow without error", async () => {
    expect(devnet.pocVersion).toBe(2);
    expect((await chain.getInferenceParams()).pocParams?.pocV2Enabled).toBe(true);
    expect(devnet.hosts.map((h) => [h.name, h.dishonest])).toEqual([["devnet", false], ["honest", false], ["cheat", true]]);
    expect(report.hosts.map((h) => [h.name, h.hostError?.message, h.validatorError?.message])).toEqual([["devnet", undefined, undefined], ["honest", undefined, undefined], ["cheat", undefined, undefined]]);
    expect(report.stage).toBe(devnet.pocStage().blockHeight);
    expect(report.blockHash).toBe(devnet.pocStage().blockHash);
    expect(report.models).toEqual([MODEL]);
  });

  it("every host commits (count, root) on chain inside the exchange window, and its store's MMR root at that count is the committed root", async () => {
    const commits = await getAllPoCV2StoreCommits(chain, report.stage);
    expect(commits.map((c) => c.participantAddress).sort()).toEqual(devnet.hosts.map((h) => h.address).sort());
    for (const h of devnet.hosts) {
      const c = commits.find((x) => x.participantAddress === h.address)!;
      expect(c.modelId).toBe(MODEL);
      expect(c.count).toBeGreaterThan(50);
      expect(c.hexPubKey).toBe(hex((await chain.getAccount(h.address)).publicKey!));
      const mmr = await h.store.mmr(report.stage, MODEL);
      expect(hex(mmr.root(c.count))).toBe(hex(c.rootHash));
    }
    const heights = events.flatMap((e) => (e.type === "host" && e.event.type === "committed" ? [e.event.height] : []));
    for (const h of heights) expect(h >= report.windows.exchange[0] && h <= report.windows.exchange[1]).toBe(true);
  });

  it("reports MsgMLNodeWeightDistribution summing to each committed count", async () => {
    const commits = await getAllPoCV2StoreCommits(chain, report.stage);
    const dists = await getAllMLNodeWeightDistributions(chain, report.stage);
    for (const c of commits) {
      const d = dists.find((x) => x.participantAddress === c.participantAddress && x.modelId === c.modelId)!;
      expect(d.weights.reduce((n, w) => n + w.weight, 0)).toBe(c.count);
    }
  });

  it("stores the stand-in's artifacts as the MLNode posted them (seeded with the stage hash and the host's key)", async () => {
    const h = devnet.hosts.find((x) => x.name === "honest")!;
    const pk = hex((await chain.getAccount(h.address)).publicKey!);
    const mmr = await h.store.mmr(report.stage, MODEL);
    for (const i of [0, 1, 17, mmr.count - 1]) {
      const leaf = mmr.leaf(i);
      expect(Buffer.from(leaf.vectorBytes).toString("base64")).toBe(standInArtifact({ blockHash: report.blockHash, publicKey: pk, nonce: leaf.nonce, model: MODEL, seqLen: 1024 }).vectorB64);
    }
  });

  it("serves signed proofs that verify against the on-chain root (POST /v1/poc/proofs) and its flushed state (GET /v1/poc/artifacts/state)", async () => {
    const validator = walletFromPrivateKey(devnetIdentity().accountKey); // the devnet participant, a validator with a key on chain
    const commits = await getAllPoCV2StoreCommits(chain, report.stage);
    for (const h of devnet.hosts) {
      const c = commits.find((x) => x.participantAddress === h.address)!;
      const leafIndices = sampleLeafIndices({ validatorPubKey: hex(validator.publicKey), blockHash: report.samplingBlockHash, blockHeight: report.stage, modelId: MODEL, count: c.count, sampleSize: 30 });
      const proofs = await fetchPocV2Proofs({ url: h.url, participantAddress: h.address, pocStageStartBlockHeight: report.stage, modelId: MODEL, rootHash: c.rootHash, count: c.count, leafIndices, validatorAddress: validator.address, signer: validator });
      expect(checkProofResponse({ leafIndices, proofs, root: c.rootHash, count: c.count })).toHaveLength(30);
      for (const p of proofs) expect(verifyMmrProof({ root: c.rootHash, count: c.count, leafIndex: p.leafIndex, nonce: p.nonce, vectorBytes: p.vectorBytes, proof: p.proof })).toBe(true);
      const state = (await (await fetch(`${h.url}/v1/poc/artifacts/state?height=${report.stage}&model_id=${encodeURIComponent(MODEL)}`)).json()) as { count: string; root_hash: string };
      const mmr = await h.store.mmr(report.stage, MODEL);
      expect(Number(state.count)).toBeGreaterThanOrEqual(c.count);
      expect(decodeBase64(state.root_hash)).toEqual(mmr.root(Number(state.count)));
    }
    // a request signed by a key that is neither the validator nor its grantee is refused
    const stranger = walletFromPrivateKey("11".repeat(32));
    const c = commits[0]!;
    await expect(fetchPocV2Proofs({ url: devnet.url, participantAddress: c.participantAddress, pocStageStartBlockHeight: report.stage, modelId: MODEL, rootHash: c.rootHash, count: c.count, leafIndices: [0], validatorAddress: validator.address, signer: stranger, timeoutMs: 3000 }))
      .rejects.toThrow(/403|may not request proofs/);
  });

  it("each validator samples 50 leaves with the validation start's block hash and accepts honest hosts with validated_weight = n_total", async () => {
    for (const h of report.hosts) {
      const pk = hex((await chain.getAccount(h.address)).publicKey!);
      for (const r of h.validator!.results) {
        expect(r.leafIndices).toEqual(sampleLeafIndices({ validatorPubKey: pk, blockHash: report.samplingBlockHash, blockHeight: report.stage, modelId: MODEL, count: r.count, sampleSize: 50 }));
        if (r.participantAddress !== addr("cheat") && h.name !== "cheat") expect([r.outcome, r.validatedWeight, r.verdict?.nMismatch]).toEqual(["accepted", 50n, 0]);
      }
    }
  });

  it("catches the dishonest host: −1 votes from the honest validators, every sampled artifact a mismatch, fraud in the binomial test", async () => {
    const votes = (await getPocV2ValidationsForStage(chain, report.stage)).find((g) => g.participant === addr("cheat"))!.pocValidation;
    expect(new Map(votes.map((v) => [v.validatorParticipantAddress, v.validatedWeight]))).toEqual(new Map([[addr("devnet"), -1n], [addr("honest"), -1n], [addr("cheat"), 50n]]));
    for (const name of ["devnet", "honest"]) {
      const r = report.hosts.find((h) => h.name === name)!.validator!.results.find((x) => x.participantAddress === addr("cheat"))!;
      expect(r.outcome).toBe("rejected");
      expect(r.verdict).toMatchObject({ nTotal: 50, nMismatch: 50, fraudDetected: true });
      expect(r.verdict!.pValue).toBeLessThan(1e-40);
    }
  });

  it("the chain's tally: honest hosts accepted by > 2/3 of the power get weight = their committed count per model, the cheat none; endEpoch applies it", async () => {
    const commits = await getAllPoCV2StoreCommits(chain, report.stage);
    const count = (name: string) => BigInt(commits.find((c) => c.participantAddress === addr(name))!.count);
    const t = (name: string) => report.tally.find((x) => x.participantAddress === addr(name) && x.modelId === MODEL)!;
    for (const name of ["devnet", "honest"]) {
      expect(t(name)).toMatchObject({ outcome: "accepted", acceptingPower: 20n, rejectingPower: 5n, totalPower: 25n, weight: count(name) });
      expect(count(name)).not.toBe(50n); // weight is the count, not the votes' validated_weight
    }
    expect(t("cheat")).toMatchObject({ outcome: "rejected", acceptingPower: 5n, rejectingPower: 20n, weight: 0n });
    expect(devnet.pocV2Tally(report.stage)).toEqual(report.tally);
    weights = devnet.endEpoch();
    expect(weights).toEqual(new Map([[addr("devnet"), count("devnet")], [addr("honest"), count("honest")], [addr("cheat"), 0n]]));
    expect(devnet.chainState!.power.get(addr("honest"))).toBe(count("honest"));
  });

  it("labels the stand-in: the MLNode's PoC v2 status says stand_in_model with a note and a header", async () => {
    const res = await fetch(`${devnet.mlnodeUrl}/api/v1/inference/pow/status`);
    expect(res.headers.get(STAND_IN_HEADER)).toBe("true");
    const body = (await res.json()) as { status: string; stand_in_model: boolean; note: string };
    expect(body).toMatchObject({ status: "IDLE", stand_in_model: true });
    expect(body.note).toMatch(/stand-in for the served model/);
    // the devnet's network node registered its stand-in MLNode on its admin API for the stage
    const nodes = (await (await fetch(`${devnet.adminUrl}/admin/v1/nodes`)).json()) as { node: { id: string; node_num: number; models: Record<string, unknown> } }[];
    expect(nodes.map((n) => [n.node.id, n.node.node_num, Object.keys(n.node.models)])).toEqual([["stand-in-1", 1, [MODEL]]]);
  });
});
