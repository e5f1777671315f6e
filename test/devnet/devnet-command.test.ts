import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const repo = resolve(__dirname, "../..");

describe("gonka devnet (foreground command)", () => {
  it("prints its URLs as JSON, serves them, and stops cleanly on SIGINT", async () => {
    const child = spawn(resolve(repo, "node_modules/.bin/tsx"), ["src/cli/main.ts", "devnet", "--port", "0", "--admin-port", "0", "--mlnode-port", "0", "--callback-port", "0", "--json"], {
      cwd: repo,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const info = await new Promise<{ url: string; adminUrl: string; chainId: string }>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no output: ${err}`)), 30_000);
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        try {
          const parsed = JSON.parse(out) as { url: string; adminUrl: string; chainId: string };
          clearTimeout(timer);
          resolvePromise(parsed);
        } catch {
          /* not complete yet */
        }
      });
    });
    expect(info.chainId).toBe("gonka-devnet");
    const status = await (await fetch(`${info.url}/chain-rpc/status`)).json();
    expect(status.result.node_info.network).toBe("gonka-devnet");
    expect(await (await fetch(`${info.adminUrl}/admin/v1/nodes`)).json()).toEqual([]);
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    await expect(fetch(`${info.url}/v1/status`)).rejects.toThrow();
  }, 60_000);
});
