/**
 * The shape of a `gonka` command: a tree of named commands, each with its options, and the
 * context a command's `run` receives.
 */
import type { CliIo, Output } from "./output.js";

/** One command-line option. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** One line for `--help`. */
  description: string;
  /** Shown in help, e.g. `<url>`. */
  placeholder?: string;
}

/** Flags every command accepts. */
export interface GlobalFlags {
  /** Print results as JSON on stdout. */
  json: boolean;
  /** Suppress progress lines. */
  quiet: boolean;
  /** Public node URL (`http://host:8000`): `/v1`, `/chain-api`, `/chain-rpc`, `/chain-grpc`. */
  node: string;
  /** Chain id (`--chain-id` / `GONKA_CHAIN_ID`); undefined = ask the node. */
  chainId?: string;
  /** Admin API base URL (`http://host:9200`). */
  admin: string;
  /** MLNode base URL (`http://host:8080`). */
  mlnode: string;
  /** Keyring directory. */
  home: string;
  /** Key name (or address) that signs. */
  from?: string;
  /** Time limit for waiting (ms). */
  timeoutMs: number;
}

/** What a command's `run` receives. */
export interface CommandContext {
  /** Positional arguments after the command path. */
  args: string[];
  /** Parsed options of the command. */
  flags: Record<string, string | boolean | string[] | undefined>;
  /** Global flags, with environment defaults applied. */
  global: GlobalFlags;
  /** Result/progress writer. */
  out: Output;
  /** Raw I/O (stdin, env). */
  io: CliIo;
  /** The command path, e.g. `["tx", "vote"]`. */
  path: string[];
}

/** A command or a group of subcommands. */
export interface CommandSpec {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Positional arguments as shown in usage, e.g. `<proposal-id> <yes|no|abstain|no_with_veto>`. */
  usage?: string;
  /** Longer help text. */
  description?: string;
  options?: Record<string, OptionSpec>;
  subcommands?: CommandSpec[];
  examples?: string[];
  run?: (ctx: CommandContext) => Promise<void>;
}

/** Reads a string flag. */
export function flagString(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.flags[name];
  return typeof v === "string" ? v : undefined;
}

/** Reads a boolean flag. */
export function flagBool(ctx: CommandContext, name: string): boolean {
  return ctx.flags[name] === true;
}
