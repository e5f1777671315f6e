/**
 * Output of the `gonka` command: results on stdout (human text or `--json`), progress and
 * errors on stderr.
 */

/** Where the CLI writes; tests pass buffers. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress lines are redrawn in place then). */
  isTty?: boolean;
  /** Environment variables (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Reads all of stdin (for secrets piped in). */
  readStdin?: () => Promise<string>;
}

/** Converts SDK values (bigint, bytes, Map, Date) to plain JSON values. */
export function toPlainJson(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), toPlainJson(v)]));
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "$typeName" || v === undefined || typeof v === "function") continue;
      out[k] = toPlainJson(v);
    }
    return out;
  }
  return value;
}

/** Writes results and progress according to the global flags. */
export class Output {
  constructor(
    private readonly io: CliIo,
    /** `--json`: results as one JSON document on stdout. */
    readonly json: boolean,
    /** `--quiet`: no progress lines. */
    readonly quiet = false,
  ) {}

  /** Prints a result: JSON when `--json`, else the human text (a string or lines). */
  result(value: unknown, human?: () => string | string[]): void {
    if (this.json || !human) {
      this.io.stdout(`${JSON.stringify(toPlainJson(value), null, this.json ? 2 : 2)}\n`);
      return;
    }
    const text = human();
    this.io.stdout(`${Array.isArray(text) ? text.join("\n") : text}\n`);
  }

  /** A progress line on stderr (suppressed by `--quiet`). */
  progress(message: string): void {
    if (this.quiet) return;
    this.io.stderr(`${message}\n`);
  }

  /** A plain line on stdout, only in human mode. */
  line(message: string): void {
    if (!this.json) this.io.stdout(`${message}\n`);
  }
}

/** Formats rows as an aligned table. */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join("  "));
}
