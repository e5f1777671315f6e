import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChainClient } from "../../src/chain/client.js";
import { NodeRequestError } from "../../src/chain/errors.js";
import { createGrpcTransport } from "../../src/chain/transport/grpc.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { walletFromPrivateKey } from "../../src/chain/keys.js";

const ADDRESS = walletFromPrivateKey("11".repeat(32)).address;

/** An HTTP/2 server that answers every gRPC call `UNAUTHENTICATED` and records the headers it got. */
let server: http2.Http2Server;
let port = 0;
const seen: http2.IncomingHttpHeaders[] = [];
beforeAll(async () => {
  server = http2.createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/grpc" });
      res.addTrailers({ "grpc-status": "16", "grpc-message": "bad credentials" });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("gRPC transport and a password in the node URL", () => {
  it("sends user:password as Basic auth and keeps it out of the error", async () => {
    seen.length = 0;
    const chain = createChainClient({ url: `http://op:s3cr3t-pass@127.0.0.1:${port}`, transport: "grpc", chainId: "gonka-mainnet", releaseCheck: false, timeoutMs: 3000 });
    try {
      const err = await chain.getAccount(ADDRESS).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NodeRequestError);
      const e = err as NodeRequestError;
      expect(e.message).toContain("bad credentials");
      expect(e.endpoint).toBe(`http://127.0.0.1:${port}/chain-grpc/cosmos.auth.v1beta1.Query/Account`);
      for (const text of [e.message, e.endpoint, String(e.stack), JSON.stringify(e)]) expect(text).not.toContain("s3cr3t");
      expect(seen.length).toBeGreaterThan(0);
      expect(seen[0]!.authorization).toBe(`Basic ${Buffer.from("op:s3cr3t-pass").toString("base64")}`);
      expect(seen[0]![":path"]).toBe("/chain-grpc/cosmos.auth.v1beta1.Query/Account");
    } finally {
      chain.close();
    }
  });

  it("sends no authorization header when the URL has none", async () => {
    seen.length = 0;
    const chain = createChainClient({ url: `http://127.0.0.1:${port}`, transport: "grpc", chainId: "gonka-mainnet", releaseCheck: false });
    try {
      await chain.getAccount(ADDRESS).catch(() => undefined);
      expect(seen[0]!.authorization).toBeUndefined();
    } finally {
      chain.close();
    }
  });

  it("a grpcUrl that is not a URL is an InvalidArgumentError that does not echo a password", () => {
    let err: unknown;
    try {
      createGrpcTransport({ baseUrl: "http//op:s3cr3t@host:not-a-port" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(String((err as Error).message)).not.toContain("s3cr3t");
  });
});
