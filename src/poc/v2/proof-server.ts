/**
 * The host's side of the signed proof route (spec §9.4): `POST /v1/poc/proofs` answers a
 * validator's signed request with the requested leaves and their MMR proofs at the committed
 * count, signed with the host's key; `GET /v1/poc/artifacts/state` reports a store's flushed
 * `(count, root)`. Runtime-neutral: {@link createPocV2ProofHandler} is a fetch-style handler
 * (`(Request) => Promise<Response>`) for any server with web `Request`/`Response`.
 * @module
 */
import { base64 } from "@scure/base";
import { getAccount } from "../../chain/query/auth.js";
import { getGranteesByMessageType } from "../../chain/query/inference.js";
import type { ChainContext } from "../../chain/context.js";
import { POC_V2_MSG_TYPE_URLS } from "../../chain/actions/poc-v2.js";
import { messageOf } from "../../errors.js";
import { encodeBase64 } from "./bytes.js";
import { ProofRequestRefusedError } from "./flow-errors.js";
import { MAX_PROOF_LEAF_INDICES, PROOF_REQUEST_MAX_SKEW_NS, signProofResponse, verifyProofRequestSignature, type PocProofSigner, type ProofRequestFields } from "./proof-signing.js";
import type { PocV2ArtifactStore } from "./store.js";

/** A proof route answer as JSON carries it (`PocProofsResponse`). */
export interface PocV2ProofsResponseJson {
  proofs: { leaf_index: number; nonce_value: number; vector_bytes: string; proof: string[] }[];
  signer_address: string;
  timestamp: string;
  signature: string;
}

/**
 * Finds the public key that may sign proof requests for `validatorAddress`: the validator's own
 * key when `signerAddress` is the validator, else the key of a grantee holding an authz grant for
 * `MsgSubmitPocValidationsV2`. `undefined`: not authorised.
 */
export type PocV2ProofAuthorizer = (validatorAddress: string, signerAddress: string) => Promise<Uint8Array | undefined>;

/** Options of the proof route. */
export interface PocV2ProofServerOptions {
  /** The host's stores (the same object the host flow fills). */
  store: PocV2ArtifactStore;
  /** Signs answers: the host's account key or its warm key (`signer_address` is its address). */
  signer: PocProofSigner & { readonly address: string };
  /** Who may ask (default: none — pass {@link chainProofAuthorizer} or your own). */
  authorize: PocV2ProofAuthorizer;
  /** Current Unix time in ns (default the wall clock). */
  nowNs?: () => bigint;
}

function fail(status: 400 | 401 | 403 | 404, problem: string): never {
  throw new ProofRequestRefusedError(status, problem);
}

function uint(v: unknown, name: string, max: bigint): bigint {
  const text = typeof v === "number" && Number.isSafeInteger(v) ? String(v) : v;
  if (typeof text !== "string" || !/^\d+$/.test(text)) fail(400, `${name} must be a non-negative integer`);
  const n = BigInt(text);
  if (n > max) fail(400, `${name} is out of range`);
  return n;
}

function str(v: unknown, name: string): string {
  if (typeof v !== "string" || v === "") fail(400, `${name} is required`);
  return v;
}

function b64(v: unknown, name: string, len: number): Uint8Array {
  if (typeof v !== "string") fail(400, `${name} must be base64`);
  let bytes: Uint8Array;
  try {
    bytes = base64.decode(v);
  } catch {
    fail(400, `${name} is not valid base64`);
  }
  if (bytes.length !== len) fail(400, `${name} must be ${len} bytes, got ${bytes.length}`);
  return bytes;
}

