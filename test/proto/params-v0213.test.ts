import { fromBinary, toBinary, type DescMessage } from "@bufbuild/protobuf";
import { reflect, type ReflectMessage } from "@bufbuild/protobuf/reflect";
import { describe, expect, it } from "vitest";
import { MsgUpdateParamsSchema } from "../../generated/proto/inference/inference/tx_pb.js";
import { ParamsSchema, TokenomicsParamsSchema } from "../../generated/proto/inference/inference/params_pb.js";
import { ParamsSchema as BlsParamsSchema } from "../../generated/proto/inference/bls/params_pb.js";
import { fromHex, loadWireUpgrades } from "./helpers.js";

const DECIMAL = "inference.inference.Decimal";

/** Leaf fields of a schema: scalars, enums and Decimals count one; other messages are opened. */
function schemaLeaves(desc: DescMessage, prefix = ""): string[] {
  return desc.fields.flatMap((f) => {
    const path = `${prefix}${f.name}`;
    const sub = f.fieldKind === "message" ? f.message : f.fieldKind === "list" && f.listKind === "message" ? f.message : undefined;
    if (!sub || sub.typeName === DECIMAL) return [path];
    return schemaLeaves(sub, `${path}.`);
  });
}

/** Leaf paths that are set somewhere in a message (list elements merged). */
function setLeaves(r: ReflectMessage, prefix = "", out = new Set<string>()): Set<string> {
  for (const f of r.fields) {
    if (!r.isSet(f)) continue;
    const path = `${prefix}${f.name}`;
    if (f.fieldKind === "message" && f.message.typeName !== DECIMAL) setLeaves(r.get(f), `${path}.`, out);
    else if (f.fieldKind === "list" && f.listKind === "message" && f.message.typeName !== DECIMAL) {
      for (const item of r.get(f)) setLeaves(item as ReflectMessage, `${path}.`, out);
    } else out.add(path);
  }
  return out;
}

const vectors = loadWireUpgrades();
const full = vectors.messages.find((m) => m.typeUrl === "/inference.inference.MsgUpdateParams")!;

describe("inference Params at v0.2.13 (chain-upgrades.md §3.1)", () => {
  it("has 16 sub-messages numbered 1-16", () => {
    expect(ParamsSchema.fields.map((f) => f.number)).toEqual([...Array(16).keys()].map((i) => i + 1));
    expect(ParamsSchema.fields.every((f) => f.fieldKind === "message")).toBe(true);
  });

  it("has 154 leaf fields (a Decimal counts as one)", () => {
    expect(schemaLeaves(ParamsSchema)).toHaveLength(154);
  });

  it("the full-params vector sets every one of the 154 leaves, so none of ours is missing from the chain's", () => {
    const msg = fromBinary(MsgUpdateParamsSchema, fromHex(full.hex));
    expect(msg.$unknown ?? []).toEqual([]);
    const set = setLeaves(reflect(ParamsSchema, msg.params!));
    expect([...set].sort()).toEqual(schemaLeaves(ParamsSchema).sort());
  });

  it("no longer has TokenomicsParams 4, 5, 8: bytes with them decode as unknown fields, never as data", () => {
    expect(TokenomicsParamsSchema.fields.map((f) => f.number)).toEqual([1, 2, 3, 6, 7]);
    // field 5 (top_miner_poc_qualification, varint 10) as an old encoder wrote it
    const old = new Uint8Array([0x28, 0x0a, 0x30, 0xb4, 0x01]);
    const t = fromBinary(TokenomicsParamsSchema, old);
    expect(t.workVestingPeriod).toBe(180n);
    expect(t.$unknown?.map((u) => u.no)).toEqual([5]);
    // protobuf-es keeps it on re-encoding (after the known fields): a caller must strip it before
    // proposing, because the chain refuses a tx carrying it
    expect(toBinary(TokenomicsParamsSchema, t)).toEqual(new Uint8Array([0x30, 0xb4, 0x01, 0x28, 0x0a]));
  });

  it("bls Params has fields 6-8 (v0.2.12)", () => {
    expect(BlsParamsSchema.fields.map((f) => [f.number, f.name])).toEqual([
      [1, "i_total_slots"], [2, "t_slots_degree_offset"], [3, "dealing_phase_duration_blocks"],
      [4, "verification_phase_duration_blocks"], [5, "signing_deadline_blocks"], [6, "dispute_phase_duration_blocks"],
      [7, "completed_fallback_blocks"], [8, "max_signing_attempts"],
    ]);
  });
});
