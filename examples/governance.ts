/**
 * Governance: a proposal that changes the inference module's params, a deposit that brings it to
 * the voting period, votes weighted by PoC voting power, the tally, and the outcome. The current
 * params are fetched in binary form (CometBFT abci_query), so the proposal carries every field the
 * chain returned — also ones this SDK version does not know — instead of erasing them.
 *
 *   npx tsx examples/governance.ts
 *
 * With no configuration it starts the devnet with two participants (voting power 60 and 30; the
 * devnet's own participant has 10 and abstains by not voting) and a 4-second voting period.
 * Against a real node it only votes and prints the tally:
 *
 *   GONKA_NODE=http://node2.gonka.ai:8000 GONKA_MNEMONIC="…" GONKA_PROPOSAL_ID=7 GONKA_VOTE=yes
 */
import { toJson } from "@bufbuild/protobuf";
import { createChainClient, generateWallet, parseVoteOption, walletFromMnemonic, type ChainClient } from "gonka-sdk/chain";
import { startDevnet, type Devnet } from "gonka-sdk/devnet";
import { GonkaError } from "gonka-sdk";
import { ProposalStatus, TallyResultSchema } from "gonka-sdk/proto/cosmos/gov/v1/gov_pb";

const statusName = (s: ProposalStatus) => ProposalStatus[s];

async function printTally(chain: ChainClient, id: bigint): Promise<void> {
  const t = await chain.getTally(id);
  console.log(`   tally of #${id}: ${JSON.stringify(toJson(TallyResultSchema, t.raw))}`);
}

async function realNetwork(): Promise<void> {
  const env = process.env;
  if (!env.GONKA_MNEMONIC || !env.GONKA_PROPOSAL_ID) throw new Error("set GONKA_MNEMONIC and GONKA_PROPOSAL_ID (and GONKA_VOTE) to vote on a real network");
  const chain = createChainClient({ url: env.GONKA_NODE! });
  try {
    const wallet = await walletFromMnemonic(env.GONKA_MNEMONIC);
    const id = BigInt(env.GONKA_PROPOSAL_ID);
    const p = await chain.getProposal(id);
    console.log(`#${id} ${p.title} — ${statusName(p.status)}`);
    const r = await chain.vote(wallet, { proposalId: id, option: parseVoteOption(env.GONKA_VOTE ?? "abstain") });
    console.log(`voted ${env.GONKA_VOTE ?? "abstain"} in block ${r.height}`);
    await printTally(chain, id);
  } finally {
    chain.close();
  }
}

async function devnetWalkthrough(): Promise<void> {
  const { wallet: alice } = await generateWallet();
  const { wallet: bob } = await generateWallet();
  const devnet: Devnet = await startDevnet({
    votingPeriodMs: 4000,
    accounts: [
      { address: alice.address, ngonka: 10n ** 12n, power: 60n },
      { address: bob.address, ngonka: 10n ** 12n, power: 30n },
    ],
  });
  const chain = createChainClient({ url: devnet.url });
  try {
    console.log(`Started a local devnet ${devnet.url}: alice (power 60) ${alice.address}, bob (power 30) ${bob.address}\n`);
    const before = await chain.getInferenceParams();
    const gov = await chain.getGovParams();
    console.log(`1. current validation_sample_size = ${before.pocParams?.validationSampleSize}; min deposit ${gov.minDeposit.map((c) => `${c.amount}${c.denom}`).join(", ")}, quorum ${gov.quorum}, threshold ${gov.threshold}`);

    const { proposalId, height, paramsVia, unknownFieldCount } = await chain.proposeInferenceParams(alice, {
      title: "PoC validation sample 300",
      summary: "Validate 300 nonces per participant instead of 200.",
      initialDeposit: [{ denom: "ngonka", amount: 10_000_000n }],
      edit: (p) => {
        p.pocParams!.validationSampleSize = 300;
      },
    });
    console.log(`2. alice proposed #${proposalId} in block ${height} with a 10 000 000 ngonka deposit → ${statusName((await chain.getProposal(proposalId)).status)}`);
    console.log(`   (current params fetched via ${paramsVia}: all ${unknownFieldCount ? `fields, ${unknownFieldCount} of them unknown to this SDK,` : "fields"} go into the proposal unchanged)`);

    await chain.deposit(bob, { proposalId, amount: [{ denom: "ngonka", amount: 15_000_000n }] });
    console.log(`3. bob deposited 15 000 000 ngonka → ${statusName((await chain.getProposal(proposalId)).status)}`);

    await chain.vote(alice, { proposalId, option: "yes" });
    await chain.vote(bob, { proposalId, option: "no" });
    console.log("4. alice voted yes, bob voted no");
    await printTally(chain, proposalId);

    process.stdout.write("5. waiting for the end of the voting period");
    let status = (await chain.getProposal(proposalId)).status;
    while (status === ProposalStatus.VOTING_PERIOD) {
      await new Promise((r) => setTimeout(r, 500));
      process.stdout.write(".");
      status = (await chain.getProposal(proposalId)).status;
    }
    const final = await chain.getProposal(proposalId);
    console.log(`\n   #${proposalId} ${statusName(final.status)}; final tally ${JSON.stringify(toJson(TallyResultSchema, final.finalTallyResult!))}`);
    const after = await chain.getInferenceParams();
    console.log(`6. validation_sample_size is now ${after.pocParams?.validationSampleSize}`);
  } finally {
    chain.close();
    await devnet.stop();
  }
}

(process.env.GONKA_NODE ? realNetwork() : devnetWalkthrough()).catch((e: unknown) => {
  console.error(e instanceof GonkaError ? `${e.name}: ${e.message}` : e);
  process.exitCode = 1;
});
