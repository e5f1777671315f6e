#!/usr/bin/env python3
"""numpy reference of the model-free PoC v2 functions, written from the SDK's spec (poc-v2.md §2, §3, §9).

Used by bench/pocv2.ts as the speed reference (numpy on the CPU; torch is not installed here) and by
the GONKA_LONG cross-check test/poc/v2/numpy-cross-check.test.ts. Usage:
  python3 bench/pocv2_reference.py --serve                        # bench: one command per line on stdin
  python3 bench/pocv2_reference.py --inputs BH PK NONCE SEQ DIM [--stronger] > x.f32   # raw float32 LE
"""
import argparse, hashlib, json, struct, sys, time
import numpy as np

M32 = np.uint32(0xFFFFFFFF)


def seed_from_string(s):
    return int(hashlib.sha256(s.encode("utf-8")).hexdigest()[:8], 16)


def rotl(x, r):
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def murmur3(keys, seed):
    """MurmurHash3_x86_32 of one 4-byte block per key, without the length mix-in (uint32 arrays wrap)."""
    k = keys.astype(np.uint32) * np.uint32(0xCC9E2D51)
    k = rotl(k, 15) * np.uint32(0x1B873593)
    h = np.uint32(seed) ^ k
    h = rotl(h, 13) * np.uint32(5) + np.uint32(0xE6546B64)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def normal(seed, n):
    """Box-Muller in float32: cosines first, then sines, truncated to n."""
    m = (n + 1) // 2
    u = murmur3(np.arange(2 * m, dtype=np.uint32), seed).astype(np.float32) * np.float32(2.0 ** -32)
    u1 = np.maximum(u[:m], np.float32(1e-10))
    u2 = u[m:]
    r = np.sqrt(np.float32(-2.0) * np.log(u1))
    theta = np.float32(6.283185307179586) * u2
    return np.concatenate([r * np.cos(theta), r * np.sin(theta)])[:n]


def inputs(block_hash, public_key, nonce, seq_len, dim, stronger=False):
    s = f"{block_hash}_{public_key}_nonce{nonce}"
    n = seq_len * dim
    if not stronger:
        return normal(seed_from_string(s), n)
    d = hashlib.sha256(s.encode("utf-8")).digest()
    seg = (n + 7) // 8
    parts = []
    for k in range(8):
        if k * seg >= n:
            break
        parts.append(normal(int.from_bytes(d[4 * k:4 * k + 4], "big"), min(seg, n - k * seg)))
    return np.concatenate(parts)


def to_bf16(x):
    b = x.view(np.uint32)
    return ((b + np.uint32(0x7FFF) + ((b >> np.uint32(16)) & np.uint32(1))) >> np.uint32(16)).astype(np.uint16)


class Mmr:
    """The network node's MMR: post-order node list, leaf 0x00 / node 0x01 domain bytes."""

    def __init__(self):
        self.nodes = []
        self.leaves = 0

    def append(self, nonce, vec):
        cur = hashlib.sha256(b"\x00" + struct.pack("<I", nonce & 0xFFFFFFFF) + vec).digest()
        self.nodes.append(cur)
        i, m = self.leaves + 1, 0
        while i % 2 == 0:
            cur = hashlib.sha256(b"\x01" + self.nodes[len(self.nodes) - (2 << m)] + cur).digest()
            self.nodes.append(cur)
            i //= 2
            m += 1
        self.leaves += 1

    @staticmethod
    def mountains(count):
        out, leaf, pos = [], 0, 0
        for h in range(31, -1, -1):
            if count >> h & 1:
                out.append((h, leaf, pos))
                leaf += 1 << h
                pos += (2 << h) - 1
        return out

    def root(self, count):
        peaks = [self.nodes[p + (2 << h) - 2] for h, _, p in self.mountains(count)]
        r = peaks[-1]
        for pk in reversed(peaks[:-1]):
            r = hashlib.sha256(b"\x01" + pk + r).digest()
        return r

    def proof(self, i, count):
        ms = self.mountains(count)
        out, mine = [], -1
        for k, (h, leaf, pos0) in enumerate(ms):
            if i < leaf + (1 << h):
                mine, local = k, i - leaf
                pos = pos0 + 2 * local - bin(local).count("1")
                for lv in range(h):
                    span = (2 << lv) - 1
                    if (local >> lv) & 1 == 0:
                        out.append(self.nodes[pos + span])
                        pos += span + 1
                    else:
                        out.append(self.nodes[pos - span])
                        pos += 1
                break
        out += [self.nodes[p + (2 << h) - 2] for k, (h, _, p) in enumerate(ms) if k != mine]
        return out


