/**
 * Bundles the built `dist/` entries the way a browser app does (esbuild, platform "browser",
 * ESM, tree-shaken) while the Node-only `webgpu` package is installed beside us: every
 * browser-safe entry must bundle, pull in no `node:` module, and carry none of the Node-only
 * helpers (`gonka-sdk/inference/node`, `gonka-sdk/mlnode/node`). Then a bundle runs in a bare
 * context (no `process`, no `navigator.gpu`) to check that the WebGPU error gives browser advice.
 * `npm test` builds first (the `pretest` script).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const dist = join(root, "dist");

/** The browser-safe entries: subpath → built ESM file. */
const browserEntries: Record<string, string> = {
  "gonka-sdk": "index.js",
  "gonka-sdk/chain": "chain/index.js",
  "gonka-sdk/network": "network/index.js",
  "gonka-sdk/poc": "poc/index.js",
  "gonka-sdk/poc/v2": "poc/v2/index.js",
  "gonka-sdk/inference": "inference/index.js",
  "gonka-sdk/mlnode": "mlnode/index.js",
  "gonka-sdk/proto": "proto/index.js",
};

/** Functions that exist only in the Node-only subpaths (they start servers). */
const nodeOnlyFunctions = ["createLocalTransferAgent", "startInferenceGateway", "createPocCallbackServer"];

interface Bundle {
  text: string;
  metafile: Metafile;
}

/** Bundles `source` (an ESM module) like a browser app; not minified, so function names stay. */
async function bundle(source: string, options: { platform?: "browser" | "node"; format?: "esm" | "iife" } = {}): Promise<Bundle> {
  const out = await build({
    stdin: { contents: source, resolveDir: root, sourcefile: "app.mjs", loader: "js" },
    bundle: true,
    platform: options.platform ?? "browser",
    format: options.format ?? "esm",
    treeShaking: true,
    write: false,
    metafile: true,
    logLevel: "silent",
    target: "es2022",
  });
  return { text: out.outputFiles[0]!.text, metafile: out.metafile };
}

/** An app that uses every export of one entry (so nothing is tree-shaken away). */
function everything(file: string): string {
  return `import * as sdk from ${JSON.stringify(join(dist, file))};\nglobalThis.sdk = sdk;\n`;
}

beforeAll(() => {
  expect(existsSync(join(dist, "index.js")), "dist/ is built (npm run build)").toBe(true);
  expect(existsSync(join(root, "node_modules", "webgpu", "package.json")), "the webgpu package is installed beside us").toBe(true);
});

describe("browser bundles of the built entries (webgpu installed)", () => {
  for (const [subpath, file] of Object.entries(browserEntries)) {
    it(`${subpath} bundles for the browser with no node: import and no Node-only helper`, async () => {
      const { text, metafile } = await bundle(everything(file));
      const inputs = Object.keys(metafile.inputs);
      expect(inputs.filter((p) => p.includes("node_modules/webgpu/"))).toEqual([]);
      expect(inputs.filter((p) => p.startsWith("node:") || /\bnode:[a-z_]+/.test(p))).toEqual([]);
      // No import of a Node built-in was left external in the output either (text that a worker
      // runs is data, not an import, so the bundler's own record is what counts).
      const outputImports = Object.values(metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
      expect(outputImports.filter((p) => p.startsWith("node:") || p === "webgpu")).toEqual([]);
      for (const name of nodeOnlyFunctions) expect(text, name).not.toMatch(new RegExp(`function ${name}\\b`));
    });
  }

  it("the Node-only subpaths do carry those helpers (the check above can fail)", async () => {
    const { text } = await bundle(
      `export * from ${JSON.stringify(join(dist, "inference/node/index.js"))};\nexport * from ${JSON.stringify(join(dist, "mlnode/node/index.js"))};\n`,
      { platform: "node" },
    );
    for (const name of nodeOnlyFunctions) expect(text, name).toMatch(new RegExp(`function ${name}\\b`));
  });

  it("gonka-sdk/poc keeps the webgpu import out of reach of the bundler, yet loads it in Node", async () => {
    const { text } = await bundle(`import { probeWebGpu } from ${JSON.stringify(join(dist, "poc/index.js"))};\nglobalThis.probe = probeWebGpu;\n`);
    expect(text).not.toMatch(/import\(\s*["']webgpu["']\s*\)/);
    expect(text).toContain('"webgpu"');
  });
});

describe("WebGPU errors by runtime", () => {
  /** Runs `createWebGpuBackend` from a browser bundle of dist/poc in a context with the given globals. */
  async function webGpuErrorIn(globals: Record<string, unknown>): Promise<{ name: string; message: string; details?: string }> {
    const { text } = await bundle(
      `import { createWebGpuBackend } from ${JSON.stringify(join(dist, "poc/index.js"))};
globalThis.result = createWebGpuBackend({}, {}).then(
  () => ({ name: "none", message: "a backend was created" }),
  (e) => ({ name: e.name, message: e.message, details: e.details }),
);`,
      { format: "iife" },
    );
    const context: Record<string, unknown> = {
      TextEncoder, TextDecoder, URL, crypto, console, setTimeout, clearTimeout, queueMicrotask, ...globals,
    };
    context.globalThis = context;
    context.self = context;
    runInNewContext(text, context);
    return (await context.result) as { name: string; message: string; details?: string };
  }

  it("in a browser without navigator.gpu it advises a WebGPU-capable browser, not npm", async () => {
    const error = await webGpuErrorIn({ navigator: { userAgent: "test" } });
    expect(error.name).toBe("WebGpuUnavailableError");
    expect(error.message).toContain("navigator.gpu");
    expect(error.details).toMatch(/browser with WebGPU enabled/);
    expect(`${error.message}\n${error.details}`).not.toMatch(/npm/);
  });

  it("in Node without the webgpu package it keeps the npm advice", async () => {
    // A process that claims to be Node, in a context where `import("webgpu")` cannot resolve.
    const error = await webGpuErrorIn({ process: { versions: { node: "20.0.0" } } });
    expect(error.name).toBe("WebGpuUnavailableError");
    expect(error.message).toContain("`webgpu` package could not be loaded");
    expect(error.details).toContain("npm install webgpu");
  });
});
