/**
 * Shared helpers of the devnet chain tests: the vectors' keys, a chain node whose blocks the test
 * produces itself, and `submit`, which signs with the SDK, broadcasts over CometBFT RPC on
 * loopback, commits a block and reads the result back over RPC.
 */
import { create, fromBinary, type Message } from "@bufbuild/protobuf";
import { anyUnpack, type Any } from "@bufbuild/protobuf/wkt";
import wire from "../fixtures/wire-upgrades.json" with { type: "json" };
import { walletFromPrivateKey, type Wallet } from "../../src/chain/keys.js";
import { encodeAuthInfo, encodeSignDoc, encodeTxBody, encodeTxRaw, signTx, txHash, type SignTxArgs } from "../../src/chain/tx.js";
import { TxMsgDataSchema } from "../../generated/proto/cosmos/base/abci/v1beta1/abci_pb.js";
import { AnySchema } from "@bufbuild/protobuf/wkt";
import { registry } from "../../src/proto/index.js";
import { startChainNode, type ChainNode, type ChainNodeOptions } from "../../src/devnet/chain/index.js";

/** m/44'/1200'/0'/0/0 of "abandon … about": the cold (account) key. */
export const cold: Wallet = walletFromPrivateKey(wire.keys[0]!.privateKeyHex);
/** m/44'/1200'/0'/0/1: the warm (ML-ops) key. */
export const warm: Wallet = walletFromPrivateKey(wire.keys[1]!.privateKeyHex);
/** m/44'/1200'/0'/0/2. */
export const third: Wallet = walletFromPrivateKey(wire.keys[2]!.privateKeyHex);
/** m/44'/1200'/0'/0/3. */
export const fourth: Wallet = walletFromPrivateKey(wire.keys[3]!.privateKeyHex);
/** The gov module account. */
export const GOV = wire.govModuleAddress;
export const GNK = 1_000_000_000n;

/** A chain node with no block timer (the test commits blocks), every vector key funded with 1000 GNK. */
export async function startManualNode(extra: ChainNodeOptions = {}): Promise<ChainNode> {
  return startChainNode({
    blockTimeMs: 0,
    accounts: [cold, warm, third, fourth].map((w, i) => ({ address: w.address, coins: [{ denom: "ngonka", amount: 1000n * GNK }], power: i === 0 ? 100 : 10 })),
    ...extra,
  });
}

/** What CheckTx and DeliverTx said about a tx. */
export interface Submitted {
  hash: string;
  check: { code: number; log: string; codespace: string };
  deliver?: { code: number; log: string; codespace: string; events: { type: string; attributes: { key: string; value: string }[] }[] };
  /** The unpacked message responses (empty when the tx failed). */
  responses: Message[];
}

