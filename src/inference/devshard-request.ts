/**
 * Requests to devshard hosts (inference-flow.md §11, rest-upgrades.md §3): the routes
 * (`/devshard/<version>/…` behind the node's proxy, or the API node's legacy `/v1/devshard/…`),
 * the session body an escrow owner sends to `POST /sessions/{escrow}/chat/completions`
 * (`{"diffs":[…],"nonce":…,"payload":{…},"stream":…}`), and its signature: a recoverable
 * secp256k1 signature over `sha256(sha256(escrow_id ‖ body ‖ ts_be64))`, sent as hex `r‖s‖v` in
 * `X-Devshard-Signature`, with `X-Devshard-Timestamp` in Unix seconds (hosts accept ±30 s).
 */
import { bytesToHex } from "@noble/hashes/utils.js";
import { InvalidArgumentError } from "../errors.js";
import { InferenceSigningError } from "./errors.js";
import { signerFromPrivateKey, type InferenceSigner, type PrivateKeyInput } from "./keys.js";
import { normalizeSignature } from "./signature.js";
import { devshardRequestDigest, recoverDevshardSender } from "./validation/devshard.js";

/** What an {@link DevshardOptions.envelope} function receives. */
export interface DevshardEnvelopeArgs {
  /** The caller's OpenAI request body, parsed. */
  payload: unknown;
  /** The session nonce for this request (from `nextNonce`). */
  nonce: bigint;
  /** Whether the caller asked for a stream (`payload.stream === true`). */
  stream: boolean;
}

/** Devshard mode of `gonkaFetch`: the escrow owner talks to the escrow's hosts. */
export interface DevshardOptions {
  /** The escrow id (the `:id` of `/sessions/:id/…`). */
  escrowId: string;
  /** Base URLs of the escrow's hosts (participants' public API nodes), tried in turn. */
  hosts: string | readonly string[];
  /**
   * Devshard binary version served under `/devshard/<version>/` by the node's proxy (see the node's
   * `GET /versions`). Omitted: the API node's legacy prefix `/v1/devshard/`.
   */
  version?: string;
  /** The escrow owner's private key (only the owner may submit inferences). */
  privateKey?: PrivateKeyInput;
  /** Or a signer `{ address, sign }` of the escrow owner; its 64-byte signature gets the recovery byte here. */
  signer?: InferenceSigner;
  /** Session nonces; default a counter from 1 per `gonkaFetch`. */
  nextNonce?: () => bigint | number;
  /**
   * Builds the session body for `chat/completions` from the caller's OpenAI body. Default
   * `{"diffs":[],"nonce":…,"payload":…,"stream":…}`. Our spec does not establish which state
   * diffs a session needs: pass a function that supplies them, or `false` to send the caller's
   * body unchanged (it is then already a session body).
   */
  envelope?: ((args: DevshardEnvelopeArgs) => string | Uint8Array) | false;
}

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const encoder = new TextEncoder();

