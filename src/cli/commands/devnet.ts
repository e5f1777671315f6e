/** `gonka devnet`: run the embedded local network in the foreground until Ctrl-C. */
import { createEnginePocBackend, startDevnet } from "../../devnet/index.js";
import { flagString, type CommandSpec } from "../command.js";
import { CliUsageError } from "../errors.js";

function portFlag(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new CliUsageError(`--${name}`, `expected a port number, got "${v}"`, ["devnet"]);
  return Number(v);
}

/** The `devnet` command. */
export const devnetCommand: CommandSpec = {
  name: "devnet",
  summary: "run a local Gonka network (chain, network node, MLNode) on loopback until Ctrl-C",
  options: {
    port: { type: "string", placeholder: "<port>", description: "public port (like :8000; default 8000, 0 = any)" },
    "admin-port": { type: "string", placeholder: "<port>", description: "admin API port (default 9200)" },
    "mlnode-port": { type: "string", placeholder: "<port>", description: "MLNode port (default 8080)" },
    "callback-port": { type: "string", placeholder: "<port>", description: "ML callback port (default 9100)" },
    poc: { type: "string", placeholder: "<cpu|webgpu>", description: "PoC v1 backend of the MLNode (default cpu)" },
    "poc-version": { type: "string", placeholder: "<1|2>", description: "PoC generation the chain runs (default 2, like mainnet)" },
  },
  examples: ["gonka devnet", "gonka devnet --port 0 --json"],
  async run(ctx) {
    const poc = flagString(ctx, "poc") ?? "cpu";
    if (poc !== "cpu" && poc !== "webgpu") throw new CliUsageError("--poc", `expected cpu or webgpu, got "${poc}"`, ctx.path);
    const pocVersionFlag = flagString(ctx, "poc-version") ?? "2";
    if (pocVersionFlag !== "1" && pocVersionFlag !== "2") throw new CliUsageError("--poc-version", `expected 1 or 2, got "${pocVersionFlag}"`, ctx.path);
    const pocVersion = pocVersionFlag === "1" ? 1 : 2;
    const devnet = await startDevnet({
      port: portFlag(flagString(ctx, "port"), "port") ?? 8000,
      adminPort: portFlag(flagString(ctx, "admin-port"), "admin-port") ?? 9200,
      mlnodePort: portFlag(flagString(ctx, "mlnode-port"), "mlnode-port") ?? 8080,
      callbackPort: portFlag(flagString(ctx, "callback-port"), "callback-port") ?? 9100,
      pocVersion,
      poc: createEnginePocBackend(poc, {
        onFallback: (r) => ctx.out.progress(`MLNode: WebGPU unavailable, computing PoC on the CPU (${r instanceof Error ? r.message.split("\n")[0] : String(r)})`),
      }),
    });
    const info = {
      url: devnet.url,
      adminUrl: devnet.adminUrl,
      mlnodeUrl: devnet.mlnodeUrl,
      pocVersion: devnet.pocVersion,
      pocCallbackUrl: devnet.pocVersion === 1 ? devnet.pocCallbackUrl : devnet.pocCallbackBaseUrl,
      chainId: devnet.chainId,
      participant: devnet.participant.address,
    };
    ctx.out.result(info, () => [
      `gonka devnet running (chain-id ${devnet.chainId})`,
      `  public  ${devnet.url}   (/v1, /api/v1, /chain-rpc, /chain-api, /chain-grpc)`,
      `  admin   ${devnet.adminUrl}/admin/v1`,
      `  mlnode  ${devnet.mlnodeUrl}/api/v1`,
      devnet.pocVersion === 1
        ? `  poc v1 callback url  ${devnet.pocCallbackUrl}`
        : `  poc v2 callback base ${devnet.pocCallbackBaseUrl}   (MLNodes post to /v2/poc-batches/{model}/generated)`,
      `  transfer agent    ${devnet.participant.address}`,
      "",
      `try: gonka query status --node ${devnet.url} --chain-id ${devnet.chainId}`,
      "press Ctrl-C to stop",
    ]);
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      process.once("SIGINT", done);
      process.once("SIGTERM", done);
    });
    ctx.out.progress("stopping devnet…");
    await devnet.stop();
  },
};
