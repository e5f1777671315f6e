/**
 * PoC randomness throughput, ours against numpy on the same machine in one run (one core each):
 * standard normals per second, V2-size inputs (256 × 1792 float16, seeding included) per second,
 * and the weight-pool fill (normal(0, 0.02) → float16) per second.
 *
 * numpy runs in a long-lived `python3` child that takes one command per measurement; the two
 * sides alternate measurement by measurement (7 rounds) and each keeps its best, so a busy
 * machine penalises both alike. Writes bench/results/rng.json. Run: `npx tsx bench/rng.ts`.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pocInputs, rngFromSeed } from "../src/poc/rng/index.js";

const SEQ = 256;
const DIM = 1792;
const N = 10_000_000;
const NONCES = 40;
const ROUNDS = 7;
const BLOCK = "A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90";
const PK = "02a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

type Metric = "normals" | "inputs" | "pool";

const NUMPY = `
import hashlib, json, sys, time, numpy as np
def rng(seed, k):
    ent = []
    for i in range(k):
        ent += list(np.frombuffer(hashlib.sha256(f"{seed}_{i}".encode()).digest(), dtype="<u4"))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(x) for x in ent])))
n, nonces = ${N}, ${NONCES}
g = rng("bench", 4)
out = np.empty(n)
state = {"nonce": 0}
def normals(): g.standard_normal(out=out)
def inputs():
    for _ in range(nonces):
        r = rng(f"${BLOCK}_${PK}_nonce{state['nonce']}", 4); state["nonce"] += 1
        r.standard_normal((1, ${SEQ}, ${DIM})).astype(np.float32).astype(np.float16)
def pool(): g.normal(0, 0.02, size=n).astype(np.float32).astype(np.float16)
fns = {"normals": normals, "inputs": inputs, "pool": pool}
for f in fns.values(): f()
print(json.dumps({"numpy": np.__version__}), flush=True)
for line in sys.stdin:
    t0 = time.perf_counter(); fns[line.strip()](); print(time.perf_counter() - t0, flush=True)
`;

const g = rngFromSeed("bench", 4);
const normalsOut = new Float64Array(N);
const poolOut = new Uint16Array(N);
const inputsOut = new Uint16Array(SEQ * DIM);
let nonce = 0;
const ours: Record<Metric, () => void> = {
  normals: () => g.fillStandardNormal(normalsOut),
  inputs: () => {
    for (let i = 0; i < NONCES; i++) pocInputs(BLOCK, PK, nonce++, SEQ, DIM, inputsOut);
  },
  pool: () => g.fillNormalFloat16(poolOut, 0, 0.02),
};
const work: Record<Metric, number> = { normals: N, inputs: NONCES, pool: N };

async function main(): Promise<void> {
  const env = { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  const py = spawn("python3", ["-c", NUMPY], { env, stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const r = await lines.next();
    if (r.done) throw new Error("python3 exited");
    return r.value;
  };
  const { numpy: version } = JSON.parse(await next()) as { numpy: string };
  for (const m of Object.keys(ours) as Metric[]) ours[m](); // warm up
  const best = { ours: { normals: Infinity, inputs: Infinity, pool: Infinity }, numpy: { normals: Infinity, inputs: Infinity, pool: Infinity } };
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
  const rate = (side: "ours" | "numpy"): { normalsPerSec: number; v2InputsPerSec: number; poolFloat16PerSec: number } => ({
    normalsPerSec: work.normals / best[side].normals,
    v2InputsPerSec: work.inputs / best[side].inputs,
    poolFloat16PerSec: work.pool / best[side].pool,
  });
  const o = rate("ours");
  const np = rate("numpy");
  const result = {
    bench: "rng",
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, node: process.version, numpy: version },
    note:
      `one core each, same machine, same run; ${ROUNDS} alternating rounds, best of each; inputs include per-nonce ` +
      "sha256 seeding and float64→float32→float16 rounding; numpy normals drawn with out= (no allocation)",
    loadAverage: loadavg(),
    ours: o,
    numpy: np,
    ratio: {
      normals: o.normalsPerSec / np.normalsPerSec,
      v2Inputs: o.v2InputsPerSec / np.v2InputsPerSec,
      poolFloat16: o.poolFloat16PerSec / np.poolFloat16PerSec,
    },
  };
  const dir = join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "rng.json"), `${JSON.stringify(result, null, 2)}\n`);
  const f = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(1)} M` : x.toFixed(1));
  console.log(`standard normals/s   ours ${f(o.normalsPerSec)}  numpy ${f(np.normalsPerSec)}  ratio ${result.ratio.normals.toFixed(2)}×`);
  console.log(`V2 inputs/s          ours ${f(o.v2InputsPerSec)}  numpy ${f(np.v2InputsPerSec)}  ratio ${result.ratio.v2Inputs.toFixed(2)}×`);
  console.log(`pool float16/s       ours ${f(o.poolFloat16PerSec)}  numpy ${f(np.poolFloat16PerSec)}  ratio ${result.ratio.poolFloat16.toFixed(2)}×`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
