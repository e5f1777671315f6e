import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";

const dir = join(import.meta.dirname, "..", "..", "fixtures");

/** Loads a golden-vector file from test/fixtures. */
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(dir, name), "utf8")) as T;
}

/** sha256 (hex) of a typed array's bytes. */
export function sha256Hex(a: ArrayBufferView): string {
  return createHash("sha256").update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest("hex");
}

export interface RngVectors {
  entropy: { seed: string; numHashes: number; words: number[] }[];
  seedSequence: { entropy: number[]; pool: number[]; state64: string[]; state32_8: number[] }[];
  pcg64: { seed: string; numHashes: number; state: string; inc: string; raw: string[] }[];
  standardNormal: { seed: string; numHashes: number; n: number; first: number[]; sha256_f64le: string }[];
  permutation: {
    seed: string;
    numHashes: number;
    afterPrevious: boolean;
    n: number;
    perm: number[] | null;
    sha256_i64le: string;
    first: number[];
  }[];
  random: { seed: string; numHashes: number; random: number[] }[];
}

export interface PocCase {
  name: string;
  params: {
    dim: number;
    n_layers: number;
    n_heads: number;
    n_kv_heads: number;
    vocab_size: number;
    ffn_dim_multiplier: number;
    multiple_of: number;
    norm_eps: number;
    rope_theta: number;
    use_scaled_rope: boolean;
    seq_len: number;
  };
  blockHash: string;
  publicKey: string;
  totalParams: number;
  poolSize: number;
  parameters: { name: string; shape: number[]; sha256_f16le: string }[];
  nonces: number[];
  inputs_sha256_f16le: string[];
  inputs_first: number[];
  target_first: number[];
  target_sha256_f64le: string;
  perm_first: number[][];
}

export interface PocVectors {
  cases: PocCase[];
}

export interface ZigguratVectors {
  r: number;
  inv_r: number;
  ki: string[];
  wi: string[];
  fi: string[];
}

/** Parses a C99 hex-float string (Python's float.hex), independently of the code under test. */
export function parseHexFloat(s: string): number {
  const m = /^(-?)0x([01])\.([0-9a-f]+)p([+-]\d+)$/.exec(s);
  if (!m) throw new Error(`bad hex float ${s}`);
  const mant = BigInt(`0x${m[2]}${m[3]}`);
  const exp = Number(m[4]) - 4 * m[3].length;
  const v = Number(mant) * 2 ** exp;
  return m[1] ? -v : v;
}
