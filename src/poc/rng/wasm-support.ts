/**
 * Compiling the SDK's WebAssembly kernels where a page may forbid it. A Content-Security-Policy
 * without `'wasm-unsafe-eval'` makes `WebAssembly.Module`/`compile`/`instantiate` throw
 * (a `CompileError` in Chromium, an `EvalError` elsewhere); some locked-down engines have no
 * `WebAssembly` at all or no SIMD. The kernels then run in plain JavaScript with identical
 * results, and the SDK says so once with a console warning.
 */

/** Why a WebAssembly kernel could not be used. */
export interface WasmUnavailable {
  ok: false;
  /** One line for logs. */
  reason: string;
  /** The error the engine threw, if any. */
  error?: unknown;
}

/** A compiled module. */
export interface WasmCompiled {
  ok: true;
  module: WebAssembly.Module;
}

/**
 * Compiles `bytes` synchronously, or explains why it could not: no `WebAssembly`, a module this
 * engine does not support (`WebAssembly.validate` false, e.g. no SIMD), or compilation refused
 * (a Content-Security-Policy without `'wasm-unsafe-eval'`).
 * @internal
 */
export function compileWasm(bytes: Uint8Array<ArrayBuffer>, what: string): WasmCompiled | WasmUnavailable {
  const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (typeof wasm !== "object" || wasm === null || typeof wasm.Module !== "function") {
    return { ok: false, reason: `${what}: this JavaScript engine has no WebAssembly` };
  }
  let valid = true;
  try {
    valid = wasm.validate(bytes);
  } catch {
    // validate itself refused: judge by compiling
  }
  if (!valid) return { ok: false, reason: `${what}: this JavaScript engine cannot run the module (WebAssembly SIMD missing?)` };
  try {
    return { ok: true, module: new wasm.Module(bytes) };
  } catch (error) {
    return { ok: false, reason: `${what}: WebAssembly compilation refused (${describe(error)}) — a Content-Security-Policy without 'wasm-unsafe-eval'?`, error };
  }
}

/**
 * Instantiates a compiled module, or explains why it could not.
 * @internal
 */
export function instantiateWasm(c: WasmCompiled, imports: WebAssembly.Imports, what: string): WebAssembly.Exports | WasmUnavailable {
  try {
    return new WebAssembly.Instance(c.module, imports).exports;
  } catch (error) {
    return { ok: false, reason: `${what}: WebAssembly instantiation refused (${describe(error)})`, error };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Whether a value is a {@link WasmUnavailable}. @internal */
export function isWasmUnavailable(v: unknown): v is WasmUnavailable {
  return typeof v === "object" && v !== null && (v as { ok?: unknown }).ok === false && typeof (v as { reason?: unknown }).reason === "string";
}

let warned = false;

/**
 * Warns once per JavaScript realm that the PoC kernels run in plain JavaScript (same results,
 * slower), with the first reason seen.
 * @internal
 */
export function warnJavaScriptFallback(u: WasmUnavailable): void {
  if (warned) return;
  warned = true;
  console.warn(
    `gonka-sdk/poc: WebAssembly is unavailable [${u.reason}]; the PoC random numbers and CPU kernels run in plain ` +
      "JavaScript instead (identical results, slower). Allow 'wasm-unsafe-eval' in the page's script-src to use WebAssembly.",
  );
}
