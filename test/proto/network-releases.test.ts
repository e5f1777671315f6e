import { getOption } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { service } from "../../generated/proto/cosmos/msg/v1/msg_pb.js";
import { allFiles } from "../../generated/proto/index.js";
import { GonkaError, InvalidArgumentError } from "../../src/errors.js";
import {
  ML_OPS_DROPPED_TYPE_URLS,
  ML_OPS_FEE_ALLOWANCE,
  ML_OPS_GRANT_TYPE_URLS,
  MESSAGE_TYPE_HISTORY,
  RELEASES,
  SUPPORTED_RELEASES,
  TARGET_RELEASE,
  compareReleases,
  isReleaseName,
  messageTypeAvailability,
  messageTypesAt,
  removedMessageType,
  type ReleaseName,
} from "../../src/network/index.js";
import { RemovedMessageTypeError, UnknownTypeUrlError, messageFromJson, registry, schemaForTypeUrl, typeNameOfUrl } from "../../src/proto/index.js";
import { loadWireUpgrades } from "./helpers.js";

const fixture = loadWireUpgrades();

/** Every Msg-service request type URL of Gonka's own modules in the generated protos (the chain at v0.2.13). */
const generatedGonkaMsgTypes: string[] = allFiles
  .flatMap((f) => f.services)
  .filter((s) => getOption(s, service) && s.typeName.startsWith("inference."))
  .flatMap((s) => s.methods.map((m) => `/${m.input.typeName}`));

describe("supported releases", () => {
  it("targets v0.2.13 and supports v0.2.2 … v0.2.13, oldest first", () => {
    expect(TARGET_RELEASE).toBe("v0.2.13");
    expect(SUPPORTED_RELEASES).toEqual([
      "v0.2.2", "v0.2.3", "v0.2.4", "v0.2.5", "v0.2.6", "v0.2.7", "v0.2.8", "v0.2.9", "v0.2.10", "v0.2.11", "v0.2.12", "v0.2.13",
    ]);
  });

  it("knows the launch release and the pending v0.2.14 but does not list them as supported", () => {
    expect(RELEASES[0]!.name).toBe("v0.2.0");
    const pending = RELEASES.find((r) => r.name === "v0.2.14")!;
    expect(pending.executed).toBe(false);
    expect(SUPPORTED_RELEASES).not.toContain("v0.2.14");
  });

  it("orders releases numerically, not as strings (v0.2.10 is newer than v0.2.9)", () => {
    expect(compareReleases("v0.2.10", "v0.2.9")).toBeGreaterThan(0);
    expect(compareReleases("v0.2.2", "v0.2.13")).toBeLessThan(0);
    expect(compareReleases("v0.2.12", "v0.2.12")).toBe(0);
  });

  it("refuses an unknown release name with an InvalidArgumentError listing the known ones", () => {
    expect(isReleaseName("v0.2.1")).toBe(false);
    expect(() => messageTypeAvailability("/inference.inference.MsgValidation", "v0.2.1" as ReleaseName)).toThrow(InvalidArgumentError);
    expect(() => compareReleases("v9" as ReleaseName, "v0.2.2")).toThrow(/Known releases: v0\.2\.0, v0\.2\.2/);
  });
});

