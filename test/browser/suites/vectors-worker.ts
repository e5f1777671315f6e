/**
 * The vector suite in a dedicated worker: post `{ sections, pocCases }`, get back
 * `{ results, paths, warnings }` (or `{ error }`); `warnings` are the worker's console.warn
 * texts (a worker's console does not reach the page's).
 */
import { kernelPaths, runVectorSuite, type Section } from "./vectors.js";

const scope = globalThis as unknown as { onmessage: ((e: MessageEvent<{ sections?: Section[]; pocCases?: string[] }>) => void) | null; postMessage(m: unknown): void };
const warnings: string[] = [];
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  warnings.push(args.map(String).join(" "));
  warn(...args);
};
scope.onmessage = (e) => {
  runVectorSuite(e.data.sections, e.data.pocCases)
    .then((results) => scope.postMessage({ results, paths: kernelPaths(), warnings }))
    .catch((err: unknown) => scope.postMessage({ error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }));
};
