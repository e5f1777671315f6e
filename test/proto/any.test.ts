import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { AnySchema, anyPack as pbAnyPack } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { GenericAuthorizationSchema } from "../../generated/proto/cosmos/authz/v1beta1/authz_pb.js";
import { MsgExecSchema, MsgGrantSchema } from "../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import { MsgSubmitPocBatchSchema } from "../../generated/proto/inference/inference/tx_pb.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { UnknownTypeUrlError, anyPack, anyUnpack, anyUnpackAs, normalizeAnyTypeUrls } from "../../src/proto/index.js";
import { fromHex, loadMessageVectors, toHex } from "./helpers.js";

const exec = loadMessageVectors().find((v) => v.description === "authz exec of poc batch");
const grant = loadMessageVectors().find((v) => v.description === "one ml-ops grant");
const granter = "gonka1k4swv40ur28fvu54p8mskjj4lxkgsj07u9f8ny";
const grantee = "gonka1c73uxrxztjtcjptrj54ryyw7fw55htw73r3m2a";

describe("anyPack / anyUnpack", () => {
  it("packs with the Cosmos type URL and reproduces the golden MsgExec bytes", () => {
    const batch = create(MsgSubmitPocBatchSchema, {
      creator: granter,
      pocStageStartBlockHeight: 10n,
      batchId: "b",
      nonces: [1n],
      dist: [1.0],
    });
    const msg = create(MsgExecSchema, { grantee, msgs: [anyPack(MsgSubmitPocBatchSchema, batch)] });
    expect(msg.msgs[0].typeUrl).toBe("/inference.inference.MsgSubmitPocBatch");
    expect(toHex(toBinary(MsgExecSchema, msg))).toBe(exec?.hex);
  });

  it("unpacks an Any through the registry", () => {
    const msg = fromBinary(MsgExecSchema, fromHex(exec?.hex ?? ""));
    const { typeUrl, schema, message } = anyUnpack(msg.msgs[0]);
    expect(typeUrl).toBe("/inference.inference.MsgSubmitPocBatch");
    expect(schema).toBe(MsgSubmitPocBatchSchema);
    expect((message as ReturnType<typeof anyUnpackAs<typeof MsgSubmitPocBatchSchema>>).nonces).toEqual([1n]);
    const typed = anyUnpackAs(msg.msgs[0], MsgSubmitPocBatchSchema);
    expect(typed.dist).toEqual([1.0]);
    expect(typed.creator).toBe(granter);
  });

  it("refuses to unpack an Any as the wrong type, and an unknown type", () => {
    const msg = fromBinary(MsgExecSchema, fromHex(exec?.hex ?? ""));
    expect(() => anyUnpackAs(msg.msgs[0], MsgGrantSchema)).toThrow(InvalidArgumentError);
    expect(() => anyUnpack(create(AnySchema, { typeUrl: "/no.Such" }))).toThrow(UnknownTypeUrlError);
  });

  it("fixes Anys nested inside the packed message (grant inside exec)", () => {
    // protobuf-es' own anyPack writes type.googleapis.com/…; ours rewrites nested Anys too.
    const auth = pbAnyPack(GenericAuthorizationSchema, create(GenericAuthorizationSchema, { msg: "/inference.inference.MsgSubmitPocBatch" }));
    expect(auth.typeUrl).toBe("type.googleapis.com/cosmos.authz.v1beta1.GenericAuthorization");
    const g = create(MsgGrantSchema, {
      granter,
      grantee,
      grant: { authorization: auth, expiration: { seconds: 1826755200n, nanos: 0 } },
    });
    const packed = anyPack(MsgGrantSchema, g);
    const inner = anyUnpackAs(packed, MsgGrantSchema);
    expect(inner.grant?.authorization?.typeUrl).toBe("/cosmos.authz.v1beta1.GenericAuthorization");
    expect(toHex(toBinary(MsgGrantSchema, inner))).toBe(grant?.hex);
    // the caller's message is left untouched
    expect(g.grant?.authorization?.typeUrl).toBe("type.googleapis.com/cosmos.authz.v1beta1.GenericAuthorization");
  });

  it("normalizeAnyTypeUrls rewrites Anys at every depth and reports whether it changed anything", () => {
    const auth = pbAnyPack(GenericAuthorizationSchema, create(GenericAuthorizationSchema, { msg: "/x" }));
    const g = create(MsgGrantSchema, { granter, grantee, grant: { authorization: auth } });
    const outer = create(MsgExecSchema, { grantee, msgs: [pbAnyPack(MsgGrantSchema, g)] });
    expect(normalizeAnyTypeUrls(MsgExecSchema, outer)).toBe(true);
    expect(outer.msgs[0].typeUrl).toBe("/cosmos.authz.v1beta1.MsgGrant");
    expect(anyUnpackAs(outer.msgs[0], MsgGrantSchema).grant?.authorization?.typeUrl).toBe(
      "/cosmos.authz.v1beta1.GenericAuthorization",
    );
    expect(normalizeAnyTypeUrls(MsgExecSchema, outer)).toBe(false);
  });
});
