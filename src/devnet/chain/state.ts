import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { ParamsSchema as InferenceParamsSchema, type Params as InferenceParams } from "../../../generated/proto/inference/inference/params_pb.js";
import type { Params as GovParams, Proposal, Vote, Deposit } from "../../../generated/proto/cosmos/gov/v1/gov_pb.js";
import type { Params as BlsParams } from "../../../generated/proto/inference/bls/params_pb.js";
import type { PoCBatch, PoCValidation } from "../../../generated/proto/inference/inference/pocbatch_pb.js";
import type { Any, Timestamp } from "@bufbuild/protobuf/wkt";
import type { Participant } from "../../../generated/proto/inference/inference/participant_pb.js";
import type { Model } from "../../../generated/proto/inference/inference/model_pb.js";
import type { Inference } from "../../../generated/proto/inference/inference/inference_pb.js";
import type { MLNodeWeight, PoCValidationV2 } from "../../../generated/proto/inference/inference/poc_v2_pb.js";
import { governanceModels, mainnetBlsParams, mainnetGovParams, mainnetInferenceParams, MAINNET_POC_MODELS } from "./genesis.js";
import { bech32Bytes, moduleAccount } from "./crypto.js";
import { unknownFieldKeys } from "./unknown-fields.js";
import type { DevInferenceVote } from "./exec-validation.js";

/** An auth account of the devnet chain. */
export interface DevAccount {
  /** `gonka1…`. */
  address: string;
  /** Account number, assigned on creation. */
  accountNumber: bigint;
  /** Next expected sequence. */
  sequence: bigint;
  /** Compressed secp256k1 pubkey, set by the first signed tx. */
  pubKey?: Uint8Array;
}

/** An authz grant (granter → grantee for one message type). */
export interface DevGrant {
  /** Granter address. */
  granter: string;
  /** Grantee address. */
  grantee: string;
  /** Authorized message type URL. */
  msgTypeUrl: string;
  /** The packed authorization. */
  authorization: { typeUrl: string; value: Uint8Array };
  /** Expiry, if any. */
  expiration?: Timestamp;
}

/** An x/feegrant allowance (granter pays the grantee's fees). */
export interface DevFeeAllowance {
  /** Granter (pays). */
  granter: string;
  /** Grantee (signs). */
  grantee: string;
  /** The packed allowance (`BasicAllowance`, `PeriodicAllowance` or `AllowedMsgAllowance`). */
  allowance: Any;
}

/** A stored PoC v2 commit of one (stage, participant, model). */
export interface DevPocV2Commit {
  /** Participant (creator). */
  participantAddress: string;
  /** Stage start height S. */
  pocStageStartBlockHeight: bigint;
  /** Governance model id. */
  modelId: string;
  /** Artifacts committed so far (strictly increasing). */
  count: number;
  /** 32-byte root hash. */
  rootHash: Uint8Array;
  /** Block of the latest commit (one per block per model). */
  commitBlockHeight: bigint;
}

/** A stored ML-node weight distribution of one (stage, participant, model). */
export interface DevPocV2Distribution {
  /** Participant (creator). */
  participantAddress: string;
  /** Stage start height S. */
  pocStageStartBlockHeight: bigint;
  /** Governance model id. */
  modelId: string;
  /** Per-node weights; their sum equals the committed count. */
  weights: MLNodeWeight[];
}

/** A participant's PoC mode for one model (spec §7.4); absent = NONE, committing = DIRECT. */
export type DevPocMode = { mode: "delegate"; delegateTo: string } | { mode: "refuse" } | { mode: "intent" };

/** A streamvesting schedule entry: `coins` unlock over `epochs` epochs from `startEpoch`. */
export interface DevVestingSchedule {
  /** Recipient. */
  recipient: string;
  /** Sender. */
  sender: string;
  /** Total coins of the transfer. */
  coins: { denom: string; amount: bigint }[];
  /** Number of epochs the coins vest over. */
  epochs: bigint;
  /** Epoch index the transfer was made in. */
  startEpoch: bigint;
  /** Epochs released so far. */
  released: bigint;
}

