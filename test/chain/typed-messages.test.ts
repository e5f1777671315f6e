/**
 * Messages given with their schema (`txMessage(schema, init)`, `{ schema, message }`) sign without
 * a type registry, and the signing path without one refuses, with advice, every message it
 * cannot read on its own (JSON, bare protobuf-es messages, `{ typeUrl, value }`, nested Anys,
 * MsgExec) instead of passing it unchecked. Golden bytes: wire.json's "gov vote yes" tx.
 */
import { create, createRegistry, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import wire from "../fixtures/wire.json" with { type: "json" };
import { walletFromPrivateKey } from "../../src/chain/keys.js";
import { signTx } from "../../src/chain/tx.js";
import { resolveMessagesIn, txMessage, type TxMessage } from "../../src/chain/messages.js";
import { validateMessages } from "../../src/chain/validate.js";
import { toHex } from "../../src/chain/bytes.js";
import { anyPack, messageFromJson, registry } from "../../src/proto/index.js";
import { loadedTypes, typeLookupFor } from "../../src/proto/registry-hook.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { UnknownTypeUrlError } from "../../src/proto/errors.js";
import { RemovedMessageTypeError } from "../../src/network/errors.js";
import { MsgVoteSchema, file_cosmos_gov_v1_tx } from "../../generated/proto/cosmos/gov/v1/tx_pb.js";
import { VoteOption } from "../../generated/proto/cosmos/gov/v1/gov_pb.js";
import { MsgExecSchema } from "../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import { MsgSendSchema } from "../../generated/proto/cosmos/bank/v1beta1/tx_pb.js";

const t = wire.txs.find((x) => x.description === "gov vote yes")!;
const wallet = walletFromPrivateKey(wire.keys.find((k) => k.address === t.signerAddress)!.privateKeyHex);
const common = { wallet, chainId: t.chainId, accountNumber: t.accountNumber, sequence: t.sequence, gasLimit: t.gasLimit } as const;
const voteJson = { "@type": t.messages[0]!.typeUrl, ...t.messages[0]!.json } as unknown as TxMessage;
const voteInit = { proposalId: 2n, voter: wallet.address, option: VoteOption.YES };

describe("messages given with their schema", () => {
  it("txMessage(MsgVoteSchema, init) signs to the golden gov vote bytes", async () => {
    const r = await signTx({ ...common, messages: [txMessage(MsgVoteSchema, voteInit)] });
    expect(toHex(r.txRaw)).toBe(t.txRawHex);
    expect(r.hash).toBe(t.txHash);
  });

  it("{ schema, message } and messageFromJson's { typeUrl, schema, message } sign to the same bytes", async () => {
    const plain = await signTx({ ...common, messages: [{ schema: MsgVoteSchema, message: create(MsgVoteSchema, voteInit) }] });
    const fromJson = await signTx({ ...common, messages: [messageFromJson(voteJson as never)] });
    expect(toHex(plain.txRaw)).toBe(t.txRawHex);
    expect(toHex(fromJson.txRaw)).toBe(t.txRawHex);
  });

  it("txMessage keeps an already-created message as it is", () => {
    const message = create(MsgVoteSchema, voteInit);
    expect(txMessage(MsgVoteSchema, message).message).toBe(message);
  });

  it("txMessage refuses something that is not a message schema", () => {
    expect(() => txMessage({ typeName: "cosmos.gov.v1.MsgVote" } as never)).toThrow(InvalidArgumentError);
    expect(() => txMessage({ typeName: "cosmos.gov.v1.MsgVote" } as never)).toThrow(/Invalid schema/);
  });

  it("a message of another type than its schema is refused, naming the field", async () => {
    const send = create(MsgSendSchema, { fromAddress: wallet.address });
    const mixed = signTx({ ...common, messages: [{ schema: MsgVoteSchema, message: send } as never] });
    await expect(mixed).rejects.toThrow(InvalidArgumentError);
    await expect(mixed).rejects.toMatchObject({ argument: "messages[0].message" });
    await expect(mixed).rejects.toThrow(/cosmos\.bank\.v1beta1\.MsgSend, expected a cosmos\.gov\.v1\.MsgVote/);
  });

  it("a typeUrl beside the schema must be the schema's", async () => {
    const wrong = { typeUrl: "/cosmos.gov.v1beta1.MsgVote", schema: MsgVoteSchema, message: create(MsgVoteSchema, voteInit) };
    await expect(signTx({ ...common, messages: [wrong] })).rejects.toMatchObject({ name: "InvalidArgumentError", argument: "messages[0].typeUrl" });
  });

  it("the signer check still applies to them", async () => {
    const other = txMessage(MsgVoteSchema, { ...voteInit, voter: wire.keys.find((k) => k.address !== wallet.address)!.address });
    await expect(signTx({ ...common, messages: [other] })).rejects.toMatchObject({ argument: "messages[0].voter" });
  });

  it("ValidateBasic checks still apply to them (VOTE_OPTION_UNSPECIFIED)", async () => {
    const unspecified = txMessage(MsgVoteSchema, { ...voteInit, option: VoteOption.UNSPECIFIED });
    await expect(signTx({ ...common, messages: [unspecified] })).rejects.toMatchObject({ argument: "messages[0].option" });
  });

  it("a MsgExec given with its schema still refuses a removed inner message type", async () => {
    const exec = txMessage(MsgExecSchema, {
      grantee: wallet.address,
      msgs: [{ typeUrl: "/inference.inference.MsgJoinTraining", value: new Uint8Array([10, 1, 120]) }],
    });
    await expect(signTx({ ...common, messages: [exec] })).rejects.toBeInstanceOf(RemovedMessageTypeError);
  });
});

describe("the registry hook", () => {
  it("is set in Node: the SDK's registry marks itself loaded when it is created", () => {
    expect(loadedTypes()?.registry).toBe(registry);
    expect(typeLookupFor(undefined)).toBe(loadedTypes());
    expect(typeLookupFor(registry)).toBe(loadedTypes());
  });

  it("signTx({ registry }) reads JSON with a registry of the caller's own", async () => {
    const own = createRegistry(file_cosmos_gov_v1_tx);
    const r = await signTx({ ...common, registry: own, messages: [voteJson] });
    expect(toHex(r.txRaw)).toBe(t.txRawHex);
    const send = { "@type": "/cosmos.bank.v1beta1.MsgSend", fromAddress: wallet.address, toAddress: wallet.address, amount: [] } as unknown as TxMessage;
    await expect(signTx({ ...common, registry: own, messages: [send] })).rejects.toBeInstanceOf(UnknownTypeUrlError);
  });

  it("signTx refuses a registry option that is not a registry", async () => {
    await expect(signTx({ ...common, registry: {} as never, messages: [voteJson] })).rejects.toMatchObject({ argument: "registry" });
  });
});

describe("the signing path without a registry (what a bundle without it sees)", () => {
  const advice = /needs the SDK's type registry, which is not loaded in this program/;

  it("resolves a message given with its schema to the golden message bytes", () => {
    const [r] = resolveMessagesIn(undefined, [txMessage(MsgVoteSchema, voteInit)]);
    expect(r!.any.typeUrl).toBe("/cosmos.gov.v1.MsgVote");
    expect(toHex(r!.any.value)).toBe(toHex(toBinary(MsgVoteSchema, create(MsgVoteSchema, voteInit))));
    expect(t.bodyBytesHex).toContain(toHex(r!.any.value));
  });

  it("refuses proto3 JSON, a bare protobuf-es message and { typeUrl, value }, saying how to give the schema", () => {
    const forms: TxMessage[] = [voteJson, create(MsgVoteSchema, voteInit), { typeUrl: "/cosmos.gov.v1.MsgVote", value: toBinary(MsgVoteSchema, create(MsgVoteSchema, voteInit)) }];
    for (const m of forms) {
      let caught: unknown;
      try {
        resolveMessagesIn(undefined, [m]);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InvalidArgumentError);
      expect((caught as InvalidArgumentError).argument).toBe("messages[0]");
      expect((caught as Error).message).toMatch(advice);
      expect((caught as InvalidArgumentError).details).toMatch(/txMessage\(MsgVoteSchema/);
    }
  });

  it("names the message's own schema in the advice", () => {
    const unjail = { "@type": "/cosmos.slashing.v1beta1.MsgUnjail", validator_addr: "gonkavaloper1x" } as TxMessage;
    let caught: unknown;
    try {
      resolveMessagesIn(undefined, [unjail]);
    } catch (e) {
      caught = e;
    }
    expect((caught as InvalidArgumentError).details).toMatch(/txMessage\(MsgUnjailSchema, \{ … \}\)/);
  });

  it("refuses a message holding a google.protobuf.Any instead of passing it unchecked", () => {
    const exec = txMessage(MsgExecSchema, { grantee: wallet.address, msgs: [anyPack(MsgVoteSchema, create(MsgVoteSchema, voteInit))] });
    expect(() => resolveMessagesIn(undefined, [exec])).toThrow(advice);
    // An empty Any (no type URL) holds nothing to read.
    expect(() => resolveMessagesIn(undefined, [txMessage(MsgExecSchema, { grantee: wallet.address, msgs: [{}] })])).not.toThrow();
  });

  it("validateMessages refuses a MsgExec when given no registry (null)", () => {
    const exec = txMessage(MsgExecSchema, { grantee: wallet.address, msgs: [anyPack(MsgVoteSchema, create(MsgVoteSchema, voteInit))] });
    const resolved = resolveMessagesIn(loadedTypes(), [exec]);
    expect(() => validateMessages(resolved, "messages", null)).toThrow(advice);
    expect(() => validateMessages(resolved, "messages", registry)).not.toThrow();
  });

  it("a registry of the caller's own is checked against the SDK's removed types when the SDK's registry is loaded", async () => {
    const own = createRegistry(file_cosmos_gov_v1_tx);
    expect(typeLookupFor(own)!.assertNotRemoved).toBe(loadedTypes()!.assertNotRemoved);
    const exec = txMessage(MsgExecSchema, { grantee: wallet.address, msgs: [{ typeUrl: "/inference.inference.MsgJoinTraining", value: new Uint8Array([10, 1, 120]) }] });
    await expect(signTx({ ...common, registry: own, skipSignerCheck: true, messages: [exec] })).rejects.toBeInstanceOf(RemovedMessageTypeError);
  });
});
