import { InvalidArgumentError } from "../errors.js";
import type { FetchLike } from "../http/index.js";
import type { ChainContext, TxDefaults } from "./context.js";
import { createRestTransport } from "./transport/rest.js";
import { createCometRpc } from "./transport/rpc.js";
import { createGrpcTransport } from "./transport/grpc.js";
import { broadcastTx, waitForTx, type TxResult } from "./broadcast.js";
import { sendTx, txOptions, type TxOptions } from "./send.js";
import type { TxSigner } from "./keys.js";
import type { TxMessage } from "./messages.js";
import { getAccount } from "./query/auth.js";
import { getBalance, getBalances } from "./query/bank.js";
import { getEpochInfo, getGranteesByMessageType, getInferenceParams, getParticipant, getParticipants, getPocBatchesForStage } from "./query/inference.js";
import { getGovParams, getProposal, getProposals, getTally, getVotes } from "./query/gov.js";
import { submitNewParticipant } from "./actions/participant.js";
import { grantMlOpsPermissions, revokeMlOpsPermissions } from "./actions/mlops.js";
import { deposit, proposeInferenceParams, submitProposal, vote, voteWeighted } from "./actions/gov.js";
import { depositCollateral, send, unjail, withdrawCollateral } from "./actions/validator.js";
import { execAs } from "./actions/exec.js";

/** Options of {@link createChainClient}. */
export interface ChainClientOptions {
  /** A participant's public base URL, e.g. `http://node2.gonka.ai:8000`; the three endpoints hang off it. */
  url?: string;
  /** CometBFT RPC (default `${url}/chain-rpc`). */
  rpcUrl?: string;
  /** Cosmos REST (default `${url}/chain-api`). */
  restUrl?: string;
  /** gRPC (default `${url}/chain-grpc`). */
  grpcUrl?: string;
  /** Chain ID; default: read once from the node's `/status` (`node_info.network`), as the CLI does. */
  chainId?: string;
  /** How queries (and the tx Service) are reached: `"rest"` (default, works in browsers) or `"grpc"` (Node.js). */
  transport?: "rest" | "grpc";
  /** Where txs are broadcast and looked up: CometBFT RPC (default, like the CLI) or the tx Service. */
  broadcastVia?: "rpc" | "service";
  /** Per-request time limit, ms (default 30 000). */
  timeoutMs?: number;
  /** Multiplier on simulated gas (default 1.4). */
  gasMultiplier?: number;
  /** Gas price in ngonka (default 0; mainnet nodes charge no fees). */
  gasPrice?: number;
  /** How long to wait for inclusion, ms (default 60 000). */
  confirmTimeoutMs?: number;
  /** Poll interval while waiting for inclusion, ms (default 500). */
  pollIntervalMs?: number;
  /** Custom fetch for REST and RPC. */
  fetch?: FetchLike;
}

type Bound<F> = F extends (ctx: ChainContext, wallet: TxSigner, ...rest: infer R) => infer O ? (wallet: TxSigner, ...rest: R) => O : never;
type BoundQ<F> = F extends (ctx: never, ...rest: infer R) => infer O ? (...rest: R) => O : never;

/** A chain client: queries, tx broadcast and every operator action, bound to one node. */
export interface ChainClient extends ChainContext {
  /** Account number / sequence. */
  getAccount: BoundQ<typeof getAccount>;
  /** All balances. */
  getBalances: BoundQ<typeof getBalances>;
  /** One balance (default ngonka). */
  getBalance: BoundQ<typeof getBalance>;
  /** Inference module params. */
  getInferenceParams: BoundQ<typeof getInferenceParams>;
  /** One participant. */
  getParticipant: BoundQ<typeof getParticipant>;
  /** All participants. */
  getParticipants: BoundQ<typeof getParticipants>;
  /** Epoch info. */
  getEpochInfo: BoundQ<typeof getEpochInfo>;
  /** PoC batches of a stage. */
  getPocBatchesForStage: BoundQ<typeof getPocBatchesForStage>;
  /** Grantees of a granter for a message type. */
  getGranteesByMessageType: BoundQ<typeof getGranteesByMessageType>;
  /** One proposal. */
  getProposal: BoundQ<typeof getProposal>;
  /** Proposals. */
  getProposals: BoundQ<typeof getProposals>;
  /** Tally. */
  getTally: BoundQ<typeof getTally>;
  /** Votes. */
  getVotes: BoundQ<typeof getVotes>;
  /** Gov params. */
  getGovParams: BoundQ<typeof getGovParams>;
  /** Broadcasts a signed TxRaw; returns its hash. */
  broadcastTx(txRaw: Uint8Array): Promise<string>;
  /** Waits for a tx to be included. */
  waitForTx(hash: string, options?: { timeoutMs?: number; pollIntervalMs?: number }): Promise<TxResult>;
  /** Signs, broadcasts and waits for any messages. */
  sendTx(wallet: TxSigner, messages: readonly TxMessage[], options?: TxOptions): Promise<TxResult>;
  /** See {@link submitNewParticipant}. */
  submitNewParticipant: Bound<typeof submitNewParticipant>;
  /** See {@link grantMlOpsPermissions}. */
  grantMlOpsPermissions: Bound<typeof grantMlOpsPermissions>;
  /** See {@link revokeMlOpsPermissions}. */
  revokeMlOpsPermissions: Bound<typeof revokeMlOpsPermissions>;
  /** See {@link submitProposal}. */
  submitProposal: Bound<typeof submitProposal>;
  /** See {@link proposeInferenceParams}. */
  proposeInferenceParams: Bound<typeof proposeInferenceParams>;
  /** See {@link deposit}. */
  deposit: Bound<typeof deposit>;
  /** See {@link vote}. */
  vote: Bound<typeof vote>;
  /** See {@link voteWeighted}. */
  voteWeighted: Bound<typeof voteWeighted>;
  /** See {@link unjail}. */
  unjail: Bound<typeof unjail>;
  /** See {@link depositCollateral}. */
  depositCollateral: Bound<typeof depositCollateral>;
  /** See {@link withdrawCollateral}. */
  withdrawCollateral: Bound<typeof withdrawCollateral>;
  /** See {@link send}. */
  send: Bound<typeof send>;
  /** See {@link execAs}. */
  execAs: Bound<typeof execAs>;
  /** Frees connections (the gRPC HTTP/2 session). */
  close(): void;
}

