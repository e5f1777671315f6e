#!/usr/bin/env python3
"""PyTorch reference of the Gonka PoC v1 forward pass, written from the SDK's spec (poc.md §3-4).

The model is the one the MLNode runs: a Llama-3-style decoder fed with embeddings (no token lookup,
start position 0, no KV cache): per layer RMSNorm -> GQA attention with RoPE (optionally Llama-3.1
scaled) and a causal mask -> residual -> RMSNorm -> SwiGLU FFN -> residual; then RMSNorm and the
output projection of the last position; distance = ||logits[perm]/||logits[perm]|| - target||.

Two modes:

  --bench   random weights of the shape (normal(0, 0.02), like the network's pool), random inputs;
            warm-up, then timed batches. nonces/s and TFLOP/s, FLOPs counted as bench/poc.ts counts
            them (matmuls only, every position through every layer, the output for the last one).
  --check   weights, inputs (and optionally permutations and the target) from files our side wrote
            (a manifest.json naming raw little-endian or .npy files), the forward pass in float32 by
            default; writes the logits (and distances) next to them for comparison.

Shapes: a preset name (tiny, gqa-scaled-rope, small: the golden-vector cases of poc.json; v1, v2,
testnet: the network's presets), a JSON object (snake_case, or the SDK's camelCase), or a path to a
JSON file; --layers N cuts the model to N layers (the issue's "V2 cut to 4 layers" is --params v2
--layers 4).

  python3 bench/poc_reference_torch.py --bench --params v2 --layers 4 --batch 16
  python3 bench/poc_reference_torch.py --bench --params small --device cpu --dtype fp32 --seconds 5
  python3 bench/poc_reference_torch.py --check DIR            # DIR/manifest.json -> DIR/torch_*

Manifest of --check (dtype: float32, float16, float64, int32, int64, uint32; files relative to DIR;
a name ending in .npy is read with numpy.load, anything else as raw little-endian values):

  {"params": {...}, "batch": B,
   "inputs": {"file": "inputs.f32", "dtype": "float32", "shape": [B, seq_len, dim]},
   "weights": {"layers.0.attention.wq.weight": {"file": "...", "dtype": "float32", "shape": [..]}, ...,
               "norm.weight": ..., "output.weight": ...},
   "permutations": {"file": "perm.u32", "dtype": "uint32", "shape": [B, vocab_size]},   (optional)
   "target": {"file": "target.f64", "dtype": "float64", "shape": [vocab_size]}}         (optional)

It writes DIR/torch_logits.f32 (float32 little-endian [B, vocab_size]) and DIR/torch_result.json
(the distances in float64 when permutations and target were given), and prints that JSON.
"""
import argparse
import json
import math
import os
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.exit(f"error: {e}. This reference needs PyTorch and numpy (pip install torch numpy, or Debian's python3-torch).")

HERE = os.path.dirname(os.path.abspath(__file__))

PRESETS = {
    # The golden-vector cases of test/fixtures/poc.json.
    "tiny": dict(dim=64, n_layers=2, n_heads=4, n_kv_heads=4, vocab_size=100, ffn_dim_multiplier=1.3, multiple_of=32,
                 norm_eps=1e-5, rope_theta=10000.0, use_scaled_rope=False, seq_len=8),
    "gqa-scaled-rope": dict(dim=96, n_layers=3, n_heads=6, n_kv_heads=2, vocab_size=130, ffn_dim_multiplier=10.0,
                            multiple_of=64, norm_eps=1e-5, rope_theta=500000.0, use_scaled_rope=True, seq_len=16),
    "small": dict(dim=256, n_layers=4, n_heads=8, n_kv_heads=8, vocab_size=1000, ffn_dim_multiplier=10.0, multiple_of=256,
                  norm_eps=1e-5, rope_theta=10000.0, use_scaled_rope=False, seq_len=32),
    # src/poc/model/presets.ts: POC_PARAMS_V1 (the MLNode default), POC_PARAMS_V2 (mainnet), POC_PARAMS_TESTNET.
    "v1": dict(dim=2048, n_layers=16, n_heads=16, n_kv_heads=16, vocab_size=8192, ffn_dim_multiplier=1.3, multiple_of=1024,
               norm_eps=1e-5, rope_theta=500000.0, use_scaled_rope=False, seq_len=16),
    "v2": dict(dim=1792, n_layers=64, n_heads=64, n_kv_heads=64, vocab_size=8196, ffn_dim_multiplier=10.0, multiple_of=8192,
               norm_eps=1e-5, rope_theta=10000.0, use_scaled_rope=False, seq_len=256),
    "testnet": dict(dim=1024, n_layers=32, n_heads=32, n_kv_heads=32, vocab_size=8196, ffn_dim_multiplier=10.0,
                    multiple_of=2048, norm_eps=1e-5, rope_theta=10000.0, use_scaled_rope=False, seq_len=128),
}
# bench/poc.ts names the V2 shape cut to 2 layers "v2x2".
PRESETS["v2x2"] = dict(PRESETS["v2"], n_layers=2)