describe("message type history", () => {
  it("at the target release lists exactly the Msg-service requests of the generated protos", () => {
    const tracked = messageTypesAt(TARGET_RELEASE);
    expect([...tracked].sort()).toEqual([...generatedGonkaMsgTypes].sort());
    const inference = (urls: string[]) => urls.filter((u) => u.startsWith("/inference.inference."));
    expect(inference(tracked).sort()).toEqual(inference(generatedGonkaMsgTypes).sort());
    expect(inference(tracked)).toHaveLength(40);
  });

  it("at launch (v0.2.0) lists the 26 inference Msgs of chain.md §1.1", () => {
    expect(messageTypesAt("v0.2.0").filter((u) => u.startsWith("/inference.inference."))).toHaveLength(26);
  });

  it("counts the spec's delta from launch to v0.2.13: 10 inference Msgs removed, 24 added", () => {
    const launch = new Set(messageTypesAt("v0.2.0").filter((u) => u.startsWith("/inference.inference.")));
    const now = new Set(messageTypesAt("v0.2.13").filter((u) => u.startsWith("/inference.inference.")));
    expect([...launch].filter((u) => !now.has(u))).toHaveLength(10);
    expect([...now].filter((u) => !launch.has(u))).toHaveLength(24);
  });

  it("has a schema for every type available at the target and none for a removed type", () => {
    for (const h of MESSAGE_TYPE_HISTORY) {
      const known = registry.getMessage(typeNameOfUrl(h.typeUrl)) !== undefined;
      expect(known, h.typeUrl).toBe(messageTypeAvailability(h.typeUrl, TARGET_RELEASE).status === "available");
    }
  });

  it("names a replacement that exists at the target for every removal that has one", () => {
    const withReplacement = MESSAGE_TYPE_HISTORY.filter((x) => x.replacedBy);
    expect(withReplacement).toHaveLength(3);
    for (const h of withReplacement) {
      expect(messageTypeAvailability(h.replacedBy!, TARGET_RELEASE).status, h.typeUrl).toBe("available");
      // the replacement exists from the release that removed the old type
      expect(messageTypeAvailability(h.replacedBy!, h.removedIn!).status, h.typeUrl).toBe("available");
    }
  });

  it("has no duplicate type URLs and only adds before it removes", () => {
    expect(new Set(MESSAGE_TYPE_HISTORY.map((h) => h.typeUrl)).size).toBe(MESSAGE_TYPE_HISTORY.length);
    for (const h of MESSAGE_TYPE_HISTORY) if (h.removedIn) expect(compareReleases(h.addedIn, h.removedIn), h.typeUrl).toBeLessThan(0);
  });
});

describe("messageTypeAvailability", () => {
  it("says a v0.2.12 delegation message is not yet on a v0.2.11 node, and available from v0.2.12", () => {
    expect(messageTypeAvailability("/inference.inference.MsgSetPoCDelegation", "v0.2.11")).toEqual({
      status: "not-yet-added",
      typeUrl: "/inference.inference.MsgSetPoCDelegation",
      addedIn: "v0.2.12",
    });
    expect(messageTypeAvailability("/inference.inference.MsgSetPoCDelegation", "v0.2.12").status).toBe("available");
  });

  it("reports MsgSubmitPocValidation available up to v0.2.11 and removed from v0.2.12 with its replacement", () => {
    expect(messageTypeAvailability("/inference.inference.MsgSubmitPocValidation", "v0.2.11").status).toBe("available");
    expect(messageTypeAvailability("/inference.inference.MsgSubmitPocValidation", "v0.2.12")).toEqual({
      status: "removed",
      typeUrl: "/inference.inference.MsgSubmitPocValidation",
      addedIn: "v0.2.0",
      removedIn: "v0.2.12",
      replacedBy: "/inference.inference.MsgSubmitPocValidationsV2",
    });
  });

  it("tracks the transient subnet escrow and training allowlist types (v0.2.11 / v0.2.4 until v0.2.12)", () => {
    expect(messageTypeAvailability("/inference.inference.MsgCreateSubnetEscrow", "v0.2.10").status).toBe("not-yet-added");
    expect(messageTypeAvailability("/inference.inference.MsgCreateSubnetEscrow", "v0.2.11").status).toBe("available");
    expect(messageTypeAvailability("/inference.inference.MsgCreateSubnetEscrow", "v0.2.12")).toMatchObject({
      status: "removed",
      replacedBy: "/inference.inference.MsgCreateDevshardEscrow",
    });
    expect(messageTypeAvailability("/inference.inference.MsgSetTrainingAllowList", "v0.2.4").status).toBe("available");
    expect(messageTypeAvailability("/inference.inference.MsgSetTrainingAllowList", "v0.2.3").status).toBe("not-yet-added");
  });

  it("leaves Cosmos SDK types and unknown URLs untracked", () => {
    expect(messageTypeAvailability("/cosmos.gov.v1.MsgVote", "v0.2.2")).toEqual({ status: "untracked", typeUrl: "/cosmos.gov.v1.MsgVote" });
    expect(messageTypeAvailability("/x.y.Nope", TARGET_RELEASE).status).toBe("untracked");
  });

  it("removedMessageType answers only for types gone at the target", () => {
    expect(removedMessageType("/inference.inference.MsgJoinTraining")?.removedIn).toBe("v0.2.12");
    expect(removedMessageType("/inference.inference.MsgValidation")).toBeUndefined();
    expect(removedMessageType("/cosmos.gov.v1.MsgVote")).toBeUndefined();
  });
});

