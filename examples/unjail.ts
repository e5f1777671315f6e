/**
 * Unjail: after downtime the chain jails a participant's validator; the operator key sends
 * `MsgUnjail` (valoper derived from the key) to return it to the active set.
 *
 *   npx tsx examples/unjail.ts
 *
 * With no configuration it starts the devnet, registers a participant and jails its validator
 * the way downtime slashing would (devnet state edit), then unjails it — and shows the typed error
 * the chain returns when the validator is not jailed. Against a real node:
 *
 *   GONKA_NODE=http://node2.gonka.ai:8000 GONKA_MNEMONIC="…"   (the operator / cold key)
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { ChainTxError, createChainClient, generateWallet, walletFromMnemonic } from "gonka-sdk/chain";
import { startDevnet, type Devnet } from "gonka-sdk/devnet";
import { GonkaError } from "gonka-sdk";

async function main(): Promise<void> {
  const env = process.env;
  let devnet: Devnet | undefined;
  if (!env.GONKA_NODE) {
    devnet = await startDevnet();
    console.log(`Started a local devnet ${devnet.url}; set GONKA_NODE and GONKA_MNEMONIC to unjail on a real network.\n`);
  }
  const chain = createChainClient({ url: env.GONKA_NODE ?? devnet!.url });
  try {
    const operator = env.GONKA_MNEMONIC ? await walletFromMnemonic(env.GONKA_MNEMONIC) : (await generateWallet()).wallet;
    console.log(`operator ${operator.address}\nvalidator ${operator.valoper}`);
    if (devnet) {
      devnet.fund(operator.address, 10n ** 12n);
      const validatorKey = Buffer.from(ed25519.getPublicKey(ed25519.utils.randomSecretKey())).toString("base64");
      await chain.submitNewParticipant(operator, { url: "http://203.0.113.9:8000", validatorKey });
      devnet.chainState!.jailed.add(operator.valoper); // what downtime slashing does on a real chain
      console.log(`devnet: participant registered; validator jailed = ${devnet.chainState!.jailed.has(operator.valoper)}`);
    }

    const r = await chain.unjail(operator);
    console.log(`MsgUnjail included in block ${r.height} (tx ${r.hash})`);
    if (devnet) console.log(`devnet: validator jailed = ${devnet.chainState!.jailed.has(operator.valoper)}`);

    try {
      await chain.unjail(operator);
    } catch (e) {
      if (!(e instanceof GonkaError)) throw e;
      // a ChainTxError (code, codespace, log) when the tx fails in a block; a NodeRequestError when the node refuses it in simulation
      const where = e instanceof ChainTxError ? `${e.codespace} code ${e.code}` : e.name;
      console.log(`a second unjail is refused by the chain (${where}): ${e.shortMessage}`);
    }
  } finally {
    chain.close();
    await devnet?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof GonkaError ? `${e.name}: ${e.message}` : e);
  process.exitCode = 1;
});
