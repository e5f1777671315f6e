/**
 * `gonka poc v2 …` in-process: inputs, artifact and sample against the golden vectors; commits,
 * votes, proofs fetch/verify and the validator flow against a devnet chain with a host running
 * `runPocV2Host` fed by an MLNode stand-in (not the real model). Exit codes as src/cli/errors.ts.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gonka } from "../../devnet/cli-helpers.js";
import { V, f32, sha256Hex, ulps32 } from "./fixtures.js";
import {
  PocV2ArtifactStore, chainProofAuthorizer, decodeBase64, decodeVector, encodeBase64, fromBfloat16, getPoCV2StoreCommit, normals, runPocV2Host, seedFromString,
  startPocV2HostServer, toBfloat16, type PocV2HostServer,
} from "../../../src/poc/v2/index.js";
import type { ChainNode } from "../../../src/devnet/chain/index.js";
import type { ChainClient } from "../../../src/chain/client.js";
import { QWEN, devnetBlockHash, registerParticipant, scheduleStage, startPocChain, startStandInMlNode, testPrivateKey, testWallet, type StandInMlNode } from "./flows-standin.js";

const parse = (s: string) => JSON.parse(s) as Record<string, unknown>;

describe("gonka poc v2 inputs / artifact / sample (golden vectors)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pocv2-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("inputs: the seed, the bfloat16 tensor's sha256 and the first float32 values of torch.inputs", async () => {
    const c = V.torch.inputs.find((x: { variant: string; all_f32hex?: unknown }) => x.variant === "legacy" && x.all_f32hex);
    const out = join(dir, "x.bf16");
    const r = await gonka(["poc", "v2", "inputs", "--block-hash", c.block_hash, "--public-key", c.public_key, "--nonce", String(c.nonce), "--seq-len", String(c.seq_len), "--hidden-size", String(c.dim), "--out", out, "--json"]);
    expect(r.code).toBe(0);
    const j = parse(r.stdout) as { seed: number; sha256: string; first: number[]; shape: number[]; dtype: string };
    expect(j.seed).toBe(c.seed);
    expect(j.dtype).toBe("bf16");
    expect(j.shape).toEqual([c.seq_len, c.dim]);
    expect(j.sha256).toBe(c.sha256_bf16le);
    c.first_f32hex.slice(0, j.first.length).forEach((h: string, i: number) => expect(ulps32(j.first[i]!, f32(h))).toBeLessThanOrEqual(4));
    expect((await readFile(out)).length).toBe(c.seq_len * c.dim * 2);
    const f16 = parse((await gonka(["poc", "v2", "inputs", "--block-hash", c.block_hash, "--public-key", c.public_key, "--nonce", String(c.nonce), "--seq-len", String(c.seq_len), "--hidden-size", String(c.dim), "--dtype", "f16", "--json"])).stdout);
    expect(f16.sha256).toBe(c.sha256_f16le);
  });

  it("artifact: the torch.pipeline stand-in hidden state gives the network's float16 artifact (within one unit)", async () => {
    const c = V.torch.pipeline[0];
    const name = /'([^']+)'/.exec(c.hidden_definition)![1]!;
    const z = normals(seedFromString(name), c.hidden_size);
    for (let i = 0; i < z.length; i++) z[i] = Math.fround(3 * z[i]!);
    const hidden = fromBfloat16(toBfloat16(z));
    expect(sha256Hex(hidden)).toBe(c.hidden_sha256_f32le);
    const file = join(dir, "hidden.f32");
    await writeFile(file, new Uint8Array(hidden.buffer));
    const r = await gonka(["poc", "v2", "artifact", "--block-hash", c.block_hash, "--public-key", c.public_key, "--nonce", String(c.nonce), "--hidden", file, "--json"]);
    expect(r.code).toBe(0);
    const j = parse(r.stdout) as { nonce: number; vector_b64: string };
    expect(j.nonce).toBe(c.nonce);
    const ours = new Uint16Array(decodeBase64(j.vector_b64).buffer.slice(0));
    const theirs = new Uint16Array(decodeBase64(c.vector_b64).buffer.slice(0));
    ours.forEach((h, i) => expect(Math.abs(h - theirs[i]!)).toBeLessThanOrEqual(1));
  });

  it("sample: go.sample_leaf_indices, exactly (listed indices, or first/last/length/sha256 of the LE32 list)", async () => {
    const cases = V.go.sample_leaf_indices.filter((x: { count: number; sample_size: number }) => x.count > x.sample_size && x.sample_size > 0);
    expect(cases.length).toBeGreaterThanOrEqual(4);
    for (const c of cases) {
      const r = await gonka(["poc", "v2", "sample", "--validator-pub-key", c.validator_pub_key, "--block-hash", c.block_hash, "--stage", String(c.block_height), "--model", c.model_id, "--count", String(c.count), "--sample-size", String(c.sample_size), "--json"]);
      expect(r.code).toBe(0);
      const got = JSON.parse(r.stdout) as number[];
      if (c.indices) {
        expect(got).toEqual(c.indices);
      } else {
        expect(got.length).toBe(c.len);
        expect(got.slice(0, c.first.length)).toEqual(c.first);
        expect(got.slice(-c.last.length)).toEqual(c.last);
        expect(sha256Hex(Uint32Array.from(got))).toBe(c.sha256_le32);
      }
    }
  });

  it("usage errors exit 2: a missing flag, a bad dtype, a bad stage", async () => {
    expect((await gonka(["poc", "v2", "inputs", "--block-hash", "H", "--json"])).code).toBe(2);
    expect((await gonka(["poc", "v2", "inputs", "--block-hash", "H", "--public-key", "k", "--nonce", "1", "--seq-len", "2", "--hidden-size", "2", "--dtype", "f8"])).code).toBe(2);
    const r = await gonka(["poc", "v2", "commits", "--stage", "abc", "--json"]);
    expect(r.code).toBe(2);
    expect(parse(r.stderr).error).toMatchObject({ name: "CliUsageError", exitCode: 2 });
  });
});

describe("gonka poc v2 against a devnet chain", () => {
  const host = testWallet(40);
  const validator = testWallet(41);
  let node: ChainNode;
  let chain: ChainClient;
  let server: PocV2HostServer;
  let mlnode: StandInMlNode;
  let validatorMlNode: StandInMlNode;
  let stage: bigint;
  let dir: string;
  const env = { GONKA_PRIVATE_KEY: testPrivateKey(41) };
  const common = () => ["--node", node.url, "--stage", stage.toString()];

  beforeAll(async () => {
    ({ node, chain } = await startPocChain([host, validator]));
    dir = await mkdtemp(join(tmpdir(), "pocv2-cli-chain-"));
    const store = new PocV2ArtifactStore();
    server = await startPocV2HostServer({ store, signer: host, authorize: chainProofAuthorizer(chain) });
    await registerParticipant(chain, host, server.origin);
    await registerParticipant(chain, validator, "http://127.0.0.1:9");
    mlnode = await startStandInMlNode({ maxNonces: 50 });
    validatorMlNode = await startStandInMlNode();
    stage = scheduleStage(node, 4n);
    await runPocV2Host({
      chain, signer: host, store, pocStageStartBlockHeight: stage, blockHash: devnetBlockHash(node.state, stage), models: [{ modelId: QWEN }],
      mlNodes: [{ nodeId: 1, modelId: QWEN, node: mlnode.client.pocV2 }], callbackBaseUrl: server.origin, commitIntervalMs: 200,
    });
  }, 120_000);

  afterAll(async () => {
    await mlnode?.close();
    await validatorMlNode?.close();
    await server?.close();
    chain?.close();
    await node?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("commits: the host's (count, root) and its distribution", async () => {
    const r = await gonka(["poc", "v2", "commits", ...common(), "--json"]);
    expect(r.code).toBe(0);
    const c = await getPoCV2StoreCommit(chain, { pocStageStartBlockHeight: stage, participantAddress: host.address, modelId: QWEN });
    const j = parse(r.stdout) as { commits: { participant: string; modelId: string; count: number; rootHash: string; weights: { nodeId: string; weight: number }[] }[] };
    expect(j.commits).toEqual([{ participant: host.address, modelId: QWEN, count: c.count, rootHash: Buffer.from(c.rootHash).toString("hex"), hexPubKey: Buffer.from(host.publicKey).toString("hex"), weights: [{ nodeId: "1", weight: c.count }] }]);
    const human = await gonka(["poc", "v2", "commits", ...common()]);
    expect(human.stdout).toMatch(/PARTICIPANT\s+MODEL\s+COUNT/);
  });

  it("proofs fetch signs the request with the key, verifies against the chain, saves the answer; proofs verify accepts it and rejects a tampered copy (exit 1)", async () => {
    const saved = join(dir, "answer.json");
    const r = await gonka(["poc", "v2", "proofs", "fetch", ...common(), "--participant", host.address, "--model", QWEN, "--leaves", "0,2,4", "--save", saved, "--json"], { env });
    expect(r.code).toBe(0);
    const j = parse(r.stdout) as { valid: boolean; artifacts: { nonce: number }[] };
    expect(j.valid).toBe(true);
    expect(j.artifacts).toHaveLength(3);
    const ok = await gonka(["poc", "v2", "proofs", "verify", saved, ...common(), "--participant", host.address, "--model", QWEN, "--json"]);
    expect(ok.code).toBe(0);
    expect(parse(ok.stdout).valid).toBe(true);

    const answer = JSON.parse(await readFile(saved, "utf8")) as { proofs: { vector_bytes: string }[] };
    const v = decodeBase64(answer.proofs[1]!.vector_bytes);
    v[3] ^= 0x01;
    answer.proofs[1]!.vector_bytes = encodeBase64(v);
    await writeFile(saved, JSON.stringify(answer));
    const bad = await gonka(["poc", "v2", "proofs", "verify", saved, ...common(), "--participant", host.address, "--model", QWEN, "--json"]);
    expect(bad.code).toBe(1);
    expect(parse(bad.stdout)).toMatchObject({ valid: false, error: "MmrProofError" });
    // a root given by hand that is not the committed one
    const wrongRoot = await gonka(["poc", "v2", "proofs", "verify", saved, "--stage", stage.toString(), "--root", "ab".repeat(32), "--count", "3"]);
    expect(wrongRoot.code).toBe(1);
  });

  it("proofs fetch: an unreachable proof server exits 3", async () => {
    const r = await gonka(["poc", "v2", "proofs", "fetch", ...common(), "--participant", host.address, "--model", QWEN, "--leaves", "0", "--url", "http://127.0.0.1:1", "--json"], { env });
    expect(r.code).toBe(3);
  });

  it("validate --dry-run checks proofs only; without --mlnode-url it refuses (the recomputation needs the model on a GPU)", async () => {
    const hashes = ["--generation-block-hash", devnetBlockHash(node.state, stage), "--sampling-block-hash", "AB".repeat(32)];
    const dry = await gonka(["poc", "v2", "validate", ...common(), ...hashes, "--dry-run", "--json"], { env });
    expect(dry.code).toBe(0);
    expect((parse(dry.stdout) as { results: { outcome: string }[] }).results.map((r) => r.outcome)).toEqual(["verified"]);
    const noGpu = await gonka(["poc", "v2", "validate", ...common(), ...hashes], { env });
    expect(noGpu.code).toBe(1);
    expect(noGpu.stderr).toMatch(/PocV2NoMlNodeError|No MLNode/);
    expect(noGpu.stderr).toMatch(/GPU/);
    // without the hashes it reads them over CometBFT RPC; the devnet serves no `block` route yet
    const noHash = await gonka(["poc", "v2", "validate", ...common(), "--dry-run", "--json"], { env });
    expect(noHash.code).toBe(1);
    expect(JSON.stringify(parse(noHash.stderr))).toMatch(/no block hash/);
  });

  it("validate with an MLNode votes, and votes shows the vote on chain", async () => {
    const r = await gonka(["poc", "v2", "validate", ...common(), "--generation-block-hash", devnetBlockHash(node.state, stage), "--sampling-block-hash", "AB".repeat(32), "--mlnode-url", validatorMlNode.url, "--json"], { env });
    expect(r.code).toBe(0);
    const j = parse(r.stdout) as { txHash: string; results: { outcome: string; validatedWeight: string; count: number }[] };
    expect(j.txHash).toMatch(/^[0-9A-F]{64}$/);
    expect(j.results).toHaveLength(1);
    expect(j.results[0]).toMatchObject({ outcome: "accepted", validatedWeight: String(j.results[0]!.count) });
    expect(validatorMlNode.validations[0]!.fraudThreshold).toBe(0.01);
    const v = await gonka(["poc", "v2", "votes", ...common(), "--json"]);
    expect((parse(v.stdout) as { votes: unknown[] }).votes).toEqual([{ participant: host.address, modelId: QWEN, validator: validator.address, validatedWeight: String(j.results[0]!.count) }]);
    const decoded = decodeVector(encodeBase64(new Uint8Array(24)));
    expect(decoded).toHaveLength(12);
  });
});
