// Runs every benchmark in bench/*.ts (or the ones named on the command line) with tsx, one after the
// other. Each benchmark writes its JSON result to bench/results/<name>.json.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";

const dir = join(import.meta.dirname, "..", "bench");
const wanted = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith(".ts"))
  .filter((f) => wanted.length === 0 || wanted.includes(basename(f, ".ts")))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n== bench/${file}`);
  const r = spawnSync("npx", ["tsx", join(dir, file)], { stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    console.error(`bench/${file} exited with ${r.status}`);
  }
}
process.exit(failed ? 1 : 0);
