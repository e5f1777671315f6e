/**
 * gonka-sdk — the TypeScript SDK for the Gonka network.
 *
 * The root entry gives the error tree and {@link createGonkaClient}, one object composing every
 * module for one participant's node — chain (tx + queries), public API, admin API, MLNode, signed
 * inference, PoC. Each module also has its own subpath (`gonka-sdk/chain`, `/inference`, `/admin`,
 * `/mlnode`, `/dapi`, `/poc`, `/devnet`, `/proto`) for smaller bundles.
 *
 * @example
 * ```ts
 * import { createGonkaClient } from "gonka-sdk";
 * const gonka = createGonkaClient({ url: "http://node2.gonka.ai:8000", chainId: "gonka-mainnet" });
 * console.log(await gonka.chain.getEpochInfo());
 * ```
 * @packageDocumentation
 */
export * from "./errors.js";
import { hex } from "@scure/base";
import { createAdminClient, type AdminClient } from "./admin/index.js";
import { createChainClient, type ChainClient, type TxSigner } from "./chain/index.js";
import { createDapiClient, type DapiClient } from "./dapi/index.js";
import { InvalidArgumentError } from "./errors.js";
import { gonkaFetch, type FetchLike, type GonkaFetch } from "./inference/index.js";
import { createMlNodeClient, type MlNodeClient } from "./mlnode/index.js";
import { createPocEngine, type PocEngine, type PocEngineOptions } from "./poc/index.js";

/** Options of {@link createGonkaClient}. */
export interface GonkaClientOptions {
  /** A node's public URL (like `http://node2.gonka.ai:8000`): `/v1`, `/chain-rpc`, `/chain-api`, `/chain-grpc`. */
  url: string;
  /** Chain id (e.g. `gonka-mainnet`); default: read from the node's `/chain-rpc/status`. */
  chainId?: string;
  /** The key that signs transactions and inference requests (a chain `Wallet` or any `TxSigner`). */
  wallet?: TxSigner;
  /** Admin API base (`http://host:9200`), for `client.admin`. */
  adminUrl?: string;
  /** MLNode base (`http://host:8080`), for `client.mlnode`. */
  mlnodeUrl?: string;
  /** Chain queries over `"rest"` (default, browsers too) or `"grpc"` (Node.js). */
  transport?: "rest" | "grpc";
  /** Per-request time limit in ms (default 30 000). */
  timeoutMs?: number;
  /** Custom fetch for every HTTP call. */
  fetch?: FetchLike;
}

/** The composed client; see {@link createGonkaClient}. */
export interface GonkaClient {
  /** The node's public URL. */
  readonly url: string;
  /** The signing key, when one was given. */
  readonly wallet: TxSigner | undefined;
  /** Chain queries, tx broadcast and every operator action (`client.chain.vote(wallet, …)`). */
  readonly chain: ChainClient;
  /** The node's public API (participants, epochs, models, pricing, inference records, PoC batches). */
  readonly dapi: DapiClient;
  /** The admin API (throws `InvalidArgumentError` when `adminUrl` was not given). */
  readonly admin: AdminClient;
  /** The MLNode API (throws `InvalidArgumentError` when `mlnodeUrl` was not given). */
  readonly mlnode: MlNodeClient;
  /** Signed, failing-over inference: `new OpenAI({ baseURL: client.inference.baseUrl, apiKey: "unused", fetch: client.inference.fetch })`. */
  readonly inference: {
    /** `${url}/v1`, the OpenAI base URL. */
    readonly baseUrl: string;
    /** A `fetch` that signs with the wallet and discovers transfer agents from `url` (throws without a wallet). */
    readonly fetch: GonkaFetch;
  };
  /** Proof-of-Compute. */
  readonly poc: {
    /** Loads a PoC engine; `publicKey` defaults to the wallet's (hex of the compressed key). */
    createEngine(options: Omit<PocEngineOptions, "publicKey"> & { publicKey?: string }): Promise<PocEngine>;
  };
  /** Frees connections (the chain's gRPC session). */
  close(): void;
}

/**
 * Creates one client for a node, composing every module.
 *
 * @example
 * ```ts
 * import { createGonkaClient } from "gonka-sdk";
 * import { walletFromMnemonic } from "gonka-sdk/chain";
 * const wallet = await walletFromMnemonic(process.env.MNEMONIC!);
 * const gonka = createGonkaClient({ url: "http://node2.gonka.ai:8000", chainId: "gonka-mainnet", wallet });
 * await gonka.chain.vote(wallet, { proposalId: 2n, option: "yes" });
 * const participants = await gonka.dapi.epochs.participants();
 * gonka.close();
 * ```
 */
export function createGonkaClient(options: GonkaClientOptions): GonkaClient {
  if (typeof options?.url !== "string" || !/^https?:\/\//.test(options.url)) {
    throw new InvalidArgumentError("url", "expected the node's public http(s) URL, e.g. http://node2.gonka.ai:8000");
  }
  const url = options.url.replace(/\/+$/, "");
  const common = {
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const chain = createChainClient({
    url,
    ...(options.chainId ? { chainId: options.chainId } : {}),
    ...(options.transport ? { transport: options.transport } : {}),
    ...common,
  });
  const dapi = createDapiClient({ baseUrl: url, ...common });
  let admin: AdminClient | undefined;
  let mlnode: MlNodeClient | undefined;
  let inferenceFetch: GonkaFetch | undefined;
  const wallet = options.wallet;
  return {
    url,
    wallet,
    chain,
    dapi,
    get admin() {
      if (!options.adminUrl) throw new InvalidArgumentError("adminUrl", "not set: pass createGonkaClient({ adminUrl: \"http://host:9200\" })");
      return (admin ??= createAdminClient({ baseUrl: options.adminUrl, ...common }));
    },
    get mlnode() {
      if (!options.mlnodeUrl) throw new InvalidArgumentError("mlnodeUrl", "not set: pass createGonkaClient({ mlnodeUrl: \"http://host:8080\" })");
      return (mlnode ??= createMlNodeClient({ baseUrl: options.mlnodeUrl, ...common }));
    },
    inference: {
      baseUrl: `${url}/v1`,
      get fetch(): GonkaFetch {
        if (!wallet) throw new InvalidArgumentError("wallet", "inference requests are signed: pass createGonkaClient({ wallet })");
        return (inferenceFetch ??= gonkaFetch({
          signer: { address: wallet.address, sign: (m: Uint8Array) => wallet.signBytes(m) },
          sourceUrl: url,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }));
      },
    },
    poc: {
      createEngine(o) {
        const publicKey = o.publicKey ?? (wallet ? hex.encode(wallet.publicKey) : undefined);
        if (publicKey === undefined) throw new InvalidArgumentError("publicKey", "give one, or create the client with a wallet");
        return createPocEngine({ ...o, publicKey });
      },
    },
    close() {
      chain.close();
    },
  };
}