async function rpc(node: ChainNode, method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${node.rpcUrl}/`, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  return (await res.json()) as Record<string, unknown>;
}

/** Broadcasts raw tx bytes over `broadcast_tx_sync`, commits a block and reads `tx` back. */
export async function broadcast(node: ChainNode, txRaw: Uint8Array): Promise<Submitted> {
  const [r] = await broadcastInOneBlock(node, [txRaw]);
  return r!;
}

/** Broadcasts several txs, then commits one block holding those CheckTx accepted, and reads each back. */
export async function broadcastInOneBlock(node: ChainNode, txRaws: Uint8Array[]): Promise<Submitted[]> {
  const syncs: (Submitted["check"] & { hash: string })[] = [];
  for (const txRaw of txRaws) syncs.push((await rpc(node, "broadcast_tx_sync", { tx: Buffer.from(txRaw).toString("base64") })).result as Submitted["check"] & { hash: string });
  node.produceBlock();
  const out: Submitted[] = [];
  for (const [i, sync] of syncs.entries()) out.push(sync.code !== 0 ? { hash: txHash(txRaws[i]!), check: { code: sync.code, log: sync.log, codespace: sync.codespace }, responses: [] } : await readBack(node, txRaws[i]!, sync.log));
  return out;
}

async function readBack(node: ChainNode, txRaw: Uint8Array, checkLog: string): Promise<Submitted> {
  const hash = txHash(txRaw);
  const got = (await rpc(node, "tx", { hash: Buffer.from(hash, "hex").toString("base64") })).result as {
    tx_result: { code: number; log: string; codespace: string; data: string; events: NonNullable<Submitted["deliver"]>["events"] };
  };
  const r = got.tx_result;
  const data = fromBinary(TxMsgDataSchema, Buffer.from(r.data, "base64"));
  return {
    hash,
    check: { code: 0, log: checkLog, codespace: "" },
    deliver: { code: r.code, log: r.log, codespace: r.codespace, events: r.events },
    responses: data.msgResponses.map((a) => unpack(a)),
  };
}

function unpack(a: Any): Message {
  return a.value.length === 0 && !registry.getMessage(a.typeUrl.slice(1)) ? create(AnySchema, a) : (anyUnpack(a, registry) ?? create(AnySchema, a));
}

/** Signs `messages` with the SDK's `signTx` (account number and sequence read from the node's state, plus `seqOffset`). */
export async function sign(node: ChainNode, wallet: Wallet, messages: SignTxArgs["messages"], opts: Partial<SignTxArgs> = {}, seqOffset = 0n): Promise<Uint8Array> {
  const acc = node.state.ensureAccount(wallet.address);
  const signed = await signTx({
    wallet, chainId: node.state.chainId, accountNumber: acc.accountNumber, sequence: opts.unordered ? 0n : acc.sequence + seqOffset, gasLimit: 5_000_000n, messages, ...opts,
  });
  return signed.txRaw;
}

/** {@link sign}s and {@link broadcast}s. */
export async function submit(node: ChainNode, wallet: Wallet, messages: SignTxArgs["messages"], opts: Partial<SignTxArgs> = {}): Promise<Submitted> {
  return broadcast(node, await sign(node, wallet, messages, opts));
}

/**
 * Signs a tx whose body is given as packed `Any`s, bypassing the SDK's message checks (for type
 * URLs and fields the SDK rightly refuses to build).
 */
export async function submitRaw(node: ChainNode, wallet: Wallet, messages: Any[], opts: { gasLimit?: bigint; fee?: { denom: string; amount: string }[]; granter?: string } = {}): Promise<Submitted> {
  const acc = node.state.ensureAccount(wallet.address);
  const bodyBytes = encodeTxBody({ messages, memo: "", timeoutHeight: 0n, unordered: false, timeoutTimestamp: undefined });
  const authInfoBytes = encodeAuthInfo({
    publicKey: wallet.publicKey, sequence: acc.sequence, gasLimit: opts.gasLimit ?? 5_000_000n, fee: opts.fee ?? [], payer: "", granter: opts.granter ?? "",
  });
  const signature = await wallet.signBytes(encodeSignDoc({ bodyBytes, authInfoBytes, chainId: node.state.chainId, accountNumber: acc.accountNumber }));
  return broadcast(node, encodeTxRaw({ bodyBytes, authInfoBytes, signatures: [signature] }));
}

/** An `Any` of raw bytes. */
export function rawAny(typeUrl: string, value: Uint8Array): Any {
  return create(AnySchema, { typeUrl, value });
}

/** Registers `wallet` as an active participant (MsgSubmitNewParticipant). */
export async function register(node: ChainNode, wallet: Wallet, opts: Partial<SignTxArgs> = {}): Promise<void> {
  const r = await submit(node, wallet, [{ "@type": "/inference.inference.MsgSubmitNewParticipant", creator: wallet.address, url: "http://203.0.113.9:8000" }], opts);
  if (r.deliver?.code !== 0) throw new Error(`registration failed: ${r.check.log} ${r.deliver?.log ?? ""}`);
}
