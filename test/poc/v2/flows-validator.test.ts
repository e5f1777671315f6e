/**
 * The PoC v2 validator flow end to end over loopback on the devnet chain: an honest host and a
 * dishonest one (40 % forged artifacts) run `runPocV2Host` with MLNode stand-ins (not the real
 * model); participants whose proof servers lie (wrong vector, wrong root, NaN vector, duplicate
 * nonces, an index ≥ count, an HTTP refusal, an oversized answer) or hang; `runPocV2Validator`
 * samples, fetches, checks, has its own stand-in MLNode recompute, votes, and the chain records it.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ArtifactMmr, DuplicateNonceError, InvalidFp16VectorError, MlNodeValidationError, MmrProofError, PocV2AbortedError, PocV2ArtifactStore, PocV2NoMlNodeError, ProofCoverageError, ProofFetchError,
  answerPocV2ProofRequest, chainProofAuthorizer, decodeBase64, encodeBase64, getPocV2ValidationsForStage, leafHash, nodeHash, pocV2MlNodeFromClient,
  runPocV2Host, runPocV2Validator, sampleLeafIndices, selectPocV2Pairs, startPocV2HostServer, storePoCV2Commit, waitForHeight,
  type PocV2HostServer, type PocV2PairResult, type PocV2ValidatorReport,
} from "../../../src/poc/v2/index.js";
import { create } from "@bufbuild/protobuf";
import { PoCValidationSnapshotSchema } from "../../../generated/proto/inference/inference/poc_v2_pb.js";
import type { ChainNode } from "../../../src/devnet/chain/index.js";
import type { ChainClient } from "../../../src/chain/client.js";
import type { Wallet } from "../../../src/chain/keys.js";
import { QWEN, devnetBlockHash, registerParticipant, scheduleStage, standInArtifact, startPocChain, startStandInMlNode, testWallet, type StandInMlNode } from "./flows-standin.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const LIES = ["wrong-vector", "wrong-root", "nan-vector", "duplicates", "index-beyond-count", "refuses", "too-large", "hangs", "trailing-hash"] as const;
type Lie = (typeof LIES)[number];

const honest = testWallet(10);
const cheat = testWallet(11);
const validator = testWallet(12);
const validator2 = testWallet(13);
const liars = Object.fromEntries(LIES.map((l, i) => [l, testWallet(20 + i)])) as Record<Lie, Wallet>;

/** A 4-leaf tree whose leaves 1 and 2 share nonce 7 (ArtifactMmr refuses to build one). */
function duplicateTree(bh: string, pk: string) {
  const leaves = [5, 7, 7, 9].map((n) => ({ nonce: n, bytes: decodeBase64(standInArtifact(bh, pk, n).vectorB64) }));
  const l = leaves.map((x) => leafHash(x.nonce, x.bytes));
  const n01 = nodeHash(l[0]!, l[1]!);
  const n23 = nodeHash(l[2]!, l[3]!);
  const proofs = [[l[1]!, n23], [l[0]!, n23], [l[3]!, n01], [l[2]!, n01]];
  return { root: nodeHash(n01, n23), count: 4, leaves, proofs };
}

interface LieServer {
  url: string;
  close(): Promise<void>;
}

