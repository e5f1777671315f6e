/**
 * Transactions signed per second for a gov v1 MsgVote tx: gonka-sdk `signTx` against cosmjs
 * `SigningStargateClient.sign` (offline, same key, same SignDoc) in the same process. Both produce
 * the same TxRaw bytes (checked). cosmjs returns a TxRaw object; ours also encodes it and hashes it. Writes bench/results/sign.json. Run: `npx tsx bench/sign.ts`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { DirectSecp256k1Wallet } from "@cosmjs/proto-signing";
import { SigningStargateClient } from "@cosmjs/stargate";
import { MsgVoteSchema } from "../generated/proto/cosmos/gov/v1/tx_pb.js";
import { VoteOption } from "../generated/proto/cosmos/gov/v1/gov_pb.js";
import { encodeTxRaw, signTx, walletFromPrivateKey } from "../src/chain/index.js";

const KEY = "9e8ba689e9ced5459627b3689c88fd7c9ad4766eaf71abb0e8b57a83c0bcb74c";
const CHAIN_ID = "gonka-mainnet";
const ACCOUNT = 42n;
const DURATION_MS = 1500;
const ROUNDS = 3;

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

async function rate(fn: (seq: bigint) => Promise<unknown>): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < DURATION_MS) {
    await fn(BigInt(n));
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const ours = walletFromPrivateKey(KEY);
  const cw = await DirectSecp256k1Wallet.fromKey(Buffer.from(KEY, "hex"), "gonka");
  const [account] = await cw.getAccounts();
  const client = await SigningStargateClient.offline(cw);

  const voteTyped = create(MsgVoteSchema, { proposalId: 2n, voter: ours.address, option: VoteOption.YES });
  const voteJson = { "@type": "/cosmos.gov.v1.MsgVote", proposalId: "2", voter: ours.address, option: "VOTE_OPTION_YES" };
  const fee = { amount: [], gas: "200000" };

  const oursTyped = (sequence: bigint) => signTx({ wallet: ours, chainId: CHAIN_ID, accountNumber: ACCOUNT, sequence, gasLimit: 200000n, messages: [voteTyped] });
  const oursJson = (sequence: bigint) => signTx({ wallet: ours, chainId: CHAIN_ID, accountNumber: ACCOUNT, sequence, gasLimit: 200000n, messages: [voteJson] });
  const cosmjs = (sequence: bigint) =>
    client.sign(account!.address, [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: 2n, voter: ours.address, option: 1, metadata: "" } }], fee, "", {
      accountNumber: ACCOUNT,
      sequence: Number(sequence),
      chainId: CHAIN_ID,
    });

  // Same bytes: both are deterministic (RFC 6979) over the same SignDoc.
  const a = await oursTyped(7n);
  const c = await cosmjs(7n);
  const b = encodeTxRaw({ bodyBytes: c.bodyBytes, authInfoBytes: c.authInfoBytes, signatures: c.signatures });
  const identical = hex(a.txRaw) === hex(b);
  if (!identical) throw new Error("gonka-sdk and cosmjs produced different TxRaw bytes for the same vote");

  for (const f of [oursTyped, oursJson, cosmjs]) await rate(f); // warm up
  const best = { oursTyped: 0, oursJson: 0, cosmjs: 0 };
  for (let r = 0; r < ROUNDS; r++) {
    best.cosmjs = Math.max(best.cosmjs, await rate(cosmjs));
    best.oursTyped = Math.max(best.oursTyped, await rate(oursTyped));
    best.oursJson = Math.max(best.oursJson, await rate(oursJson));
  }
  const result = {
    benchmark: "MsgVote tx signatures per second (SIGN_MODE_DIRECT, secp256k1, one core)",
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    identicalTxRaw: identical,
    gonkaSdkTypedPerSec: Math.round(best.oursTyped),
    gonkaSdkProto3JsonPerSec: Math.round(best.oursJson),
    cosmjsSigningStargateClientPerSec: Math.round(best.cosmjs),
    ratioTypedVsCosmjs: Number((best.oursTyped / best.cosmjs).toFixed(2)),
    ratioJsonVsCosmjs: Number((best.oursJson / best.cosmjs).toFixed(2)),
    method: `best of ${ROUNDS} rounds of ${DURATION_MS} ms each, after a warm-up round; sequence varies per tx`,
  };
  mkdirSync(join(import.meta.dirname, "results"), { recursive: true });
  writeFileSync(join(import.meta.dirname, "results", "sign.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(result);
}

await main();
