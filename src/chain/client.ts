import { InvalidArgumentError } from "../errors.js";
import { NodeAnswerMismatchError } from "./errors.js";
import { toUint64 } from "./tx.js";
import type { FetchLike } from "../http/index.js";
import type { ChainContext, NetworkPolicy, TxDefaults } from "./context.js";
import { createClientCache } from "./cache.js";
import type { ReleaseName } from "../network/releases.js";
import { getNetworkInfo, type NetworkInfo } from "./query/network.js";
import { getMinGasPrice } from "./fees.js";
import { getFeeAllowance } from "./query/feegrant.js";
import { getAccessParams, getExcludedParticipants, getParticipantAllowList, getPoCDelegation, getTransferAgentAccessParams } from "./query/access.js";
import { declarePoCIntent, refusePoCDelegation, setPoCDelegation } from "./actions/delegation.js";
import {
  getAllMLNodeWeightDistributions,
  getAllPoCV2StoreCommits,
  getMLNodeWeightDistribution,
  getPoCV2StoreCommit,
  getPoCValidationSnapshot,
  getPocV2ValidationsForStage,
} from "./query/poc-v2.js";
import { storePoCV2Commit, submitMLNodeWeightDistribution, submitPocValidationsV2 } from "./actions/poc-v2.js";
import { finishInference, startInference, submitValidation } from "./actions/inference.js";
import { respondDealerComplaints } from "./actions/bls.js";
import { batchTransferWithVesting, transferWithVesting } from "./actions/vesting.js";
import { fetchParams, type FetchedParams, type ParamsSource } from "./params.js";
import type { ParamsSchema } from "../../generated/proto/inference/inference/params_pb.js";
import type { ParamsSchema as BlsParamsSchema } from "../../generated/proto/inference/bls/params_pb.js";
import { createRestTransport } from "./transport/rest.js";
import { createCometRpc } from "./transport/rpc.js";
import { createGrpcTransport } from "./transport/grpc.js";
import { broadcastTx, waitForTx, type TxResult, type WaitForTxOptions } from "./broadcast.js";
import { sendTx, txOptions, type TxOptions } from "./send.js";
import type { TxSigner } from "./keys.js";
import type { TxMessage } from "./messages.js";
import { getAccount } from "./query/auth.js";
import { getBalance, getBalances } from "./query/bank.js";
import { getEpochInfo, getGranteesByMessageType, getInferenceParams, getParticipant, getParticipants, getPocBatchesForStage } from "./query/inference.js";
import { getGovParams, getProposal, getProposals, getTally, getVotes } from "./query/gov.js";
import { submitNewParticipant } from "./actions/participant.js";
import { grantMlOpsPermissions, revokeMlOpsPermissions } from "./actions/mlops.js";
import { BLS_PARAMS_QUERY, INFERENCE_PARAMS_QUERY, deposit, proposeBlsParams, proposeInferenceParams, submitProposal, vote, voteWeighted } from "./actions/gov.js";
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
  /**
   * Chain ID; default: read once from the node's `/status` (`node_info.network`), as the CLI does.
   * When given, the node's `/status` is still compared with it once before the first signature: a
   * node of another chain is refused ({@link NodeAnswerMismatchError}); an unreachable `/status`
   * leaves the configured ID in use.
   */
  chainId?: string;
  /** How queries (and the tx Service) are reached: `"rest"` (default, works in browsers) or `"grpc"` (Node.js). */
  transport?: "rest" | "grpc";
  /** Where txs are broadcast and looked up: CometBFT RPC (default, like the CLI) or the tx Service. */
  broadcastVia?: "rpc" | "service";
  /** Per-request time limit, ms (default 30 000). */
  timeoutMs?: number;
  /** Multiplier on simulated gas (default 1.4). */
  gasMultiplier?: number;
  /**
   * Gas price in ngonka per gas (number or decimal string). Default: the chain's minimum,
   * `Params.fee_params.min_gas_price_ngonka` (0 on mainnet today, so no fee). A price below the
   * chain's minimum is refused before signing ({@link GasPriceTooLowError}).
   */
  gasPrice?: number | string;
  /**
   * Check each message type against the release the node runs before signing (default true); see
   * {@link ChainClient.networkInfo}.
   */
  releaseCheck?: boolean;
  /**
   * When the node's release cannot be determined (its version names none and its params tell
   * none), send unchecked instead of refusing with {@link UnknownNetworkReleaseError} (default false).
   */
  allowUnknownRelease?: boolean;
  /** Take this release for the node instead of asking it (e.g. `"v0.2.13"`). */
  assumeRelease?: ReleaseName;
  /** How long the node's release is cached, ms (default 60 000). */
  networkInfoTtlMs?: number;
  /** How long the chain's minimum gas price is cached, ms (default 30 000). */
  feeParamsTtlMs?: number;
  /** How long to wait for inclusion, ms (default 60 000). */
  confirmTimeoutMs?: number;
  /**
   * Largest fee any tx of this client pays, in ngonka (default 10 GNK = 10 000 000 000): a higher
   * fee is refused before signing ({@link FeeCapExceededError}). Duty txs pay none at price 0.
   */
  maxFee?: bigint | number | string;
  /**
   * Largest gas taken from a node's simulation (default 50 000 000); a higher answer is refused
   * ({@link FeeCapExceededError}). An explicit `gasLimit` (duty txs use 1e9) is not capped.
   */
  maxSimulatedGas?: bigint | number | string;
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
  /** See {@link getNetworkInfo}: chain ID, the node's version and release, and what the SDK supports there (not cached). */
  networkInfo(): Promise<NetworkInfo>;
  /** See {@link getMinGasPrice} (cached). */
  getMinGasPrice: BoundQ<typeof getMinGasPrice>;
  /** See {@link getFeeAllowance}. */
  getFeeAllowance: BoundQ<typeof getFeeAllowance>;
  /** See {@link getParticipantAllowList}. */
  getParticipantAllowList: BoundQ<typeof getParticipantAllowList>;
  /** See {@link getExcludedParticipants}. */
  getExcludedParticipants: BoundQ<typeof getExcludedParticipants>;
  /** See {@link getPoCDelegation}. */
  getPoCDelegation: BoundQ<typeof getPoCDelegation>;
  /** See {@link getAccessParams}. */
  getAccessParams: BoundQ<typeof getAccessParams>;
  /** See {@link getPoCV2StoreCommit}. */
  getPoCV2StoreCommit: BoundQ<typeof getPoCV2StoreCommit>;
  /** See {@link getAllPoCV2StoreCommits}. */
  getAllPoCV2StoreCommits: BoundQ<typeof getAllPoCV2StoreCommits>;
  /** See {@link getMLNodeWeightDistribution}. */
  getMLNodeWeightDistribution: BoundQ<typeof getMLNodeWeightDistribution>;
  /** See {@link getAllMLNodeWeightDistributions}. */
  getAllMLNodeWeightDistributions: BoundQ<typeof getAllMLNodeWeightDistributions>;
  /** See {@link getPocV2ValidationsForStage}. */
  getPocV2ValidationsForStage: BoundQ<typeof getPocV2ValidationsForStage>;
  /** See {@link getPoCValidationSnapshot}. */
  getPoCValidationSnapshot: BoundQ<typeof getPoCValidationSnapshot>;
  /** See {@link getTransferAgentAccessParams}. */
  getTransferAgentAccessParams: BoundQ<typeof getTransferAgentAccessParams>;
  /** Inference params in binary form by default, fields the SDK does not know kept (see {@link fetchParams}). */
  fetchInferenceParams(source?: ParamsSource): Promise<FetchedParams<typeof ParamsSchema>>;
  /** bls params in binary form by default (see {@link fetchParams}). */
  fetchBlsParams(source?: ParamsSource): Promise<FetchedParams<typeof BlsParamsSchema>>;
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
  waitForTx(hash: string, options?: WaitForTxOptions): Promise<TxResult>;
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
  /** See {@link proposeBlsParams}. */
  proposeBlsParams: Bound<typeof proposeBlsParams>;
  /** See {@link setPoCDelegation}. */
  setPoCDelegation: Bound<typeof setPoCDelegation>;
  /** See {@link refusePoCDelegation}. */
  refusePoCDelegation: Bound<typeof refusePoCDelegation>;
  /** See {@link declarePoCIntent}. */
  declarePoCIntent: Bound<typeof declarePoCIntent>;
  /** See {@link storePoCV2Commit}. */
  storePoCV2Commit: Bound<typeof storePoCV2Commit>;
  /** See {@link submitMLNodeWeightDistribution}. */
  submitMLNodeWeightDistribution: Bound<typeof submitMLNodeWeightDistribution>;
  /** See {@link submitPocValidationsV2}. */
  submitPocValidationsV2: Bound<typeof submitPocValidationsV2>;
  /** See {@link startInference}. */
  startInference: Bound<typeof startInference>;
  /** See {@link finishInference}. */
  finishInference: Bound<typeof finishInference>;
  /** See {@link submitValidation}. */
  submitValidation: Bound<typeof submitValidation>;
  /** See {@link respondDealerComplaints}. */
  respondDealerComplaints: Bound<typeof respondDealerComplaints>;
  /** See {@link transferWithVesting}. */
  transferWithVesting: Bound<typeof transferWithVesting>;
  /** See {@link batchTransferWithVesting}. */
  batchTransferWithVesting: Bound<typeof batchTransferWithVesting>;
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
  const restTransport =
    kind === "rest"
      ? transport
      : createRestTransport({ baseUrl: restUrl, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) });
  const rpc = createCometRpc({ baseUrl: rpcUrl, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) });
  const txDefaults: TxDefaults = {
    gasMultiplier: options.gasMultiplier ?? 1.4,
    ...(options.gasPrice !== undefined ? { gasPrice: options.gasPrice } : {}),
    confirmTimeoutMs: options.confirmTimeoutMs ?? 60_000,
    pollIntervalMs: options.pollIntervalMs ?? 500,
    ...(options.maxFee !== undefined ? { maxFee: toUint64("maxFee", options.maxFee) } : {}),
    ...(options.maxSimulatedGas !== undefined ? { maxSimulatedGas: toUint64("maxSimulatedGas", options.maxSimulatedGas) } : {}),
  };
  const network: NetworkPolicy = {
    releaseCheck: options.releaseCheck ?? true,
    allowUnknownRelease: options.allowUnknownRelease ?? false,
    ...(options.assumeRelease ? { assumeRelease: options.assumeRelease } : {}),
    infoTtlMs: options.networkInfoTtlMs ?? 60_000,
    feeTtlMs: options.feeParamsTtlMs ?? 30_000,
  };
  const configuredChainId = options.chainId;
  let chainId: Promise<string> | undefined;
  const ctx: ChainContext = {
    transport,
    rpc,
    broadcastVia: options.broadcastVia ?? "rpc",
    txDefaults,
    restTransport,
    cache: createClientCache(),
    network,
    getChainId() {
      chainId ??= rpc.status().then(
        (s) => {
          if (configuredChainId !== undefined && s.chainId !== configuredChainId) {
            throw new NodeAnswerMismatchError("status", "chain ID", configuredChainId, s.chainId);
          }
          return s.chainId;
        },
        (e: unknown) => {
          if (configuredChainId !== undefined && !(e instanceof NodeAnswerMismatchError)) return configuredChainId;
          throw e;
        },
      ).catch((e: unknown) => {
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
  // Every action is guarded where it is defined (guardAction): named arguments must be an object,
  // and wrong-typed ones end as InvalidArgumentError, whether called here or directly.
  const w =
    <A extends unknown[], O>(f: (c: ChainContext, wallet: TxSigner, ...a: A) => Promise<O>) =>
    (wallet: TxSigner, ...a: A): Promise<O> =>
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
    networkInfo: () => getNetworkInfo(ctx),
    getMinGasPrice: q(getMinGasPrice),
    getFeeAllowance: q(getFeeAllowance),
    getParticipantAllowList: q(getParticipantAllowList),
    getExcludedParticipants: q(getExcludedParticipants),
    getPoCDelegation: q(getPoCDelegation),
    getAccessParams: q(getAccessParams),
    getPoCV2StoreCommit: q(getPoCV2StoreCommit),
    getAllPoCV2StoreCommits: q(getAllPoCV2StoreCommits),
    getMLNodeWeightDistribution: q(getMLNodeWeightDistribution),
    getAllMLNodeWeightDistributions: q(getAllMLNodeWeightDistributions),
    getPocV2ValidationsForStage: q(getPocV2ValidationsForStage),
    getPoCValidationSnapshot: q(getPoCValidationSnapshot),
    getTransferAgentAccessParams: q(getTransferAgentAccessParams),
    fetchInferenceParams: (source) => fetchParams(ctx, INFERENCE_PARAMS_QUERY, source),
    fetchBlsParams: (source) => fetchParams(ctx, BLS_PARAMS_QUERY, source),
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
    proposeBlsParams: w(proposeBlsParams),
    setPoCDelegation: w(setPoCDelegation),
    refusePoCDelegation: w(refusePoCDelegation),
    declarePoCIntent: w(declarePoCIntent),
    storePoCV2Commit: w(storePoCV2Commit),
    submitMLNodeWeightDistribution: w(submitMLNodeWeightDistribution),
    submitPocValidationsV2: w(submitPocValidationsV2),
    startInference: w(startInference),
    finishInference: w(finishInference),
    submitValidation: w(submitValidation),
    respondDealerComplaints: w(respondDealerComplaints),
    transferWithVesting: w(transferWithVesting),
    batchTransferWithVesting: w(batchTransferWithVesting),
    deposit: w(deposit),
    vote: w(vote),
    voteWeighted: w(voteWeighted),
    unjail: w(unjail),
    depositCollateral: w(depositCollateral),
    withdrawCollateral: w(withdrawCollateral),
    send: w(send),
    execAs: w(execAs),
    close: () => {
      transport.close();
      if (restTransport !== transport) restTransport.close();
    },
  };
}
