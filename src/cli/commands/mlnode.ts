/** `gonka mlnode`: talk to an MLNode's management API (`--mlnode http://host:8080`). */
import { createMlNodeClient, type MlNodeClient, type PowInitRequest } from "../../mlnode/index.js";
import { flagString, type CommandContext, type CommandSpec } from "../command.js";
import { CliUsageError } from "../errors.js";
import { readJsonArg } from "../json-file.js";

function client(ctx: CommandContext): MlNodeClient {
  return createMlNodeClient({ baseUrl: ctx.global.mlnode, timeoutMs: ctx.global.timeoutMs });
}

function simple(name: string, summary: string, call: (c: MlNodeClient) => Promise<unknown>, human: (r: unknown) => string): CommandSpec {
  return {
    name,
    summary,
    async run(ctx) {
      const r = await call(client(ctx));
      ctx.out.result(r, () => human(r));
    },
  };
}

const powInit = (name: "init-generate" | "init-validate"): CommandSpec => ({
  name,
  summary: `POST /api/v1/pow/${name.replace("-", "/")} with a PowInitRequest (JSON file, - or inline)`,
  usage: "<request.json>",
  examples: [`gonka mlnode ${name} init.json --mlnode http://10.0.0.5:8080`],
  async run(ctx) {
    const body = (await readJsonArg(ctx, ctx.args[0], "request")) as PowInitRequest;
    const c = client(ctx);
    const r = name === "init-generate" ? await c.pow.initGenerate(body) : await c.pow.initValidate(body);
    ctx.out.result(r, () => `${r.status}: ${JSON.stringify(r.pow_status)}`);
  },
});

/** The `mlnode` command group. */
export const mlnodeCommand: CommandSpec = {
  name: "mlnode",
  summary: "MLNode management API: state, stop, PoC init/validate/status/stop, inference up/down",
  subcommands: [
    simple("state", "GET /api/v1/state", (c) => c.state(), (r) => (r as { state: string }).state),
    simple("stop", "POST /api/v1/stop (leave any mode)", (c) => c.stop(), (r) => (r as { status: string }).status),
    simple("pow-status", "GET /api/v1/pow/status", (c) => c.pow.status(), (r) => JSON.stringify(r)),
    simple("pow-stop", "POST /api/v1/pow/stop", (c) => c.pow.stop(), (r) => JSON.stringify(r)),
    powInit("init-generate"),
    powInit("init-validate"),
    {
      name: "validate",
      summary: "POST /api/v1/pow/validate with a ProofBatch; the result goes to the callback URL",
      usage: "<batch.json>",
      async run(ctx) {
        const batch = await readJsonArg(ctx, ctx.args[0], "batch");
        await client(ctx).pow.validate(batch as Parameters<MlNodeClient["pow"]["validate"]>[0]);
        ctx.out.result({ queued: true }, () => "batch queued for validation; the ValidatedBatch is posted to the init callback URL");
      },
    },
    {
      name: "inference-up",
      summary: "POST /api/v1/inference/up (start vLLM; blocks until healthy)",
      options: {
        model: { type: "string", placeholder: "<id>", description: "HF model id" },
        arg: { type: "string", multiple: true, placeholder: "<vllm-arg>", description: "extra vLLM argument (repeatable)" },
      },
      async run(ctx) {
        const model = flagString(ctx, "model");
        if (!model) throw new CliUsageError("--model", "required", ctx.path);
        const args = (ctx.flags.arg as string[] | undefined) ?? [];
        ctx.out.progress(`starting ${model} on ${ctx.global.mlnode} (can take minutes)…`);
        const r = await client(ctx).inferenceUp({ model, additional_args: args });
        ctx.out.result(r, () => r.status);
      },
    },
    simple("inference-down", "POST /api/v1/inference/down", (c) => c.inferenceDown(), (r) => (r as { status: string }).status),
  ],
};
