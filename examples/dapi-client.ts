/**
 * Read a network node's public API: the epoch phase, the active participants (transfer agents) with
 * their proof fields, models and prices, and an account.
 *
 *   npx tsx examples/dapi-client.ts --url http://node2.gonka.ai:8000 [--address gonka1…] [--inference <id>]
 *
 * or set GONKA_NODE_URL. With neither it starts the local devnet (`gonka-sdk/devnet`) and reads its public API.
 */
import { parseArgs } from "node:util";
import { createDapiClient } from "gonka-sdk/dapi";
import { GonkaError } from "gonka-sdk";
import { startDevnet, type Devnet } from "gonka-sdk/devnet";

let devnet: Devnet | undefined;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { url: { type: "string" }, address: { type: "string" }, inference: { type: "string" } } });
  let url = values.url ?? process.env.GONKA_NODE_URL;
  if (!url) {
    devnet = await startDevnet();
    url = devnet.url;
    console.log(`No node given (--url or GONKA_NODE_URL): using a local devnet, ${url}`);
  }
  const dapi = createDapiClient({ baseUrl: url });

  const epoch = await dapi.epochs.latest();
  console.log(`block ${epoch.block_height}, epoch ${epoch.latest_epoch.index ?? 0}, phase ${epoch.phase}, next PoC at ${epoch.epoch_stages?.next_poc_start ?? "?"}`);

  const current = await dapi.epochs.participants("current");
  const participants = current.active_participants.participants ?? [];
  console.log(`${participants.length} active participants (epoch ${current.active_participants.epoch_id ?? 0}); proof ops: ${current.proof_ops?.ops?.length ?? 0}`);
  for (const p of participants.slice(0, 5)) console.log(`  ${p.index} weight ${p.weight ?? 0} ${p.inference_url ?? ""} [${(p.models ?? []).join(", ")}]`);

  const pricing = await dapi.pricing.governance();
  for (const m of pricing.models ?? []) console.log(`  ${m.id}: ${m.price_per_token ?? 0} ngonka/token${m.utilization !== undefined ? `, utilization ${m.utilization}` : ""}`);

  if (values.address) {
    const account = await dapi.participants.get(values.address);
    console.log(`${values.address}: pubkey ${account.pubkey ?? "(none)"}, spendable ${account.balance ?? 0} ngonka`);
  }
  if (values.inference) console.log(await dapi.inferences.get(values.inference));
}

main()
  .catch((err: unknown) => {
    console.error(err instanceof GonkaError ? err.message : err);
    process.exitCode = 1;
  })
  .finally(() => devnet?.stop());
