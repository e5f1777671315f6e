#!/usr/bin/env node
/**
 * The `gonka` command line. Every command prints JSON with `--json`; errors are readable and
 * map to exit codes (see `gonka --help`).
 */
import { runCli } from "./dispatch.js";
import { rootCommand } from "./root.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

void runCli(rootCommand, process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTty: process.stderr.isTTY === true,
  env: process.env,
  readStdin,
}).then((code) => {
  process.exitCode = code;
});
