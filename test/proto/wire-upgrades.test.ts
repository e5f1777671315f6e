import { fromBinary, fromJson, toBinary, toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { fromJsonCosmos, messageFromJson, messageToJson, registry, schemaForTypeUrl } from "../../src/proto/index.js";
import { fromHex, loadWireUpgrades, toHex, unknownFields } from "./helpers.js";

// Golden vectors of the chain at v0.2.13 (test/fixtures/wire-upgrades.json, made by protoc from
// the chain's own protos at gonka 8a35022b). Each message's proto3 JSON with "@type" must encode
// to exactly the chain's bytes, and the bytes must decode back to the same JSON.
const { messages } = loadWireUpgrades();

describe("wire-upgrades.json messages[] (chain v0.2.13)", () => {
  it("has the 51 message vectors", () => {
    expect(messages).toHaveLength(51);
  });

  describe.each(messages.map((v, i) => [`#${i} ${v.typeUrl} — ${v.description}`, v] as const))("%s", (_name, v) => {
    const schema = schemaForTypeUrl(v.typeUrl);

    it('encodes the proto3 JSON with "@type" to exactly the golden bytes', () => {
      const { typeUrl, schema: s, message } = messageFromJson({ ...v.json, "@type": v.typeUrl });
      expect(typeUrl).toBe(v.typeUrl);
      expect(toHex(toBinary(s, message))).toBe(v.hex);
    });

    it("decodes the golden bytes back to exactly the vector's JSON", () => {
      const decoded = fromBinary(schema, fromHex(v.hex));
      expect(toJson(schema, decoded, { registry })).toEqual(v.json);
      expect(messageToJson(schema, decoded)).toEqual({ "@type": v.typeUrl, ...v.json });
    });

    it("decodes every field it knows: no unknown fields left, same bytes again", () => {
      const decoded = fromBinary(schema, fromHex(v.hex));
      expect(unknownFields(schema, decoded)).toEqual([]);
      expect(toHex(toBinary(schema, decoded))).toBe(v.hex);
    });
  });

  it("plain protobuf-es fromJson packs the fee allowance Any as type.googleapis.com/…, which the chain refuses", () => {
    const v = messages.find((m) => m.typeUrl === "/cosmos.feegrant.v1beta1.MsgGrantAllowance")!;
    const schema = schemaForTypeUrl(v.typeUrl);
    const plain = toBinary(schema, fromJson(schema, v.json, { registry }));
    expect(Buffer.from(plain).toString("latin1")).toContain("type.googleapis.com/cosmos.feegrant.v1beta1.BasicAllowance");
    expect(toHex(toBinary(schema, fromJsonCosmos(schema, v.json)))).toBe(v.hex);
  });

  it("a present-but-empty value_decimal is encoded (bytes 42 00) and reads back as {}", () => {
    const v = messages.find((m) => m.description.includes("value_decimal 0"))!;
    expect(v.hex.endsWith("4200")).toBe(true);
    const decoded = fromBinary(schemaForTypeUrl(v.typeUrl), fromHex(v.hex)) as unknown as { valueDecimal?: { value: bigint } };
    expect(decoded.valueDecimal?.value).toBe(0n);
  });
});
