/**
 * Which key signs: `--from <name|address>` from the keyring, else `GONKA_MNEMONIC` or
 * `GONKA_PRIVATE_KEY` from the environment.
 */
import { walletFromMnemonic, walletFromPrivateKey, type Wallet } from "../chain/index.js";
import type { CommandContext } from "./command.js";
import { CliUsageError } from "./errors.js";
import { Keyring, type KeyEntry } from "./keyring.js";

/** A wallet from a keyring entry. */
export async function walletOfEntry(entry: KeyEntry): Promise<Wallet> {
  if (entry.mnemonic) return walletFromMnemonic(entry.mnemonic, entry.hdPath ? { hdPath: entry.hdPath } : {});
  if (entry.privateKeyHex) return walletFromPrivateKey(entry.privateKeyHex);
  throw new CliUsageError("key", `the key "${entry.name}" holds no secret (it was stored as public only)`, ["keys"]);
}

/** The signing wallet for a command, or a usage error saying how to give one. */
export async function resolveWallet(ctx: CommandContext): Promise<Wallet> {
  const env = ctx.io.env ?? process.env;
  if (ctx.global.from) return walletOfEntry(await new Keyring(ctx.global.home).get(ctx.global.from));
  if (env.GONKA_MNEMONIC) return walletFromMnemonic(env.GONKA_MNEMONIC);
  if (env.GONKA_PRIVATE_KEY) return walletFromPrivateKey(env.GONKA_PRIVATE_KEY);
  throw new CliUsageError("--from", "no signing key: pass --from <key name> (see `gonka keys add`) or set GONKA_MNEMONIC / GONKA_PRIVATE_KEY", ctx.path);
}
