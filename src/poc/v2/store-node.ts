/**
 * `createNodePocV2Storage` — **Node.js only**: {@link PocV2Storage} on the file system, in the
 * network node's layout (`<base>/<stage>/<escaped model>/artifacts.data`, `nodes.json`). `node:fs`
 * is loaded only when called, so browser bundles of `gonka-sdk/poc/v2` stay free of it.
 * @module
 */
import { UnsupportedError, InvalidArgumentError } from "../../errors.js";
import type { PocV2Storage } from "./store.js";

type Fs = typeof import("node:fs/promises");
type Path = typeof import("node:path");

async function loadNode(): Promise<{ fs: Fs; path: Path }> {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.("node:fs/promises") as Fs | undefined;
  const path = proc?.getBuiltinModule?.("node:path") as Path | undefined;
  if (fs && path) return { fs, path };
  try {
    // Non-literal specifiers keep bundlers from pulling node: modules into browser builds.
    const [f, p] = await Promise.all([import(/* @vite-ignore */ ["node", "fs/promises"].join(":")), import(/* @vite-ignore */ ["node", "path"].join(":"))]);
    return { fs: f as Fs, path: p as Path };
  } catch (err) {
    throw new UnsupportedError("createNodePocV2Storage needs Node.js (node:fs is not available here)", {
      cause: err,
      details: "In other runtimes use createMemoryPocV2Storage() or implement PocV2Storage over your own medium.",
    });
  }
}

function checkSegments(p: readonly string[]): void {
  for (const s of p) {
    if (typeof s !== "string" || s === "" || s === "." || s === ".." || /[/\\\0]/.test(s)) {
      throw new InvalidArgumentError("path", `segment ${JSON.stringify(s)} is not a plain file or directory name`);
    }
  }
}

/**
 * Files under `baseDir` (created when missing). Replacing a file writes a temporary file and
 * renames it over the old one.
 *
 * @example
 * ```ts
 * const store = new PocV2ArtifactStore({ storage: await createNodePocV2Storage("/var/lib/gonka/poc") });
 * ```
 */
export async function createNodePocV2Storage(baseDir: string): Promise<PocV2Storage> {
  if (typeof baseDir !== "string" || baseDir === "") throw new InvalidArgumentError("baseDir", "must be a directory path");
  const { fs, path } = await loadNode();
  const root = path.resolve(baseDir);
  await fs.mkdir(root, { recursive: true });
  const full = (p: readonly string[]) => {
    checkSegments(p);
    return path.join(root, ...p);
  };
  return {
    async read(p) {
      try {
        return new Uint8Array(await fs.readFile(full(p)));
      } catch (e) {
        if ((e as { code?: string }).code === "ENOENT") return undefined;
        throw e;
      }
    },
    async append(p, bytes) {
      const f = full(p);
      await fs.mkdir(path.dirname(f), { recursive: true });
      await fs.appendFile(f, bytes);
    },
    async write(p, bytes) {
      const f = full(p);
      await fs.mkdir(path.dirname(f), { recursive: true });
      const tmp = `${f}.tmp-${process.pid}-${Date.now()}`;
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, f);
    },
    async list(dir) {
      try {
        return await fs.readdir(dir.length ? full(dir) : root);
      } catch (e) {
        if ((e as { code?: string }).code === "ENOENT") return [];
        throw e;
      }
    },
    async remove(dir) {
      await fs.rm(full(dir), { recursive: true, force: true });
    },
  };
}
