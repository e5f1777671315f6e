/**
 * `gonka poc v2`: PoC v2 as mainnet runs it — inputs and artifacts computed here, commits and
 * votes read from the chain, proofs fetched and verified against the on-chain root, and the
 * validator flow. Only `validate` needs a GPU, behind the MLNode given with `--mlnode-url`.
 */
import { readFile, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import {
  artifactFromHidden, checkProofResponse, cometBlockHash, decodeBase64, decodeHex, decodeVector, encodeBase64, fetchPocV2Proofs, getAllMLNodeWeightDistributions,
  getAllPoCV2StoreCommits, getPoCV2StoreCommit, getPocV2ValidationsForStage, inputSeedString, parseProofEntries, pocInputs, pocV2MlNodeFromClient,
  runPocV2Validator, sampleLeafIndices, waitForHeight, seedFromString, strongerRngSubSeeds, toBfloat16, toFloat16, DEFAULT_VALIDATION_SAMPLE_SIZE, ProofFetchError,
  type PocV2PairResult,
} from "../../poc/v2/index.js";
import { createMlNodeClient } from "../../mlnode/index.js";
import { getAccount } from "../../chain/query/auth.js";
import { getInferenceParams, getParticipant } from "../../chain/query/inference.js";
import { GonkaError } from "../../errors.js";
import { chainClientFor } from "../chain-client.js";
import { flagBool, flagString, type CommandContext, type CommandSpec } from "../command.js";
import { CliFailure, CliUsageError, ExitCode } from "../errors.js";
import { readJsonArg } from "../json-file.js";
import { table } from "../output.js";
import { resolveWallet } from "../wallet.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function need(ctx: CommandContext, name: string): string {
  const v = flagString(ctx, name);
  if (v === undefined || v === "") throw new CliUsageError(`--${name}`, "is required", ctx.path);
  return v;
}

function intOf(ctx: CommandContext, name: string, v: string | undefined, min = 0): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) throw new CliUsageError(`--${name}`, `expected an integer ≥ ${min}, got "${v}"`, ctx.path);
  return Number(v);
}

function stageOf(ctx: CommandContext): bigint {
  const v = need(ctx, "stage");
  if (!/^\d+$/.test(v) || BigInt(v) <= 0n) throw new CliUsageError("--stage", `expected the PoC stage start height, got "${v}"`, ctx.path);
  return BigInt(v);
}

function list(ctx: CommandContext, name: string): string[] {
  const v = ctx.flags[name];
  const items = Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
  return items.flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean);
}

/** Bytes from hex (64 digits) or standard base64. */
function bytes32(ctx: CommandContext, name: string, text: string): Uint8Array {
  try {
    const b = /^[0-9a-fA-F]{64}$/.test(text) ? decodeHex(text) : decodeBase64(text);
    if (b.length !== 32) throw new Error(`${b.length} bytes`);
    return b;
  } catch (e) {
    throw new CliUsageError(`--${name}`, `expected 32 bytes as hex or base64 (${e instanceof Error ? e.message : String(e)})`, ctx.path);
  }
}

