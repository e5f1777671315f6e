import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VERSION } from "../../src/cli/version.js";
import { gonka } from "./cli-helpers.js";

describe("gonka CLI framework", () => {
  it("lists every command group in --help and exits 0", async () => {
    const r = await gonka(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["keys", "tx", "query", "admin", "mlnode", "poc", "devnet"]) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, "m"));
    expect(r.stdout).toContain("--json");
    expect(r.stdout).toContain("Exit codes:");
  });

  it("reports the package.json version", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect((await gonka(["--version"])).stdout.trim()).toBe(pkg.version);
  });

  it("gives a readable usage error and exit code 2 for an unknown command or flag", async () => {
    const unknown = await gonka(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Error: Invalid command: unknown command "frobnicate"/);
    expect(unknown.stderr).toContain("gonka --help");
    const badFlag = await gonka(["mlnode", "state", "--bogus"]);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain("--bogus");
    expect(badFlag.stderr).toContain("gonka mlnode state --help");
  });

  it("prints errors as JSON on stderr with --json", async () => {
    const r = await gonka(["devnet", "--poc", "tpu", "--json"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(JSON.parse(r.stderr)).toEqual({
      error: { name: "CliUsageError", message: 'Invalid --poc: expected cpu or webgpu, got "tpu"', details: "Run `gonka devnet --help` for usage.", exitCode: 2 },
    });
  });

  it("exits 3 with the URL in the message when the node is unreachable", async () => {
    const r = await gonka(["mlnode", "state", "--mlnode", "http://127.0.0.1:1", "--timeout", "2000"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("127.0.0.1:1");
  });

  it("shows a group's help when no subcommand is given", async () => {
    const r = await gonka(["mlnode"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("pow-status");
    expect((await gonka(["mlnode", "--help"])).code).toBe(0);
  });
});
