/**
 * A tiny transfer agent on loopback, for testing applications without a network. It checks
 * requests the way a Gonka TA does (signature against the requester's public key, timestamp
 * window against "block time", replayed `Authorization` values) and answers OpenAI-style chat
 * completions, streamed as SSE when asked. It never runs a model: the reply is generated text.
 *
 * Node only (it loads `node:http` on demand).
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { bech32 } from "@scure/base";
import { wallClockNs } from "../clock.js";
import type { TransferAgent } from "../discovery.js";
import { INFERENCE_PARAMS_PATH } from "../discovery.js";
import { checkSignatureScheme, verifyInferenceRequest, type InferenceSignatureScheme, type VerifyInferenceArgs } from "../signature.js";
import { SIGNATURE_IN_THE_FUTURE, SIGNATURE_TOO_OLD } from "../validation/timestamp-window.js";

/** What the local TA passes to its signature verifier. */
export interface LocalVerifyArgs extends VerifyInferenceArgs {
  body: Uint8Array;
  timestampNs: string;
  publicKey: Uint8Array | string;
}

/** One request seen by the local TA (for assertions in tests). */
export interface LocalTransferAgentRequest {
  method: string;
  path: string;
  /** Status code answered. */
  status: number;
  /** All request headers, lower-case names. */
  headers: Record<string, string>;
  /** The raw body as text. */
  body: string;
  /** For chat requests: whether the answer was streamed. */
  streamed?: boolean;
}

/** Options of {@link createLocalTransferAgent}. */
export interface LocalTransferAgentOptions {
  /** The TA's own bech32 address; default a random `gonka1…`. */
  address?: string;
  /** Requesters the TA knows: bech32 address → 33-byte compressed public key (bytes, hex or base64). */
  accounts?: Record<string, Uint8Array | string>;
  /** "Latest block time" in ns; default the local wall clock. */
  blockTimeNs?: () => bigint;
  /** Max age of `X-Timestamp` relative to block time, seconds; default 10. */
  timestampExpirationSec?: number;
  /** Max lead of `X-Timestamp` over block time, seconds; default 10. */
  timestampAdvanceSec?: number;
  /** Signature check; default {@link verifyInferenceRequest}. Tests can plug in another implementation. */
  verify?: (args: LocalVerifyArgs) => boolean | Promise<boolean>;
  /** Signature scheme expected: `"hashed-body"` (default, the only one); `"raw-body"` throws `LegacySignatureSchemeError`. */
  scheme?: InferenceSignatureScheme;
  /** Answer the first N valid chat requests with 429 "Transfer Agent capacity reached". */
  capacityRejections?: number;
  /**
   * Answer the first N chat requests (before any check) with this status and `{"error": message}`
   * (default message "no nodes available for inference").
   */
  failFirst?: { count: number; status: number; message?: string };
  /** The completion text for a request; default echoes the last message. */
  reply?: (request: { model: string; messages: { role?: string; content: string }[] }) => string;
  /** Delay between streamed chunks in ms; default 0. */
  streamDelayMs?: number;
  /** Extra participants listed at `/v1/epochs/current/participants` (the TA itself is always listed first). */
  participants?: TransferAgent[];
  /** Models this TA lists; default `["local/echo"]`. */
  models?: string[];
  /**
   * The chain's TA allow-list: served at the params route, and enforced like a node does (a
   * request whose transfer address is not listed gets 403 "Transfer Agent not allowed"). Default none.
   */
  allowedTransferAddresses?: string[];
  /** Host to bind; default `127.0.0.1`. Port is always chosen by the OS. */
  host?: string;
}

/** A running local transfer agent. */
export interface LocalTransferAgent {
  /** Base URL, e.g. `http://127.0.0.1:54321` (OpenAI `baseURL` is this plus `/v1`). */
  readonly url: string;
  /** The TA's address (`X-Transfer-Address`). */
  readonly address: string;
  /** The TA as an endpoint for `gonkaFetch({ endpoints: [ta.agent] })`. */
  readonly agent: TransferAgent;
  /** Every request seen, in order. */
  readonly requests: LocalTransferAgentRequest[];
  /** Adds or replaces a known requester. */
  addAccount(address: string, publicKey: Uint8Array | string): void;
  /** Stops the server. */
  close(): Promise<void>;
}

