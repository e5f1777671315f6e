/** `gonka admin`: the network node's admin API (`--admin http://host:9200`). */
import { createAdminClient, type AdminClient, type InferenceNodeConfig } from "../../admin/index.js";
import type { CommandContext, CommandSpec } from "../command.js";
import { CliUsageError } from "../errors.js";
import { readJsonArg } from "../json-file.js";
import { table } from "../output.js";

function client(ctx: CommandContext): AdminClient {
  return createAdminClient({ baseUrl: ctx.global.admin, timeoutMs: ctx.global.timeoutMs });
}

function nodeId(ctx: CommandContext): string {
  const id = ctx.args[0];
  if (!id) throw new CliUsageError("node id", "missing", ctx.path);
  return id;
}

/** The `admin` command group. */
export const adminCommand: CommandSpec = {
  name: "admin",
  summary: "network node admin API: list, add, remove, enable and disable MLNodes",
  subcommands: [
    {
      name: "nodes",
      summary: "list registered MLNodes with their state",
      async run(ctx) {
        const nodes = await client(ctx).nodes.list();
        ctx.out.result(nodes, () =>
          table([
            ["ID", "HOST", "POC PORT", "ENABLED", "STATUS"],
            ...nodes.map((n) => [String(n.node.id ?? ""), String(n.node.host ?? ""), String(n.node.poc_port ?? ""), String(n.state.admin_state?.enabled ?? ""), String(n.state.current_status ?? "")]),
          ]),
        );
      },
    },
    {
      name: "add-node",
      summary: "register an MLNode (InferenceNodeConfig JSON file, - or inline)",
      usage: "<node.json>",
      examples: [`gonka admin add-node '{"id":"node1","host":"10.0.0.5","inference_port":5000,"poc_port":8080,"max_concurrent":500,"models":{"Qwen/Qwen2.5-7B-Instruct":{"args":[]}}}'`],
      async run(ctx) {
        const config = (await readJsonArg(ctx, ctx.args[0], "node config")) as InferenceNodeConfig;
        const created = await client(ctx).nodes.create(config);
        ctx.out.result(created, () => `registered ${created.id}`);
      },
    },
    {
      name: "remove-node",
      summary: "remove an MLNode",
      usage: "<id>",
      async run(ctx) {
        const removed = await client(ctx).nodes.remove(nodeId(ctx));
        ctx.out.result({ removed }, () => (removed ? "removed" : "no such node"));
      },
    },
    {
      name: "enable-node",
      summary: "enable an MLNode (now in the inference phase, else from the next epoch)",
      usage: "<id>",
      async run(ctx) {
        const r = await client(ctx).nodes.enable(nodeId(ctx));
        ctx.out.result(r, () => r.message);
      },
    },
    {
      name: "disable-node",
      summary: "disable an MLNode from the next epoch",
      usage: "<id>",
      async run(ctx) {
        const r = await client(ctx).nodes.disable(nodeId(ctx));
        ctx.out.result(r, () => r.message);
      },
    },
  ],
};
