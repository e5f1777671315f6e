/**
 * Keys: derive the Gonka account key from a mnemonic (coin type 1200), show that coin type 118
 * (Keplr/cosmjs default) gives another address, sign a tx offline and hand the wallet to cosmjs.
 *
 *   npx tsx examples/chain-keys.ts            # a fresh random mnemonic
 *   GONKA_MNEMONIC="…" npx tsx examples/chain-keys.ts
 */
import { SigningStargateClient } from "@cosmjs/stargate";
import { generateWallet, walletFromMnemonic, signTx } from "gonka-sdk/chain";

async function main(): Promise<void> {
  const fromEnv = process.env.GONKA_MNEMONIC;
  const { wallet, mnemonic } = fromEnv ? { wallet: await walletFromMnemonic(fromEnv), mnemonic: fromEnv } : await generateWallet();
  if (!fromEnv) console.log("new 24-word mnemonic generated (not printed; set GONKA_MNEMONIC to use your own)");
  const hub = await walletFromMnemonic(mnemonic, { coinType: 118 });
  console.log(`address (m/44'/1200'/0'/0/0): ${wallet.address}`);
  console.log(`valoper:                      ${wallet.valoper}`);
  console.log(`pubkey (base64):              ${wallet.publicKeyBase64}`);
  console.log(`coin type 118 would give:     ${hub.address}  ← not your Gonka account`);

  const signed = await signTx({
    wallet,
    chainId: "gonka-mainnet",
    accountNumber: 42n,
    sequence: 0n,
    gasLimit: 200_000n,
    messages: [{ "@type": "/cosmos.gov.v1.MsgVote", proposalId: "2", voter: wallet.address, option: "VOTE_OPTION_YES" }],
  });
  console.log(`offline-signed vote: ${signed.txRaw.length} bytes, hash ${signed.hash}`);

  // The same wallet works as a cosmjs OfflineDirectSigner.
  const client = await SigningStargateClient.offline(wallet.signer);
  const viaCosmjs = await client.sign(
    wallet.address,
    [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: 2n, voter: wallet.address, option: 1, metadata: "" } }],
    { amount: [], gas: "200000" },
    "",
    { accountNumber: 42n, sequence: 0, chainId: "gonka-mainnet" },
  );
  const same = Buffer.from(viaCosmjs.signatures[0]!).equals(Buffer.from(signed.signature));
  console.log(`cosmjs signature identical: ${same}`);
}

await main();
