/**
 * The golden-vector checks that run inside a browser (a tab or a dedicated worker): bundled for
 * the browser with the SDK entries they exercise and the fixture files (as text). Each check
 * returns a {@link VectorResult}; the Node side asserts every one passed and that each section
 * ran as many checks as its fixture has vectors (see {@link expectedVectorCounts}).
 *
 * Sections: keys (wire.json keys[]), txs (current wire.json txs[] + wire-upgrades.json txs[]),
 * rng (rng.json: entropy, SeedSequence, PCG64, normals sha256, permutations, random), poc
 * (poc.json distances on the CPU backend), pocv2 (poc-v2.json MMR proofs, sampleLeafIndices,
 * fraudTest), inference (inference-upgrades.json request signatures, decimalFromFloat,
 * logprob distances).
 */
import * as chain from "../../../src/chain/index.js";
import { registry } from "../../../src/proto/index.js";
import * as poc from "../../../src/poc/index.js";
import * as pocv2 from "../../../src/poc/v2/index.js";
import * as inference from "../../../src/inference/index.js";
import wireText from "../../fixtures/wire.json";
import upgradesText from "../../fixtures/wire-upgrades.json";
import rngText from "../../fixtures/rng.json";
import pocText from "../../fixtures/poc.json";
import pocV2Text from "../../fixtures/poc-v2.json";
import inferenceText from "../../fixtures/inference-upgrades.json";
import { STALE_WIRE_DESCRIPTIONS, expectedVectorCounts, type Fixtures, type Section, type VectorResult } from "./expected.js";

export { expectedVectorCounts, type VectorResult, type Section };

/** JSON with integers of 16+ digits kept as decimal strings (they may exceed 2^53). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const lossless = (text: unknown): any =>
  JSON.parse(String(text).replace(/"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?=\s*[,\]}])/g, (m) => (m.startsWith('"') ? m : `"${m}"`)));

/** The fixtures, parsed (the bundle loads .json files as text). */
export function fixtures(): Fixtures {
  return {
    wire: JSON.parse(String(wireText)),
    upgrades: JSON.parse(String(upgradesText)),
    rng: JSON.parse(String(rngText)),
    poc: JSON.parse(String(pocText)),
    pocv2: lossless(pocV2Text),
    inference: lossless(inferenceText),
  };
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));
const hex64 = (x: bigint): string => `0x${x.toString(16).padStart(16, "0")}`;
const hex128 = (x: bigint): string => `0x${x.toString(16).padStart(32, "0")}`;