/** A participant excluded from an epoch. */
export interface DevExcludedParticipant {
  /** Account address. */
  address: string;
  /** Epoch. */
  epochIndex: bigint;
  /** Why. */
  reason: string;
  /** Height of the exclusion. */
  exclusionBlockHeight: bigint;
}

/**
 * Test hook: fields of the stored inference params that the SDK's schema does not know. `bytes`
 * are appended to the params' protobuf encoding at genesis (appending `field 3 (poc_params)`
 * with a sub-message merges into `poc_params`, so nested fields work too); the binary queries
 * return them, the tx decoder treats their numbers as known, and `json` is merged into the REST
 * gateway's `params` object while the stored params still carry them.
 */
export interface UnknownParamsFields {
  /** Raw protobuf bytes appended to the encoded `Params`. */
  bytes: Uint8Array;
  /** What the gateway would print for them (keys merged into `params`, deeply). */
  json?: Record<string, unknown>;
}

/** The record of an included (or rejected-at-delivery) transaction. */
export interface DevTxRecord {
  /** Upper-case hex hash. */
  hash: string;
  /** Block height. */
  height: bigint;
  /** Index in the block. */
  index: number;
  /** ABCI code. */
  code: number;
  /** Codespace. */
  codespace: string;
  /** Log. */
  log: string;
  /** Gas limit of the tx. */
  gasWanted: bigint;
  /** Gas the devnet charged. */
  gasUsed: bigint;
  /** Encoded `TxMsgData`. */
  data: Uint8Array;
  /** The TxRaw bytes. */
  txRaw: Uint8Array;
  /** Block time. */
  time: Date;
  /** Events of the delivered messages (e.g. `start_inference` with `result=failed`). */
  events: { type: string; attributes: { key: string; value: string }[] }[];
}

/** Options of {@link createChainState}. */
export interface ChainStateOptions {
  /** Chain ID (default `gonka-mainnet`). */
  chainId?: string;
  /** Accounts that exist at genesis, with balances and optional PoC voting power. */
  accounts?: { address: string; coins?: { denom: string; amount: bigint | string | number }[]; power?: bigint | number }[];
  /** Inference params (default: mainnet genesis). */
  inferenceParams?: InferenceParams;
  /** Gov voting period in ms (default 48 h; set it short for tests). */
  votingPeriodMs?: number;
  /** Start time of the chain (default now). */
  genesisTime?: Date;
  /** Initial block height (default 1). */
  initialHeight?: bigint;
  /** `fee_params.min_gas_price_ngonka` of the genesis params (default 0, as on mainnet); ignored with `inferenceParams`. */
  minGasPriceNgonka?: bigint | number;
  /** PoC version: 2 (default; `poc_v2_enabled = true` as on mainnet) or 1 (`MsgSubmitPocBatch` accepted); ignored with `inferenceParams`. */
  pocVersion?: 1 | 2;
  /** Governance model ids (default the three mainnet PoC models); also `poc_params.models` unless `inferenceParams` is given. */
  models?: readonly string[];
  /** Application version `abci_info` and `node_info` report (default `v0.2.13`). */
  appVersion?: string;
  /** Test hook: fields the SDK does not know, carried by the stored params (see {@link UnknownParamsFields}). */
  unknownParamsFields?: UnknownParamsFields;
  /** `MsgUpdateParams` also enforces the devshard timeout / vote-threshold rules (default false; spec §11). */
  strictDevshardParams?: boolean;
}

/**
 * The in-memory state of the devnet chain. Plain data: tests and the devnet composer may read and
 * edit it directly (e.g. `state.jailed.add(valoper)`, `state.epoch.pocStartBlockHeight = 100n`).
 */
