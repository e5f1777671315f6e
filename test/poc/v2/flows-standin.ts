/**
 * Test fixtures of the PoC v2 flow tests: an MLNode **stand-in** (NOT the real model: its "hidden
 * state" is a deterministic function of (block hash, public key, nonce) — seeded normals — turned
 * into artifacts by the SDK's real post-processing `artifactFromHidden`), served over HTTP with
 * the MLNode's PoC v2 routes, and a devnet chain with short PoC windows.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { artifactFromHidden, compareArtifacts, encodeBase64, encodeVector, normals, seedFromString, type PocArtifact } from "../../../src/poc/v2/index.js";
import { createMlNodeClient, type MlNodeClient } from "../../../src/mlnode/index.js";
import { startChainNode, type ChainNode } from "../../../src/devnet/chain/index.js";
import { walletFromPrivateKey, type Wallet } from "../../../src/chain/keys.js";
import { createChainClient, type ChainClient } from "../../../src/chain/client.js";

/** Hidden size of the stand-in "model". */
export const STANDIN_HIDDEN = 64;
export const QWEN = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
export const KIMI = "moonshotai/Kimi-K2.6";

/** The stand-in's artifact of a nonce: seeded normals as the hidden state, then the network's post-processing. */
export function standInArtifact(blockHash: string, publicKey: string, nonce: number): PocArtifact {
  const hidden = normals(seedFromString(`${blockHash}_${publicKey}_standin_${nonce}`), STANDIN_HIDDEN);
  return artifactFromHidden({ blockHash, publicKey, nonce, hidden });
}

/** A vector unrelated to the stand-in's (a cheater's guess): unit-norm, finite float16. */
export function forgedVector(nonce: number): string {
  const v = normals(seedFromString(`forged_${nonce}`), 12);
  const n = Math.hypot(...v);
  return encodeBase64(encodeVector(Array.from(v, (x) => x / n)));
}

/** Options of {@link startStandInMlNode}. */
export interface StandInOptions {
  /** Fraction of nonces whose artifact is forged (a dishonest host). */
  forgedFraction?: number;
  /** Nonces per callback batch (default 16). */
  batchSize?: number;
  /** Callback interval in ms (default 60). */
  intervalMs?: number;
  /** Stop after this many nonces (default 120). */
  maxNonces?: number;
}

/** A running stand-in MLNode. */
export interface StandInMlNode {
  url: string;
  client: MlNodeClient;
  /** Every request received: `METHOD path`. */
  requests: string[];
  /** Nonces posted to the callback. */
  posted: number[];
  /** Validation jobs answered. */
  validations: { nonces: number[]; fraudThreshold: number; verdict: ReturnType<typeof compareArtifacts> }[];
  close(): Promise<void>;
}

