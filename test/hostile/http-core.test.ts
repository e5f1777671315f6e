import { afterEach, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import { createHttpCore, HttpError, HttpTimeoutError, RedirectRefusedError, ResponseTooLargeError } from "../../src/http/index.js";
import { drip, gzipBomb, hugeBody, recorder, redirector, startHostile, type HostileServer } from "./servers.js";

const servers: HostileServer[] = [];
async function track<T extends HostileServer>(p: Promise<T>): Promise<T> {
  const s = await p;
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe("HTTP core against hostile servers", () => {
  it("does not follow a redirect to another origin, nor send it the POST body or auth headers", async () => {
    const target = await track(recorder());
    const node = await track(redirector((req) => `${target.origin}${req.url}`, 307));
    const http = createHttpCore({ baseUrl: node.url, headers: { authorization: "Bearer secret-token", "x-api-key": "k" }, retries: 0 });
    const post = http.request({ method: "POST", path: "/cosmos/tx/v1beta1/txs", body: { tx_bytes: "AAAA" } });
    await expect(post).rejects.toBeInstanceOf(RedirectRefusedError);
    await expect(http.request({ path: "/status" })).rejects.toBeInstanceOf(RedirectRefusedError);
    expect(target.requests).toHaveLength(0);
  });

  it("follows a same-origin GET redirect within maxRedirects, refuses loops and POST redirects by default", async () => {
    const server = await track(
      startHostile((req, res) => {
        if (req.url === "/old") return void res.writeHead(301, { location: "/new" }).end();
        if (req.url === "/loop") return void res.writeHead(302, { location: "/loop" }).end();
        if (req.url === "/post") return void res.writeHead(307, { location: "/new" }).end();
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ at: req.url, method: req.method, body: req.body }));
      }),
    );
    const http = createHttpCore({ baseUrl: server.url, retries: 0 });
    expect(await http.request({ path: "/old" })).toEqual({ at: "/new", method: "GET", body: "" });
    const loop = await http.request({ path: "/loop" }).catch((e: unknown) => e);
    expect(loop).toBeInstanceOf(RedirectRefusedError);
    expect((loop as Error).message).toContain("maxRedirects (3)");
    await expect(http.request({ method: "POST", path: "/post", body: { a: 1 } })).rejects.toBeInstanceOf(RedirectRefusedError);
    const allowing = createHttpCore({ baseUrl: server.url, retries: 0, followPostRedirects: true });
    expect(await allowing.request({ method: "POST", path: "/post", body: { a: 1 } })).toEqual({ at: "/new", method: "POST", body: '{"a":1}' });
    await expect(createHttpCore({ baseUrl: server.url, maxRedirects: 0 }).request({ path: "/old" })).rejects.toBeInstanceOf(RedirectRefusedError);
  });

  it("stops a gzip bomb at maxResponseBytes (counted after decompression)", async () => {
    const bomb = await track(gzipBomb(512 * 1024 * 1024));
    const http = createHttpCore({ baseUrl: bomb.url, retries: 0, maxResponseBytes: 1024 * 1024 });
    const before = process.memoryUsage().rss;
    const err = await http.request({ path: "/" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect((err as ResponseTooLargeError).limit).toBe(1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it("stops a huge plain body at the default 16 MiB", async () => {
    const big = await track(hugeBody(64 * 1024 * 1024));
    const err = await createHttpCore({ baseUrl: big.url, retries: 0 }).request({ path: "/", responseType: "text" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect((err as ResponseTooLargeError).limit).toBe(16 * 1024 * 1024);
  });

  it("quotes at most 512 characters of a huge error body", async () => {
    const big = await track(hugeBody(20 * 1024 * 1024, 500));
    const err = await createHttpCore({ baseUrl: big.url, retries: 0 }).request({ path: "/" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).message.length).toBeLessThan(2000);
    expect((err as HttpError).serverMessage!.length).toBeLessThanOrEqual(513);
    const json = await track(startHostile((_q, res) => void res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: "e".repeat(100_000) }))));
    const e2 = (await createHttpCore({ baseUrl: json.url, retries: 0 }).request({ path: "/" }).catch((e: unknown) => e)) as HttpError;
    expect(e2.message.length).toBeLessThan(2000);
  });

  it("a drip-fed body ends at the attempt deadline", async () => {
    const slow = await track(drip(50));
    const started = Date.now();
    const err = await createHttpCore({ baseUrl: slow.url, retries: 0, timeoutMs: 400 }).request({ path: "/" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpTimeoutError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("timeoutMs of 2^31, NaN, Infinity or negative is an InvalidArgumentError, not an instant timeout", async () => {
    for (const bad of [2 ** 31, Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      expect(() => createHttpCore({ baseUrl: "http://127.0.0.1:1", timeoutMs: bad })).toThrow(InvalidArgumentError);
    }
    const http = createHttpCore({ baseUrl: "http://127.0.0.1:1" });
    await expect(http.request({ path: "/", timeoutMs: 3_000_000_000 })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(() => createHttpCore({ baseUrl: "http://127.0.0.1:1", maxResponseBytes: -5 })).toThrow(InvalidArgumentError);
  });

  it("a password in the base URL becomes a Basic header and is never shown", async () => {
    const server = await track(startHostile((req, res) => void res.writeHead(500, { "content-type": "text/plain" }).end(`auth=${req.headers.authorization ?? ""}`)));
    const base = server.url.replace("http://", "http://alice:s3cr3t-pw@");
    const err = (await createHttpCore({ baseUrl: base, retries: 0 }).request({ path: "/x" }).catch((e: unknown) => e)) as HttpError;
    expect(err).toBeInstanceOf(HttpError); // reached the node: not "unreachable"
    expect(server.requests[0]!.headers.authorization).toBe(`Basic ${btoa("alice:s3cr3t-pw")}`);
    expect(err.url).not.toContain("s3cr3t");
    expect(err.message).not.toContain("s3cr3t-pw");
    expect(createHttpCore({ baseUrl: base }).baseUrl).not.toContain("s3cr3t");
  });

  it("an invalid base URL is not echoed", () => {
    const secret = "0123456789abcdef".repeat(4);
    const err = (() => {
      try {
        createHttpCore({ baseUrl: secret });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err!.message).not.toContain(secret.slice(0, 8));
  });
});
