import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/dispatch.js";
import type { CommandSpec } from "../../src/cli/command.js";
import { errorJson, scrubMessage } from "../../src/cli/errors.js";
import { InvalidArgumentError } from "../../src/errors.js";

const KEY_HEX = "1111111111111111111111111111111111111111111111111111111111111111";
const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

/** A root command whose one subcommand throws what it is told to. */
function rootThrowing(make: (arg: string) => unknown): CommandSpec {
  return {
    name: "gonka",
    summary: "test root",
    subcommands: [
      {
        name: "boom",
        summary: "throws",
        usage: "<value>",
        run: async (ctx) => {
          throw make(ctx.args[0] ?? "");
        },
      },
    ],
  };
}

async function run(root: CommandSpec, argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  const code = await runCli(root, argv, { stdout: () => {}, stderr: (t) => void (stderr += t), env: {} });
  return { code, stderr };
}

describe("the CLI never prints a raw error's secrets", () => {
  it("a raw SyntaxError quoting a mnemonic is shown as UnexpectedError without the words", async () => {
    const root = rootThrowing((a) => {
      try {
        return BigInt(a);
      } catch (e) {
        return e;
      }
    });
    const r = await run(root, ["boom", MNEMONIC]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unexpected SyntaxError: Cannot convert [12 words hidden] to a BigInt");
    expect(r.stderr).not.toContain("abandon");
    const j = await run(root, ["boom", MNEMONIC, "--json"]);
    const parsed = JSON.parse(j.stderr) as { error: { name: string; message: string } };
    expect(parsed.error.name).toBe("UnexpectedError");
    expect(parsed.error.message).not.toContain("abandon");
  });

  it("a raw error (and its cause) quoting a private key hides the key", async () => {
    const root = rootThrowing((a) => new TypeError(`bad value ${a}`, { cause: new RangeError(`out of range: ${a}`) }));
    const r = await run(root, ["boom", KEY_HEX]);
    expect(r.stderr).toContain("unexpected TypeError: bad value [64 hex digits hidden]");
    expect(r.stderr).toContain("Caused by: out of range: [64 hex digits hidden]");
    expect(r.stderr).not.toContain(KEY_HEX.slice(0, 16));
  });

  it("a huge raw message is cut to a bounded excerpt", async () => {
    const root = rootThrowing(() => new Error(`${"no such thing. ".repeat(100_000)}`));
    const r = await run(root, ["boom", "x"]);
    expect(r.stderr.length).toBeLessThan(1000);
    expect(r.stderr).toMatch(/… \(1500000 characters\)/);
  });

  it("errors of the SDK pass through unchanged, with their own exit codes", () => {
    const e = new InvalidArgumentError("amount", "must be positive");
    expect(errorJson(e)).toMatchObject({ name: "InvalidArgumentError", exitCode: 2 });
    expect(errorJson(e).message).toContain("must be positive");
  });

  it("scrubMessage keeps ordinary text and hides credentials in URLs, armor and base64", () => {
    expect(scrubMessage("Unexpected token a in JSON at position 0")).toBe("Unexpected token a in JSON at position 0");
    expect(scrubMessage("connect to http://op:hunter2@127.0.0.1:26657/status failed")).toBe("connect to http://***@127.0.0.1:26657/status failed");
    const armor = "-----BEGIN TENDERMINT PRIVATE KEY-----\nkdf: bcrypt\n\nAAAA\n-----END TENDERMINT PRIVATE KEY-----";
    expect(scrubMessage(`bad ${armor} here`)).toMatch(/^bad \[armored block of \d+ characters hidden\] here$/);
    const b64 = Buffer.alloc(48, 7).toString("base64");
    expect(scrubMessage(`not a tx: ${b64}`)).toBe(`not a tx: [${b64.length} characters hidden]`);
    // fewer than six BIP-39 words in a row is ordinary text
    expect(scrubMessage("wallet address account balance")).toBe("wallet address account balance");
  });
});