/** Parses and checks a proof request body (not its signature). */
export function parseProofRequest(body: unknown, nowNs: bigint): { fields: ProofRequestFields; signature: string } {
  if (!body || typeof body !== "object" || Array.isArray(body)) fail(400, "the body must be a JSON object");
  const b = body as Record<string, unknown>;
  const height = uint(b.poc_stage_start_block_height, "poc_stage_start_block_height", (1n << 63n) - 1n);
  const count = Number(uint(b.count, "count", 0xffffffffn));
  if (count === 0) fail(400, "count must be positive");
  if (!Array.isArray(b.leaf_indices) || b.leaf_indices.length === 0) fail(400, "leaf_indices must be a non-empty array");
  if (b.leaf_indices.length > MAX_PROOF_LEAF_INDICES) fail(400, `too many leaf_indices: ${b.leaf_indices.length} > ${MAX_PROOF_LEAF_INDICES}`);
  const leafIndices = b.leaf_indices.map((x, i) => {
    const n = Number(uint(x, `leaf_indices[${i}]`, 0xffffffffn));
    if (n >= count) fail(400, `leaf index ${n} is not below count ${count}`);
    return n;
  });
  const timestamp = uint(b.timestamp, "timestamp", (1n << 63n) - 1n);
  const skew = timestamp > nowNs ? timestamp - nowNs : nowNs - timestamp;
  if (skew > PROOF_REQUEST_MAX_SKEW_NS) fail(400, "timestamp is more than 5 minutes from the server's clock");
  const signature = str(b.signature, "signature");
  return {
    fields: {
      pocStageStartBlockHeight: height,
      modelId: str(b.model_id, "model_id"),
      rootHash: b64(b.root_hash, "root_hash", 32),
      count,
      leafIndices,
      timestamp,
      validatorAddress: str(b.validator_address, "validator_address"),
      validatorSignerAddress: str(b.validator_signer_address, "validator_signer_address"),
    },
    signature,
  };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Answers one `POST /v1/poc/proofs` body: checks the fields, the timestamp (±5 min), the
 * signature against the key {@link PocV2ProofServerOptions.authorize} names, that `(root, count)`
 * is the store's root at `count`, then returns the proofs signed with the host's key.
 *
 * @throws {ProofRequestRefusedError} with the HTTP status to answer.
 */
export async function answerPocV2ProofRequest(options: PocV2ProofServerOptions, body: unknown): Promise<PocV2ProofsResponseJson> {
  const now = options.nowNs?.() ?? BigInt(Date.now()) * 1_000_000n;
  const { fields, signature } = parseProofRequest(body, now);
  const key = await options.authorize(fields.validatorAddress, fields.validatorSignerAddress);
  if (!key) fail(403, `${fields.validatorSignerAddress} may not request proofs for ${fields.validatorAddress} (not the validator, and no MsgSubmitPocValidationsV2 grant)`);
  if (!verifyProofRequestSignature(fields, signature, key)) fail(401, "the signature does not match the request and the signer's key");
  const stage = BigInt(fields.pocStageStartBlockHeight);
  const state = await options.store.state(stage, fields.modelId);
  if (state.count === 0) fail(404, `no artifacts stored for ${fields.modelId} at stage ${stage}`);
  if (fields.count > state.count) fail(400, `count ${fields.count} is above the stored count ${state.count}`);
  const mmr = await options.store.mmr(stage, fields.modelId);
  if (!equal(mmr.root(fields.count), fields.rootHash)) fail(400, "root_hash does not match the store's root at count");
  const proofs = fields.leafIndices.map((i) => {
    const leaf = mmr.leaf(i);
    return { leaf_index: i, nonce_value: leaf.nonce, vector_bytes: encodeBase64(leaf.vectorBytes), proof: mmr.proof(i, fields.count).map(encodeBase64) };
  });
  const timestamp = options.nowNs?.() ?? BigInt(Date.now()) * 1_000_000n;
  const sig = await signProofResponse(options.signer, {
    pocStageStartBlockHeight: stage,
    modelId: fields.modelId,
    rootHash: fields.rootHash,
    count: fields.count,
    proofs: proofs.map((p) => ({ leafIndex: p.leaf_index, nonceValue: p.nonce_value, vectorBytes: p.vector_bytes, proof: p.proof })),
    timestamp,
    signerAddress: options.signer.address,
  });
  return { proofs, signer_address: options.signer.address, timestamp: timestamp.toString(), signature: sig };
}

/** Answers `GET /v1/poc/artifacts/state?height=&model_id=` from the flushed store. */
export async function answerPocV2ArtifactsState(
  store: PocV2ArtifactStore,
  query: URLSearchParams,
): Promise<{ poc_stage_start_block_height: string; model_id: string; count: string; root_hash: string }> {
  const height = uint(query.get("height") ?? undefined, "height", (1n << 63n) - 1n);
  if (height === 0n) fail(400, "height must be positive");
  const modelId = str(query.get("model_id") ?? undefined, "model_id");
  const s = await store.state(height, modelId);
  return { poc_stage_start_block_height: height.toString(), model_id: modelId, count: String(s.count), root_hash: s.root ? encodeBase64(s.root) : "" };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=UTF-8" } });
}

/**
 * A fetch-style handler for the host's public PoC routes: `POST /v1/poc/proofs` and
 * `GET /v1/poc/artifacts/state`. Errors answer `{"error": "…"}` with 400/401/403/404 (or 405/404
 * for other methods and paths).
 *
 * @example
 * ```ts
 * const proofs = createPocV2ProofHandler({ store, signer: warm, authorize: chainProofAuthorizer(chain) });
 * Deno.serve(proofs);
 * ```
 */
export function createPocV2ProofHandler(options: PocV2ProofServerOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    try {
      if (url.pathname === "/v1/poc/proofs") {
        if (request.method !== "POST") return json(405, { error: "use POST" });
        let body: unknown;
        try {
          body = JSON.parse(await request.text());
        } catch (e) {
          return json(400, { error: `the body is not JSON: ${messageOf(e)}` });
        }
        return json(200, await answerPocV2ProofRequest(options, body));
      }
      if (url.pathname === "/v1/poc/artifacts/state") {
        if (request.method !== "GET") return json(405, { error: "use GET" });
        return json(200, await answerPocV2ArtifactsState(options.store, url.searchParams));
      }
      return json(404, { error: `Not Found: ${url.pathname}` });
    } catch (e) {
      if (e instanceof ProofRequestRefusedError) return json(e.status, { error: e.shortMessage });
      return json(500, { error: messageOf(e) });
    }
  };
}

