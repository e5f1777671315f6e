/**
 * WGSL template of the linear layer `y = x · wᵀ` on subgroup matrices (cooperative matrices, the
 * tensor cores; Dawn's experimental `chromium_experimental_subgroup_matrix`): float16 operands,
 * float32 accumulation. One workgroup is one subgroup (`subgroupMaxSize` invocations); it stages
 * `BM × BK` of `x` (rounded to float16 on the way) and `BN × BK` of `w` in `var<workgroup>` memory
 * and accumulates a `tileRows × tileCols` grid of `M × N` result matrices, then writes them
 * through a small float32 scratch tile with the same epilogues as the other matmul kernels.
 *
 * WGSL spelling (Dawn, 2025+): `subgroup_matrix_left<T, K, M>` (M rows × K columns),
 * `subgroup_matrix_right<T, N, K>`, `subgroup_matrix_result<T, N, M>`;
 * `subgroupMatrixLoad<TYPE, row_major|col_major>(ptr, offset, stride)`,
 * `subgroupMatrixStore<row_major|col_major>(ptr, offset, value, stride)` (the older form with a
 * boolean `col_major` argument is deprecated), `subgroupMatrixMultiplyAccumulate(l, r, acc)`.
 * The workgroup's x size must be a multiple of the adapter's largest subgroup size, and every
 * call must be in uniform control flow with uniform arguments — here they depend only on the
 * workgroup id, the uniforms and loop counters.
 *
 * NOT executed on hardware yet: no adapter available while writing it exposes the feature.
 */
import type { SubgroupMatrixConfig } from "../gpu.js";
import { epilogueLines, matmulBindings, type MatmulEpilogue } from "./matmul.js";
import { ROUND_TO_F16_WGSL } from "./matmul-tiled.js";

/** Compile-time choices of one subgroup-matrix matmul kernel. */
export interface SubgroupMatmulVariant {
  weights: "f32" | "f16";
  epilogue: MatmulEpilogue;
  /** The adapter's f16×f16→f32 configuration. */
  config: Pick<SubgroupMatrixConfig, "M" | "N" | "K">;
  /** Invocations of the workgroup: the adapter's largest subgroup size. */
  subgroupSize: number;
  /** Result matrices per workgroup along rows (`BM = tileRows · M`). */
  tileRows: number;
  /** Result matrices per workgroup along columns (`BN = tileCols · N`). */
  tileCols: number;
  /** Elements of k staged per step (`BK`, a multiple of `K` and of 4). */
  tileK: number;
  /** Elements per global load along k: 4 (k divisible by 4) or 1. */
  vec: 4 | 1;
}

/** Rows and columns of `y` one workgroup computes. */
export function subgroupBlock(v: Pick<SubgroupMatmulVariant, "config" | "tileRows" | "tileCols">): { rows: number; cols: number } {
  return { rows: v.tileRows * v.config.M, cols: v.tileCols * v.config.N };
}

/** Bytes of `var<workgroup>` memory the variant uses. */
export function subgroupSharedBytes(v: Pick<SubgroupMatmulVariant, "config" | "tileRows" | "tileCols" | "tileK" | "epilogue">): number {
  const { rows, cols } = subgroupBlock(v);
  const gate = v.epilogue === "gate" ? 2 : 1;
  return 2 * v.tileK * (rows + cols * gate) + 4 * v.config.M * v.config.N * gate;
}

/**
 * Binding layout as {@link matmulWgsl}: 0 uniform {rows, kv = k/vec, outN, ldy, yCol}, 1 x (f32),
 * 2 w, 3 y, 4 (add: residual; gate: w3). Dispatch `[ceil(outN / BN), ceil(rows / BM)]`.
 * Shared tiles: `xs[m · BK + k]` is the row-major left operand, `ws[n · BK + k]` the column-major
 * right operand (`w` is stored `[out, k]`), both float16; zeros past the matrix.
 */