export interface ChainState {
  /** Chain ID. */
  chainId: string;
  /** Height of the latest block. */
  height: bigint;
  /** Time of the latest block. */
  time: Date;
  /** Application version (`abci_info.version`), e.g. `v0.2.13`. */
  appVersion: string;
  /** Auth accounts by address. */
  accounts: Map<string, DevAccount>;
  /** Next account number. */
  nextAccountNumber: bigint;
  /** Balances: address → denom → amount. */
  balances: Map<string, Map<string, bigint>>;
  /** Voting power (PoC weight) by account address. */
  power: Map<string, bigint>;
  /** Participants by address. */
  participants: Map<string, Participant>;
  /** Inference module params (unknown fields, if any, ride in `$unknown` and are re-encoded). */
  inferenceParams: InferenceParams;
  /** Test hook of {@link UnknownParamsFields}; `knownUnknown` holds `"<message type>#<field number>"` keys the tx decoder accepts. */
  unknownParams?: UnknownParamsFields & { knownUnknown: Set<string> };
  /** Whether `MsgUpdateParams` enforces the devshard timeout / vote-threshold rules. */
  strictDevshardParams: boolean;
  /** `inference.bls` params. */
  blsParams: BlsParams;
  /** Governance models by id. */
  models: Map<string, Model>;
  /** Inferences by id (Start/Finish/Validation). */
  inferences: Map<string, Inference>;
  /** Validations by `inferenceId|validator` (value as a decimal string). */
  validations: Map<string, { inferenceId: string; validator: string; value: string; revalidation: boolean; height: bigint }>;
  /** Open invalidation votes by inference id (see exec-validation.ts). */
  inferenceVotes: Map<string, DevInferenceVote>;
  /** The participant allowlist (`MsgAddParticipantsToAllowList`). */
  participantAllowList: Set<string>;
  /** Participants excluded from epochs. */
  excludedParticipants: DevExcludedParticipant[];
  /** MLNode version on chain (`MLNodeVersion` query). */
  mlnodeVersion: string;
  /** PoC v2 commits keyed `stage|participant|model`. */
  pocV2Commits: Map<string, DevPocV2Commit>;
  /** PoC v2 weight distributions keyed `stage|participant|model`. */
  pocV2Distributions: Map<string, DevPocV2Distribution>;
  /** PoC v2 validation votes keyed `stage|participant|model|validator` (first vote wins). */
  pocV2Validations: Map<string, PoCValidationV2>;
  /** PoC modes keyed `participant|model`. */
  pocModes: Map<string, DevPocMode>;
  /** x/feegrant allowances keyed `granter|grantee`. */
  feeAllowances: Map<string, DevFeeAllowance>;
  /** streamvesting schedules. */
  vesting: DevVestingSchedule[];
  /** bls dealer-complaint responses received (`MsgRespondDealerComplaints`), keyed `epoch|dealer|complainer`. */
  dealerComplaintResponses: Map<string, { creator: string; shareBytes: Uint8Array; openingMaterial: Uint8Array }>;
  /** Current epoch. */
  epoch: { index: bigint; pocStartBlockHeight: bigint };
  /** Stored PoC batches. */
  pocBatches: PoCBatch[];
  /** Stored PoC validations. */
  pocValidations: PoCValidation[];
  /** authz grants keyed `granter|grantee|msgTypeUrl`. */
  grants: Map<string, DevGrant>;
  /** Gov params. */
  govParams: GovParams;
  /** Proposals by id. */
  proposals: Map<bigint, Proposal>;
  /** Next proposal id. */
  nextProposalId: bigint;
  /** Votes: proposal id → voter → vote. */
  votes: Map<bigint, Map<string, Vote>>;
  /** Deposits: proposal id → depositor → deposit. */
  deposits: Map<bigint, Map<string, Deposit>>;
  /** Collateral (ngonka) by participant. */
  collateral: Map<string, bigint>;
  /** Pending collateral withdrawals. */
  unbonding: { participant: string; amount: bigint; completionEpoch: bigint }[];
  /** Jailed validator operator addresses. */
  jailed: Set<string>;
  /** Software upgrade plans that passed gov. */
  upgradePlans: { name: string; height: bigint; info: string }[];
  /** Included txs by hash. */
  txs: Map<string, DevTxRecord>;
  /** Unordered-tx nonces seen: `address|seconds.nanos`. */
  unorderedNonces: Set<string>;
  /** Adds coins to an account (creating it when missing). */
  fund(address: string, coins: { denom: string; amount: bigint | string | number }[]): void;
  /** The account, created with the next account number when missing. */
  ensureAccount(address: string): DevAccount;
  /** Balance of one denom. */
  balance(address: string, denom: string): bigint;
}

/** The fee collector module account (fees go there; supply is conserved). */
export const FEE_COLLECTOR_ADDRESS = moduleAccount("fee_collector");