def verify(root, count, i, nonce, vec, proof):
    if i >= count:
        return False
    ms = Mmr.mountains(count)
    mine = next(k for k, (h, leaf, _) in enumerate(ms) if i < leaf + (1 << h))
    h, leaf, _ = ms[mine]
    if len(proof) < h + len(ms) - 1:
        return False
    cur = hashlib.sha256(b"\x00" + struct.pack("<I", nonce & 0xFFFFFFFF) + vec).digest()
    local = i - leaf
    for lv in range(h):
        s = proof[lv]
        cur = hashlib.sha256(b"\x01" + (cur + s if (local >> lv) & 1 == 0 else s + cur)).digest()
    peaks = list(proof[h:h + len(ms) - 1])
    peaks.insert(mine, cur)
    r = peaks[-1]
    for pk in reversed(peaks[:-1]):
        r = hashlib.sha256(b"\x01" + pk + r).digest()
    return r == root


def vector(i):
    """A deterministic 24-byte artifact for leaf i (same bytes as bench/pocv2.ts)."""
    return bytes(((i * 31 + j * 7) & 0xFF) for j in range(24))


def serve(cfg):
    bh, pk, seq, dim = cfg["blockHash"], cfg["publicKey"], cfg["seqLen"], cfg["dim"]
    n_norm, n_app, n_ver = cfg["normals"], cfg["appends"], cfg["verifies"]
    vecs = [vector(i) for i in range(n_app)]
    store = Mmr()
    for i in range(n_app):
        store.append(3 * i + 1, vecs[i])
    root = store.root(n_app)
    picks = [(i * 7919) % n_app for i in range(n_ver)]
    proofs = [store.proof(i, n_app) for i in picks]
    state = {"nonce": 0}

    def normals():
        normal(12345, n_norm)

    def qwen_inputs():
        to_bf16(inputs(bh, pk, state["nonce"], seq, dim))
        state["nonce"] += 1

    def appends():
        s = Mmr()
        for i in range(n_app):
            s.append(3 * i + 1, vecs[i])

    def verifies():
        for i, p in zip(picks, proofs):
            if not verify(root, n_app, i, 3 * i + 1, vecs[i], p):
                raise SystemExit("verify failed")

    fns = {"normals": normals, "inputs": qwen_inputs, "appends": appends, "verifies": verifies}
    for f in fns.values():
        f()
    print(json.dumps({"numpy": np.__version__, "python": sys.version.split()[0], "root": root.hex()}), flush=True)
    for line in sys.stdin:
        t0 = time.perf_counter()
        fns[line.strip()]()
        print(time.perf_counter() - t0, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--inputs", nargs=5, metavar=("BH", "PK", "NONCE", "SEQ", "DIM"))
    ap.add_argument("--stronger", action="store_true")
    a = ap.parse_args()
    if a.serve:
        serve(json.loads(sys.stdin.readline()))
    elif a.inputs:
        bh, pk, nonce, seq, dim = a.inputs
        x = inputs(bh, pk, int(nonce), int(seq), int(dim), a.stronger)
        sys.stdout.buffer.write(x.astype("<f4").tobytes())
    else:
        ap.print_help()


if __name__ == "__main__":
    main()