export function matmulSubgroupWgsl(v: SubgroupMatmulVariant): string {
  const { M, N, K } = v.config;
  const { tileRows: TR, tileCols: TC, vec, subgroupSize: S } = v;
  if (v.tileK % K !== 0 || v.tileK % 4 !== 0) throw new RangeError(`tileK (${v.tileK}) must be a multiple of 4 and of the configuration's K (${K})`);
  if (!Number.isInteger(S) || S < 1) throw new RangeError(`subgroupSize must be a positive integer, got ${S}`);
  const BM = TR * M, BN = TC * N, BK = v.tileK, KS = BK / K;
  const gate = v.epilogue === "gate";
  const xt = vec === 4 ? "vec4<f32>" : "f32";
  const wt = vec === 4 ? `vec4<${v.weights}>` : v.weights;
  const L = `subgroup_matrix_left<f16, ${K}, ${M}>`;
  const R = `subgroup_matrix_right<f16, ${N}, ${K}>`;
  const A = `subgroup_matrix_result<f32, ${N}, ${M}>`;
  const lines: string[] = [
    "enable f16;",
    "enable subgroups;",
    "enable chromium_experimental_subgroup_matrix;",
    ...matmulBindings(xt, wt, v.epilogue),
  ];
  lines.push(
    `const BM: u32 = ${BM}u;`, `const BN: u32 = ${BN}u;`, `const BK: u32 = ${BK}u;`,
    "var<workgroup> xs: array<f16, BM * BK>;",
    "var<workgroup> ws: array<f16, BN * BK>;",
    `var<workgroup> cs: array<f32, ${M * N}>;`,
  );
  if (gate) lines.push("var<workgroup> us: array<f16, BN * BK>;", `var<workgroup> gs: array<f32, ${M * N}>;`);
  // Activations are rounded to nearest-even float16 explicitly (WGSL's conversion may pick either
  // neighbour); weights are float16 values already, so their conversion is exact.
  lines.push(ROUND_TO_F16_WGSL);
  const loader = (name: string, arr: string, et: string): void => {
    const wrap = (e: string): string => (name === "loadX" ? `vec4<f16>(roundToF16(${e}))` : `vec4<f16>(${e})`);
    lines.push(`fn ${name}(row: u32, k4: u32) -> vec4<f16> {`);
    if (vec === 4) {
      lines.push("  if (k4 >= p.kv) { return vec4<f16>(0.0); }", `  return ${wrap(`${arr}[row * p.kv + k4]`)};`);
    } else {
      lines.push(`  var r = vec4<${et === "f16" ? "f16" : "f32"}>(0.0);`, "  let b = row * p.kv;", "  let k0 = k4 * 4u;");
      for (let e = 0; e < 4; e++) lines.push(`  if (k0 + ${e}u < p.kv) { r[${e}] = ${arr}[b + k0 + ${e}u]; }`);
      lines.push(`  return ${et === "f16" ? "r" : wrap("r")};`);
    }
    lines.push("}");
  };
  loader("loadX", "x", "f32");
  loader("loadW", "w", v.weights);
  if (gate) loader("loadU", "w3", v.weights);
  lines.push(
    `@compute @workgroup_size(${S})`,
    "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) t: u32) {",
    "  let bn0 = wid.x * BN;",
    "  let bm0 = wid.y * BM;",
    `  let nk4 = ${vec === 4 ? "p.kv" : "(p.kv + 3u) / 4u"};`,
  );
  for (let i = 0; i < TR; i++) for (let j = 0; j < TC; j++) {
    lines.push(`  var c${i}_${j}: ${A};`);
    if (gate) lines.push(`  var g${i}_${j}: ${A};`);
  }
  lines.push("  for (var k4 = 0u; k4 < nk4; k4 += BK / 4u) {");
  const stage = (tile: string, rowsOfTile: number, base: string, limit: string, load: string): void => {
    const n = (rowsOfTile * BK) / 4;
    lines.push(
      `    for (var e = t; e < ${n}u; e += ${S}u) {`,
      `      let r = e / ${BK / 4}u;`,
      `      let q = e % ${BK / 4}u;`,
      "      var v = vec4<f16>(0.0);",
      `      if (${base} + r < ${limit}) { v = ${load}(${base} + r, k4 + q); }`,
      "      let o = r * BK + q * 4u;",
      `      ${tile}[o] = v.x; ${tile}[o + 1u] = v.y; ${tile}[o + 2u] = v.z; ${tile}[o + 3u] = v.w;`,
      "    }",
    );
  };
  stage("xs", BM, "bm0", "p.rows", "loadX");
  stage("ws", BN, "bn0", "p.outN", "loadW");
  if (gate) stage("us", BN, "bn0", "p.outN", "loadU");
  lines.push("    workgroupBarrier();", `    for (var s = 0u; s < ${KS}u; s++) {`);
  for (let i = 0; i < TR; i++) lines.push(`      let l${i} = subgroupMatrixLoad<${L}, row_major>(&xs, ${i * M}u * BK + s * ${K}u, BK);`);
  for (let j = 0; j < TC; j++) {
    lines.push(`      let r${j} = subgroupMatrixLoad<${R}, col_major>(&ws, ${j * N}u * BK + s * ${K}u, BK);`);
    if (gate) lines.push(`      let u${j} = subgroupMatrixLoad<${R}, col_major>(&us, ${j * N}u * BK + s * ${K}u, BK);`);
  }
  for (let i = 0; i < TR; i++) for (let j = 0; j < TC; j++) {
    lines.push(`      c${i}_${j} = subgroupMatrixMultiplyAccumulate(l${i}, r${j}, c${i}_${j});`);
    if (gate) lines.push(`      g${i}_${j} = subgroupMatrixMultiplyAccumulate(l${i}, u${j}, g${i}_${j});`);
  }
  lines.push("    }", "    workgroupBarrier();", "  }");
  // Epilogue: each result matrix goes through the scratch tile; every invocation writes its own elements.
  for (let i = 0; i < TR; i++) for (let j = 0; j < TC; j++) {
    lines.push(`  subgroupMatrixStore<row_major>(&cs, 0u, c${i}_${j}, ${N}u);`);
    if (gate) lines.push(`  subgroupMatrixStore<row_major>(&gs, 0u, g${i}_${j}, ${N}u);`);
    lines.push(
      "  workgroupBarrier();",
      `  for (var e = t; e < ${M * N}u; e += ${S}u) {`,
      `    let r = bm0 + ${i * M}u + e / ${N}u;`,
      `    let o = bn0 + ${j * N}u + e % ${N}u;`,
      "    if (r < p.rows && o < p.outN) {",
      ...epilogueLines(v.epilogue, "r * p.ldy + p.yCol + o", "cs[e]", "gs[e]", "      "),
      "    }",
      "  }",
      "  workgroupBarrier();",
    );
  }
  lines.push("}");
  return lines.join("\n");
}
