import { defineConfig } from "tsup";

/** One entry per public subpath; keep in sync with package.json "exports" (a test checks it). */
export const entries = {
  index: "src/index.ts",
  "chain/index": "src/chain/index.ts",
  "admin/index": "src/admin/index.ts",
  "mlnode/index": "src/mlnode/index.ts",
  "dapi/index": "src/dapi/index.ts",
  "inference/index": "src/inference/index.ts",
  "poc/index": "src/poc/index.ts",
  "devnet/index": "src/devnet/index.ts",
  "proto/index": "src/proto/index.ts",
  "cli/main": "src/cli/main.ts",
};

export default defineConfig({
  entry: entries,
  format: ["esm", "cjs"],
  dts: { entry: Object.fromEntries(Object.entries(entries).filter(([k]) => k !== "cli/main")) },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  target: "node20",
  external: ["webgpu"],
  shims: false,
});
