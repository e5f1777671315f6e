#!/usr/bin/env bash
# Our WebGPU engine against the PyTorch fp16 reference (bench/poc_reference_torch.py) on the same
# NVIDIA GPU, same shape, same batch, in one run; writes one JSON with both and the ratio.
#
#   bench/gpu-compare.sh [PRESET [LAYERS [BATCH]]]       # default: v2 4 16 (the V2 shape cut to 4 layers)
#
# Needs: an NVIDIA GPU with its driver, the Vulkan loader (libvulkan1), Node with this checkout built
# (`npm run build`: dist/ and node_modules/webgpu), and python3 with torch (CUDA). ../shared/gpu.md
# has a recipe for a bare server. Environment:
#   NODE, PYTHON        binaries (default: node, python3)
#   RUNS                WebGPU runs, "precision[:kernel]" separated by spaces (default "f32 f16"); a kernel
#                       name is passed as createWebGpuBackend's tuning.kernel (e.g. f16:subgroup-matrix)
#   DAWN_TOGGLES        Dawn features for the webgpu package (default
#                       allow_unsafe_apis,vulkan_enable_f16_on_nvidia: shader-f16 and subgroup matrices)
#   VK_DRIVER_FILES     the NVIDIA Vulkan ICD (default: the first nvidia_icd.json found in the usual places)
#   SECONDS_PER_RUN     timed seconds of each measurement (default 10)
#   TORCH_ARGS          extra arguments of the torch bench (e.g. "--attention explicit")
#   OUT                 result file (default bench/results/gpu-compare.json)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PRESET="${1:-v2}"
LAYERS="${2:-4}"
BATCH="${3:-16}"
NODE="${NODE:-node}"
PYTHON="${PYTHON:-python3}"
RUNS="${RUNS:-f32 f16}"
DAWN_TOGGLES="${DAWN_TOGGLES:-allow_unsafe_apis,vulkan_enable_f16_on_nvidia}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-10}"
OUT="${OUT:-$ROOT/bench/results/gpu-compare.json}"

die() { echo "gpu-compare: $*" >&2; exit 1; }
[[ "$LAYERS" =~ ^[0-9]+$ ]] || die "LAYERS must be a number of layers (0: all of the preset), got '$LAYERS'"
[[ "$BATCH" =~ ^[1-9][0-9]*$ ]] || die "BATCH must be a positive integer, got '$BATCH'"
[[ -f "$ROOT/dist/poc/index.js" ]] || die "no dist/poc/index.js: run 'npm run build' in $ROOT first"
[[ -d "$ROOT/node_modules/webgpu" ]] || die "no node_modules/webgpu: run 'npm install' (or copy webgpu as ../shared/gpu.md says)"
command -v "$NODE" >/dev/null || die "no Node binary '$NODE' (set NODE=/path/to/node)"
"$PYTHON" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 3)" \
  || die "'$PYTHON' has no torch with CUDA (set PYTHON=/path/to/python3)"
if [[ -z "${VK_DRIVER_FILES:-}" ]]; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json \
             /etc/vulkan/icd.d/nvidia_icd.json; do
    if [[ -f "$icd" ]]; then export VK_DRIVER_FILES="$icd"; break; fi
  done
  [[ -n "${VK_DRIVER_FILES:-}" ]] || echo "gpu-compare: no nvidia_icd.json found; Dawn may pick another adapter" >&2
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# 1. The torch fp16 reference first (it exits and frees the GPU memory before Node starts).
# shellcheck disable=SC2086 # TORCH_ARGS is meant to split into arguments
"$PYTHON" "$ROOT/bench/poc_reference_torch.py" --bench --params "$PRESET" --layers "$LAYERS" --batch "$BATCH" \
  --device cuda --dtype fp16 --seconds "$SECONDS_PER_RUN" --out "$TMP/torch.json" ${TORCH_ARGS:-} >/dev/null

