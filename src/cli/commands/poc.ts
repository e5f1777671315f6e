/** `gonka poc` (being wired to its module). */
import type { CommandSpec } from "../command.js";
import { CliFailure } from "../errors.js";

/** The `poc` command group. */
export const pocCommand: CommandSpec = {
  name: "poc",
  summary: "poc commands (not available in this build yet)",
  async run() {
    throw new CliFailure("gonka poc is not available in this build yet");
  },
};
