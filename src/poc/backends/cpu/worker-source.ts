/**
 * The CPU backend's worker script, as source text. It is deliberately tiny and self-contained (no
 * imports): it instantiates the kernel module it is sent and runs command lists against it. All
 * the logic — the kernels (generated WebAssembly) and the plan — lives on the calling side, so the
 * worker needs no bundling: Node starts it with `new Worker(source, { eval: true })`, browsers from
 * a `blob:` URL. The same text works from `src/` (vitest, tsx) and from the built ESM and CommonJS
 * files.
 *
 * Protocol (structured-clone messages):
 * - `{ id, init: Uint8Array }` → compile and instantiate (the module has no imports); answers `{ id }`.
 * - `{ id, cmds }` → runs, in order, `["grow", bytes]` (memory to at least `bytes`),
 *   `["write", ptr, typedArray]`, `["call", name, ...args]`, `["read", ptr, floats]`; answers
 *   `{ id, out: Float32Array[] }` (one per read, transferred).
 * - any failure answers `{ id, error: string }`.
 */
export const WORKER_SOURCE = `"use strict";
const node = typeof require === "function" && typeof process === "object" && process.versions && process.versions.node;
// the bare specifier (not "node:…"): browser bundlers scan for node:-prefixed requires, and Node eval workers resolve either
const port = node ? require("worker_threads").parentPort : self;
let ex = null;
function post(m, t) { port.postMessage(m, t || []); }
function handle(msg) {
  const id = msg.id;
  try {
    if (msg.init) {
      ex = new WebAssembly.Instance(new WebAssembly.Module(msg.init), {}).exports;
      post({ id });
      return;
    }
    const out = [];
    for (const c of msg.cmds) {
      const op = c[0];
      if (op === "grow") {
        const need = c[1] - ex.memory.buffer.byteLength;
        if (need > 0) ex.memory.grow(Math.ceil(need / 65536));
      } else if (op === "write") {
        const d = c[2];
        new Uint8Array(ex.memory.buffer, c[1], d.byteLength).set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
      } else if (op === "call") {
        ex[c[1]].apply(null, c.slice(2));
      } else if (op === "read") {
        out.push(new Float32Array(ex.memory.buffer.slice(c[1], c[1] + 4 * c[2])));
      } else {
        throw new Error("unknown command " + op);
      }
    }
    post({ id, out }, out.map((a) => a.buffer));
  } catch (e) {
    post({ id, error: String((e && e.stack) || e) });
  }
}
if (node) port.on("message", handle);
else self.onmessage = (ev) => handle(ev.data);
`;
