/**
 * The `gonka` dispatcher: finds the command in the argument list, parses its options with
 * `node:util` `parseArgs`, runs it, prints readable errors and returns the exit code.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { CommandContext, CommandSpec, GlobalFlags, OptionSpec } from "./command.js";
import { CliUsageError, errorJson, ExitCode, exitCodeOf, scrubMessage } from "./errors.js";
import { Output, type CliIo } from "./output.js";
import { VERSION } from "./version.js";

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: "boolean", description: "print the result as JSON on stdout" },
  quiet: { type: "boolean", short: "q", description: "no progress lines on stderr" },
  node: { type: "string", placeholder: "<url>", description: "public node URL (env GONKA_NODE, default http://127.0.0.1:8000)" },
  "chain-id": { type: "string", placeholder: "<id>", description: "chain id (env GONKA_CHAIN_ID; default: the node's own, from /chain-rpc/status)" },
  admin: { type: "string", placeholder: "<url>", description: "admin API URL (env GONKA_ADMIN_URL, default http://127.0.0.1:9200)" },
  mlnode: { type: "string", placeholder: "<url>", description: "MLNode URL (env GONKA_MLNODE_URL, default http://127.0.0.1:8080)" },
  home: { type: "string", placeholder: "<dir>", description: "keyring directory (env GONKA_HOME, default ~/.gonka)" },
  from: { type: "string", placeholder: "<key>", description: "key name or address that signs (env GONKA_FROM)" },
  "keyring-dir": { type: "string", placeholder: "<dir>", description: "use the network node's keyring in <dir>/keyring-file, as inferenced --keyring-dir (env GONKA_KEYRING_DIR)" },
  "keyring-backend": { type: "string", placeholder: "<file|test>", description: "with --keyring-dir: file (default) or test" },
  "password-fd": { type: "string", placeholder: "<n>", description: "read the keyring password from file descriptor n (else KEYRING_PASSWORD, else a prompt)" },
  password: { type: "string", placeholder: "<pw>", description: "keyring password on the command line (warns: it lands in shell history)" },
  timeout: { type: "string", placeholder: "<ms>", description: "time limit for waiting, in ms, 1 to 2147483647 (default 60000)" },
  help: { type: "boolean", short: "h", description: "show help" },
};

function optionLine(name: string, o: OptionSpec): string[] {
  return [`${o.short ? `-${o.short}, ` : "    "}--${name}${o.placeholder ? ` ${o.placeholder}` : ""}`, o.description];
}

function pad(rows: string[][]): string[] {
  const w = Math.max(0, ...rows.map((r) => r[0]!.length));
  return rows.map((r) => `  ${r[0]!.padEnd(w)}  ${r[1]}`);
}

/** Help text of a command. */
export function helpText(root: CommandSpec, path: string[], cmd: CommandSpec): string {
  const name = ["gonka", ...path].join(" ");
  const lines = [`${name}${cmd.subcommands ? " <command>" : ""}${cmd.usage ? ` ${cmd.usage}` : ""}${cmd === root ? "" : " [options]"}`, "", cmd.description ?? cmd.summary, ""];
  if (cmd.subcommands?.length) {
    lines.push("Commands:", ...pad(cmd.subcommands.map((s) => [s.name + (s.usage ? ` ${s.usage}` : ""), s.summary])), "");
  }
  if (cmd.options && Object.keys(cmd.options).length) {
    lines.push("Options:", ...pad(Object.entries(cmd.options).map(([n, o]) => optionLine(n, o))), "");
  }
  lines.push("Global options:", ...pad(Object.entries(GLOBAL_OPTIONS).map(([n, o]) => optionLine(n, o))), "");
  if (cmd.examples?.length) lines.push("Examples:", ...cmd.examples.map((e) => `  ${e}`), "");
  if (cmd === root) lines.push("Exit codes: 0 ok, 1 failed, 2 usage, 3 node unreachable, 4 tx rejected by the chain, 5 timed out.", "");
  return lines.join("\n");
}