describe("RemovedMessageTypeError from the registry", () => {
  it("is thrown by schemaForTypeUrl for a removed type, names the release and the replacement", () => {
    let caught: unknown;
    try {
      schemaForTypeUrl("/inference.inference.MsgSubmitPocValidation");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RemovedMessageTypeError);
    expect(caught).toBeInstanceOf(UnknownTypeUrlError);
    expect(caught).toBeInstanceOf(GonkaError);
    const err = caught as RemovedMessageTypeError;
    expect(err.name).toBe("RemovedMessageTypeError");
    expect(err.typeUrl).toBe("/inference.inference.MsgSubmitPocValidation");
    expect(err.removedIn).toBe("v0.2.12");
    expect(err.replacedBy).toBe("/inference.inference.MsgSubmitPocValidationsV2");
    expect(err.shortMessage).toContain("removed in v0.2.12");
    expect(err.details).toContain("Use /inference.inference.MsgSubmitPocValidationsV2 instead");
  });

  it("says there is no replacement for a training message", () => {
    const err = (() => {
      try {
        schemaForTypeUrl("/inference.inference.MsgTrainingHeartbeat");
      } catch (e) {
        return e as RemovedMessageTypeError;
      }
      throw new Error("expected a throw");
    })();
    expect(err.replacedBy).toBeUndefined();
    expect(err.details).toContain("no replacement");
  });

  it("is thrown by messageFromJson for a removed \"@type\" at the top and nested in an Any", () => {
    expect(() => messageFromJson({ "@type": "/inference.inference.MsgSetBarrier" })).toThrow(RemovedMessageTypeError);
    expect(() =>
      messageFromJson({
        "@type": "/cosmos.authz.v1beta1.MsgExec",
        grantee: fixture.keys[0]!.address,
        msgs: [{ "@type": "/inference.inference.MsgSettleSubnetEscrow", settler: fixture.keys[0]!.address }],
      }),
    ).toThrow(RemovedMessageTypeError);
  });
});

describe("ML-ops grant list and fee allowance (chain-upgrades.md §5)", () => {
  it("ML_OPS_GRANT_TYPE_URLS equals the vectors' mlOpsGrantTypeUrls, in CLI order", () => {
    expect([...ML_OPS_GRANT_TYPE_URLS]).toEqual(fixture.mlOpsGrantTypeUrls);
  });

  it("ML_OPS_FEE_ALLOWANCE is a 10 GNK BasicAllowance equal to the vectors' mlOpsFeeAllowance", () => {
    expect(ML_OPS_FEE_ALLOWANCE.typeUrl).toBe("/cosmos.feegrant.v1beta1.BasicAllowance");
    expect(ML_OPS_FEE_ALLOWANCE.spendLimit).toEqual(fixture.mlOpsFeeAllowance);
    expect(schemaForTypeUrl(ML_OPS_FEE_ALLOWANCE.typeUrl).typeName).toBe("cosmos.feegrant.v1beta1.BasicAllowance");
  });

  it("every granted type exists at v0.2.13; the dropped ones are removed or no longer granted", () => {
    for (const url of ML_OPS_GRANT_TYPE_URLS) expect(messageTypeAvailability(url, TARGET_RELEASE).status, url).toBe("available");
    const statuses = ML_OPS_DROPPED_TYPE_URLS.map((u) => messageTypeAvailability(u, TARGET_RELEASE).status);
    expect(statuses.filter((s) => s === "removed")).toHaveLength(8);
    expect(ML_OPS_DROPPED_TYPE_URLS.filter((u) => ML_OPS_GRANT_TYPE_URLS.includes(u))).toEqual([]);
  });
});
