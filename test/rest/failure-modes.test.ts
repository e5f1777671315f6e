/**
 * Every client meets the same broken servers: malformed JSON, an nginx HTML 502 page, a body that
 * does not match the schema, a server that never answers, and a closed port. Each failure must be a
 * typed error whose message says what happened and what to check.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GonkaError } from "../../src/errors.js";
import { createAdminClient } from "../../src/admin/index.js";
import { createDapiClient } from "../../src/dapi/index.js";
import { createMlNodeClient, HttpError, HttpTimeoutError, NetworkError, ResponseParseError, ResponseSchemaError } from "../../src/mlnode/index.js";
import { closedPortUrl, startServer, type Reply, type TestServer } from "./helpers/server.js";

const NGINX_502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

type Mode = "malformed" | "html502" | "schema" | "hang";
const replies: Record<Mode, Reply> = {
  malformed: { status: 200, raw: '{"state": "POW"', headers: { "content-type": "application/json" } },
  html502: { status: 502, raw: NGINX_502, headers: { "content-type": "text/html" } },
  schema: { status: 200, raw: JSON.stringify({ state: 42, active_participants: "none", node: null }), headers: { "content-type": "application/json" } },
  hang: { hang: true },
};

let server: TestServer;
let mode: Mode = "malformed";
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  const any = () => replies[mode];
  server = await startServer({ "GET /api/v1/state": any, "GET /admin/v1/nodes": any, "GET /v1/epochs/current/participants": any });
});
afterAll(async () => {
  await server.close();
  // Timers, aborted bodies and retries must not leave rejected promises behind.
  await new Promise((r) => setTimeout(r, 50));
  process.off("unhandledRejection", onUnhandled);
  expect(unhandled).toEqual([]);
});

const clients = (url: string) => {
  const o = { baseUrl: url, timeoutMs: 200, retries: 0 };
  return {
    mlnode: () => createMlNodeClient(o).state(),
    admin: () => createAdminClient(o).nodes.list(),
    dapi: () => createDapiClient(o).epochs.participants(),
  };
};
const failure = async (run: () => Promise<unknown>): Promise<GonkaError> => {
  const result = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(result).toBeInstanceOf(GonkaError);
  return result as GonkaError;
};

describe.each(["mlnode", "admin", "dapi"] as const)("%s client failure modes", (name) => {
  it("malformed JSON → ResponseParseError quoting the body", async () => {
    mode = "malformed";
    const e = await failure(clients(server.url)[name]);
    expect(e).toBeInstanceOf(ResponseParseError);
    expect(e.message).toContain("is not valid JSON (HTTP 200");
    expect(e.message).toContain('Body starts with: {"state": "POW"');
  });

  it("nginx HTML 502 → HttpError 502 naming the page and suggesting a retry", async () => {
    mode = "html502";
    const e = (await failure(clients(server.url)[name])) as HttpError;
    expect(e).toBeInstanceOf(HttpError);
    expect(e.status).toBe(502);
    expect(e.message).toContain("Server said: HTML page: 502 Bad Gateway");
    expect(e.details).toMatch(/Retry later/);
  });

  it("wrong shape → ResponseSchemaError with the JSON path", async () => {
    mode = "schema";
    const e = (await failure(clients(server.url)[name])) as ResponseSchemaError;
    expect(e).toBeInstanceOf(ResponseSchemaError);
    expect(e.path).toBe({ mlnode: "$.state", admin: "$", dapi: "$.active_participants" }[name]);
    expect(e.details).toMatch(/compare server and SDK versions/);
  });

  it("hang → HttpTimeoutError after timeoutMs", async () => {
    mode = "hang";
    const t0 = Date.now();
    const e = (await failure(clients(server.url)[name])) as HttpTimeoutError;
    expect(e).toBeInstanceOf(HttpTimeoutError);
    expect(e.timeoutMs).toBe(200);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(e.details).toMatch(/Raise timeoutMs/);
  });

  it("connection refused → NetworkError ECONNREFUSED saying nothing listens there", async () => {
    const url = await closedPortUrl();
    const e = (await failure(clients(url)[name])) as NetworkError;
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.code).toBe("ECONNREFUSED");
    expect(e.details).toContain("Nothing is listening at 127.0.0.1:");
  });
});
