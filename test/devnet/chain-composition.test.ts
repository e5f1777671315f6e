import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Query as AuthQuery } from "../../generated/proto/cosmos/auth/v1beta1/query_pb.js";
import { startDevnet, type Devnet } from "../../src/devnet/index.js";
import { testDeveloper } from "./helpers.js";

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet({ blockTimeMs: 20 });
});
afterAll(() => devnet.stop());

describe("devnet composes the chain node on the public port", () => {
  it("serves CometBFT RPC status under /chain-rpc with a growing height", async () => {
    const a = await (await fetch(`${devnet.url}/chain-rpc/status`)).json();
    expect(a.result.node_info.network).toBe("gonka-devnet");
    await new Promise((r) => setTimeout(r, 120));
    const b = await (await fetch(`${devnet.url}/chain-rpc/status`)).json();
    expect(BigInt(b.result.sync_info.latest_block_height)).toBeGreaterThan(BigInt(a.result.sync_info.latest_block_height));
  });

  it("serves gRPC (HTTP/2) under /chain-grpc and REST under /chain-api for the same state", async () => {
    const grpc = createClient(AuthQuery, createGrpcTransport({ baseUrl: `${devnet.url}/chain-grpc` }));
    const res = await grpc.account({ address: devnet.participant.address });
    expect(res.account?.typeUrl).toBe("/cosmos.auth.v1beta1.BaseAccount");
    const rest = await (await fetch(`${devnet.url}/chain-api/cosmos/auth/v1beta1/accounts/${devnet.participant.address}`)).json();
    expect(rest.account.address).toBe(devnet.participant.address);
  });

  it("funds accounts from the faucet and shows the balance in the public API", async () => {
    const dev = await testDeveloper("faucet-test");
    const res = await fetch(`${devnet.url}/devnet/faucet`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ address: dev.address, amount: "5000" }),
    });
    expect(await res.json()).toEqual({ address: dev.address, amount: "5000", balance: "5000" });
    const bank = await (await fetch(`${devnet.url}/chain-api/cosmos/bank/v1beta1/balances/${dev.address}`)).json();
    expect(bank.balances).toEqual([{ denom: "ngonka", amount: "5000" }]);
    await fetch(`${devnet.url}/v1/participants`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ address: dev.address, pub_key: Buffer.from(dev.pubkey).toString("base64") }),
    });
    expect(await (await fetch(`${devnet.url}/v1/participants/${dev.address}`)).json()).toEqual({
      pubkey: Buffer.from(dev.pubkey).toString("base64"),
      balance: 5000,
      denom: "ngonka",
    });
  });

  it("lists the devnet participant with its voting power in /v1/participants", async () => {
    const list = await (await fetch(`${devnet.url}/v1/participants`)).json();
    expect(list.participants).toContainEqual(expect.objectContaining({ id: devnet.participant.address, url: devnet.url, voting_power: 10 }));
  });
});

describe("devnet epoch end", () => {
  it("turns the valid nonces a participant's MLNode delivered into weight and voting power", async () => {
    const net = await startDevnet({ pocVersion: 1, blockTimeMs: 20 }); // PoC v1: batches on the /v1/poc-batches callbacks
    try {
      const pubkeyHex = "024daacc24ae6754dd460961ea4c6aa114e717e036b7dff3853195483b8d692dd2"; // wire.json keys[0]
      const address = "gonka1k4swv40ur28fvu54p8mskjj4lxkgsj07u9f8ny";
      const stage = net.pocStage();
      expect(stage.blockHash).toMatch(/^[0-9A-F]{64}$/);
      const post = (body: unknown) =>
        fetch(`${net.pocCallbackUrl}/generated`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const batch = { public_key: pubkeyHex, block_hash: stage.blockHash, block_height: Number(stage.blockHeight), node_id: 1 };
      expect((await post({ ...batch, nonces: [1, 2, 3], dist: [0.5, 1.2, 1.5] })).status).toBe(200); // 1.5 ≥ r_target: not counted
      expect((await post({ ...batch, nonces: [7], dist: [1.0] })).status).toBe(200);
      expect((await post({ ...batch, block_height: 999, nonces: [9], dist: [0.1] })).status).toBe(200); // another stage
      const weights = net.endEpoch();
      expect(weights.get(address)).toBe(3n);
      expect(net.chainState!.power.get(address)).toBe(3n);
      expect(net.pocStage().epochIndex).toBe(stage.epochIndex + 1n);
      const listed = await (await fetch(`${net.url}/v1/poc-batches/${stage.blockHeight}`)).json();
      expect(listed.poc_batch[0].poc_batch).toHaveLength(2);
    } finally {
      await net.stop();
    }
  });
});
