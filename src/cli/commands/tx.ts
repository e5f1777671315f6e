/** `gonka tx`: sign and broadcast transactions for every operator flow. */
import {
  getAccount,
  signTx,
  type ChainClient,
  type TxMessage,
  type TxOptions,
  type TxResult,
  type Wallet,
} from "../../chain/index.js";
import { mergeParamsJson } from "../../chain/params.js";
import { resolveFee } from "../../chain/fees.js";
import { ParamsSchema as InferenceParamsSchema } from "../../../generated/proto/inference/inference/params_pb.js";
import { ParamsSchema as BlsParamsSchema } from "../../../generated/proto/inference/bls/params_pb.js";
import { ASYNC_OPTION, chainClientFor, parseCoins, TX_OPTIONS, txOptionsFrom } from "../chain-client.js";
import { flagBool, flagString, type CommandContext, type CommandSpec, type OptionSpec } from "../command.js";
import { CliUsageError } from "../errors.js";
import { readJsonArg } from "../json-file.js";
import { readTxRawArg } from "../tx-file.js";
import { resolveWallet } from "../wallet.js";

type Action = (chain: ChainClient, wallet: Wallet, options: TxOptions, ctx: CommandContext) => Promise<TxResult & { proposalId?: bigint }>;

/** Fields an action's result adds to the tx result that are worth printing. */
const EXTRA_FIELDS = ["grants", "feeAllowance", "revoked", "inferenceIndex", "paramsVia", "unknownFieldCount", "completionEpoch"] as const;

