import { describe, expect, it } from "vitest";
import wire from "../fixtures/wire.json" with { type: "json" };
import { walletFromPrivateKey } from "../../src/chain/keys.js";
import { signTx } from "../../src/chain/tx.js";
import { resolveMessage, type TxMessage } from "../../src/chain/messages.js";
import { toBase64, toHex } from "../../src/chain/bytes.js";
import { fromChainJson } from "../../src/chain/json.js";
import { schemaForTypeUrl } from "../../src/chain/registry.js";
import { create } from "@bufbuild/protobuf";
import { MsgVoteSchema } from "../../generated/proto/cosmos/gov/v1/tx_pb.js";
import { VoteOption } from "../../generated/proto/cosmos/gov/v1/gov_pb.js";

const keyOf = (addr: string): string => wire.keys.find((k) => k.address === addr)!.privateKeyHex;

describe("every txs[] vector reproduces byte for byte", () => {
  for (const t of wire.txs) {
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

describe("every messages[] vector packs to its bytes", () => {
  for (const m of wire.messages) {
    it(m.description, () => {
      const r = resolveMessage({ "@type": m.typeUrl, ...m.json } as unknown as TxMessage);
      expect(r.any.typeUrl).toBe(m.typeUrl);
      expect(toHex(r.any.value)).toBe(m.hex);
      const again = fromChainJson(schemaForTypeUrl(m.typeUrl), m.json as never);
      expect(toHex(resolveMessage(again).any.value)).toBe(m.hex);
    });
  }
});