function keyBytes(text: string | undefined): Uint8Array | undefined {
  if (!text) return undefined;
  if (/^(02|03)[0-9a-fA-F]{64}$/.test(text)) return Uint8Array.from(text.match(/../g)!.map((h) => parseInt(h, 16)));
  try {
    const b = base64.decode(text);
    return b.length === 33 ? b : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The chain's rule for who may ask for proofs: the validator itself (its account key), or a
 * grantee of `MsgSubmitPocValidationsV2` (the grantee's key from `GranteesByMessageType`). Answers
 * are cached for `ttlMs` (default 60 s).
 *
 * @example
 * ```ts
 * createPocV2ProofHandler({ store, signer, authorize: chainProofAuthorizer(chain) });
 * ```
 */
export function chainProofAuthorizer(ctx: Pick<ChainContext, "transport" | "rpc">, options: { ttlMs?: number } = {}): PocV2ProofAuthorizer {
  const ttl = options.ttlMs ?? 60_000;
  const cache = new Map<string, { at: number; key: Uint8Array | undefined }>();
  return async (validator, signer) => {
    const k = `${validator}|${signer}`;
    const hit = cache.get(k);
    if (hit && Date.now() - hit.at < ttl) return hit.key;
    let key: Uint8Array | undefined;
    try {
      if (validator === signer) key = (await getAccount(ctx, validator)).publicKey;
      else key = keyBytes((await getGranteesByMessageType(ctx, validator, POC_V2_MSG_TYPE_URLS.validations)).find((g) => g.address === signer)?.pubKey);
    } catch {
      return undefined; // unknown account or the chain unreachable: refuse now, ask again next time
    }
    cache.set(k, { at: Date.now(), key });
    return key;
  };
}
