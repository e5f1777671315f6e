/**
 * PoC v2 throughput of the model-free side, ours against a numpy reference of the same functions
 * (bench/pocv2_reference.py, written from the spec; torch is not installed here) on the same machine
 * in one run: Box–Muller normals per second, Qwen3-235B input tensors (1024 × 4096, legacy RNG, cast to
 * bfloat16) per second, MMR appends per second and MMR proof verifications per second.
 *
 * numpy runs in a long-lived `python3` child that takes one command per measurement; the two sides
 * alternate measurement by measurement (5 rounds) and each keeps its best, so a busy machine penalises
 * both alike. Both build the same 100 000-leaf store and must agree on its root. Writes
 * bench/results/pocv2.json. Run: `npx tsx bench/pocv2.ts` (or `node scripts/bench.mjs pocv2`).
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ArtifactMmr, encodeHex, normals, pocInputs, toBfloat16, verifyMmrProof } from "../src/poc/v2/index.js";

const CFG = {
  blockHash: "3D8A85B017FB5460E8B1FF1398B6EE5480A4818BD3A66E52BFEEB2ACBA04595F",
  publicKey: "021afd731ec7ac7620e211730afe933f318998e59c067e335689b4e8d30ccb5ba7",
  seqLen: 1024,
  dim: 4096,
  normals: 4_194_304,
  appends: 100_000,
  verifies: 20_000,
};
const ROUNDS = 5;

type Metric = "normals" | "inputs" | "appends" | "verifies";

/** The same deterministic 24-byte artifact per leaf as the Python side. */
function vector(i: number): Uint8Array {
  return Uint8Array.from({ length: 24 }, (_, j) => (i * 31 + j * 7) & 0xff);
}

const vecs = Array.from({ length: CFG.appends }, (_, i) => vector(i));
const store = new ArtifactMmr();
for (let i = 0; i < CFG.appends; i++) store.append(3 * i + 1, vecs[i]);
const root = store.root();
const picks = Array.from({ length: CFG.verifies }, (_, i) => (i * 7919) % CFG.appends);
const proofs = picks.map((i) => store.proof(i));
const normalsOut = new Float32Array(CFG.normals);
const inputsOut = new Float32Array(CFG.seqLen * CFG.dim);
let nonce = 0;

const ours: Record<Metric, () => void> = {
  normals: () => normals(12345, CFG.normals, normalsOut),
  inputs: () => {
    pocInputs({ blockHash: CFG.blockHash, publicKey: CFG.publicKey, nonce: nonce++, seqLen: CFG.seqLen, hiddenSize: CFG.dim, out: inputsOut });
    toBfloat16(inputsOut);
  },
  appends: () => {
    const s = new ArtifactMmr();
    for (let i = 0; i < CFG.appends; i++) s.append(3 * i + 1, vecs[i]);
  },
  verifies: () => {
    for (let k = 0; k < picks.length; k++) {
      const i = picks[k];
      if (!verifyMmrProof({ root, count: CFG.appends, leafIndex: i, nonce: 3 * i + 1, vectorBytes: vecs[i], proof: proofs[k] })) throw new Error("verify failed");
    }
  },
};
const work: Record<Metric, number> = { normals: CFG.normals, inputs: 1, appends: CFG.appends, verifies: CFG.verifies };

async function main(): Promise<void> {
  const env = { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  const py = spawn("python3", [join(import.meta.dirname, "pocv2_reference.py"), "--serve"], { env, stdio: ["pipe", "pipe", "inherit"] });
  py.stdin.write(`${JSON.stringify(CFG)}\n`);
  const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const r = await lines.next();
    if (r.done) throw new Error("python3 exited");
    return r.value;
  };
  const hello = JSON.parse(await next()) as { numpy: string; python: string; root: string };
  if (hello.root !== encodeHex(root)) throw new Error(`numpy reference built another MMR root: ${hello.root} vs ${encodeHex(root)}`);
  for (const m of Object.keys(ours) as Metric[]) ours[m](); // warm up
  const inf = (): Record<Metric, number> => ({ normals: Infinity, inputs: Infinity, appends: Infinity, verifies: Infinity });
  const best = { ours: inf(), numpy: inf() };
  for (let round = 0; round < ROUNDS; round++) {
    for (const m of Object.keys(ours) as Metric[]) {
      const t0 = performance.now();
      ours[m]();
      best.ours[m] = Math.min(best.ours[m], (performance.now() - t0) / 1000);
      py.stdin.write(`${m}\n`);
      best.numpy[m] = Math.min(best.numpy[m], Number(await next()));
    }
  }
  py.stdin.end();
  const rate = (side: "ours" | "numpy"): { normalsPerSec: number; qwenInputsPerSec: number; mmrAppendsPerSec: number; proofVerificationsPerSec: number } => ({
    normalsPerSec: work.normals / best[side].normals,
    qwenInputsPerSec: work.inputs / best[side].inputs,
    mmrAppendsPerSec: work.appends / best[side].appends,
    proofVerificationsPerSec: work.verifies / best[side].verifies,
  });
  const o = rate("ours");
  const np = rate("numpy");
  const result = {
    bench: "pocv2",
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, node: process.version, numpy: hello.numpy, python: hello.python },
    note:
      `one core each, same machine, same run; ${ROUNDS} alternating rounds, best of each. normals: ${CFG.normals} float32 ` +
      `Box–Muller values (murmur3 included); qwenInputs: one ${CFG.seqLen}×${CFG.dim} legacy-RNG tensor with sha256 seeding ` +
      `and the bfloat16 cast; mmrAppends: a fresh ${CFG.appends}-leaf store (leaf and node SHA-256, numpy side: hashlib); ` +
      `proofVerifications: ${CFG.verifies} proofs against the ${CFG.appends}-leaf root. Reference is numpy (torch absent on this machine).`,
    mmrRoot: encodeHex(root),
    loadAverage: loadavg(),
    ours: o,
    numpy: np,
    ratio: {
      normals: o.normalsPerSec / np.normalsPerSec,
      qwenInputs: o.qwenInputsPerSec / np.qwenInputsPerSec,
      mmrAppends: o.mmrAppendsPerSec / np.mmrAppendsPerSec,
      proofVerifications: o.proofVerificationsPerSec / np.proofVerificationsPerSec,
    },
  };
  const dir = join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "pocv2.json"), `${JSON.stringify(result, null, 2)}\n`);
  const f = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(1)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(2));
  console.log(`normals/s                ours ${f(o.normalsPerSec)}  numpy ${f(np.normalsPerSec)}  ratio ${result.ratio.normals.toFixed(2)}×`);
  console.log(`Qwen3 inputs/s (bf16)    ours ${f(o.qwenInputsPerSec)}  numpy ${f(np.qwenInputsPerSec)}  ratio ${result.ratio.qwenInputs.toFixed(2)}×`);
  console.log(`MMR appends/s            ours ${f(o.mmrAppendsPerSec)}  numpy ${f(np.mmrAppendsPerSec)}  ratio ${result.ratio.mmrAppends.toFixed(2)}×`);
  console.log(`proof verifications/s    ours ${f(o.proofVerificationsPerSec)}  numpy ${f(np.proofVerificationsPerSec)}  ratio ${result.ratio.proofVerifications.toFixed(2)}×`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