/** Key of a PoC v2 commit / distribution / mode: the parts joined with `|`. */
export function pocKey(...parts: (string | bigint)[]): string {
  return parts.map(String).join("|");
}

/** Key of an authz grant in {@link ChainState.grants}. */
export function grantKey(granter: string, grantee: string, msgTypeUrl: string): string {
  return `${granter}|${grantee}|${msgTypeUrl}`;
}

/**
 * Creates devnet chain state with mainnet params.
 *
 * @example
 * ```ts
 * const state = createChainState({ accounts: [{ address: wallet.address, coins: [{ denom: "ngonka", amount: 10n ** 12n }], power: 100 }] });
 * ```
 */
export function createChainState(options: ChainStateOptions = {}): ChainState {
  const modelIds = options.models ?? MAINNET_POC_MODELS.map((m) => m.modelId);
  let inferenceParams =
    options.inferenceParams ??
    mainnetInferenceParams({
      pocV2Enabled: (options.pocVersion ?? 2) === 2,
      minGasPriceNgonka: BigInt(options.minGasPriceNgonka ?? 0),
      pocModels: modelIds.map((modelId) => MAINNET_POC_MODELS.find((m) => m.modelId === modelId) ?? { modelId }),
    });
  let unknownParams: ChainState["unknownParams"];
  if (options.unknownParamsFields) {
    const bytes = options.unknownParamsFields.bytes;
    inferenceParams = fromBinary(InferenceParamsSchema, concat(toBinary(InferenceParamsSchema, inferenceParams), bytes));
    unknownParams = { ...options.unknownParamsFields, knownUnknown: unknownFieldKeys(InferenceParamsSchema, fromBinary(InferenceParamsSchema, bytes)) };
  }
  const state: ChainState = {
    chainId: options.chainId ?? "gonka-mainnet",
    height: options.initialHeight ?? 1n,
    time: options.genesisTime ?? new Date(),
    appVersion: options.appVersion ?? "v0.2.13",
    accounts: new Map(),
    nextAccountNumber: 0n,
    balances: new Map(),
    power: new Map(),
    participants: new Map(),
    inferenceParams,
    ...(unknownParams ? { unknownParams } : {}),
    strictDevshardParams: options.strictDevshardParams ?? false,
    blsParams: mainnetBlsParams(),
    models: new Map(governanceModels(modelIds).map((m) => [m.id, m])),
    inferences: new Map(),
    validations: new Map(),
    inferenceVotes: new Map(),
    participantAllowList: new Set(),
    excludedParticipants: [],
    mlnodeVersion: "v3.0.8",
    pocV2Commits: new Map(),
    pocV2Distributions: new Map(),
    pocV2Validations: new Map(),
    pocModes: new Map(),
    feeAllowances: new Map(),
    vesting: [],
    dealerComplaintResponses: new Map(),
    epoch: { index: 1n, pocStartBlockHeight: 0n },
    pocBatches: [],
    pocValidations: [],
    grants: new Map(),
    govParams: mainnetGovParams(options.votingPeriodMs),
    proposals: new Map(),
    nextProposalId: 1n,
    votes: new Map(),
    deposits: new Map(),
    collateral: new Map(),
    unbonding: [],
    jailed: new Set(),
    upgradePlans: [],
    txs: new Map(),
    unorderedNonces: new Set(),
    fund(address, coins) {
      state.ensureAccount(address);
      let b = state.balances.get(address);
      if (!b) state.balances.set(address, (b = new Map()));
      for (const c of coins) b.set(c.denom, (b.get(c.denom) ?? 0n) + BigInt(c.amount));
    },
    ensureAccount(address) {
      let a = state.accounts.get(address);
      if (!a) {
        bech32Bytes(address, "gonka");
        a = { address, accountNumber: state.nextAccountNumber++, sequence: 0n };
        state.accounts.set(address, a);
      }
      return a;
    },
    balance(address, denom) {
      return state.balances.get(address)?.get(denom) ?? 0n;
    },
  };
  for (const acc of options.accounts ?? []) {
    state.fund(acc.address, acc.coins ?? []);
    if (acc.power !== undefined) state.power.set(acc.address, BigInt(acc.power));
  }
  return state;
}


function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
