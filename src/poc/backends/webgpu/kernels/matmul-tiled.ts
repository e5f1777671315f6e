/**
 * WGSL template of the shared-memory tiled linear layer `y = x · wᵀ` for discrete GPUs: a
 * workgroup computes a `BM × BN` block of `y`, staging `BM × BK` of `x` and `BN × BK` of `w` (and
 * of `w3` for the FFN gate) through `var<workgroup>` memory as vec4<f32>, each invocation
 * accumulating a `tileRows × tileCols` register block in float32. Same bindings, uniforms and
 * epilogues as the register-blocked kernel ({@link matmulWgsl}), so the plan swaps one for the other.
 *
 * Optionally the activations are rounded to float16 while being staged (what a float16 tensor-core
 * path does to them): the products of two float16 numbers are exact in float32, so this variant
 * computes, on any adapter with `shader-f16`, the same sums as the subgroup-matrix kernel up to
 * the order of float32 additions.
 */
import { epilogueLines, matmulBindings, type MatmulEpilogue } from "./matmul.js";

/**
 * WGSL function `roundToF16(v: vec4<f32>) -> vec4<f32>`: rounds to the nearest float16 value,
 * ties to even (as PyTorch's `.half()`), in float32 arithmetic — WGSL lets an f32→f16 conversion
 * pick either neighbour (lavapipe truncates), so the rounding is spelled out: scale by a power of
 * two so the float16 quantum becomes 1 (2⁻²⁴ below 2⁻¹⁴), `round` (half to even), scale back;
 * beyond ±65504 → ±infinity. Every step is exact.
 */
export const ROUND_TO_F16_WGSL = `fn roundToF16(v: vec4<f32>) -> vec4<f32> {
  let e = (bitcast<vec4<u32>>(v) >> vec4<u32>(23u)) & vec4<u32>(0xffu);
  let qe = max(e, vec4<u32>(113u)) - vec4<u32>(10u);
  let q = bitcast<vec4<f32>>(qe << vec4<u32>(23u));
  let iq = bitcast<vec4<f32>>((vec4<u32>(254u) - qe) << vec4<u32>(23u));
  let r = round(v * iq) * q;
  let inf = bitcast<vec4<f32>>((bitcast<vec4<u32>>(v) & vec4<u32>(0x80000000u)) | vec4<u32>(0x7f800000u));
  return select(r, inf, abs(r) > vec4<f32>(65504.0));
}`;

/** Compile-time choices of one tiled matmul kernel. */
export interface TiledMatmulVariant {
  /** Weight element type in storage. */
  weights: "f32" | "f16";
  epilogue: MatmulEpilogue;
  /** Rows of `x` per invocation (`BM = tileRows · workgroup[1]`). */
  tileRows: number;
  /** Output columns per invocation (`BN = tileCols · workgroup[0]`). */
  tileCols: number;
  /** Workgroup size along (columns, rows). */
  workgroup: [number, number];
  /** Elements of k staged per step (`BK`, a multiple of 4). */
  tileK: number;
  /** Elements per global load along k: 4 (k divisible by 4) or 1. */
  vec: 4 | 1;
  /** `"f16"`: round the activations to float16 (nearest, ties to even) when staging them. */
  activations: "f32" | "f16";
}

/** Bytes of `var<workgroup>` memory the variant uses. */
export function tiledSharedBytes(v: Pick<TiledMatmulVariant, "tileRows" | "tileCols" | "workgroup" | "tileK" | "epilogue">): number {
  const bm = v.tileRows * v.workgroup[1], bn = v.tileCols * v.workgroup[0];
  return 4 * v.tileK * (bm + bn * (v.epilogue === "gate" ? 2 : 1));
}

/** Rows and columns of `y` one workgroup computes. */
export function tiledBlock(v: Pick<TiledMatmulVariant, "tileRows" | "tileCols" | "workgroup">): { rows: number; cols: number } {
  return { rows: v.tileRows * v.workgroup[1], cols: v.tileCols * v.workgroup[0] };
}

/**
 * Binding layout (as {@link matmulWgsl}): 0 uniform {rows, kv = k/vec, outN, ldy, yCol}, 1 x,
 * 2 w, 3 y, 4 (add: residual `a`; gate: w3). Dispatch `[ceil(outN / BN), ceil(rows / BM)]`.
 * Shared tiles are k-major (`[BK/4][BM]`, `[BK/4][BN]`), so neighbouring invocations read
 * neighbouring vec4s; rows and columns past the matrix and k past its end are staged as zeros and
 * every invocation reaches every barrier.
 */
