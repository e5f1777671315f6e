import { create, fromBinary, toBinary, toJson } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PubKeySchema } from "../../generated/proto/cosmos/crypto/secp256k1/keys_pb.js";
import { SignMode } from "../../generated/proto/cosmos/tx/signing/v1beta1/signing_pb.js";
import { AuthInfoSchema, SignDocSchema, TxBodySchema, TxRawSchema } from "../../generated/proto/cosmos/tx/v1beta1/tx_pb.js";
import { anyUnpackAs, registry, schemaForTypeUrl } from "../../src/proto/index.js";
import { fromHex, isCurrentWireVector, toHex, withoutDefaults } from "./helpers.js";

interface TxVector {
  description: string;
  chainId: string;
  accountNumber: string;
  sequence: string;
  gasLimit: string;
  fee: { denom: string; amount: string }[];
  memo: string;
  unordered: boolean;
  timeoutTimestamp: string | null;
  messages: { typeUrl: string; json: Record<string, unknown> }[];
  bodyBytesHex: string;
  authInfoBytesHex: string;
  signDocHex: string;
  signatureBase64: string;
  txRawHex: string;
}

// wire.json's "grant-ml-ops-permissions (25 grants)" and "gov proposal on a test chain" txs no
// longer match the chain at v0.2.13 and are retired (see STALE_WIRE_VECTORS in ./helpers.ts).
const txs = (
  JSON.parse(readFileSync(fileURLToPath(new URL("../fixtures/wire.json", import.meta.url)), "utf8")) as { txs: TxVector[] }
).txs.filter(isCurrentWireVector);

describe("tx envelope schemas against the golden txs[] bytes", () => {
  it.each(txs.map((t) => [t.description, t] as const))("%s", (_d, t) => {
    // TxBody: messages, memo, unordered (4), timeout_timestamp (5)
    const body = fromBinary(TxBodySchema, fromHex(t.bodyBytesHex));
    expect(toHex(toBinary(TxBodySchema, body))).toBe(t.bodyBytesHex);
    expect(body.$unknown ?? []).toEqual([]);
    expect(body.memo).toBe(t.memo);
    expect(body.unordered).toBe(t.unordered);
    if (t.timeoutTimestamp === null) expect(body.timeoutTimestamp).toBeUndefined();
    else {
      const ts = body.timeoutTimestamp;
      expect(ts).toBeDefined();
      if (ts) {
        expect(ts.nanos).toBe(Number(t.timeoutTimestamp.slice(20, 29)));
        expect(timestampDate(ts).toISOString().slice(0, 19)).toBe(t.timeoutTimestamp.slice(0, 19));
      }
    }
    expect(body.messages.map((m) => m.typeUrl)).toEqual(t.messages.map((m) => m.typeUrl));
    for (const [i, any] of body.messages.entries()) {
      const schema = schemaForTypeUrl(any.typeUrl);
      expect(toJson(schema, anyUnpackAs(any, schema), { registry })).toEqual(withoutDefaults(t.messages[i].json as never));
    }

    // AuthInfo: one secp256k1 signer, SIGN_MODE_DIRECT, sequence, fee, gas
    const auth = fromBinary(AuthInfoSchema, fromHex(t.authInfoBytesHex));
    expect(toHex(toBinary(AuthInfoSchema, auth))).toBe(t.authInfoBytesHex);
    expect(auth.$unknown ?? []).toEqual([]);
    expect(auth.signerInfos).toHaveLength(1);
    const signer = auth.signerInfos[0];
    expect(signer.publicKey?.typeUrl).toBe("/cosmos.crypto.secp256k1.PubKey");
    if (signer.publicKey) expect(anyUnpackAs(signer.publicKey, PubKeySchema).key).toHaveLength(33);
    expect(signer.modeInfo?.sum.case).toBe("single");
    expect(signer.modeInfo?.sum.case === "single" && signer.modeInfo.sum.value.mode).toBe(SignMode.DIRECT);
    expect(signer.sequence).toBe(BigInt(t.sequence));
    expect(auth.fee?.gasLimit).toBe(BigInt(t.gasLimit));
    expect(auth.fee?.amount.map((c) => ({ denom: c.denom, amount: c.amount }))).toEqual(t.fee);

    // SignDoc and TxRaw
    const doc = fromBinary(SignDocSchema, fromHex(t.signDocHex));
    expect(toHex(doc.bodyBytes)).toBe(t.bodyBytesHex);
    expect(toHex(doc.authInfoBytes)).toBe(t.authInfoBytesHex);
    expect(doc.chainId).toBe(t.chainId);
    expect(doc.accountNumber).toBe(BigInt(t.accountNumber));
    const rebuilt = create(SignDocSchema, {
      bodyBytes: fromHex(t.bodyBytesHex),
      authInfoBytes: fromHex(t.authInfoBytesHex),
      chainId: t.chainId,
      accountNumber: BigInt(t.accountNumber),
    });
    expect(toHex(toBinary(SignDocSchema, rebuilt))).toBe(t.signDocHex);

    const raw = create(TxRawSchema, {
      bodyBytes: fromHex(t.bodyBytesHex),
      authInfoBytes: fromHex(t.authInfoBytesHex),
      signatures: [new Uint8Array(Buffer.from(t.signatureBase64, "base64"))],
    });
    expect(toHex(toBinary(TxRawSchema, raw))).toBe(t.txRawHex);
  });
});
