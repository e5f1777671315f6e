/** The `gonka` command tree. */
import type { CommandSpec } from "./command.js";
import { adminCommand } from "./commands/admin.js";
import { devnetCommand } from "./commands/devnet.js";
import { gatewayCommand } from "./commands/gateway.js";
import { keysCommand } from "./commands/keys.js";
import { mlnodeCommand } from "./commands/mlnode.js";
import { networkCommand } from "./commands/network.js";
import { pocCommand } from "./commands/poc.js";
import { queryCommand } from "./commands/query.js";
import { txCommand } from "./commands/tx.js";

/** The root command. */
export const rootCommand: CommandSpec = {
  name: "gonka",
  summary: "the Gonka network from the command line: keys, transactions, queries, operator APIs, Proof-of-Compute and a local devnet",
  subcommands: [keysCommand, txCommand, queryCommand, networkCommand, adminCommand, mlnodeCommand, pocCommand, devnetCommand, gatewayCommand],
  examples: [
    "gonka devnet",
    "gonka keys add operator",
    "gonka tx vote 2 yes --from operator --node http://node2.gonka.ai:8000",
    "gonka query participants --json",
    "gonka poc simulate --nonces 8",
  ],
};
