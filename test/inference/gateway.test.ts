/**
 * The local gateway for browser apps (gonka-sdk/inference/node, `gonka gateway`): CORS for the
 * allowed origins only, signed requests forwarded unchanged (the devnet accepts them), no
 * credential unless configured, bounded bodies, no redirects, no foreign Host headers.
 * (The real-browser test is test/browser/inference-gateway.browser.test.ts.)
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { resolve } from "node:path";
import { startDevnet, type Devnet } from "../../src/devnet/index.js";
import { gonkaFetch, signerFromPrivateKey } from "../../src/inference/index.js";
import { GATEWAY_FORWARDED_HEADERS, startInferenceGateway, type InferenceGateway, type InferenceGatewayOptions } from "../../src/inference/node/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { keyVectors } from "./fixtures.js";
import { json, startServer } from "./servers.js";

const APP = "http://127.0.0.1:5173";
const repo = resolve(__dirname, "../..");
const gateways: InferenceGateway[] = [];
async function gateway(options: Partial<InferenceGatewayOptions> & { upstream: string }): Promise<InferenceGateway> {
  const g = await startInferenceGateway({ allowedOrigins: [APP], port: 0, ...options });
  gateways.push(g);
  return g;
}
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

/** A raw HTTP request (lets a test set Host and Origin freely). */
function raw(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolvePromise, reject) => {
    // path as written (no client-side normalisation of "..")
    const u = new URL(url);
    const rawPath = url.slice(u.origin.length) || "/";
    const req = httpRequest({ host: u.hostname, port: u.port, path: rawPath, method: init.method ?? "GET", headers: init.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

describe("CORS at the gateway", () => {
  it("answers the preflight of an allowed origin with the signing headers allowed", async () => {
    const upstream = await startServer((_q, res) => json(res, 200, {}));
    const g = await gateway({ upstream: upstream.url });
    const res = await raw(`${g.url}/v1/chat/completions`, {
      method: "OPTIONS",
      headers: { origin: APP, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type,x-requester-address,x-timestamp,x-transfer-address" },
    });
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe(APP);
    const allowed = String(res.headers["access-control-allow-headers"]).split(/,\s*/);
    for (const h of ["authorization", "content-type", "x-requester-address", "x-timestamp", "x-transfer-address", "x-devshard-signature", "x-devshard-timestamp"]) expect(allowed).toContain(h);
    expect(res.headers["access-control-allow-methods"]).toBe("GET, POST, OPTIONS");
    expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
    expect(upstream.seen).toHaveLength(0); // the preflight is the gateway's own
  });

  it("refuses other origins (403, no CORS headers) and foreign Host headers (421, DNS rebinding)", async () => {
    const upstream = await startServer((_q, res) => json(res, 200, {}));
    const g = await gateway({ upstream: upstream.url });
    const evil = await raw(`${g.url}/v1/status`, { headers: { origin: "http://evil.example" } });
    expect([evil.status, evil.headers["access-control-allow-origin"]]).toEqual([403, undefined]);
    const rebound = await raw(`${g.url}/v1/status`, { headers: { host: `rebind.evil.example:${g.port}` } });
    expect(rebound.status).toBe(421);
    expect(upstream.seen).toHaveLength(0);
    const fine = await raw(`${g.url}/v1/status`, { headers: { host: `localhost:${g.port}` } });
    expect(fine.status).toBe(200);
  });

  it("passes the private-network preflight that Chrome sends from a public origin", async () => {
    const upstream = await startServer((_q, res) => json(res, 200, {}));
    const g = await gateway({ upstream: upstream.url, allowedOrigins: ["https://app.example"] });
    const res = await raw(`${g.url}/v1/chat/completions`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST", "access-control-request-private-network": "true" },
    });
    expect(res.headers["access-control-allow-private-network"]).toBe("true");
  });
});

describe("forwarding", () => {
  it("forwards method, path, query, body bytes and signing headers unchanged, and adds no credential", async () => {
    const upstream = await startServer((_q, res) => json(res, 200, { ok: true }));
    const g = await gateway({ upstream: `${upstream.url}/` });
    const body = '{"model":"m","messages":[{"role":"user","content":"Grüße ✓"}]}  ';
    const headers = {
      origin: APP,
      "content-type": "application/json",
      authorization: "c2lnbmF0dXJl",
      "x-requester-address": keyVectors[0]!.address,
      "x-timestamp": "1781899859123456789",
      "x-transfer-address": keyVectors[1]!.address,
      cookie: "session=should-not-travel",
      "x-other": "dropped",
    };
    const res = await raw(`${g.url}/v1/chat/completions?x=1`, { method: "POST", headers, body });
    expect(res.status).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBe(APP);
    const seen = upstream.seen[0]!;
    expect([seen.method, seen.path, seen.body.toString("utf8")]).toEqual(["POST", "/v1/chat/completions?x=1", body]);
    for (const h of ["content-type", "authorization", "x-requester-address", "x-timestamp", "x-transfer-address"]) expect(seen.headers[h]).toBe(headers[h as keyof typeof headers]);
    expect(seen.headers["cookie"]).toBeUndefined();
    expect(seen.headers["x-other"]).toBeUndefined();
    expect(seen.headers["origin"]).toBeUndefined();

    await raw(`${g.url}/v1/status`, { headers: { origin: APP } });
    expect(upstream.seen[1]!.headers["authorization"]).toBeUndefined();
    expect(GATEWAY_FORWARDED_HEADERS).toContain("x-timestamp");
  });

  it("adds a configured credential only upstream and only when the request has none; '*' is refused with one", async () => {
    const upstream = await startServer((_q, res) => json(res, 200, { ok: true }));
    const g = await gateway({ upstream: upstream.url, upstreamAuthorization: "Bearer broker-key-123" });
    const res = await raw(`${g.url}/v1/chat/completions`, { method: "POST", headers: { origin: APP, "content-type": "application/json" }, body: "{}" });
    expect(upstream.seen[0]!.headers["authorization"]).toBe("Bearer broker-key-123");
    expect(JSON.stringify(res.headers) + res.body).not.toContain("broker-key-123");
    await raw(`${g.url}/v1/chat/completions`, { method: "POST", headers: { origin: APP, authorization: "signed" }, body: "{}" });
    expect(upstream.seen[1]!.headers["authorization"]).toBe("signed");
    await expect(startInferenceGateway({ upstream: upstream.url, allowedOrigins: ["*"], port: 0, upstreamAuthorization: "Bearer k" })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it("bounds the request body (413), forwards only the API routes (also after ../ normalisation), follows no redirect", async () => {
    const upstream = await startServer((_q, res, seen) => {
      if (seen.path.startsWith("/v1/moved")) {
        res.writeHead(302, { location: "http://elsewhere.example/" });
        return void res.end();
      }
      json(res, 200, {});
    });
    const g = await gateway({ upstream: upstream.url, maxRequestBytes: 1024 });
    expect((await raw(`${g.url}/v1/chat/completions`, { method: "POST", headers: { origin: APP }, body: "x".repeat(2048) })).status).toBe(413);
    expect((await raw(`${g.url}/admin/v1/nodes`, { headers: { origin: APP } })).status).toBe(404);
    expect((await raw(`${g.url}/v1/../admin/v1/nodes`, { headers: { origin: APP } })).status).toBe(404);
    expect((await raw(`${g.url}/v1/%2e%2e/admin/v1/nodes`, { headers: { origin: APP } })).status).toBe(404);
    const moved = await raw(`${g.url}/v1/moved`, { headers: { origin: APP } });
    expect([moved.status, JSON.parse(moved.body)]).toEqual([502, { error: "upstream answered with a redirect, which the gateway does not follow" }]);
    expect(upstream.seen.map((s) => s.path)).toEqual(["/v1/moved"]);
  });

  it("an upstream that does not answer gets 504; one that stalls mid-body gets the connection cut", async () => {
    const silent = await startServer(() => undefined);
    const g1 = await gateway({ upstream: silent.url, timeoutMs: 200 });
    expect((await raw(`${g1.url}/v1/status`)).status).toBe(504);
    const stalling = await startServer((_q, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: 1\n\n");
    });
    const g2 = await gateway({ upstream: stalling.url, timeoutMs: 200 });
    await expect(raw(`${g2.url}/v1/chat/completions`, { method: "POST", body: "{}" })).rejects.toThrow(/aborted|socket hang up|ECONNRESET/);
  }, 15_000);
});

describe("through the gateway to the devnet", () => {
  let devnet: Devnet;
  const signer = signerFromPrivateKey(keyVectors[2]!.privateKeyHex);
  beforeAll(async () => {
    devnet = await startDevnet();
    await fetch(`${devnet.url}/v1/participants`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ address: signer.address, pub_key: Buffer.from(signer.publicKey).toString("base64") }),
    });
  });
  afterAll(async () => {
    await devnet?.stop();
  });

  it("a signed request through the gateway is accepted by the devnet's transfer agent", async () => {
    const g = await gateway({ upstream: devnet.url });
    const f = gonkaFetch({ signer, endpoints: [{ url: g.url, address: devnet.participant.address }] });
    const model = devnet.chain.models()[0]!.id;
    const res = await f(`${g.url}/v1/chat/completions`, { method: "POST", body: JSON.stringify({ model, messages: [{ role: "user", content: "Hello" }], max_tokens: 8 }) });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { id: string; choices: { message: { content: string } }[] };
    const recorded = devnet.state.inferences.get(answer.id)!;
    expect([recorded.requestedBy, recorded.transferredBy]).toEqual([signer.address, devnet.participant.address]);
    expect(answer.choices[0]!.message.content.length).toBeGreaterThan(0);
  });
});

describe("gonka gateway (CLI)", () => {
  it("prints its URL as JSON, serves the preflight, and stops on SIGINT; --bearer-env needs a set variable", async () => {
    const upstream = await startServer((_q, res) => json(res, 200, { status: "ok" }));
    const child = spawn(resolve(repo, "node_modules/.bin/tsx"), ["src/cli/main.ts", "gateway", "--listen", "127.0.0.1:0", "--upstream", upstream.url, "--allow-origin", APP, "--json"], {
      cwd: repo,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const info = await new Promise<{ url: string; upstream: string; credential: string }>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no output: ${err}`)), 30_000);
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        try {
          const parsed = JSON.parse(out) as { url: string; upstream: string; credential: string };
          clearTimeout(timer);
          ok(parsed);
        } catch {
          /* not complete yet */
        }
      });
    });
    expect([info.upstream, info.credential]).toEqual([upstream.url, "none"]);
    const pre = await raw(`${info.url}/v1/chat/completions`, { method: "OPTIONS", headers: { origin: APP, "access-control-request-method": "POST" } });
    expect([pre.status, pre.headers["access-control-allow-origin"]]).toEqual([204, APP]);
    expect(JSON.parse((await raw(`${info.url}/v1/status`, { headers: { origin: APP } })).body)).toEqual({ status: "ok" });
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(err).toMatch(/GET \/v1\/status → 200 \(origin http:\/\/127\.0\.0\.1:5173\)/);

    const bad = spawn(resolve(repo, "node_modules/.bin/tsx"), ["src/cli/main.ts", "gateway", "--allow-origin", APP, "--bearer-env", "GONKA_TEST_UNSET_VAR"], {
      cwd: repo,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, GONKA_TEST_UNSET_VAR: "" },
    });
    let badErr = "";
    bad.stderr.on("data", (d: Buffer) => (badErr += d.toString()));
    expect(await new Promise((r) => bad.on("exit", (code) => r(code)))).toBe(2);
    expect(badErr).toMatch(/GONKA_TEST_UNSET_VAR is empty or not set/);
  }, 60_000);
});
