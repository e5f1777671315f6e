import { describe, expect, it } from "vitest";
import {
  fetchAllowedTransferAddresses,
  fetchLatestBlockTimeNs,
  fetchTransferAgents,
  gonkaFetch,
  gonkaFetchOptionsFromEnv,
  InferenceApiError,
  parseTransferAgents,
} from "../../src/inference/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { keyVectors, requester } from "./fixtures.js";
import { chatBody, deadUrl, startTa } from "./local-ta.js";

describe("transfer agent discovery", () => {
  it("lists active participants from /v1/epochs/current/participants", async () => {
    const other = { url: "http://10.0.0.7:8000/", address: keyVectors[4]!.address, models: ["Qwen/QwQ-32B"] };
    const src = await startTa({ participants: [other] });
    const agents = await fetchTransferAgents({ sourceUrl: `${src.url}/` });
    expect(agents).toEqual([
      { url: src.url, address: src.address, models: ["local/echo"] },
      { url: "http://10.0.0.7:8000", address: other.address, models: ["Qwen/QwQ-32B"] },
    ]);
    expect((await fetchTransferAgents({ sourceUrl: src.url, model: "Qwen/QwQ-32B" })).map((a) => a.address)).toEqual([other.address]);
  });

  it("filters by the chain's allowed transfer addresses, or by a given list, or not at all", async () => {
    const allowed = keyVectors[4]!.address;
    const src = await startTa({ participants: [{ url: "http://10.0.0.7:8000", address: allowed }], allowedTransferAddresses: [allowed] });
    expect(await fetchAllowedTransferAddresses(src.url)).toEqual([allowed]);
    expect((await fetchTransferAgents({ sourceUrl: src.url })).map((a) => a.address)).toEqual([allowed]);
    expect((await fetchTransferAgents({ sourceUrl: src.url, allowedTransferAddresses: "none" })).length).toBe(2);
    expect((await fetchTransferAgents({ sourceUrl: src.url, allowedTransferAddresses: [src.address] })).map((a) => a.url)).toEqual([src.url]);
    const open = await startTa();
    expect(await fetchAllowedTransferAddresses(open.url)).toBeNull();
  });

  it("reads the latest block time from /chain-rpc/status", async () => {
    const src = await startTa({ blockTimeNs: () => 1763726400123456789n });
    expect(await fetchLatestBlockTimeNs(src.url)).toBe(1763726400123456789n);
  });

  it("reports failures as InferenceApiError with the URL and status", async () => {
    const src = await startTa();
    const err = await fetchTransferAgents({ sourceUrl: `${src.url}/nothing` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InferenceApiError);
    expect((err as InferenceApiError).status).toBe(404);
    expect((err as InferenceApiError).url).toBe(`${src.url}/nothing/v1/epochs/current/participants`);
    const down = await fetchTransferAgents({ sourceUrl: await deadUrl() }).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(InferenceApiError);
    expect((down as InferenceApiError).status).toBeUndefined();
  });

  it("gonkaFetch with sourceUrl discovers, syncs the clock, and uses the TA address of each participant", async () => {
    const second = await startTa();
    const src = await startTa({ participants: [second.agent], capacityRejections: 1 });
    const f = gonkaFetch({ privateKey: requester.privateKeyHex, sourceUrl: src.url, strategy: "ordered", allowedTransferAddresses: "none" });
    expect((await f.transferAgents()).map((a) => a.address)).toEqual([src.address, second.address]);
    const res = await f("http://gonka.invalid/v1/chat/completions", { method: "POST", body: chatBody("hi") });
    expect(res.status).toBe(200);
    expect(src.requests.map((r) => `${r.path}:${r.status}`)).toEqual([
      "/v1/epochs/current/participants:200",
      "/chain-rpc/status:200",
      "/v1/chat/completions:429",
    ]);
    expect(second.requests[0]!.headers["x-transfer-address"]).toBe(second.address);
  });
});

describe("endpoint parsing", () => {
  it("parses the GONKA_ENDPOINTS format and normalises URLs", () => {
    const [a, b] = keyVectors.map((k) => k.address);
    expect(parseTransferAgents(`http://1.2.3.4:8000/v1;${a}, https://ta.example/api/;${b}`)).toEqual([
      { url: "http://1.2.3.4:8000", address: a },
      { url: "https://ta.example/api", address: b },
    ]);
  });
  it("requires an address per signed endpoint and an absolute URL", () => {
    expect(() => parseTransferAgents("http://1.2.3.4:8000")).toThrow(InvalidArgumentError);
    expect(() => parseTransferAgents([{ url: "http://1.2.3.4:8000", address: "" }])).toThrow(/address/);
    expect(() => parseTransferAgents(`not a url;${keyVectors[0]!.address}`)).toThrow(/absolute URL/);
    expect(() => gonkaFetch({ privateKey: requester.privateKeyHex })).toThrow(InvalidArgumentError);
  });
});

describe("options from the environment", () => {
  it("reads GONKA_PRIVATE_KEY / GONKA_API_KEY with GONKA_ENDPOINTS / GONKA_SOURCE_URL / GONKA_MODEL", () => {
    const endpoints = `http://1.2.3.4:8000;${keyVectors[1]!.address}`;
    expect(gonkaFetchOptionsFromEnv({ GONKA_PRIVATE_KEY: requester.privateKeyHex, GONKA_ENDPOINTS: endpoints })).toEqual({
      privateKey: requester.privateKeyHex,
      endpoints,
    });
    expect(gonkaFetchOptionsFromEnv({ GONKA_API_KEY: "k", GONKA_BROKER_URL: "https://broker.example/v1", GONKA_MODEL: "m" })).toEqual({
      apiKey: "k",
      brokerUrl: "https://broker.example/v1",
    });
    // a Bearer key never goes to discovered participants: GONKA_SOURCE_URL alone is refused
    expect(() => gonkaFetchOptionsFromEnv({ GONKA_API_KEY: "k", GONKA_SOURCE_URL: "http://n:8000" })).toThrow(/GONKA_BROKER_URL/);
    expect(() => gonkaFetchOptionsFromEnv({ GONKA_API_KEY: "k", GONKA_PRIVATE_KEY: requester.privateKeyHex, GONKA_SOURCE_URL: "http://n:8000" })).toThrow(/not both/);
    const err = (() => {
      try {
        gonkaFetchOptionsFromEnv({ GONKA_PRIVATE_KEY: requester.privateKeyHex });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toMatch(/GONKA_SOURCE_URL or GONKA_ENDPOINTS/);
    expect(err?.message).not.toContain(requester.privateKeyHex.slice(0, 16));
    expect(() => gonkaFetchOptionsFromEnv({ GONKA_SOURCE_URL: "http://n:8000" })).toThrow(/GONKA_PRIVATE_KEY/);
  });
});