async function startLieServer(lie: Lie, store: PocV2ArtifactStore, other: ArtifactMmr, dup: ReturnType<typeof duplicateTree>): Promise<LieServer> {
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { leaf_indices: string[]; count: string };
        const send = (status: number, json: unknown) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(json));
        };
        if (lie === "hangs") return void hanging.push(res);
        if (lie === "refuses") return send(400, { error: "root hash mismatch" });
        if (lie === "too-large") {
          res.writeHead(200, { "content-type": "application/json" });
          res.write(`{"proofs":[${"0,".repeat(40_000)}`);
          return void res.end("0]}");
        }
        if (lie === "duplicates") {
          const proofs = body.leaf_indices.map(Number).map((i) => ({ leaf_index: i, nonce_value: dup.leaves[i]!.nonce, vector_bytes: encodeBase64(dup.leaves[i]!.bytes), proof: dup.proofs[i]!.map(encodeBase64) }));
          return send(200, { proofs, signer_address: "x", timestamp: "1", signature: "x" });
        }
        const answer = await answerPocV2ProofRequest({ store, signer: liars[lie], authorize: async (_v, signer) => (signer === validator2.address ? validator2.publicKey : validator.publicKey) }, body);
        const p = answer.proofs;
        if (lie === "wrong-vector") {
          const v = decodeBase64(p[0]!.vector_bytes);
          v[0] ^= 1;
          p[0]!.vector_bytes = encodeBase64(v);
        } else if (lie === "wrong-root") {
          const count = Number(body.count);
          for (const e of p) e.proof = other.proof(e.leaf_index, count).map(encodeBase64);
        } else if (lie === "nan-vector") {
          const v = decodeBase64(p[1]!.vector_bytes);
          v[5] = 0x7e; // float16 1: exponent 31, mantissa ≠ 0
          p[1]!.vector_bytes = encodeBase64(v);
        } else if (lie === "index-beyond-count") {
          p.push({ ...p[0]!, leaf_index: Number(body.count) });
        } else if (lie === "trailing-hash") {
          for (const e of p) e.proof.push(encodeBase64(new Uint8Array(32).fill(9)));
        }
        send(200, answer);
      })().catch(() => {
        res.writeHead(500);
        res.end();
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => {
      for (const h of hanging) h.destroy();
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

describe("runPocV2Validator on the devnet chain", () => {
  let node: ChainNode;
  let chain: ChainClient;
  let stage: bigint;
  let generationHash: string;
  const samplingHash = "5A".repeat(32);
  const mlnodes: StandInMlNode[] = [];
  let validatorNode: StandInMlNode;
  const servers: (PocV2HostServer | LieServer)[] = [];
  let report: PocV2ValidatorReport;
  const byWho = (w: Wallet) => report.results.find((r) => r.participantAddress === w.address)!;

  beforeAll(async () => {
    ({ node, chain } = await startPocChain([honest, cheat, validator, validator2, ...Object.values(liars)]));
    const hostStores = [new PocV2ArtifactStore(), new PocV2ArtifactStore()];
    for (const [i, w] of [honest, cheat].entries()) {
      const server = await startPocV2HostServer({ store: hostStores[i]!, signer: w, authorize: chainProofAuthorizer(chain) });
      servers.push(server);
      await registerParticipant(chain, w, server.origin);
    }
    for (const v of [validator, validator2]) await registerParticipant(chain, v, "http://127.0.0.1:9");
    mlnodes.push(await startStandInMlNode({ maxNonces: 120 }), await startStandInMlNode({ maxNonces: 120, forgedFraction: 0.4 }));
    validatorNode = await startStandInMlNode();

    stage = scheduleStage(node, 5n);
    generationHash = devnetBlockHash(node.state, stage);
    // the liars: honest stores of 30 stand-in artifacts, committed on chain, served dishonestly
    const lieServers: Promise<void>[] = [];
    const liarStores = new Map<Lie, PocV2ArtifactStore>();
    for (const lie of LIES) {
      const store = new PocV2ArtifactStore();
      const pk = hex(liars[lie].publicKey);
      await store.add(stage, QWEN, "1", Array.from({ length: 30 }, (_, k) => standInArtifact(generationHash, pk, 1 + 2 * k)));
      await store.flush();
      liarStores.set(lie, store);
      const other = new ArtifactMmr();
      for (let k = 0; k < 30; k++) other.append(1000 + k, decodeBase64(standInArtifact(generationHash, pk, 1000 + k).vectorB64));
      const s = await startLieServer(lie, store, other, duplicateTree(generationHash, pk));
      servers.push(s);
      lieServers.push(registerParticipant(chain, liars[lie], s.url));
    }
    await Promise.all(lieServers);

    const hosts = [honest, cheat].map((w, i) => runPocV2Host({
      chain, signer: w, store: hostStores[i]!, pocStageStartBlockHeight: stage, blockHash: generationHash, models: [{ modelId: QWEN }],
      mlNodes: [{ nodeId: 1, modelId: QWEN, node: mlnodes[i]!.client.pocV2 }], callbackBaseUrl: (servers[i] as PocV2HostServer).origin, commitIntervalMs: 250,
    }));
    await waitForHeight(chain, stage + 1n, { pollMs: 50, what: "stage start" });
    await Promise.all(LIES.map(async (lie) => {
      const st = await liarStores.get(lie)!.state(stage, QWEN);
      const dup = duplicateTree(generationHash, hex(liars[lie].publicKey));
      const entry = lie === "duplicates" ? { modelId: QWEN, count: dup.count, rootHash: dup.root } : { modelId: QWEN, count: st.count, rootHash: st.root! };
      await storePoCV2Commit(chain, liars[lie], { pocStageStartBlockHeight: stage, entries: [entry] });
    }));
    await Promise.all(hosts);

    report = await runPocV2Validator({
      chain, signer: validator, pocStageStartBlockHeight: stage, generationBlockHash: generationHash, samplingBlockHash: samplingHash,
      mlNode: pocV2MlNodeFromClient(validatorNode.client, { pollMs: 20 }), proofTimeoutMs: 4000, proofAttempts: 2, retryDelayMs: 50, maxProofBytes: 64 * 1024, pollMs: 50,
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...mlnodes, validatorNode].filter(Boolean).map((m) => m.close()));
    await Promise.all(servers.map((s) => s.close()));
    chain?.close();
    await node?.stop();
  });

  it("checks every committed (participant, model) after the exchange window and votes inside the validation window", async () => {
    expect(report.results).toHaveLength(2 + LIES.length);
    expect(report.txHash).toMatch(/^[0-9A-F]{64}$/);
    const groups = await getPocV2ValidationsForStage(chain, stage);
    const votes = groups.flatMap((g) => g.pocValidation.map((v) => [v.participantAddress, v.validatedWeight]));
    expect(new Map(votes.map(([a, w]) => [a, w]))).toEqual(new Map(report.votes.map((v) => [v.participantAddress, v.validatedWeight])));
    expect(groups.every((g) => g.pocValidation.every((v) => v.validatorParticipantAddress === validator.address))).toBe(true);
  });

  it("accepts the honest host with validated_weight = n_total (every leaf sampled when count ≤ 200)", () => {
    const r = byWho(honest);
    expect(r.outcome).toBe("accepted");
    expect(r.leafIndices.sort((a, b) => a - b)).toEqual(Array.from({ length: r.count }, (_, i) => i));
    expect(r.validatedWeight).toBe(BigInt(r.count));
    expect(r.verdict).toMatchObject({ nTotal: r.count, nMismatch: 0, fraudDetected: false });
  });

  it("catches the dishonest host with the statistical test: vote −1, its forged nonces are the mismatches", () => {
    const r = byWho(cheat);
    expect(r.outcome).toBe("rejected");
    expect(r.validatedWeight).toBe(-1n);
    expect(r.verdict!.fraudDetected).toBe(true);
    expect(r.verdict!.nMismatch).toBeGreaterThan(r.count * 0.2);
    expect(r.verdict!.pValue).toBeLessThan(0.01);
    // the proofs were valid: the cheat committed its forged artifacts; only recomputation exposes them
    expect(r.error).toBeUndefined();
  });

  it("sends fraud_threshold 0.01 to the MLNode by default (the chain's p_value_threshold never reaches vLLM) with the generation hash and the participant's key", () => {
    expect(validatorNode.validations.length).toBe(3); // honest, cheat, trailing-hash
    expect(validatorNode.validations.every((v) => v.fraudThreshold === 0.01)).toBe(true);
    expect(validatorNode.requests.filter((r) => r === "POST /api/v1/inference/pow/stop").length).toBe(1);
  });

  const rejected: [Lie, new (...a: never[]) => Error, string?][] = [
    ["wrong-vector", MmrProofError],
    ["wrong-root", MmrProofError],
    ["nan-vector", InvalidFp16VectorError],
    ["duplicates", DuplicateNonceError],
    ["index-beyond-count", ProofCoverageError],
    ["refuses", ProofFetchError, "http-refused"],
    ["too-large", ProofFetchError, "too-large"],
  ];
  for (const [lie, type, failure] of rejected) {
    it(`rejects a proof server that lies (${lie}) with −1 and a typed error, without recomputing`, () => {
      const r = byWho(liars[lie]);
      expect(r.outcome).toBe("rejected");
      expect(r.validatedWeight).toBe(-1n);
      expect(r.error).toBeInstanceOf(type);
      if (failure) expect((r.error as ProofFetchError).failure).toBe(failure);
      expect(r.verdict).toBeUndefined();
    });
  }

  it("a proof server that hangs: timeout after every attempt, a typed error, and no vote", () => {
    const r: PocV2PairResult = byWho(liars.hangs);
    expect(r.outcome).toBe("no-vote");
    expect(r.attempts).toBe(2);
    expect(r.error).toBeInstanceOf(ProofFetchError);
    expect((r.error as ProofFetchError).failure).toBe("timeout");
    expect(report.votes.some((v) => v.participantAddress === liars.hangs.address)).toBe(false);
  });

  it("accepts proofs with extra trailing hashes, as upstream does", () => {
    expect(byWho(liars["trailing-hash"]).outcome).toBe("accepted");
  });

  it("with count > sampleSize samples exactly sampleLeafIndices(validator key, current hash, stage, model), and can send the chain's p_value_threshold", async () => {
    const before = validatorNode.validations.length;
    const r2 = await runPocV2Validator({
      chain, signer: validator2, pocStageStartBlockHeight: stage, generationBlockHash: generationHash, samplingBlockHash: samplingHash,
      mlNode: pocV2MlNodeFromClient(validatorNode.client, { pollMs: 20 }), participants: [honest.address], sampleSize: 10, fraudThreshold: "chain", pollMs: 50,
    });
    const r = r2.results[0]!;
    expect(r.leafIndices).toEqual(sampleLeafIndices({ validatorPubKey: hex(validator2.publicKey), blockHash: samplingHash, blockHeight: stage, modelId: QWEN, count: r.count, sampleSize: 10 }));
    expect(r.validatedWeight).toBe(10n);
    expect(validatorNode.validations[before]!.fraudThreshold).toBe(0.05);
  });

  it("an MLNode that fails leaves the pair unjudged (MlNodeValidationError, no vote, nothing sent)", async () => {
    let calls = 0;
    const broken = { validate: async () => { calls++; throw new Error("CUDA out of memory"); } };
    const r = await runPocV2Validator({
      chain, signer: validator2, pocStageStartBlockHeight: stage, generationBlockHash: generationHash, samplingBlockHash: samplingHash,
      mlNode: broken, participants: [cheat.address], mlNodeAttempts: 2, pollMs: 50,
    });
    expect(calls).toBe(2);
    expect(r.results[0]).toMatchObject({ outcome: "no-vote" });
    expect(r.results[0]!.error).toBeInstanceOf(MlNodeValidationError);
    expect(r.results[0]!.error!.message).toMatch(/CUDA out of memory/);
    expect(r.txHash).toBeUndefined();
  });

  it("stops on abort with PocV2AbortedError, also while waiting on a hanging proof server", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    await expect(runPocV2Validator({
      chain, signer: validator2, pocStageStartBlockHeight: stage, generationBlockHash: generationHash, samplingBlockHash: samplingHash,
      dryRun: true, participants: [liars.hangs.address], proofTimeoutMs: 30_000, pollMs: 50, signal: ac.signal,
    })).rejects.toBeInstanceOf(PocV2AbortedError);
  });

  it("without an MLNode it refuses to judge (PocV2NoMlNodeError: recomputation needs the served model on a GPU); a dry run checks proofs only", async () => {
    const err = await runPocV2Validator({ chain, signer: validator2, pocStageStartBlockHeight: stage, generationBlockHash: generationHash, samplingBlockHash: samplingHash, pollMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PocV2NoMlNodeError);
    expect((err as Error).message).toMatch(/GPU/);
    const dry = await runPocV2Validator({
      chain, signer: validator2, pocStageStartBlockHeight: stage, generationBlockHash: generationHash, samplingBlockHash: samplingHash, dryRun: true,
      participants: [honest.address, liars["wrong-vector"].address], pollMs: 50, proofAttempts: 1,
    });
    expect(dry.results.map((r) => r.outcome).sort()).toEqual(["rejected", "verified"]);
    expect(dry.votes.length).toBe(1); // the −1 is known, but a dry run sends nothing
    expect(dry.txHash).toBeUndefined();
  });
});

describe("selectPocV2Pairs (spec §11.1)", () => {
  const c = (participantAddress: string, modelId: string) => ({ participantAddress, modelId, count: 5, rootHash: new Uint8Array(32), hexPubKey: "02" });
  const snap = (models: Record<string, Record<string, bigint>>, total = 100n) => create(PoCValidationSnapshotSchema, {
    appHash: "ab".repeat(32), totalNetworkWeight: total,
    modelVotingPowers: Object.entries(models).map(([modelId, p]) => ({ modelId, votingPowers: Object.entries(p).map(([address, votingPower]) => ({ address, votingPower })) })),
  });

  it("without a snapshot checks every commit; with one, only the snapshot's models", () => {
    const commits = [c("p1", QWEN), c("p2", "x/other")];
    expect(selectPocV2Pairs({ commits, snapshot: undefined, validationSlots: 5, validatorAddress: "v" }).pairs).toHaveLength(2);
    const s = selectPocV2Pairs({ commits, snapshot: snap({ [QWEN]: { v: 10n } }), validationSlots: 0, validatorAddress: "v" });
    expect(s.pairs.map((p) => p.modelId)).toEqual([QWEN]);
    expect(s.skippedModels).toBe(1);
  });

  it("with validation_slots > 0 only the pairs whose slots this validator holds", () => {
    const commits = [c("p1", QWEN), c("p2", QWEN)];
    expect(selectPocV2Pairs({ commits, snapshot: snap({ [QWEN]: { v: 100n } }), validationSlots: 4, validatorAddress: "v" }).pairs).toHaveLength(2);
    const none = selectPocV2Pairs({ commits, snapshot: snap({ [QWEN]: { w: 100n } }), validationSlots: 4, validatorAddress: "v" });
    expect(none.pairs).toHaveLength(0);
    expect(none.skippedNotAssigned).toBe(2);
  });
});
