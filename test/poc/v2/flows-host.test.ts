/**
 * The PoC v2 host flow end to end over loopback: an MLNode stand-in (not the real model) posts
 * artifact batches to the host's callback server, `runPocV2Host` commits `(count, root)` on the
 * devnet chain during the exchange window and reports the weight distribution, the store persists
 * in the network node's file format, and the proof route answers signed requests.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ArtifactMmr, DEFAULT_KEPT_STAGES, PocV2ArtifactStore, PocV2WindowClosedError, PocV2AbortedError, ProofRequestRefusedError, answerPocV2ProofRequest,
  chainProofAuthorizer, createNodePocV2Storage, createMemoryPocV2Storage, createPocV2HostReceivers, encodeBase64, goPathEscape,
  proofResponseSignBytes, runPocV2Host, signProofRequest, startPocV2HostServer, verifyMmrProof, decodeBase64, verifyProofResponseSignature,
  type PocV2HostEvent, type PocV2HostReport, type PocV2HostServer,
} from "../../../src/poc/v2/index.js";
import { getAllPoCV2StoreCommits, getMLNodeWeightDistribution, getPoCV2StoreCommit } from "../../../src/chain/query/poc-v2.js";
import { createPocCallbackHandler } from "../../../src/mlnode/index.js";
import type { ChainNode } from "../../../src/devnet/chain/index.js";
import type { ChainClient } from "../../../src/chain/client.js";
import type { Wallet } from "../../../src/chain/keys.js";
import {
  QWEN, KIMI, devnetBlockHash, registerParticipant, scheduleStage, standInArtifact, startPocChain, startStandInMlNode, testWallet, type StandInMlNode,
} from "./flows-standin.js";

const host = testWallet(0);
const validator = testWallet(1);
const stranger = testWallet(2);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("runPocV2Host on the devnet chain", () => {
  let node: ChainNode;
  let chain: ChainClient;
  let dir: string;
  let store: PocV2ArtifactStore;
  let server: PocV2HostServer;
  let mlnodes: StandInMlNode[];
  let stage: bigint;
  let report: PocV2HostReport;
  const events: PocV2HostEvent[] = [];

  beforeAll(async () => {
    ({ node, chain } = await startPocChain([host, validator, stranger]));
    dir = await mkdtemp(join(tmpdir(), "pocv2-host-"));
    store = new PocV2ArtifactStore({ storage: await createNodePocV2Storage(dir) });
    server = await startPocV2HostServer({ store, signer: host, authorize: chainProofAuthorizer(chain), nodeIds: [1, 2, 3] });
    await registerParticipant(chain, host, server.origin);
    await registerParticipant(chain, validator, "http://127.0.0.1:9"); // gives the validator's key to the chain
    mlnodes = [await startStandInMlNode({ maxNonces: 90, intervalMs: 400 }), await startStandInMlNode({ maxNonces: 60, intervalMs: 400 }), await startStandInMlNode({ maxNonces: 40, intervalMs: 400 })];
    stage = scheduleStage(node, 4n);
    report = await runPocV2Host({
      chain, signer: host, store, pocStageStartBlockHeight: stage, blockHash: devnetBlockHash(node.state, stage),
      models: [{ modelId: QWEN }, { modelId: KIMI }],
      mlNodes: [{ nodeId: 1, modelId: QWEN, node: mlnodes[0]!.client.pocV2 }, { nodeId: 2, modelId: QWEN, node: mlnodes[1]!.client.pocV2 }, { nodeId: 3, modelId: KIMI, node: mlnodes[2]!.client.pocV2 }],
      callbackBaseUrl: server.origin, commitIntervalMs: 200, onEvent: (e) => events.push(e),
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all((mlnodes ?? []).map((m) => m.close()));
    await server?.close();
    chain?.close();
    await node?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("starts generation on every MLNode with the stage's hash, the host's key, node_id/node_count and the callback URL escaped twice", () => {
    const started = events.filter((e) => e.type === "generation-started");
    expect(started.map((e) => [e.nodeId, e.modelId])).toEqual([[1, QWEN], [2, QWEN], [3, KIMI]]);
    expect(started[0]!.callbackUrl).toBe(`${server.origin}/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8`);
    // node_count = highest node_num + 1 = 4: node 1 makes 1, 5, 9, …; node 2 makes 2, 6, 10, …
    expect(mlnodes[0]!.posted.slice(0, 4)).toEqual([1, 5, 9, 13]);
    expect(mlnodes[1]!.posted.slice(0, 4)).toEqual([2, 6, 10, 14]);
    expect(mlnodes.every((m) => m.requests.includes("POST /api/v1/inference/pow/stop"))).toBe(true);
  });

  it("commits inside the exchange window, one commit per block, counts strictly increasing per model", () => {
    const [from, to] = report.windows.exchange;
    expect([from, to]).toEqual([stage + 1n, stage + 16n]);
    const commits = events.filter((e): e is Extract<PocV2HostEvent, { type: "committed" }> => e.type === "committed");
    expect(commits.length).toBeGreaterThanOrEqual(2);
    const heights = commits.map((c) => c.height);
    expect(new Set(heights).size).toBe(heights.length);
    for (const h of heights) expect(h >= from && h <= to).toBe(true);
    for (const model of [QWEN, KIMI]) {
      const counts = commits.flatMap((c) => c.entries.filter((e) => e.modelId === model).map((e) => e.count));
      expect(counts.length).toBeGreaterThan(0);
      for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeGreaterThan(counts[i - 1]!);
    }
  });

  it("the on-chain commit is the store's root at the committed count, recomputed from the artifacts.data file on disk", async () => {
    for (const model of [QWEN, KIMI]) {
      const c = await getPoCV2StoreCommit(chain, { pocStageStartBlockHeight: stage, participantAddress: host.address, modelId: model });
      expect(c.found).toBe(true);
      const mine = report.commits.find((x) => x.modelId === model)!;
      expect(c.count).toBe(mine.count);
      const data = new Uint8Array(await readFile(join(dir, stage.toString(), goPathEscape(model), "artifacts.data")));
      const fromDisk = ArtifactMmr.fromDataFile(data);
      expect(fromDisk.count).toBeGreaterThanOrEqual(c.count);
      expect(hex(fromDisk.root(c.count))).toBe(hex(c.rootHash));
      // every stored leaf is the stand-in's artifact of its nonce
      const bh = devnetBlockHash(node.state, stage);
      for (let i = 0; i < fromDisk.count; i += 7) {
        const leaf = fromDisk.leaf(i);
        expect(encodeBase64(leaf.vectorBytes)).toBe(standInArtifact(bh, hex(host.publicKey), leaf.nonce).vectorB64);
      }
    }
    const nodes = JSON.parse(await readFile(join(dir, stage.toString(), goPathEscape(QWEN), "nodes.json"), "utf8")) as Record<string, number>;
    expect(Object.keys(nodes).sort()).toEqual(["1", "2"]);
    // the REST path cannot carry the model id: the SDK filters the stage query instead
    expect((await getAllPoCV2StoreCommits(chain, stage)).map((c) => c.modelId).sort()).toEqual([KIMI, QWEN].sort());
  });

  it("reports MsgMLNodeWeightDistribution summing to the committed count, per MLNode", async () => {
    for (const model of [QWEN, KIMI]) {
      const d = await getMLNodeWeightDistribution(chain, { pocStageStartBlockHeight: stage, participantAddress: host.address, modelId: model });
      expect(d.found).toBe(true);
      const c = await getPoCV2StoreCommit(chain, { pocStageStartBlockHeight: stage, participantAddress: host.address, modelId: model });
      expect(d.weights.reduce((s, w) => s + w.weight, 0)).toBe(c.count);
      expect(d.weights.map((w) => w.nodeId)).toEqual(model === QWEN ? ["1", "2"] : ["3"]);
    }
  });

  it("a run after the exchange window (a restart) commits nothing and skips the models already distributed", async () => {
    const more: PocV2HostEvent[] = [];
    const again = await runPocV2Host({ chain, signer: host, store, pocStageStartBlockHeight: stage, models: [{ modelId: QWEN }], onEvent: (e) => more.push(e) });
    expect(again.commits).toEqual([]);
    expect(more.filter((e) => e.type === "committed")).toEqual([]);
    expect(more.filter((e) => e.type === "distribution-skipped")).toEqual([{ type: "distribution-skipped", modelId: QWEN, reason: "already-distributed" }]);
    await expect(runPocV2Host({
      chain, signer: host, store, pocStageStartBlockHeight: stage, models: [{ modelId: QWEN }], blockHash: "H", callbackBaseUrl: server.origin,
      mlNodes: [{ nodeId: 1, modelId: QWEN, node: mlnodes[0]!.client.pocV2 }],
    })).rejects.toBeInstanceOf(PocV2WindowClosedError);
  });

  it("serves proofs to a signed request: every proof verifies against the on-chain root, and the answer is signed by the host", async () => {
    const c = await getPoCV2StoreCommit(chain, { pocStageStartBlockHeight: stage, participantAddress: host.address, modelId: QWEN });
    const leafIndices = [0, 3, c.count - 1];
    const fields = { pocStageStartBlockHeight: stage, modelId: QWEN, rootHash: c.rootHash, count: c.count, leafIndices, timestamp: BigInt(Date.now()) * 1_000_000n, validatorAddress: validator.address, validatorSignerAddress: validator.address };
    const signature = await signProofRequest(validator, fields);
    const res = await fetch(`${server.origin}/v1/poc/proofs`, {
      method: "POST",
      body: JSON.stringify({
        poc_stage_start_block_height: stage.toString(), model_id: QWEN, root_hash: encodeBase64(c.rootHash), count: c.count, leaf_indices: leafIndices,
        validator_address: validator.address, validator_signer_address: validator.address, timestamp: fields.timestamp.toString(), signature,
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { proofs: { leaf_index: number; nonce_value: number; vector_bytes: string; proof: string[] }[]; signer_address: string; timestamp: string; signature: string };
    expect(body.proofs.map((p) => p.leaf_index)).toEqual(leafIndices);
    for (const p of body.proofs) {
      expect(verifyMmrProof({ root: c.rootHash, count: c.count, leafIndex: p.leaf_index, nonce: p.nonce_value, vectorBytes: decodeBase64(p.vector_bytes), proof: p.proof.map((h) => decodeBase64(h)) })).toBe(true);
    }
    expect(body.signer_address).toBe(host.address);
    const respFields = { pocStageStartBlockHeight: stage, modelId: QWEN, rootHash: c.rootHash, count: c.count, timestamp: BigInt(body.timestamp), signerAddress: host.address,
      proofs: body.proofs.map((p) => ({ leafIndex: p.leaf_index, nonceValue: p.nonce_value, vectorBytes: p.vector_bytes, proof: p.proof })) };
    expect(verifyProofResponseSignature(respFields, body.signature, host.publicKey)).toBe(true);
    expect(proofResponseSignBytes(respFields)).toHaveLength(64);
    const state = (await (await fetch(`${server.origin}/v1/poc/artifacts/state?height=${stage}&model_id=${encodeURIComponent(QWEN)}`)).json()) as { count: string; root_hash: string };
    expect(Number(state.count)).toBeGreaterThanOrEqual(c.count);
  });

  it("refuses proof requests: bad signature 401, a signer without the grant 403, wrong root 400, index ≥ count 400, stale timestamp 400, unknown model 404", async () => {
    const c = await getPoCV2StoreCommit(chain, { pocStageStartBlockHeight: stage, participantAddress: host.address, modelId: QWEN });
    const now = BigInt(Date.now()) * 1_000_000n;
    const opts = { store, signer: host, authorize: chainProofAuthorizer(chain) };
    const body = async (over: Record<string, unknown> = {}, signer: Wallet = validator, sigOver?: Record<string, unknown>) => {
      const f = { pocStageStartBlockHeight: stage, modelId: QWEN, rootHash: c.rootHash, count: c.count, leafIndices: [1], timestamp: now, validatorAddress: validator.address, validatorSignerAddress: signer.address, ...sigOver };
      return {
        poc_stage_start_block_height: stage.toString(), model_id: QWEN, root_hash: encodeBase64(c.rootHash), count: String(c.count), leaf_indices: ["1"],
        validator_address: validator.address, validator_signer_address: signer.address, timestamp: now.toString(), signature: await signProofRequest(signer, f as never), ...over,
      };
    };
    const status = async (b: unknown) => answerPocV2ProofRequest(opts, b).then(() => 200, (e) => (e instanceof ProofRequestRefusedError ? e.status : -1));
    expect(await status(await body())).toBe(200);
    expect(await status(await body({}, validator, { leafIndices: [2] }))).toBe(401);
    expect(await status(await body({}, stranger))).toBe(403); // stranger signs for validator without a grant
    expect(await status(await body({ root_hash: encodeBase64(new Uint8Array(32).fill(7)) }, validator, { rootHash: new Uint8Array(32).fill(7) }))).toBe(400);
    expect(await status(await body({ leaf_indices: [String(c.count)] }))).toBe(400);
    expect(await status(await body({ timestamp: (now - 6n * 60n * 1_000_000_000n).toString() }))).toBe(400);
    expect(await status(await body({ model_id: "x/unknown" }, validator, { modelId: "x/unknown" }))).toBe(404);
    const res = await fetch(`${server.origin}/v1/poc/proofs`, { method: "POST", body: "{not json" });
    expect(res.status).toBe(400);
  });

  it("the store survives a restart: reopening the directory gives the same count and root", async () => {
    const again = new PocV2ArtifactStore({ storage: await createNodePocV2Storage(dir) });
    for (const model of [QWEN, KIMI]) {
      const a = await store.state(stage, model);
      const b = await again.state(stage, model);
      expect(b.count).toBe(a.count);
      expect(hex(b.root!)).toBe(hex(a.root!));
      expect((await again.mmr(stage, model)).nodeCounts()).toEqual((await store.mmr(stage, model)).nodeCounts());
    }
    expect(await again.models(stage)).toEqual([KIMI, QWEN].sort());
  });
});

describe("PoC v2 host pieces", () => {
  it("the receivers skip repeated nonces, refuse NaN/short vectors, unknown node_num (400) and closed stages (503)", async () => {
    const store = new PocV2ArtifactStore();
    const handler = createPocCallbackHandler(createPocV2HostReceivers({ store, nodeIds: [1], acceptStage: (s) => s === 100n }));
    const s1 = standInArtifact("H", "02ab", 1);
    const a = { nonce: s1.nonce, vector_b64: s1.vectorB64 };
    const post = (body: unknown) => handler(new Request("http://h/v2/poc-batches/Qwen%252FQwen3/generated", { method: "POST", body: JSON.stringify(body) }));
    const batch = (over: object) => ({ block_hash: "H", block_height: 100, public_key: "02ab", node_id: 1, artifacts: [a], ...over });
    expect((await post(batch({}))).status).toBe(200);
    const nan = new Uint8Array(24);
    nan[1] = 0x7e;
    expect((await post(batch({ artifacts: [a, { nonce: 2, vector_b64: encodeBase64(nan) }, { nonce: 3, vector_b64: encodeBase64(new Uint8Array(22)) }] }))).status).toBe(200);
    const mmr = await store.mmr(100, "Qwen/Qwen3");
    expect(mmr.count).toBe(1);
    expect((await post(batch({ node_id: 7 }))).status).toBe(400);
    expect((await post(batch({ block_height: 101 }))).status).toBe(503);
    // nonces are stored as int32, as the network node truncates them
    expect((await post(batch({ artifacts: [{ nonce: 2 ** 32 + 5, vector_b64: a.vector_b64 }] }))).status).toBe(200);
    expect(mmr.leaf(1).nonce).toBe(5);
  });

  it("keeps only the newest keepStages stage directories (10 by default, as the network node)", async () => {
    const storage = createMemoryPocV2Storage();
    const store = new PocV2ArtifactStore({ storage, keepStages: 2 });
    const a = standInArtifact("H", "02ab", 1);
    for (const s of [10, 20, 30]) {
      await store.add(s, QWEN, "1", [{ nonce: 1, vector_b64: a.vectorB64 }]);
      await store.flush();
    }
    expect((await storage.list([])).sort()).toEqual(["20", "30"]);
    expect(DEFAULT_KEPT_STAGES).toBe(10);
  });

  it("a partially written record (a crash mid-append) is dropped on reopen", async () => {
    const storage = createMemoryPocV2Storage();
    const store = new PocV2ArtifactStore({ storage });
    await store.add(5, QWEN, "1", [1, 2, 3].map((n) => ({ nonce: n, vector_b64: standInArtifact("H", "k", n).vectorB64 })));
    await store.flush();
    await storage.append(["5", goPathEscape(QWEN), "artifacts.data"], new Uint8Array(10));
    const again = new PocV2ArtifactStore({ storage });
    const s = await again.state(5, QWEN);
    expect(s.count).toBe(3);
    expect(hex(s.root!)).toBe(hex((await store.state(5, QWEN)).root!));
  });

  it("runPocV2Host stops on abort with PocV2AbortedError", async () => {
    const wallets = [testWallet(5)];
    const { node, chain } = await startPocChain(wallets, 100);
    try {
      const stage = scheduleStage(node, 50n);
      const ac = new AbortController();
      const run = runPocV2Host({ chain, signer: wallets[0]!, store: new PocV2ArtifactStore(), pocStageStartBlockHeight: stage, models: [{ modelId: QWEN }], commitIntervalMs: 50, signal: ac.signal });
      setTimeout(() => ac.abort(), 300);
      await expect(run).rejects.toBeInstanceOf(PocV2AbortedError);
    } finally {
      chain.close();
      await node.stop();
    }
  });

  it("checks its options: no models, node number 0, MLNodes without a block hash", async () => {
    const base = { chain: {} as ChainClient, signer: host, store: new PocV2ArtifactStore(), pocStageStartBlockHeight: 10n };
    await expect(runPocV2Host({ ...base, models: [] })).rejects.toThrow(/at least one model/);
    await expect(runPocV2Host({ ...base, models: [{ modelId: QWEN }], blockHash: "H", callbackBaseUrl: "http://x", mlNodes: [{ nodeId: 0, modelId: QWEN, node: {} as never }] })).rejects.toThrow(/start at 1/);
    await expect(runPocV2Host({ ...base, models: [{ modelId: QWEN }], callbackBaseUrl: "http://x", mlNodes: [{ nodeId: 1, modelId: QWEN, node: {} as never }] })).rejects.toThrow(/block hash/);
  });
});
