/**
 * WGSL templates of the small kernels: RMSNorm, RoPE, causal attention and the last-row gather.
 * One invocation per row / pair / (query, head); float32 throughout.
 */

/** RMSNorm, one invocation per row: `y = x * inverseSqrt(mean(x²) + eps) * w`. Bindings: 0 uniform {rows, dim, eps}, 1 x, 2 w, 3 y. */
export function rmsNormWgsl(): string {
  return `struct P { rows: u32, dim: u32, eps: f32, pad: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.x;
  if (r >= p.rows) { return; }
  let b = r * p.dim;
  var ss = 0.0;
  for (var i = 0u; i < p.dim; i++) { let v = x[b + i]; ss += v * v; }
  let inv = 1.0 / sqrt(ss / f32(p.dim) + p.eps);
  for (var i = 0u; i < p.dim; i++) { y[b + i] = (x[b + i] * inv) * w[i]; }
}`;
}

/**
 * RoPE in place, one invocation per (row, head, pair). Row r sits at position `pos0 + r % period`.
 * Bindings: 0 uniform {rows, heads, half, period, pos0}, 1 x (read_write), 2 cos, 3 sin.
 */
export function ropeWgsl(): string {
  return `struct P { rows: u32, heads: u32, half: u32, period: u32, pos0: u32, p0: u32, p1: u32, p2: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@group(0) @binding(2) var<storage, read> cs: array<f32>;
@group(0) @binding(3) var<storage, read> sn: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let t = gid.x + gid.y * 65535u * 64u;
  let perRow = p.heads * p.half;
  if (t >= p.rows * perRow) { return; }
  let r = t / perRow;
  let rest = t % perRow;
  let h = rest / p.half;
  let i = rest % p.half;
  let pos = p.pos0 + r % p.period;
  let base = r * p.heads * p.half * 2u + h * p.half * 2u + 2u * i;
  let re = x[base];
  let im = x[base + 1u];
  let c = cs[pos * p.half + i];
  let s = sn[pos * p.half + i];
  x[base] = re * c - im * s;
  x[base + 1u] = re * s + im * c;
}`;
}

/**
 * Causal attention with a float32 online softmax, one invocation per (query row, head).
 * Query rows are `[count * qPer]`; query row `r` is position `from + r % qPer` of sequence
 * `r / qPer`; k and v are `[count * seq, nKv * HD]`. Bindings: 0 uniform, 1 q, 2 k, 3 v, 4 out.
 */
export function attentionWgsl(headDim: number, nHeads: number, nKv: number): string {
  const HD = headDim;
  return `const HD: u32 = ${HD}u;
const NH: u32 = ${nHeads}u;
const REP: u32 = ${nHeads / nKv}u;
const QW: u32 = ${nHeads * HD}u;
const KW: u32 = ${nKv * HD}u;
struct P { nq: u32, qPer: u32, seq: u32, first: u32, scale: f32, p0: u32, p1: u32, p2: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> k: array<f32>;
@group(0) @binding(3) var<storage, read> v: array<f32>;
@group(0) @binding(4) var<storage, read_write> o: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let t = gid.x + gid.y * 65535u * 64u;
  if (t >= p.nq * NH) { return; }
  let qr = t / NH;
  let h = t % NH;
  let b = qr / p.qPer;
  let i = p.first + qr % p.qPer;
  let kh = h / REP;
  var qv: array<f32, HD>;
  var acc: array<f32, HD>;
  for (var d = 0u; d < HD; d++) { qv[d] = q[qr * QW + h * HD + d]; acc[d] = 0.0; }
  var m = -3.0e38;
  var l = 0.0;
  for (var j = 0u; j <= i; j++) {
    let kb = (b * p.seq + j) * KW + kh * HD;
    var s = 0.0;
    for (var d = 0u; d < HD; d++) { s += qv[d] * k[kb + d]; }
    s = s * p.scale;
    let mn = max(m, s);
    let c = exp(m - mn);
    let e = exp(s - mn);
    l = l * c + e;
    for (var d = 0u; d < HD; d++) { acc[d] = acc[d] * c + e * v[kb + d]; }
    m = mn;
  }
  let ob = qr * QW + h * HD;
  for (var d = 0u; d < HD; d++) { o[ob + d] = acc[d] / l; }
}`;
}

/** Copies the last row of each sequence: `dst[b, :] = src[b * seq + seq - 1, :]`. Bindings: 0 uniform {count, seq, width}, 1 src, 2 dst. */
export function gatherLastWgsl(): string {
  return `struct P { count: u32, seq: u32, width: u32, pad: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let t = gid.x;
  if (t >= p.count * p.width) { return; }
  let b = t / p.width;
  let d = t % p.width;
  dst[t] = src[(b * p.seq + p.seq - 1u) * p.width + d];
}`;
}
