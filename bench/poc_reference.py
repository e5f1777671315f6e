#!/usr/bin/env python3
"""Float32 numpy reference of the Gonka PoC model, written from the SDK's spec (poc.md §2-4).

Used by bench/poc.ts as the speed reference ("numpy with its BLAS") and, with --check, to confirm
it reproduces test/fixtures/poc.json. Usage:
  python3 bench/poc_reference.py --check                       # distances of every poc.json case
  python3 bench/poc_reference.py --bench small --seconds 5     # nonces/s, JSON on stdout
  python3 bench/poc_reference.py --bench v2x2 --nonces 1
  python3 bench/poc_reference.py --distances small 2000        # float32 distances of nonces 0..N-1, JSON
  python3 bench/poc_reference.py --dump small DIR              # weights/inputs as raw float32 (dev aid)
"""
import argparse, hashlib, json, math, os, sys, time
import numpy as np

def entropy(seed, k):
    words = []
    for i in range(k):
        d = hashlib.sha256(f"{seed}_{i}".encode()).digest()
        words += [int.from_bytes(d[4 * j:4 * j + 4], "little") for j in range(8)]
    return words

def rng(seed, k):
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy(seed, k))))

def hidden_size(p):
    h = int(2 * 4 * p["dim"] / 3)
    h = int(p["ffn_dim_multiplier"] * h)
    m = p["multiple_of"]
    return m * ((h + m - 1) // m)

def param_shapes(p):
    d, hd = p["dim"], p["dim"] // p["n_heads"]
    hid = hidden_size(p)
    out = [("tok_embeddings.weight", (p["vocab_size"], d))]
    for i in range(p["n_layers"]):
        a = f"layers.{i}."
        out += [(a + "attention.wq.weight", (p["n_heads"] * hd, d)), (a + "attention.wk.weight", (p["n_kv_heads"] * hd, d)),
                (a + "attention.wv.weight", (p["n_kv_heads"] * hd, d)), (a + "attention.wo.weight", (d, p["n_heads"] * hd)),
                (a + "feed_forward.w1.weight", (hid, d)), (a + "feed_forward.w2.weight", (d, hid)),
                (a + "feed_forward.w3.weight", (hid, d)), (a + "attention_norm.weight", (d,)), (a + "ffn_norm.weight", (d,))]
    out += [("norm.weight", (d,)), ("output.weight", (p["vocab_size"], d))]
    return out

def init_weights(p, block_hash, skip=("tok_embeddings.weight",)):
    shapes = param_shapes(p)
    total = sum(int(np.prod(s)) for _, s in shapes)
    pool_n = max(50000, int(total * 0.05))
    pool = rng(block_hash, 4).normal(0, 0.02, size=pool_n).astype(np.float32).astype(np.float16)
    w = {}
    for name, shape in shapes:
        if name in skip:
            continue
        n = int(np.prod(shape))
        h = int(hashlib.sha256(f"{block_hash}_{name}".encode()).hexdigest()[:8], 16)
        if n <= pool_n:
            s = h % (pool_n - n + 1)
            v = pool[s:s + n]
        else:
            v = np.concatenate([np.tile(pool, n // pool_n), pool[:n % pool_n]])
            sh = h % n
            v = np.concatenate([v[sh:], v[:sh]])
        w[name] = v.astype(np.float32).reshape(shape)
    return w

def inputs(p, block_hash, public_key, nonce):
    g = rng(f"{block_hash}_{public_key}_nonce{nonce}", 4)
    return g.standard_normal((p["seq_len"], p["dim"])).astype(np.float32).astype(np.float16).astype(np.float32)

def permutation(p, block_hash, public_key, nonce):
    return rng(f"{block_hash}_{public_key}_nonce_{nonce}_permutations", 1).permutation(p["vocab_size"])

def target(p, block_hash):
    t = rng(f"{block_hash}_target", 1).standard_normal(p["vocab_size"])
    return t / np.linalg.norm(t)

def rope_tables(p):
    hd = p["dim"] // p["n_heads"]
    freqs = (1.0 / (np.float32(p["rope_theta"]) ** (np.arange(0, hd, 2, dtype=np.float32) / np.float32(hd)))).astype(np.float32)
    if p["use_scaled_rope"]:
        new = []
        for f in freqs.astype(np.float64):
            wl = 2 * math.pi / f
            if wl < 8192 / 4: new.append(f)
            elif wl > 8192 / 1: new.append(f / 8)
            else:
                sm = (8192 / wl - 1) / (4 - 1)
                new.append((1 - sm) * f / 8 + sm * f)
        freqs = np.array(new, dtype=np.float32)
    ang = np.outer(np.arange(p["seq_len"], dtype=np.float32), freqs).astype(np.float32)
    return np.cos(ang).astype(np.float32), np.sin(ang).astype(np.float32)

def rms(x, w, eps):
    return (x * (1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + np.float32(eps)))).astype(np.float32) * w

def apply_rope(x, cos, sin):  # x [B, S, H, hd]
    re, im = x[..., 0::2], x[..., 1::2]
    c, s = cos[None, :, None, :], sin[None, :, None, :]
    out = np.empty_like(x)
    out[..., 0::2] = re * c - im * s
    out[..., 1::2] = re * s + im * c
    return out

def forward(p, w, x, tables):
    """x [B, S, dim] float32 → last-position logits [B, vocab]."""
    B, S, D = x.shape
    H, KV = p["n_heads"], p["n_kv_heads"]
    hd = D // H
    cos, sin = tables
    mask = np.triu(np.full((S, S), -np.inf, dtype=np.float32), 1)
    for i in range(p["n_layers"]):
        a = f"layers.{i}."
        n = rms(x, w[a + "attention_norm.weight"], p["norm_eps"])
        q = (n @ w[a + "attention.wq.weight"].T).reshape(B, S, H, hd)
        k = (n @ w[a + "attention.wk.weight"].T).reshape(B, S, KV, hd)
        v = (n @ w[a + "attention.wv.weight"].T).reshape(B, S, KV, hd)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        rep = H // KV
        k = np.repeat(k, rep, axis=2); v = np.repeat(v, rep, axis=2)
        q, k, v = q.transpose(0, 2, 1, 3), k.transpose(0, 2, 1, 3), v.transpose(0, 2, 1, 3)
        sc = (q @ k.transpose(0, 1, 3, 2)) / np.float32(math.sqrt(hd)) + mask
        sc = np.exp(sc - sc.max(-1, keepdims=True))
        sc = (sc / sc.sum(-1, keepdims=True)).astype(np.float32)
        o = (sc @ v).transpose(0, 2, 1, 3).reshape(B, S, D)
        h = x + o @ w[a + "attention.wo.weight"].T
        n = rms(h, w[a + "ffn_norm.weight"], p["norm_eps"])
        g = n @ w[a + "feed_forward.w1.weight"].T
        g = (g / (1 + np.exp(-g))) * (n @ w[a + "feed_forward.w3.weight"].T)
        x = h + g @ w[a + "feed_forward.w2.weight"].T
    last = rms(x[:, -1, :], w["norm.weight"], p["norm_eps"])
    return last @ w["output.weight"].T

def distances(p, bh, pk, w, tgt, nonces, logits):
    out = []
    for j, nonce in enumerate(nonces):
        o = logits[j].astype(np.float64)[permutation(p, bh, pk, nonce)]
        o = o / np.linalg.norm(o)
        out.append(float(np.linalg.norm(o - tgt)))
    return out

V2 = dict(dim=1792, n_layers=64, n_heads=64, n_kv_heads=64, vocab_size=8196, ffn_dim_multiplier=10.0, multiple_of=8192,
          norm_eps=1e-5, rope_theta=10000.0, use_scaled_rope=False, seq_len=256)

def load_case(name):
    fx = json.load(open(os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "poc.json")))
    if name == "v2x2":
        return dict(name="v2x2", params=dict(V2, n_layers=2), blockHash="BENCHV2X2", publicKey="bench")
    return next(c for c in fx["cases"] if c["name"] == name)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--bench")
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--nonces", type=int, default=0)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--dump", nargs=2)
    ap.add_argument("--distances", nargs=2, metavar=("CASE", "N"))
    a = ap.parse_args()
    if a.check:
        fx = json.load(open(os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "poc.json")))
        for c in fx["cases"]:
            p, bh, pk = c["params"], c["blockHash"], c["publicKey"]
            w = init_weights(p, bh); tb = rope_tables(p); tgt = target(p, bh)
            x = np.stack([inputs(p, bh, pk, n) for n in c["nonces"]])
            lg = forward(p, w, x, tb)
            d = distances(p, bh, pk, w, tgt, c["nonces"], lg)
            err = max(abs(u - v) for u, v in zip(d, c["distances"]))
            lerr = max(abs(u - v) / abs(v) for u, v in zip(lg[0][:16], c["logits_nonce0_first"]))
            print(f"{c['name']}: max |dist - vector| = {err:.2e}, logits rel err {lerr:.2e}")
        return
    if a.distances:
        c = load_case(a.distances[0]); n = int(a.distances[1])
        p, bh, pk = c["params"], c["blockHash"], c["publicKey"]
        w = init_weights(p, bh); tb = rope_tables(p); tgt = target(p, bh)
        out = []
        for s0 in range(0, n, 16):
            ns = list(range(s0, min(n, s0 + 16)))
            lg = forward(p, w, np.stack([inputs(p, bh, pk, k) for k in ns]), tb)
            out += distances(p, bh, pk, w, tgt, ns, lg)
        print(json.dumps(out))
        return
    if a.dump:
        c = load_case(a.dump[0]); os.makedirs(a.dump[1], exist_ok=True)
        p, bh, pk = c["params"], c["blockHash"], c["publicKey"]
        w = init_weights(p, bh)
        for k, v in w.items():
            v.astype(np.float32).tofile(os.path.join(a.dump[1], k + ".f32"))
        xs = np.stack([inputs(p, bh, pk, n) for n in c.get("nonces", [0])])
        xs.tofile(os.path.join(a.dump[1], "inputs.f32"))
        forward(p, w, xs, rope_tables(p)).astype(np.float32).tofile(os.path.join(a.dump[1], "logits.f32"))
        return
    c = load_case(a.bench)
    p, bh, pk = c["params"], c["blockHash"], c["publicKey"]
    t0 = time.time(); w = init_weights(p, bh); tb = rope_tables(p); tgt = target(p, bh); t_init = time.time() - t0
    B = a.batch if not a.nonces else min(a.batch, a.nonces)
    done, t_compute, nonce = 0, 0.0, 0
    while True:
        xs = np.stack([inputs(p, bh, pk, nonce + j) for j in range(B)])
        t1 = time.time(); lg = forward(p, w, xs, tb); t_compute += time.time() - t1
        distances(p, bh, pk, w, tgt, list(range(nonce, nonce + B)), lg)
        nonce += B; done += B
        if (a.nonces and done >= a.nonces) or (not a.nonces and t_compute >= a.seconds):
            break
    print(json.dumps(dict(reference="numpy-float32", numpy=np.__version__, shape=a.bench, batch=B, nonces=done,
                          forward_seconds=t_compute, nonces_per_s=done / t_compute, init_seconds=t_init)))

if __name__ == "__main__":
    main()