/** Starts an HTTP server with the MLNode's PoC v2 routes, computed by the stand-in. */
export async function startStandInMlNode(o: StandInOptions = {}): Promise<StandInMlNode> {
  const requests: string[] = [];
  const posted: number[] = [];
  const validations: StandInMlNode["validations"] = [];
  const jobs = new Map<string, object>();
  let generating: { stop: boolean } | undefined;
  let port = 0;

  const generate = async (req: { block_hash: string; block_height: number; public_key: string; node_id: number; node_count: number; url: string }, flag: { stop: boolean }) => {
    const batchSize = o.batchSize ?? 16;
    const max = o.maxNonces ?? 120;
    let x = 0;
    while (!flag.stop && x < max) {
      const artifacts = [];
      for (let i = 0; i < batchSize && x < max; i++, x++) {
        const nonce = req.node_id + x * req.node_count;
        const honest = standInArtifact(req.block_hash, req.public_key, nonce);
        const forged = o.forgedFraction !== undefined && seedFromString(`pick_${nonce}`) / 2 ** 32 < o.forgedFraction;
        artifacts.push({ nonce, vector_b64: forged ? forgedVector(nonce) : honest.vectorB64 });
      }
      const body = { block_hash: req.block_hash, block_height: req.block_height, public_key: req.public_key, node_id: req.node_id, artifacts, encoding: { dtype: "f16", k_dim: 12, endian: "le" } };
      for (let attempt = 0; attempt < 20 && !flag.stop; attempt++) {
        const r = await fetch(`${req.url}/generated`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).catch(() => undefined);
        if (r?.ok) {
          posted.push(...artifacts.map((a) => a.nonce));
          break;
        }
        await new Promise((res) => setTimeout(res, 50));
      }
      await new Promise((res) => setTimeout(res, o.intervalMs ?? 60));
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      requests.push(`${req.method} ${path}`);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
      if (req.method === "POST" && path === "/api/v1/inference/pow/init/generate") {
        if (generating) generating.stop = true;
        const flag = { stop: false };
        generating = flag;
        void generate(body as never, flag);
        return send(200, { status: "OK", backends: 1, n_groups: 1, results: [{ port, status: "OK" }], errors: null });
      }
      if (req.method === "POST" && path === "/api/v1/inference/pow/stop") {
        if (generating) generating.stop = true;
        generating = undefined;
        return send(200, { status: "OK", results: [{ port, status: "stopped" }], errors: null });
      }
      if (req.method === "POST" && path === "/api/v1/inference/pow/generate") {
        const b = body as { block_hash: string; public_key: string; nonces: number[]; validation?: { artifacts: { nonce: number; vector_b64: string }[] }; stat_test: { dist_threshold: number; p_mismatch: number; fraud_threshold: number } };
        const computed = b.nonces.map((n) => standInArtifact(b.block_hash, b.public_key, n));
        const verdict = compareArtifacts({
          nonces: b.nonces, computed, received: (b.validation?.artifacts ?? []).map((a) => ({ nonce: a.nonce, vectorB64: a.vector_b64 })),
          distThreshold: b.stat_test.dist_threshold, pMismatch: b.stat_test.p_mismatch, fraudThreshold: b.stat_test.fraud_threshold,
        });
        validations.push({ nonces: b.nonces, fraudThreshold: b.stat_test.fraud_threshold, verdict });
        const id = `${port}:${randomUUID()}`;
        jobs.set(id, { status: "completed", request_id: id, n_total: verdict.nTotal, n_mismatch: verdict.nMismatch, mismatch_nonces: verdict.mismatchNonces, p_value: verdict.pValue, fraud_detected: verdict.fraudDetected });
        return send(200, { status: "queued", request_id: id, queued_count: b.nonces.length });
      }
      const m = /^\/api\/v1\/inference\/pow\/generate\/(.+)$/.exec(path);
      if (req.method === "GET" && m) {
        const job = jobs.get(decodeURIComponent(m[1]!));
        return job ? send(200, job) : send(404, { detail: "not found" });
      }
      return send(404, { detail: "Not Found" });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url, client: createMlNodeClient({ baseUrl: url, retries: 0 }), requests, posted, validations,
    close: () => new Promise<void>((r) => {
      if (generating) generating.stop = true;
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** The private key (hex) of {@link testWallet}(i): test keys only, never funded anywhere real. */
export function testPrivateKey(i: number): string {
  return (BigInt(i + 1) * 0x1234567n + 0xabcdefn).toString(16).padStart(64, "0");
}

/** A deterministic test wallet (index ≥ 0). */
export function testWallet(i: number): Wallet {
  return walletFromPrivateKey(testPrivateKey(i));
}

/** A devnet chain with short PoC windows (stage 16, exchange 0, delay 3, validation 200 blocks) and funded wallets. */
export async function startPocChain(wallets: Wallet[], blockTimeMs = 250): Promise<{ node: ChainNode; chain: ChainClient }> {
  const node = await startChainNode({
    blockTimeMs,
    accounts: wallets.map((w) => ({ address: w.address, coins: [{ denom: "ngonka", amount: 10n ** 12n }], power: 10 })),
  });
  const e = node.state.inferenceParams.epochParams!;
  e.pocStageDuration = 16n;
  e.pocExchangeDuration = 0n;
  e.pocValidationDelay = 3n;
  e.pocValidationDuration = 200n;
  const chain = createChainClient({ url: node.url, pollIntervalMs: 20 });
  return { node, chain };
}

/** Registers a participant with its public URL. */
export async function registerParticipant(chain: ChainClient, wallet: Wallet, url: string): Promise<void> {
  await chain.submitNewParticipant(wallet, { url, validatorKey: Buffer.from(wallet.publicKey.subarray(1)).toString("base64") });
}

/** Sets the upcoming PoC stage to start `ahead` blocks from now; returns S. */
export function scheduleStage(node: ChainNode, ahead = 3n): bigint {
  const s = node.state.height + ahead;
  node.state.epoch = { index: node.state.epoch.index + 1n, pocStartBlockHeight: s };
  return s;
}

/** The devnet's block hash at a height (what the network node would read). */
export { devnetBlockHash } from "../../../src/devnet/chain/queries-inference.js";
