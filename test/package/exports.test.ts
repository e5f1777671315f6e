import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The package's "exports" map must point at files the build really produced, and every subpath must
 * load from the built output both as ESM and as CJS. `npm test` builds first (the `pretest` script).
 */
const root = join(import.meta.dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  exports: Record<string, string | { import: { types: string; default: string }; require: { types: string; default: string } }>;
  bin: Record<string, string>;
  sideEffects: boolean;
  type: string;
};
const require = createRequire(import.meta.url);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Expands `./proto/*` into one concrete subpath per generated `_pb.ts` file. */
function concreteSubpaths(): { subpath: string; files: { esm: string; cjs: string; dts: string; dcts: string } }[] {
  const out: { subpath: string; files: { esm: string; cjs: string; dts: string; dcts: string } }[] = [];
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === "string") continue;
    const expand = (stem: string) => {
      const rel = (p: string) => p.replace("*", stem);
      out.push({
        subpath: subpath.replace("*", stem),
        files: {
          esm: rel(target.import.default),
          cjs: rel(target.require.default),
          dts: rel(target.import.types),
          dcts: rel(target.require.types),
        },
      });
    };
    if (subpath.includes("*")) {
      const genDir = join(root, "generated", "proto");
      const stems = walk(genDir)
        .filter((f) => f.endsWith("_pb.ts"))
        .map((f) => relative(genDir, f).replace(/\.ts$/, ""));
      expect(stems.length, "generated/proto holds _pb.ts files").toBeGreaterThan(10);
      for (const stem of stems) expand(stem);
    } else {
      expand("");
    }
  }
  return out;
}

describe("package.json", () => {
  it("is an ESM package without side effects, with a gonka bin", () => {
    expect(pkg.type).toBe("module");
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.bin.gonka).toBe("./dist/cli/main.js");
  });

  it("exports one subpath per module", () => {
    expect(Object.keys(pkg.exports).sort()).toEqual(
      [
        ".", "./admin", "./chain", "./dapi", "./devnet", "./inference", "./inference/node", "./mlnode", "./mlnode/node", "./network",
        "./package.json", "./poc", "./poc/v2", "./proto", "./proto/*",
      ].sort(),
    );
  });
});

describe("built output matches the exports map", () => {
  const subpaths = concreteSubpaths();

  it("every file named in the exports map exists in dist/", () => {
    const missing = subpaths.flatMap(({ files }) => Object.values(files)).filter((f) => !existsSync(join(root, f)));
    expect(missing, "files named by package.json exports but not built (run `npm run build`)").toEqual([]);
    expect(existsSync(join(root, pkg.bin.gonka))).toBe(true);
  });

  it.each(subpaths.filter((s) => !s.subpath.startsWith("./proto/")).map((s) => [s.subpath, s.files] as const))(
    "%s loads as ESM and as CJS with the same exports",
    async (_subpath, files) => {
      const esm = (await import(pathToFileURL(join(root, files.esm)).href)) as Record<string, unknown>;
      const cjs = require(join(root, files.cjs)) as Record<string, unknown>;
      expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).filter((k) => k !== "default").sort());
    },
  );

  it("proto/* subpaths load and carry schemas", async () => {
    const vote = subpaths.find((s) => s.subpath === "./proto/cosmos/gov/v1/tx_pb");
    expect(vote).toBeDefined();
    const esm = (await import(pathToFileURL(join(root, vote!.files.esm)).href)) as Record<string, unknown>;
    const cjs = require(join(root, vote!.files.cjs)) as Record<string, unknown>;
    expect(esm.MsgVoteSchema).toBeDefined();
    expect((cjs.MsgVoteSchema as { typeName: string }).typeName).toBe("cosmos.gov.v1.MsgVote");
  });
});