CAMEL = dict(dim="dim", nLayers="n_layers", nHeads="n_heads", nKvHeads="n_kv_heads", vocabSize="vocab_size",
             ffnDimMultiplier="ffn_dim_multiplier", multipleOf="multiple_of", normEps="norm_eps", ropeTheta="rope_theta",
             useScaledRope="use_scaled_rope", seqLen="seq_len")
INT_FIELDS = ("dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "multiple_of", "seq_len")
FLOAT_FIELDS = ("ffn_dim_multiplier", "norm_eps", "rope_theta")


class UsageError(Exception):
    """Bad input: the message says what was wrong and what to do."""


# ---------------------------------------------------------------------------------------------
# Shape
# ---------------------------------------------------------------------------------------------

def parse_params(spec):
    """A preset name, a JSON object string, or a path to a JSON file -> validated snake_case params."""
    if isinstance(spec, dict):
        raw = spec
    elif spec in PRESETS:
        raw = PRESETS[spec]
    elif spec.lstrip().startswith("{"):
        try:
            raw = json.loads(spec)
        except json.JSONDecodeError as e:
            raise UsageError(f"--params is not valid JSON ({e})")
    elif os.path.isfile(spec):
        with open(spec) as f:
            raw = json.load(f)
        if isinstance(raw, dict) and "params" in raw:
            raw = raw["params"]
    else:
        raise UsageError(f"--params {spec!r}: not a preset ({', '.join(PRESETS)}), a JSON object or a JSON file")
    if not isinstance(raw, dict):
        raise UsageError("params must be a JSON object")
    p = {CAMEL.get(k, k): v for k, v in raw.items()}
    for k in INT_FIELDS:
        if not isinstance(p.get(k), int) or isinstance(p.get(k), bool) or p[k] < 1:
            raise UsageError(f"params.{k} must be a positive integer, got {p.get(k)!r}")
    for k in FLOAT_FIELDS:
        if not isinstance(p.get(k), (int, float)) or isinstance(p.get(k), bool) or not p[k] > 0 or not math.isfinite(p[k]):
            raise UsageError(f"params.{k} must be a positive number, got {p.get(k)!r}")
    if not isinstance(p.get("use_scaled_rope"), bool):
        raise UsageError(f"params.use_scaled_rope must be true or false, got {p.get('use_scaled_rope')!r}")
    if p["dim"] % p["n_heads"]:
        raise UsageError(f"params.dim {p['dim']} is not divisible by n_heads {p['n_heads']}")
    if p["n_heads"] % p["n_kv_heads"]:
        raise UsageError(f"params.n_heads {p['n_heads']} is not divisible by n_kv_heads {p['n_kv_heads']}")
    if (p["dim"] // p["n_heads"]) % 2:
        raise UsageError(f"head size {p['dim'] // p['n_heads']} must be even for RoPE")
    return {k: p[k] for k in INT_FIELDS + FLOAT_FIELDS + ("use_scaled_rope",)}


def hidden_size(p):
    """FFN hidden size: int(2*4*dim/3), times ffn_dim_multiplier (truncated), up to a multiple of multiple_of."""
    h = int(2 * 4 * p["dim"] / 3)
    h = int(p["ffn_dim_multiplier"] * h)
    m = p["multiple_of"]
    return m * ((h + m - 1) // m)


def parameter_shapes(p):
    """(name, shape) of every parameter the forward pass reads, in registration order (the unused token
    embedding table is left out)."""
    d, hd, hid = p["dim"], p["dim"] // p["n_heads"], hidden_size(p)
    q, kv = p["n_heads"] * hd, p["n_kv_heads"] * hd
    out = []
    for i in range(p["n_layers"]):
        a = f"layers.{i}."
        out += [
            (a + "attention.wq.weight", (q, d)), (a + "attention.wk.weight", (kv, d)),
            (a + "attention.wv.weight", (kv, d)), (a + "attention.wo.weight", (d, q)),
            (a + "feed_forward.w1.weight", (hid, d)), (a + "feed_forward.w2.weight", (d, hid)),
            (a + "feed_forward.w3.weight", (hid, d)), (a + "attention_norm.weight", (d,)), (a + "ffn_norm.weight", (d,)),
        ]
    return out + [("norm.weight", (d,)), ("output.weight", (p["vocab_size"], d))]


def flops_per_nonce(p):
    """Matmul FLOPs of one nonce, counted as bench/poc.ts counts them. `reference`: every position through
    every layer, the output projection for the last position (what this script computes); `engine`: the
    SDK's engine, which stops all but the last position after the last layer's keys and values."""
    d, hd, hid, s, n = p["dim"], p["dim"] // p["n_heads"], hidden_size(p), p["seq_len"], p["n_layers"]
    qw, kw = p["n_heads"] * hd, p["n_kv_heads"] * hd
    kv = 2 * d * kw
    rest = d * qw + qw * d + 3 * d * hid
    out = d * p["vocab_size"]
    return dict(reference=2 * (n * s * (kv + rest) + out), engine=2 * ((n - 1) * s * (kv + rest) + s * kv + rest + out))


# ---------------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------------

def rope_frequencies(p):
    """float32 `1 / theta^(2i/head_dim)` for i < head_dim/2, with Llama-3.1 scaling when use_scaled_rope
    (factor 8, low-frequency factor 1, high-frequency factor 4, original context 8192)."""
    hd = p["dim"] // p["n_heads"]
    exponent = torch.arange(0, hd, 2, dtype=torch.float32) / hd
    freqs = 1.0 / torch.pow(torch.tensor(float(p["rope_theta"]), dtype=torch.float32), exponent)
    if not p["use_scaled_rope"]:
        return freqs
    factor, low, high, context = 8.0, 1.0, 4.0, 8192.0
    low_wavelen, high_wavelen = context / low, context / high
    scaled = []
    for f in freqs.tolist():  # float32 values, widened
        wavelen = 2 * math.pi / f
        if wavelen < high_wavelen:  # short wavelengths keep their frequency
            scaled.append(f)
        elif wavelen > low_wavelen:  # long wavelengths are slowed down by the factor
            scaled.append(f / factor)
        else:  # in between: interpolate
            smooth = (context / wavelen - low) / (high - low)
            scaled.append((1 - smooth) * f / factor + smooth * f)
    return torch.tensor(scaled, dtype=torch.float32)


def rope_tables(p, device):
    """cos and sin of `pos * freq_i`, float32 [seq_len, head_dim/2]."""
    freqs = rope_frequencies(p)
    angles = torch.outer(torch.arange(p["seq_len"], dtype=torch.float32), freqs)
    return torch.cos(angles).to(device), torch.sin(angles).to(device)


def rms_norm(x, weight, eps):
    """`x * rsqrt(mean(x^2) + eps) * weight`, the statistics in float32."""
    xf = x.float()
    return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps)).to(x.dtype) * weight


def apply_rope(x, cos, sin):
    """Rotates the adjacent pairs (x[2i], x[2i+1]) of x [B, S, heads, head_dim] by pos * freq_i (in float32)."""
    b, s, h, hd = x.shape
    pairs = x.float().reshape(b, s, h, hd // 2, 2)
    re, im = pairs[..., 0], pairs[..., 1]
    c, sn = cos[None, :, None, :], sin[None, :, None, :]
    out = torch.stack((re * c - im * sn, re * sn + im * c), dim=-1)
    return out.reshape(b, s, h, hd).to(x.dtype)


class PocModel:
    """The forward pass over a dict of weights (torch tensors [out, in] for linear layers, on one device,
    one dtype). `attention`: "explicit" (scores in the model dtype, causal mask, softmax in float32, as
    the spec says) or "sdpa" (torch's fused scaled_dot_product_attention, causal; torch >= 2.0)."""

    def __init__(self, p, weights, device, dtype, attention="explicit"):
        self.p, self.w, self.device, self.dtype, self.attention = p, weights, device, dtype, attention
        self.head_dim = p["dim"] // p["n_heads"]
        self.cos, self.sin = rope_tables(p, device)
        s = p["seq_len"]
        self.mask = torch.triu(torch.full((s, s), float("-inf"), device=device), 1).to(dtype)

    def attend(self, q, k, v):
        """q [B, H, S, hd], k and v [B, H, S, hd] -> [B, H, S, hd]."""
        if self.attention == "sdpa":
            return F.scaled_dot_product_attention(q, k, v, is_causal=True)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim) + self.mask
        probs = F.softmax(scores.float(), dim=-1).to(q.dtype)
        return torch.matmul(probs, v)

    def forward(self, x):
        """x [B, seq_len, dim] (model dtype) -> last-position logits [B, vocab_size] in float32."""
        p, w = self.p, self.w
        b, s, d = x.shape
        h, kvh, hd, eps = p["n_heads"], p["n_kv_heads"], self.head_dim, p["norm_eps"]
        group = h // kvh
        for i in range(p["n_layers"]):
            a = f"layers.{i}."
            n = rms_norm(x, w[a + "attention_norm.weight"], eps)
            q = F.linear(n, w[a + "attention.wq.weight"]).view(b, s, h, hd)
            k = F.linear(n, w[a + "attention.wk.weight"]).view(b, s, kvh, hd)
            v = F.linear(n, w[a + "attention.wv.weight"]).view(b, s, kvh, hd)
            q, k = apply_rope(q, self.cos, self.sin), apply_rope(k, self.cos, self.sin)
            if group > 1:  # kv head j serves query heads j*group .. j*group+group-1
                k = k.repeat_interleave(group, dim=2)
                v = v.repeat_interleave(group, dim=2)
            o = self.attend(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2))
            o = o.transpose(1, 2).reshape(b, s, h * hd)
            x = x + F.linear(o, w[a + "attention.wo.weight"])
            n = rms_norm(x, w[a + "ffn_norm.weight"], eps)
            gate = F.silu(F.linear(n, w[a + "feed_forward.w1.weight"])) * F.linear(n, w[a + "feed_forward.w3.weight"])
            x = x + F.linear(gate, w[a + "feed_forward.w2.weight"])
        last = rms_norm(x[:, -1, :], w["norm.weight"], eps)
        return F.linear(last, w["output.weight"]).float()