export function matmulTiledWgsl(v: TiledMatmulVariant): string {
  const { tileRows: TM, tileCols: TN, vec } = v;
  const [WX, WY] = v.workgroup;
  if (v.tileK % 4 !== 0 || v.tileK < 4) throw new RangeError(`tileK must be a positive multiple of 4, got ${v.tileK}`);
  const BM = TM * WY, BN = TN * WX, BK4 = v.tileK / 4, T = WX * WY;
  const f16w = v.weights === "f16", f16x = v.activations === "f16";
  const gate = v.epilogue === "gate";
  const xt = vec === 4 ? "vec4<f32>" : "f32";
  const wt = vec === 4 ? `vec4<${v.weights}>` : v.weights;
  const lines: string[] = [];
  if (f16w) lines.push("enable f16;");
  lines.push(...matmulBindings(xt, wt, v.epilogue));
  lines.push(
    `const BM: u32 = ${BM}u;`, `const BN: u32 = ${BN}u;`, `const BK4: u32 = ${BK4}u;`,
    "var<workgroup> xs: array<vec4<f32>, BM * BK4>;",
    "var<workgroup> ws: array<vec4<f32>, BN * BK4>;",
  );
  if (gate) lines.push("var<workgroup> us: array<vec4<f32>, BN * BK4>;");
  // Loads of one vec4 along k (zeros past the end), from a row of a matrix with `kv` loads per row.
  const loader = (name: string, arr: string, et: string): void => {
    const conv = (e: string): string => (et === "f32" ? e : `f32(${e})`);
    lines.push(`fn ${name}(row: u32, k4: u32) -> vec4<f32> {`);
    if (vec === 4) {
      lines.push("  if (k4 >= p.kv) { return vec4<f32>(0.0); }");
      lines.push(et === "f32" ? `  return ${arr}[row * p.kv + k4];` : `  return vec4<f32>(${arr}[row * p.kv + k4]);`);
    } else {
      lines.push("  var r = vec4<f32>(0.0);", "  let b = row * p.kv;", "  let k0 = k4 * 4u;");
      for (let e = 0; e < 4; e++) lines.push(`  if (k0 + ${e}u < p.kv) { r[${e}] = ${conv(`${arr}[b + k0 + ${e}u]`)}; }`);
      lines.push("  return r;");
    }
    lines.push("}");
  };
  if (f16x) lines.push(ROUND_TO_F16_WGSL);
  loader("loadX", "x", "f32");
  loader("loadW", "w", v.weights);
  if (gate) loader("loadU", "w3", v.weights);
  lines.push(
    `@compute @workgroup_size(${WX}, ${WY})`,
    "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {",
    "  let bn0 = wid.x * BN;",
    "  let bm0 = wid.y * BM;",
    `  let t = lid.y * ${WX}u + lid.x;`,
    `  let nk4 = ${vec === 4 ? "p.kv" : "(p.kv + 3u) / 4u"};`,
  );
  for (let i = 0; i < TM; i++) for (let j = 0; j < TN; j++) {
    lines.push(`  var c${i}_${j} = 0.0;`);
    if (gate) lines.push(`  var g${i}_${j} = 0.0;`);
  }
  lines.push("  for (var k4 = 0u; k4 < nk4; k4 += BK4) {");
  // Staging: element e of a tile is (row e / BK4, vec4 e % BK4), so a row's vec4s are read together.
  const stage = (tile: string, rowsOfTile: number, base: string, limit: string, load: string, round: boolean): void => {
    const n = rowsOfTile * BK4;
    for (let s = 0; s < Math.ceil(n / T); s++) {
      const guard = (s + 1) * T > n;
      const ind = guard ? "      " : "    ";
      if (guard) lines.push(`    if (t + ${s * T}u < ${n}u) {`);
      lines.push(
        `${ind}let e${tile}${s} = t + ${s * T}u;`,
        `${ind}let r${tile}${s} = e${tile}${s} / BK4;`,
        `${ind}let q${tile}${s} = e${tile}${s} % BK4;`,
        `${ind}var v${tile}${s} = vec4<f32>(0.0);`,
        `${ind}if (${base} + r${tile}${s} < ${limit}) { v${tile}${s} = ${load}(${base} + r${tile}${s}, k4 + q${tile}${s}); }`,
        `${ind}${tile}[q${tile}${s} * ${rowsOfTile}u + r${tile}${s}] = ${round ? `roundToF16(v${tile}${s})` : `v${tile}${s}`};`,
      );
      if (guard) lines.push("    }");
    }
  };
  stage("xs", BM, "bm0", "p.rows", "loadX", f16x);
  stage("ws", BN, "bn0", "p.outN", "loadW", false);
  if (gate) stage("us", BN, "bn0", "p.outN", "loadU", false);
  lines.push("    workgroupBarrier();", "    for (var q = 0u; q < BK4; q++) {");
  for (let i = 0; i < TM; i++) lines.push(`      let xv${i} = xs[q * BM + lid.y + ${i * WY}u];`);
  for (let j = 0; j < TN; j++) {
    lines.push(`      let wv${j} = ws[q * BN + lid.x + ${j * WX}u];`);
    if (gate) lines.push(`      let uv${j} = us[q * BN + lid.x + ${j * WX}u];`);
  }
  for (let i = 0; i < TM; i++) for (let j = 0; j < TN; j++) {
    lines.push(`      c${i}_${j} += dot(xv${i}, wv${j});`);
    if (gate) lines.push(`      g${i}_${j} += dot(xv${i}, uv${j});`);
  }
  lines.push("    }", "    workgroupBarrier();", "  }");
  for (let i = 0; i < TM; i++) {
    lines.push(`  let r${i} = bm0 + lid.y + ${i * WY}u;`, `  if (r${i} < p.rows) {`);
    for (let j = 0; j < TN; j++) {
      lines.push(`    let o${i}_${j} = bn0 + lid.x + ${j * WX}u;`, `    if (o${i}_${j} < p.outN) {`);
      lines.push(...epilogueLines(v.epilogue, `r${i} * p.ldy + p.yCol + o${i}_${j}`, `c${i}_${j}`, `g${i}_${j}`, "      "));
      lines.push("    }");
    }
    lines.push("  }");
  }
  lines.push("}");
  return lines.join("\n");
}
