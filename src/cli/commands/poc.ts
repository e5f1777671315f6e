/** `gonka poc`: Proof-of-Compute on this machine — simulate generation, compute distances, validate batches. */
import {
  createPocEngine,
  fromInitRequest,
  runGenerate,
  DEFAULT_FRAUD_THRESHOLD,
  DEFAULT_R_TARGET,
  parseProofBatch,
  POC_PARAMS_TESTNET,
  POC_PARAMS_V1,
  POC_PARAMS_V2,
  toPocParams,
  totalParams,
  type PocEngine,
  type PocParams,
  type PocParamsWire,
  type ProofBatch,
} from "../../poc/index.js";
import { flagString, type CommandContext, type CommandSpec, type OptionSpec } from "../command.js";
import { TimeoutError } from "../../errors.js";
import { CliFailure, CliUsageError } from "../errors.js";
import { readJsonArg } from "../json-file.js";
import { pocV2Command } from "./poc-v2.js";

/** Small shapes for trying things on a laptop (same layout rules as the network's models). */
const SMALL_PRESETS: Record<string, PocParams> = {
  tiny: { dim: 64, nLayers: 2, nHeads: 4, nKvHeads: 4, vocabSize: 100, ffnDimMultiplier: 1.3, multipleOf: 32, normEps: 1e-5, ropeTheta: 10000, useScaledRope: false, seqLen: 8 },
  small: { dim: 256, nLayers: 4, nHeads: 8, nKvHeads: 8, vocabSize: 1000, ffnDimMultiplier: 10, multipleOf: 256, normEps: 1e-5, ropeTheta: 10000, useScaledRope: false, seqLen: 32 },
};

const ENGINE_OPTIONS: Record<string, OptionSpec> = {
  params: { type: "string", placeholder: "<preset|file>", description: "tiny (default), small, v1, v2, testnet, or a JSON file of MLNode params" },
  "block-hash": { type: "string", placeholder: "<hash>", description: "PoC-start block hash (default DEVNET)" },
  "public-key": { type: "string", placeholder: "<hex>", description: "participant's hex pubkey (default: a fixed devnet key)" },
  backend: { type: "string", placeholder: "<cpu|webgpu>", description: "engine backend (default cpu; webgpu falls back to cpu)" },
  precision: { type: "string", placeholder: "<f16|f32>", description: "WebGPU weight storage (default: f16 on GPUs, f32 on software drivers)" },
  request: { type: "string", placeholder: "<init.json>", description: "an MLNode init request (the FAQ's init/generate body): params, block hash, key, node id/count, batch size, r_target" },
};

/** The `--request` init body, parsed, when given. */
async function requestOf(ctx: CommandContext): Promise<{ body: unknown; req: ReturnType<typeof fromInitRequest> } | undefined> {
  const path = flagString(ctx, "request");
  if (path === undefined) return undefined;
  const body = await readJsonArg(ctx, path, "--request");
  try {
    return { body, req: fromInitRequest(body) };
  } catch (e) {
    throw new CliUsageError("--request", e instanceof Error ? e.message : String(e), ctx.path);
  }
}

function backendOf(ctx: CommandContext): { backend: "cpu" | "webgpu"; precision?: "f16" | "f32" } {
  const backend = flagString(ctx, "backend") ?? "cpu";
  if (backend !== "cpu" && backend !== "webgpu") throw new CliUsageError("--backend", `expected cpu or webgpu, got "${backend}"`, ctx.path);
  const precision = flagString(ctx, "precision");
  if (precision !== undefined && precision !== "f16" && precision !== "f32") throw new CliUsageError("--precision", `expected f16 or f32, got "${precision}"`, ctx.path);
  return { backend, ...(precision ? { precision } : {}) };
}

/** Largest model (total parameters) `gonka poc` runs on the CPU backend (the devnet MLNode's CPU limit too). */
export const CPU_MAX_PARAMS = 50_000_000;

/**
 * Runs `work` with a signal that aborts after `--timeout`, and rejects with a `TimeoutError` then
 * even if the work does not stop at once.
 */