def distances(logits, perms, target):
    """float64 `|| o / ||o|| - target ||` with `o = logits[perm]`, per nonce. logits [B, V], perms [B, V]
    (int64), target [V] (float64, unit length)."""
    o = torch.gather(logits.double().cpu(), 1, perms.cpu())
    o = o / torch.linalg.vector_norm(o, dim=1, keepdim=True)
    return torch.linalg.vector_norm(o - target.double().cpu()[None, :], dim=1)


# ---------------------------------------------------------------------------------------------
# Devices and dtypes
# ---------------------------------------------------------------------------------------------

DTYPES = {"fp16": torch.float16, "fp32": torch.float32, "bf16": torch.bfloat16}


def pick_device(name):
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise UsageError("--device cuda: torch sees no CUDA device (torch.cuda.is_available() is False); use --device cpu")
    return torch.device(name)


def pick_dtype(name, device, default_cuda, default_cpu):
    if name == "auto":
        name = default_cuda if device.type == "cuda" else default_cpu
    if name not in DTYPES:
        raise UsageError(f"--dtype {name}: use one of {', '.join(DTYPES)}")
    try:  # older torch has no half-precision matmul on the CPU
        F.linear(torch.ones((1, 2), dtype=DTYPES[name], device=device), torch.ones((2, 2), dtype=DTYPES[name], device=device))
    except RuntimeError as e:
        raise UsageError(f"torch {torch.__version__} cannot multiply {name} matrices on {device.type} ({e}); "
                         "use --dtype fp32 (or bf16), or --device cuda")
    return name, DTYPES[name]