/** Checks an escrow id: 1–128 characters, none of `/ ? # %` or whitespace (it becomes a path segment). */
export function checkEscrowId(escrowId: unknown): string {
  if (typeof escrowId !== "string" || escrowId.length === 0 || escrowId.length > 128 || /[/?#%\s]/.test(escrowId)) {
    throw new InvalidArgumentError("devshard.escrowId", "expected 1–128 characters without '/', '?', '#', '%' or spaces");
  }
  return escrowId;
}

/** The route prefix of devshard host routes: `/devshard/<version>` or the legacy `/v1/devshard`. */
export function devshardPrefix(version: string | undefined): string {
  if (version === undefined) return "/v1/devshard";
  if (typeof version !== "string" || !VERSION.test(version)) {
    throw new InvalidArgumentError("devshard.version", "expected a version name such as v2 (letters, digits, '.', '_', '-')");
  }
  return `/devshard/${version}`;
}

/**
 * Maps an OpenAI route (what follows `/v1` in the caller's URL) onto a devshard host route:
 * `/chat/completions` → `{prefix}/sessions/{escrow}/chat/completions`; routes that already start
 * with `/sessions/` or `/stats/` keep their path under the prefix.
 *
 * @example
 * ```ts
 * devshardRoute("/chat/completions", "17", "v2"); // "/devshard/v2/sessions/17/chat/completions"
 * devshardRoute("/stats/shards", "17");            // "/v1/devshard/stats/shards"
 * ```
 */
export function devshardRoute(route: string, escrowId: string, version?: string): string {
  const prefix = devshardPrefix(version);
  if (route.startsWith("/sessions/") || route.startsWith("/stats/")) return prefix + route;
  return `${prefix}/sessions/${encodeURIComponent(checkEscrowId(escrowId))}${route}`;
}

/** The default session body: `{"diffs":[],"nonce":N,"payload":…,"stream":…}`. */
export function defaultDevshardEnvelope(args: DevshardEnvelopeArgs): string {
  return `{"diffs":[],"nonce":${args.nonce.toString()},"payload":${JSON.stringify(args.payload)},"stream":${args.stream}}`;
}

/** Builds the session body for a `chat/completions` request. */
export function devshardSessionBody(options: DevshardOptions, body: Uint8Array, nonce: bigint): Uint8Array {
  if (options.envelope === false) return body;
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(body));
  } catch (err) {
    throw new InvalidArgumentError("body", "a devshard chat request needs a JSON body (the OpenAI request)", { cause: err });
  }
  const stream = typeof payload === "object" && payload !== null && (payload as { stream?: unknown }).stream === true;
  const build = options.envelope ?? defaultDevshardEnvelope;
  const out = build({ payload, nonce, stream });
  return typeof out === "string" ? encoder.encode(out) : out;
}

/** A signer of devshard requests: returns the two headers for a body and a timestamp. */
export type DevshardRequestSigner = (args: { escrowId: string; body: Uint8Array; timestampS: bigint }) => Promise<{
  "X-Devshard-Signature": string;
  "X-Devshard-Timestamp": string;
}>;

/**
 * Makes a devshard request signer from a private key or a signer object. With a signer object
 * the 64-byte `r‖s` it returns over `sha256(digest)` is completed with the recovery byte `v`
 * by recovering the sender and comparing it with `signer.address`.
 */
export function devshardRequestSigner(options: Pick<DevshardOptions, "privateKey" | "signer">): { address: string; sign: DevshardRequestSigner } {
  if ((options.privateKey === undefined) === (options.signer === undefined)) {
    throw new InvalidArgumentError("devshard", "give exactly one of privateKey or signer (the escrow owner's key)");
  }
  const signer: InferenceSigner = options.signer ?? signerFromPrivateKey(options.privateKey!);
  if (typeof signer.address !== "string" || typeof signer.sign !== "function") {
    throw new InvalidArgumentError("devshard.signer", "expected { address: string, sign(bytes) }");
  }
  const sign: DevshardRequestSigner = async ({ escrowId, body, timestampS }) => {
    const digest = devshardRequestDigest({ escrowId, body, timestampS });
    let raw: unknown;
    try {
      raw = await signer.sign(digest);
    } catch (err) {
      throw new InferenceSigningError("The devshard request signer threw", {
        details: "The signer's own error is attached as `cause`; gonka-sdk does not copy its message.",
        cause: err,
      });
    }
    const rs = normalizeSignature(raw);
    for (const v of [0, 1]) {
      const hex = bytesToHex(rs) + (v === 0 ? "00" : "01");
      let sender: string | undefined;
      try {
        sender = recoverDevshardSender({ escrowId, body, timestampS, signatureHex: hex, prefix: signer.address.slice(0, signer.address.lastIndexOf("1")) });
      } catch {
        sender = undefined;
      }
      if (sender === signer.address) return { "X-Devshard-Signature": hex, "X-Devshard-Timestamp": timestampS.toString() };
    }
    throw new InferenceSigningError("The devshard signature does not recover to the signer's address", {
      details: "The signer must sign sha256(message) with the key of its address (64 bytes r‖s).",
    });
  };
  return { address: signer.address, sign };
}
