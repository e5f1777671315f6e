/**
 * The CLI side of the v0.2.13 flows, against the scripted loopback node: `gonka network`, the new
 * tx commands (ML-ops grant with fee allowance, delegation, validation, vesting, params proposals,
 * --fee-granter) and queries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromBinary } from "@bufbuild/protobuf";
import { AuthInfoSchema, TxBodySchema, TxRawSchema } from "../../generated/proto/cosmos/tx/v1beta1/tx_pb.js";
import { MsgExecSchema } from "../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import { MsgSetPoCDelegationSchema } from "../../generated/proto/inference/inference/poc_delegation_pb.js";
import { MsgSubmitProposalSchema } from "../../generated/proto/cosmos/gov/v1/tx_pb.js";
import { MsgUpdateParamsSchema } from "../../generated/proto/inference/inference/tx_pb.js";
import { gonka } from "../devnet/cli-helpers.js";
import { startFakeNode, type FakeNode } from "./fake-node.js";
import { hexOf, keys, queryVector, V } from "./vectors-v0213.js";

const [cold, warm] = keys as [typeof keys[0], typeof keys[0]];
const PARAMS_PATH = "/productscience/inference/inference/params";

describe("gonka CLI on chain v0.2.13", () => {
  let node: FakeNode;
  const env = () => ({ GONKA_NODE: node.url, GONKA_PRIVATE_KEY: V.keys[0]!.privateKeyHex });
  const body = (i: number) => fromBinary(TxBodySchema, fromBinary(TxRawSchema, node.broadcasts[i]!).bodyBytes);
  const auth = (i: number) => fromBinary(AuthInfoSchema, fromBinary(TxRawSchema, node.broadcasts[i]!).authInfoBytes);
  beforeAll(async () => {
    node = await startFakeNode({
      appVersion: "v0.2.13",
      accounts: { [cold.address]: [42n, 5n], [warm.address]: [43n, 0n] },
      rest: { [PARAMS_PATH]: queryVector("inference params").jsonWithDefaults },
      abci: { "/inference.inference.Query/Params": new Uint8Array(Buffer.from(queryVector("inference params").hex, "hex")) },
    });
  });
  afterAll(async () => {
    await node.stop();
  });

  it("gonka network reports chain id, version, release and support (JSON and text)", async () => {
    const json = await gonka(["network", "--json"], { env: env() });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ chainId: "gonka-mainnet", appVersion: "v0.2.13", release: "v0.2.13", support: "target", supported: true });
    const text = await gonka(["network"], { env: env() });
    expect(text.stdout).toMatch(/release: +v0\.2\.13/);
    expect(text.stdout).toMatch(/supported: +target/);
  });

  it("gonka network --releases lists the release table", async () => {
    const r = await gonka(["network", "--releases", "--json"], { env: env() });
    const rows = JSON.parse(r.stdout) as { release: string; supported: string }[];
    expect(rows.find((x) => x.release === "v0.2.13")!.supported).toBe("target");
    expect(rows.find((x) => x.release === "v0.2.14")!.supported).toMatch(/pending/);
  });

  it("tx grant-ml-ops-permissions sends the 20 grants + the fee allowance, fee from the chain's minimum gas price", async () => {
    const n = node.broadcasts.length;
    const r = await gonka(["tx", "grant-ml-ops-permissions", warm.address, "--gas", "2000000", "--json"], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ grants: 20, feeAllowance: "granted" });
    const msgs = body(n).messages;
    expect(msgs.map((m) => m.typeUrl)).toEqual([...Array(20).fill("/cosmos.authz.v1beta1.MsgGrant"), "/cosmos.feegrant.v1beta1.MsgGrantAllowance"]);
    // fee at the vectors' min gas price 10: 2,000,000 × 10
    expect(auth(n).fee!.amount).toMatchObject([{ denom: "ngonka", amount: "20000000" }]);
    const skipped = await gonka(["tx", "grant-ml-ops-permissions", warm.address, "--gas", "2000000", "--no-fee-allowance", "--json"], { env: env() });
    expect(JSON.parse(skipped.stdout)).toMatchObject({ feeAllowance: "skipped" });
  });

  it("tx set-poc-delegation, with --clear; a --gas-prices below the minimum fails before signing", async () => {
    const n = node.broadcasts.length;
    const r = await gonka(["tx", "set-poc-delegation", "moonshotai/Kimi-K2.6", warm.address, "--gas", "200000", "--json"], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    const m = fromBinary(MsgSetPoCDelegationSchema, body(n).messages[0]!.value);
    expect(m).toMatchObject({ sender: cold.address, modelId: "moonshotai/Kimi-K2.6", delegateTo: warm.address });
    const c = await gonka(["tx", "set-poc-delegation", "moonshotai/Kimi-K2.6", "--clear", "--gas", "200000"], { env: env() });
    expect(c.code, c.stderr).toBe(0);
    expect(fromBinary(MsgSetPoCDelegationSchema, body(n + 1).messages[0]!.value).delegateTo).toBe("");
    const low = await gonka(["tx", "refuse-poc-delegation", "a/b", "--gas", "200000", "--gas-prices", "9"], { env: env() });
    expect(low.code).not.toBe(0);
    expect(low.stderr).toMatch(/below the chain's minimum of 10/);
    expect(node.broadcasts).toHaveLength(n + 2);
  });

  it("tx submit-validation --granter --fee-granter: the warm key sends MsgExec paid by the cold account", async () => {
    const n = node.broadcasts.length;
    const r = await gonka(
      ["tx", "submit-validation", "inf-1", "0.9873", "--granter", cold.address, "--fee-granter", cold.address, "--gas", "500000", "--unordered", "--json"],
      { env: { ...env(), GONKA_PRIVATE_KEY: V.keys[1]!.privateKeyHex } },
    );
    expect(r.code, r.stderr).toBe(0);
    const exec = fromBinary(MsgExecSchema, body(n).messages[0]!.value);
    expect(exec.grantee).toBe(warm.address);
    expect(exec.msgs[0]!.typeUrl).toBe("/inference.inference.MsgValidation");
    expect(auth(n).fee!.granter).toBe(cold.address);
    expect(auth(n).fee!.amount).toEqual([]); // MsgValidation is a duty message: no fee
  });

  it("tx transfer-with-vesting and batch-transfer-with-vesting", async () => {
    const n = node.broadcasts.length;
    expect((await gonka(["tx", "transfer-with-vesting", warm.address, "25gonka", "--vesting-epochs", "180", "--gas", "200000"], { env: env() })).code).toBe(0);
    expect(hexOf(body(n).messages[0]!.value)).toBe(
      V.messages.find((m) => m.description === "streamvesting MsgTransferWithVesting")!.hex.replace(
        Buffer.from(keys[2]!.address).toString("hex"),
        Buffer.from(warm.address).toString("hex"),
      ),
    );
    const outs = JSON.stringify([{ recipient: warm.address, amount: "10gonka" }, { recipient: keys[2]!.address, amount: "12gonka" }]);
    const b = await gonka(["tx", "batch-transfer-with-vesting", outs, "--vesting-epochs", "365", "--gas", "200000"], { env: env() });
    expect(b.code, b.stderr).toBe(0);
    expect(body(n + 1).messages[0]!.typeUrl).toBe("/inference.streamvesting.MsgBatchTransferWithVesting");
    const bad = await gonka(["tx", "transfer-with-vesting", warm.address, "5gonka", "--gas", "200000"], { env: env() });
    expect(bad.code).toBe(2); // InvalidArgumentError: refused before signing
    expect(bad.stderr).toMatch(/10 GNK/);
  });

  it("tx propose-params merges a JSON edit into the binary-fetched params", async () => {
    const n = node.broadcasts.length;
    const r = await gonka(
      ["tx", "propose-params", "inference", '{"poc_params":{"validation_sample_size":300}}', "--title", "t", "--summary", "s", "--deposit", "25mgonka", "--gas", "900000", "--json"],
      { env: env() },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ paramsVia: "abci_query", unknownFieldCount: 0 });
    const prop = fromBinary(MsgSubmitProposalSchema, body(n).messages[0]!.value);
    const upd = fromBinary(MsgUpdateParamsSchema, prop.messages[0]!.value);
    expect(upd.params!.pocParams!.validationSampleSize).toBe(300);
    expect(upd.params!.pocParams!.models.length).toBeGreaterThan(0); // the rest of the tree is carried
    const bad = await gonka(["tx", "propose-params", "inference", '{"no_such":1}', "--title", "t", "--summary", "s", "--gas", "900000"], { env: env() });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/no_such/);
  });

  it("query min-gas-price, access-params", async () => {
    const p = await gonka(["query", "min-gas-price", "--json"], { env: env() });
    expect(JSON.parse(p.stdout)).toEqual({ minGasPriceNgonka: "10" });
    const a = await gonka(["query", "access-params", "--json"], { env: env() });
    expect(a.code, a.stderr).toBe(0);
    expect(Object.keys(JSON.parse(a.stdout) as object)).toEqual(["developerAccess", "participantAccess", "transferAgentAccess", "genesisGuardians"]);
  });
});
