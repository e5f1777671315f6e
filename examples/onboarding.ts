/**
 * A host's on-boarding, end to end:
 *   which network → keys → submit-new-participant → grant ML-ops permissions (20 grants + the fee
 *   allowance) to a warm key → register an MLNode with the network node's admin API.
 *
 *   npx tsx examples/onboarding.ts
 *
 * With no configuration it starts the local devnet (`gonka-sdk/devnet`) and funds a fresh key
 * from its faucet. Against your own node set:
 *
 *   GONKA_NODE=http://<your-node>:8000      public entry (chain + public API)
 *   GONKA_ADMIN_URL=http://127.0.0.1:9200   your node's admin API (never expose it)
 *   GONKA_MNEMONIC="…"                       the operator (cold) key; its account must hold funds
 *   GONKA_VALIDATOR_KEY=<base64>             your node's ED25519 consensus pubkey
 *   GONKA_PUBLIC_URL=http://<ip>:8000        the URL other participants reach you at
 *   GONKA_MLNODE_HOST=10.0.0.5 GONKA_MLNODE_PORT=8080
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { createAdminClient } from "gonka-sdk/admin";
import { createChainClient, generateWallet, ML_OPS_MESSAGE_TYPES, walletFromMnemonic, type Wallet } from "gonka-sdk/chain";
import { startDevnet, type Devnet } from "gonka-sdk/devnet";
import { GonkaError } from "gonka-sdk";

async function main(): Promise<void> {
  const env = process.env;
  let devnet: Devnet | undefined;
  if (!env.GONKA_NODE) {
    devnet = await startDevnet();
    console.log(`Started a local devnet: ${devnet.url} (chain-id ${devnet.chainId}); set GONKA_NODE to use a real node.\n`);
  }
  const nodeUrl = env.GONKA_NODE ?? devnet!.url;
  const adminUrl = env.GONKA_ADMIN_URL ?? devnet?.adminUrl ?? "http://127.0.0.1:9200";
  const chain = createChainClient({ url: nodeUrl, ...(env.GONKA_CHAIN_ID ? { chainId: env.GONKA_CHAIN_ID } : {}) });
  try {
    // 0. Which network: the node's release and whether this SDK supports it
    const net = await chain.networkInfo();
    console.log(`0. network     ${net.chainId}, node ${net.appVersion || "?"} → release ${net.release ?? "unknown"} (${net.support})`);
    if (!net.supported) console.log(`   ${net.notes.join("\n   ")}`);

    // 1. Keys: the operator's cold key (it owns the participant) and a warm ML-ops key the node uses.
    let operator: Wallet;
    if (env.GONKA_MNEMONIC) operator = await walletFromMnemonic(env.GONKA_MNEMONIC);
    else ({ wallet: operator } = await generateWallet());
    const { wallet: warm } = await generateWallet();
    console.log(`1. keys        operator ${operator.address}\n                ML-ops   ${warm.address}`);
    if (devnet) {
      devnet.fund(operator.address, 10n ** 12n);
      console.log(`   (devnet faucet: funded the operator with 1000 GNK)`);
    }

    // 2. Register the participant: its public URL and its node's consensus key.
    const validatorKey = env.GONKA_VALIDATOR_KEY ?? Buffer.from(ed25519.getPublicKey(ed25519.utils.randomSecretKey())).toString("base64");
    const publicUrl = env.GONKA_PUBLIC_URL ?? "http://203.0.113.7:8000";
    const reg = await chain.submitNewParticipant(operator, { url: publicUrl, validatorKey });
    const participant = await chain.getParticipant(operator.address);
    console.log(`2. participant registered in block ${reg.height} (tx ${reg.hash.slice(0, 16)}…): url ${participant.inferenceUrl}`);

    // 3. Let the warm key act for the participant (PoC commits, validations, inference messages),
    //    its fees paid by the operator's account through a fee allowance (feeGranter).
    const grant = await chain.grantMlOpsPermissions(operator, { grantee: warm.address });
    const grantees = await chain.getGranteesByMessageType(operator.address, "/inference.inference.MsgStartInference");
    const allowance = await chain.getFeeAllowance(operator.address, warm.address);
    console.log(`3. granted ${grant.grants} of ${ML_OPS_MESSAGE_TYPES.length} ML-ops message types to the warm key in block ${grant.height}; grantees of MsgStartInference: ${grantees.map((g) => g.address).join(", ")}`);
    console.log(`   fee allowance (${grant.feeAllowance}): ${allowance?.basic?.spendLimit.map((c) => `${c.amount} ${c.denom}`).join(", ") ?? "none"}`);

    // 4. Tell the network node about the MLNode that will run PoC and inference.
    const admin = createAdminClient({ baseUrl: adminUrl });
    const mlnodeUrl = devnet ? new URL(devnet.mlnodeUrl) : undefined;
    const node = await admin.nodes.create({
      id: "mlnode-1",
      host: env.GONKA_MLNODE_HOST ?? mlnodeUrl?.hostname ?? "10.0.0.5",
      poc_port: Number(env.GONKA_MLNODE_PORT ?? mlnodeUrl?.port ?? 8080),
      inference_port: 5000,
      max_concurrent: 500,
      models: { "Qwen/Qwen2.5-7B-Instruct": { args: ["--tensor-parallel-size", "1"] } },
      hardware: [{ type: "NVIDIA H100 80GB", count: 1 }],
    });
    const nodes = await admin.nodes.list();
    console.log(`4. MLNode "${node.id}" registered with the admin API; the node lists ${nodes.length} MLNode(s): ${nodes.map((n) => `${n.node.id}@${n.node.host}:${n.node.poc_port}`).join(", ")}`);
    console.log("\nOn-boarding complete.");
  } finally {
    chain.close();
    await devnet?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof GonkaError ? `${e.name}: ${e.message}` : e);
  process.exitCode = 1;
});