def device_name(device):
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    import platform
    return f"cpu ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads)"


def pick_attention(name, dtype):
    if name == "auto":
        # The fused kernel when torch has it and the model runs in half precision (the fast baseline);
        # the spec's explicit float32 softmax otherwise.
        return "sdpa" if hasattr(F, "scaled_dot_product_attention") and dtype != torch.float32 else "explicit"
    if name == "sdpa" and not hasattr(F, "scaled_dot_product_attention"):
        raise UsageError(f"--attention sdpa needs torch >= 2.0 (this is {torch.__version__})")
    return name


# torch >= 1.13 raises torch.cuda.OutOfMemoryError; the CPU allocator raises RuntimeError/MemoryError.
OUT_OF_MEMORY = (getattr(torch.cuda, "OutOfMemoryError", MemoryError), MemoryError)


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


# ---------------------------------------------------------------------------------------------
# --bench
# ---------------------------------------------------------------------------------------------

def random_weights(p, device, dtype, seed):
    """normal(0, 0.02) for every parameter, like the network's pool (norm weights included)."""
    g = torch.Generator(device=device)
    g.manual_seed(seed)
    w = {}
    for name, shape in parameter_shapes(p):
        t = torch.empty(shape, device=device, dtype=torch.float32)
        t.normal_(0.0, 0.02, generator=g)
        w[name] = t.to(dtype)
        del t
    return w


