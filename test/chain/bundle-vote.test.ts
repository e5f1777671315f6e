/**
 * The vote-signing browser app (bench/bundle.ts measures its size) must not carry the SDK's full
 * type registry: the descriptors of every generated schema add about 35 kB gzip to a bundle that
 * needs 11 of them. The app is bundled the way an app does it (esbuild, platform "browser",
 * tree-shaken), twice: from src/, and from a fresh ESM build of the package (tsup with the
 * package's own entries and code splitting, resolved through package.json "exports" and its
 * "sideEffects": false, as the packed dist/ is; a top-level side effect in a shared chunk keeps
 * that whole chunk in the app, so the built form is the one that counts).
 *
 * What a bundle carries is read from the bundle itself: every generated file descriptor
 * (`fileDesc("<base64 FileDescriptorProto>")`) names its .proto file. The bundled app is then run
 * and must sign wire.json's "gov vote yes" tx byte for byte, and refuse, with advice, what it
 * cannot read without the registry. A control app that imports the registry shows the checks
 * can fail.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInThisContext } from "node:vm";
import { build } from "esbuild";
import { build as tsup } from "tsup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import wire from "../fixtures/wire.json" with { type: "json" };
import { entries, protoEntries } from "../../tsup.config.js";

const root = join(import.meta.dirname, "..", "..");
const vote = wire.txs.find((x) => x.description === "gov vote yes")!;
const key = wire.keys.find((k) => k.address === vote.signerAddress)!.privateKeyHex;

/** The .proto files a MsgVote tx needs: the message, the tx envelope, the key, and their imports. */
const VOTE_APP_PROTO_FILES = [
  "amino/amino.proto",
  "cosmos/base/v1beta1/coin.proto",
  "cosmos/crypto/multisig/v1beta1/multisig.proto",
  "cosmos/crypto/secp256k1/keys.proto",
  "cosmos/gov/v1/gov.proto",
  "cosmos/gov/v1/tx.proto",
  "cosmos/msg/v1/msg.proto",
  "cosmos/tx/signing/v1beta1/signing.proto",
  "cosmos/tx/v1beta1/tx.proto",
  "cosmos_proto/cosmos.proto",
  "gogoproto/gogo.proto",
];

/** Where the app imports the SDK from. */
interface Source {
  chain: string;
  txPb: string;
  govPb: string;
  proto: string;
}

/** The app: sign the vote in the recommended form, plus the forms that need the registry. */
function voteApp(s: Source, withRegistry = false): string {
  return `
import { walletFromPrivateKey, signTx, txMessage } from ${JSON.stringify(s.chain)};
import { MsgVoteSchema } from ${JSON.stringify(s.txPb)};
import { VoteOption } from ${JSON.stringify(s.govPb)};
import { create } from "@bufbuild/protobuf";
${withRegistry ? `import { registry } from ${JSON.stringify(s.proto)};` : ""}
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const sign = async (key, tx, message, extra = {}) => {
  const wallet = walletFromPrivateKey(key);
  const m = typeof message === "function" ? message(wallet.address) : message;
  const r = await signTx({ wallet, chainId: tx.chainId, accountNumber: tx.accountNumber, sequence: tx.sequence, gasLimit: tx.gasLimit, messages: [m], ...extra });
  return { txRaw: hex(r.txRaw), hash: r.hash };
};
const init = (voter) => ({ proposalId: 2n, voter, option: VoteOption.YES });
globalThis.__voteApp = {
  typed: (key, tx) => sign(key, tx, (voter) => txMessage(MsgVoteSchema, init(voter))),
  bare: (key, tx) => sign(key, tx, (voter) => create(MsgVoteSchema, init(voter))),
  json: (key, tx) => sign(key, tx, { "@type": tx.messages[0].typeUrl, ...tx.messages[0].json }),
  ${withRegistry ? `jsonWithRegistry: (key, tx) => sign(key, tx, { "@type": tx.messages[0].typeUrl, ...tx.messages[0].json }, { registry }),` : ""}
};
`;
}

type Signed = { txRaw: string; hash: string };
type VoteApp = Record<"typed" | "bare" | "json" | "jsonWithRegistry", (key: string, tx: typeof vote) => Promise<Signed>>;

interface Bundle {
  text: string;
  /** The input files that put code into the bundle. */
  inputs: string[];
}

/**
 * Bundles `source` like a browser app (esbuild, browser, tree-shaken; IIFE so that it can run
 * here), resolving from `resolveDir` (outside the repository for the package: there the
 * repository's tsconfig "paths" would map `gonka-sdk/*` back to src/).
 */
async function bundle(source: string, nodePaths: string[], resolveDir = root): Promise<Bundle> {
  const out = await build({
    stdin: { contents: source, resolveDir, sourcefile: "vote-app.mjs", loader: "js" },
    bundle: true,
    platform: "browser",
    format: "iife",
    treeShaking: true,
    write: false,
    metafile: true,
    logLevel: "silent",
    target: "es2022",
    nodePaths,
  });
  const used = Object.values(out.metafile.outputs)[0]!.inputs;
  return { text: out.outputFiles[0]!.text, inputs: Object.keys(used).filter((p) => used[p]!.bytesInOutput > 0) };
}

/** The .proto files whose generated descriptors a bundle carries (the protobuf-es well-known types left out). */
function protoFilesIn(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\bfileDesc\d*\(\s*"([A-Za-z0-9+/_-]+=*)"/g)) {
    const bytes = Buffer.from(m[1]!, "base64");
    // FileDescriptorProto field 1 (name): tag 0x0a, a varint length, the UTF-8 name.
    expect(bytes[0], "a FileDescriptorProto starts with its name").toBe(0x0a);
    let length = 0;
    let i = 1;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[i++]!;
      length |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    names.add(bytes.subarray(i, i + length).toString("utf8"));
  }
  return [...names].filter((n) => !n.startsWith("google/protobuf/")).sort();
}