async function sha256Hex(a: ArrayBufferView): Promise<string> {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

function same(what: string, got: unknown, want: unknown): void {
  const g = JSON.stringify(got, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  const w = JSON.stringify(want, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  if (g !== w) throw new Error(`${what}: got ${g.slice(0, 200)}, want ${w.slice(0, 200)}`);
}

type Check = { section: Section; name: string; run: () => unknown };

function keyChecks(f: Fixtures): Check[] {
  return f.wire.keys.map((k) => ({
    section: "keys" as const,
    name: `${k.hdPath} ${k.address}`,
    run: async () => {
      const w = await chain.walletFromMnemonic(k.mnemonic, { hdPath: k.hdPath });
      same("private key", hex(w.exportPrivateKey()), k.privateKeyHex);
      same("public key", hex(w.publicKey), k.publicKeyHex);
      same("address", w.address, k.address);
      same("valoper", w.valoper, k.valoper);
      same("from private key", chain.walletFromPrivateKey(k.privateKeyHex).address, k.address);
    },
  }));
}

function txChecks(f: Fixtures): Check[] {
  const keyOf = (addr: string): string => (f.wire.keys.find((k) => k.address === addr) ?? f.upgrades.keys.find((k) => k.address === addr))!.privateKeyHex;
  const txs = [...f.wire.txs.filter((t) => !STALE_WIRE_DESCRIPTIONS.includes(t.description)), ...f.upgrades.txs];
  return txs.map((t) => ({
    section: "txs" as const,
    name: t.description,
    run: async () => {
      // proto3 JSON messages are read through the type registry, which a bundle carries only when
      // the app refers to it (docs/chain.md#transactions): passed explicitly, as a browser app would.
      const r = await chain.signTx({
        registry,
        wallet: chain.walletFromPrivateKey(keyOf(t.signerAddress)),
        chainId: t.chainId,
        accountNumber: t.accountNumber,
        sequence: t.sequence,
        gasLimit: t.gasLimit,
        fee: t.fee,
        memo: t.memo,
        timeoutHeight: t.timeoutHeight,
        unordered: t.unordered,
        ...(t.timeoutTimestamp ? { timeoutTimestamp: t.timeoutTimestamp } : {}),
        ...(t.feeGranter ? { feeGranter: t.feeGranter } : {}),
        skipSignerCheck: t.messages.some((m: { typeUrl: string }) => m.typeUrl === "/cosmos.authz.v1beta1.MsgExec"),
        messages: t.messages.map((m: { typeUrl: string; json: object }) => ({ "@type": m.typeUrl, ...m.json }) as chain.TxMessage),
      } as chain.SignTxArgs);
      same("bodyBytes", hex(r.bodyBytes), t.bodyBytesHex);
      same("authInfoBytes", hex(r.authInfoBytes), t.authInfoBytesHex);
      same("signDoc", hex(r.signDoc), t.signDocHex);
      same("signature", btoa(String.fromCharCode(...r.signature)), t.signatureBase64);
      same("txRaw", hex(r.txRaw), t.txRawHex);
      same("hash", r.hash, t.txHash);
    },
  }));
}

function rngChecks(f: Fixtures): Check[] {
  const v = f.rng;
  const out: Check[] = [];
  v.entropy.forEach((e, i) => out.push({ section: "rng", name: `entropy ${i}`, run: () => same("words", Array.from(poc.seedEntropy(e.seed, e.numHashes)), e.words) }));
  v.seedSequence.forEach((s, i) =>
    out.push({
      section: "rng",
      name: `SeedSequence ${i}`,
      run: () => {
        const ss = new poc.SeedSequence(s.entropy);
        same("pool", Array.from(ss.pool), s.pool);
        same("state32", Array.from(ss.generateState32(8)), s.state32_8);
        same("state64", Array.from(ss.generateState64(4), hex64), s.state64);
      },
    }),
  );
  v.pcg64.forEach((p, i) =>
    out.push({
      section: "rng",
      name: `PCG64 ${i}`,
      run: () => {
        const g = new poc.Pcg64(new poc.SeedSequence(poc.seedEntropy(p.seed, p.numHashes)));
        same("state", hex128(g.state), p.state);
        same("inc", hex128(g.inc), p.inc);
        same("raw", Array.from({ length: p.raw.length }, () => hex64(g.nextUint64())), p.raw);
      },
    }),
  );
  v.standardNormal.forEach((s, i) =>
    out.push({
      section: "rng",
      name: `standard normals ${i} (${s.n}, sha256)`,
      run: async () => {
        const z = poc.rngFromSeed(s.seed, s.numHashes).standardNormal(s.n);
        same("first", Array.from(z.subarray(0, s.first.length)), s.first);
        same("sha256", await sha256Hex(z), s.sha256_f64le);
      },
    }),
  );
  // permutations come in chains (afterPrevious: drawn from the same generator as the previous one)
  let g: poc.Generator | undefined;
  const chains: { items: typeof v.permutation; start: number }[] = [];
  v.permutation.forEach((p, i) => (p.afterPrevious && chains.length ? chains.at(-1)!.items.push(p) : chains.push({ items: [p], start: i })));
  for (const c of chains) {
    out.push({
      section: "rng",
      name: `permutation ${c.start}…${c.start + c.items.length - 1}`,
      run: async () => {
        for (const p of c.items) {
          if (!p.afterPrevious || !g) g = poc.rngFromSeed(p.seed, p.numHashes);
          const perm = g.permutation(p.n);
          same("first", Array.from(perm.subarray(0, p.first.length), Number), p.first);
          if (p.perm) same("perm", Array.from(perm, Number), p.perm);
          same("sha256", await sha256Hex(BigInt64Array.from(perm, (x) => BigInt(x))), p.sha256_i64le);
        }
      },
    });
  }
  v.random.forEach((r, i) => out.push({ section: "rng", name: `random ${i}`, run: () => same("random", Array.from(poc.rngFromSeed(r.seed, r.numHashes).random(r.random.length)), r.random) }));
  return out;
}

/** poc.json: tiny and gqa-scaled-rope every nonce, `small` a spread of nonces (CPU speed). */
export const POC_NONCE_SUBSET: Record<string, number[] | "all"> = { tiny: "all", "gqa-scaled-rope": "all", small: [0, 13] };

function pocChecks(f: Fixtures, backend: "cpu" | "webgpu", only?: string[]): Check[] {
  return f.poc.cases.filter((c) => !only || only.includes(c.name)).map((c) => ({
    section: backend === "cpu" ? ("poc" as const) : ("webgpu" as const),
    name: `${c.name} distances (${backend})`,
    run: async () => {
      const pick = POC_NONCE_SUBSET[c.name] ?? "all";
      const idx = pick === "all" ? c.nonces.map((_, i) => i) : pick;
      const engine = await poc.createPocEngine({ params: c.params, blockHash: c.blockHash, publicKey: c.publicKey, backend } as poc.PocEngineOptions);
      try {
        if (engine.backend.kind !== backend) throw new Error(`asked for ${backend}, got ${engine.backend.kind}`);
        const d = await engine.distances(idx.map((i) => c.nonces[i]!));
        idx.forEach((i, j) => {
          const err = Math.abs(d[j]! - c.distances[i]!);
          if (!(err < 1e-6)) throw new Error(`nonce ${c.nonces[i]}: distance ${d[j]} vs ${c.distances[i]} (|Δ| ${err})`);
        });
      } finally {
        engine.destroy();
      }
    },
  }));
}

function pocV2Checks(f: Fixtures): Check[] {
  const V = f.pocv2;
  const out: Check[] = [];
  for (const [i, v] of V.go.mmr.verify.entries()) {
    out.push({
      section: "pocv2",
      name: `MMR verify ${i} ${v.name}`,
      run: () => {
        const b = unhex(v.leaf_data_hex);
        const nonce = new DataView(b.buffer).getInt32(0, true);
        const ok = pocv2.verifyMmrProof({ root: unhex(v.root), count: v.count, leafIndex: v.leaf_index, nonce, vectorBytes: b.slice(4), proof: v.proof.map(unhex) });
        same("valid", ok, v.valid);
      },
    });
  }
  out.push({
    section: "pocv2",
    name: "MMR roots of every prefix",
    run: () => {
      const s = new pocv2.ArtifactMmr();
      const M = V.go.mmr;
      const roots = new Map<number, string>();
      for (const r of M.roots ?? []) roots.set(r.count, r.root);
      M.leaves.forEach((l: { nonce: number; vector_hex: string }, i: number) => {
        s.append(l.nonce, unhex(l.vector_hex), `node-${i % 3}`);
        const want = roots.get(i + 1);
        if (want !== undefined) same(`root at ${i + 1}`, hex(s.root(i + 1)), want);
      });
      if (roots.size === 0) throw new Error("poc-v2.json go.mmr.roots is empty");
    },
  });
  for (const c of V.go.sample_leaf_indices) {
    out.push({
      section: "pocv2",
      name: `sampleLeafIndices count ${c.count} sample ${c.sample_size}`,
      run: async () => {
        const args = { validatorPubKey: c.validator_pub_key, blockHash: c.block_hash, blockHeight: c.block_height, modelId: c.model_id, count: c.count, sampleSize: c.sample_size };
        same("seed input", pocv2.leafSamplingSeedInput(args), c.seed_input);
        same("seed", pocv2.leafSamplingSeed(c.seed_input), BigInt(c.seed_int64));
        const got = pocv2.sampleLeafIndices(args);
        if ("indices" in c) same("indices", got, c.indices ?? []);
        if (c.len !== undefined) {
          same("len", got.length, c.len);
          same("first", got.slice(0, c.first.length), c.first);
          same("last", got.slice(-c.last.length), c.last);
          same("sha256", await sha256Hex(Uint32Array.from(got)), c.sha256_le32);
        }
      },
    });
  }
  for (const c of V.torch.fraud_test.cases) {
    out.push({
      section: "pocv2",
      name: `fraudTest ${c.n_mismatch}/${c.n_total}`,
      run: () => {
        const r = pocv2.fraudTest({ nMismatch: c.n_mismatch, nTotal: c.n_total, pMismatch: c.p_mismatch, fraudThreshold: c.fraud_threshold });
        if (!(Math.abs(r.pValue - c.p_value) / c.p_value < 1e-13)) throw new Error(`p ${r.pValue} vs ${c.p_value}`);
        same("fraudDetected", r.fraudDetected, c.fraud_detected);
      },
    });
  }
  for (const c of V.torch.fraud_test.critical) {
    out.push({
      section: "pocv2",
      name: `minMismatchesForFraud n ${c.n_total}`,
      run: () => same("critical", pocv2.minMismatchesForFraud({ nTotal: c.n_total, pMismatch: c.p_mismatch, fraudThreshold: c.fraud_threshold }), c.min_mismatches_for_fraud),
    });
  }
  return out;
}

function inferenceChecks(f: Fixtures): Check[] {
  const v = f.inference;
  const out: Check[] = [];
  for (const r of v.requestSignatures) {
    out.push({
      section: "inference",
      name: `request signature: ${r.description}`,
      run: () => {
        const comps = { payload: r.body_sha256_hex, timestamp: r.timestamp_ns, transferAddress: r.transfer_address };
        same("signed string", inference.signatureString(comps), r.signed_string);
        same("authorization", inference.signComponents(r.private_key_hex, comps), r.authorization);
        same(
          "headers",
          inference.developerRequestHeaders({ privateKey: r.private_key_hex, requesterAddress: r.requester_address, body: r.body_utf8, timestampNs: r.timestamp_ns, transferAddress: r.transfer_address }),
          r.headers,
        );
        same("verify", inference.verifyComponents({ components: comps, signature: r.authorization, publicKeys: [r.requester_pubkey_b64] }), { accepted: true, error: "" });
      },
    });
  }
  for (const c of v.decimalFromFloat) {
    out.push({
      section: "inference",
      name: `decimalFromFloat ${c.float_hex}`,
      run: () => {
        const d = inference.decimalFromFloat(c.float);
        same("decimal", { value: d.value, exponent: d.exponent }, { value: BigInt(c.value_decimal.value), exponent: c.value_decimal.exponent });
      },
    });
  }
  for (const [i, d] of v.validation.logprobDistance.entries()) {
    out.push({
      section: "inference",
      name: `logprobDistance ${i}`,
      run: () => {
        const r = inference.logprobDistance(d.original, d.validation);
        if (d.distance_f64_hex === null) same("distance", r.distance, Infinity);
        else same("distance", r.distance, Number(d.distance));
        same("similarity", r.similarity, d.similarity);
        same("error", r.error ?? "", d.error);
      },
    });
  }
  return out;
}

/**
 * Runs the named sections (default: all but webgpu) and reports each check; `pocCases` limits
 * the poc.json cases (default: all three). Never throws: a failing check comes back with
 * `ok: false` and the reason.
 */
export async function runVectorSuite(sections: Section[] = ["keys", "txs", "rng", "poc", "pocv2", "inference"], pocCases?: string[]): Promise<VectorResult[]> {
  const f = fixtures();
  const all: Check[] = [
    ...keyChecks(f), ...txChecks(f), ...rngChecks(f), ...pocChecks(f, "cpu", pocCases), ...pocChecks(f, "webgpu", pocCases), ...pocV2Checks(f), ...inferenceChecks(f),
  ].filter((c) => sections.includes(c.section));
  const out: VectorResult[] = [];
  for (const c of all) {
    const t0 = performance.now();
    try {
      await c.run();
      out.push({ section: c.section, name: c.name, ok: true, ms: performance.now() - t0 });
    } catch (e) {
      out.push({ section: c.section, name: c.name, ok: false, ms: performance.now() - t0, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  }
  return out;
}

/** Which paths the PoC kernels took in this realm. */
export function kernelPaths(): { rng: poc.RngBackendInfo; cpu: ReturnType<typeof poc.cpuKernelInfo> } {
  return { rng: poc.rngBackendInfo(), cpu: poc.cpuKernelInfo() };
}

/** The global the tab bundle exposes. */
export const GLOBAL_NAME = "GonkaVectors";
