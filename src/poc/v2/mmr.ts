/**
 * The network node's artifact store and its Merkle Mountain Range (spec §9): leaves in arrival
 * order, SHA-256 with domain bytes (0x00 leaf, 0x01 node), roots for every prefix count, inclusion
 * proofs, their verification, and the store's `artifacts.data` / `nodes.json` files.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { InvalidArgumentError } from "../../errors.js";
import { DEFAULT_K_DIM } from "./pick.js";
import { DuplicateNonceError, LeafIndexOutOfRangeError, MmrProofError } from "./errors.js";
import { requireInt } from "./bytes.js";
import { sha256Leaf, sha256Node } from "./sha256-small.js";

/** The most leaves a store holds (`2^30 − 1`). */
export const MAX_MMR_LEAVES = 2 ** 30 - 1;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** `SHA256(0x00 ‖ LE32(uint32(nonce)) ‖ vectorBytes)`: the hash of one leaf. */
export function leafHash(nonce: number, vectorBytes: Uint8Array): Uint8Array {
  if (vectorBytes.length <= 114) return sha256Leaf(nonce, vectorBytes);
  const buf = new Uint8Array(5 + vectorBytes.length);
  new DataView(buf.buffer).setUint32(1, nonce >>> 0, true);
  buf.set(vectorBytes, 5);
  return sha256(buf);
}

/** `SHA256(0x01 ‖ left ‖ right)`: the hash of an inner node. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length === 32 && right.length === 32) return sha256Node(left, right);
  const buf = new Uint8Array(1 + left.length + right.length);
  buf[0] = 1;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return sha256(buf);
}

function popcount(n: number): number {
  let c = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) c += x % 2;
  return c;
}

/** Nodes (leaves and inner nodes) of an MMR of `count` leaves: `2·count − popcount(count)`. */
export function mmrSize(count: number): number {
  return 2 * count - popcount(count);
}

/** The mountains of `count` leaves, left to right: `{ height, firstLeaf, firstPosition }`. */
function mountains(count: number): { height: number; firstLeaf: number; firstPosition: number }[] {
  const out: { height: number; firstLeaf: number; firstPosition: number }[] = [];
  let leaf = 0;
  let pos = 0;
  for (let h = 31; h >= 0; h--) {
    const size = 2 ** h;
    if (Math.floor(count / size) % 2 === 1) {
      out.push({ height: h, firstLeaf: leaf, firstPosition: pos });
      leaf += size;
      pos += 2 * size - 1;
    }
  }
  return out;
}

/** Post-order positions of the peaks of an MMR of `count` leaves, left to right. */
export function mmrPeakPositions(count: number): number[] {
  return mountains(count).map((m) => m.firstPosition + 2 ** (m.height + 1) - 2);
}