def bench(a):
    p = parse_params(a.params)
    if a.layers:
        p["n_layers"] = a.layers
    device = pick_device(a.device)
    dtype_name, dtype = pick_dtype(a.dtype, device, "fp16", "fp32")
    attention = pick_attention(a.attention, dtype)
    if a.threads:
        torch.set_num_threads(a.threads)
    if device.type == "cuda" and a.tf32:
        torch.backends.cuda.matmul.allow_tf32 = True
    t0 = time.time()
    try:
        w = random_weights(p, device, dtype, a.seed)
        model = PocModel(p, w, device, dtype, attention)
        g = torch.Generator(device=device)
        g.manual_seed(a.seed + 1)
        x = torch.randn((a.batch, p["seq_len"], p["dim"]), generator=g, device=device, dtype=torch.float32).to(dtype)
    except OUT_OF_MEMORY as e:
        raise UsageError(f"out of memory for the weights of this shape ({e}); use --layers to cut the model")
    sync(device)
    init_seconds = time.time() - t0
    try:
        return timed(a, p, device, dtype_name, attention, model, w, x, init_seconds)
    except OUT_OF_MEMORY as e:
        raise UsageError(f"out of memory in the forward pass of batch {a.batch} ({e}); use a smaller --batch")


def timed(a, p, device, dtype_name, attention, model, w, x, init_seconds):
    """Warm-up batches, then timed ones; the --bench result."""
    with torch.inference_mode():
        for _ in range(a.warmup):
            model.forward(x)
        sync(device)
        batches, t0 = 0, time.time()
        while True:
            logits = model.forward(x)
            batches += 1
            if a.iters and batches >= a.iters:
                break
            # On CUDA, batches are queued and the clock read every --sync-every; on the CPU, every batch.
            if not a.iters and (device.type != "cuda" or batches % max(1, a.sync_every) == 0):
                sync(device)
                if time.time() - t0 >= a.seconds:
                    break
        sync(device)
        seconds = time.time() - t0
    if not torch.isfinite(logits).all():
        raise UsageError("the forward pass produced non-finite logits; this dtype cannot run this shape")
    nonces = batches * a.batch
    fl = flops_per_nonce(p)
    rate = nonces / seconds
    weight_bytes = sum(t.numel() * t.element_size() for t in w.values())
    result = dict(
        reference="torch", torch=torch.__version__, cuda=torch.version.cuda, device=device_name(device), dtype=dtype_name,
        attention=attention, tf32=bool(device.type == "cuda" and a.tf32), params=p, hidden=hidden_size(p), batch=a.batch,
        warmup_batches=a.warmup, batches=batches, nonces=nonces, forward_seconds=seconds, nonces_per_s=rate,
        matmul_gflop_per_nonce=dict(reference=fl["reference"] / 1e9, engine=fl["engine"] / 1e9),
        tflops=rate * fl["reference"] / 1e12, weight_bytes=weight_bytes, init_seconds=init_seconds,
        peak_memory_bytes=torch.cuda.max_memory_allocated(device) if device.type == "cuda" else None,
        date=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        note="forward pass only (inputs already on the device), last-position logits to float32; TFLOP/s from the "
             "matmul FLOPs of every position through every layer (bench/poc.ts's 'reference' count)",
    )
    print(f"torch {torch.__version__} {dtype_name} {attention} on {result['device']}: batch {a.batch}, "
          f"{rate:.3f} nonces/s, {result['tflops']:.2f} TFLOP/s", file=sys.stderr)
    return result


