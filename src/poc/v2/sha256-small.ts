/**
 * SHA-256 (FIPS 180-4) for the MMR's short messages without per-call allocation: a leaf is
 * `0x00 ‖ LE32(nonce) ‖ 24 bytes` (one block), an inner node `0x01 ‖ 32 ‖ 32` (two blocks).
 * The store hashes two of these per append and a validator ~20 per proof, so this path is hot;
 * results are checked against @noble/hashes in the tests.
 */
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const H = new Uint32Array(8);
const W = new Uint32Array(64);
const block = new Uint8Array(128);
const blockView = new DataView(block.buffer);

function compress(offset: number): void {
  for (let i = 0; i < 16; i++) {
    const o = offset + 4 * i;
    W[i] = (block[o] << 24) | (block[o + 1] << 16) | (block[o + 2] << 8) | block[o + 3];
  }
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15];
    const b = W[i - 2];
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] += a; H[1] += b; H[2] += c; H[3] += d; H[4] += e; H[5] += f; H[6] += g; H[7] += h;
}

/** Hashes the first `n` bytes of the shared block buffer (n ≤ 119), writing the digest into `out`. */
function finish(n: number, out: Uint8Array): Uint8Array {
  const blocks = n + 9 <= 64 ? 1 : 2;
  block[n] = 0x80;
  block.fill(0, n + 1, 64 * blocks - 8);
  blockView.setUint32(64 * blocks - 8, 0, false);
  blockView.setUint32(64 * blocks - 4, n * 8, false);
  H.set(IV);
  compress(0);
  if (blocks === 2) compress(64);
  for (let i = 0; i < 8; i++) {
    const x = H[i];
    out[4 * i] = x >>> 24;
    out[4 * i + 1] = (x >>> 16) & 0xff;
    out[4 * i + 2] = (x >>> 8) & 0xff;
    out[4 * i + 3] = x & 0xff;
  }
  return out;
}

/** `SHA256(0x00 ‖ LE32(nonce) ‖ vector)` for vectors up to 114 bytes, into `out` (32 bytes). */
export function sha256Leaf(nonce: number, vector: Uint8Array, out: Uint8Array = new Uint8Array(32)): Uint8Array {
  block[0] = 0;
  blockView.setUint32(1, nonce >>> 0, true);
  block.set(vector, 5);
  return finish(5 + vector.length, out);
}

/** `SHA256(0x01 ‖ left ‖ right)` for two 32-byte hashes, into `out` (32 bytes; may alias an input). */
export function sha256Node(left: Uint8Array, right: Uint8Array, out: Uint8Array = new Uint8Array(32)): Uint8Array {
  block[0] = 1;
  block.set(left, 1);
  block.set(right, 33);
  return finish(65, out);
}
