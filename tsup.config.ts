import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "tsup";

/** One entry per public subpath; keep in sync with package.json "exports" (a test checks it). */
export const entries = {
  index: "src/index.ts",
  "chain/index": "src/chain/index.ts",
  "network/index": "src/network/index.ts",
  "admin/index": "src/admin/index.ts",
  "mlnode/index": "src/mlnode/index.ts",
  "mlnode/node/index": "src/mlnode/node/index.ts",
  "dapi/index": "src/dapi/index.ts",
  "inference/index": "src/inference/index.ts",
  "inference/node/index": "src/inference/node/index.ts",
  "poc/index": "src/poc/index.ts",
  "poc/v2/index": "src/poc/v2/index.ts",
  "devnet/index": "src/devnet/index.ts",
  "proto/index": "src/proto/index.ts",
  "cli/main": "src/cli/main.ts",
};

/** Generated `_pb.ts` files under `dir`, relative to `generated/proto`, with `/` separators. */
function pbFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...pbFiles(full, `${prefix}${name}/`));
    else if (name.endsWith("_pb.ts")) out.push(`${prefix}${name}`);
  }
  return out;
}

/**
 * One entry per generated schema file, for the `gonka-sdk/proto/*` subpath:
 * `generated/proto/cosmos/gov/v1/tx_pb.ts` → `dist/proto/cosmos/gov/v1/tx_pb.{js,cjs,d.ts}`.
 */
export const protoEntries: Record<string, string> = Object.fromEntries(
  pbFiles("generated/proto").map((f) => [`proto/${f.replace(/\.ts$/, "")}`, `generated/proto/${f}`]),
);

const allEntries = { ...entries, ...protoEntries };

export default defineConfig({
  entry: allEntries,
  format: ["esm", "cjs"],
  dts: { entry: Object.fromEntries(Object.entries(allEntries).filter(([k]) => k !== "cli/main")) },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  target: "node20",
  external: ["webgpu"],
  shims: false,
});
