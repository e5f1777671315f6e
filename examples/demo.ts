/**
 * The gonka-sdk walk-through (`npm run demo`): on a local devnet running PoC v2 like mainnet, a
 * host on-boards (keys, its network node and MLNodes, registration, ML-ops grants), takes part in a
 * PoC v2 stage with three other hosts — one of them dishonest — and its PoC weight becomes voting
 * power that passes a governance proposal. Every step prints what happened.
 *
 *   npm run demo            (= npx tsx examples/demo.ts)
 *
 * Everything runs on loopback in this process: the devnet chain (CometBFT RPC, REST, gRPC), each
 * host's network-node pieces (artifact store, `/v2/poc-batches` callbacks, signed proof routes,
 * admin API) and MLNodes. The MLNodes run a deterministic **stand-in for the served model** (hidden
 * states derived from block hash, key and nonce — not a forward pass of Qwen & co., which needs
 * GPUs); everything around it — artifacts, MMR commitments, proofs, sampling, the statistical test,
 * votes and weights — is the network's real protocol.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { createAdminClient } from "gonka-sdk/admin";
import { createChainClient, generateWallet } from "gonka-sdk/chain";
import { startDevnet, standInArtifact, type DevnetPocV2StageEvent } from "gonka-sdk/devnet";
import { GonkaError } from "gonka-sdk";
import { artifactDistance, checkProofResponse, decodeVector, fetchPocV2Proofs, getPoCV2StoreCommit, sampleLeafIndices } from "gonka-sdk/poc/v2";
import { ProposalStatus } from "gonka-sdk/proto/cosmos/gov/v1/gov_pb";

const step = (n: number, title: string) => console.log(`\n── ${n}. ${title}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hexOf = (b: Uint8Array) => Buffer.from(b).toString("hex");
const short = (b: Uint8Array) => `${hexOf(b).slice(0, 12)}…`;

async function main(): Promise<void> {
  const t0 = Date.now();
  // Two more hosts besides the devnet's own participant; host-c cheats (its stand-in computes another "model").
  const devnet = await startDevnet({ votingPeriodMs: 3000, hosts: [{ name: "host-b" }, { name: "host-c", dishonest: true, power: 5n }] });
  const chain = createChainClient({ url: devnet.url, chainId: devnet.chainId });
  try {
    console.log(`gonka-sdk demo — devnet ${devnet.chainId} at ${devnet.url}, PoC v${devnet.pocVersion} (as mainnet)`);
    console.log(`  other hosts: ${devnet.hosts.map((h) => `${h.name}${h.dishonest ? " (dishonest)" : ""}`).join(", ")}; MLNodes run a deterministic STAND-IN for the served model, not the model`);

    // ── On-boarding ────────────────────────────────────────────────────────────────────────────
    step(1, "Keys");
    const { wallet: operator } = await generateWallet();
    const { wallet: warm } = await generateWallet();
    devnet.fund(operator.address, 10n ** 12n);
    devnet.fund(warm.address, 10n ** 9n);
    console.log(`  operator (cold) ${operator.address}  ← 1000 GNK from the devnet faucet`);
    console.log(`  ML-ops (warm)   ${warm.address}  ← 1 GNK`);

    step(2, "Start the host's network node and two MLNodes (loopback; the warm key signs for the operator)");
    const host = await devnet.addHost({ name: "our-host", signer: warm, granter: operator.address, mlnodes: 2 });
    console.log(`  network node ${host.url} (proofs: /v1/poc/proofs; callbacks: /v2/poc-batches/…; admin: /admin/v1/nodes)`);
    console.log(`  MLNodes      ${host.mlnodeUrls.join(", ")}`);

    step(3, "Register the participant (MsgSubmitNewParticipant), inference_url = the network node");
    const validatorKey = Buffer.from(ed25519.getPublicKey(ed25519.utils.randomSecretKey())).toString("base64");
    const reg = await chain.submitNewParticipant(operator, { url: host.url, validatorKey });
    console.log(`  included in block ${reg.height}, tx ${reg.hash.slice(0, 20)}…, gas ${reg.gasUsed}`);

    step(4, "Grant ML-ops permissions to the warm key (authz + fee allowance, one tx)");
    const grant = await chain.grantMlOpsPermissions(operator, { grantee: warm.address });
    for (const type of ["MsgPoCV2StoreCommit", "MsgMLNodeWeightDistribution", "MsgSubmitPocValidationsV2"]) {
      const grantees = await chain.getGranteesByMessageType(operator.address, `/inference.inference.${type}`);
      console.log(`  ${type.padEnd(28)} may be sent by ${grantees.map((g) => g.address).join(", ")}`);
    }
    console.log(`  (included in block ${grant.height})`);

    step(5, "Register the MLNodes with the network node's admin API");
    const params = await chain.getInferenceParams();
    const model = params.pocParams!.models[0]!.modelId;
    const admin = createAdminClient({ baseUrl: host.adminUrl });
    for (const [i, url] of host.mlnodeUrls.entries()) {
      const u = new URL(url);
      await admin.nodes.create({ id: `mlnode-${i + 1}`, host: u.hostname, poc_port: Number(u.port), inference_port: Number(u.port), max_concurrent: 100, models: { [model]: { args: [] } }, hardware: [{ type: "devnet stand-in", count: 1 }] });
    }
    for (const n of await admin.nodes.list()) console.log(`  ${n.node.id} → ${n.node.host}:${n.node.poc_port}, node_num ${n.node.node_num}, model ${Object.keys(n.node.models ?? {}).join(", ")}`);

    // ── Proof-of-Compute v2 ────────────────────────────────────────────────────────────────────
    const names = new Map(devnet.hosts.map((h) => [h.address, h.name]));
    const nameOf = (address: string) => names.get(address) ?? address;
    let phase = 0;
    const at = (p: number, title: string) => {
      if (phase < p) {
        phase = p;
        step(p, title);
      }
    };
    const lastCommit = new Map<string, string>();
    const onEvent = (e: DevnetPocV2StageEvent) => {
      if (e.type === "stage") {
        at(6, "PoC v2 stage: each network node starts its MLNodes (POST /api/v1/inference/pow/init/generate)");
        console.log(`  stage S = ${e.stage}, seed block hash ${e.blockHash.slice(0, 16)}…, model ${e.models.join(", ")}`);
        console.log(`  commits accepted in blocks [${e.windows.exchange[0]}, ${e.windows.exchange[1]}], votes in [${e.windows.validation[0]}, ${e.windows.validation[1]}]`);
      } else if (e.type === "mlnode") {
        console.log(`  ${e.host.padEnd(8)} MLNode node_id ${e.nodeId} at ${e.url} serves ${e.modelId} (stand-in)`);
      } else if (e.type === "host" && e.event.type === "committed") {
        at(7, "Artifacts arrive at /v2/poc-batches/…/generated → MMR store → MsgPoCV2StoreCommit (count, root) every 0.5 s");
        for (const c of e.event.entries) {
          if (e.host === "our-host") console.log(`  our-host commits count ${String(c.count).padStart(4)}, root ${short(c.rootHash)} in block ${e.event.height}`);
          lastCommit.set(e.host, `count ${c.count}, root ${short(c.rootHash)}`);
        }
      } else if (e.type === "host" && e.event.type === "distributed") {
        if (e.host === "our-host") for (const d of e.event.entries) console.log(`  our-host MsgMLNodeWeightDistribution: ${d.weights.map((w) => `MLNode ${w.nodeId} → ${w.weight}`).join(", ")}`);
      } else if (e.type === "validator" && e.event.type === "pairs") {
        if (phase < 8) {
          for (const [h, c] of lastCommit) if (h !== "our-host") console.log(`  ${h.padEnd(8)} last commit ${c}`);
        }
        at(8, "Validation: every host samples leaves, fetches signed proofs, verifies them against the on-chain root and recomputes on its own MLNode");
      } else if (e.type === "validator" && e.event.type === "pair-done" && e.host === "devnet") {
        const r = e.event.result;
        const v = r.verdict;
        console.log(`  devnet validator → ${nameOf(r.participantAddress).padEnd(8)} ${String(r.leafIndices.length).padStart(3)} leaves of ${r.count}: proofs OK, ${v ? `${v.nMismatch} mismatches, p = ${v.pValue.toExponential(2)}` : r.reason} → vote ${r.validatedWeight ?? "none"}${r.outcome === "rejected" ? "  ✗ fraud detected" : ""}`);
      } else if (e.type === "validator" && e.event.type === "submitted") {
        console.log(`  ${e.host.padEnd(8)} MsgSubmitPocValidationsV2 with ${e.event.votes} votes, tx ${e.event.txHash.slice(0, 16)}…`);
      }
    };
    const report = await devnet.runPocV2Stage({ onEvent });
    for (const h of report.hosts) for (const [what, error] of [["host", h.hostError], ["validator", h.validatorError]] as const) if (error) console.log(`  ${h.name} ${what} failed: ${error.message.split("\n")[0]}`);

    step(9, "Check it yourself with the SDK: sample host-c's leaves, fetch proofs signed by our warm key, verify, recompute");
    const cheat = devnet.hosts.find((h) => h.name === "host-c")!;
    const onChain = await getPoCV2StoreCommit(chain, { pocStageStartBlockHeight: report.stage, participantAddress: cheat.address, modelId: model });
    const leafIndices = sampleLeafIndices({ validatorPubKey: hexOf(operator.publicKey), blockHash: report.samplingBlockHash, blockHeight: report.stage, modelId: model, count: onChain.count, sampleSize: 20 });
    const proofs = await fetchPocV2Proofs({ url: cheat.url, participantAddress: cheat.address, pocStageStartBlockHeight: report.stage, modelId: model, rootHash: onChain.rootHash, count: onChain.count, leafIndices, validatorAddress: operator.address, signer: warm });
    const artifacts = checkProofResponse({ leafIndices, proofs, root: onChain.rootHash, count: onChain.count });
    console.log(`  on chain: count ${onChain.count}, root ${short(onChain.rootHash)}; ${artifacts.length} sampled leaves' MMR proofs verify against it`);
    const cheatKey = hexOf((await chain.getAccount(cheat.address)).publicKey!);
    const dists = artifacts.map((a) => artifactDistance(decodeVector(a.vectorB64), decodeVector(standInArtifact({ blockHash: report.blockHash, publicKey: cheatKey, nonce: a.nonce, model, seqLen: Number(params.pocParams!.models[0]!.seqLen) }).vectorB64)));
    console.log(`  recomputed with the honest stand-in: L2 distances ${Math.min(...dists).toFixed(2)}…${Math.max(...dists).toFixed(2)} (> dist_threshold): the proofs are valid, the work is not`);

    step(10, "The chain's tally: votes of validators with power, > 2/3 accept → weight = committed count");
    for (const t of report.tally) {
      const name = t.participantAddress === operator.address ? "our-host" : nameOf(t.participantAddress);
      console.log(`  ${name.padEnd(8)} ${t.modelId}: count ${t.count}, accepted by ${t.acceptingPower}/${t.totalPower} of the power, rejected by ${t.rejectingPower} → ${t.outcome.toUpperCase()}, weight ${t.weight}`);
    }

    step(11, "Epoch end: PoC weight becomes voting power");
    const weights = devnet.endEpoch();
    const total = [...devnet.chainState!.power.values()].reduce((a, b) => a + b, 0n);
    for (const [address, w] of weights) console.log(`  ${(address === operator.address ? "our-host" : nameOf(address)).padEnd(8)} weight ${w}`);
    console.log(`  our voting power: ${devnet.chainState!.power.get(operator.address)} of ${total}`);

    // ── Governance ─────────────────────────────────────────────────────────────────────────────
    step(12, "Governance: propose raising the PoC validation sample, vote yes");
    const { proposalId, height } = await chain.proposeInferenceParams(operator, {
      title: "PoC validation sample 300",
      summary: "Check 300 leaves per participant and model instead of 200.",
      initialDeposit: [{ denom: "ngonka", amount: 25_000_000n }],
      edit: (p) => {
        p.pocParams!.validationSampleSize = 300;
      },
    });
    console.log(`  proposal #${proposalId} submitted in block ${height} (deposit 25 000 000 ngonka = min deposit)`);
    const voted = await chain.vote(operator, { proposalId, option: "yes" });
    const tally = await chain.getTally(proposalId);
    console.log(`  voted yes in block ${voted.height}; tally: yes ${tally.yes}, no ${tally.no}, abstain ${tally.abstain}, veto ${tally.noWithVeto}`);

    step(13, "Tally at the end of the voting period");
    let p = await chain.getProposal(proposalId);
    while (p.status === ProposalStatus.VOTING_PERIOD) {
      await sleep(300);
      p = await chain.getProposal(proposalId);
    }
    const after = await chain.getInferenceParams();
    console.log(`  #${proposalId} ${ProposalStatus[p.status]} (yes ${p.finalTallyResult?.yesCount}); validation_sample_size is now ${after.pocParams?.validationSampleSize}`);

    console.log(`\nDone in ${((Date.now() - t0) / 1000).toFixed(1)} s: on-boarded a host, ran a PoC v2 stage (a cheater caught), earned weight and passed a proposal with it.`);
  } finally {
    chain.close();
    await devnet.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof GonkaError ? `${e.name}: ${e.message}` : e);
  process.exitCode = 1;
});
