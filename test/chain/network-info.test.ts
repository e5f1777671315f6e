/**
 * Which network am I talking to: the node's application version → release → support, the release
 * check before signing, and the fallbacks (REST node_info, params fields).
 */
import { afterEach, describe, expect, it } from "vitest";
import { createChainClient, type ChainClient } from "../../src/chain/client.js";
import { describeRelease, parseAppVersion, releaseForAppVersion, releaseFromParamsJson } from "../../src/network/info.js";
import { MessageTypeNotInReleaseError, UnknownNetworkReleaseError } from "../../src/network/availability.js";
import { TARGET_RELEASE } from "../../src/network/releases.js";
import { fieldsAddedAfter } from "../../src/network/fields.js";
import { startFakeNode, type FakeNode } from "./fake-node.js";
import { V, keys, queryVector } from "./vectors-v0213.js";

const [cold, warm] = keys as [typeof keys[0], typeof keys[0]];
const PARAMS_PATH = "/productscience/inference/inference/params";

describe("application version → release", () => {
  it("parses the triple of tags and build names", () => {
    expect(parseAppVersion("v0.2.13")).toEqual({ major: 0, minor: 2, patch: 13, suffix: "" });
    expect(parseAppVersion("0.2.9-post3")).toEqual({ major: 0, minor: 2, patch: 9, suffix: "post3" });
    expect(parseAppVersion("release/v0.2.12")).toEqual({ major: 0, minor: 2, patch: 12, suffix: "" });
    expect(parseAppVersion("v0.2.13-devshard-v2")?.patch).toBe(13);
    expect(parseAppVersion("main-8a35022bea25ebee4b7356314a0a262edbaa82db")).toBeUndefined();
    expect(parseAppVersion("")).toBeUndefined();
  });

  it("maps versions to known releases: exact, nearest older, newer, older than launch, unknown", () => {
    expect(releaseForAppVersion("v0.2.13")).toEqual({ release: "v0.2.13", match: "exact" });
    expect(releaseForAppVersion("0.2.10")).toEqual({ release: "v0.2.10", match: "exact" });
    expect(releaseForAppVersion("v0.2.1")).toEqual({ release: "v0.2.0", match: "nearest" });
    expect(releaseForAppVersion("v0.2.14")).toEqual({ release: "v0.2.14", match: "exact" });
    expect(releaseForAppVersion("v0.3.0")).toEqual({ release: undefined, match: "newer" });
    expect(releaseForAppVersion("v0.1.9")).toEqual({ release: undefined, match: "older" });
    expect(releaseForAppVersion("main-8a35022b")).toEqual({ release: undefined, match: "unknown" });
  });

  it("says what is supported: target, older supported, pending, newer, launch line, unknown", () => {
    expect(describeRelease("v0.2.13")).toMatchObject({ release: "v0.2.13", support: "target", supported: true, targetRelease: TARGET_RELEASE });
    const old = describeRelease("v0.2.11");
    expect(old).toMatchObject({ release: "v0.2.11", support: "supported", supported: true });
    expect(old.notes.join(" ")).toMatch(/refused before signing/);
    expect(describeRelease("v0.2.14")).toMatchObject({ support: "supported", supported: true });
    expect(describeRelease("v0.3.1")).toMatchObject({ release: undefined, match: "newer", support: "newer", supported: false });
    expect(describeRelease("v0.2.0")).toMatchObject({ support: "unsupported", supported: false });
    expect(describeRelease("main-abc")).toMatchObject({ support: "unknown", supported: false });
    expect(describeRelease("main-abc", "v0.2.13")).toMatchObject({ release: "v0.2.13", match: "inferred", support: "target" });
  });

  it("infers the release from the REST params' fields (the vectors' v0.2.13 params → v0.2.13)", () => {
    const json = queryVector("inference params").jsonWithDefaults;
    expect(releaseFromParamsJson(json)).toBe("v0.2.13");
    // without the v0.2.13 devshard fields and the v0.2.12 sub-messages it is older
    const p = structuredClone(json) as { params: Record<string, unknown> & { devshard_escrow_params: Record<string, unknown> } };
    delete p.params.devshard_escrow_params.max_nonce;
    delete p.params.devshard_escrow_params.devshard_requests_enabled;
    expect(releaseFromParamsJson(p)).toBe("v0.2.12");
    for (const k of ["fee_params", "delegation_params", "devshard_escrow_params"]) delete p.params[k];
    expect(releaseFromParamsJson(p)).toBe("v0.2.11"); // validation_params.claim_validation_enabled
    delete (p.params.validation_params as Record<string, unknown>).claim_validation_enabled;
    expect(releaseFromParamsJson(p)).toBe("v0.2.10");
    expect(releaseFromParamsJson({ hello: 1 })).toBeUndefined();
  });
});

