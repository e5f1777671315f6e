/** Typed access to test/fixtures/wire-upgrades.json (chain v0.2.13 golden vectors) for the chain tests. */
import upgrades from "../fixtures/wire-upgrades.json" with { type: "json" };
import { walletFromPrivateKey, type Wallet } from "../../src/chain/keys.js";

export interface MessageVector {
  description: string;
  typeUrl: string;
  json: Record<string, unknown>;
  hex: string;
}

export interface QueryVector {
  description: string;
  grpcMethod: string;
  restPath: string;
  typeUrl: string;
  json: Record<string, unknown>;
  jsonWithDefaults: Record<string, unknown>;
  hex: string;
}

export interface TxVector {
  description: string;
  signerAddress: string;
  accountNumber: string;
  sequence: string;
  gasLimit: string;
  fee: { denom: string; amount: string }[];
  feeGranter: string;
  unordered: boolean;
  timeoutTimestamp: string | null;
  messages: { typeUrl: string; json: Record<string, unknown> }[];
  txRawHex: string;
  txHash: string;
}

export const V = upgrades as unknown as {
  mlOpsGrantTypeUrls: string[];
  mlOpsFeeAllowance: { denom: string; amount: string }[];
  messages: MessageVector[];
  queryResponses: QueryVector[];
  txs: TxVector[];
  keys: { address: string; privateKeyHex: string }[];
};

/** The message vector whose description is `prefix`, or the only one that starts with it. */
export function messageVector(prefix: string): MessageVector {
  const exact = V.messages.find((m) => m.description === prefix);
  if (exact) return exact;
  const found = V.messages.filter((m) => m.description.startsWith(prefix));
  if (found.length !== 1) throw new Error(`${found.length} message vectors start with "${prefix}"`);
  return found[0]!;
}

/** The query vector whose description starts with `prefix`. */
export function queryVector(prefix: string): QueryVector {
  const found = V.queryResponses.filter((q) => q.description.startsWith(prefix));
  if (found.length !== 1) throw new Error(`${found.length} query vectors start with "${prefix}"`);
  return found[0]!;
}

/** The vectors' key 0 (cold), 1 (warm), 2 (transfer agent), 3 (developer). */
export const keys: Wallet[] = V.keys.map((k) => walletFromPrivateKey(k.privateKeyHex));

export function hexOf(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

export function bytesOf(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, "hex"));
}
