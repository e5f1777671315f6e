import { describe, expect, it } from "vitest";
import wire from "../fixtures/wire.json" with { type: "json" };
import upgrades from "../fixtures/wire-upgrades.json" with { type: "json" };
import { walletFromPrivateKey } from "../../src/chain/keys.js";
import { signTx } from "../../src/chain/tx.js";
import { resolveMessage, type TxMessage } from "../../src/chain/messages.js";
import { toBase64, toHex } from "../../src/chain/bytes.js";
import { fromChainJson } from "../../src/chain/json.js";
import { schemaForTypeUrl } from "../../src/chain/registry.js";
import { create } from "@bufbuild/protobuf";
import { MsgVoteSchema } from "../../generated/proto/cosmos/gov/v1/tx_pb.js";
import { VoteOption } from "../../generated/proto/cosmos/gov/v1/gov_pb.js";
import { InvalidAddressError } from "../../src/chain/errors.js";
import { RemovedMessageTypeError } from "../../src/network/errors.js";
import { STALE_WIRE_VECTORS, isCurrentWireVector } from "../proto/helpers.js";

const keyOf = (addr: string): string =>
  (wire.keys.find((k) => k.address === addr) ?? upgrades.keys.find((k) => k.address === addr))!.privateKeyHex;

// wire.json is the chain at launch; the vectors STALE_WIRE_VECTORS names (the 25-grant ML-ops tx,
// the proposal carrying the old Params with TokenomicsParams 4/5/8, MsgSubmitPocValidation) no
// longer match the chain at v0.2.13 and are retired. wire-upgrades.json covers the chain today.
const currentTxs = wire.txs.filter(isCurrentWireVector);
const currentMessages = wire.messages.filter(isCurrentWireVector);

describe("every current wire.json txs[] vector reproduces byte for byte", () => {
  it("retires exactly the two stale txs", () => {
    expect(wire.txs.length - currentTxs.length).toBe(2);
    for (const t of wire.txs) if (!isCurrentWireVector(t)) expect(STALE_WIRE_VECTORS[t.description]).toBeTruthy();
  });

  for (const t of currentTxs) {
    it(t.description, async () => {
      const wallet = walletFromPrivateKey(keyOf(t.signerAddress));
      const r = await signTx({
        wallet,
        chainId: t.chainId,
        accountNumber: t.accountNumber,
        sequence: t.sequence,
        gasLimit: t.gasLimit,
        fee: t.fee,
        memo: t.memo,
        timeoutHeight: t.timeoutHeight,
        unordered: t.unordered,
        ...(t.timeoutTimestamp ? { timeoutTimestamp: t.timeoutTimestamp } : {}),
        messages: t.messages.map((m) => ({ "@type": m.typeUrl, ...m.json }) as TxMessage),
      });
      expect(toHex(r.bodyBytes)).toBe(t.bodyBytesHex);
      expect(toHex(r.authInfoBytes)).toBe(t.authInfoBytesHex);
      expect(toHex(r.signDoc)).toBe(t.signDocHex);
      expect(toBase64(r.signature)).toBe(t.signatureBase64);
      expect(toHex(r.txRaw)).toBe(t.txRawHex);
      expect(r.hash).toBe(t.txHash);
    });
  }

  it("typed protobuf-es messages give the same bytes as proto3 JSON", async () => {
    const t = wire.txs.find((x) => x.description === "gov vote yes")!;
    const wallet = walletFromPrivateKey(keyOf(t.signerAddress));
    const vote = create(MsgVoteSchema, { proposalId: 2n, voter: wallet.address, option: VoteOption.YES });
    const common = { wallet, chainId: t.chainId, accountNumber: 42n, sequence: 7n, gasLimit: 2000000n } as const;
    const typed = await signTx({ ...common, messages: [vote] });
    const packed = await signTx({ ...common, messages: [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: vote }] });
    expect(toHex(typed.txRaw)).toBe(t.txRawHex);
    expect(toHex(packed.txRaw)).toBe(t.txRawHex);
  });
});