/** Signs, broadcasts and waits for inclusion through `action`, with progress lines on stderr. */
async function runTx(ctx: CommandContext, what: string, action: Action): Promise<void> {
  const wallet = await resolveWallet(ctx);
  const chain = chainClientFor(ctx);
  try {
    const options: TxOptions = txOptionsFrom(ctx);
    ctx.out.progress(`${what}: signing as ${wallet.address}, broadcasting to ${ctx.global.node} and waiting for inclusion…`);
    const t0 = Date.now();
    const result = await action(chain, wallet, options, ctx);
    const proposalId = result.proposalId;
    const extra: Record<string, unknown> = {};
    for (const k of EXTRA_FIELDS) {
      const v = (result as unknown as Record<string, unknown>)[k];
      if (v !== undefined) extra[k] = v;
    }
    ctx.out.progress(`included after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    ctx.out.result(
      { hash: result.hash, height: result.height, gasWanted: result.gasWanted, gasUsed: result.gasUsed, code: 0, ...(proposalId !== undefined ? { proposalId } : {}), ...extra },
      () => [
        `${what}: included in block ${result.height}`,
        ...(proposalId !== undefined ? [`proposal id: ${proposalId}`] : []),
        ...Object.entries(extra).map(([k, v]) => `${k}: ${String(v)}`),
        `txhash: ${result.hash}`,
        `gas used: ${result.gasUsed} / ${result.gasWanted}`,
      ],
    );
  } finally {
    chain.close();
  }
}

function need(ctx: CommandContext, index: number, what: string): string {
  const v = ctx.args[index];
  if (v === undefined || v === "") throw new CliUsageError(what, "missing", ctx.path);
  return v;
}

function uint(ctx: CommandContext, text: string, what: string): bigint {
  if (!/^\d{1,20}$/.test(text) || BigInt(text) > 0xffffffffffffffffn) {
    throw new CliUsageError(what, `expected an integer from 0 to 18446744073709551615, got ${/^\d+$/.test(text) ? `a ${text.length}-digit number` : "something else"}`, ctx.path);
  }
  return BigInt(text);
}

function actionCommand(spec: Omit<CommandSpec, "run" | "options"> & { options?: Record<string, OptionSpec>; action: Action }): CommandSpec {
  return {
    name: spec.name,
    summary: spec.summary,
    ...(spec.usage ? { usage: spec.usage } : {}),
    ...(spec.examples ? { examples: spec.examples } : {}),
    options: { ...(spec.options ?? {}), ...TX_OPTIONS },
    run: (ctx) => runTx(ctx, spec.name, spec.action),
  };
}

/** Reads `{ messages: [...] }` or a bare array of proto3-JSON messages with "@type". */
async function readMessages(ctx: CommandContext, arg: string | undefined): Promise<TxMessage[]> {
  const json = await readJsonArg(ctx, arg, "messages file");
  const list = Array.isArray(json) ? json : (json as { messages?: unknown }).messages ?? (json as { body?: { messages?: unknown } }).body?.messages;
  if (!Array.isArray(list) || list.length === 0) {
    throw new CliUsageError("messages file", 'expected a JSON array of messages with "@type", or {"messages": [...]} (as in a proposal or tx JSON)', ctx.path);
  }
  for (const [i, m] of list.entries()) {
    if (typeof m !== "object" || m === null || typeof (m as { "@type"?: unknown })["@type"] !== "string") {
      throw new CliUsageError(`messages[${i}]`, 'each message needs a "@type" type URL', ctx.path);
    }
  }
  return list as TxMessage[];
}

const sign: CommandSpec = {
  name: "sign",
  summary: "sign a tx of proto3-JSON messages from a file (offline with --account-number/--sequence), print TxRaw",
  usage: "<messages.json>",
  options: {
    ...TX_OPTIONS,
    "account-number": { type: "string", placeholder: "<n>", description: "sign offline with this account number" },
    sequence: { type: "string", placeholder: "<n>", description: "sign offline with this sequence" },
    broadcast: { type: "boolean", description: "broadcast the signed tx and wait for inclusion" },
    async: ASYNC_OPTION,
  },
  examples: ["gonka tx sign vote.json --from operator --chain-id gonka-mainnet --account-number 12 --sequence 3 --gas 200000"],
  async run(ctx) {
    const messages = await readMessages(ctx, ctx.args[0]);
    const wallet = await resolveWallet(ctx);
    const accountFlag = flagString(ctx, "account-number");
    const seqFlag = flagString(ctx, "sequence");
    if ((accountFlag === undefined) !== (seqFlag === undefined)) throw new CliUsageError("--account-number/--sequence", "give both to sign offline, or neither", ctx.path);
    const options = txOptionsFrom(ctx);
    const chain = chainClientFor(ctx);
    try {
      let accountNumber: bigint;
      let sequence: bigint;
      if (accountFlag !== undefined && seqFlag !== undefined) {
        accountNumber = uint(ctx, accountFlag, "--account-number");
        sequence = uint(ctx, seqFlag, "--sequence");
        if (!ctx.global.chainId) throw new CliUsageError("--chain-id", "required to sign offline", ctx.path);
      } else {
        const account = await getAccount(chain, wallet.address);
        accountNumber = account.accountNumber;
        sequence = account.sequence;
      }
      const chainId = ctx.global.chainId ?? (await chain.getChainId());
      const gasLimit = options.gasLimit === undefined || options.gasLimit === "auto" ? 200_000n : BigInt(options.gasLimit);
      const signed = await signTx({
        wallet,
        chainId,
        accountNumber,
        sequence: options.unordered ? 0n : sequence,
        messages,
        gasLimit,
        ...(options.fee ? { fee: options.fee } : options.gasPrice !== undefined ? { fee: resolveFee({ gasLimit, minGasPrice: 0n, exempt: false, gasPrice: options.gasPrice }) } : {}),
        ...(options.feeGranter ? { feeGranter: options.feeGranter } : {}),
        ...(options.memo !== undefined ? { memo: options.memo } : {}),
        ...(options.unordered ? { unordered: true, timeoutTimestamp: new Date(Date.now() + 60_000) } : {}),
      });
      const txRaw = signed.txRaw;
      const out = { hash: signed.hash, txRaw: Buffer.from(txRaw).toString("base64"), chainId, accountNumber, sequence, gasLimit };
      if (!flagBool(ctx, "broadcast")) {
        ctx.out.result(out, () => [`txhash: ${signed.hash}`, `tx_bytes (base64): ${out.txRaw}`]);
        return;
      }
      ctx.out.progress(`broadcasting ${signed.hash}…`);
      const hash = await chain.broadcastTx(txRaw);
      if (flagBool(ctx, "async")) return ctx.out.result(out, () => `broadcast ${hash}`);
      ctx.out.progress(`waiting for inclusion of ${hash}…`);
      const r = await chain.waitForTx(hash, { timeoutMs: ctx.global.timeoutMs });
      ctx.out.result({ ...out, height: r.height, gasUsed: r.gasUsed }, () => [`included in block ${r.height}`, `txhash: ${r.hash}`]);
    } finally {
      chain.close();
    }
  },
};

const broadcast: CommandSpec = {
  name: "broadcast",
  summary: "broadcast a signed TxRaw (base64, or a file holding it) and wait for inclusion",
  usage: "<tx-bytes-base64|file>",
  options: { async: ASYNC_OPTION },
  async run(ctx) {
    const txRaw = await readTxRawArg(ctx, need(ctx, 0, "tx bytes"));
    const chain = chainClientFor(ctx);
    try {
      ctx.out.progress("broadcasting…");
      const hash = await chain.broadcastTx(txRaw);
      if (flagBool(ctx, "async")) return ctx.out.result({ hash }, () => hash);
      ctx.out.progress(`waiting for inclusion of ${hash}…`);
      const r = await chain.waitForTx(hash, { timeoutMs: ctx.global.timeoutMs });
      ctx.out.result({ hash: r.hash, height: r.height, gasUsed: r.gasUsed }, () => `included in block ${r.height}: ${r.hash}`);
    } finally {
      chain.close();
    }
  },
};

/** The `tx` command group. */
export const txCommand: CommandSpec = {
  name: "tx",
  summary: "sign and broadcast transactions (waits for inclusion unless --async)",
  subcommands: [
    actionCommand({
      name: "submit-new-participant",
      summary: "register this key as a participant (MsgSubmitNewParticipant)",
      options: {
        url: { type: "string", placeholder: "<url>", description: "public URL of your node, e.g. http://1.2.3.4:8000" },
        "validator-key": { type: "string", placeholder: "<base64>", description: "ED25519 consensus pubkey (32 bytes, base64)" },
        "worker-key": { type: "string", placeholder: "<base64>", description: "worker pubkey (optional)" },
      },
      examples: ["gonka tx submit-new-participant --url http://1.2.3.4:8000 --validator-key <base64> --from operator"],
      action: (chain, wallet, options, ctx) => {
        const url = flagString(ctx, "url");
        const validatorKey = flagString(ctx, "validator-key");
        if (!url) throw new CliUsageError("--url", "required", ctx.path);
        if (!validatorKey) throw new CliUsageError("--validator-key", "required", ctx.path);
        const workerKey = flagString(ctx, "worker-key");
        return chain.submitNewParticipant(wallet, { url, validatorKey, ...(workerKey ? { workerKey } : {}), ...options });
      },
    }),
    actionCommand({
      name: "grant-ml-ops-permissions",
      summary: "grant the ML-ops (warm) key the 25 inference message permissions via authz",
      usage: "<grantee-address>",
      options: {
        "expiration-days": { type: "string", placeholder: "<days>", description: "grant lifetime (default 365)" },
        "fee-allowance": { type: "string", placeholder: "<coins>", description: "spend limit of the cold → warm fee allowance (default 10gonka)" },
        "fee-allowance-days": { type: "string", placeholder: "<days>", description: "fee allowance lifetime (default: the grants'; 0 = never expires)" },
        "no-fee-allowance": { type: "boolean", description: "grant no fee allowance" },
      },
      examples: ["gonka tx grant-ml-ops-permissions gonka1warm… --from operator", "gonka tx grant-ml-ops-permissions gonka1warm… --fee-allowance 100gonka --from operator"],
      action: (chain, wallet, options, ctx) => {
        const days = flagString(ctx, "expiration-days") ?? "365";
        const expiration = new Date(Date.now() + Number(uint(ctx, days, "--expiration-days")) * 86_400_000);
        const limit = flagString(ctx, "fee-allowance");
        const allowanceDays = flagString(ctx, "fee-allowance-days");
        const feeAllowance = flagBool(ctx, "no-fee-allowance")
          ? (false as const)
          : {
              ...(limit !== undefined ? { spendLimit: parseCoins(ctx, limit, "--fee-allowance") } : {}),
              ...(allowanceDays !== undefined
                ? { expiration: uint(ctx, allowanceDays, "--fee-allowance-days") === 0n ? null : new Date(Date.now() + Number(allowanceDays) * 86_400_000) }
                : {}),
            };
        return chain.grantMlOpsPermissions(wallet, { grantee: need(ctx, 0, "grantee"), expiration, feeAllowance, ...options });
      },
    }),
    actionCommand({
      name: "revoke-ml-ops-permissions",
      summary: "revoke the 20 ML-ops grants of a grantee and its fee allowance (if any)",
      usage: "<grantee-address>",
      options: { "keep-fee-allowance": { type: "boolean", description: "leave the fee allowance in place" } },
      action: (chain, wallet, options, ctx) =>
        chain.revokeMlOpsPermissions(wallet, { grantee: need(ctx, 0, "grantee"), ...(flagBool(ctx, "keep-fee-allowance") ? { feeAllowance: false } : {}), ...options }),
    }),
    actionCommand({
      name: "set-poc-delegation",
      summary: "delegate this participant's PoC-validation power for one model (v0.2.12)",
      usage: "<model-id> <delegate-to-address>",
      options: { clear: { type: "boolean", description: "clear the delegation for the model instead" } },
      examples: ["gonka tx set-poc-delegation moonshotai/Kimi-K2.6 gonka1… --from operator", "gonka tx set-poc-delegation moonshotai/Kimi-K2.6 --clear --from operator"],
      action: (chain, wallet, options, ctx) =>
        chain.setPoCDelegation(wallet, {
          modelId: need(ctx, 0, "model-id"),
          delegateTo: flagBool(ctx, "clear") ? "" : need(ctx, 1, "delegate-to-address (or --clear)"),
          ...options,
        }),
    }),
    actionCommand({
      name: "refuse-poc-delegation",
      summary: "refuse PoC for one model (v0.2.12; costs the refusal penalty)",
      usage: "<model-id>",
      action: (chain, wallet, options, ctx) => chain.refusePoCDelegation(wallet, { modelId: need(ctx, 0, "model-id"), ...options }),
    }),
    actionCommand({
      name: "declare-poc-intent",
      summary: "declare PoC intent for a model approved but not active yet (v0.2.12)",
      usage: "<model-id>",
      action: (chain, wallet, options, ctx) => chain.declarePoCIntent(wallet, { modelId: need(ctx, 0, "model-id"), ...options }),
    }),
    actionCommand({
      name: "submit-validation",
      summary: "validate an inference (MsgValidation with value_decimal)",
      usage: "<inference-id> <value 0..1>",
      options: {
        "response-hash": { type: "string", placeholder: "<hash>", description: "hash of the response validated" },
        id: { type: "string", placeholder: "<id>", description: "validation id" },
        revalidation: { type: "boolean", description: "a revalidation" },
        granter: { type: "string", placeholder: "<address>", description: "act for this account through authz (MsgExec), as the warm key" },
      },
      action: (chain, wallet, options, ctx) => {
        const value = need(ctx, 1, "value");
        if (!/^\d+(\.\d+)?$/.test(value)) throw new CliUsageError("value", `expected a decimal in [0, 1], got "${value}"`, ctx.path);
        const rh = flagString(ctx, "response-hash");
        const id = flagString(ctx, "id");
        const granter = flagString(ctx, "granter");
        return chain.submitValidation(wallet, {
          inferenceId: need(ctx, 0, "inference-id"),
          value,
          ...(rh ? { responseHash: rh } : {}),
          ...(id ? { id } : {}),
          ...(flagBool(ctx, "revalidation") ? { revalidation: true } : {}),
          ...(granter ? { granter } : {}),
          ...options,
        });
      },
    }),
    actionCommand({
      name: "start-inference",
      summary: "record an inference start (MsgStartInference) from a JSON file of its fields",
      usage: "<fields.json>",
      options: { granter: { type: "string", placeholder: "<address>", description: "act for this account through authz (MsgExec)" } },
      action: async (chain, wallet, options, ctx) => {
        const fields = (await readJsonArg(ctx, ctx.args[0], "fields")) as Parameters<ChainClient["startInference"]>[1];
        const granter = flagString(ctx, "granter");
        return chain.startInference(wallet, { ...fields, ...(granter ? { granter } : {}), ...options });
      },
    }),
    actionCommand({
      name: "finish-inference",
      summary: "record an inference finish (MsgFinishInference) from a JSON file of its fields",
      usage: "<fields.json>",
      options: { granter: { type: "string", placeholder: "<address>", description: "act for this account through authz (MsgExec)" } },
      action: async (chain, wallet, options, ctx) => {
        const fields = (await readJsonArg(ctx, ctx.args[0], "fields")) as Parameters<ChainClient["finishInference"]>[1];
        const granter = flagString(ctx, "granter");
        return chain.finishInference(wallet, { ...fields, ...(granter ? { granter } : {}), ...options });
      },
    }),
    actionCommand({
      name: "respond-dealer-complaints",
      summary: "answer complaints against this key's DKG dealing (bls dispute phase)",
      usage: "<epoch-id> <dealer-index> <responses.json>",
      options: { granter: { type: "string", placeholder: "<address>", description: "act for this account through authz (MsgExec)" } },
      action: async (chain, wallet, options, ctx) => {
        const list = (await readJsonArg(ctx, ctx.args[2], "responses")) as { complainerIndex?: unknown; responseShareBytes?: unknown; responseOpeningMaterial?: unknown }[];
        if (!Array.isArray(list)) throw new CliUsageError("responses", "expected a JSON array of {complainerIndex, responseShareBytes, responseOpeningMaterial} (bytes as base64)", ctx.path);
        const responses = list.map((r, i) => {
          if (typeof r.complainerIndex !== "number" || typeof r.responseShareBytes !== "string" || typeof r.responseOpeningMaterial !== "string") {
            throw new CliUsageError(`responses[${i}]`, "needs complainerIndex (number), responseShareBytes and responseOpeningMaterial (base64)", ctx.path);
          }
          return {
            complainerIndex: r.complainerIndex,
            responseShareBytes: new Uint8Array(Buffer.from(r.responseShareBytes, "base64")),
            responseOpeningMaterial: new Uint8Array(Buffer.from(r.responseOpeningMaterial, "base64")),
          };
        });
        const granter = flagString(ctx, "granter");
        return chain.respondDealerComplaints(wallet, {
          epochId: uint(ctx, need(ctx, 0, "epoch-id"), "epoch-id"),
          dealerIndex: Number(uint(ctx, need(ctx, 1, "dealer-index"), "dealer-index")),
          responses,
          ...(granter ? { granter } : {}),
          ...options,
        });
      },
    }),
    actionCommand({
      name: "transfer-with-vesting",
      summary: "send coins that vest over epochs (streamvesting; ≥ 10 GNK per coin)",
      usage: "<recipient> <amount, e.g. 25gonka>",
      options: { "vesting-epochs": { type: "string", placeholder: "<n>", description: "epochs to vest over (default: the chain's 180)" } },
      action: (chain, wallet, options, ctx) => {
        const epochs = flagString(ctx, "vesting-epochs");
        return chain.transferWithVesting(wallet, {
          recipient: need(ctx, 0, "recipient"),
          amount: parseCoins(ctx, need(ctx, 1, "amount"), "amount"),
          ...(epochs !== undefined ? { vestingEpochs: uint(ctx, epochs, "--vesting-epochs") } : {}),
          ...options,
        });
      },
    }),
    actionCommand({
      name: "batch-transfer-with-vesting",
      summary: "vesting transfers to many recipients from a JSON file [{recipient, amount: \"10gonka\"}]",
      usage: "<outputs.json>",
      options: { "vesting-epochs": { type: "string", placeholder: "<n>", description: "epochs to vest over (default: the chain's 180)" } },
      action: async (chain, wallet, options, ctx) => {
        const list = (await readJsonArg(ctx, ctx.args[0], "outputs")) as { recipient?: unknown; amount?: unknown }[];
        if (!Array.isArray(list)) throw new CliUsageError("outputs", 'expected a JSON array of {"recipient", "amount"}', ctx.path);
        const outputs = list.map((o, i) => {
          if (typeof o.recipient !== "string" || typeof o.amount !== "string") throw new CliUsageError(`outputs[${i}]`, 'needs "recipient" and "amount" strings', ctx.path);
          return { recipient: o.recipient, amount: parseCoins(ctx, o.amount, `outputs[${i}].amount`) };
        });
        const epochs = flagString(ctx, "vesting-epochs");
        return chain.batchTransferWithVesting(wallet, { outputs, ...(epochs !== undefined ? { vestingEpochs: uint(ctx, epochs, "--vesting-epochs") } : {}), ...options });
      },
    }),
    actionCommand({
      name: "propose-params",
      summary: "fetch a module's params (binary, unknown fields kept), merge a JSON edit, and propose them",
      usage: "<inference|bls> <edit.json>",
      options: {
        title: { type: "string", placeholder: "<text>", description: "proposal title" },
        summary: { type: "string", placeholder: "<text>", description: "proposal summary" },
        deposit: { type: "string", placeholder: "<coins>", description: "initial deposit, e.g. 25mgonka" },
        "params-source": { type: "string", placeholder: "<auto|binary|rest>", description: "where the current params come from (default auto: binary)" },
      },
      examples: ['gonka tx propose-params inference \'{"poc_params":{"validation_sample_size":300}}\' --title "PoC sample 300" --summary "…" --deposit 25mgonka --from operator'],
      action: async (chain, wallet, options, ctx) => {
        const module = need(ctx, 0, "module");
        if (module !== "inference" && module !== "bls") throw new CliUsageError("module", `expected inference or bls, got "${module}"`, ctx.path);
        const edit = await readJsonArg(ctx, ctx.args[1], "edit");
        if (edit === null || typeof edit !== "object" || Array.isArray(edit)) throw new CliUsageError("edit", "expected a JSON object of params fields (proto3 JSON, snake_case or camelCase)", ctx.path);
        const source = flagString(ctx, "params-source") ?? "auto";
        if (source !== "auto" && source !== "binary" && source !== "rest") throw new CliUsageError("--params-source", `expected auto, binary or rest, got "${source}"`, ctx.path);
        const title = flagString(ctx, "title");
        const summary = flagString(ctx, "summary");
        if (!title || !summary) throw new CliUsageError("--title/--summary", "a proposal needs both", ctx.path);
        const deposit = flagString(ctx, "deposit");
        const common = { title, summary, paramsSource: source, ...(deposit ? { initialDeposit: parseCoins(ctx, deposit, "--deposit") } : {}), ...options } as const;
        const json = edit as Record<string, unknown>;
        return module === "inference"
          ? chain.proposeInferenceParams(wallet, { ...common, edit: (p) => mergeParamsJson(InferenceParamsSchema, p, json) })
          : chain.proposeBlsParams(wallet, { ...common, edit: (p) => mergeParamsJson(BlsParamsSchema, p, json) });
      },
    }),
    actionCommand({
      name: "submit-proposal",
      summary: "submit a gov v1 proposal from a JSON file ({messages, title, summary, deposit, metadata, expedited})",
      usage: "<proposal.json>",
      examples: ["gonka tx submit-proposal proposal.json --from operator"],
      action: async (chain, wallet, options, ctx) => {
        const json = (await readJsonArg(ctx, ctx.args[0], "proposal")) as {
          messages?: unknown;
          title?: unknown;
          summary?: unknown;
          deposit?: unknown;
          metadata?: unknown;
          expedited?: unknown;
        };
        const messages = await readMessages(ctx, JSON.stringify({ messages: json.messages ?? [] }));
        if (typeof json.title !== "string" || typeof json.summary !== "string") {
          throw new CliUsageError("proposal", 'needs "title" and "summary" strings', ctx.path);
        }
        return chain.submitProposal(wallet, {
          messages,
          title: json.title,
          summary: json.summary,
          ...(typeof json.metadata === "string" ? { metadata: json.metadata } : {}),
          ...(json.expedited === true ? { expedited: true } : {}),
          ...(typeof json.deposit === "string" ? { initialDeposit: parseCoins(ctx, json.deposit, "deposit") } : {}),
          ...options,
        });
      },
    }),
    actionCommand({
      name: "deposit",
      summary: "add a deposit to a proposal",
      usage: "<proposal-id> <amount, e.g. 1000000ngonka>",
      action: (chain, wallet, options, ctx) =>
        chain.deposit(wallet, { proposalId: uint(ctx, need(ctx, 0, "proposal-id"), "proposal-id"), amount: parseCoins(ctx, need(ctx, 1, "amount"), "amount"), ...options }),
    }),
    actionCommand({
      name: "vote",
      summary: "vote on a proposal",
      usage: "<proposal-id> <yes|no|abstain|no_with_veto>",
      examples: ["gonka tx vote 2 yes --from operator"],
      action: (chain, wallet, options, ctx) => {
        const option = need(ctx, 1, "option");
        if (!["yes", "no", "abstain", "no_with_veto"].includes(option)) {
          throw new CliUsageError("option", `expected yes, no, abstain or no_with_veto, got "${option}"`, ctx.path);
        }
        return chain.vote(wallet, { proposalId: uint(ctx, need(ctx, 0, "proposal-id"), "proposal-id"), option: option as "yes", ...options });
      },
    }),
    actionCommand({
      name: "vote-weighted",
      summary: "split a vote, e.g. yes=0.6,no=0.4",
      usage: "<proposal-id> <option=weight,...>",
      action: (chain, wallet, options, ctx) => {
        const parts = need(ctx, 1, "options").split(",").map((p) => p.split("="));
        const opts = parts.map(([option, weight]) => {
          if (!option || !weight || !/^\d*\.?\d+$/.test(weight)) throw new CliUsageError("options", `"${option}=${weight}" is not option=weight`, ctx.path);
          return { option: option as "yes", weight };
        });
        return chain.voteWeighted(wallet, { proposalId: uint(ctx, need(ctx, 0, "proposal-id"), "proposal-id"), options: opts, ...options });
      },
    }),
    actionCommand({ name: "unjail", summary: "unjail this key's validator", action: (chain, wallet, options) => chain.unjail(wallet, options) }),
    actionCommand({
      name: "deposit-collateral",
      summary: "deposit collateral (ngonka)",
      usage: "<amount>",
      action: (chain, wallet, options, ctx) => chain.depositCollateral(wallet, { amount: parseCoins(ctx, need(ctx, 0, "amount"), "amount")[0]!.amount, ...options }),
    }),
    actionCommand({
      name: "withdraw-collateral",
      summary: "withdraw collateral (ngonka; released after the unbonding epoch)",
      usage: "<amount>",
      action: (chain, wallet, options, ctx) => chain.withdrawCollateral(wallet, { amount: parseCoins(ctx, need(ctx, 0, "amount"), "amount")[0]!.amount, ...options }),
    }),
    actionCommand({
      name: "send",
      summary: "send coins",
      usage: "<to-address> <amount, e.g. 5gonka>",
      action: (chain, wallet, options, ctx) => chain.send(wallet, { to: need(ctx, 0, "to-address"), amount: parseCoins(ctx, need(ctx, 1, "amount"), "amount"), ...options }),
    }),
    actionCommand({
      name: "exec",
      summary: "execute messages as an authz grantee (MsgExec), from a JSON file of proto3-JSON messages",
      usage: "<messages.json>",
      action: async (chain, wallet, options, ctx) => chain.execAs(wallet, { messages: await readMessages(ctx, ctx.args[0]), ...options }),
    }),
    sign,
    broadcast,
  ],
};
