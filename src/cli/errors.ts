/**
 * CLI errors and the mapping from any error to a process exit code.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | the operation failed (server error, failed check, unexpected error) |
 * | 2 | usage error: unknown command, bad flag or argument |
 * | 3 | the node could not be reached (connection refused, DNS, TLS) |
 * | 4 | the chain rejected a transaction (non-zero code, or refused it in simulation) |
 * | 5 | timed out (waiting for inclusion, for a server) |
 */
import { ChainTxError, NodeRequestError } from "../chain/index.js";
import { GonkaError, InvalidArgumentError, TimeoutError } from "../errors.js";

/** Exit codes of the `gonka` command. */
export const ExitCode = { ok: 0, failure: 1, usage: 2, unreachable: 3, rejected: 4, timeout: 5 } as const;

/** A command-line usage problem (exit code 2). */
export class CliUsageError extends InvalidArgumentError {
  override name = "CliUsageError";
  /** The command path whose help should be shown, e.g. `["tx", "vote"]`. */
  readonly command: string[];
  constructor(argument: string, problem: string, command: string[] = []) {
    super(argument, problem, { details: `Run \`gonka ${[...command, "--help"].join(" ")}\` for usage.` });
    this.command = command;
  }
}

/** A failed operation with a chosen exit code (e.g. a PoC validation that found fraud). */
export class CliFailure extends GonkaError {
  override name = "CliFailure";
  readonly exitCode: number;
  constructor(message: string, exitCode: number = ExitCode.failure, details?: string) {
    super(message, details === undefined ? {} : { details });
    this.exitCode = exitCode;
  }
}

function chainOf(err: unknown): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<unknown>();
  let cur: unknown = err;
  while (cur !== undefined && cur !== null && !seen.has(cur)) {
    seen.add(cur);
    out.push(cur);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}

/** The exit code for an error thrown by a command. */
export function exitCodeOf(err: unknown): number {
  const chain = chainOf(err);
  for (const e of chain) {
    if (e instanceof CliFailure) return e.exitCode;
    if (e instanceof CliUsageError || (e instanceof InvalidArgumentError && e === err)) return ExitCode.usage;
    if (e instanceof TimeoutError) return ExitCode.timeout;
    const name = (e as { name?: string }).name ?? "";
    if (/Timeout/.test(name)) return ExitCode.timeout;
    if (e instanceof ChainTxError) return ExitCode.rejected;
    // the node refused the tx while simulating it (e.g. "validator not jailed")
    if (e instanceof NodeRequestError && /\/simulate$/.test(e.endpoint) && e.status !== undefined) return ExitCode.rejected;
    if (name === "NetworkError") return ExitCode.unreachable;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH)$/.test(code)) return ExitCode.unreachable;
  }
  return ExitCode.failure;
}

/** `{ name, message, details }` of an error for `--json` output (never includes stack traces). */
export function errorJson(err: unknown): { name: string; message: string; meta?: string[]; details?: string; exitCode: number } {
  const exitCode = exitCodeOf(err);
  if (err instanceof GonkaError) {
    return {
      name: err.name,
      message: err.shortMessage,
      ...(err.metaMessages?.length ? { meta: err.metaMessages } : {}),
      ...(err.details ? { details: err.details } : {}),
      exitCode,
    };
  }
  if (err instanceof Error) return { name: err.name, message: err.message, exitCode };
  return { name: "Error", message: String(err), exitCode };
}
