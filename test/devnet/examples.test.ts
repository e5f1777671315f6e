/**
 * Runs every example with tsx, each starting its own devnet, and checks it finishes and prints
 * what it promises. Long (~40 s on 2 cores): GONKA_LONG=1.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const repo = resolve(__dirname, "../..");
const tsx = resolve(repo, "node_modules/.bin/tsx");

function runExample(name: string): { code: number | null; out: string } {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("GONKA_") && k !== "GONKA_LONG") delete env[k];
  const r = spawnSync(tsx, [`examples/${name}.ts`], { cwd: repo, env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

const cases: [string, RegExp[]][] = [
  ["demo", [/1\. Keys/, /host-c .*fraud detected/, /host-c .*REJECTED, weight 0/, /our-host .*ACCEPTED, weight \d+/, /PASSED \(yes \d+\); validation_sample_size is now 300/, /Done in/]],
  ["onboarding", [/participant registered in block \d+/, /granted 20 of 20 ML-ops message types/, /fee allowance \(granted\): 10000000000 ngonka/, /On-boarding complete/]],
  ["poc-simulate", [/MLNode validation of the honest batch: n_invalid 0\//, /forged batch: .*fraud_detected true/, /Local validation .*n_invalid 0/]],
  ["governance", [/DEPOSIT_PERIOD/, /VOTING_PERIOD/, /PASSED/, /validation_sample_size is now 300/]],
  ["unjail", [/validator jailed = true/, /MsgUnjail included in block \d+/, /validator jailed = false/, /refused by the chain/]],
  ["inference-openai", [/attempt 1 → http:\/\/127\.0\.0\.1:\d+: 200/, /usage: \{"prompt_tokens"/]],
  ["inference-validation", [/honest {2}executor → VALIDATED/, /cheater executor → INVALIDATED/, /cheater: INVALID \(consecutive_failures\), reputation 100 → 0/]],
  ["admin-client", [/using a local devnet's/, /0 MLNode\(s\)/]],
  ["dapi-client", [/using a local devnet/, /1 active participants/]],
  ["mlnode-client", [/using a local devnet's/, /mode: STOPPED/]],
];

describe.skipIf(!process.env.GONKA_LONG)("examples run against the devnet they start", () => {
  it.each(cases)("examples/%s.ts", (name, patterns) => {
    const { code, out } = runExample(name);
    expect(code, out).toBe(0);
    for (const p of patterns) expect(out).toMatch(p);
  }, 150_000);
});
