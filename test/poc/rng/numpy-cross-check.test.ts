import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { pocInputs, pocPermutation, rngFromSeed } from "../../../src/poc/rng/index.js";
import { sha256Hex } from "./fixtures.js";

function numpyAvailable(): boolean {
  try {
    execFileSync("python3", ["-c", "import numpy"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const PY = `
import hashlib, sys, numpy as np
def rng(seed, k):
    ent = []
    for i in range(k):
        ent += list(np.frombuffer(hashlib.sha256(f"{seed}_{i}".encode()).digest(), dtype="<u4"))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(x) for x in ent])))
h = lambda a: hashlib.sha256(a.tobytes()).hexdigest()
B, P = "ABCDEF0123456789", "02aa"
for nonce in (0, 1, 987654321):
    print(h(rng(f"{B}_{P}_nonce{nonce}", 4).standard_normal((1, 256, 1792)).astype(np.float32).astype(np.float16)))
print(h(rng(f"{B}_{P}_nonce_5_permutations", 1).permutation(8196).astype("<i8")))
print(h(rng(B, 4).normal(0, 0.02, size=5_000_000).astype(np.float32).astype(np.float16)))
print(h(rng("long", 1).standard_normal(20_000_000)))
`;

// Cross-checks V2-size streams against the numpy installed on this machine (GONKA_LONG=1).
describe.skipIf(!process.env.GONKA_LONG || !numpyAvailable())("cross-check against the local numpy at V2 sizes", () => {
  it("matches V2 inputs, an 8196 permutation, a 5M weight pool and 20M normals", () => {
    const [i0, i1, i2, perm, pool, normals] = execFileSync("python3", ["-c", PY], { encoding: "utf8" }).trim().split("\n");
    const B = "ABCDEF0123456789";
    const P = "02aa";
    expect(sha256Hex(pocInputs(B, P, 0, 256, 1792))).toBe(i0);
    expect(sha256Hex(pocInputs(B, P, 1, 256, 1792))).toBe(i1);
    expect(sha256Hex(pocInputs(B, P, 987654321n, 256, 1792))).toBe(i2);
    expect(sha256Hex(BigInt64Array.from(pocPermutation(B, P, 5, 8196), (x) => BigInt(x)))).toBe(perm);
    expect(sha256Hex(rngFromSeed(B, 4).fillNormalFloat16(new Uint16Array(5_000_000), 0, 0.02))).toBe(pool);
    expect(sha256Hex(rngFromSeed("long", 1).standardNormal(20_000_000))).toBe(normals);
  });
});
