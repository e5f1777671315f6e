/**
 * A self-contained {@link DevnetChainView}: accounts, participants and models in plain maps,
 * block time = wall clock. Useful to serve the network-node APIs without a chain node (tests,
 * front-end mocks).
 */
import type { DevnetChainView, DevnetModel, DevnetParticipant } from "./chain-view.js";

/** A chain view whose contents the caller edits directly. */
export interface MemoryChainView extends DevnetChainView {
  accounts: Map<string, { pubkey?: Uint8Array; balance: bigint }>;
  participantList: DevnetParticipant[];
  modelList: DevnetModel[];
  /** Set the latest height (default 1). */
  setHeight(h: bigint): void;
}

/** The model every devnet serves unless told otherwise. */
export const DEVNET_DEFAULT_MODEL: DevnetModel = {
  id: "Qwen/Qwen2.5-7B-Instruct",
  unitsOfComputePerToken: 100n,
  hfRepo: "Qwen/Qwen2.5-7B-Instruct",
  proposedBy: "genesis",
};

/**
 * Creates an in-memory chain view.
 *
 * @example
 * ```ts
 * const chain = createMemoryChainView({ chainId: "gonka-devnet" });
 * chain.accounts.set(address, { pubkey, balance: 10n ** 9n });
 * ```
 */
export function createMemoryChainView(opts: { chainId?: string; models?: DevnetModel[] } = {}): MemoryChainView {
  let height = 1n;
  const view: MemoryChainView = {
    chainId: opts.chainId ?? "gonka-devnet",
    accounts: new Map(),
    participantList: [],
    modelList: opts.models ?? [DEVNET_DEFAULT_MODEL],
    setHeight: (h) => void (height = h),
    height: () => height,
    blockTimeNs: () => BigInt(Date.now()) * 1_000_000n,
    participants: () => view.participantList,
    accountPubkey: (a) => view.accounts.get(a)?.pubkey,
    balance: (a) => view.accounts.get(a)?.balance ?? 0n,
    models: () => view.modelList,
    epoch: () => ({ index: 1n, pocStartBlockHeight: 1n }),
    registerAccount(address, pubkey) {
      if (view.accounts.get(address)?.pubkey) return false;
      view.accounts.set(address, { pubkey, balance: view.accounts.get(address)?.balance ?? 0n });
      return true;
    },
  };
  return view;
}