/**
 * Creates a chain client for one node.
 *
 * @example
 * ```ts
 * const chain = createChainClient({ url: "http://node2.gonka.ai:8000", chainId: "gonka-mainnet" });
 * const wallet = await walletFromMnemonic(process.env.MNEMONIC!);
 * await chain.vote(wallet, { proposalId: 2n, option: "yes" });
 * const tally = await chain.getTally(2n);
 * chain.close();
 * ```
 */
export function createChainClient(options: ChainClientOptions): ChainClient {
  const base = options.url?.replace(/\/+$/, "");
  const pick = (explicit: string | undefined, suffix: string, name: string): string => {
    const v = explicit ?? (base ? `${base}${suffix}` : undefined);
    if (!v) throw new InvalidArgumentError(name, "give `url` or this endpoint explicitly");
    return v.replace(/\/+$/, "");
  };
  const restUrl = pick(options.restUrl, "/chain-api", "restUrl");
  const rpcUrl = pick(options.rpcUrl, "/chain-rpc", "rpcUrl");
  const kind = options.transport ?? "rest";
  if (kind !== "rest" && kind !== "grpc") throw new InvalidArgumentError("transport", 'expected "rest" or "grpc"');
  const transport =
    kind === "grpc"
      ? createGrpcTransport({ baseUrl: pick(options.grpcUrl, "/chain-grpc", "grpcUrl"), ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) })
      : createRestTransport({ baseUrl: restUrl, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) });
  const rpc = createCometRpc({ baseUrl: rpcUrl, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) });
  const txDefaults: TxDefaults = {
    gasMultiplier: options.gasMultiplier ?? 1.4,
    gasPrice: options.gasPrice ?? 0,
    confirmTimeoutMs: options.confirmTimeoutMs ?? 60_000,
    pollIntervalMs: options.pollIntervalMs ?? 500,
  };
  let chainId: Promise<string> | undefined = options.chainId ? Promise.resolve(options.chainId) : undefined;
  const ctx: ChainContext = {
    transport,
    rpc,
    broadcastVia: options.broadcastVia ?? "rpc",
    txDefaults,
    getChainId() {
      chainId ??= rpc.status().then((s) => s.chainId).catch((e: unknown) => {
        chainId = undefined;
        throw e;
      });
      return chainId;
    },
  };
  const q =
    <A extends unknown[], O>(f: (c: ChainContext, ...a: A) => O) =>
    (...a: A): O =>
      f(ctx, ...a);
  const w =
    <A extends unknown[], O>(f: (c: ChainContext, wallet: TxSigner, ...a: A) => O) =>
    (wallet: TxSigner, ...a: A): O =>
      f(ctx, wallet, ...a);
  return {
    ...ctx,
    getAccount: q(getAccount),
    getBalances: q(getBalances),
    getBalance: q(getBalance),
    getInferenceParams: q(getInferenceParams),
    getParticipant: q(getParticipant),
    getParticipants: q(getParticipants),
    getEpochInfo: q(getEpochInfo),
    getPocBatchesForStage: q(getPocBatchesForStage),
    getGranteesByMessageType: q(getGranteesByMessageType),
    getProposal: q(getProposal),
    getProposals: q(getProposals),
    getTally: q(getTally),
    getVotes: q(getVotes),
    getGovParams: q(getGovParams),
    broadcastTx: (txRaw) => broadcastTx(ctx, txRaw),
    waitForTx: (hash, o) => waitForTx(ctx, hash, o),
    sendTx: (wallet, messages, o) => sendTx(ctx, wallet, messages, txOptions(o ?? {})),
    submitNewParticipant: w(submitNewParticipant),
    grantMlOpsPermissions: w(grantMlOpsPermissions),
    revokeMlOpsPermissions: w(revokeMlOpsPermissions),
    submitProposal: w(submitProposal),
    proposeInferenceParams: w(proposeInferenceParams),
    deposit: w(deposit),
    vote: w(vote),
    voteWeighted: w(voteWeighted),
    unjail: w(unjail),
    depositCollateral: w(depositCollateral),
    withdrawCollateral: w(withdrawCollateral),
    send: w(send),
    execAs: w(execAs),
    close: () => transport.close(),
  };
}
