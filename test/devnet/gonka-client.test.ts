import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import poc from "../fixtures/poc.json";
import { createGonkaClient, InvalidArgumentError, type GonkaClient } from "../../src/index.js";
import { walletFromPrivateKey, type Wallet } from "../../src/chain/index.js";
import { startDevnet, type Devnet } from "../../src/devnet/index.js";

const KEY = "9e8ba689e9ced5459627b3689c88fd7c9ad4766eaf71abb0e8b57a83c0bcb74c"; // wire.json keys[0]
let devnet: Devnet;
let wallet: Wallet;
let gonka: GonkaClient;

beforeAll(async () => {
  devnet = await startDevnet({ blockTimeMs: 20 });
  wallet = walletFromPrivateKey(KEY);
  devnet.fund(wallet.address, 10n ** 12n);
  gonka = createGonkaClient({ url: devnet.url, chainId: devnet.chainId, wallet, adminUrl: devnet.adminUrl, mlnodeUrl: devnet.mlnodeUrl });
});
afterAll(async () => {
  gonka.close();
  await devnet.stop();
});

describe("createGonkaClient over the devnet", () => {
  it("reads the chain and the public API for the same state", async () => {
    expect(await gonka.chain.getBalance(wallet.address)).toBe(10n ** 12n);
    const active = await gonka.dapi.epochs.participants();
    expect(active.active_participants?.participants?.[0]?.index).toBe(devnet.participant.address);
  });

  it("sends a transaction with the wallet and sees it in the public API", async () => {
    const r = await gonka.chain.submitNewParticipant(wallet, { url: "http://10.1.1.1:8000", validatorKey: devnet.participant.validatorKey });
    expect(r.height).toBeGreaterThan(0n);
    const list = await gonka.dapi.participants.list();
    expect(list.participants?.map((p) => p.id)).toContain(wallet.address);
  });

  it("reaches the admin API and the MLNode", async () => {
    expect(await gonka.admin.nodes.list()).toEqual([]);
    expect((await gonka.mlnode.state()).state).toBe("STOPPED");
    const bare = createGonkaClient({ url: devnet.url });
    expect(() => bare.admin).toThrow(InvalidArgumentError);
    expect(() => bare.inference.fetch).toThrow(/wallet/);
    bare.close();
  });

  it("answers a signed chat completion through the openai package", async () => {
    const openai = new OpenAI({ baseURL: gonka.inference.baseUrl, apiKey: "unused", fetch: gonka.inference.fetch });
    const res = await openai.chat.completions.create({ model: "Qwen/Qwen2.5-7B-Instruct", messages: [{ role: "user", content: "ping from the client" }], max_tokens: 6 });
    expect(res.choices[0]!.message.content).toMatch(/^Echo: ping from the client/);
    const record = await gonka.dapi.inferences.get(res.id);
    expect(record.requested_by).toBe(wallet.address);
  });

  it("creates PoC engines that reproduce the golden distances", async () => {
    const tiny = poc.cases.find((c) => c.name === "tiny")!;
    const engine = await gonka.poc.createEngine({ params: tiny.params, blockHash: tiny.blockHash, publicKey: tiny.publicKey, backend: "cpu" });
    const d = await engine.distances([0, 1]);
    engine.destroy();
    expect(d[0]).toBeCloseTo(tiny.distances[0]!, 6);
    expect(d[1]).toBeCloseTo(tiny.distances[1]!, 6);
  });

  it("rejects a URL that is not http(s)", () => {
    expect(() => createGonkaClient({ url: "node2.gonka.ai:8000" })).toThrow(InvalidArgumentError);
  });
});
