/**
 * `gonka gateway`: a local same-machine gateway for browser apps. It answers CORS preflights
 * for the allowed origins (a stock node's proxy does not allow the signing headers) and forwards
 * signed requests unchanged to one node, until Ctrl-C.
 */
import { startInferenceGateway } from "../../inference/node/index.js";
import { flagString, type CommandSpec } from "../command.js";
import { CliUsageError } from "../errors.js";

function parseListen(value: string, path: string[]): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new CliUsageError("--listen", "expected host:port, e.g. 127.0.0.1:8787 (port 0 = any free port)", path);
  return { host: m[1] ?? m[2]!, port };
}

function positiveFlag(value: string | undefined, name: string, path: string[]): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value) || Number(value) < 1 || Number(value) > 2_147_483_647) {
    throw new CliUsageError(`--${name}`, "expected a whole number from 1 to 2147483647", path);
  }
  return Number(value);
}

/** The `gateway` command. */
export const gatewayCommand: CommandSpec = {
  name: "gateway",
  summary: "run a local gateway so that a browser app can send signed inference requests to a node (CORS)",
  description: [
    "run a local gateway so that a browser app can send signed inference requests to a node.",
    "",
    "A stock node's proxy does not allow the X-Requester-Address, X-Timestamp and X-Transfer-Address",
    "request headers in CORS, so browsers cannot send signed requests to it. The gateway answers the",
    "preflight for the origins you allow and forwards each request unchanged to --upstream (default",
    "--node). It adds no credential unless --bearer-env names a variable holding one, follows no",
    "redirect, and refuses other origins and foreign Host headers.",
  ].join("\n"),
  options: {
    listen: { type: "string", placeholder: "<host:port>", description: "where to listen (default 127.0.0.1:8787; keep it on loopback)" },
    upstream: { type: "string", placeholder: "<url>", description: "the node to forward to (default: --node)" },
    "allow-origin": { type: "string", multiple: true, placeholder: "<origin>", description: "an origin allowed to call the gateway, e.g. http://127.0.0.1:5173 (repeatable; required)" },
    "max-body": { type: "string", placeholder: "<bytes>", description: "largest request body (default 10485760, the node's limit)" },
    "upstream-timeout": { type: "string", placeholder: "<ms>", description: "time limit for the node's answer and for pauses in its body (default 300000)" },
    "bearer-env": {
      type: "string",
      placeholder: "<VAR>",
      description: "opt-in: send the value of environment variable VAR upstream as `Authorization: Bearer …` on requests without one (never printed)",
    },
  },
  examples: [
    "gonka gateway --allow-origin http://127.0.0.1:5173 --upstream http://node2.gonka.ai:8000",
    "BROKER_KEY=… gonka gateway --allow-origin https://app.example --upstream https://broker.example --bearer-env BROKER_KEY",
  ],
  async run(ctx) {
    const { host, port } = parseListen(flagString(ctx, "listen") ?? "127.0.0.1:8787", ctx.path);
    const origins = (ctx.flags["allow-origin"] as string[] | undefined) ?? [];
    if (origins.length === 0) throw new CliUsageError("--allow-origin", "give the origin of your app (repeatable), e.g. http://127.0.0.1:5173", ctx.path);
    const upstream = flagString(ctx, "upstream") ?? ctx.global.node;
    const bearerVar = flagString(ctx, "bearer-env");
    let upstreamAuthorization: string | undefined;
    if (bearerVar !== undefined) {
      const env = ctx.io.env ?? process.env;
      const value = env[bearerVar]?.trim();
      if (!value) throw new CliUsageError("--bearer-env", `environment variable ${bearerVar} is empty or not set`, ctx.path);
      upstreamAuthorization = `Bearer ${value}`;
    }
    const maxRequestBytes = positiveFlag(flagString(ctx, "max-body"), "max-body", ctx.path);
    const timeoutMs = positiveFlag(flagString(ctx, "upstream-timeout"), "upstream-timeout", ctx.path);
    const gateway = await startInferenceGateway({
      upstream,
      allowedOrigins: origins,
      host,
      port,
      ...(maxRequestBytes !== undefined ? { maxRequestBytes } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(upstreamAuthorization !== undefined ? { upstreamAuthorization } : {}),
      onRequest: (r) => ctx.out.progress(`${r.method} ${r.path} → ${r.status}${r.origin ? ` (origin ${r.origin})` : ""}${r.note ? `: ${r.note}` : ""}`),
    });
    const loopback = ["127.0.0.1", "localhost", "::1"].includes(host);
    if (!loopback) ctx.out.progress(`warning: listening on ${host}, not loopback: other machines can reach the gateway`);
    ctx.out.result(
      { url: gateway.url, upstream: gateway.upstream, allowedOrigins: origins, credential: upstreamAuthorization !== undefined ? `from $${bearerVar}` : "none" },
      () => [
        `gonka gateway at ${gateway.url} → ${gateway.upstream}`,
        `  allowed origins: ${origins.join(", ")}`,
        `  credential added upstream: ${upstreamAuthorization !== undefined ? `Bearer from $${bearerVar}` : "none (requests are forwarded as signed)"}`,
        "",
        `in the browser: gonkaFetch({ privateKey, endpoints: [{ url: "${gateway.url}", address: "<the node's gonka1… address>" }] })`,
        "press Ctrl-C to stop",
      ],
    );
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      process.once("SIGINT", done);
      process.once("SIGTERM", done);
    });
    ctx.out.progress("stopping gateway…");
    await gateway.close();
  },
};
