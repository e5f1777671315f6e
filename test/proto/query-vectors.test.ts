import { equals, fromBinary, getOption, toBinary, toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { http } from "../../generated/proto/google/api/annotations_pb.js";
import { fromJsonCosmos, registry, schemaForTypeUrl } from "../../src/proto/index.js";
import { fromHex, loadWireUpgrades, toHex, unknownFields } from "./helpers.js";

// queryResponses[] of test/fixtures/wire-upgrades.json: the chain's v0.2.13 query responses as
// bytes (gRPC) and as the REST gateway's snake_case JSON, with defaults omitted (`json`) and
// printed (`jsonWithDefaults`). Both JSON forms must decode to the same message as the bytes.
const { queryResponses } = loadWireUpgrades();

/** The `google.api.http` GET template of a gRPC method name like "/inference.inference.Query/Params". */
function routeOf(grpcMethod: string): { template: string; outputTypeName: string } {
  const [, service, rpc] = /^\/([^/]+)\/([^/]+)$/.exec(grpcMethod)!;
  const method = registry.getService(service!)?.methods.find((m) => m.name === rpc);
  if (!method) throw new Error(`no method ${grpcMethod}`);
  const rule = getOption(method, http);
  return { template: String(rule.pattern.value), outputTypeName: method.output.typeName };
}

/** Whether a concrete path (percent-decoded) matches a route template with `{var}` segments. */
function matches(template: string, path: string): boolean {
  const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
  return re.test(decodeURIComponent(path).replace(/%2F/gi, "_")) || re.test(path);
}

describe("wire-upgrades.json queryResponses[] (chain v0.2.13)", () => {
  it("has the 15 query response vectors", () => {
    expect(queryResponses).toHaveLength(15);
  });

  describe.each(queryResponses.map((v) => [`${v.grpcMethod} — ${v.description}`, v] as const))("%s", (_name, v) => {
    const schema = schemaForTypeUrl(v.typeUrl);
    const bytes = fromHex(v.hex);

    it("the gRPC method returns this type and its REST route matches the vector's path", () => {
      const { template, outputTypeName } = routeOf(v.grpcMethod);
      expect(`/${outputTypeName}`).toBe(v.typeUrl);
      const [verb, path] = v.restPath.split(" ");
      expect(verb).toBe("GET");
      expect(matches(template, path!), `${path} vs ${template}`).toBe(true);
    });

    it("decodes the bytes with nothing left unknown and re-encodes them exactly", () => {
      const decoded = fromBinary(schema, bytes);
      expect(unknownFields(schema, decoded)).toEqual([]);
      expect(toHex(toBinary(schema, decoded))).toBe(v.hex);
    });

    it("decodes the gateway JSON (defaults omitted) to the same message as the bytes", () => {
      const fromRest = fromJsonCosmos(schema, v.json);
      expect(equals(schema, fromRest, fromBinary(schema, bytes))).toBe(true);
      expect(toHex(toBinary(schema, fromRest))).toBe(v.hex);
    });

    it("decodes the gateway JSON with defaults printed to the same message as the bytes", () => {
      const fromRest = fromJsonCosmos(schema, v.jsonWithDefaults);
      expect(equals(schema, fromRest, fromBinary(schema, bytes))).toBe(true);
      expect(toHex(toBinary(schema, fromRest))).toBe(v.hex);
    });

    it("prints the bytes as the gateway's snake_case JSON", () => {
      const decoded = fromBinary(schema, bytes);
      expect(toJson(schema, decoded, { registry, useProtoFieldName: true })).toEqual(v.json);
      expect(toJson(schema, decoded, { registry, useProtoFieldName: true, alwaysEmitImplicit: true })).toEqual(v.jsonWithDefaults);
    });
  });
});
