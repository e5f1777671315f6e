/**
 * A tiny WebAssembly binary writer: just enough of the format (types, imports, one memory,
 * functions, exports, and the fixed-width SIMD instructions) to build the RNG kernel and the CPU
 * backend's matmul kernels from TypeScript without a toolchain. Instructions are written as opcode
 * bytes with LEB128 immediates.
 */

/** Value types. */
export const T = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, void: 0x40 } as const;

/** Opcodes used by the kernel (names as in the WebAssembly text format, `.` written `_`). */
export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d, return: 0x0f,
  call: 0x10, drop: 0x1a, select: 0x1b,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22,
  i32_load: 0x28, i64_load: 0x29, f32_load: 0x2a, f64_load: 0x2b, i32_load16_u: 0x2f,
  i32_store: 0x36, i64_store: 0x37, f32_store: 0x38, f64_store: 0x39, i32_store16: 0x3b,
  i32_const: 0x41, i64_const: 0x42, f32_const: 0x43, f64_const: 0x44,
  i32_eqz: 0x45, i32_eq: 0x46, i32_ne: 0x47, i32_lt_s: 0x48, i32_lt_u: 0x49, i32_gt_s: 0x4a, i32_gt_u: 0x4b,
  i32_le_s: 0x4c, i32_le_u: 0x4d, i32_ge_s: 0x4e, i32_ge_u: 0x4f,
  i64_eqz: 0x50, i64_eq: 0x51, i64_ne: 0x52, i64_lt_u: 0x54, i64_gt_u: 0x56, i64_le_u: 0x58, i64_ge_u: 0x5a,
  f64_eq: 0x61, f64_ne: 0x62, f64_lt: 0x63, f64_gt: 0x64, f64_le: 0x65, f64_ge: 0x66,
  i32_add: 0x6a, i32_sub: 0x6b, i32_mul: 0x6c, i32_div_u: 0x6e, i32_rem_u: 0x70, i32_and: 0x71, i32_or: 0x72, i32_xor: 0x73,
  i32_shl: 0x74, i32_shr_u: 0x76,
  i64_add: 0x7c, i64_sub: 0x7d, i64_mul: 0x7e, i64_and: 0x83, i64_or: 0x84, i64_xor: 0x85,
  i64_shl: 0x86, i64_shr_u: 0x88, i64_rotr: 0x8a,
  f32_neg: 0x8c, f32_add: 0x92, f32_sub: 0x93, f32_mul: 0x94, f32_div: 0x95,
  f64_neg: 0x9a, f64_floor: 0x9c, f64_nearest: 0x9e, f64_sqrt: 0x9f, f64_add: 0xa0, f64_sub: 0xa1, f64_mul: 0xa2, f64_div: 0xa3,
  i32_wrap_i64: 0xa7, i32_trunc_f64_s: 0xaa, i64_trunc_f64_s: 0xb0, i64_extend_i32_s: 0xac, i64_extend_i32_u: 0xad, f32_convert_i32_u: 0xb3, f32_demote_f64: 0xb6,
  f64_convert_i32_u: 0xb8, f64_convert_i64_s: 0xb9, f64_convert_i64_u: 0xba, f64_promote_f32: 0xbb,
  i32_reinterpret_f32: 0xbc, f32_reinterpret_i32: 0xbe, f64_reinterpret_i64: 0xbf,
} as const;

/**
 * Fixed-width SIMD opcodes (written after the 0xfd prefix, see {@link Code.simd}); names as in the
 * text format.
 */
export const SIMD = {
  v128_load: 0x00, v128_load32_splat: 0x09, v128_store: 0x0b, v128_const: 0x0c,
  i64x2_splat: 0x12, f32x4_splat: 0x13, f64x2_splat: 0x14, f32x4_extract_lane: 0x1f,
  f64x2_lt: 0x49, f64x2_gt: 0x4a, v128_and: 0x4e,
  v128_store64_lane: 0x5b, v128_load64_zero: 0x5d, f32x4_demote_f64x2_zero: 0x5e, f64x2_promote_low_f32x4: 0x5f,
  f64x2_floor: 0x75, i64x2_all_true: 0xc3, i64x2_extend_low_i32x4_s: 0xc7, i64x2_shl: 0xcb, i64x2_add: 0xce,
  f32x4_add: 0xe4, f32x4_sub: 0xe5, f32x4_mul: 0xe6,
  f64x2_neg: 0xed, f64x2_add: 0xf0, f64x2_sub: 0xf1, f64x2_mul: 0xf2, f64x2_div: 0xf3,
  i32x4_trunc_sat_f64x2_s_zero: 0xfc,
} as const;