function randomAddress(): string {
  const bytes = new Uint8Array(20);
  globalThis.crypto.getRandomValues(bytes);
  return bech32.encode("gonka", bech32.toWords(bytes));
}

function formatRfc3339Ns(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, "0");
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, `.${fraction}Z`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a local transfer agent on loopback (port chosen by the OS).
 *
 * @example
 * ```ts
 * const signer = signerFromPrivateKey(key);
 * const ta = await createLocalTransferAgent({ accounts: { [signer.address]: signer.publicKey } });
 * const openai = new OpenAI({ baseURL: `${ta.url}/v1`, apiKey: "unused", fetch: gonkaFetch({ signer, endpoints: [ta.agent] }) });
 * // …
 * await ta.close();
 * ```
 */
export async function createLocalTransferAgent(options: LocalTransferAgentOptions = {}): Promise<LocalTransferAgent> {
  // A computed specifier keeps browser bundles of this module free of node:http.
  const httpModule = "node:http";
  const http = (await import(/* @vite-ignore */ /* webpackIgnore: true */ httpModule)) as typeof import("node:http");
  const address = options.address ?? randomAddress();
  const accounts = new Map<string, Uint8Array | string>(Object.entries(options.accounts ?? {}));
  const blockTimeNs = options.blockTimeNs ?? wallClockNs;
  const expirationNs = BigInt(Math.round((options.timestampExpirationSec ?? 10) * 1e9));
  const advanceNs = BigInt(Math.round((options.timestampAdvanceSec ?? 10) * 1e9));
  const verify = options.verify ?? verifyInferenceRequest;
  const scheme = checkSignatureScheme(options.scheme);
  const allowList = options.allowedTransferAddresses ?? [];
  const models = options.models ?? ["local/echo"];
  const usedAuthKeys = new Map<string, bigint>(); // authorization → expiry (block time ns)
  const requests: LocalTransferAgentRequest[] = [];
  let capacityLeft = options.capacityRejections ?? 0;
  let failuresLeft = options.failFirst?.count ?? 0;
  let url = "";

  const handle = async (req: IncomingMessage, res: ServerResponse, raw: Buffer, entry: LocalTransferAgentRequest): Promise<number> => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const json = (status: number, value: unknown): number => {
      entry.status = status;
      if (path === "/v1/chat/completions" && status === 200) entry.streamed = false;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
      return status;
    };
    const error = (status: number, message: string) => json(status, { error: message });

    if (req.method === "GET" && path === "/v1/status") return json(200, { status: "ok" });
    if (req.method === "GET" && path === "/v1/epochs/current/participants") {
      const list = [{ url, address, models }, ...(options.participants ?? [])];
      return json(200, {
        active_participants: {
          participants: list.map((p) => ({ index: p.address, inference_url: p.url, models: p.models ?? models, weight: 1 })),
          epoch_id: 1,
        },
      });
    }
    if (req.method === "GET" && path === "/chain-rpc/status") {
      return json(200, { result: { sync_info: { latest_block_height: "1", latest_block_time: formatRfc3339Ns(blockTimeNs()) } } });
    }
    if (req.method === "GET" && path === INFERENCE_PARAMS_PATH) {
      return json(200, {
        params: {
          validation_params: {
            timestamp_expiration: String(options.timestampExpirationSec ?? 10),
            timestamp_advance: String(options.timestampAdvanceSec ?? 10),
          },
          transfer_agent_access_params: { allowed_transfer_addresses: options.allowedTransferAddresses ?? [] },
        },
      });
    }
    if (path !== "/v1/chat/completions" || req.method !== "POST") return error(404, "Not Found");

    if (failuresLeft > 0) {
      failuresLeft--;
      return error(options.failFirst!.status, options.failFirst!.message ?? "no nodes available for inference");
    }
    const transferAddress = String(req.headers["x-transfer-address"] ?? "") || address;
    if (allowList.length > 0 && !allowList.includes(transferAddress)) return error(403, "Transfer Agent not allowed");
    const authorization = req.headers["authorization"];
    if (typeof authorization !== "string" || authorization.length === 0) return error(401, "Authorization is required");
    const requester = String(req.headers["x-requester-address"] ?? "");
    const tsHeader = String(req.headers["x-timestamp"] ?? "");
    const timestampNs = /^[0-9]+$/.test(tsHeader) ? BigInt(tsHeader) : 0n;
    const now = blockTimeNs();
    const publicKey = accounts.get(requester);
    if (publicKey === undefined) return error(500, "rpc error: code = NotFound desc = account not found");
    let valid = false;
    try {
      valid = await verify({ authorization, body: new Uint8Array(raw), timestampNs: timestampNs.toString(), transferAddress, publicKey, scheme });
    } catch {
      valid = false;
    }
    if (!valid) return error(401, "Unable to validate request against PubKey:invalid signature");
    // The node's order (inference-flow.md §2.7): signature, then freshness against block time, then replay.
    if (now - timestampNs > expirationNs) return error(400, SIGNATURE_TOO_OLD);
    if (timestampNs - now > advanceNs) return error(400, SIGNATURE_IN_THE_FUTURE);
    for (const [key, expiry] of usedAuthKeys) if (expiry < now) usedAuthKeys.delete(key);
    if (usedAuthKeys.has(authorization)) return error(400, "AuthKey has already been used for a transfer request");
    usedAuthKeys.set(authorization, now + 2n * expirationNs);
    if (capacityLeft > 0) {
      capacityLeft--;
      return error(429, `Transfer Agent capacity reached. Try another TA from ${url}/v1/epochs/current/participants`);
    }
    const contentType = String(req.headers["content-type"] ?? "");
    if (!contentType.includes("application/json")) return error(400, "Content-Type must be application/json");

    let parsed: { model?: unknown; messages?: unknown; stream?: unknown };
    try {
      parsed = JSON.parse(raw.toString("utf8")) as typeof parsed;
    } catch {
      return error(500, "failed to decode the request body");
    }
    const messages = Array.isArray(parsed.messages) ? parsed.messages : [];
    if (typeof parsed.model !== "string" || !messages.every((m) => typeof (m as { content?: unknown })?.content === "string")) {
      return error(500, "failed to decode the request body: model and string message contents are required");
    }
    const model = parsed.model;
    const typed = messages as { role?: string; content: string }[];
    const text = options.reply?.({ model, messages: typed }) ?? `echo: ${typed.at(-1)?.content ?? ""}`;
    const created = Math.floor(Number(now / 1_000_000_000n));
    const promptTokens = typed.reduce((n, m) => n + Math.max(1, m.content.split(/\s+/).length), 0);
    const pieces = text.match(/\S+\s*/g) ?? [text];
    const usage = { prompt_tokens: promptTokens, completion_tokens: pieces.length, total_tokens: promptTokens + pieces.length };

    if (parsed.stream === true) {
      entry.status = 200;
      entry.streamed = true;
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const send = (obj: unknown) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
      const chunk = (delta: object, finish: string | null) => ({
        id: authorization,
        object: "chat.completion.chunk",
        created,
        model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      });
      send(chunk({ role: "assistant", content: "" }, null));
      for (const piece of pieces) {
        if (options.streamDelayMs) await sleep(options.streamDelayMs);
        send(chunk({ content: piece }, null));
      }
      send(chunk({}, "stop"));
      send({ id: authorization, object: "chat.completion.chunk", created, model, choices: [], usage });
      res.end("data: [DONE]\n\n");
      return 200;
    }
    return json(200, {
      id: authorization,
      object: "chat.completion",
      created,
      model,
      choices: [{ index: 0, message: { role: "assistant", content: text }, logprobs: null, finish_reason: "stop" }],
      usage,
    });
  };

  const server: Server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const entry: LocalTransferAgentRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        status: 0,
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")])),
        body: raw.toString("utf8"),
      };
      requests.push(entry);
      handle(req, res, raw, entry).catch(() => {
          entry.status = 500;
          if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: "internal error" }));
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, options.host ?? "127.0.0.1", () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  const host = options.host ?? "127.0.0.1";
  url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  return {
    url,
    address,
    agent: { url, address, models },
    requests,
    addAccount(a, key) {
      accounts.set(a, key);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
