/**
 * PoC version as a devnet option: the default is PoC v2 like mainnet (v1 batches refused, only the
 * `/v2/poc-batches` callbacks), and `pocVersion: 1` keeps the v1 path working (MsgSubmitPocBatch,
 * `/v1/poc-batches` callbacks, epoch weights from v1 batches).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevnet, type Devnet } from "../../src/devnet/index.js";
import { devnetIdentity } from "../../src/devnet/devnet-keys.js";
import { createChainClient, type ChainClient } from "../../src/chain/client.js";
import { walletFromPrivateKey } from "../../src/chain/keys.js";
import { GonkaError, InvalidArgumentError } from "../../src/errors.js";

const own = devnetIdentity();
const wallet = walletFromPrivateKey(own.accountKey); // the devnet's registered, active participant
const pk = Buffer.from(own.accountPubkey).toString("hex");

const batchMsg = (stage: bigint, nonces: number[], dist: number[]) => ({
  "@type": "/inference.inference.MsgSubmitPocBatch", creator: wallet.address, poc_stage_start_block_height: stage.toString(), batch_id: "b1",
  nonces: nonces.map(String), dist, node_id: "mlnode-1",
});

describe("devnet pocVersion: 1 (option)", () => {
  let devnet: Devnet;
  let chain: ChainClient;
  beforeAll(async () => {
    devnet = await startDevnet({ pocVersion: 1 });
    chain = createChainClient({ url: devnet.url, chainId: devnet.chainId });
  });
  afterAll(async () => {
    chain?.close();
    await devnet?.stop();
  });

  it("runs the chain with poc_v2_enabled = false and refuses PoC v2 stages", async () => {
    expect(devnet.pocVersion).toBe(1);
    expect((await chain.getInferenceParams()).pocParams?.pocV2Enabled).toBe(false);
    await expect(devnet.runPocV2Stage()).rejects.toThrow(GonkaError);
    await expect(devnet.runPocV2Stage()).rejects.toThrow(/PoC v1/);
  });

  it("accepts MsgSubmitPocBatch and weighs an epoch by the valid nonces of v1 batches", async () => {
    const stage = devnet.pocStage().blockHeight;
    const r = await chain.sendTx(wallet, [batchMsg(stage, [1, 2, 3, 4], [0.5, 0.7, 2.0, 1.0])]);
    expect(r.hash).toMatch(/^[0-9A-F]{64}$/);
    const onChain = await chain.getPocBatchesForStage(stage);
    expect(onChain.find((p) => p.participant === wallet.address)?.pocBatch[0]?.nonces).toEqual([1n, 2n, 3n, 4n]);
    expect(devnet.endEpoch().get(wallet.address)).toBe(3n); // dist < r_target 1.4013…
  });

  it("serves the v1 callbacks and counts their batches for a participant without on-chain batches", async () => {
    const stage = devnet.pocStage().blockHeight;
    const res = await fetch(`${devnet.pocCallbackUrl}/generated`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ public_key: pk, block_hash: devnet.pocStage().blockHash, block_height: Number(stage), nonces: [7, 8], dist: [0.1, 0.2], node_id: 0 }),
    });
    expect(res.status).toBe(200);
    expect(await devnet.waitForPocBatches({ height: Number(stage), timeoutMs: 2000 })).toHaveLength(1);
    expect(devnet.endEpoch().get(wallet.address)).toBe(2n);
  });
});

describe("devnet default: PoC v2 like mainnet", () => {
  let devnet: Devnet;
  let chain: ChainClient;
  beforeAll(async () => {
    devnet = await startDevnet();
    chain = createChainClient({ url: devnet.url, chainId: devnet.chainId });
  });
  afterAll(async () => {
    chain?.close();
    await devnet?.stop();
  });

  it("refuses MsgSubmitPocBatch (deprecated, code 1161) and no longer serves the v1 callbacks", async () => {
    expect(devnet.pocVersion).toBe(2);
    const e = (await chain.sendTx(wallet, [batchMsg(devnet.pocStage().blockHeight, [1], [0.5])]).catch((x: unknown) => x)) as Error;
    expect(e).toBeInstanceOf(GonkaError); // refused already in simulation
    expect(e.message).toMatch(/MsgSubmitPocBatch is not accepted while poc_v2_enabled=true: this message type is deprecated/);
    const v1 = await fetch(`${devnet.pocCallbackUrl}/generated`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(v1.status).toBe(404);
    const v2 = await fetch(`${devnet.pocCallbackBaseUrl}/v2/poc-batches/Qwen%252FQwen2.5-7B-Instruct/generated`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ block_hash: "AB", block_height: 999, public_key: pk, node_id: 1, artifacts: [] }),
    });
    expect(v2.status).toBe(400); // v2 route served: node_num 1 is not registered yet
  });

  it("refuses extra hosts without PoC v2 and duplicate host names", async () => {
    await expect(startDevnet({ pocVersion: 1, hosts: [{ name: "b" }] })).rejects.toThrow(InvalidArgumentError);
    await expect(startDevnet({ hosts: [{ name: "b" }, { name: "b" }] })).rejects.toThrow(/unique name/);
    await expect(startDevnet({ hosts: [{ name: "devnet" }] })).rejects.toThrow(/unique name/);
    await expect(devnet.addHost({ name: "x", dishonest: 2 as unknown as number })).rejects.toThrow(/fraction/);
  });
});