# ---------------------------------------------------------------------------------------------
# --check
# ---------------------------------------------------------------------------------------------

NP_DTYPES = {"float32": "<f4", "float16": "<f2", "float64": "<f8", "int32": "<i4", "int64": "<i8", "uint32": "<u4"}


def read_array(folder, entry, what, shape=None):
    """One manifest entry {"file", "dtype", "shape"} -> numpy array; checks the shape."""
    if not isinstance(entry, dict) or "file" not in entry:
        raise UsageError(f"manifest: {what} must be an object with a 'file' (and 'dtype', 'shape' for raw files)")
    path = os.path.join(folder, entry["file"])
    if not os.path.isfile(path):
        raise UsageError(f"manifest: {what}: file {path} does not exist")
    if path.endswith(".npy"):
        arr = np.load(path, allow_pickle=False)
    else:
        dt = entry.get("dtype", "float32")
        if dt not in NP_DTYPES:
            raise UsageError(f"manifest: {what}: dtype {dt!r} is not one of {', '.join(NP_DTYPES)}")
        arr = np.fromfile(path, dtype=NP_DTYPES[dt])
        want = entry.get("shape")
        if want is None:
            raise UsageError(f"manifest: {what}: a raw file needs a 'shape'")
        if arr.size != int(np.prod(want)):
            raise UsageError(f"manifest: {what}: {path} holds {arr.size} {dt} values, the shape {want} needs {int(np.prod(want))}")
        arr = arr.reshape(want)
    if shape is not None and tuple(arr.shape) != tuple(shape):
        raise UsageError(f"manifest: {what} has shape {list(arr.shape)}, the model needs {list(shape)}")
    return arr


