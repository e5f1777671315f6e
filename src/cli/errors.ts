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
import { wordlist as english } from "@scure/bip39/wordlists/english.js";
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

const BIP39 = new Set(english);

/** Within a run of lowercase words, hides every stretch of 6+ consecutive BIP-39 words. */
function hideMnemonicRuns(run: string): string {
  const words = run.split(/\s+/);
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    let j = i;
    while (j < words.length && BIP39.has(words[j]!)) j++;
    if (j - i >= 6) {
      out.push(`[${j - i} words hidden]`);
      i = j;
    } else {
      out.push(...words.slice(i, Math.max(j, i + 1)));
      i = Math.max(j, i + 1);
    }
  }
  return out.join(" ");
}

/** How much of an error message that did not come from the SDK is shown. */
const RAW_MESSAGE_LIMIT = 200;

/**
 * A message of an error that did not come from the SDK (a raw `TypeError`, `SyntaxError`, …,
 * or a dependency's error), made safe to print: JavaScript's own messages quote the offending
 * value (`Cannot convert abandon abandon … to a BigInt`), which may be a key or mnemonic typed
 * in the wrong place. Runs that look like secrets — 32+ hex digits, 40+ base64 characters, six
 * or more BIP-39 words in a row (a mnemonic), PEM/armor blocks — are replaced by their length,
 * URLs lose their userinfo, and the result is cut to 200 characters.
 *
 * @example
 * ```ts
 * scrubMessage("Cannot convert abandon abandon abandon abandon abandon about to a BigInt");
 * // "Cannot convert [6 words hidden] to a BigInt"
 * ```
 */
export function scrubMessage(message: string): string {
  let m = message
    .replace(/-----BEGIN[^]*?(-----END[^-]*-----|$)/g, (b) => `[armored block of ${b.length} characters hidden]`)
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, "$1***@")
    .replace(/\b(?:0x)?[0-9a-fA-F]{32,}\b/g, (h) => `[${h.length} hex digits hidden]`)
    .replace(/[A-Za-z0-9+/_-]{40,}={0,2}/g, (b) => `[${b.length} characters hidden]`)
    .replace(/\b[a-z]{3,8}(?:\s+[a-z]{3,8}){5,}\b/g, hideMnemonicRuns);
  if (m.length > RAW_MESSAGE_LIMIT) m = `${m.slice(0, RAW_MESSAGE_LIMIT)}… (${m.length} characters)`;
  return m;
}

/**
 * `{ name, message, details }` of an error for `--json` output (never includes stack traces).
 * Errors of the SDK are shown as they are; any other error (a raw `TypeError` from a bug or an
 * unchecked argument, a dependency's error) is shown as `UnexpectedError` with its class and a
 * {@link scrubMessage scrubbed}, bounded message, and exit code 1.
 */
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
  const kind = err instanceof Error ? err.name || "Error" : typeof err;
  const text = err instanceof Error ? err.message : String(err);
  return {
    name: "UnexpectedError",
    message: `unexpected ${kind}: ${scrubMessage(text)}`,
    details: "This is a bug in gonka-sdk or an argument it did not check: please report it with the command line (without keys).",
    exitCode,
  };
}
