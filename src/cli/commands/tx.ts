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
import { ASYNC_OPTION, chainClientFor, parseCoins, TX_OPTIONS, txOptionsFrom } from "../chain-client.js";
import { flagBool, flagString, type CommandContext, type CommandSpec, type OptionSpec } from "../command.js";
import { CliUsageError } from "../errors.js";
import { readJsonArg } from "../json-file.js";
import { resolveWallet } from "../wallet.js";

type Action = (chain: ChainClient, wallet: Wallet, options: TxOptions, ctx: CommandContext) => Promise<TxResult & { proposalId?: bigint }>;

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
    ctx.out.progress(`included after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    ctx.out.result(
      { hash: result.hash, height: result.height, gasWanted: result.gasWanted, gasUsed: result.gasUsed, code: 0, ...(proposalId !== undefined ? { proposalId } : {}) },
      () => [
        `${what}: included in block ${result.height}`,
        ...(proposalId !== undefined ? [`proposal id: ${proposalId}`] : []),
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
  if (!/^\d+$/.test(text)) throw new CliUsageError(what, `expected a non-negative integer, got "${text}"`, ctx.path);
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
        ...(options.fee ? { fee: options.fee } : {}),
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
    let text = need(ctx, 0, "tx bytes");
    if (!/^[A-Za-z0-9+/=\s]+$/.test(text) || text.length < 16) {
      const { readFile } = await import("node:fs/promises");
      text = (await readFile(text, "utf8")).trim();
    }
    const txRaw = new Uint8Array(Buffer.from(text, "base64"));
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
      options: { "expiration-days": { type: "string", placeholder: "<days>", description: "grant lifetime (default 365)" } },
      action: (chain, wallet, options, ctx) => {
        const days = flagString(ctx, "expiration-days") ?? "365";
        const expiration = new Date(Date.now() + Number(uint(ctx, days, "--expiration-days")) * 86_400_000);
        return chain.grantMlOpsPermissions(wallet, { grantee: need(ctx, 0, "grantee"), expiration, ...options });
      },
    }),
    actionCommand({
      name: "revoke-ml-ops-permissions",
      summary: "revoke the ML-ops grants of a grantee",
      usage: "<grantee-address>",
      action: (chain, wallet, options, ctx) => chain.revokeMlOpsPermissions(wallet, { grantee: need(ctx, 0, "grantee"), ...options }),
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
