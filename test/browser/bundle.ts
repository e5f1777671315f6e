/**
 * Bundling SDK entry points for the browser with esbuild, the way an app bundler would
 * (platform "browser", ES2022, one IIFE exposing the module's exports as a global).
 */
import { build } from "esbuild";
import { resolve } from "node:path";

const repo = resolve(__dirname, "../..");
const cache = new Map<string, Promise<string>>();

/** Options of {@link bundleForBrowser}. */
export interface BundleOptions {
  /** The global the exports are assigned to, e.g. `"GonkaInference"` → `window.GonkaInference`. */
  globalName: string;
  /** Minify (default false: readable stack traces). */
  minify?: boolean;
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
  const key = `${entry}|${options.globalName}|${options.minify ? 1 : 0}`;
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
    }).then((r) => {
      const text = r.outputFiles[0]!.text;
      if (/\bfrom\s*["']node:|require\(["']node:/.test(text)) throw new Error(`${entry}: the browser bundle imports a node: module`);
      return text;
    });
    cache.set(key, out);
  }
  return out;
}
