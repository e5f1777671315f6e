/**
 * Drive an MLNode directly: read its mode and PoW status, check vLLM health, and — with `--pow` —
 * run a short PoC generation, receiving the nonces through a local callback server.
 *
 *   npx tsx examples/mlnode-client.ts --url http://10.0.0.5:8080 [--inference-url http://10.0.0.5:5000]
 *   npx tsx examples/mlnode-client.ts --url http://10.0.0.5:8080 --pow --callback-host 10.0.0.2
 *
 * or set GONKA_MLNODE_URL. With neither it starts the local devnet (`gonka-sdk/devnet`) and uses its MLNode. `--pow` stops whatever the node is doing (inference!) first: only use it on
 * a node that is not serving the network.
 */
import { parseArgs } from "node:util";
import {
  createMlNodeClient,
  DEFAULT_BATCH_SIZE,
  DEFAULT_FRAUD_THRESHOLD,
  DEFAULT_R_TARGET,
  HttpError,
  MAINNET_POW_PARAMS,
  type ProofBatch,
} from "gonka-sdk/mlnode";
import { createPocCallbackServer } from "gonka-sdk/mlnode/node";
import { GonkaError } from "gonka-sdk";
import { startDevnet, type Devnet } from "gonka-sdk/devnet";

let devnet: Devnet | undefined;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      "inference-url": { type: "string" },
      pow: { type: "boolean", default: false },
      "callback-host": { type: "string" },
      seconds: { type: "string", default: "30" },
    },
  });
  let url = values.url ?? process.env.GONKA_MLNODE_URL;
  if (!url) {
    devnet = await startDevnet();
    url = devnet.mlnodeUrl;
    console.log(`No MLNode given (--url or GONKA_MLNODE_URL): using a local devnet's, ${url}`);
  }
  const mlnode = createMlNodeClient({ baseUrl: url, ...(values["inference-url"] ? { inferenceUrl: values["inference-url"] } : {}) });

  const { state } = await mlnode.state();
  console.log(`mode: ${state}`);
  console.log(`vLLM healthy (${mlnode.inferenceUrl}/health): ${await mlnode.health()}`);
  try {
    console.log("PoW status:", await mlnode.pow.status());
  } catch (err) {
    if (err instanceof HttpError && err.status === 409) console.log(`PoW status refused while in ${state} mode (409)`);
    else throw err;
  }
  if (!values.pow) return;

  const batches: ProofBatch[] = [];
  const callbacks = await createPocCallbackServer({
    host: values["callback-host"] ? "0.0.0.0" : "127.0.0.1",
    ...(values["callback-host"] ? { publicHost: values["callback-host"] } : {}),
    onGenerated: (batch) => {
      batches.push(batch);
      console.log(`  + ${batch.nonces.length} nonces from node ${batch.node_id}`);
    },
  });
  try {
    await mlnode.stop();
    const publicKey = "02" + "11".repeat(32); // any 33-byte compressed key in hex; use your participant's key for real PoC
    const started = await mlnode.pow.initGenerate({
      node_id: 0,
      node_count: 1,
      block_hash: "A".repeat(64),
      block_height: 1,
      public_key: publicKey,
      batch_size: DEFAULT_BATCH_SIZE,
      r_target: DEFAULT_R_TARGET,
      fraud_threshold: DEFAULT_FRAUD_THRESHOLD,
      params: MAINNET_POW_PARAMS,
      url: callbacks.url,
    });
    console.log(`generating (${started.pow_status.status}); callbacks at ${callbacks.url}`);
    await new Promise((r) => setTimeout(r, Number(values.seconds) * 1000));
    const stopped = await mlnode.pow.stop();
    console.log("stopped:", stopped.pow_status);
    console.log(`received ${batches.reduce((n, b) => n + b.nonces.length, 0)} nonces in ${batches.length} callbacks`);
  } finally {
    await callbacks.close();
  }
}

main()
  .catch((err: unknown) => {
    console.error(err instanceof GonkaError ? err.message : err);
    process.exitCode = 1;
  })
  .finally(() => devnet?.stop());
