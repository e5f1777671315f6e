/**
 * The validator's side of the signed proof route (spec §9.4): a signed `POST {inference_url}/v1/poc/proofs`
 * with a deadline over the whole exchange (connect, headers and body) and a cap on the answer's
 * size, so a participant that hangs or floods cannot stall a validator. Failures are
 * {@link ProofFetchError}s that say whether a retry may help.
 * @module
 */
import type { FetchLike } from "../../http/index.js";
import { messageOf } from "../../errors.js";
import { encodeBase64 } from "./bytes.js";
import { ProofFetchError } from "./flow-errors.js";
import { signProofRequest, type PocProofSigner } from "./proof-signing.js";
import { parseProofEntries, type ProofEntry } from "./validation.js";
import { readPrefix } from "../../http/body.js";
import { startAttempt } from "../../http/attempt.js";

/** Default deadline of one proof request (the network node's 20 s). */
export const DEFAULT_PROOF_TIMEOUT_MS = 20_000;
/** Default cap on a proof answer: 500 leaves × ~2 KiB of JSON each, with room to spare. */
export const DEFAULT_MAX_PROOF_BYTES = 4 * 1024 * 1024;

/** What {@link fetchPocV2Proofs} asks for. */
export interface FetchPocV2ProofsArgs {
  /** The participant's `inference_url` (its public API base, e.g. `http://host:8000`). */
  url: string;
  /** The participant (for messages). */
  participantAddress: string;
  pocStageStartBlockHeight: bigint | number;
  modelId: string;
  /** The committed root and count. */
  rootHash: Uint8Array;
  count: number;
  /** The sampled leaves (1–500). */
  leafIndices: number[];
  /** The validator's account (cold) address. */
  validatorAddress: string;
  /** Signs the request: the validator's key or a warm key holding the `MsgSubmitPocValidationsV2` grant. */
  signer: PocProofSigner & { readonly address: string };
  /** Deadline for the whole exchange, ms (default 20 000). */
  timeoutMs?: number;
  /** Largest accepted answer in bytes (default 4 MiB). */
  maxBytes?: number;
  /** Unix ns of the request (default now). */
  timestampNs?: bigint;
  /** Custom fetch. */
  fetch?: FetchLike;
  signal?: AbortSignal;
}

class TooLarge extends Error {}

/** The body as text, refused (`TooLarge`) above `max` bytes, declared or counted after decoding. */
async function readCapped(res: Response, max: number): Promise<string> {
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    void res.body?.cancel().catch(() => undefined);
    throw new TooLarge();
  }
  const { bytes, truncated } = await readPrefix(res, max);
  if (truncated) throw new TooLarge();
  return new TextDecoder().decode(bytes);
}

/**
 * Fetches and decodes a participant's proofs for the sampled leaves. The answer is only decoded
 * here (base64, integers); check it with `checkProofResponse` against the on-chain commit.
 *
 * @example
 * ```ts
 * const proofs = await fetchPocV2Proofs({ url: participant.inferenceUrl, participantAddress, pocStageStartBlockHeight: stage, modelId,
 *   rootHash: commit.rootHash, count: commit.count, leafIndices, validatorAddress: cold.address, signer: warm });
 * const artifacts = checkProofResponse({ leafIndices, proofs, root: commit.rootHash, count: commit.count });
 * ```
 * @throws {ProofFetchError} `unreachable` / `timeout` / `http-transient` (retry), `http-refused` / `too-large` / `malformed` (permanent).
 */
export async function fetchPocV2Proofs(args: FetchPocV2ProofsArgs): Promise<ProofEntry[]> {
  const who = args.participantAddress;
  const model = args.modelId;
  const timeoutMs = args.timeoutMs ?? DEFAULT_PROOF_TIMEOUT_MS;
  const maxBytes = args.maxBytes ?? DEFAULT_MAX_PROOF_BYTES;
  const timestamp = args.timestampNs ?? BigInt(Date.now()) * 1_000_000n;
  const fields = {
    pocStageStartBlockHeight: BigInt(args.pocStageStartBlockHeight),
    modelId: model,
    rootHash: args.rootHash,
    count: args.count,
    leafIndices: args.leafIndices,
    timestamp,
    validatorAddress: args.validatorAddress,
    validatorSignerAddress: args.signer.address,
  };
  const signature = await signProofRequest(args.signer, fields);
  const body = JSON.stringify({
    poc_stage_start_block_height: fields.pocStageStartBlockHeight.toString(),
    model_id: model,
    root_hash: encodeBase64(args.rootHash),
    count: String(args.count),
    leaf_indices: args.leafIndices.map(String),
    validator_address: args.validatorAddress,
    validator_signer_address: args.signer.address,
    timestamp: timestamp.toString(),
    signature,
  });
  const attempt = startAttempt(args.signal, timeoutMs);
  const fetchFn: FetchLike = args.fetch ?? ((input, init) => globalThis.fetch(input, init));
  try {
    let res: Response;
    try {
      res = await fetchFn(`${args.url.replace(/\/+$/, "")}/v1/poc/proofs`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body,
        signal: attempt.signal,
      });
    } catch (e) {
      if (args.signal?.aborted) throw e;
      if (attempt.timedOut) throw new ProofFetchError(who, model, "timeout", `no answer within ${timeoutMs} ms`, { cause: e });
      throw new ProofFetchError(who, model, "unreachable", `cannot reach ${args.url}: ${messageOf(e)}`, { cause: e });
    }
    let text: string;
    try {
      text = await readCapped(res, maxBytes);
    } catch (e) {
      if (e instanceof TooLarge) throw new ProofFetchError(who, model, "too-large", `the answer exceeds ${maxBytes} bytes`, { status: res.status });
      if (args.signal?.aborted) throw e;
      if (attempt.timedOut) throw new ProofFetchError(who, model, "timeout", `the answer did not complete within ${timeoutMs} ms`, { cause: e, status: res.status });
      throw new ProofFetchError(who, model, "unreachable", `the connection broke while reading: ${messageOf(e)}`, { cause: e, status: res.status });
    }
    if (!res.ok) {
      const transient = res.status === 408 || res.status === 429 || res.status >= 500;
      const snippet = text.length > 200 ? `${text.slice(0, 200)}…` : text;
      throw new ProofFetchError(who, model, transient ? "http-transient" : "http-refused", `HTTP ${res.status} ${snippet}`, { status: res.status });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new ProofFetchError(who, model, "malformed", "the answer is not JSON", { cause: e, status: res.status });
    }
    try {
      return parseProofEntries((json as { proofs?: unknown } | null)?.proofs);
    } catch (e) {
      throw new ProofFetchError(who, model, "malformed", `the answer is not a proof response: ${messageOf(e)}`, { cause: e, status: res.status });
    }
  } finally {
    attempt.release();
  }
}
