/**
 * Which key signs: `--from <name|address>` from a file keyring — our own (`<home>/keyring-file`)
 * or the network node's with `--keyring-dir DIR` — else `GONKA_MNEMONIC` or `GONKA_PRIVATE_KEY`
 * from the environment.
 */
import { walletFromMnemonic, walletFromPrivateKey, type Wallet } from "../chain/index.js";
import { KeyNotFoundError, InvalidKeyNameError, UnsupportedKeyTypeError } from "../chain/keyring/errors.js";
import type { CommandContext } from "./command.js";
import { CliUsageError } from "./errors.js";
import { keyStoreOf, openCliKeyring } from "./keyring.js";

/** The signing wallet for a command, or a usage error saying how to give one. */
export async function resolveWallet(ctx: CommandContext): Promise<Wallet> {
  const env = ctx.io.env ?? process.env;
  if (ctx.global.from) {
    const keyring = await openCliKeyring(ctx);
    try {
      return await keyring.signer(ctx.global.from);
    } catch (e) {
      if (e instanceof KeyNotFoundError || e instanceof InvalidKeyNameError || e instanceof UnsupportedKeyTypeError) {
        const names = (await keyring.list()).map((k) => k.name);
        throw new CliUsageError("--from", `${e.shortMessage} (${keyStoreOf(ctx).dir} has: ${names.join(", ") || "no keys"})`, ["keys"]);
      }
      throw e;
    }
  }
  if (env.GONKA_MNEMONIC) return walletFromMnemonic(env.GONKA_MNEMONIC);
  if (env.GONKA_PRIVATE_KEY) return walletFromPrivateKey(env.GONKA_PRIVATE_KEY);
  throw new CliUsageError("--from", "no signing key: pass --from <key name> (see `gonka keys add`; --keyring-dir for the network node's keyring) or set GONKA_MNEMONIC / GONKA_PRIVATE_KEY", ctx.path);
}