/** Unsigned LEB128 of a non-negative integer. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

/** Signed LEB128 of a bigint (used for i32 and i64 constants). */
export function sleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** An instruction stream being written for one function body. */
export class Code {
  readonly bytes: number[] = [];
  /** Appends raw opcodes / bytes. */
  op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  /** `local.get i`. */
  get(i: number): this {
    return this.op(OP.local_get, ...uleb(i));
  }
  /** `local.set i`. */
  set(i: number): this {
    return this.op(OP.local_set, ...uleb(i));
  }
  /** `local.tee i`. */
  tee(i: number): this {
    return this.op(OP.local_tee, ...uleb(i));
  }
  /** `i32.const v`. */
  i32(v: number): this {
    return this.op(OP.i32_const, ...sleb(BigInt(v | 0)));
  }
  /** `i64.const v` (v taken mod 2^64 as a two's-complement value). */
  i64(v: bigint): this {
    return this.op(OP.i64_const, ...sleb(BigInt.asIntN(64, v)));
  }
  /** `f64.const v`. */
  f64(v: number): this {
    const b = new Uint8Array(new Float64Array([v]).buffer);
    return this.op(OP.f64_const, ...b);
  }
  /** `f32.const v` (v rounded to float32). */
  f32(v: number): this {
    const b = new Uint8Array(new Float32Array([v]).buffer);
    return this.op(OP.f32_const, ...b);
  }
  /** A memory instruction with alignment (log2 bytes) and constant offset. */
  mem(opcode: number, align: number, offset = 0): this {
    return this.op(opcode, ...uleb(align), ...uleb(offset));
  }
  /** A SIMD instruction (prefix 0xfd, LEB128 opcode) without immediates. */
  simd(...ops: number[]): this {
    for (const o of ops) this.op(0xfd, ...uleb(o));
    return this;
  }
  /** A SIMD memory instruction with alignment (log2 bytes) and constant offset. */
  simdMem(opcode: number, align: number, offset = 0): this {
    return this.op(0xfd, ...uleb(opcode), ...uleb(align), ...uleb(offset));
  }
  /** A SIMD lane memory instruction (`v128.store64_lane` …): alignment, offset, lane. */
  simdLane(opcode: number, align: number, offset: number, lane: number): this {
    return this.op(0xfd, ...uleb(opcode), ...uleb(align), ...uleb(offset), lane);
  }
  /** `f32x4.extract_lane lane`. */
  extractLane(lane: number): this {
    return this.op(0xfd, ...uleb(SIMD.f32x4_extract_lane), lane);
  }
  /** `v128.const` of four float32 lanes. */
  v128f32(a: number, b = a, c = a, d = a): this {
    const bytes = new Uint8Array(new Float32Array([a, b, c, d]).buffer);
    return this.op(0xfd, ...uleb(SIMD.v128_const), ...bytes);
  }
  /** `call f`. */
  call(f: number): this {
    return this.op(OP.call, ...uleb(f));
  }
  /** `br depth`. */
  br(depth: number): this {
    return this.op(OP.br, ...uleb(depth));
  }
  /** `br_if depth`. */
  brIf(depth: number): this {
    return this.op(OP.br_if, ...uleb(depth));
  }
}

/** A function to be placed in the module. */
export interface FuncDef {
  name?: string;
  params: number[];
  results: number[];
  /** Extra locals after the parameters, by type. */
  locals: number[];
  code: Code;
}

/** An imported function (module "env"). */
export interface ImportDef {
  name: string;
  params: number[];
  results: number[];
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function str(s: string): number[] {
  const b = Array.from(new TextEncoder().encode(s));
  return [...uleb(b.length), ...b];
}

/**
 * Assembles a module with imported functions (indices first), defined functions, one exported
 * memory named "memory" of `pages` 64 KiB pages (growable), and exports of named functions.
 */
export function assemble(imports: ImportDef[], funcs: FuncDef[], pages: number): Uint8Array<ArrayBuffer> {
  const sigs: string[] = [];
  const sigIndex = (params: number[], results: number[]): number => {
    const key = `${params.join(",")}:${results.join(",")}`;
    let i = sigs.indexOf(key);
    if (i < 0) {
      sigs.push(key);
      i = sigs.length - 1;
    }
    return i;
  };
  const importSigs = imports.map((f) => sigIndex(f.params, f.results));
  const funcSigs = funcs.map((f) => sigIndex(f.params, f.results));
  const types = sigs.map((k) => {
    const [p, r] = k.split(":");
    const ps = p ? p.split(",").map(Number) : [];
    const rs = r ? r.split(",").map(Number) : [];
    return [0x60, ...uleb(ps.length), ...ps, ...uleb(rs.length), ...rs];
  });
  const importEntries = imports.map((f, i) => [...str("env"), ...str(f.name), 0x00, ...uleb(importSigs[i])]);
  const exportsList: number[][] = [[...str("memory"), 0x02, 0x00]];
  funcs.forEach((f, i) => {
    if (f.name) exportsList.push([...str(f.name), 0x00, ...uleb(imports.length + i)]);
  });
  const bodies = funcs.map((f) => {
    const groups: number[][] = [];
    for (const t of f.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const body = [...vec(groups.map(([n, t]) => [...uleb(n), t])), ...f.code.bytes, OP.end];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(importEntries)),
    ...section(3, vec(funcSigs.map((s) => uleb(s)))),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(7, vec(exportsList)),
    ...section(10, vec(bodies)),
  ]);
}

/**
 * A function being written, with named parameters and locals: `l(name, type)` declares a local on
 * first use and returns its index.
 */
export class FuncBuilder {
  readonly code = new Code();
  readonly locals: number[] = [];
  private readonly names = new Map<string, number>();
  constructor(
    readonly name: string | undefined,
    readonly params: [string, number][],
    readonly results: number[] = [],
  ) {
    params.forEach(([n], i) => this.names.set(n, i));
  }
  /** Index of a parameter or local, declaring a local of type `t` on first use. */
  l(name: string, t: number = T.i32): number {
    let i = this.names.get(name);
    if (i === undefined) {
      i = this.params.length + this.locals.length;
      this.locals.push(t);
      this.names.set(name, i);
    }
    return i;
  }
  /** The definition for {@link assemble}. */
  def(): FuncDef {
    return { name: this.name, params: this.params.map(([, t]) => t), results: this.results, locals: this.locals, code: this.code };
  }
}
