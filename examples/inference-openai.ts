/**
 * The `openai` package talking to Gonka through `gonkaFetch`: every request is signed with the
 * developer's key for an allow-listed transfer agent and fails over to another one on 429 / 5xx /
 * network errors (or, with a broker key, goes to that broker only).
 *
 *   npx tsx examples/inference-openai.ts
 *
 * With no configuration it starts the local devnet (`gonka-sdk/devnet`, whose transfer agent
 * verifies signatures, timestamps and replays and answers with a deterministic fake model); with
 * GONKA_LOCAL_TAS=1 it starts two `createLocalTransferAgent`s instead, the first one "over
 * capacity", to show failover. To use a real node instead set:
 *
 *   GONKA_PRIVATE_KEY=<64 hex digits>           the requester key (its account must have a pubkey on chain)
 *   GONKA_SOURCE_URL=http://node2.gonka.ai:8000  discover transfer agents from this node, or
 *   GONKA_ENDPOINTS="http://host:8000;gonka1…,…" fixed transfer agents ("url;address" pairs)
 *   GONKA_MODEL=Qwen/QwQ-32B                     a model served this epoch
 *   GONKA_API_KEY=… GONKA_BROKER_URL=https://…   (instead of a private key) a broker's or devshard
 *                                                gateway's Bearer key; it is sent to that URL only
 */
import OpenAI from "openai";
import {
  gonkaFetch,
  gonkaFetchOptionsFromEnv,
  signerFromPrivateKey,
  type GonkaFetchOptions,
} from "gonka-sdk/inference";
import { createLocalTransferAgent, type LocalTransferAgent } from "gonka-sdk/inference/node";
import { startDevnet, type Devnet } from "gonka-sdk/devnet";

async function main(): Promise<void> {
  const env = process.env;
  const configured = env.GONKA_SOURCE_URL !== undefined || env.GONKA_ENDPOINTS !== undefined || env.GONKA_BROKER_URL !== undefined;
  let local: LocalTransferAgent[] = [];
  let devnet: Devnet | undefined;
  let options: GonkaFetchOptions;
  const model = env.GONKA_MODEL ?? "Qwen/QwQ-32B";

  if (configured) {
    options = gonkaFetchOptionsFromEnv(env);
    console.log(`Using ${env.GONKA_BROKER_URL ?? env.GONKA_SOURCE_URL ?? env.GONKA_ENDPOINTS}`);
  } else if (!env.GONKA_LOCAL_TAS) {
    devnet = await startDevnet({ models: [{ id: model, unitsOfComputePerToken: 100n, hfRepo: model, proposedBy: "genesis" }] });
    console.log(`No GONKA_SOURCE_URL / GONKA_ENDPOINTS set: started a local devnet at ${devnet.url}.\n`);
    const signer = signerFromPrivateKey(crypto.getRandomValues(new Uint8Array(32))); // a throwaway key, never printed
    // a developer account needs its pubkey on chain: the public API's "unfunded participant" registration
    await globalThis.fetch(`${devnet.url}/v1/participants`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ address: signer.address, pub_key: Buffer.from(signer.publicKey).toString("base64") }),
    });
    options = { signer, sourceUrl: devnet.url };
  } else {
    console.log("No GONKA_SOURCE_URL / GONKA_ENDPOINTS set: starting two local transfer agents on loopback.");
    console.log("(See the header of this file to point it at a real node.)\n");
    const key = crypto.getRandomValues(new Uint8Array(32)); // a throwaway key, never printed
    const signer = signerFromPrivateKey(key);
    const accounts = { [signer.address]: signer.publicKey };
    // The first TA is "over capacity" once, so the request fails over to the second.
    local = [
      await createLocalTransferAgent({ accounts, capacityRejections: 1, models: [model] }),
      await createLocalTransferAgent({ accounts, models: [model], streamDelayMs: 60, reply: () => "Hello from a signed request on loopback." }),
    ];
    options = { signer, endpoints: local.map((t) => t.agent), strategy: "ordered" };
  }

  const fetch = gonkaFetch({
    ...options,
    onAttempt: (a) =>
      console.log(`  attempt ${a.attempt} → ${a.agent.url}: ${a.status ?? String(a.error)}${a.willRetry ? (a.status === 400 ? " (clock re-synced, retrying)" : " (trying the next TA)") : ""}`),
  });
  if (fetch.address) console.log(`Requester: ${fetch.address}`);
  const agents = await fetch.transferAgents();
  console.log(`Transfer agents: ${agents.length}`);
  const openai = new OpenAI({ baseURL: `${agents[0]?.url ?? "http://gonka.invalid"}/v1`, apiKey: "signed-by-gonkaFetch", fetch });

  try {
    console.log("\nchat.completions.create:");
    const t0 = performance.now();
    const done = await openai.chat.completions.create({ model, messages: [{ role: "user", content: "Say hello in five words." }], max_tokens: 32 });
    console.log(`  ${JSON.stringify(done.choices[0]?.message.content)} (${(performance.now() - t0).toFixed(0)} ms, inference id ${done.id.slice(0, 16)}…)`);

    console.log("\nstreaming:");
    const stream = await openai.chat.completions.create({ model, messages: [{ role: "user", content: "Count to five." }], max_tokens: 32, stream: true });
    process.stdout.write("  ");
    for await (const chunk of stream) {
      process.stdout.write(chunk.choices[0]?.delta?.content ?? "");
      if (chunk.usage) process.stdout.write(`\n  usage: ${JSON.stringify(chunk.usage)}`);
    }
    process.stdout.write("\n");
  } finally {
    await Promise.all(local.map((t) => t.close()));
    await devnet?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
