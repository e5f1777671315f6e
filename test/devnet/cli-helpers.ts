/** Runs the `gonka` dispatcher in-process and captures its output. */
import { runCli } from "../../src/cli/dispatch.js";
import { rootCommand } from "../../src/cli/root.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function gonka(argv: string[], opts: { env?: Record<string, string | undefined>; stdin?: string } = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(rootCommand, argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { HOME: "/nonexistent", ...opts.env },
    readStdin: async () => opts.stdin ?? "",
  });
  return { code, stdout, stderr };
}
