/** `gonka tx` (being wired to its module). */
import type { CommandSpec } from "../command.js";
import { CliFailure } from "../errors.js";

/** The `tx` command group. */
export const txCommand: CommandSpec = {
  name: "tx",
  summary: "tx commands (not available in this build yet)",
  async run() {
    throw new CliFailure("gonka tx is not available in this build yet");
  },
};
