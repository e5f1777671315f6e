/**
 * Simulate Proof-of-Compute locally, the way the network's FAQ does it: send an MLNode the
 * `POST /api/v1/pow/init/generate` request an API node sends at the start of a PoC stage, collect
 * the batches it posts back to the callback URL, then have them validated — by the MLNode
 * (`pow/validate` → `…/validated` callback) and locally with `createPocEngine`.
 *
 *   npx tsx examples/poc-simulate.ts
 *
 * With no configuration it starts the devnet, whose MLNode runs the SDK's PoC engine on the CPU
 * (set GONKA_POC_BACKEND=webgpu for WebGPU). To drive a real MLNode instead:
 *
 *   GONKA_MLNODE_URL=http://10.0.0.5:8080     the MLNode's management port
 *   GONKA_CALLBACK_HOST=10.0.0.2              an address of this machine the MLNode can reach
 *   GONKA_POC_PARAMS=mini|small|v1|v2         model size (default mini; v2 is the network's, GPU only)
 */
import { createMlNodeClient, type PowInitRequest } from "gonka-sdk/mlnode";
import { createPocCallbackServer } from "gonka-sdk/mlnode/node";
import { startDevnet, type Devnet } from "gonka-sdk/devnet";
import { GonkaError } from "gonka-sdk";
import {
  createPocEngine,
  DEFAULT_FRAUD_THRESHOLD,
  DEFAULT_R_TARGET,
  POC_PARAMS_V1,
  POC_PARAMS_V2,
  pocParamsToWire,
  type PocParams,
  type ProofBatch,
  type ValidatedBatch,
} from "gonka-sdk/poc";

/** A 0.6 M-parameter model with the network's layout rules: seconds on a laptop CPU. */
const MINI: PocParams = { dim: 128, nLayers: 2, nHeads: 4, nKvHeads: 4, vocabSize: 512, ffnDimMultiplier: 1.3, multipleOf: 64, normEps: 1e-5, ropeTheta: 10000, useScaledRope: false, seqLen: 16 };
/** 22.8 M parameters: about a second per nonce on the CPU engine, fast on WebGPU. */
const SMALL: PocParams = { dim: 256, nLayers: 4, nHeads: 8, nKvHeads: 8, vocabSize: 1000, ffnDimMultiplier: 10, multipleOf: 256, normEps: 1e-5, ropeTheta: 10000, useScaledRope: false, seqLen: 32 };
const PRESETS: Record<string, PocParams> = { mini: MINI, small: SMALL, v1: POC_PARAMS_V1, v2: POC_PARAMS_V2 };
const WANTED = 16; // valid nonces to collect before validating

async function main(): Promise<void> {
  const env = process.env;
  let devnet: Devnet | undefined;
  if (!env.GONKA_MLNODE_URL) {
    devnet = await startDevnet({ pocVersion: 1, poc: env.GONKA_POC_BACKEND === "webgpu" ? "webgpu" : "cpu" }); // PoW v1: the MLNode's /api/v1/pow/* routes
    console.log(`Started a local devnet; its MLNode is ${devnet.mlnodeUrl}. Set GONKA_MLNODE_URL to drive a real MLNode.\n`);
  }
  const params = PRESETS[env.GONKA_POC_PARAMS ?? "mini"] ?? MINI;
  const mlnode = createMlNodeClient({ baseUrl: env.GONKA_MLNODE_URL ?? devnet!.mlnodeUrl });

  // The callback receiver an API node runs on :9100 (here: an ephemeral port on this machine).
  const generated: ProofBatch[] = [];
  const validated: ValidatedBatch[] = [];
  const callback = await createPocCallbackServer({
    host: env.GONKA_CALLBACK_HOST ? "0.0.0.0" : "127.0.0.1",
    ...(env.GONKA_CALLBACK_HOST ? { publicHost: env.GONKA_CALLBACK_HOST } : {}),
    onGenerated: (b) => void generated.push(b),
    onValidated: (b) => void validated.push(b),
  });

  try {
    const stage = devnet?.pocStage() ?? { blockHeight: 1000n, blockHash: "8E3A1A7C9D5F0B2E4C6A8E0F1B3D5F7A9C1E3B5D7F9A1C3E5B7D9F1A3C5E7B9D" };
    const request: PowInitRequest = {
      node_id: 0,
      node_count: 1,
      block_hash: stage.blockHash,
      block_height: Number(stage.blockHeight),
      public_key: "024daacc24ae6754dd460961ea4c6aa114e717e036b7dff3853195483b8d692dd2",
      batch_size: 16,
      r_target: DEFAULT_R_TARGET,
      fraud_threshold: DEFAULT_FRAUD_THRESHOLD,
      params: pocParamsToWire(params),
      url: callback.url,
    };
    console.log("POST /api/v1/pow/init/generate");
    console.log(JSON.stringify(request, null, 2));

    await mlnode.stop(); // an API node first leaves whatever mode the MLNode is in
    const started = await mlnode.pow.initGenerate(request);
    console.log(`\n→ ${started.status}, pow_status ${JSON.stringify(started.pow_status)}`);
    const t0 = Date.now();
    while (generated.flatMap((b) => b.nonces).length < WANTED) {
      if (Date.now() - t0 > 300_000) throw new Error("no batches after 5 minutes");
      await new Promise((r) => setTimeout(r, 500));
      const n = generated.flatMap((b) => b.nonces).length;
      process.stderr.write(`\r  ${n} valid nonces received in ${generated.length} callback(s), ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    process.stderr.write("\n");

    const batch: ProofBatch = { ...generated[0]!, nonces: generated.flatMap((b) => b.nonces).slice(0, WANTED), dist: generated.flatMap((b) => b.dist).slice(0, WANTED) };
    console.log(`\nGenerated batch: nonces ${batch.nonces.join(", ")}`);

    // Validation by the MLNode: switch phase, submit the batch, wait for the `validated` callback.
    await mlnode.pow.phaseValidate();
    const forged: ProofBatch = { ...batch, nonces: batch.nonces.map((n) => n + 1), dist: batch.dist }; // claims other nonces
    await mlnode.pow.validate(batch);
    await mlnode.pow.validate(forged);
    while (validated.length < 2) await new Promise((r) => setTimeout(r, 200));
    await mlnode.pow.stop();
    for (const [name, v] of [["honest", validated[0]!], ["forged", validated[1]!]] as const) {
      console.log(`MLNode validation of the ${name} batch: n_invalid ${v.n_invalid}/${v.nonces.length}, probability_honest ${v.probability_honest.toExponential(3)}, fraud_detected ${v.fraud_detected}`);
    }

    // The same check on this machine, with the SDK's engine.
    const engine = await createPocEngine({ params, blockHash: batch.block_hash, publicKey: batch.public_key, backend: "cpu" });
    try {
      const local = await engine.validateBatch(batch);
      const maxDiff = Math.max(...local.dist.map((d, i) => Math.abs(d - batch.dist[i]!)));
      console.log(`Local validation (CPU engine):      n_invalid ${local.n_invalid}, fraud_detected ${local.fraud_detected}, max |dist - claimed| = ${maxDiff.toExponential(2)}`);
    } finally {
      engine.destroy();
    }
  } finally {
    await callback.close();
    await devnet?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof GonkaError ? `${e.name}: ${e.message}` : e);
  process.exitCode = 1;
});