def check(a):
    folder = a.check
    mpath = os.path.join(folder, "manifest.json")
    if not os.path.isfile(mpath):
        raise UsageError(f"--check {folder}: no manifest.json there (see the usage at the top of this script)")
    with open(mpath) as f:
        m = json.load(f)
    p = parse_params(m.get("params"))
    device = pick_device(a.device if a.device != "auto" else "cpu")
    dtype_name, dtype = pick_dtype(a.dtype, device, "fp32", "fp32")
    attention = pick_attention("explicit" if a.attention == "auto" else a.attention, dtype)
    weights = m.get("weights") or {}
    w = {}
    for name, shape in parameter_shapes(p):
        if name not in weights:
            raise UsageError(f"manifest: weights has no {name} (every parameter of the shape is needed)")
        w[name] = torch.from_numpy(read_array(folder, weights[name], name, shape).astype(np.float32)).to(device).to(dtype)
    x = read_array(folder, m.get("inputs"), "inputs")
    if x.ndim != 3 or x.shape[1:] != (p["seq_len"], p["dim"]):
        raise UsageError(f"manifest: inputs has shape {list(x.shape)}, needs [batch, {p['seq_len']}, {p['dim']}]")
    batch = x.shape[0]
    model = PocModel(p, w, device, dtype, attention)
    with torch.inference_mode():
        logits = model.forward(torch.from_numpy(x.astype(np.float32)).to(device).to(dtype)).cpu()
    out_logits = os.path.join(folder, "torch_logits.f32")
    logits.numpy().astype("<f4").tofile(out_logits)
    result = dict(reference="torch", torch=torch.__version__, device=device_name(device), dtype=dtype_name, attention=attention,
                  params=p, batch=batch, logits_file=os.path.basename(out_logits), logits_shape=[batch, p["vocab_size"]])
    if m.get("permutations") is not None and m.get("target") is not None:
        perms = read_array(folder, m["permutations"], "permutations", (batch, p["vocab_size"])).astype(np.int64)
        if perms.min() < 0 or perms.max() >= p["vocab_size"]:
            raise UsageError("manifest: permutations holds an index outside 0 .. vocab_size-1")
        target = read_array(folder, m["target"], "target", (p["vocab_size"],)).astype(np.float64)
        result["distances"] = distances(logits, torch.from_numpy(perms), torch.from_numpy(target)).tolist()
    with open(os.path.join(folder, "torch_result.json"), "w") as f:
        json.dump(result, f, indent=1)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--bench", action="store_true", help="time random-weight forward passes of a shape")
    mode.add_argument("--check", metavar="DIR", help="run the forward pass on DIR/manifest.json's weights and inputs")
    ap.add_argument("--params", default="small", help="preset (%s), JSON object or JSON file (--bench)" % ", ".join(PRESETS))
    ap.add_argument("--layers", type=int, default=0, help="cut the model to this many layers (--bench)")
    ap.add_argument("--batch", type=int, default=16, help="nonces per forward pass (--bench; default 16)")
    ap.add_argument("--device", default="auto", help="cuda, cuda:N or cpu (default: cuda when present for --bench, cpu for --check)")
    ap.add_argument("--dtype", default="auto", help="fp16, fp32 or bf16 (default: --bench fp16 on CUDA and fp32 on CPU; --check fp32)")
    ap.add_argument("--attention", default="auto", choices=["auto", "explicit", "sdpa"],
                    help="explicit (float32 softmax, the spec) or sdpa (fused); auto: sdpa for half-precision --bench")
    ap.add_argument("--tf32", action="store_true", help="allow TF32 tensor cores for fp32 matmuls on CUDA (--bench)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed batches first (--bench; default 3)")
    ap.add_argument("--seconds", type=float, default=10.0, help="time batches for about this long (--bench; default 10)")
    ap.add_argument("--iters", type=int, default=0, help="time exactly this many batches instead of --seconds")
    ap.add_argument("--sync-every", type=int, default=4, help="batches queued between clock reads on CUDA (default 4)")
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (default: torch's choice)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the random weights and inputs (--bench)")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "poc_torch.json"),
                    help="write the --bench JSON here (default bench/results/poc_torch.json; '-' for stdout only)")
    a = ap.parse_args()
    try:
        for k in ("batch", "warmup", "iters", "layers", "threads", "sync_every"):
            v = getattr(a, k)
            if v < 0 or (k == "batch" and v < 1):
                raise UsageError(f"--{k.replace('_', '-')} must be {'a positive' if k == 'batch' else 'a non-negative'} integer")
        if a.seconds <= 0:
            raise UsageError("--seconds must be positive")
        result = check(a) if a.check else bench(a)
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    if a.bench and a.out != "-":
        os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        with open(a.out, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