/** Runs a bundled app here and returns what it put on globalThis. */
function run(text: string): VoteApp {
  const g = globalThis as { __voteApp?: VoteApp };
  delete g.__voteApp;
  runInThisContext(text);
  const app = g.__voteApp!;
  delete g.__voteApp;
  return app;
}

const fromSrc: Source = {
  chain: join(root, "src/chain/index.ts"),
  txPb: join(root, "generated/proto/cosmos/gov/v1/tx_pb.ts"),
  govPb: join(root, "generated/proto/cosmos/gov/v1/gov_pb.ts"),
  proto: join(root, "src/proto/index.ts"),
};
const fromPackage: Source = {
  chain: "gonka-sdk/chain",
  txPb: "gonka-sdk/proto/cosmos/gov/v1/tx_pb",
  govPb: "gonka-sdk/proto/cosmos/gov/v1/gov_pb",
  proto: "gonka-sdk/proto",
};

let work = "";

beforeAll(async () => {
  // A package like the packed one: package.json (exports, "sideEffects": false) + an ESM build
  // with the package's entries and splitting; reached as node_modules/gonka-sdk.
  work = mkdtempSync(join(tmpdir(), "gonka-vote-bundle-"));
  const pkg = join(work, "pkg");
  mkdirSync(pkg);
  copyFileSync(join(root, "package.json"), join(pkg, "package.json"));
  await tsup({
    config: false,
    entry: { ...entries, ...protoEntries },
    format: ["esm"],
    dts: false,
    sourcemap: false,
    splitting: true,
    treeshake: true,
    target: "node20",
    external: ["webgpu"],
    shims: false,
    silent: true,
    outDir: join(pkg, "dist"),
  });
  mkdirSync(join(work, "node_modules"));
  symlinkSync(pkg, join(work, "node_modules", "gonka-sdk"), "dir");
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each([
  ["src/", () => ({ source: fromSrc, nodePaths: [join(root, "node_modules")], resolveDir: root })],
  [
    "the built package (ESM, splitting, exports map)",
    () => ({ source: fromPackage, nodePaths: [join(work, "node_modules"), join(root, "node_modules")], resolveDir: work }),
  ],
])("the vote-signing browser app bundled from %s", (_, where) => {
  let app: Bundle;
  beforeAll(async () => {
    const { source, nodePaths, resolveDir } = where();
    app = await bundle(voteApp(source), nodePaths, resolveDir);
    // The app was built from what was meant (src/ files, or the package's chunks).
    expect(app.inputs.some((p) => (source === fromSrc ? p.endsWith("src/chain/tx.ts") : /\/pkg\/dist\/chunk-/.test(p)))).toBe(true);
  }, 60_000);

  it("carries only the descriptors a MsgVote tx needs, not the registry of every schema", () => {
    expect(protoFilesIn(app.text)).toEqual(VOTE_APP_PROTO_FILES);
    expect(app.text).not.toContain("createFullRegistry");
    expect(app.inputs.filter((p) => p.includes("generated/proto/index.ts"))).toEqual([]);
  });

  it("carries no table of chain releases and no chain action", () => {
    expect(app.text).not.toContain("MESSAGE_TYPE_HISTORY");
    expect(app.text).not.toMatch(/\bguardAction\(/);
  });

  it("signs wire.json's gov vote byte for byte with txMessage(MsgVoteSchema, …)", async () => {
    const signed = await run(app.text).typed(key, vote);
    expect(signed.txRaw).toBe(vote.txRawHex);
    expect(signed.hash).toBe(vote.txHash);
  });

  it("refuses JSON and bare protobuf-es messages with advice, rather than guessing", async () => {
    const lean = run(app.text);
    for (const form of ["json", "bare"] as const) {
      const failed = lean[form](key, vote);
      await expect(failed).rejects.toMatchObject({ name: "InvalidArgumentError", argument: "messages[0]" });
      await expect(failed).rejects.toThrow(/needs the SDK's type registry, which is not loaded in this program/);
    }
  });
});

describe("control: the same app importing the registry from gonka-sdk/proto", () => {
  let app: Bundle;
  beforeAll(async () => {
    app = await bundle(voteApp(fromSrc, true), [join(root, "node_modules")]);
  }, 60_000);

  it("carries every generated descriptor (so the checks above can fail)", () => {
    const files = protoFilesIn(app.text);
    expect(files).toEqual(expect.arrayContaining([...VOTE_APP_PROTO_FILES, "inference/inference/tx.proto", "cosmos/authz/v1beta1/tx.proto"]));
    expect(files.length).toBeGreaterThan(60);
    expect(app.text).toContain("createFullRegistry");
    expect(app.inputs.filter((p) => p.includes("generated/proto/index.ts"))).toHaveLength(1);
  });

  it("signs the JSON vote byte for byte with signTx({ registry }), and then every form works", async () => {
    const full = run(app.text);
    expect((await full.jsonWithRegistry(key, vote)).txRaw).toBe(vote.txRawHex);
    // Loading the registry (it is in this bundle) sets the hook: JSON and bare messages resolve.
    expect((await full.json(key, vote)).txRaw).toBe(vote.txRawHex);
    expect((await full.bare(key, vote)).txRaw).toBe(vote.txRawHex);
  });
});
