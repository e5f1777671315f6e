/**
 * Bundle size of an app that only signs a governance vote: gonka-sdk (`gonka-sdk/chain` + the
 * generated MsgVote schema) against cosmjs (`SigningStargateClient.offline(...).sign`). Both are
 * bundled by esbuild for the browser (ESM, minified, tree-shaken) and gzipped at level 9.
 * Writes bench/results/bundle.json. Run: `npx tsx bench/bundle.ts`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const repo = resolve(import.meta.dirname, "..");

/** The gonka-sdk app: build a MsgVote, sign the tx offline, print the TxRaw hash. */
const gonkaEntry = `
import { walletFromPrivateKey, signTx } from "${repo}/src/chain/index.ts";
import { MsgVoteSchema } from "${repo}/generated/proto/cosmos/gov/v1/tx_pb.ts";
import { VoteOption } from "${repo}/generated/proto/cosmos/gov/v1/gov_pb.ts";
import { create } from "@bufbuild/protobuf";
const wallet = walletFromPrivateKey(globalThis.KEY);
const msg = create(MsgVoteSchema, { proposalId: 2n, voter: wallet.address, option: VoteOption.YES });
const { hash } = await signTx({ wallet, chainId: "gonka-mainnet", accountNumber: 7n, sequence: 0n, messages: [msg], gasLimit: 200000n });
console.log(hash);
`;

/** The cosmjs app: the same gov v1 vote, signed with SigningStargateClient in offline mode. */
const cosmjsEntry = `
import { DirectSecp256k1Wallet, Registry } from "@cosmjs/proto-signing";
import { SigningStargateClient, defaultRegistryTypes } from "@cosmjs/stargate";
import { MsgVote } from "cosmjs-types/cosmos/gov/v1/tx";
const wallet = await DirectSecp256k1Wallet.fromKey(globalThis.KEY, "gonka");
const [{ address }] = await wallet.getAccounts();
const registry = new Registry([...defaultRegistryTypes, ["/cosmos.gov.v1.MsgVote", MsgVote]]);
const client = await SigningStargateClient.offline(wallet, { registry });
const msg = { typeUrl: "/cosmos.gov.v1.MsgVote", value: MsgVote.fromPartial({ proposalId: 2n, voter: address, option: 1 }) };
const tx = await client.sign(address, [msg], { amount: [], gas: "200000" }, "", { accountNumber: 7, sequence: 0, chainId: "gonka-mainnet" });
console.log(tx.signatures.length);
`;

interface Size {
  minifiedBytes: number;
  gzipBytes: number;
}

async function measure(name: string, source: string, dir: string): Promise<Size> {
  const entry = join(dir, `${name}.mjs`);
  writeFileSync(entry, source);
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    treeShaking: true,
    write: false,
    absWorkingDir: repo,
    nodePaths: [join(repo, "node_modules")],
    logLevel: "error",
    target: "es2022",
  });
  const bytes = out.outputFiles[0]!.contents;
  return { minifiedBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
}

const dir = mkdtempSync(join(tmpdir(), "gonka-bundle-"));
try {
  const result: Record<string, unknown> = {
    what: "minified+gzipped browser bundle of an app that only signs a MsgVote tx (esbuild, ESM, gzip -9)",
    date: new Date().toISOString(),
    node: process.version,
  };
  let gonka: Size | { error: string };
  try {
    gonka = await measure("gonka", gonkaEntry, dir);
  } catch (e) {
    gonka = { error: e instanceof Error ? e.message.split("\n").slice(0, 3).join(" ") : String(e) };
  }
  const cosmjs = await measure("cosmjs", cosmjsEntry, dir);
  result.gonkaSdk = gonka;
  result.cosmjs = { ...cosmjs, packages: "@cosmjs/stargate SigningStargateClient + @cosmjs/proto-signing DirectSecp256k1Wallet 0.39, gov v1 MsgVote from cosmjs-types added to the default registry" };
  if ("gzipBytes" in gonka) result.ratio = Number((gonka.gzipBytes / cosmjs.gzipBytes).toFixed(3));
  mkdirSync(join(repo, "bench/results"), { recursive: true });
  writeFileSync(join(repo, "bench/results/bundle.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
