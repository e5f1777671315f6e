import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { MsgSubmitPocBatchSchema } from "../../generated/proto/inference/inference/tx_pb.js";
import type { ChainNode } from "../../src/devnet/chain/index.js";
import type { ChainClient } from "../../src/chain/client.js";
import { parseVoteOption } from "../../src/chain/actions/gov.js";
import { uniqueTimeoutTimestamp, toTimestamp } from "../../src/chain/time.js";
import { toCoins } from "../../src/chain/coins.js";
import { resolveHdPath } from "../../src/chain/hdpath.js";
import { cold, warm, startNode, clientFor } from "./helpers.js";

describe("REST and gRPC decode every query into the same messages", () => {
  let node: ChainNode;
  let rest: ChainClient;
  let grpc: ChainClient;
  let proposalId = 0n;
  beforeAll(async () => {
    // PoC v1 mode (poc_v2_enabled = false) so that MsgSubmitPocBatch still executes: the v1 batch query is what has 2^53+ nonces
    node = await startNode({ votingPeriodMs: 60_000, pocVersion: 1 });
    rest = clientFor(node);
    grpc = clientFor(node, { transport: "grpc", broadcastVia: "service" });
    await rest.submitNewParticipant(cold, { url: "https://example.org:8443", validatorKey: "dLSUAosbTOmIzxlx9oNndZGBZr9YuMvewSwb4pH4pYw=" });
    await grpc.grantMlOpsPermissions(cold, { grantee: warm.address, msgTypeUrls: ["/inference.inference.MsgSubmitPocBatch"] });
    await rest.execAs(warm, {
      messages: [create(MsgSubmitPocBatchSchema, { creator: cold.address, pocStageStartBlockHeight: 500n, batchId: "x", nonces: [9007199254740993n], dist: [1e-300], nodeId: "node1" })],
    });
    ({ proposalId } = await grpc.proposeInferenceParams(cold, {
      title: "t", summary: "s", initialDeposit: [{ denom: "ngonka", amount: 25_000_000n }],
      edit: (p) => {
        p.epochParams!.epochLength = 20000n;
      },
    }));
    await rest.vote(cold, { proposalId, option: "no_with_veto" });
  });
  afterAll(async () => {
    rest.close();
    grpc.close();
    await node.stop();
  });

  it("auth, bank, inference and gov queries agree", async () => {
    const pairs: [string, (c: ChainClient) => Promise<unknown>][] = [
      ["account", (c) => c.getAccount(cold.address)],
      ["balances", (c) => c.getBalances(cold.address)],
      ["inference params", (c) => c.getInferenceParams()],
      ["participant", (c) => c.getParticipant(cold.address)],
      ["poc batches", (c) => c.getPocBatchesForStage(500n)],
      ["grantees", (c) => c.getGranteesByMessageType(cold.address, "/inference.inference.MsgSubmitPocBatch")],
      ["proposal", (c) => c.getProposal(proposalId)],
      ["tally", (c) => c.getTally(proposalId)],
      ["votes", (c) => c.getVotes(proposalId)],
      ["gov params", (c) => c.getGovParams()],
      ["fee allowance", (c) => c.getFeeAllowance(cold.address, warm.address)],
      ["poc delegation", (c) => c.getPoCDelegation(cold.address)],
      ["participant allowlist", (c) => c.getParticipantAllowList()],
      ["access params", (c) => c.getAccessParams()],
      ["min gas price", (c) => c.getMinGasPrice()],
    ];
    // bytes decoded from a gRPC frame may be Node Buffers (a Uint8Array subclass): compare the bytes, not the class
    const plain = (v: unknown): unknown =>
      v instanceof Uint8Array ? new Uint8Array(v) : Array.isArray(v) ? v.map(plain) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) : v;
    for (const [name, q] of pairs) {
      const [a, b] = await Promise.all([q(rest), q(grpc)]);
      expect(plain(a), name).toEqual(plain(b));
    }
    const batches = await rest.getPocBatchesForStage(500n);
    expect(batches[0]!.pocBatch[0]!.nonces).toEqual([9007199254740993n]); // > 2^53 survives JSON
    expect(batches[0]!.pocBatch[0]!.dist).toEqual([1e-300]);
    expect(batches[0]!.hexPubKey).toBe(Buffer.from(cold.publicKey).toString("hex"));
    expect((await grpc.getTally(proposalId)).noWithVeto).toBe(100n);
    expect((await rest.getFeeAllowance(cold.address, warm.address))?.basic?.spendLimit).toMatchObject([{ denom: "ngonka", amount: "10000000000" }]);
    const proposal = await rest.getProposal(proposalId);
    expect(proposal.messages[0]!.typeUrl).toBe("/inference.inference.MsgUpdateParams");
  });
});

describe("small helpers", () => {
  it("parseVoteOption accepts the CLI spellings and the enum names", () => {
    expect(["yes", "abstain", "no", "no_with_veto", "VOTE_OPTION_NO_WITH_VETO", 1].map((o) => parseVoteOption(o as "yes"))).toEqual([1, 2, 3, 4, 4, 1]);
    expect(() => parseVoteOption(0 as unknown as "yes")).toThrow();
  });

  it("uniqueTimeoutTimestamp never repeats and keeps nanoseconds", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const t = uniqueTimeoutTimestamp(60);
      seen.add(`${t.seconds}.${t.nanos}`);
    }
    expect(seen.size).toBe(1000);
    expect(toTimestamp("2026-11-21T12:00:00.000000123Z")).toMatchObject({ seconds: 1795262400n, nanos: 123 });
    expect(() => toTimestamp("yesterday")).toThrow(/timeoutTimestamp/);
  });

  it("coins and HD paths validate", () => {
    expect(toCoins("fee", [{ denom: "ngonka", amount: 5n }])).toEqual([{ denom: "ngonka", amount: "5" }]);
    // a denom twice is invalid Coins on the chain (issue 14: [60, 60] coins overdrew a balance)
    expect(() => toCoins("fee", [{ denom: "ngonka", amount: 5n }, { denom: "ngonka", amount: "7" }])).toThrow(/twice/);
    expect(() => toCoins("fee", [{ denom: "ngonka", amount: -1 }])).toThrow(/fee\[0\]\.amount/);
    expect(() => toCoins("fee", [{ denom: "ngonka", amount: 1.5 }])).toThrow(/non-negative integer/);
    expect(resolveHdPath({ account: 2, accountIndex: 3 })).toBe("m/44'/1200'/2'/0/3");
    expect(() => resolveHdPath({ hdPath: "m/44'/x" })).toThrow(/hdPath/);
  });
});
