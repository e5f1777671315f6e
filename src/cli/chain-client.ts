/** The chain client the CLI commands share, built from the global flags. */
import { createChainClient, type ChainClient, type TxOptions } from "../chain/index.js";
import { flagBool, flagString, type CommandContext, type OptionSpec } from "./command.js";
import { CliUsageError } from "./errors.js";

/** A chain client for `--node` / `--chain-id`; closes with `client.close()`. */
export function chainClientFor(ctx: CommandContext): ChainClient {
  return createChainClient({
    url: ctx.global.node,
    ...(ctx.global.chainId ? { chainId: ctx.global.chainId } : {}),
    timeoutMs: ctx.global.timeoutMs,
    confirmTimeoutMs: ctx.global.timeoutMs,
    ...(flagBool(ctx, "allow-unknown-release") ? { allowUnknownRelease: true } : {}),
  });
}

/** Options shared by every `tx` command. */
export const TX_OPTIONS: Record<string, OptionSpec> = {
  memo: { type: "string", placeholder: "<text>", description: "memo (≤ 256 characters)" },
  gas: { type: "string", placeholder: "<auto|n>", description: "gas limit (default auto: simulate × 1.4)" },
  fees: { type: "string", placeholder: "<coins>", description: "fee, e.g. 0ngonka (Gonka charges none by default)" },
  unordered: { type: "boolean", description: "send an unordered tx (sequence 0, timeout timestamp as nonce)" },
  "gas-prices": { type: "string", placeholder: "<ngonka>", description: "gas price in ngonka per gas (default: the chain's minimum, fee_params)" },
  "allow-unknown-release": { type: "boolean", description: "send even when the node's release cannot be determined (no message-type check)" },
  "fee-granter": { type: "string", placeholder: "<address>", description: "account whose fee allowance pays (the cold account for a warm key)" },
};

/** `--async` of `tx sign --broadcast` and `tx broadcast`. */
export const ASYNC_OPTION: OptionSpec = { type: "boolean", description: "return after broadcast, do not wait for inclusion" };

/**
 * Parses `1000ngonka,5gonka` into coins (`gonka`/`GNK` = 10^9 ngonka, `ugonka` = 10^3, `mgonka` =
 * 10^6; a bare number is ngonka; `ibc/<HASH>` passes through). Any other denomination, a zero or
 * a repeated denomination is a usage error: `5atom` is never read as 5 ngonka.
 */
export function parseCoins(ctx: CommandContext, text: string, what: string): { denom: string; amount: bigint }[] {
  const scale: Record<string, bigint> = { ngonka: 1n, ugonka: 1_000n, mgonka: 1_000_000n, gonka: 1_000_000_000n, gnk: 1_000_000_000n };
  const coins = text
    .split(",")
    .filter((p) => p.trim() !== "")
    .map((part) => {
      const m = /^\s*(\d+)\s*([a-zA-Z][a-zA-Z0-9/:._-]*)?\s*$/.exec(part);
      if (!m) throw new CliUsageError(what, `"${part}" is not an amount like 1000ngonka`, ctx.path);
      const denom = m[2] ?? "ngonka";
      const factor = scale[denom.toLowerCase()];
      if (!factor && !/^ibc\/[0-9A-F]{64}$/.test(denom)) {
        throw new CliUsageError(what, `"${denom}" is not a Gonka denomination; use ngonka, gonka (GNK) or ibc/<HASH>`, ctx.path);
      }
      const amount = BigInt(m[1]!) * (factor ?? 1n);
      if (amount === 0n) throw new CliUsageError(what, `"${part.trim()}" is zero`, ctx.path);
      return { denom: factor ? "ngonka" : denom, amount };
    });
  if (coins.length === 0) throw new CliUsageError(what, "no amount given, e.g. 1000ngonka", ctx.path);
  const denoms = coins.map((c) => c.denom);
  if (new Set(denoms).size !== denoms.length) throw new CliUsageError(what, "a denomination appears twice; write one amount per denomination", ctx.path);
  return coins;
}

/** The {@link TxOptions} from the shared tx flags. */
export function txOptionsFrom(ctx: CommandContext): TxOptions {
  const gas = flagString(ctx, "gas");
  if (gas !== undefined && gas !== "auto" && !/^\d+$/.test(gas)) throw new CliUsageError("--gas", `expected auto or a number, got "${gas}"`, ctx.path);
  const memo = flagString(ctx, "memo");
  const fees = flagString(ctx, "fees");
  const gasPrices = flagString(ctx, "gas-prices")?.replace(/ngonka$/, "");
  if (gasPrices !== undefined && !/^\d+(\.\d+)?$/.test(gasPrices)) throw new CliUsageError("--gas-prices", `expected ngonka per gas, e.g. 10 or 0.5, got "${gasPrices}"`, ctx.path);
  const feeGranter = flagString(ctx, "fee-granter");
  return {
    ...(gasPrices !== undefined ? { gasPrice: gasPrices } : {}),
    ...(feeGranter ? { feeGranter } : {}),
    ...(gas !== undefined ? { gasLimit: gas === "auto" ? "auto" : BigInt(gas) } : {}),
    ...(memo !== undefined ? { memo } : {}),
    ...(fees !== undefined ? { fee: parseCoins(ctx, fees, "--fees") } : {}),
    ...(flagBool(ctx, "unordered") ? { unordered: true } : {}),
    confirmTimeoutMs: ctx.global.timeoutMs,
  };
}
