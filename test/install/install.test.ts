/**
 * Installs gonka-sdk like a user: builds and packs the committed tree (`git archive HEAD` into a
 * scratch directory, so a concurrent build of the working tree is not disturbed), installs the tarball (preferring the npm cache) into a fresh project, imports
 * every subpath from ESM and CJS, runs `gonka --help`, and bundles the browser-safe modules with
 * esbuild for the browser (no Node built-ins allowed). Long (~1 min): runs with GONKA_LONG=1.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = resolve(__dirname, "../..");
const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { name: string; version: string; exports: Record<string, unknown> };
/** Browser-safe entries ("" = the root entry with createGonkaClient). */
const BROWSER_MODULES = ["chain", "inference", "admin", "mlnode", "dapi", "poc", ""];

/** Every importable subpath; the `./proto/*` pattern is exercised with one generated file. */
function subpaths(): string[] {
  return Object.keys(pkg.exports)
    .filter((k) => k !== "./package.json")
    .map((k) => (k === "./proto/*" ? "./proto/cosmos/gov/v1/tx_pb" : k))
    .map((k) => (k === "." ? pkg.name : `${pkg.name}/${k.slice(2)}`));
}

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
}

describe.skipIf(!process.env.GONKA_LONG)("install from the packed tarball", () => {
  let tmp = "";
  let app = "";
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), "gonka-install-"));
    const src = join(tmp, "pkg");
    mkdirSync(src);
    // the committed tree (HEAD), so that concurrent edits or regeneration in the working tree cannot race the build
    execFileSync("sh", ["-c", `git -C "${repo}" archive --format=tar HEAD | tar -x -C "${src}"`]);
    symlinkSync(join(repo, "node_modules"), join(src, "node_modules"), "dir");
    run(process.execPath, [join(repo, "node_modules/tsup/dist/cli-default.js")], src);
    const tarball = run("npm", ["pack", "--silent", "--pack-destination", tmp], src).trim().split("\n").pop()!;
    app = join(tmp, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
    // --prefer-offline: tarballs come from the cache `npm ci` filled; `npm ci` does not cache the
    // registry's package metadata, which a fresh `npm install <tarball>` needs, so that may be fetched.
    run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", join(tmp, tarball)], app);
  }, 240_000);
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("imports every subpath from ESM with named exports", () => {
    const names = subpaths();
    writeFileSync(
      join(app, "esm.mjs"),
      `const out = {};\nfor (const s of ${JSON.stringify(names)}) out[s] = Object.keys(await import(s)).length;\nconsole.log(JSON.stringify(out));\n`,
    );
    const counts = JSON.parse(run(process.execPath, ["esm.mjs"], app)) as Record<string, number>;
    for (const s of names) expect(counts[s], s).toBeGreaterThan(0);
  });

  it("requires every subpath from CommonJS", () => {
    const names = subpaths();
    writeFileSync(
      join(app, "cjs.cjs"),
      `const out = {};\nfor (const s of ${JSON.stringify(names)}) out[s] = Object.keys(require(s)).length;\nconsole.log(JSON.stringify(out));\n`,
    );
    const counts = JSON.parse(run(process.execPath, ["cjs.cjs"], app)) as Record<string, number>;
    for (const s of names) expect(counts[s], s).toBeGreaterThan(0);
  });

  it("ships type declarations for every subpath", () => {
    const root = join(app, "node_modules", pkg.name);
    for (const [key, value] of Object.entries(pkg.exports)) {
      if (typeof value !== "object" || value === null) continue;
      for (const cond of ["import", "require"] as const) {
        const types = (value as Record<string, { types: string }>)[cond]!.types.replace("*", "cosmos/gov/v1/tx_pb");
        expect(existsSync(join(root, types)), `${key} ${cond} ${types}`).toBe(true);
      }
    }
  });

  it("runs the gonka bin", () => {
    const help = run(join(app, "node_modules/.bin/gonka"), ["--help"], app);
    expect(help).toContain("Commands:");
    expect(help).toMatch(/^ {2}devnet /m);
    expect(run(join(app, "node_modules/.bin/gonka"), ["--version"], app).trim()).toBe(pkg.version);
  });

  it.each(BROWSER_MODULES)("bundles gonka-sdk/%s for the browser without Node built-ins", async (mod) => {
    const entry = join(app, `browser-${mod || "root"}.mjs`);
    writeFileSync(entry, `import * as m from "${mod ? `${pkg.name}/${mod}` : pkg.name}";\nglobalThis.__gonka = m;\n`);
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      write: false,
      metafile: true,
      absWorkingDir: app,
      external: ["webgpu"],
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => i.startsWith("node:") || /^(fs|http|net|os|path|child_process|crypto)$/.test(i))).toEqual([]);
    const text = result.outputFiles[0]!.text;
    expect(text).not.toMatch(/require\(["']node:/);
    expect(text.length).toBeGreaterThan(100);
  });
});
