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
    });
  });

  it("lists the devnet participant with its voting power in /v1/participants", async () => {
    const list = await (await fetch(`${devnet.url}/v1/participants`)).json();
    expect(list.participants).toContainEqual(expect.objectContaining({ id: devnet.participant.address, url: devnet.url, voting_power: 10 }));
  });
});
