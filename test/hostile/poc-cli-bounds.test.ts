/**
 * `gonka poc` refuses what the CPU cannot do and honours `--timeout` (issue 14, CLI): a
 * network-size model on the CPU is refused at once, a huge batch stops at the deadline.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gonka } from "../devnet/cli-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "gonka-poc-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("gonka poc bounds", () => {
  for (const preset of ["v2", "v1"]) {
    it(`refuses \`poc distances 0 --params ${preset}\` on the CPU at once with a usage error naming the limit`, async () => {
      const t0 = performance.now();
      const r = await gonka(["poc", "distances", "0", "--params", preset]);
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("--params");
      expect(r.stderr).toMatch(/the CPU backend handles at most 50,000,000/);
      expect(r.stderr).toContain("--backend webgpu");
    });
  }

  it("stops validating a 1M-entry batch at --timeout with a TimeoutError", async () => {
    const n = 1_000_000;
    const nonces = Array.from({ length: n }, (_, i) => i);
    const file = join(dir, "huge.json");
    writeFileSync(file, JSON.stringify({ public_key: "02ab", block_hash: "DEVNET", block_height: 1, node_id: 0, nonces, dist: nonces.map(() => 1) }));
    const t0 = performance.now();
    const r = await gonka(["poc", "validate", file, "--timeout", "1500"]);
    const took = performance.now() - t0;
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/validating 1000000 nonces timed out after 1500 ms/);
    // Reading and checking the file takes a moment; the recomputation (minutes) does not run on.
    expect(took).toBeLessThan(15_000);
  }, 60_000);
});
