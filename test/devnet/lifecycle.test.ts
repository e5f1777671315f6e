import { createServer } from "node:net";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import { Query as AuthQuery } from "../../generated/proto/cosmos/auth/v1beta1/query_pb.js";
import { startDevnet } from "../../src/devnet/index.js";

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

const portOf = (url: string) => Number(new URL(url).port);

describe("devnet lifecycle", () => {
  it("serves every component and frees every port and handle on stop()", async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap").length;
    const devnet = await startDevnet();
    const urls = [devnet.url, devnet.adminUrl, devnet.mlnodeUrl, devnet.pocCallbackUrl];
    expect(new Set(urls.map(portOf)).size).toBe(4);
    for (const u of urls) expect(new URL(u).hostname).toBe("127.0.0.1");

    expect(await (await fetch(`${devnet.url}/v1/status`)).json()).toEqual({ status: "ok" });
    expect(await (await fetch(`${devnet.url}/api/v1/status`)).json()).toEqual({ status: "ok" });
    expect(await (await fetch(`${devnet.adminUrl}/admin/v1/nodes`)).json()).toEqual([]);
    expect(await (await fetch(`${devnet.mlnodeUrl}/api/v1/state`)).json()).toMatchObject({ state: "STOPPED" });
    // keep-alive connection stays open until stop()
    const keepAlive = await fetch(`${devnet.url}/v1/status`, { headers: { connection: "keep-alive" } });
    await keepAlive.text();
    // an HTTP/2 gRPC session stays open until stop()
    const grpc = createClient(AuthQuery, createGrpcTransport({ baseUrl: `${devnet.url}/chain-grpc` }));
    expect((await grpc.account({ address: devnet.participant.address })).account).toBeDefined();

    await devnet.stop();
    await devnet.stop(); // idempotent
    for (const u of urls) {
      expect(await canListen(portOf(u))).toBe(true);
      await expect(fetch(`${new URL(u).origin}/`)).rejects.toThrow();
    }
    await new Promise((r) => setTimeout(r, 50));
    const after = process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap").length;
    expect(after).toBeLessThanOrEqual(before);
  });

  it("binds the public entry to the requested port", async () => {
    const probe = createServer();
    const port = await new Promise<number>((r) => probe.listen(0, "127.0.0.1", () => r((probe.address() as { port: number }).port)));
    await new Promise((r) => probe.close(r));
    const devnet = await startDevnet({ port });
    try {
      expect(devnet.url).toBe(`http://127.0.0.1:${port}`);
      await expect(startDevnet({ port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await devnet.stop();
    }
    expect(await canListen(port)).toBe(true);
  });
});
