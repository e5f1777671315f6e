import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GonkaError, TimeoutError } from "../../src/errors.js";
import {
  createHttpCore,
  HttpError,
  HttpTimeoutError,
  NetworkError,
  RequestAbortedError,
  ResponseParseError,
  ResponseSchemaError,
  s,
} from "../../src/http/index.js";
import { closedPortUrl, json, startServer, type TestServer } from "./helpers/server.js";

const NGINX_502 = `<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n`;

let server: TestServer;
let flaky = 0;
beforeAll(async () => {
  server = await startServer({
    "GET /api/v1/ok": () => json(200, { status: "ok" }),
    "GET /big": () => ({ status: 200, raw: '{"request_timestamp": 1795298400123456789}', headers: { "content-type": "application/json" } }),
    "GET /text": () => ({ status: 200, raw: "healthy\n", headers: { "content-type": "text/plain" } }),
    "GET /empty": () => ({ status: 200, raw: "" }),
    "GET /malformed": () => ({ status: 200, raw: '{"status": "ok",', headers: { "content-type": "application/json" } }),
    "GET /html200": () => ({ status: 200, raw: "<!doctype html><html><title>Gonka explorer</title></html>", headers: { "content-type": "text/html" } }),
    "GET /bad-gateway": () => ({ status: 502, raw: NGINX_502, headers: { "content-type": "text/html" } }),
    "GET /go-error": () => json(500, { error: "rpc error: code = NotFound desc = account not found" }),
    "GET /go-error-object": () => json(400, { error: {} }),
    "GET /fastapi-422": () => json(422, { detail: [{ loc: ["body", "model"], msg: "Field required", type: "missing" }] }),
    "GET /hang": () => ({ hang: true }),
    "GET /stall": () => ({ stall: '{"participants": [' }),
    "GET /flaky": () => (++flaky % 3 === 0 ? json(200, { n: flaky }) : { status: 503, raw: "vLLM backend not ready", headers: { "retry-after": "0" } }),
    "POST /flaky-post": () => ({ status: 503, raw: "busy" }),
    "POST /echo": (req) => json(200, { body: req.json, ct: req.headers["content-type"], x: req.headers["x-extra"] ?? null }),
  });
});
afterAll(() => server.close());

