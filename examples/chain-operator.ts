/**
 * The operator flows of a Gonka participant at chain v0.2.13, end to end: check which network the
 * node is on, register the participant, grant the ML-ops (warm) key its 20 permissions plus the
 * fee allowance, let the warm key act for the participant through authz with its fee paid by the
 * account (cold) key (unordered, like the API node), choose how to take part in PoC per model,
 * propose a change of the inference params (every field the chain returned carried along), vote,
 * and read the tally.
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
import { createChainClient, walletFromMnemonic, ChainMsgError, ChainTxError } from "gonka-sdk/chain";
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
    const net = await chain.networkInfo();
    console.log(`chain ${net.chainId}, node ${net.appVersion || "?"} → release ${net.release ?? "unknown"} (${net.support}); min gas price ${await chain.getMinGasPrice()} ngonka`);
    console.log(`balance ${await chain.getBalance(cold.address)} ngonka`);
    const epoch = await chain.getEpochInfo();
    console.log(`height ${epoch.blockHeight}, epoch ${epoch.latestEpoch?.index}, PoC sample size ${epoch.params?.pocParams?.validationSampleSize}`);
    if (!node && !values.send) {
      console.log("read-only run against a real node; pass --send to sign and broadcast");
      return;
    }

    const joined = await chain.submitNewParticipant(cold, { url: "http://203.0.113.7:8000", validatorKey: "dLSUAosbTOmIzxlx9oNndZGBZr9YuMvewSwb4pH4pYw=" });
    console.log(`participant registered in block ${joined.height} (${joined.hash})`);

    const granted = await chain.grantMlOpsPermissions(cold, { grantee: warm.address });
    console.log(`${granted.grants} ML-ops grants + fee allowance (${granted.feeAllowance}) in block ${granted.height}, gas used ${granted.gasUsed}`);
    const allowance = await chain.getFeeAllowance(cold.address, warm.address);
    console.log(`fee allowance cold → warm: ${allowance?.basic?.spendLimit.map((c) => `${c.amount}${c.denom}`).join(", ") || "unlimited"}`);

    // the warm key answers a DKG complaint for the participant (MsgExec), the cold account pays the fee
    const answered = await chain.respondDealerComplaints(warm, {
      granter: cold.address,
      feeGranter: cold.address,
      unordered: true,
      epochId: 1n,
      dealerIndex: 0,
      responses: [{ complainerIndex: 1, responseShareBytes: new Uint8Array(32), responseOpeningMaterial: new Uint8Array(32) }],
    });
    console.log(`warm key's MsgExec (unordered, fee granter = cold) in block ${answered.height}`);

    // per-model PoC participation (§7.4): delegate one model to another participant if there is one, refuse another
    const [, second, third] = epoch.params?.pocParams?.models.map((m) => m.modelId) ?? [];
    const peer = (await chain.getParticipants()).participants.find((p) => p.address !== cold.address);
    if (second && peer) await chain.setPoCDelegation(cold, { modelId: second, delegateTo: peer.address });
    if (third) await chain.refusePoCDelegation(cold, { modelId: third });
    const mine = await chain.getPoCDelegation(cold.address);
    console.log(`PoC choices: delegated [${mine.delegations.map((d) => d.modelId).join(", ")}], refused [${mine.refusals.map((r) => r.modelId).join(", ")}]`);

    const { proposalId, paramsVia, unknownFieldCount } = await chain.proposeInferenceParams(cold, {
      title: "Raise PoC validation sample size",
      summary: "validation_sample_size 200 → 300",
      initialDeposit: [{ denom: "ngonka", amount: 25_000_000n }],
      edit: (p) => {
        p.pocParams!.validationSampleSize = 300;
      },
    });
    console.log(`proposal ${proposalId} submitted (params fetched via ${paramsVia}; ${unknownFieldCount} field(s) this SDK does not know carried along)`);
    await chain.vote(cold, { proposalId, option: "yes" });
    const tally = await chain.getTally(proposalId);
    console.log(`tally: yes ${tally.yes}, no ${tally.no}, abstain ${tally.abstain}, veto ${tally.noWithVeto}`);
  } catch (e) {
    if (e instanceof ChainMsgError) console.error(`included in block ${e.height} (${e.txHash}) but the message failed: ${e.errorMessage}`);
    else if (e instanceof ChainTxError) console.error(`chain rejected the tx: ${e.codespace}/${e.code}: ${e.log}`);
    else if (e instanceof GonkaError) console.error(e.message);
    else throw e;
    process.exitCode = 1;
  } finally {
    chain.close();
    await node?.stop();
  }
}

await main();
