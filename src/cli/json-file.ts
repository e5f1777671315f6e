/** Reading JSON arguments: a file path, `-` for stdin, or inline JSON starting with `{` or `[`. */
import { readFile } from "node:fs/promises";
import type { CommandContext } from "./command.js";
import { CliUsageError } from "./errors.js";

/** Parses a JSON argument (path, `-` = stdin, or inline JSON). */
export async function readJsonArg(ctx: CommandContext, arg: string | undefined, what: string): Promise<unknown> {
  if (arg === undefined) throw new CliUsageError(what, "missing (give a JSON file path, - for stdin, or inline JSON)", ctx.path);
  let text: string;
  if (arg === "-") {
    if (!ctx.io.readStdin) throw new CliUsageError(what, "stdin is not available", ctx.path);
    text = await ctx.io.readStdin();
  } else if (/^\s*[[{]/.test(arg)) {
    text = arg;
  } else {
    try {
      text = await readFile(arg, "utf8");
    } catch (e) {
      throw new CliUsageError(what, `cannot read the file given (${(e as { code?: string }).code ?? "read error"})`, ctx.path);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    // The parser's message quotes the text; a key or mnemonic file given by mistake must not show.
    const at = /position (\d+)/.exec(e instanceof Error ? e.message : "")?.[1];
    throw new CliUsageError(what, `not valid JSON${at !== undefined ? ` (at character ${at})` : ""}; check that it is the JSON file meant here`, ctx.path);
  }
}
