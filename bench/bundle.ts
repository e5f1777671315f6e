/**
 * Bundle size of an app that only signs a governance vote: gonka-sdk (`gonka-sdk/chain` + the
 * generated MsgVote schema from `gonka-sdk/proto/cosmos/gov/v1/*`) against cosmjs
 * (`SigningStargateClient.offline(...).sign`). gonka-sdk is measured the way an app sees it: the
 * package is built (`npm run build`, skipped with `--no-build`), and the app imports it by its
 * package name, resolved through the "exports" map to the built `dist/` files — the files the
 * packed tarball ships. Both apps are bundled by esbuild for the browser (ESM, minified,
 * tree-shaken) and gzipped at level 9. The gonka-sdk app gives its message with its schema
 * (`txMessage`), so it carries no type registry; for comparison, the same app signing the vote as
 * proto3 JSON (which needs `registry` from `gonka-sdk/proto`) is measured too.
 * Writes bench/results/bundle.json. Run: `npx tsx bench/bundle.ts [--no-build]`.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const repo = resolve(import.meta.dirname, "..");

/**
 * The gonka-sdk app: build a MsgVote with its schema (`txMessage`, the recommended form: signing
 * it needs no type registry), sign the tx offline, print the TxRaw hash.
 */
const gonkaEntry = `
import { walletFromPrivateKey, signTx, txMessage } from "gonka-sdk/chain";
import { MsgVoteSchema } from "gonka-sdk/proto/cosmos/gov/v1/tx_pb";
import { VoteOption } from "gonka-sdk/proto/cosmos/gov/v1/gov_pb";
const wallet = walletFromPrivateKey(globalThis.KEY);
const msg = txMessage(MsgVoteSchema, { proposalId: 2n, voter: wallet.address, option: VoteOption.YES });
const { hash } = await signTx({ wallet, chainId: "gonka-mainnet", accountNumber: 7n, sequence: 0n, messages: [msg], gasLimit: 200000n });
console.log(hash);
`;

/** The same app with the vote as proto3 JSON, which needs the full type registry. */
const gonkaJsonEntry = `
import { walletFromPrivateKey, signTx } from "gonka-sdk/chain";
import { registry } from "gonka-sdk/proto";
const wallet = walletFromPrivateKey(globalThis.KEY);
const msg = { "@type": "/cosmos.gov.v1.MsgVote", proposalId: "2", voter: wallet.address, option: "VOTE_OPTION_YES" };
const { hash } = await signTx({ wallet, registry, chainId: "gonka-mainnet", accountNumber: 7n, sequence: 0n, messages: [msg], gasLimit: 200000n });
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

/** Largest inputs of a bundle (bytes they put into the minified output), for finding what to cut. */
type Contributors = Record<string, number>;

async function measure(name: string, source: string, dir: string): Promise<Size & { largest: Contributors }> {
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
    // `gonka-sdk` resolves through dir/node_modules/gonka-sdk (a link to this package); the rest
    // from the repository's node_modules.
    nodePaths: [join(dir, "node_modules"), join(repo, "node_modules")],
    logLevel: "error",
    target: "es2022",
    metafile: true,
  });
  const bytes = out.outputFiles[0]!.contents;
  const inputs = Object.values(out.metafile.outputs)[0]!.inputs;
  const largest = Object.fromEntries(
    Object.entries(inputs)
      .map(([path, v]) => [path.replace(/^.*node_modules\//, ""), v.bytesInOutput] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12),
  );
  return { minifiedBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length, largest };
}

if (!process.argv.includes("--no-build")) {
  execFileSync(process.execPath, [join(repo, "node_modules/tsup/dist/cli-default.js")], { cwd: repo, stdio: "inherit" });
}

const dir = mkdtempSync(join(tmpdir(), "gonka-bundle-"));
mkdirSync(join(dir, "node_modules"));
symlinkSync(repo, join(dir, "node_modules", "gonka-sdk"), "dir");
try {
  const result: Record<string, unknown> = {
    what: "minified+gzipped browser bundle of an app that only signs a MsgVote tx (esbuild, ESM, gzip -9)",
    date: new Date().toISOString(),
    node: process.version,
  };
  let gonka: (Size & { largest: Contributors; source: string; app: string }) | { error: string };
  try {
    gonka = {
      ...(await measure("gonka", gonkaEntry, dir)),
      source: "built dist/ through the package's exports map (what the tarball ships)",
      app: "txMessage(MsgVoteSchema, …) with signTx: no type registry",
    };
  } catch (e) {
    gonka = { error: e instanceof Error ? e.message.split("\n").slice(0, 3).join(" ") : String(e) };
  }
  const cosmjs = await measure("cosmjs", cosmjsEntry, dir);
  result.gonkaSdk = gonka;
  try {
    const json = await measure("gonka-json", gonkaJsonEntry, dir);
    result.gonkaSdkJsonWithRegistry = { minifiedBytes: json.minifiedBytes, gzipBytes: json.gzipBytes, app: "the vote as proto3 JSON, signTx({ registry }) with registry from gonka-sdk/proto" };
  } catch (e) {
    result.gonkaSdkJsonWithRegistry = { error: e instanceof Error ? e.message.split("\n").slice(0, 3).join(" ") : String(e) };
  }
  result.cosmjs = { minifiedBytes: cosmjs.minifiedBytes, gzipBytes: cosmjs.gzipBytes, packages: "@cosmjs/stargate SigningStargateClient + @cosmjs/proto-signing DirectSecp256k1Wallet 0.39, gov v1 MsgVote from cosmjs-types added to the default registry" };
  if ("gzipBytes" in gonka) result.ratio = Number((gonka.gzipBytes / cosmjs.gzipBytes).toFixed(3));
  mkdirSync(join(repo, "bench/results"), { recursive: true });
  writeFileSync(join(repo, "bench/results/bundle.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