describe("client.networkInfo() and the release check before signing", () => {
  let node: FakeNode | undefined;
  let chain: ChainClient | undefined;
  afterEach(async () => {
    chain?.close();
    await node?.stop();
    node = chain = undefined;
  });
  const params = () => queryVector("inference params").jsonWithDefaults;

  it("reads chain id and version from CometBFT status + abci_info", async () => {
    node = await startFakeNode({ appVersion: "v0.2.13", rest: { [PARAMS_PATH]: params() } });
    chain = createChainClient({ url: node.url });
    const info = await chain.networkInfo();
    expect(info).toMatchObject({ chainId: "gonka-mainnet", appVersion: "v0.2.13", appName: "inference", versionSource: "abci_info", release: "v0.2.13", support: "target", supported: true });
    expect(info.latestHeight).toBe(100n);
    expect(info.cometVersion).toBe("0.38.21");
  });

  it("falls back to REST node_info when abci_info is not served", async () => {
    node = await startFakeNode({ appVersion: null, nodeInfoVersion: "v0.2.11", rest: { [PARAMS_PATH]: params() } });
    chain = createChainClient({ url: node.url });
    const info = await chain.networkInfo();
    expect(info).toMatchObject({ appVersion: "v0.2.11", versionSource: "node_info", release: "v0.2.11", support: "supported", cosmosSdkVersion: "v0.53.3", gitCommit: "8a35022b" });
  });

  it("infers the release from params when the version names none (an untagged build)", async () => {
    node = await startFakeNode({ appVersion: "main-8a35022bea25", rest: { [PARAMS_PATH]: params() } });
    chain = createChainClient({ url: node.url });
    const info = await chain.networkInfo();
    expect(info).toMatchObject({ appVersion: "main-8a35022bea25", release: "v0.2.13", match: "inferred", support: "target" });
  });

  it("refuses a message type the node's release does not have, before signing (MessageTypeNotInReleaseError)", async () => {
    node = await startFakeNode({ appVersion: "v0.2.11", accounts: { [cold.address]: [1n, 0n] }, rest: { [PARAMS_PATH]: params() } });
    chain = createChainClient({ url: node.url });
    const err = await chain.setPoCDelegation(cold, { modelId: "moonshotai/Kimi-K2.6", delegateTo: warm.address, gasLimit: 200_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MessageTypeNotInReleaseError);
    expect(err).toMatchObject({ typeUrl: "/inference.inference.MsgSetPoCDelegation", release: "v0.2.11", addedIn: "v0.2.12", where: "messages[0]" });
    // also a grant of that type (the chain's authz refuses grants for types it does not route)
    const grant = await chain.grantMlOpsPermissions(cold, { grantee: warm.address, gasLimit: 2_000_000, feeAllowance: false }).catch((e: unknown) => e);
    expect(grant).toBeInstanceOf(MessageTypeNotInReleaseError);
    expect((grant as MessageTypeNotInReleaseError).where).toMatch(/^messages\[\d+\]\.grant\.authorization\.msg$/);
    expect((grant as MessageTypeNotInReleaseError).typeUrl).toBe("/inference.bls.MsgRespondDealerComplaints");
    expect(node.broadcasts).toHaveLength(0);
  });

  it("refuses a field a later release added to an existing type (MsgValidation.value_decimal on v0.2.7), also inside MsgExec", async () => {
    node = await startFakeNode({ appVersion: "v0.2.7", accounts: { [cold.address]: [1n, 0n], [warm.address]: [2n, 0n] }, rest: { [PARAMS_PATH]: params() } });
    chain = createChainClient({ url: node.url, pollIntervalMs: 5 });
    const direct = await chain.submitValidation(cold, { inferenceId: "i", value: 0.5, gasLimit: 200_000 }).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(MessageTypeNotInReleaseError);
    expect(direct).toMatchObject({ typeUrl: "/inference.inference.MsgValidation", field: "value_decimal", addedIn: "v0.2.8", where: "messages[0].value_decimal" });
    const viaExec = await chain.submitValidation(warm, { granter: cold.address, inferenceId: "i", value: 0.5, gasLimit: 200_000 }).catch((e: unknown) => e);
    expect(viaExec).toMatchObject({ field: "value_decimal", where: "messages[0].msgs[0].value_decimal" });
    expect(node.broadcasts).toHaveLength(0);
    expect(fieldsAddedAfter("/inference.inference.MsgFinishInference", "v0.2.5").map((h) => h.field)).toEqual(["prompt_hash", "original_prompt_hash"]);
    expect(fieldsAddedAfter("/inference.inference.MsgFinishInference", "v0.2.6")).toEqual([]);
    chain.close();
    // on v0.2.8 the same message goes out
    node.options.appVersion = "v0.2.8";
    chain = createChainClient({ url: node.url, pollIntervalMs: 5 });
    await chain.submitValidation(cold, { inferenceId: "i", value: 0.5, gasLimit: 200_000 });
    expect(node.broadcasts).toHaveLength(1);
  });

  it("refuses when the release cannot be determined, unless allowUnknownRelease / assumeRelease / releaseCheck:false", async () => {
    node = await startFakeNode({ appVersion: "main-abc", accounts: { [cold.address]: [1n, 0n] }, rest: { [PARAMS_PATH]: { not: "params" } } });
    const args = { modelId: "MiniMaxAI/MiniMax-M2.7", gasLimit: 200_000 };
    chain = createChainClient({ url: node.url, pollIntervalMs: 5 });
    const err = await chain.declarePoCIntent(cold, args).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownNetworkReleaseError);
    expect((err as UnknownNetworkReleaseError).appVersion).toBe("main-abc");
    expect(node.broadcasts).toHaveLength(0);
    chain.close();

    node.options.rest![PARAMS_PATH] = params();
    for (const opts of [{ allowUnknownRelease: true }, { assumeRelease: "v0.2.13" as const }, { releaseCheck: false }]) {
      chain = createChainClient({ url: node.url, pollIntervalMs: 5, ...opts });
      await chain.declarePoCIntent(cold, args);
      chain.close();
    }
    expect(node.broadcasts).toHaveLength(3);
    chain = createChainClient({ url: node.url, assumeRelease: "v0.2.11" });
    await expect(chain.declarePoCIntent(cold, args)).rejects.toBeInstanceOf(MessageTypeNotInReleaseError);
  });

  it("caches the node's release per client (one abci_info for several txs)", async () => {
    node = await startFakeNode({ appVersion: "v0.2.13", accounts: { [cold.address]: [1n, 0n] }, rest: { [PARAMS_PATH]: params() } });
    chain = createChainClient({ url: node.url, pollIntervalMs: 5 });
    await chain.declarePoCIntent(cold, { modelId: "a/b", gasLimit: 200_000 });
    await chain.declarePoCIntent(cold, { modelId: "a/c", gasLimit: 200_000 });
    expect(node.requests.filter((r) => r === "RPC abci_info")).toHaveLength(1);
    expect(node.broadcasts).toHaveLength(2);
  });

  it("the vectors' keys are the ones the tests sign with", () => {
    expect(V.keys[0]!.address).toBe(cold.address);
  });
});