describe("createHttpCore", () => {
  it("joins a base URL with a path prefix and parses JSON", async () => {
    const http = createHttpCore({ baseUrl: `${server.url}/api/` });
    expect(http.baseUrl).toBe(`${server.url}/api`);
    await expect(http.request({ path: "/v1/ok" })).resolves.toEqual({ status: "ok" });
    expect(http.url("/v1/ok", { a: 1, b: [2, 3], c: undefined })).toBe(`${server.url}/api/v1/ok?a=1&b=2&b=3`);
  });

  it("reads text and empty bodies", async () => {
    const http = createHttpCore({ baseUrl: server.url });
    await expect(http.request({ path: "/text", responseType: "text" })).resolves.toBe("healthy\n");
    await expect(http.request({ path: "/text", responseType: "auto" })).resolves.toBe("healthy\n");
    await expect(http.request({ path: "/empty" })).resolves.toBeUndefined();
  });

  it("sends JSON bodies (bigint as decimal strings) with Content-Type and custom headers", async () => {
    const http = createHttpCore({ baseUrl: server.url, headers: () => ({ "x-extra": "from-core" }) });
    const res = await http.request<{ body: unknown; ct: string; x: string }>({ method: "POST", path: "/echo", body: { a: 1, big: 2n ** 70n } });
    expect(res).toEqual({ body: { a: 1, big: "1180591620717411303424" }, ct: "application/json", x: "from-core" });
  });

  it("maps a decentralized-api error body to HttpError with the server's message", async () => {
    const http = createHttpCore({ baseUrl: server.url, retries: 0 });
    const err = await http.request({ path: "/go-error" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toBeInstanceOf(GonkaError);
    const e = err as HttpError;
    expect([e.status, e.method, e.url]).toEqual([500, "GET", `${server.url}/go-error`]);
    expect(e.body).toEqual({ error: "rpc error: code = NotFound desc = account not found" });
    expect(e.serverMessage).toBe("rpc error: code = NotFound desc = account not found");
    expect(e.message).toContain(`HTTP 500 Internal Server Error from GET ${server.url}/go-error`);
    expect(e.message).toContain("Server said: rpc error");
  });

  it("explains an empty {error:{}} object and a FastAPI 422 list", async () => {
    const http = createHttpCore({ baseUrl: server.url });
    const a = (await http.request({ path: "/go-error-object" }).catch((e: unknown) => e)) as HttpError;
    expect(a.serverMessage).toBe("(the server sent an empty error object)");
    const b = (await http.request({ path: "/fastapi-422" }).catch((e: unknown) => e)) as HttpError;
    expect(b.status).toBe(422);
    expect(b.serverMessage).toBe("body.model: Field required");
    expect(b.details).toMatch(/schema/);
  });

  it("turns an nginx HTML 502 page into an HttpError that names the page, after retrying GETs", async () => {
    const http = createHttpCore({ baseUrl: server.url, retries: 1, retryDelayMs: 1 });
    const before = server.requests.length;
    const e = (await http.request({ path: "/bad-gateway" }).catch((x: unknown) => x)) as HttpError;
    expect(e).toBeInstanceOf(HttpError);
    expect(e.status).toBe(502);
    expect(e.serverMessage).toBe("HTML page: 502 Bad Gateway");
    expect(e.details).toMatch(/proxy or gateway/);
    expect(server.requests.length - before).toBe(2);
  });

  it("rejects malformed JSON and an unexpected HTML page with ResponseParseError", async () => {
    const http = createHttpCore({ baseUrl: server.url });
    const a = (await http.request({ path: "/malformed" }).catch((e: unknown) => e)) as ResponseParseError;
    expect(a).toBeInstanceOf(ResponseParseError);
    expect(a.shortMessage).toContain("is not valid JSON (HTTP 200, content-type application/json)");
    expect(a.bodyText).toBe('{"status": "ok",');
    const b = (await http.request({ path: "/html200" }).catch((e: unknown) => e)) as ResponseParseError;
    expect(b.shortMessage).toContain("is an HTML page");
    expect(b.details).toMatch(/baseUrl probably points at a web page/);
  });

  it("checks the body shape and names the first mismatching path", async () => {
    const http = createHttpCore({ baseUrl: server.url });
    const shape = s.object<{ status: "POW" | "STOPPED" }>({ status: s.oneOf(["POW", "STOPPED"]) });
    const e = (await http.request({ path: "/api/v1/ok", shape }).catch((x: unknown) => x)) as ResponseSchemaError;
    expect(e).toBeInstanceOf(ResponseSchemaError);
    expect(e.path).toBe("$.status");
    expect(e.shortMessage).toContain('expected one of "POW", "STOPPED", got the string "ok"');
  });

  it("times out a hanging server with HttpTimeoutError (a TimeoutError), retrying only idempotent calls", async () => {
    const http = createHttpCore({ baseUrl: server.url, timeoutMs: 150, retries: 1, retryDelayMs: 1 });
    const before = server.requests.length;
    const t0 = Date.now();
    const e = (await http.request({ path: "/hang" }).catch((x: unknown) => x)) as HttpTimeoutError;
    expect(e).toBeInstanceOf(HttpTimeoutError);
    expect(e).toBeInstanceOf(TimeoutError);
    expect(e.timeoutMs).toBe(150);
    expect(e.message).toContain(`GET ${server.url}/hang timed out after 150 ms`);
    expect(server.requests.length - before).toBe(2);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it("times out a body that stops half-way (headers already sent)", async () => {
    const http = createHttpCore({ baseUrl: server.url, timeoutMs: 150, retries: 0 });
    const e = (await http.request({ path: "/stall" }).catch((x: unknown) => x)) as HttpTimeoutError;
    expect(e).toBeInstanceOf(HttpTimeoutError);
    expect(e.url).toBe(`${server.url}/stall`);
  });

  it("reports connection refused as NetworkError with ECONNREFUSED and what to check", async () => {
    const url = await closedPortUrl();
    const http = createHttpCore({ baseUrl: url, retries: 0 });
    const e = (await http.request({ path: "/api/v1/state" }).catch((x: unknown) => x)) as NetworkError;
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.code).toBe("ECONNREFUSED");
    expect(e.details).toContain(`Nothing is listening at ${new URL(url).host}`);
  });

  it("retries 503 for GET until success, honouring Retry-After, but never retries a POST", async () => {
    flaky = 0;
    const http = createHttpCore({ baseUrl: server.url, retries: 2, retryDelayMs: 1 });
    await expect(http.request({ path: "/flaky" })).resolves.toEqual({ n: 3 });
    const before = server.requests.length;
    const e = (await http.request({ method: "POST", path: "/flaky-post" }).catch((x: unknown) => x)) as HttpError;
    expect(e.status).toBe(503);
    expect(server.requests.length - before).toBe(1);
  });

  it("uses a custom fetch and honours an AbortSignal", async () => {
    const seen: string[] = [];
    const http = createHttpCore({
      baseUrl: server.url,
      fetch: (input, init) => {
        seen.push(`${init.method} ${input}`);
        return fetch(input, init);
      },
    });
    await http.request({ path: "/api/v1/ok" });
    expect(seen).toEqual([`GET ${server.url}/api/v1/ok`]);
    const controller = new AbortController();
    const pending = http.request({ path: "/hang", signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(RequestAbortedError);
  });

  it("uses a custom JSON parser, e.g. to keep 64-bit integers exact", async () => {
    const exact = (text: string): unknown => JSON.parse(text.replace(/:\s*(\d{16,})/g, ':"$1"'));
    const http = createHttpCore({ baseUrl: server.url, parseJson: exact });
    await expect(http.request({ path: "/big" })).resolves.toEqual({ request_timestamp: "1795298400123456789" });
    await expect(createHttpCore({ baseUrl: server.url }).request({ path: "/big" })).resolves.toEqual({ request_timestamp: 1795298400123456800 });
  });

  it("rejects a bad base URL with InvalidArgumentError", () => {
    expect(() => createHttpCore({ baseUrl: "127.0.0.1:8080" })).toThrow(/Invalid baseUrl/);
    expect(() => createHttpCore({ baseUrl: "ftp://x" })).toThrow(/scheme ftp:/);
  });
});
