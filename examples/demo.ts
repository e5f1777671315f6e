/**
 * The gonka-sdk walk-through (`npm run demo`): on a local devnet, a host on-boards, its MLNode
 * runs a Proof-of-Compute stage, the PoC weight becomes voting power, and the host passes a
 * governance proposal with it. Every step prints what happened.
 *
 *   npm run demo            (= npx tsx examples/demo.ts)
 *
 * Everything runs on loopback in this process: the devnet chain (CometBFT RPC, REST, gRPC), the
 * network node's public/admin APIs and an MLNode backed by the SDK's PoC engine (CPU; set
 * GONKA_POC_BACKEND=webgpu to use WebGPU).
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { createAdminClient } from "gonka-sdk/admin";
import { createChainClient, generateWallet } from "gonka-sdk/chain";
import { startDevnet } from "gonka-sdk/devnet";
import { GonkaError } from "gonka-sdk";
import { createMlNodeClient } from "gonka-sdk/mlnode";
import { DEFAULT_FRAUD_THRESHOLD, DEFAULT_R_TARGET, pocParamsToWire, type PocParams } from "gonka-sdk/poc";
import { ProposalStatus } from "gonka-sdk/proto/cosmos/gov/v1/gov_pb";

/** A 0.6 M-parameter PoC model (the network's layout rules, laptop-sized). */
const DEMO_MODEL: PocParams = { dim: 128, nLayers: 2, nHeads: 4, nKvHeads: 4, vocabSize: 512, ffnDimMultiplier: 1.3, multipleOf: 64, normEps: 1e-5, ropeTheta: 10000, useScaledRope: false, seqLen: 16 };
const NONCES_WANTED = 60;

