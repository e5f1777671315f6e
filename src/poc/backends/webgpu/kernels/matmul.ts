/**
 * WGSL template of the linear layer `y = x · wᵀ` (weights stored `[out, k]`), with float32
 * accumulation, vec4 loads and register blocking (each invocation computes `tileRows × tileCols`
 * outputs and needs no barrier — what suits software drivers). Epilogues: store, add a residual,
 * accumulate into `y`, or the FFN gate `silu(x·w1ᵀ) * (x·w3ᵀ)` with a second weight matrix.
 */

/** What the kernel does with the products. */
export type MatmulEpilogue = "store" | "add" | "accumulate" | "gate";

/** Compile-time choices of one matmul kernel. */
export interface MatmulVariant {
  /** Weight element type in storage. */
  weights: "f32" | "f16";
  epilogue: MatmulEpilogue;
  /** Rows of `x` per invocation. */
  tileRows: number;
  /** Output columns per invocation. */
  tileCols: number;
  /** Workgroup size along (columns, rows). */
  workgroup: [number, number];
  /** Elements per load along k: 4 (k divisible by 4) or 1. */
  vec: 4 | 1;
}

/** Uniform block of the matmul kernels: 8 u32 (rows, kv = k/vec, out, ldy, yCol, pad…). */
export const MATMUL_UNIFORM_BYTES = 32;

/**
 * The WGSL statement(s) writing one output: `idx` indexes `y`, `c` is the product (and `g` the
 * second one of the gate). Shared by every matmul kernel so that they agree to the last bit.
 */
export function epilogueLines(epilogue: MatmulEpilogue, idx: string, c: string, g: string, indent: string): string[] {
  switch (epilogue) {
    case "store": return [`${indent}y[${idx}] = ${c};`];
    case "add": return [`${indent}y[${idx}] = a[${idx}] + ${c};`];
    case "accumulate": return [`${indent}y[${idx}] = y[${idx}] + ${c};`];
    case "gate": return [`${indent}y[${idx}] = ${c} / (1.0 + exp(-${c})) * ${g};`];
  }
}

/**
 * The uniform block and bindings every matmul kernel declares (register, tiled, subgroup-matrix),
 * so that the plan can swap kernels: `xt`/`wt` are the WGSL element types of `x` and `w`.
 */
export function matmulBindings(xt: string, wt: string, epilogue: MatmulEpilogue): string[] {
  const out = [
    "struct P { rows: u32, kv: u32, outN: u32, ldy: u32, yCol: u32, p0: u32, p1: u32, p2: u32 }",
    "@group(0) @binding(0) var<uniform> p: P;",
    `@group(0) @binding(1) var<storage, read> x: array<${xt}>;`,
    `@group(0) @binding(2) var<storage, read> w: array<${wt}>;`,
    "@group(0) @binding(3) var<storage, read_write> y: array<f32>;",
  ];
  if (epilogue === "add") out.push("@group(0) @binding(4) var<storage, read> a: array<f32>;");
  if (epilogue === "gate") out.push(`@group(0) @binding(4) var<storage, read> w3: array<${wt}>;`);
  return out;
}

/**
 * Binding layout: 0 uniform, 1 x, 2 w, 3 y, 4 (add: residual `a` `[rows, ldy]`; gate: w3).
 * `y[r * ldy + yCol + o]` receives output column `o` of row `r`.
 */
export function matmulWgsl(v: MatmulVariant): string {
  const { tileRows: TR, tileCols: TC, vec } = v;
  const f16 = v.weights === "f16";
  const xt = vec === 4 ? "vec4<f32>" : "f32";
  const wt = vec === 4 ? `vec4<${v.weights}>` : v.weights;
  const cvt = (e: string): string => (f16 ? `${xt}(${e})` : e);
  const mul = (a: string, b: string): string => (vec === 4 ? `dot(${a}, ${b})` : `${a} * ${b}`);
  const gate = v.epilogue === "gate";
  const lines: string[] = [];
  if (f16) lines.push("enable f16;");
  lines.push(...matmulBindings(xt, wt, v.epilogue));
  lines.push(
    `@compute @workgroup_size(${v.workgroup[0]}, ${v.workgroup[1]})`,
    "fn main(@builtin(global_invocation_id) gid: vec3<u32>) {",
    `  let o0 = gid.x * ${TC}u;`,
    `  let r0 = gid.y * ${TR}u;`,
    "  if (o0 >= p.outN || r0 >= p.rows) { return; }",
    "  let lastR = p.rows - 1u;",
    "  let lastO = p.outN - 1u;",
  );
  for (let i = 0; i < TR; i++) lines.push(`  let xb${i} = min(r0 + ${i}u, lastR) * p.kv;`);
  for (let j = 0; j < TC; j++) lines.push(`  let wb${j} = min(o0 + ${j}u, lastO) * p.kv;`);
  for (let i = 0; i < TR; i++) for (let j = 0; j < TC; j++) {
    lines.push(`  var c${i}_${j} = 0.0;`);
    if (gate) lines.push(`  var g${i}_${j} = 0.0;`);
  }
  lines.push("  for (var kk = 0u; kk < p.kv; kk++) {");
  for (let i = 0; i < TR; i++) lines.push(`    let xv${i} = x[xb${i} + kk];`);
  for (let j = 0; j < TC; j++) {
    lines.push(`    let wv${j} = ${cvt(`w[wb${j} + kk]`)};`);
    if (gate) lines.push(`    let uv${j} = ${cvt(`w3[wb${j} + kk]`)};`);
  }
  for (let i = 0; i < TR; i++) for (let j = 0; j < TC; j++) {
    lines.push(`    c${i}_${j} += ${mul(`xv${i}`, `wv${j}`)};`);
    if (gate) lines.push(`    g${i}_${j} += ${mul(`xv${i}`, `uv${j}`)};`);
  }
  lines.push("  }");
  for (let i = 0; i < TR; i++) {
    lines.push(`  if (r0 + ${i}u < p.rows) {`);
    lines.push(`    let yb${i} = (r0 + ${i}u) * p.ldy + p.yCol + o0;`);
    for (let j = 0; j < TC; j++) {
      lines.push(`    if (o0 + ${j}u < p.outN) {`);
      lines.push(...epilogueLines(v.epilogue, `yb${i} + ${j}u`, `c${i}_${j}`, `g${i}_${j}`, "      "));
      lines.push("    }");
    }
    lines.push("  }");
  }
  lines.push("}");
  return lines.join("\n");
}
