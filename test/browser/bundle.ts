/**
 * Bundling SDK entry points for the browser with esbuild, the way an app bundler would
 * (platform "browser", ES2022, one IIFE exposing the module's exports as a global).
 */
import { build, type Metafile } from "esbuild";
import { resolve } from "node:path";

const repo = resolve(import.meta.dirname, "../..");
const cache = new Map<string, Promise<string>>();

/** Options of {@link bundleForBrowser}. */
export interface BundleOptions {
  /** The global the exports are assigned to, e.g. `"GonkaInference"` → `window.GonkaInference`. */
  globalName: string;
  /** Minify (default false: readable stack traces). */
  minify?: boolean;
  /** Load `.json` files as text (default false: parsed by esbuild, big integers rounded). */
  jsonAsText?: boolean;
}

/**
 * Bundles a repository file (e.g. `"src/inference/index.ts"`) for the browser and returns the
 * JavaScript. Results are cached per entry and options.
 *
 * @example
 * ```ts
 * const js = await bundleForBrowser("src/inference/index.ts", { globalName: "GonkaInference" });
 * ```
 */
export function bundleForBrowser(entry: string, options: BundleOptions): Promise<string> {
  const key = `${entry}|${options.globalName}|${options.minify ? 1 : 0}|${options.jsonAsText ? 1 : 0}`;
  let out = cache.get(key);
  if (!out) {
    out = build({
      absWorkingDir: repo,
      entryPoints: [resolve(repo, entry)],
      bundle: true,
      format: "iife",
      globalName: options.globalName,
      platform: "browser",
      target: "es2022",
      minify: options.minify ?? false,
      write: false,
      logLevel: "silent",
      metafile: true,
      ...(options.jsonAsText ? { loader: { ".json": "text" as const } } : {}),
    }).then((r) => {
      const text = r.outputFiles[0]!.text;
      const nodeImports = nodeBuiltinImports(r.metafile);
      if (nodeImports.length) throw new Error(`${entry}: the browser bundle imports Node built-ins (${nodeImports.join(", ")})`);
      return text;
    });
    cache.set(key, out);
  }
  return out;
}

/**
 * The Node built-ins (`node:…`) a bundle still imports (esbuild leaves them external), read
 * from its metafile — strings that merely mention `node:` (e.g. a worker's source text for
 * Node) do not count.
 */
export function nodeBuiltinImports(meta: Metafile | undefined): string[] {
  const out = new Set<string>();
  for (const o of Object.values(meta?.outputs ?? {})) for (const i of o.imports) if (i.path.startsWith("node:") || i.external && /^(fs|path|os|crypto|http|https|net|tls|url|worker_threads|child_process|stream|zlib)$/.test(i.path)) out.add(i.path);
  return [...out];
}