const step = (n: number, title: string) => console.log(`\n── ${n}. ${title}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hexOf = (b: Uint8Array) => Buffer.from(b).toString("hex");

async function main(): Promise<void> {
  const t0 = Date.now();
  const devnet = await startDevnet({ poc: process.env.GONKA_POC_BACKEND === "webgpu" ? "webgpu" : "cpu", votingPeriodMs: 3000 });
  const chain = createChainClient({ url: devnet.url, chainId: devnet.chainId });
  const admin = createAdminClient({ baseUrl: devnet.adminUrl });
  try {
    console.log(`gonka-sdk demo — devnet ${devnet.chainId} at ${devnet.url}`);
    console.log(`  admin API ${devnet.adminUrl}/admin/v1, MLNode ${devnet.mlnodeUrl}/api/v1, PoC callbacks ${devnet.pocCallbackUrl}`);

    // ── On-boarding ────────────────────────────────────────────────────────────────────────────
    step(1, "Keys");
    const { wallet: operator } = await generateWallet();
    const { wallet: warm } = await generateWallet();
    devnet.fund(operator.address, 10n ** 12n);
    devnet.fund(warm.address, 10n ** 9n);
    console.log(`  operator (cold) ${operator.address}  ← 1000 GNK from the devnet faucet`);
    console.log(`  ML-ops (warm)   ${warm.address}  ← 1 GNK`);

    step(2, "Register the participant (MsgSubmitNewParticipant)");
    const validatorKey = Buffer.from(ed25519.getPublicKey(ed25519.utils.randomSecretKey())).toString("base64");
    const reg = await chain.submitNewParticipant(operator, { url: "http://203.0.113.7:8000", validatorKey });
    console.log(`  included in block ${reg.height}, tx ${reg.hash.slice(0, 20)}…, gas ${reg.gasUsed}`);

    step(3, "Grant ML-ops permissions to the warm key (authz, one tx)");
    const grant = await chain.grantMlOpsPermissions(operator, { grantee: warm.address });
    const grantees = await chain.getGranteesByMessageType(operator.address, "/inference.inference.MsgSubmitPocBatch");
    console.log(`  included in block ${grant.height}; MsgSubmitPocBatch may now be sent by ${grantees.map((g) => g.address).join(", ")}`);

    step(4, "Register the MLNode with the network node's admin API");
    const ml = new URL(devnet.mlnodeUrl);
    await admin.nodes.create({
      id: "mlnode-1",
      host: ml.hostname,
      poc_port: Number(ml.port),
      inference_port: 5000,
      max_concurrent: 100,
      models: { "Qwen/Qwen2.5-7B-Instruct": { args: [] } },
      hardware: [{ type: "devnet CPU", count: 1 }],
    });
    const [node] = await admin.nodes.list();
    console.log(`  ${node!.node.id} → ${node!.node.host}:${node!.node.poc_port}, node_num ${node!.node.node_num}, enabled ${node!.state.admin_state?.enabled}`);

    // ── Proof-of-Compute ───────────────────────────────────────────────────────────────────────
    step(5, "PoC stage: the network node starts generation on its MLNode (POST /api/v1/pow/init/generate)");
    const stage = devnet.pocStage();
    const mlnode = createMlNodeClient({ baseUrl: `http://${node!.node.host}:${node!.node.poc_port}` });
    await mlnode.stop();
    await mlnode.pow.initGenerate({
      node_id: 0,
      node_count: 1,
      block_hash: stage.blockHash,
      block_height: Number(stage.blockHeight),
      public_key: hexOf(operator.publicKey),
      batch_size: 16,
      r_target: DEFAULT_R_TARGET,
      fraud_threshold: DEFAULT_FRAUD_THRESHOLD,
      params: pocParamsToWire(DEMO_MODEL),
      url: devnet.pocCallbackUrl,
    });
    console.log(`  epoch ${stage.epochIndex}, PoC stage at height ${stage.blockHeight}, block hash ${stage.blockHash.slice(0, 16)}…`);
    const tGen = Date.now();
    let batches = await devnet.waitForPocBatches({ height: Number(stage.blockHeight) });
    while (batches.flatMap((b) => b.nonces).length < NONCES_WANTED) {
      await sleep(200);
      batches = devnet.state.pocBatches.filter((b) => b.block_height === Number(stage.blockHeight));
    }
    await mlnode.pow.stop();
    const nonces = batches.flatMap((b) => b.nonces);
    const dist = batches.flatMap((b) => b.dist);
    console.log(`  ${batches.length} batches posted to the callback in ${((Date.now() - tGen) / 1000).toFixed(1)} s: ${nonces.length} nonces with dist < r_target (${DEFAULT_R_TARGET})`);

    step(6, "The warm key submits the batch for the participant (authz MsgExec ∘ MsgSubmitPocBatch)");
    const exec = await chain.execAs(warm, {
      messages: [
        {
          "@type": "/inference.inference.MsgSubmitPocBatch",
          creator: operator.address,
          poc_stage_start_block_height: stage.blockHeight.toString(),
          batch_id: "demo-batch-1",
          nonces: nonces.map(String),
          dist,
          node_id: "mlnode-1",
        },
      ],
    });
    const onChain = await chain.getPocBatchesForStage(stage.blockHeight);
    const ours = onChain.find((p) => p.participant === operator.address);
    console.log(`  included in block ${exec.height}; on chain for the stage: ${ours?.pocBatch.length ?? 0} batch(es), ${ours?.pocBatch.reduce((n, b) => n + b.nonces.length, 0) ?? 0} nonces from ${operator.address}`);

    step(7, "Validation: another node's MLNode recomputes a sample (POST /api/v1/pow/init/validate + /pow/validate)");
    await mlnode.pow.initValidate({
      node_id: 0,
      node_count: 1,
      block_hash: stage.blockHash,
      block_height: Number(stage.blockHeight),
      public_key: hexOf(operator.publicKey),
      batch_size: 16,
      r_target: DEFAULT_R_TARGET,
      fraud_threshold: DEFAULT_FRAUD_THRESHOLD,
      params: pocParamsToWire(DEMO_MODEL),
      url: devnet.pocCallbackUrl,
    });
    const sample = { public_key: hexOf(operator.publicKey), block_hash: stage.blockHash, block_height: Number(stage.blockHeight), nonces: nonces.slice(0, 20), dist: dist.slice(0, 20), node_id: 0 };
    await mlnode.pow.validate(sample);
    while (devnet.state.pocValidations.length === 0) await sleep(100);
    await mlnode.pow.stop();
    const v = devnet.state.pocValidations[0]!;
    console.log(`  ${v.nonces.length} nonces recomputed: n_invalid ${v.n_invalid}, probability_honest ${v.probability_honest}, fraud_detected ${v.fraud_detected}`);

    step(8, "Epoch end: valid nonces become PoC weight = voting power");
    const weights = devnet.endEpoch();
    const participants = await chain.getParticipants();
    for (const p of participants.participants) {
      console.log(`  ${p.address}  weight ${p.weight}${p.address === operator.address ? "  ← our host" : p.address === devnet.participant.address ? "  (devnet genesis participant)" : ""}`);
    }
    console.log(`  our voting power: ${weights.get(operator.address)} of ${[...devnet.chainState!.power.values()].reduce((a, b) => a + b, 0n)}`);

    // ── Governance ─────────────────────────────────────────────────────────────────────────────
    step(9, "Governance: propose raising the PoC validation sample, vote yes");
    const { proposalId, height } = await chain.proposeInferenceParams(operator, {
      title: "PoC validation sample 300",
      summary: "Recompute 300 nonces per participant instead of 200.",
      initialDeposit: [{ denom: "ngonka", amount: 25_000_000n }],
      edit: (p) => {
        p.pocParams!.validationSampleSize = 300;
      },
    });
    console.log(`  proposal #${proposalId} submitted in block ${height} (deposit 25 000 000 ngonka = min deposit)`);
    const voted = await chain.vote(operator, { proposalId, option: "yes" });
    const tally = await chain.getTally(proposalId);
    console.log(`  voted yes in block ${voted.height}; tally: yes ${tally.yes}, no ${tally.no}, abstain ${tally.abstain}, veto ${tally.noWithVeto}`);

    step(10, "Tally at the end of the voting period");
    let p = await chain.getProposal(proposalId);
    while (p.status === ProposalStatus.VOTING_PERIOD) {
      await sleep(300);
      p = await chain.getProposal(proposalId);
    }
    const params = await chain.getInferenceParams();
    console.log(`  #${proposalId} ${ProposalStatus[p.status]} (yes ${p.finalTallyResult?.yesCount}); validation_sample_size is now ${params.pocParams?.validationSampleSize}`);

    console.log(`\nDone in ${((Date.now() - t0) / 1000).toFixed(1)} s: on-boarded a host, ran a PoC stage, earned weight and passed a proposal with it.`);
  } finally {
    chain.close();
    await devnet.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof GonkaError ? `${e.name}: ${e.message}` : e);
  process.exitCode = 1;
});
