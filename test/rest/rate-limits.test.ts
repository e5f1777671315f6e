/**
 * Rate limits (429, and nginx's 503 page that a stock node's proxy answers over its limits) and
 * 503s are typed errors; only idempotent requests are retried, with backoff, honouring
 * `Retry-After` up to `maxRetryAfterMs`, and a client holds all its requests while a rate-limit
 * window is open — counted on loopback servers, so a storm would show as extra requests.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDapiClient } from "../../src/dapi/index.js";
import { startLoopbackServer, type LoopbackServer } from "../../src/devnet/index.js";
import { createHttpCore, HttpError, RateLimitError, retryAfterMsOf, RetryLaterError, ServiceUnavailableError } from "../../src/http/index.js";
import { json, startServer, type TestServer } from "./helpers/server.js";

const NGINX_503 = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

let server: TestServer;
const arrivals = new Map<string, number[]>();
const count = (path: string) => arrivals.get(path)?.length ?? 0;
let windowUntil = 0;
beforeAll(async () => {
  const seen = (path: string) => arrivals.set(path, [...(arrivals.get(path) ?? []), Date.now()]);
  server = await startServer({
    "GET /limited-once": () => {
      seen("/limited-once");
      return count("/limited-once") === 1 ? json(429, { error: "Transfer Agent capacity reached." }, { "retry-after": "1" }) : json(200, { ok: true });
    },
    "GET /nginx": () => (seen("/nginx"), { status: 503, raw: NGINX_503, headers: { "content-type": "text/html" } }),
    "POST /nginx-post": () => (seen("/nginx-post"), { status: 503, raw: NGINX_503, headers: { "content-type": "text/html" } }),
    "GET /no-backend": () => (seen("/no-backend"), json(503, { error: "no inference nodes available" })),
    "GET /hour": () => (seen("/hour"), json(429, { error: "slow down" }, { "retry-after": "3600" })),
    "GET /window": () => {
      seen("/window");
      if (Date.now() < windowUntil) return json(429, { error: "slow down" }, { "retry-after": "1" });
      return json(200, { ok: true });
    },
    "GET /after-window": () => (seen("/after-window"), json(200, { ok: true })),
  });
});
afterAll(() => server.close());

describe("429 and 503 are typed", () => {
  it("a 429 is a RateLimitError (a RetryLaterError, an HttpError) with retryAfterMs from Retry-After", async () => {
    const http = createHttpCore({ baseUrl: server.url, retries: 0 });
    const e = (await http.request({ path: "/hour", retries: 0 }).catch((x: unknown) => x)) as RateLimitError;
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e).toBeInstanceOf(RetryLaterError);
    expect(e).toBeInstanceOf(HttpError);
    expect([e.status, e.retryAfterMs, e.serverMessage]).toEqual([429, 3_600_000, "slow down"]);
    expect(e.details).toMatch(/10 requests\/minute/);
  });

  it("nginx's own 503 page (no Retry-After) is a RateLimitError; a JSON 503 is a ServiceUnavailableError", async () => {
    const http = createHttpCore({ baseUrl: server.url, retries: 0 });
    const limited = (await http.request({ path: "/nginx" }).catch((x: unknown) => x)) as RateLimitError;
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited.retryAfterMs).toBeUndefined();
    expect(limited.serverMessage).toBe("HTML page: 503 Service Temporarily Unavailable");
    const down = (await http.request({ path: "/no-backend" }).catch((x: unknown) => x)) as ServiceUnavailableError;
    expect(down).toBeInstanceOf(ServiceUnavailableError);
    expect(down).not.toBeInstanceOf(RateLimitError);
    expect(down.serverMessage).toBe("no inference nodes available");
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-06-20T10:00:00Z");
    expect(retryAfterMsOf(new Headers({ "retry-after": "7" }), now)).toBe(7000);
    expect(retryAfterMsOf(new Headers({ "retry-after": "Sat, 20 Jun 2026 10:00:30 GMT" }), now)).toBe(30_000);
    expect(retryAfterMsOf(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfterMsOf(new Headers(), now)).toBeUndefined();
  });
});

describe("retries: only where safe, bounded, never a storm", () => {
  it("retries a GET after the Retry-After of a 429 and succeeds with exactly two requests", async () => {
    const http = createHttpCore({ baseUrl: server.url, retries: 3, retryDelayMs: 1 });
    const t0 = Date.now();
    await expect(http.request({ path: "/limited-once" })).resolves.toEqual({ ok: true });
    expect(count("/limited-once")).toBe(2);
    const [first, second] = arrivals.get("/limited-once")!;
    expect(second! - first!).toBeGreaterThanOrEqual(950);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it("retries a GET `retries` times on nginx's 503, and never retries a POST", async () => {
    const http = createHttpCore({ baseUrl: server.url, retries: 2, retryDelayMs: 5 });
    await expect(http.request({ path: "/nginx" })).rejects.toBeInstanceOf(RateLimitError);
    expect(count("/nginx")).toBe(1 + 2 + 1); // +1 from the typing test above
    await expect(http.request({ method: "POST", path: "/nginx-post", body: {} })).rejects.toBeInstanceOf(RateLimitError);
    expect(count("/nginx-post")).toBe(1);
  });

  it("does not wait for a Retry-After above maxRetryAfterMs: one request, the error at once", async () => {
    const http = createHttpCore({ baseUrl: server.url, retries: 3, maxRetryAfterMs: 5_000 });
    const before = count("/hour");
    const t0 = Date.now();
    const e = (await http.request({ path: "/hour" }).catch((x: unknown) => x)) as RateLimitError;
    expect(e.retryAfterMs).toBe(3_600_000);
    expect(count("/hour") - before).toBe(1);
    expect(Date.now() - t0).toBeLessThan(1000);
    // …and it did not make the client hold its other requests.
    const t1 = Date.now();
    await http.request({ path: "/after-window" });
    expect(Date.now() - t1).toBeLessThan(500);
  });

  it("holds every request of the client while a 429 window is open: 20 concurrent GETs make 40 requests, not a storm", async () => {
    const http = createHttpCore({ baseUrl: server.url, retries: 5, retryDelayMs: 1 });
    windowUntil = Date.now() + 500;
    const results = await Promise.all(Array.from({ length: 20 }, () => http.request({ path: "/window" })));
    expect(results.every((r) => (r as { ok: boolean }).ok)).toBe(true);
    // Each got one 429 (Retry-After: 1) and one success after the window: no request went out early.
    expect(count("/window")).toBe(40);
    const times = arrivals.get("/window")!;
    const firstRetry = times.slice(20).reduce((a, b) => Math.min(a, b), Infinity);
    expect(firstRetry - times[0]!).toBeGreaterThanOrEqual(950);
    // A request started inside the window waits for it too (without the hold it would arrive at once).
    const late = createHttpCore({ baseUrl: server.url, retries: 1, retryDelayMs: 1 });
    windowUntil = Date.now() + 300;
    const first = late.request({ path: "/window" });
    await new Promise((r) => setTimeout(r, 150)); // the 429 has arrived
    const startedAt = Date.now();
    await Promise.all([first, late.request({ path: "/after-window" })]);
    const the429 = arrivals.get("/window")!.at(-2)!;
    expect(arrivals.get("/after-window")!.at(-1)! - the429).toBeGreaterThanOrEqual(950);
    expect(arrivals.get("/after-window")!.at(-1)! - startedAt).toBeGreaterThanOrEqual(700);
  });
});

describe("a client against nginx-like limits (the devnet proxy's limiter)", () => {
  let limited: LoopbackServer;
  let hits = 0;
  beforeAll(async () => {
    limited = await startLoopbackServer({
      routes: [{ method: "GET", pattern: "/v1/status", handler: () => (hits++, { json: { status: "ok" } }) }],
      proxy: { rateLimit: { apiBurst: 2, apiPerMinute: 600 } },
    });
  });
  afterAll(() => limited.close());

  it("gets through a 2-request burst at 10/s with a bounded number of attempts", async () => {
    let attempts = 0;
    const dapi = createDapiClient({ baseUrl: limited.url, retries: 4, retryDelayMs: 150, fetch: (u, i) => (attempts++, fetch(u, i)) });
    const all = await Promise.all(Array.from({ length: 6 }, () => dapi.status()));
    expect(all.every((s) => s.status === "ok")).toBe(true);
    expect(hits).toBe(6);
    expect(attempts).toBeLessThanOrEqual(6 * 5);
  });
});
