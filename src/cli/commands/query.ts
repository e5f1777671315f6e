/** `gonka query` (being wired to its module). */
import type { CommandSpec } from "../command.js";
import { CliFailure } from "../errors.js";

/** The `query` command group. */
export const queryCommand: CommandSpec = {
  name: "query",
  summary: "query commands (not available in this build yet)",
  async run() {
    throw new CliFailure("gonka query is not available in this build yet");
  },
};
