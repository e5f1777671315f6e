import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createJsRngKernel } from "../../../src/poc/rng/kernel-js.js";
import { BUF, BUF_BYTES, kernel, type KernelExports } from "../../../src/poc/rng/kernel.js";
import { cpuKernelInfo, rngBackendInfo } from "../../../src/poc/index.js";

const root = join(import.meta.dirname, "..", "..", "..");

/** Seeds a kernel's state words from a small LCG (odd increment). */
function seed(k: KernelExports, s: number): void {
  const u = new Uint32Array(k.memory.buffer, 0, 10);
  let x = s >>> 0;
  for (let i = 0; i < 8; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    u[i] = x;
  }
  u[4] |= 1;
  u[8] = 0;
  u[9] = 0;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

describe("the RNG kernel's JavaScript twin", () => {
  const fills: [string, (k: KernelExports, n: number) => void, number][] = [
    ["fill_u64", (k, n) => k.fill_u64(BUF, n), 8],
    ["fill_double", (k, n) => k.fill_double(BUF, n), 8],
    ["fill_normal (ziggurat, wedges and tails)", (k, n) => k.fill_normal(BUF, n, 0, 1, 0), 8],
    ["fill_normal affine", (k, n) => k.fill_normal(BUF, n, 0.25, 3, 1), 8],
    ["fill_normal_f16", (k, n) => k.fill_normal_f16(BUF, n, 0, 1, 0), 2],
    ["fill_normal_h32", (k, n) => k.fill_normal_h32(BUF, n, 0, 1, 0), 4],
    ["fill_interval32 (permutations)", (k, n) => k.fill_interval32(BUF, n, 1_000_003), 4],
    ["fill_interval32 near 2^32", (k, n) => k.fill_interval32(BUF, n, 0xffffffff), 4],
  ];
  for (const [name, fill, bytes] of fills) {
    it(`${name}: bit-identical to the WebAssembly kernel, state included, over 3 seeds × 2 buffers`, () => {
      const w = kernel();
      const j = createJsRngKernel(BUF + BUF_BYTES);
      const n = Math.floor(BUF_BYTES / bytes);
      for (const s of [1, 2, 3]) {
        seed(w, s);
        seed(j, s);
        for (let rep = 0; rep < 2; rep++) {
          fill(w, n);
          fill(j, n);
          expect(hex(new Uint8Array(j.memory.buffer, BUF, n * bytes)) === hex(new Uint8Array(w.memory.buffer, BUF, n * bytes))).toBe(true);
          expect(hex(new Uint8Array(j.memory.buffer, 0, 40))).toBe(hex(new Uint8Array(w.memory.buffer, 0, 40)));
        }
      }
    });
  }

  it("next_u64 and exp_approx match the WebAssembly kernel", () => {
    const w = kernel();
    const j = createJsRngKernel(BUF + BUF_BYTES);
    seed(w, 9);
    seed(j, 9);
    for (let i = 0; i < 1000; i++) expect(j.next_u64()).toBe(w.next_u64());
    for (let i = 0; i <= 1000; i++) expect(j.exp_approx(-7 * (i / 1000))).toBe(w.exp_approx(-7 * (i / 1000)));
  });

  it("this realm runs the WebAssembly kernels", () => {
    expect(rngBackendInfo()).toEqual({ backend: "wasm" });
    expect(cpuKernelInfo()).toEqual({ kernels: "wasm-simd" });
  });
});

/**
 * Prints, as JSON, RNG outputs and CPU-backend logits/distances (hex of the raw bytes) for the
 * tiny and gqa-scaled-rope vectors, plus which kernels ran. With CSP=1 it first makes WebAssembly
 * compilation throw the CompileError Chromium throws under a CSP without 'wasm-unsafe-eval'.
 */
const CHILD = String.raw`
if (process.env.CSP === "1") {
  const refuse = () => {
    throw new WebAssembly.CompileError("WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: \"script-src 'self'\"");
  };
  WebAssembly.Module = function Module() { refuse(); };
  WebAssembly.compile = async () => refuse();
  WebAssembly.instantiate = async () => refuse();
}
const warnings = [];
console.warn = (...a) => warnings.push(a.join(" "));
const { readFileSync } = await import("node:fs");
const poc = await import(process.env.POC_SRC);
const fixture = JSON.parse(readFileSync(process.env.POC_FIXTURE, "utf8"));
const hex = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");
const out = { cases: {} };
const t = fixture.cases[0];
out.inputs = hex(poc.pocInputs(t.blockHash, t.publicKey, 3n, 64, 256));
out.permutation = hex(poc.pocPermutation(t.blockHash, t.publicKey, 5, 8196));
out.target = hex(poc.pocTarget(t.blockHash, 8196));
out.normals = hex(poc.rngFromSeed("csp-check", 1).standardNormal(200000));
for (const name of ["tiny", "gqa-scaled-rope"]) {
  const c = fixture.cases.find((x) => x.name === name);
  const engine = await poc.createPocEngine({ params: c.params, blockHash: c.blockHash, publicKey: c.publicKey, backend: "cpu" });
  const dist = await engine.distances(c.nonces);
  const logits = await engine.logits(c.nonces.slice(0, 3));
  out.cases[name] = { dist: hex(dist), distValues: Array.from(dist), logits: hex(logits), status: await engine.backend.ready() };
  engine.destroy();
}
out.rng = poc.rngBackendInfo();
out.cpu = poc.cpuKernelInfo();
out.warnings = warnings;
console.log(JSON.stringify(out));
`;

interface ChildOut {
  inputs: string; permutation: string; target: string; normals: string;
  cases: Record<string, { dist: string; distValues: number[]; logits: string; status: { kernels: string; workers: number; reason?: string } }>;
  rng: { backend: string; reason?: string }; cpu: { kernels: string; reason?: string }; warnings: string[];
}

function runChild(csp: boolean): ChildOut {
  const dir = mkdtempSync(join(tmpdir(), "gonka-csp-"));
  try {
    const file = join(dir, "child.mjs");
    writeFileSync(file, CHILD);
    const r = spawnSync(process.execPath, ["--import", "tsx", file], {
      cwd: root, encoding: "utf8", maxBuffer: 1 << 26, timeout: 240_000,
      env: { ...process.env, CSP: csp ? "1" : "0", POC_SRC: join(root, "src", "poc", "index.ts"), POC_FIXTURE: join(root, "test", "fixtures", "poc.json") },
    });
    if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr.slice(-2000)}`);
    return JSON.parse(r.stdout.trim().split("\n").pop()!) as ChildOut;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("under a Content-Security-Policy that refuses WebAssembly (simulated in a child process)", () => {
  it("RNG output, CPU logits and distances are bit-identical to the WebAssembly path, with one warning", async () => {
    const [wasm, js] = [runChild(false), runChild(true)];
    expect(wasm.rng).toEqual({ backend: "wasm" });
    expect(wasm.cpu).toEqual({ kernels: "wasm-simd" });
    expect(wasm.warnings).toEqual([]);
    expect(js.rng.backend).toBe("js");
    expect(js.rng.reason).toMatch(/CompileError.*wasm-unsafe-eval/s);
    expect(js.cpu.kernels).toBe("js");
    expect(js.warnings).toHaveLength(1);
    expect(js.warnings[0]).toMatch(/plain JavaScript .*identical results.*wasm-unsafe-eval/s);
    for (const key of ["inputs", "permutation", "target", "normals"] as const) expect(js[key], key).toBe(wasm[key]);
    const { fixture } = await import("../engine/fixtures.js");
    for (const name of ["tiny", "gqa-scaled-rope"]) {
      expect(js.cases[name].status.kernels).toBe("js");
      expect(wasm.cases[name].status.kernels).toBe("wasm-simd");
      expect(js.cases[name].logits, `${name} logits`).toBe(wasm.cases[name].logits);
      expect(js.cases[name].dist, `${name} distances`).toBe(wasm.cases[name].dist);
      const c = fixture.cases.find((x) => x.name === name)!;
      js.cases[name].distValues.forEach((d, i) => expect(Math.abs(d - c.distances[i])).toBeLessThan(1e-6));
    }
  }, 300_000);
});
