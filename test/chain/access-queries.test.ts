/**
 * The allowlist / access / delegation queries as typed functions: the REST gateway's snake_case
 * JSON of the vectors decodes to the same messages as the vectors' binary form.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromBinary } from "@bufbuild/protobuf";
import { createChainClient, type ChainClient } from "../../src/chain/client.js";
import {
  QueryParamsResponseSchema,
  QueryParticipantAllowListResponseSchema,
  QueryPoCDelegationResponseSchema,
} from "../../generated/proto/inference/inference/query_pb.js";
import { startFakeNode, type FakeNode } from "./fake-node.js";
import { bytesOf, keys, queryVector } from "./vectors-v0213.js";

const PARAMS_PATH = "/productscience/inference/inference/params";
const pathOf = (restPath: string) => restPath.replace(/^GET /, "");

describe("access and delegation queries decode the gateway's JSON like the binary vectors", () => {
  let node: FakeNode;
  let chain: ChainClient;
  const delegation = queryVector("PoC delegation state of a participant");
  const allow = queryVector("participant allowlist");
  const params = queryVector("inference params");
  beforeAll(async () => {
    node = await startFakeNode({
      rest: {
        [pathOf(delegation.restPath)]: delegation.jsonWithDefaults,
        [pathOf(allow.restPath)]: allow.jsonWithDefaults,
        [PARAMS_PATH]: params.jsonWithDefaults,
        "/productscience/inference/inference/excluded_participants/7": {
          items: [{ address: keys[1]!.address, epoch_index: "7", reason: "downtime", exclusion_block_height: "1234567" }],
        },
      },
    });
    chain = createChainClient({ url: node.url });
  });
  afterAll(async () => {
    chain.close();
    await node.stop();
  });

  it("getPoCDelegation: delegations, refusals and intents", async () => {
    const want = fromBinary(QueryPoCDelegationResponseSchema, bytesOf(delegation.hex));
    const got = await chain.getPoCDelegation(keys[3]!.address);
    expect(got).toEqual({ delegations: want.delegations, refusals: want.refusals, intents: want.intents });
    expect(got.delegations[0]).toMatchObject({ modelId: "moonshotai/Kimi-K2.6", delegateTo: keys[0]!.address });
    expect(got.refusals[0]!.modelId).toBe("MiniMaxAI/MiniMax-M2.7");
  });

  it("getPoCDelegation with a model id asks with model_id as a query parameter", async () => {
    await chain.getPoCDelegation(keys[3]!.address, "moonshotai/Kimi-K2.6");
    expect(node.requests).toContain(`GET ${pathOf(delegation.restPath)}`);
  });

  it("getParticipantAllowList", async () => {
    expect(await chain.getParticipantAllowList()).toEqual(fromBinary(QueryParticipantAllowListResponseSchema, bytesOf(allow.hex)).addresses);
  });

  it("getAccessParams and getTransferAgentAccessParams read the params' access lists", async () => {
    const p = fromBinary(QueryParamsResponseSchema, bytesOf(params.hex)).params!;
    const a = await chain.getAccessParams();
    expect(a.developerAccess).toEqual(p.developerAccessParams);
    expect(a.participantAccess).toEqual(p.participantAccessParams);
    expect(a.transferAgentAccess).toEqual(p.transferAgentAccessParams);
    expect(a.genesisGuardians).toEqual(p.genesisGuardianParams);
    expect((await chain.getTransferAgentAccessParams()).allowedTransferAddresses).toEqual(p.transferAgentAccessParams!.allowedTransferAddresses);
    expect(p.transferAgentAccessParams!.allowedTransferAddresses.length).toBeGreaterThan(0);
  });

  it("getExcludedParticipants", async () => {
    const items = await chain.getExcludedParticipants(7n);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ address: keys[1]!.address, epochIndex: 7n, reason: "downtime", exclusionBlockHeight: 1234567n });
  });

  it("getFeeAllowance is undefined when the node has none (404)", async () => {
    expect(await chain.getFeeAllowance(keys[0]!.address, keys[1]!.address)).toBeUndefined();
  });
});