/** Bags peaks right to left: `root = P_last; root = nodeHash(P_i, root)` for the others, right to left. */
function bagPeaks(peaks: Uint8Array[]): Uint8Array {
  let root = peaks[peaks.length - 1];
  for (let i = peaks.length - 2; i >= 0; i--) root = nodeHash(peaks[i], root);
  return root;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/** Options of {@link ArtifactMmr}. */
export interface ArtifactMmrOptions {
  /** `k_dim` of the stored vectors (each `2·kDim` bytes); default 12, at most 57. */
  kDim?: number;
}

/** One stored leaf. */
export interface StoredArtifact {
  leafIndex: number;
  /** The nonce as the store keeps it (int32). */
  nonce: number;
  /** The raw little-endian float16 bytes. */
  vectorBytes: Uint8Array;
}

/**
 * An append-only artifact store with its MMR, byte-compatible with the network node's store of one
 * (PoC stage, model): leaves numbered in arrival order, duplicates rejected, roots and proofs for
 * any prefix count, and the `artifacts.data` / `nodes.json` files.
 *
 * @example
 * ```ts
 * const store = new ArtifactMmr();
 * store.append(1, decodeBase64(vectorB64), "node-1");
 * const { count } = store;                 // commit (count, store.root()) with MsgPoCV2StoreCommit
 * const proof = store.proof(0, count);     // serve it to a validator
 * ```
 */
export class ArtifactMmr {
  /** `k_dim` of the stored vectors. */
  readonly kDim: number;
  private readonly vectorLength: number;
  private hashes = new Uint8Array(32 * 64);
  private size = 0;
  private nonces = new Int32Array(64);
  private vectors = new Uint8Array(24 * 64);
  private leaves = 0;
  private readonly seen = new Set<number>();
  private readonly perNode = new Map<string, number>();

  constructor(options: ArtifactMmrOptions = {}) {
    this.kDim = requireInt(options.kDim ?? DEFAULT_K_DIM, "kDim", 1, 57);
    this.vectorLength = 2 * this.kDim;
    this.vectors = new Uint8Array(this.vectorLength * 64);
  }

  /** How many leaves the store holds. */
  get count(): number {
    return this.leaves;
  }

  /** Whether `nonce` is already stored. */
  has(nonce: number): boolean {
    return this.seen.has(nonce);
  }

  private hashAt(pos: number): Uint8Array {
    return this.hashes.subarray(32 * pos, 32 * pos + 32);
  }

  /** Makes room for `n` more hashes. */
  private reserve(n: number): void {
    if (32 * (this.size + n) <= this.hashes.length) return;
    let cap = this.hashes.length * 2;
    while (cap < 32 * (this.size + n)) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.hashes);
    this.hashes = next;
  }

  /**
   * Appends one artifact; returns its leaf index. `nodeId` (the MLNode that produced it) feeds
   * {@link nodeCounts} / `nodes.json`.
   *
   * @throws {DuplicateNonceError} when the nonce is already stored (the network node skips it).
   * @throws {InvalidFp16VectorError}-free: the bytes are stored as given, but must be `2·kDim` long ({@link InvalidArgumentError} otherwise).
   */
  append(nonce: number, vectorBytes: Uint8Array, nodeId?: string): number {
    if (!Number.isInteger(nonce) || nonce < INT32_MIN || nonce > INT32_MAX) {
      throw new InvalidArgumentError("nonce", `must be an int32 (the network node stores nonces as int32), got ${String(nonce)}`);
    }
    if (!(vectorBytes instanceof Uint8Array) || vectorBytes.length !== this.vectorLength) {
      const got = vectorBytes instanceof Uint8Array ? `${vectorBytes.length} bytes` : typeof vectorBytes;
      throw new InvalidArgumentError("vectorBytes", `expected ${this.vectorLength} bytes (kDim ${this.kDim}), got ${got}`);
    }
    if (nodeId !== undefined && typeof nodeId !== "string") throw new InvalidArgumentError("nodeId", "expected a string");
    if (this.seen.has(nonce)) throw new DuplicateNonceError("nonce", nonce);
    if (this.leaves >= MAX_MMR_LEAVES) throw new InvalidArgumentError("store", `holds the maximum of ${MAX_MMR_LEAVES} leaves`);
    const i = this.leaves;
    if (i >= this.nonces.length) {
      const n = new Int32Array(this.nonces.length * 2);
      n.set(this.nonces);
      this.nonces = n;
      const v = new Uint8Array(this.vectors.length * 2);
      v.set(this.vectors);
      this.vectors = v;
    }
    this.nonces[i] = nonce;
    this.vectors.set(vectorBytes, i * this.vectorLength);
    this.seen.add(nonce);
    if (nodeId !== undefined) this.perNode.set(nodeId, (this.perNode.get(nodeId) ?? 0) + 1);

    this.reserve(32);
    sha256Leaf(nonce, vectorBytes, this.hashAt(this.size));
    this.size++;
    // Merge while the new leaf completes a pair: ctz(i + 1) times; the sibling sits 2^(m+1) − 1 back.
    for (let m = 0, x = i + 1; x % 2 === 0; m++, x /= 2) {
      sha256Node(this.hashAt(this.size - 2 ** (m + 1)), this.hashAt(this.size - 1), this.hashAt(this.size));
      this.size++;
    }
    this.leaves++;
    return i;
  }

  /** The stored leaf `leafIndex`. */
  leaf(leafIndex: number): StoredArtifact {
    this.checkIndex(leafIndex, this.leaves);
    const o = leafIndex * this.vectorLength;
    return { leafIndex, nonce: this.nonces[leafIndex], vectorBytes: this.vectors.slice(o, o + this.vectorLength) };
  }

  private checkCount(count: number): number {
    if (!Number.isInteger(count) || count < 1 || count > this.leaves) {
      throw new InvalidArgumentError("count", `must be an integer in 1…${this.leaves} (the store's count), got ${String(count)}`);
    }
    return count;
  }

  private checkIndex(leafIndex: number, count: number): void {
    if (!Number.isInteger(leafIndex) || leafIndex < 0) throw new InvalidArgumentError("leafIndex", `must be a non-negative integer, got ${String(leafIndex)}`);
    if (leafIndex >= count) throw new LeafIndexOutOfRangeError(leafIndex, count);
  }

  /** The MMR root of the first `count` leaves (default: all), the value committed on chain with `count`. */
  root(count: number = this.leaves): Uint8Array {
    this.checkCount(count);
    return bagPeaks(mmrPeakPositions(count).map((p) => this.hashAt(p).slice()));
  }

  /**
   * The inclusion proof of leaf `leafIndex` at `count` (default: all leaves): its siblings from the
   * leaf up to its mountain's peak, lowest first, then the other peaks left to right.
   *
   * @throws {LeafIndexOutOfRangeError} when `leafIndex ≥ count`.
   */
  proof(leafIndex: number, count: number = this.leaves): Uint8Array[] {
    if (Number.isInteger(leafIndex) && Number.isInteger(count) && leafIndex >= count && count >= 0) {
      throw new LeafIndexOutOfRangeError(leafIndex, count);
    }
    this.checkCount(count);
    this.checkIndex(leafIndex, count);
    const ms = mountains(count);
    const out: Uint8Array[] = [];
    let mine = -1;
    for (let k = 0; k < ms.length; k++) {
      const m = ms[k];
      if (leafIndex < m.firstLeaf + 2 ** m.height) {
        mine = k;
        const local = leafIndex - m.firstLeaf;
        let pos = m.firstPosition + mmrSize(local);
        for (let level = 0; level < m.height; level++) {
          const span = 2 ** (level + 1) - 1;
          if (Math.floor(local / 2 ** level) % 2 === 0) {
            out.push(this.hashAt(pos + span).slice());
            pos += span + 1;
          } else {
            out.push(this.hashAt(pos - span).slice());
            pos += 1;
          }
        }
        break;
      }
    }
    for (let k = 0; k < ms.length; k++) {
      if (k === mine) continue;
      out.push(this.hashAt(ms[k].firstPosition + 2 ** (ms[k].height + 1) - 2).slice());
    }
    return out;
  }

  /** Per-MLNode artifact counts (the store's `nodes.json`), keys sorted. */
  nodeCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of [...this.perNode.keys()].sort()) out[k] = this.perNode.get(k) as number;
    return out;
  }

  /** `nodes.json` as the network node writes it: compact JSON with sorted keys and a trailing newline. */
  nodesJson(): string {
    return `${JSON.stringify(this.nodeCounts())}\n`;
  }

  /**
   * The store's `artifacts.data`: for each leaf in order, `LE32(4 + len(vector)) ‖ LE32(uint32(nonce)) ‖ vector`.
   */
  dataFile(): Uint8Array {
    const rec = 8 + this.vectorLength;
    const out = new Uint8Array(rec * this.leaves);
    const dv = new DataView(out.buffer);
    for (let i = 0; i < this.leaves; i++) {
      dv.setUint32(i * rec, 4 + this.vectorLength, true);
      dv.setUint32(i * rec + 4, this.nonces[i] >>> 0, true);
      out.set(this.vectors.subarray(i * this.vectorLength, (i + 1) * this.vectorLength), i * rec + 8);
    }
    return out;
  }

  /**
   * Rebuilds a store from an `artifacts.data` file (and optionally its `nodes.json` counts).
   *
   * @throws {InvalidArgumentError} for a truncated file or a record of the wrong length.
   * @throws {DuplicateNonceError} when a nonce repeats.
   */
  static fromDataFile(data: Uint8Array, options: ArtifactMmrOptions & { nodeCounts?: Record<string, number> } = {}): ArtifactMmr {
    if (!(data instanceof Uint8Array)) throw new InvalidArgumentError("data", "expected a Uint8Array");
    const store = new ArtifactMmr(options);
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let off = 0;
    while (off < data.length) {
      if (off + 8 > data.length) throw new InvalidArgumentError("data", `truncated record header at byte ${off}`);
      const len = dv.getUint32(off, true);
      if (len !== 4 + store.vectorLength) {
        throw new InvalidArgumentError("data", `record at byte ${off} holds ${len} bytes, expected ${4 + store.vectorLength} (kDim ${store.kDim})`);
      }
      if (off + 4 + len > data.length) throw new InvalidArgumentError("data", `truncated record at byte ${off}`);
      store.append(dv.getInt32(off + 4, true), data.slice(off + 8, off + 4 + len));
      off += 4 + len;
    }
    for (const [k, v] of Object.entries(options.nodeCounts ?? {})) store.perNode.set(k, requireInt(v, `nodeCounts.${k}`, 0, MAX_MMR_LEAVES));
    return store;
  }
}