describe("every wire-upgrades.json txs[] vector (chain v0.2.13) reproduces byte for byte", () => {
  it("has the 3 signed txs, two of them with a fee granter", () => {
    expect(upgrades.txs).toHaveLength(3);
    expect(upgrades.txs.filter((t) => t.feeGranter !== "")).toHaveLength(2);
  });

  for (const t of upgrades.txs) {
    it(t.description, async () => {
      const wallet = walletFromPrivateKey(keyOf(t.signerAddress));
      const r = await signTx({
        wallet,
        chainId: t.chainId,
        accountNumber: t.accountNumber,
        sequence: t.sequence,
        gasLimit: t.gasLimit,
        fee: t.fee,
        ...(t.feeGranter ? { feeGranter: t.feeGranter } : {}),
        unordered: t.unordered,
        ...(t.timeoutTimestamp ? { timeoutTimestamp: t.timeoutTimestamp } : {}),
        // MsgExec's inner message is signed by the cold account, not the warm signer.
        skipSignerCheck: t.messages.some((m) => m.typeUrl === "/cosmos.authz.v1beta1.MsgExec"),
        messages: t.messages.map((m) => ({ "@type": m.typeUrl, ...m.json }) as TxMessage),
      });
      expect(toHex(r.bodyBytes)).toBe(t.bodyBytesHex);
      expect(toHex(r.authInfoBytes)).toBe(t.authInfoBytesHex);
      expect(toHex(r.signDoc)).toBe(t.signDocHex);
      expect(toBase64(r.signature)).toBe(t.signatureBase64);
      expect(toHex(r.txRaw)).toBe(t.txRawHex);
      expect(r.hash).toBe(t.txHash);
    });
  }

  it("the fee granter changes the signed bytes (AuthInfo.fee.granter, field 4)", async () => {
    const t = upgrades.txs.find((x) => x.feeGranter !== "")!;
    const wallet = walletFromPrivateKey(keyOf(t.signerAddress));
    const args = {
      wallet, chainId: t.chainId, accountNumber: t.accountNumber, sequence: t.sequence, gasLimit: t.gasLimit, fee: t.fee,
      unordered: t.unordered, timeoutTimestamp: t.timeoutTimestamp!, skipSignerCheck: true,
      messages: t.messages.map((m) => ({ "@type": m.typeUrl, ...m.json }) as TxMessage),
    };
    const without = await signTx(args);
    expect(toHex(without.authInfoBytes)).not.toBe(t.authInfoBytesHex);
    expect(toHex((await signTx({ ...args, feeGranter: t.feeGranter })).authInfoBytes)).toBe(t.authInfoBytesHex);
  });

  it("refuses a fee granter that is not a gonka account address", async () => {
    const t = upgrades.txs[1]!;
    const wallet = walletFromPrivateKey(keyOf(t.signerAddress));
    await expect(
      signTx({
        wallet, chainId: t.chainId, accountNumber: 1n, sequence: 0n, unordered: true, timeoutTimestamp: t.timeoutTimestamp!,
        skipSignerCheck: true, feeGranter: "cosmos1notgonka", messages: t.messages.map((m) => ({ "@type": m.typeUrl, ...m.json }) as TxMessage),
      }),
    ).rejects.toBeInstanceOf(InvalidAddressError);
  });

  it("refuses to sign a removed message type, also inside MsgExec, naming the release", async () => {
    const wallet = walletFromPrivateKey(upgrades.keys[0]!.privateKeyHex);
    const common = { wallet, chainId: "gonka-mainnet", accountNumber: 1n, sequence: 0n, gasLimit: 200000n } as const;
    const removed = { "@type": "/inference.inference.MsgSubmitPocValidation", creator: wallet.address, participantAddress: wallet.address };
    const direct = signTx({ ...common, messages: [removed as unknown as TxMessage] });
    await expect(direct).rejects.toBeInstanceOf(RemovedMessageTypeError);
    await expect(direct).rejects.toMatchObject({ removedIn: "v0.2.12", replacedBy: "/inference.inference.MsgSubmitPocValidationsV2" });
    const exec = { "@type": "/cosmos.authz.v1beta1.MsgExec", grantee: wallet.address, msgs: [{ "@type": "/inference.inference.MsgJoinTraining", creator: wallet.address }] };
    await expect(signTx({ ...common, messages: [exec as unknown as TxMessage] })).rejects.toMatchObject({
      name: "RemovedMessageTypeError",
      typeUrl: "/inference.inference.MsgJoinTraining",
      removedIn: "v0.2.12",
    });
  });
});

describe("every current wire.json messages[] vector packs to its bytes", () => {
  for (const m of currentMessages) {
    it(m.description, () => {
      const r = resolveMessage({ "@type": m.typeUrl, ...m.json } as unknown as TxMessage);
      expect(r.any.typeUrl).toBe(m.typeUrl);
      expect(toHex(r.any.value)).toBe(m.hex);
      const again = fromChainJson(schemaForTypeUrl(m.typeUrl), m.json as never);
      expect(toHex(resolveMessage(again).any.value)).toBe(m.hex);
    });
  }
});

describe("every wire-upgrades.json messages[] vector (chain v0.2.13) packs to its bytes", () => {
  it("has the 51 message vectors", () => expect(upgrades.messages).toHaveLength(51));
  for (const m of upgrades.messages) {
    it(m.description, () => {
      const r = resolveMessage({ "@type": m.typeUrl, ...m.json } as unknown as TxMessage);
      expect(r.any.typeUrl).toBe(m.typeUrl);
      expect(toHex(r.any.value)).toBe(m.hex);
    });
  }
});
