/**
 * Operate a network node's MLNodes through its admin API (port 9200, private network only):
 * list nodes with their state, show the upgrade status and the price proposal, and — with `--add` —
 * register an MLNode.
 *
 *   npx tsx examples/admin-client.ts --url http://127.0.0.1:9200
 *   npx tsx examples/admin-client.ts --url http://127.0.0.1:9200 --add node2 --host 10.0.0.6 --model Qwen/Qwen2.5-7B-Instruct
 *
 * or set GONKA_ADMIN_URL. With neither it starts the local devnet (`gonka-sdk/devnet`) and uses its admin API.
 */
import { parseArgs } from "node:util";
import { createAdminClient, HttpError } from "gonka-sdk/admin";
import { GonkaError } from "gonka-sdk";
import { startDevnet, type Devnet } from "gonka-sdk/devnet";

let devnet: Devnet | undefined;

/** Routes that older (or embedded) nodes lack answer 404/405: report that instead of failing. */
async function optional<T>(call: () => Promise<T>): Promise<T | string> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof HttpError && (err.status === 404 || err.status === 405)) return `not available on this node (HTTP ${err.status})`;
    throw err;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      add: { type: "string" },
      host: { type: "string" },
      model: { type: "string", default: "Qwen/Qwen2.5-7B-Instruct" },
    },
  });
  let url = values.url ?? process.env.GONKA_ADMIN_URL;
  if (!url) {
    devnet = await startDevnet();
    url = devnet.adminUrl;
    console.log(`No admin API given (--url or GONKA_ADMIN_URL): using a local devnet's, ${url}`);
  }
  const admin = createAdminClient({ baseUrl: url });

  if (values.add) {
    if (!values.host) throw new Error("--add needs --host <mlnode host>");
    const config = await admin.nodes.create({
      id: values.add,
      host: values.host,
      inference_port: 5000,
      poc_port: 8080,
      max_concurrent: 500,
      models: { [values.model]: { args: [] } },
    });
    console.log(`registered ${config.id} at ${config.host}`);
  }

  const nodes = await admin.nodes.list();
  console.log(`${nodes.length} MLNode(s):`);
  for (const { node, state } of nodes) {
    const enabled = state.admin_state?.enabled ? "enabled" : "disabled";
    console.log(`  ${node.id} #${node.node_num ?? 0} ${node.host}:${node.poc_port} ${state.current_status ?? "?"} → ${state.intended_status ?? "?"} (${enabled}) ${state.failure_reason ?? ""}`);
  }
  console.log("upgrade status:", await optional(() => admin.nodes.upgradeStatus()));
  console.log("unit-of-compute price proposal:", await optional(() => admin.unitOfComputePrice.get()));
}

main()
  .catch((err: unknown) => {
    console.error(err instanceof GonkaError ? err.message : err);
    process.exitCode = 1;
  })
  .finally(() => devnet?.stop());