/** What {@link verifyMmrProof} checks. */
export interface MmrProofArgs {
  /** The committed root (32 bytes). */
  root: Uint8Array;
  /** The committed count the proof is for. */
  count: number;
  leafIndex: number;
  /** The leaf's nonce (int32; hashed as its uint32 bit pattern). */
  nonce: number;
  vectorBytes: Uint8Array;
  /** Sibling hashes (lowest first), then the other peaks left to right. */
  proof: Uint8Array[];
}

function proofProblem(args: MmrProofArgs): { reason: "index" | "short" | "root"; problem: string } | null {
  const { root, count, leafIndex, nonce, vectorBytes, proof } = args;
  if (!(root instanceof Uint8Array)) throw new InvalidArgumentError("root", "expected a Uint8Array");
  if (!(vectorBytes instanceof Uint8Array)) throw new InvalidArgumentError("vectorBytes", "expected a Uint8Array");
  if (!Array.isArray(proof) || !proof.every((p) => p instanceof Uint8Array)) throw new InvalidArgumentError("proof", "expected an array of Uint8Array hashes");
  requireInt(count, "count", 0, 0xffffffff);
  requireInt(leafIndex, "leafIndex", 0, 0xffffffff);
  requireInt(nonce, "nonce", INT32_MIN, 0xffffffff);
  if (leafIndex >= count) return { reason: "index", problem: `leaf index ${leafIndex} is not below count ${count}` };
  const ms = mountains(count);
  const mine = ms.findIndex((m) => leafIndex < m.firstLeaf + 2 ** m.height);
  const m = ms[mine];
  if (proof.length < m.height) return { reason: "short", problem: `${proof.length} hashes, the leaf's mountain needs ${m.height} siblings` };
  let cur = leafHash(nonce, vectorBytes);
  const local = leafIndex - m.firstLeaf;
  for (let level = 0; level < m.height; level++) {
    cur = Math.floor(local / 2 ** level) % 2 === 0 ? nodeHash(cur, proof[level]) : nodeHash(proof[level], cur);
  }
  const need = m.height + ms.length - 1;
  if (proof.length < need) return { reason: "short", problem: `${proof.length} hashes, expected ${need} (siblings and ${ms.length - 1} other peaks)` };
  const peaks = proof.slice(m.height, need);
  peaks.splice(mine, 0, cur);
  if (!equalBytes(bagPeaks(peaks), root)) return { reason: "root", problem: "the proof leads to another root" };
  return null;
}

/**
 * Verifies an inclusion proof against a committed `(count, root)` the way the network node's
 * validator does. Extra trailing hashes are ignored (upstream behaviour: such a proof verifies).
 * Returns `false` for a leaf index ≥ count, a proof too short, or a root mismatch.
 *
 * @example
 * ```ts
 * verifyMmrProof({ root, count, leafIndex: 5, nonce: 16, vectorBytes, proof }); // true
 * ```
 */
export function verifyMmrProof(args: MmrProofArgs): boolean {
  return proofProblem(args) === null;
}

/**
 * Like {@link verifyMmrProof}, but throws an {@link MmrProofError} saying why a proof fails.
 */
export function checkMmrProof(args: MmrProofArgs): void {
  const p = proofProblem(args);
  if (p) throw new MmrProofError(args.leafIndex, p.reason, p.problem);
}