async function withTimeout<T>(ctx: CommandContext, what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ms = ctx.global.timeoutMs;
  const ac = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = new TimeoutError(what, ms, { details: "Raise --timeout (milliseconds) or validate fewer nonces." });
      ac.abort(e);
      reject(e);
    }, ms);
  });
  try {
    return await Promise.race([work(ac.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

const DEFAULT_PUBKEY = "024daacc24ae6754dd460961ea4c6aa114e717e036b7dff3853195483b8d692dd2";

async function paramsOf(ctx: CommandContext): Promise<PocParams> {
  const p = flagString(ctx, "params") ?? "tiny";
  const presets: Record<string, PocParams> = { ...SMALL_PRESETS, v1: POC_PARAMS_V1, v2: POC_PARAMS_V2, testnet: POC_PARAMS_TESTNET };
  if (presets[p]) return { ...presets[p] };
  const json = await readJsonArg(ctx, p, "--params");
  try {
    return toPocParams(json as PocParamsWire);
  } catch (e) {
    throw new CliUsageError("--params", e instanceof Error ? e.message : String(e), ctx.path);
  }
}

async function engineFor(ctx: CommandContext, overrides: { blockHash?: string; publicKey?: string; params?: PocParams } = {}): Promise<PocEngine> {
  const params = overrides.params ?? (await paramsOf(ctx));
  const { backend, precision } = backendOf(ctx);
  const blockHash = overrides.blockHash ?? flagString(ctx, "block-hash") ?? "DEVNET";
  const publicKey = overrides.publicKey ?? flagString(ctx, "public-key") ?? DEFAULT_PUBKEY;
  const n = totalParams(params);
  // The CPU engine materialises the weights in memory: a network-size model (billions of
  // parameters) would swap for hours. Refuse it at once instead of hanging.
  if (backend === "cpu" && n > CPU_MAX_PARAMS) {
    throw new CliUsageError(
      "--params",
      `describe a ${n.toLocaleString("en-US")}-parameter model; the CPU backend handles at most ${CPU_MAX_PARAMS.toLocaleString("en-US")}. ` +
        "Use --backend webgpu on a machine with a GPU, or a smaller preset (tiny, small) or params file",
      ctx.path,
    );
  }
  ctx.out.progress(`loading a ${n.toLocaleString("en-US")}-parameter PoC model for block ${blockHash} on ${backend}…`);
  return createPocEngine({
    params,
    blockHash,
    publicKey,
    backend,
    ...(precision ? { precision } : {}),
    // never fall back to the CPU with a model it cannot hold
    fallbackToCpu: n <= CPU_MAX_PARAMS,
    onFallback: (r) => ctx.out.progress(`WebGPU unavailable, using the CPU (${r instanceof Error ? r.message.split("\n")[0] : String(r)})`),
  });
}

function intFlag(ctx: CommandContext, name: string, fallback: number, min = 0): number {
  const v = flagString(ctx, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new CliUsageError(`--${name}`, `expected an integer ≥ ${min}, got "${v}"`, ctx.path);
  return Number(v);
}

function floatFlag(ctx: CommandContext, name: string, fallback: number): number {
  const v = flagString(ctx, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new CliUsageError(`--${name}`, `expected a number, got "${v}"`, ctx.path);
  return n;
}

const simulate: CommandSpec = {
  name: "simulate",
  summary: "generate PoC nonces locally like an MLNode (init/generate) and print the ProofBatch",
  options: {
    ...ENGINE_OPTIONS,
    nonces: { type: "string", placeholder: "<n>", description: "nonces to compute (default 64)" },
    "node-id": { type: "string", placeholder: "<i>", description: "this node's index (default 0)" },
    "node-count": { type: "string", placeholder: "<n>", description: "participant's node count (default 1)" },
    "batch-size": { type: "string", placeholder: "<n>", description: "nonces per forward pass (default: backend's choice)" },
    "block-height": { type: "string", placeholder: "<h>", description: "PoC stage start height written into the batch (default 1)" },
    "r-target": { type: "string", placeholder: "<x>", description: `distance threshold (default ${DEFAULT_R_TARGET})` },
    send: { type: "boolean", description: "with --request: POST merged batches to the request's {url}/generated like an MLNode" },
    "interval-ms": { type: "string", placeholder: "<ms>", description: "with --send: the send cycle (default 5000, as the MLNode)" },
  },
  examples: [
    "gonka poc simulate --nonces 256 --json > batch.json",
    "gonka poc simulate --params small --backend webgpu --nonces 64",
    "gonka poc simulate --request init.json --send --nonces 1000",
  ],
  async run(ctx) {
    const total = intFlag(ctx, "nonces", 64, 1);
    const batchSize = flagString(ctx, "batch-size") !== undefined ? intFlag(ctx, "batch-size", 1, 1) : undefined;
    const request = await requestOf(ctx);
    if (ctx.flags.send === true) {
      if (!request) throw new CliUsageError("--send", "needs --request <init.json> (its url receives the batches)", ctx.path);
      const summary = await runGenerate(request.body, {
        ...backendOf(ctx),
        fallbackToCpu: true,
        maxNonces: total,
        sendIntervalMs: intFlag(ctx, "interval-ms", 5000, 1),
        ...(batchSize !== undefined ? { batchSize } : {}),
        onProgress: (p) => ctx.out.progress(`  ${p.computed}/${total} nonces, ${p.valid} valid, ${p.sent} sent, ${p.pending} pending, ${p.noncesPerSecond.toFixed(1)} nonces/s`),
        onSendError: (e) => ctx.out.progress(`  send failed (kept for the next cycle): ${e.shortMessage}`),
      });
      ctx.out.result(summary, () => `computed ${summary.computed} nonces on ${summary.backend}; ${summary.sent} valid nonces delivered to ${request.req.url}/generated, ${summary.pending} undelivered`);
      return;
    }
    const engine = await engineFor(ctx, request ? { params: request.req.params, blockHash: request.req.blockHash, publicKey: request.req.publicKey } : {});
    try {
      const rTarget = request?.req.rTarget ?? floatFlag(ctx, "r-target", DEFAULT_R_TARGET);
      const batches: ProofBatch[] = [];
      let last = { computed: 0, valid: 0, noncesPerSecond: 0 };
      for await (const b of engine.generate({
        nodeId: request?.req.nodeId ?? intFlag(ctx, "node-id", 0),
        nodeCount: request?.req.nodeCount ?? intFlag(ctx, "node-count", 1, 1),
        maxNonces: total,
        rTarget,
        blockHeight: request?.req.blockHeight ?? intFlag(ctx, "block-height", 1),
        ...(batchSize !== undefined ? { batchSize } : {}),
        onProgress: (p) => {
          last = p;
          ctx.out.progress(`  ${p.computed}/${total} nonces, ${p.valid} valid, ${p.noncesPerSecond.toFixed(1)} nonces/s`);
        },
      })) {
        batches.push(b);
      }
      const merged: ProofBatch = { ...batches[0]!, nonces: batches.flatMap((b) => b.nonces), dist: batches.flatMap((b) => b.dist) };
      ctx.out.result(merged, () => [
        `computed ${last.computed} nonces on ${engine.backend.kind} at ${last.noncesPerSecond.toFixed(1)} nonces/s; ${merged.nonces.length} below r_target ${rTarget}`,
        ...merged.nonces.slice(0, 20).map((n, i) => `  nonce ${n}: dist ${merged.dist[i]!.toFixed(9)}`),
        ...(merged.nonces.length > 20 ? [`  … ${merged.nonces.length - 20} more (use --json for all)`] : []),
      ]);
    } finally {
      engine.destroy();
    }
  },
};

const distances: CommandSpec = {
  name: "distances",
  summary: "compute the distance of given nonces",
  usage: "<nonce...>",
  options: ENGINE_OPTIONS,
  examples: ["gonka poc distances 0 1 2 --block-hash ABC --public-key 02…"],
  async run(ctx) {
    if (ctx.args.length === 0) throw new CliUsageError("nonce", "give at least one nonce", ctx.path);
    const nonces = ctx.args.map((a) => {
      if (!/^\d+$/.test(a)) throw new CliUsageError("nonce", `"${a}" is not a non-negative integer`, ctx.path);
      return Number(a);
    });
    const engine = await engineFor(ctx);
    try {
      const d = await withTimeout(ctx, `computing ${nonces.length} distances`, () => engine.distances(nonces));
      const rows = nonces.map((n, i) => ({ nonce: n, dist: d[i]!, valid: d[i]! < DEFAULT_R_TARGET }));
      ctx.out.result(rows, () => rows.map((r) => `${r.nonce}\t${r.dist.toFixed(12)}${r.valid ? "\tvalid" : ""}`));
    } finally {
      engine.destroy();
    }
  },
};

const validate: CommandSpec = {
  name: "validate",
  summary: "recompute a ProofBatch and run the fraud test (exit 1 when fraud is detected)",
  usage: "<batch.json>",
  options: {
    ...ENGINE_OPTIONS,
    "r-target": { type: "string", placeholder: "<x>", description: `distance threshold (default ${DEFAULT_R_TARGET})` },
    "fraud-threshold": { type: "string", placeholder: "<p>", description: `p-value below which the batch is fraud (default ${DEFAULT_FRAUD_THRESHOLD})` },
  },
  examples: ["gonka poc simulate --json > batch.json && gonka poc validate batch.json"],
  async run(ctx) {
    let batch: ProofBatch;
    try {
      batch = parseProofBatch(await readJsonArg(ctx, ctx.args[0], "batch"));
    } catch (e) {
      if (e instanceof CliUsageError) throw e;
      throw new CliUsageError("batch", e instanceof Error ? e.message : String(e), ctx.path);
    }
    const request = await requestOf(ctx);
    const engine = await engineFor(ctx, { blockHash: batch.block_hash, publicKey: batch.public_key, ...(request ? { params: request.req.params } : {}) });
    try {
      ctx.out.progress(`recomputing ${batch.nonces.length} nonces…`);
      const rTarget = request?.req.rTarget ?? floatFlag(ctx, "r-target", DEFAULT_R_TARGET);
      const fraudThreshold = request?.req.fraudThreshold ?? floatFlag(ctx, "fraud-threshold", DEFAULT_FRAUD_THRESHOLD);
      const v = await withTimeout(ctx, `validating ${batch.nonces.length} nonces`, (signal) => engine.validateBatch(batch, { rTarget, fraudThreshold, signal }));
      ctx.out.result(v, () => [
        `${v.nonces.length} nonces recomputed, ${v.n_invalid} above r_target`,
        `probability honest: ${v.probability_honest}`,
        v.fraud_detected ? "FRAUD DETECTED" : "batch looks honest",
      ]);
      if (v.fraud_detected) throw new CliFailure(`fraud detected: ${v.n_invalid} of ${v.nonces.length} nonces do not reproduce`);
    } finally {
      engine.destroy();
    }
  },
};

/** The `poc` command group. */
export const pocCommand: CommandSpec = {
  name: "poc",
  summary: "Proof-of-Compute on this machine: simulate generation, distances, validate batches (CPU or WebGPU)",
  subcommands: [simulate, distances, validate, pocV2Command],
};