function toParseArgsOptions(specs: Record<string, OptionSpec>): NonNullable<ParseArgsConfig["options"]> {
  const out: NonNullable<ParseArgsConfig["options"]> = {};
  for (const [name, o] of Object.entries(specs)) {
    out[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  return out;
}

function findCommand(root: CommandSpec, argv: string[]): { cmd: CommandSpec; path: string[]; rest: string[] } {
  let cmd = root;
  const path: string[] = [];
  const rest: string[] = [];
  let i = 0;
  let positionalSeen = false;
  while (i < argv.length) {
    const tok = argv[i]!;
    if (tok === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    if (tok.startsWith("-")) {
      rest.push(tok);
      const name = tok.replace(/^-+/, "");
      const all = { ...GLOBAL_OPTIONS, ...(cmd.options ?? {}) };
      const spec = tok.startsWith("--") ? all[name] : Object.values(all).find((o) => o.short === name);
      if (spec?.type === "string" && !tok.includes("=") && i + 1 < argv.length) rest.push(argv[++i]!);
      i++;
      continue;
    }
    const sub = !positionalSeen ? cmd.subcommands?.find((s) => s.name === tok) : undefined;
    if (sub) {
      cmd = sub;
      path.push(tok);
    } else {
      positionalSeen = true;
      rest.push(tok);
    }
    i++;
  }
  return { cmd, path, rest };
}

function globalsFrom(values: Record<string, unknown>, env: Record<string, string | undefined>): GlobalFlags {
  const str = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);
  const timeout = str("timeout") ?? "60000";
  if (!/^\d+$/.test(timeout)) throw new CliUsageError("--timeout", `expected milliseconds, got "${timeout}"`);
  // 0 would mean "never" to some waits and "at once" to others; above 2^31-1 ms timers fire at once.
  if (Number(timeout) < 1 || Number(timeout) > 2_147_483_647) {
    throw new CliUsageError("--timeout", `expected milliseconds from 1 to 2147483647 (about 24.8 days), got ${timeout}`);
  }
  const trim = (u: string) => u.replace(/\/+$/, "");
  return {
    json: values.json === true,
    quiet: values.quiet === true,
    node: trim(str("node") ?? env.GONKA_NODE ?? "http://127.0.0.1:8000"),
    ...(str("chain-id") ?? env.GONKA_CHAIN_ID ? { chainId: str("chain-id") ?? env.GONKA_CHAIN_ID } : {}),
    admin: trim(str("admin") ?? env.GONKA_ADMIN_URL ?? "http://127.0.0.1:9200"),
    mlnode: trim(str("mlnode") ?? env.GONKA_MLNODE_URL ?? "http://127.0.0.1:8080"),
    home: str("home") ?? env.GONKA_HOME ?? `${env.HOME ?? "."}/.gonka`,
    from: str("from") ?? env.GONKA_FROM,
    timeoutMs: Number(timeout),
  };
}

/**
 * Runs the `gonka` command for `argv` (without the node and script path) and returns the exit code.
 *
 * @example
 * ```ts
 * const code = await runCli(root, ["query", "epoch", "--json"], { stdout: console.log, stderr: console.error });
 * ```
 */
export async function runCli(root: CommandSpec, argv: string[], io: CliIo): Promise<number> {
  const env = io.env ?? process.env;
  const wantsJson = argv.includes("--json");
  let path: string[] = [];
  try {
    if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
      io.stdout(`${VERSION}\n`);
      return ExitCode.ok;
    }
    const found = findCommand(root, argv);
    path = found.path;
    const { cmd } = found;
    let parsed: { values: Record<string, unknown>; positionals: string[] };
    try {
      parsed = parseArgs({
        args: found.rest,
        options: toParseArgsOptions({ ...GLOBAL_OPTIONS, ...(cmd.options ?? {}) }),
        allowPositionals: true,
        strict: true,
      }) as { values: Record<string, unknown>; positionals: string[] };
    } catch (e) {
      throw new CliUsageError("arguments", e instanceof Error ? e.message.split("\n")[0]! : String(e), path);
    }
    if (parsed.values.help === true || (!cmd.run && parsed.positionals.length === 0)) {
      io.stdout(`${helpText(root, path, cmd)}\n`);
      return cmd.run || parsed.values.help === true || cmd === root ? ExitCode.ok : ExitCode.usage;
    }
    if (!cmd.run) {
      // A word that is not a command name is not repeated (it may be a mnemonic or key typed in the wrong place).
      const given = parsed.positionals[0] ?? "";
      const shown = /^[a-z][a-z0-9-]{0,30}$/.test(given) ? `"${given}"` : `(an argument of ${given.length} characters)`;
      throw new CliUsageError("command", `unknown command ${shown}${path.length ? ` for "gonka ${path.join(" ")}"` : ""}`, path);
    }
    const global = globalsFrom(parsed.values, env);
    const out = new Output(io, global.json, global.quiet);
    const ctx: CommandContext = { args: parsed.positionals, flags: parsed.values as CommandContext["flags"], global, out, io, path };
    await cmd.run(ctx);
    return ExitCode.ok;
  } catch (e) {
    const info = errorJson(e);
    if (wantsJson) {
      io.stderr(`${JSON.stringify({ error: info })}\n`);
    } else {
      const lines = [`Error: ${info.message}`, ...(info.meta ?? [])];
      if (info.details) lines.push(info.details);
      const cause = e instanceof Error && e.cause instanceof Error ? scrubMessage(e.cause.message) : undefined;
      const inner = cause !== undefined && !info.message.includes(cause) ? cause : undefined;
      if (inner) lines.push(`Caused by: ${inner.split("\n")[0]}`);
      io.stderr(`${lines.join("\n")}\n`);
    }
    return exitCodeOf(e);
  }
}
