/**
 * The operator flows of a Gonka participant, end to end: register the participant, grant the
 * ML-ops (warm) key its 25 permissions, submit a PoC batch through authz as the warm key (unordered,
 * like the API node), propose a change of the inference params, vote, and read the tally.
 *
 * By default it starts the embedded devnet chain node on loopback and funds two test keys, so it
 * runs anywhere:
 *
 *   npx tsx examples/chain-operator.ts
 *
 * Against a real node (only read-only queries unless you pass --send):
 *
 *   GONKA_MNEMONIC="…" npx tsx examples/chain-operator.ts --url http://node2.gonka.ai:8000 [--grpc] [--send]
 */
import { parseArgs } from "node:util";
import { create } from "@bufbuild/protobuf";
import { MsgSubmitPocBatchSchema } from "gonka-sdk/proto/inference/inference/tx_pb";
import { createChainClient, walletFromMnemonic, ChainTxError } from "gonka-sdk/chain";
import { startChainNode, type ChainNode } from "gonka-sdk/devnet";
import { GonkaError } from "gonka-sdk";

const TEST_MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { url: { type: "string" }, grpc: { type: "boolean" }, send: { type: "boolean" } } });
  const mnemonic = process.env.GONKA_MNEMONIC ?? TEST_MNEMONIC;
  const cold = await walletFromMnemonic(mnemonic); // account key, m/44'/1200'/0'/0/0
  const warm = await walletFromMnemonic(mnemonic, { accountIndex: 1 }); // ML-ops key, m/44'/1200'/0'/0/1
  console.log(`account key ${cold.address} (valoper ${cold.valoper})`);
  console.log(`ML-ops key  ${warm.address}`);

  let node: ChainNode | undefined;
  let url = values.url;
  if (!url) {
    node = await startChainNode({
      votingPeriodMs: 1500,
      accounts: [
        { address: cold.address, coins: [{ denom: "ngonka", amount: 10n ** 12n }], power: 100 },
        { address: warm.address, coins: [{ denom: "ngonka", amount: 10n ** 9n }] },
      ],
    });
    url = node.url;
    console.log(`devnet chain node at ${url}`);
  }
  const chain = createChainClient({ url, transport: values.grpc ? "grpc" : "rest", pollIntervalMs: 100 });
  try {
    console.log(`chain ${await chain.getChainId()}, balance ${await chain.getBalance(cold.address)} ngonka`);
    const epoch = await chain.getEpochInfo();
    console.log(`height ${epoch.blockHeight}, epoch ${epoch.latestEpoch?.index}, PoC sample size ${epoch.params?.pocParams?.validationSampleSize}`);
    if (!node && !values.send) {
      console.log("read-only run against a real node; pass --send to sign and broadcast");
      return;
    }

    const joined = await chain.submitNewParticipant(cold, { url: "http://203.0.113.7:8000", validatorKey: "dLSUAosbTOmIzxlx9oNndZGBZr9YuMvewSwb4pH4pYw=" });
    console.log(`participant registered in block ${joined.height} (${joined.hash})`);

    const granted = await chain.grantMlOpsPermissions(cold, { grantee: warm.address });
    console.log(`25 ML-ops grants in block ${granted.height}, gas used ${granted.gasUsed}`);

    const batch = create(MsgSubmitPocBatchSchema, {
      creator: cold.address,
      pocStageStartBlockHeight: epoch.latestEpoch?.pocStartBlockHeight || 1n,
      batchId: crypto.randomUUID(),
      nonces: [0n, 1n, 2n],
      dist: [1.39, 1.2, 1.41],
      nodeId: "node1",
    });
    const exec = await chain.execAs(warm, { messages: [batch], unordered: true });
    console.log(`PoC batch via MsgExec (unordered) in block ${exec.height}`);

    const { proposalId } = await chain.proposeInferenceParams(cold, {
      title: "Raise PoC validation sample size",
      summary: "validation_sample_size 200 → 300",
      initialDeposit: [{ denom: "ngonka", amount: 25_000_000n }],
      edit: (p) => {
        p.pocParams!.validationSampleSize = 300;
      },
    });
    console.log(`proposal ${proposalId} submitted`);
    await chain.vote(cold, { proposalId, option: "yes" });
    const tally = await chain.getTally(proposalId);
    console.log(`tally: yes ${tally.yes}, no ${tally.no}, abstain ${tally.abstain}, veto ${tally.noWithVeto}`);
  } catch (e) {
    if (e instanceof ChainTxError) console.error(`chain rejected the tx: ${e.codespace}/${e.code}: ${e.log}`);
    else if (e instanceof GonkaError) console.error(e.message);
    else throw e;
    process.exitCode = 1;
  } finally {
    chain.close();
    await node?.stop();
  }
}

await main();