# 2. Our WebGPU engine on the shape the torch run resolved (its JSON's params), same batch.
GPU_INFO="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1 || true)"
export ROOT BATCH RUNS DAWN_TOGGLES SECONDS_PER_RUN OUT GPU_INFO TORCH_JSON="$TMP/torch.json"
cd "$ROOT"
"$NODE" --input-type=module -e '
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
const env = process.env;
const poc = await import(pathToFileURL(`${env.ROOT}/dist/poc/index.js`).href);
const { create } = await import("webgpu");
const torch = JSON.parse(readFileSync(env.TORCH_JSON, "utf8"));
const params = torch.params, batch = Number(env.BATCH), seconds = Number(env.SECONDS_PER_RUN);
const shape = poc.derivePocShape(params);
// Matmul FLOPs of one nonce as bench/poc.ts counts them for the engine (the last layer only for the last position).
const kv = 2 * shape.dim * shape.nKvHeads * shape.headDim;
const rest = 2 * shape.dim * shape.nHeads * shape.headDim + 3 * shape.dim * shape.hidden;
const engineFlops = 2 * ((shape.nLayers - 1) * shape.seqLen * (kv + rest) + shape.seqLen * kv + rest + shape.dim * shape.vocab);
const gpu = create([`enable-dawn-features=${env.DAWN_TOGGLES}`]);
let t = performance.now();
const weights = poc.initWeights(params, "GPUCOMPARE");
const weightInitSeconds = (performance.now() - t) / 1000;
const per = shape.seqLen * shape.dim;
const bits = new Uint16Array(batch * per);
for (let i = 0; i < batch; i++) poc.pocInputs("GPUCOMPARE", "bench", i, shape.seqLen, shape.dim, bits.subarray(i * per, (i + 1) * per));
const inputs = poc.float16ArrayToFloat32(bits);
const webgpu = {};
const ratio = {};
for (const run of env.RUNS.split(/\s+/).filter(Boolean)) {
  const [precision, kernel] = run.split(":");
  const options = { gpu, precision, batchSize: batch, ...(kernel ? { tuning: { kernel } } : {}) };
  try {
    t = performance.now();
    const b = await poc.createWebGpuBackend(shape, weights, options);
    const uploadSeconds = (performance.now() - t) / 1000;
    await b.forward(inputs, batch);
    let n = 0;
    t = performance.now();
    do { await b.forward(inputs, batch); n += batch; } while ((performance.now() - t) / 1000 < seconds);
    const s = (performance.now() - t) / 1000;
    webgpu[run] = {
      nonces: n, seconds: s, noncesPerSecond: n / s, tflops: (n / s) * engineFlops / 1e12, batch,
      preferredBatch: b.preferredBatch, precision: b.precision, tuning: b.tuning, description: b.description,
      adapter: b.adapterName, weightBytes: b.weightBytes, uploadSeconds,
    };
    ratio[run] = (n / s) / torch.nonces_per_s;
    b.destroy();
    console.error(`webgpu ${run}: ${(n / s).toFixed(3)} nonces/s, ${ratio[run].toFixed(4)}x torch ${torch.dtype} (${torch.nonces_per_s.toFixed(1)} nonces/s)`);
  } catch (e) {
    webgpu[run] = { error: String(e && e.message || e) };
    console.error(`webgpu ${run}: failed: ${webgpu[run].error}`);
  }
}
const result = {
  date: new Date().toISOString(), gpu: env.GPU_INFO || null, node: process.version, dawnToggles: env.DAWN_TOGGLES,
  vkDriverFiles: env.VK_DRIVER_FILES || null, params, batch, weightInitSeconds,
  engineMatmulGflopPerNonce: engineFlops / 1e9, torch, webgpu, ratioNoncesPerSecondVsTorch: ratio,
  note: "nonces/s of the forward pass, inputs prepared beforehand, both sides; TFLOP/s as bench/poc.ts counts them (torch: every position through every layer; webgpu: the engine skips all but the last position after the last layer keys and values)",
};
mkdirSync(dirname(env.OUT), { recursive: true });
writeFileSync(env.OUT, JSON.stringify(result, null, 2) + "\n");
console.error(`wrote ${env.OUT}`);
'