const inputs: CommandSpec = {
  name: "inputs",
  summary: "the input tensor vLLM feeds the served model for one nonce (seeded normals, then the model's dtype)",
  options: {
    "block-hash": { type: "string", placeholder: "<hash>", description: "the stage start's block hash, exactly as the network passes it (regular PoC: upper-case hex)" },
    "public-key": { type: "string", placeholder: "<hex>", description: "the participant's public key (lower-case hex of its 33 bytes)" },
    nonce: { type: "string", placeholder: "<n>", description: "the nonce" },
    "seq-len": { type: "string", placeholder: "<n>", description: "seq_len (mainnet 1024)" },
    "hidden-size": { type: "string", placeholder: "<n>", description: "the model's hidden size (Qwen3-235B 4096, Kimi-K2.6 7168, MiniMax-M2.7 3072)" },
    "stronger-rng": { type: "boolean", description: "the concat-murmur variant (poc_stronger_rng; off on mainnet)" },
    dtype: { type: "string", placeholder: "<bf16|f16|f32>", description: "cast before hashing/writing (default bf16, the mainnet models' dtype)" },
    out: { type: "string", placeholder: "<file>", description: "write the tensor's little-endian bytes there" },
  },
  examples: ["gonka poc v2 inputs --block-hash 3D8A…595F --public-key 021a…5ba7 --nonce 0 --seq-len 1024 --hidden-size 4096 --json"],
  async run(ctx) {
    const blockHash = need(ctx, "block-hash");
    const publicKey = need(ctx, "public-key");
    const nonce = intOf(ctx, "nonce", need(ctx, "nonce"))!;
    const seqLen = intOf(ctx, "seq-len", need(ctx, "seq-len"), 1)!;
    const hiddenSize = intOf(ctx, "hidden-size", need(ctx, "hidden-size"), 1)!;
    const dtype = flagString(ctx, "dtype") ?? "bf16";
    if (!["bf16", "f16", "f32"].includes(dtype)) throw new CliUsageError("--dtype", `expected bf16, f16 or f32, got "${dtype}"`, ctx.path);
    const strongerRng = flagBool(ctx, "stronger-rng");
    const x = pocInputs({ blockHash, publicKey, nonce, seqLen, hiddenSize, strongerRng });
    const cast = dtype === "bf16" ? toBfloat16(x) : dtype === "f16" ? toFloat16(x) : x;
    const raw = new Uint8Array(cast.buffer, cast.byteOffset, cast.byteLength);
    const seedString = inputSeedString(blockHash, publicKey, nonce);
    const out = flagString(ctx, "out");
    if (out) await writeFile(out, raw);
    const result = {
      seedString, ...(strongerRng ? { subSeeds: strongerRngSubSeeds(seedString) } : { seed: seedFromString(seedString) }),
      shape: [seqLen, hiddenSize], dtype, sha256: createHash("sha256").update(raw).digest("hex"), first: Array.from(x.subarray(0, 16)), ...(out ? { written: out } : {}),
    };
    ctx.out.result(result, () => [`seed "${seedString}"`, `[${seqLen}, ${hiddenSize}] ${dtype} sha256 ${result.sha256}`, `first values (float32): ${result.first.map((v) => v.toPrecision(7)).join(" ")}`]);
  },
};

