import type { Params as InferenceParams } from "../../../generated/proto/inference/inference/params_pb.js";
import type { Params as GovParams, Proposal, Vote, Deposit } from "../../../generated/proto/cosmos/gov/v1/gov_pb.js";
import type { PoCBatch, PoCValidation } from "../../../generated/proto/inference/inference/pocbatch_pb.js";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { Participant } from "../../../generated/proto/inference/inference/participant_pb.js";
import { mainnetGovParams, mainnetInferenceParams } from "./genesis.js";
import { bech32Bytes } from "./crypto.js";

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
  /** Minimum gas price in ngonka per gas unit (default 0, like mainnet nodes). */
  minGasPrice?: number;
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
  /** Minimum gas price (ngonka per gas). */
  minGasPrice: number;
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
  /** Inference module params. */
  inferenceParams: InferenceParams;
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
  const state: ChainState = {
    chainId: options.chainId ?? "gonka-mainnet",
    height: options.initialHeight ?? 1n,
    time: options.genesisTime ?? new Date(),
    minGasPrice: options.minGasPrice ?? 0,
    accounts: new Map(),
    nextAccountNumber: 0n,
    balances: new Map(),
    power: new Map(),
    participants: new Map(),
    inferenceParams: options.inferenceParams ?? mainnetInferenceParams(),
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

