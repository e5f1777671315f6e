import { describe, expect, it } from "vitest";
import { fromBinary } from "@bufbuild/protobuf";
import * as chain from "../../src/chain/index.js";
import * as proto from "../../src/proto/index.js";
import { MsgExecSchema } from "../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import { MsgGrantSchema } from "../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";

describe("gonka-sdk/chain shares gonka-sdk/proto's registry and errors", () => {
  it("exports one UnknownTypeUrlError class", () => {
    expect(chain.UnknownTypeUrlError).toBe(proto.UnknownTypeUrlError);
    expect(() => chain.schemaForTypeUrl("/x.y.Nope")).toThrow(proto.UnknownTypeUrlError);
    expect(() => proto.schemaForTypeUrl("/x.y.Nope")).toThrow(chain.UnknownTypeUrlError);
  });

  it("uses the same registry", () => {
    expect(chain.chainRegistry).toBe(proto.registry);
    expect(chain.schemaForTypeUrl("/cosmos.gov.v1.MsgVote")).toBe(proto.schemaForTypeUrl("/cosmos.gov.v1.MsgVote"));
  });

  it("takes only Cosmos-form type URLs for tx messages", () => {
    let caught: unknown;
    try {
      chain.schemaForTypeUrl("type.googleapis.com/cosmos.gov.v1.MsgVote");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(proto.UnknownTypeUrlError);
    expect((caught as proto.UnknownTypeUrlError).typeUrl).toBe("type.googleapis.com/cosmos.gov.v1.MsgVote");
    expect((caught as proto.UnknownTypeUrlError).details).toContain("/cosmos.gov.v1.MsgVote");
  });

  it("gives Anys nested inside Anys the Cosmos form", () => {
    const granter = "gonka1c73uxrxztjtcjptrj54ryyw7fw55htw73r3m2a";
    const { any } = chain.resolveMessage({
      "@type": "/cosmos.authz.v1beta1.MsgExec",
      grantee: granter,
      msgs: [
        {
          "@type": "/cosmos.authz.v1beta1.MsgGrant",
          granter,
          grantee: granter,
          grant: { authorization: { "@type": "/cosmos.authz.v1beta1.GenericAuthorization", msg: "/cosmos.gov.v1.MsgVote" } },
        },
      ],
    });
    const exec = fromBinary(MsgExecSchema, any.value);
    expect(exec.msgs[0]?.typeUrl).toBe("/cosmos.authz.v1beta1.MsgGrant");
    const grant = fromBinary(MsgGrantSchema, exec.msgs[0]!.value);
    expect(grant.grant?.authorization?.typeUrl).toBe("/cosmos.authz.v1beta1.GenericAuthorization");
  });
});
