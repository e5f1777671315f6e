import wire from "../fixtures/wire.json" with { type: "json" };
import { walletFromPrivateKey, type Wallet } from "../../src/chain/keys.js";
import { createChainClient, type ChainClient, type ChainClientOptions } from "../../src/chain/client.js";
import { startChainNode, type ChainNode, type ChainNodeOptions } from "../../src/devnet/chain/index.js";

/** The account (cold) key of the vectors: m/44'/1200'/0'/0/0 of "abandon … about". */
export const cold: Wallet = walletFromPrivateKey(wire.keys[0]!.privateKeyHex);
/** The ML-ops (warm) key: m/44'/1200'/0'/0/1. */
export const warm: Wallet = walletFromPrivateKey(wire.keys[1]!.privateKeyHex);
/** A third funded account. */
export const other: Wallet = walletFromPrivateKey(wire.keys[3]!.privateKeyHex);

export const GNK = 1_000_000_000n;

/** Starts a devnet chain node with cold/warm/other funded and cold holding all voting power. */
export async function startNode(extra: ChainNodeOptions = {}): Promise<ChainNode> {
  return startChainNode({
    blockTimeMs: 15,
    votingPeriodMs: 400,
    accounts: [
      { address: cold.address, coins: [{ denom: "ngonka", amount: 1000n * GNK }], power: 100 },
      { address: warm.address, coins: [{ denom: "ngonka", amount: 10n * GNK }] },
      { address: other.address, coins: [{ denom: "ngonka", amount: 10n * GNK }], power: 20 },
    ],
    ...extra,
  });
}

/** A client for the node with fast polling. */
export function clientFor(node: ChainNode, opts: Partial<ChainClientOptions> = {}): ChainClient {
  return createChainClient({ url: node.url, pollIntervalMs: 10, confirmTimeoutMs: 5_000, timeoutMs: 5_000, ...opts });
}
