/** `gonka admin` (being wired to its module). */
import type { CommandSpec } from "../command.js";
import { CliFailure } from "../errors.js";

/** The `admin` command group. */
export const adminCommand: CommandSpec = {
  name: "admin",
  summary: "admin commands (not available in this build yet)",
  async run() {
    throw new CliFailure("gonka admin is not available in this build yet");
  },
};