async function readHidden(ctx: CommandContext, path: string): Promise<Float32Array> {
  if (/\.json$/i.test(path) || /^\s*\[/.test(path)) {
    const v = await readJsonArg(ctx, path, "--hidden");
    if (!Array.isArray(v) || !v.every((n) => typeof n === "number")) throw new CliUsageError("--hidden", "expected a JSON array of numbers", ctx.path);
    return Float32Array.from(v as number[]);
  }
  let b: Buffer;
  try {
    b = await readFile(path);
  } catch (e) {
    throw new CliUsageError("--hidden", `cannot read ${path}: ${(e as { code?: string }).code ?? String(e)}`, ctx.path);
  }
  if (b.length % 4 !== 0) throw new CliUsageError("--hidden", `${path} holds ${b.length} bytes, not little-endian float32 values`, ctx.path);
  const f = new Float32Array(b.length / 4);
  new Uint8Array(f.buffer).set(b);
  return f;
}

const artifact: CommandSpec = {
  name: "artifact",
  summary: "turn a last-token hidden state into the artifact vLLM sends (normalise, k-pick in CUDA order, Haar rotation, float16)",
  options: {
    "block-hash": { type: "string", placeholder: "<hash>", description: "the generation block hash" },
    "public-key": { type: "string", placeholder: "<hex>", description: "the participant's public key (hex)" },
    nonce: { type: "string", placeholder: "<n>", description: "the nonce" },
    hidden: { type: "string", placeholder: "<file>", description: "the hidden state: a JSON array, or raw little-endian float32 bytes" },
    k: { type: "string", placeholder: "<n>", description: "k_dim (default 12)" },
  },
  examples: ["gonka poc v2 artifact --block-hash 3D8A…595F --public-key 021a…5ba7 --nonce 0 --hidden hidden.f32 --json"],
  async run(ctx) {
    const hidden = await readHidden(ctx, need(ctx, "hidden"));
    const k = intOf(ctx, "k", flagString(ctx, "k"), 1);
    const a = artifactFromHidden({ blockHash: need(ctx, "block-hash"), publicKey: need(ctx, "public-key"), nonce: intOf(ctx, "nonce", need(ctx, "nonce"))!, hidden, ...(k ? { k } : {}) });
    const values = Array.from(decodeVector(a.vectorB64, k ?? 12));
    ctx.out.result({ nonce: a.nonce, vector_b64: a.vectorB64, values }, () => [`nonce ${a.nonce}: ${a.vectorB64}`, values.map((v) => v.toFixed(5)).join(" ")]);
  },
};

const sample: CommandSpec = {
  name: "sample",
  summary: "the leaf indices a validator samples from a participant's commit (Go math/rand, exact)",
  options: {
    "validator-pub-key": { type: "string", placeholder: "<hex>", description: "the validator's public key (lower-case hex)" },
    "block-hash": { type: "string", placeholder: "<hash>", description: "the sampling hash: the latest block hash when validation starts" },
    stage: { type: "string", placeholder: "<height>", description: "the PoC stage start height" },
    model: { type: "string", placeholder: "<id>", description: "the model id" },
    count: { type: "string", placeholder: "<n>", description: "the committed count" },
    "sample-size": { type: "string", placeholder: "<n>", description: `leaves to sample (default ${DEFAULT_VALIDATION_SAMPLE_SIZE}; 0 gives none, as the sampling function itself)` },
  },
  async run(ctx) {
    const indices = sampleLeafIndices({
      validatorPubKey: need(ctx, "validator-pub-key"), blockHash: need(ctx, "block-hash"), blockHeight: stageOf(ctx), modelId: need(ctx, "model"),
      count: intOf(ctx, "count", need(ctx, "count"))!, sampleSize: intOf(ctx, "sample-size", flagString(ctx, "sample-size")) ?? DEFAULT_VALIDATION_SAMPLE_SIZE,
    });
    ctx.out.result(indices, () => indices.join(" "));
  },
};

const commits: CommandSpec = {
  name: "commits",
  summary: "a stage's PoC v2 commits (count, root) per participant and model, with their weight distributions",
  options: {
    stage: { type: "string", placeholder: "<height>", description: "the PoC stage start height" },
    participant: { type: "string", placeholder: "<address>", description: "only this participant" },
    model: { type: "string", placeholder: "<id>", description: "only this model" },
  },
  examples: ["gonka poc v2 commits --stage 3450121 --node http://node2.gonka.ai:8000 --json"],
  async run(ctx) {
    const stage = stageOf(ctx);
    const chain = chainClientFor(ctx);
    try {
      const [all, dists] = await Promise.all([getAllPoCV2StoreCommits(chain, stage), getAllMLNodeWeightDistributions(chain, stage)]);
      const participant = flagString(ctx, "participant");
      const model = flagString(ctx, "model");
      const rows = all
        .filter((c) => (!participant || c.participantAddress === participant) && (!model || c.modelId === model))
        .map((c) => ({
          participant: c.participantAddress, modelId: c.modelId, count: c.count, rootHash: hex(c.rootHash), hexPubKey: c.hexPubKey,
          weights: dists.find((d) => d.participantAddress === c.participantAddress && d.modelId === c.modelId)?.weights.map((w) => ({ nodeId: w.nodeId, weight: w.weight })) ?? null,
        }));
      ctx.out.result({ stage, commits: rows }, () => (rows.length === 0 ? `no commits for stage ${stage}` : table([
        ["PARTICIPANT", "MODEL", "COUNT", "ROOT", "DISTRIBUTED"],
        ...rows.map((r) => [r.participant, r.modelId, String(r.count), r.rootHash.slice(0, 16) + "…", r.weights ? r.weights.map((w) => `${w.nodeId}:${w.weight}`).join(",") : "-"]),
      ])));
    } finally {
      chain.close();
    }
  },
};

const votes: CommandSpec = {
  name: "votes",
  summary: "a stage's PoC v2 votes (validated_weight per validator; -1 = rejected)",
  options: { stage: { type: "string", placeholder: "<height>", description: "the PoC stage start height" } },
  async run(ctx) {
    const stage = stageOf(ctx);
    const chain = chainClientFor(ctx);
    try {
      const groups = await getPocV2ValidationsForStage(chain, stage);
      const rows = groups.flatMap((g) => g.pocValidation.map((v) => ({ participant: g.participant, modelId: g.modelId, validator: v.validatorParticipantAddress, validatedWeight: v.validatedWeight })));
      ctx.out.result({ stage, votes: rows }, () => (rows.length === 0 ? `no votes for stage ${stage}` : table([
        ["PARTICIPANT", "MODEL", "VALIDATOR", "WEIGHT"], ...rows.map((r) => [r.participant, r.modelId, r.validator, r.validatedWeight.toString()]),
      ])));
    } finally {
      chain.close();
    }
  },
};

const COMMIT_OPTIONS = {
  stage: { type: "string", placeholder: "<height>", description: "the PoC stage start height" },
  participant: { type: "string", placeholder: "<address>", description: "the participant whose commit is checked" },
  model: { type: "string", placeholder: "<id>", description: "the model id" },
  root: { type: "string", placeholder: "<hex|base64>", description: "the committed root (default: read from the chain)" },
  count: { type: "string", placeholder: "<n>", description: "the committed count (with --root)" },
} as const;

/** (count, root) from the flags or the chain. */
async function commitOf(ctx: CommandContext, stage: bigint): Promise<{ count: number; root: Uint8Array; source: "flags" | "chain" }> {
  const rootText = flagString(ctx, "root");
  if (rootText !== undefined) {
    const count = intOf(ctx, "count", need(ctx, "count"), 1)!;
    return { count, root: bytes32(ctx, "root", rootText), source: "flags" };
  }
  const chain = chainClientFor(ctx);
  try {
    const c = await getPoCV2StoreCommit(chain, { pocStageStartBlockHeight: stage, participantAddress: need(ctx, "participant"), modelId: need(ctx, "model") });
    if (!c.found) throw new CliFailure(`no commit on chain for ${flagString(ctx, "participant")} / ${flagString(ctx, "model")} at stage ${stage}`);
    return { count: c.count, root: c.rootHash, source: "chain" };
  } finally {
    chain.close();
  }
}

function verdictLines(artifacts: { nonce: number }[], count: number, root: Uint8Array): string[] {
  return [`${artifacts.length} proofs verify against root ${hex(root)} at count ${count}`, `nonces: ${artifacts.map((a) => a.nonce).slice(0, 20).join(" ")}${artifacts.length > 20 ? " …" : ""}`];
}

const verify: CommandSpec = {
  name: "verify",
  summary: "verify a proof response (POST /v1/poc/proofs answer) against the on-chain (or given) root: coverage, fp16, MMR, duplicates, porosity",
  usage: "<response.json>",
  options: { ...COMMIT_OPTIONS, leaves: { type: "string", placeholder: "<i,j,…>", description: "the requested leaf indices (default: those in the response)" } },
  examples: ["gonka poc v2 proofs verify answer.json --stage 3450121 --participant gonka1… --model Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"],
  async run(ctx) {
    const json = (await readJsonArg(ctx, ctx.args[0], "response")) as { proofs?: unknown } | unknown[];
    let proofs;
    try {
      proofs = parseProofEntries(Array.isArray(json) ? json : (json as { proofs?: unknown }).proofs);
    } catch (e) {
      throw new CliUsageError("response", e instanceof GonkaError ? e.shortMessage : String(e), ctx.path);
    }
    const stage = stageOf(ctx);
    const { count, root, source } = await commitOf(ctx, stage);
    const leaves = list(ctx, "leaves").map((s) => intOf(ctx, "leaves", s)!);
    const leafIndices = leaves.length ? leaves : proofs.map((p) => p.leafIndex);
    let artifacts;
    try {
      artifacts = checkProofResponse({ leafIndices, proofs, root, count });
    } catch (e) {
      if (!(e instanceof GonkaError)) throw e;
      if (ctx.out.json) ctx.out.result({ valid: false, error: e.name, message: e.shortMessage, count, rootHash: hex(root), rootSource: source });
      throw new CliFailure(`the proofs do not verify: ${e.shortMessage}`, ExitCode.failure, "A validator votes -1 for such an answer.");
    }
    ctx.out.result({ valid: true, count, rootHash: hex(root), rootSource: source, artifacts }, () => verdictLines(artifacts, count, root));
  },
};

const fetchProofs: CommandSpec = {
  name: "fetch",
  summary: "ask a participant for signed proofs of sampled leaves and verify them against its on-chain commit (no GPU needed)",
  options: {
    stage: COMMIT_OPTIONS.stage, participant: COMMIT_OPTIONS.participant, model: COMMIT_OPTIONS.model,
    url: { type: "string", placeholder: "<url>", description: "the participant's public API (default: its inference_url on chain)" },
    leaves: { type: "string", placeholder: "<i,j,…>", description: "leaf indices (default: sampled as a validator would)" },
    "sample-size": { type: "string", placeholder: "<n>", description: "leaves to sample (default: the chain's validation_sample_size, 0 → 200)" },
    "sampling-block-hash": { type: "string", placeholder: "<hash>", description: "the sampling hash (default: the latest block's)" },
    granter: { type: "string", placeholder: "<address>", description: "the validator account when --from is its warm key" },
    "timeout-ms": { type: "string", placeholder: "<ms>", description: "deadline of the request (default 20000)" },
    save: { type: "string", placeholder: "<file>", description: "also write the decoded answer there (for `proofs verify`)" },
  },
  examples: ["gonka poc v2 proofs fetch --stage 3450121 --participant gonka1… --model Qwen/Qwen3-235B-A22B-Instruct-2507-FP8 --from validator"],
  async run(ctx) {
    const stage = stageOf(ctx);
    const participant = need(ctx, "participant");
    const modelId = need(ctx, "model");
    const wallet = await resolveWallet(ctx);
    const validatorAddress = flagString(ctx, "granter") ?? wallet.address;
    const chain = chainClientFor(ctx);
    try {
      const c = await getPoCV2StoreCommit(chain, { pocStageStartBlockHeight: stage, participantAddress: participant, modelId });
      if (!c.found) throw new CliFailure(`no commit on chain for ${participant} / ${modelId} at stage ${stage}`);
      const url = flagString(ctx, "url") ?? (await getParticipant(chain, participant)).inferenceUrl;
      if (!url) throw new CliFailure(`${participant} has no inference URL on chain; pass --url`);
      let leafIndices = list(ctx, "leaves").map((s) => intOf(ctx, "leaves", s)!);
      if (leafIndices.length === 0) {
        const sampleSize = intOf(ctx, "sample-size", flagString(ctx, "sample-size")) ?? ((await getInferenceParams(chain)).pocParams?.validationSampleSize || DEFAULT_VALIDATION_SAMPLE_SIZE);
        const blockHash = flagString(ctx, "sampling-block-hash") ?? (await cometBlockHash({ rpcUrl: `${ctx.global.node}/chain-rpc` })).hash;
        const key = validatorAddress === wallet.address ? wallet.publicKey : (await getAccount(chain, validatorAddress)).publicKey;
        if (!key) throw new CliFailure(`${validatorAddress} has no public key on chain`);
        leafIndices = sampleLeafIndices({ validatorPubKey: hex(key), blockHash, blockHeight: stage, modelId, count: c.count, sampleSize });
      }
      ctx.out.progress(`asking ${url} for ${leafIndices.length} proofs of ${modelId} at count ${c.count}…`);
      let proofs;
      try {
        proofs = await fetchPocV2Proofs({
          url, participantAddress: participant, pocStageStartBlockHeight: stage, modelId, rootHash: c.rootHash, count: c.count, leafIndices, validatorAddress, signer: wallet,
          ...(flagString(ctx, "timeout-ms") ? { timeoutMs: intOf(ctx, "timeout-ms", flagString(ctx, "timeout-ms"), 1)! } : {}),
        });
      } catch (e) {
        if (e instanceof ProofFetchError) {
          const code = e.failure === "unreachable" ? ExitCode.unreachable : e.failure === "timeout" ? ExitCode.timeout : ExitCode.failure;
          throw new CliFailure(e.shortMessage, code, e.details);
        }
        throw e;
      }
      const save = flagString(ctx, "save");
      if (save) {
        const wire = proofs.map((p) => ({ leaf_index: p.leafIndex, nonce_value: p.nonce, vector_bytes: encodeBase64(p.vectorBytes), proof: p.proof.map(encodeBase64) }));
        await writeFile(save, JSON.stringify({ proofs: wire }, null, 2));
      }
      let artifacts;
      try {
        artifacts = checkProofResponse({ leafIndices, proofs, root: c.rootHash, count: c.count });
      } catch (e) {
        if (!(e instanceof GonkaError)) throw e;
        if (ctx.out.json) ctx.out.result({ valid: false, error: e.name, message: e.shortMessage, url, leafIndices });
        throw new CliFailure(`${participant}'s proofs do not verify: ${e.shortMessage}`, ExitCode.failure, "A validator votes -1 for this participant.");
      }
      ctx.out.result({ valid: true, url, count: c.count, rootHash: hex(c.rootHash), leafIndices, artifacts }, () => verdictLines(artifacts, c.count, c.rootHash));
    } finally {
      chain.close();
    }
  },
};

const proofs: CommandSpec = {
  name: "proofs",
  summary: "fetch and verify MMR proofs of a participant's committed artifacts",
  subcommands: [fetchProofs, verify],
};

const validate: CommandSpec = {
  name: "validate",
  summary: "the validator flow for one stage: sample, fetch and verify proofs, recompute on your MLNode (GPU), vote MsgSubmitPocValidationsV2",
  description:
    "Recomputation runs the served model: --mlnode-url must point at an MLNode serving that model on a GPU. --dry-run checks the proofs only (no GPU, no vote). " +
    "fraud_threshold 0.01 is sent to the MLNode by default (what vLLM decides with on mainnet: the chain's p_value_threshold never reaches it); --fraud-threshold chain sends the chain's.",
  options: {
    stage: { type: "string", placeholder: "<height>", description: "the PoC stage start height" },
    "mlnode-url": { type: "string", placeholder: "<url>", description: "your MLNode serving the model(s) on a GPU, e.g. http://gpu1:8080" },
    granter: { type: "string", placeholder: "<address>", description: "the validator account when --from is its warm key (votes go through authz)" },
    "generation-block-hash": { type: "string", placeholder: "<hash>", description: "the stage start's block hash (default: read over CometBFT RPC)" },
    "sampling-block-hash": { type: "string", placeholder: "<hash>", description: "the sampling hash (default: the latest block's when validation starts)" },
    model: { type: "string", multiple: true, placeholder: "<id>", description: "only these models (repeatable)" },
    participant: { type: "string", multiple: true, placeholder: "<address>", description: "only these participants (repeatable)" },
    "sample-size": { type: "string", placeholder: "<n>", description: "leaves per participant (default: the chain's, 0 → 200)" },
    "fraud-threshold": { type: "string", placeholder: "<p|chain>", description: "fraud_threshold for the MLNode (default 0.01)" },
    "dry-run": { type: "boolean", description: "check proofs only: no recomputation, no vote" },
    "no-wait": { type: "boolean", description: "do not wait for the validation window" },
    "proof-timeout-ms": { type: "string", placeholder: "<ms>", description: "deadline of one proof request (default 20000)" },
    "proof-attempts": { type: "string", placeholder: "<n>", description: "attempts for unreachable proof servers (default 15)" },
    unreachable: { type: "string", placeholder: "<no-vote|reject>", description: "what a participant whose proof server never answers gets (default no-vote)" },
  },
  examples: [
    "gonka poc v2 validate --stage 3450121 --mlnode-url http://gpu1:8080 --from warm --granter gonka1… --node http://127.0.0.1:8000",
    "gonka poc v2 validate --stage 3450121 --dry-run --from validator --json",
  ],
  async run(ctx) {
    const stage = stageOf(ctx);
    const dryRun = flagBool(ctx, "dry-run");
    const mlnodeUrl = flagString(ctx, "mlnode-url");
    const fraud = flagString(ctx, "fraud-threshold");
    if (fraud !== undefined && fraud !== "chain" && !(Number(fraud) > 0 && Number(fraud) < 1)) throw new CliUsageError("--fraud-threshold", `expected a p-value in (0, 1) or "chain", got "${fraud}"`, ctx.path);
    const unreachable = flagString(ctx, "unreachable") ?? "no-vote";
    if (unreachable !== "no-vote" && unreachable !== "reject") throw new CliUsageError("--unreachable", `expected no-vote or reject, got "${unreachable}"`, ctx.path);
    const wallet = await resolveWallet(ctx);
    const granter = flagString(ctx, "granter");
    const rpcUrl = `${ctx.global.node}/chain-rpc`;
    const generationBlockHash = flagString(ctx, "generation-block-hash") ?? (await cometBlockHash({ rpcUrl, height: stage })).hash;
    const chain = chainClientFor(ctx);
    try {
      let samplingBlockHash = flagString(ctx, "sampling-block-hash");
      if (!samplingBlockHash) {
        // the latest hash once validation has started, as the network node takes it
        const params = await getInferenceParams(chain);
        const e = params.epochParams!;
        const start = stage + e.pocStageDuration + e.pocValidationDelay;
        if (!flagBool(ctx, "no-wait")) await waitForHeight(chain, start, { pollMs: 1000, what: "validation start" });
        samplingBlockHash = (await cometBlockHash({ rpcUrl })).hash;
      }
      const report = await runPocV2Validator({
        chain, signer: wallet, ...(granter ? { granter } : {}), pocStageStartBlockHeight: stage, generationBlockHash, samplingBlockHash,
        ...(mlnodeUrl ? { mlNode: pocV2MlNodeFromClient(createMlNodeClient({ baseUrl: mlnodeUrl })) } : {}),
        ...(list(ctx, "model").length ? { models: list(ctx, "model") } : {}),
        ...(list(ctx, "participant").length ? { participants: list(ctx, "participant") } : {}),
        ...(flagString(ctx, "sample-size") ? { sampleSize: intOf(ctx, "sample-size", flagString(ctx, "sample-size"))! } : {}),
        ...(fraud ? { fraudThreshold: fraud === "chain" ? "chain" : Number(fraud) } : {}),
        ...(flagString(ctx, "proof-timeout-ms") ? { proofTimeoutMs: intOf(ctx, "proof-timeout-ms", flagString(ctx, "proof-timeout-ms"), 1)! } : {}),
        ...(flagString(ctx, "proof-attempts") ? { proofAttempts: intOf(ctx, "proof-attempts", flagString(ctx, "proof-attempts"), 1)! } : {}),
        unreachable, dryRun, waitForWindow: !flagBool(ctx, "no-wait"),
        onEvent: (e) => {
          if (e.type === "pairs") ctx.out.progress(`${e.assigned} (participant, model) pairs to check of ${e.total} commits`);
          else if (e.type === "pair-done") ctx.out.progress(`  ${e.result.participantAddress} ${e.result.modelId}: ${e.result.outcome}${e.result.reason ? ` (${e.result.reason})` : ""}`);
          else if (e.type === "proof-retry") ctx.out.progress(`  ${e.participantAddress}: retrying (${e.error.failure})`);
          else if (e.type === "submitted") ctx.out.progress(`submitted ${e.votes} votes in ${e.txHash}`);
        },
      });
      const rows = report.results.map((r: PocV2PairResult) => ({
        participant: r.participantAddress, modelId: r.modelId, count: r.count, sampled: r.leafIndices.length, outcome: r.outcome,
        ...(r.validatedWeight !== undefined ? { validatedWeight: r.validatedWeight } : {}), ...(r.reason ? { reason: r.reason } : {}),
        ...(r.error ? { error: r.error.name } : {}), ...(r.verdict ? { verdict: r.verdict } : {}),
      }));
      ctx.out.result({ stage, generationBlockHash, samplingBlockHash, dryRun, txHash: report.txHash ?? null, results: rows }, () => [
        ...table([["PARTICIPANT", "MODEL", "COUNT", "SAMPLED", "OUTCOME", "VOTE"], ...rows.map((r) => [r.participant, r.modelId, String(r.count), String(r.sampled), r.outcome, r.validatedWeight?.toString() ?? "-"])]),
        report.txHash ? `votes sent in ${report.txHash}` : dryRun ? "dry run: nothing sent" : "no votes to send",
      ]);
    } finally {
      chain.close();
    }
  },
};

/** The `poc v2` command group. */
export const pocV2Command: CommandSpec = {
  name: "v2",
  summary: "PoC v2 as mainnet runs it: inputs, artifacts, leaf sampling, commits and votes, proofs, the validator flow",
  subcommands: [inputs, artifact, sample, commits, votes, proofs, validate],
};
