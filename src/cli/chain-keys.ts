/**
 * The key functions of `gonka-sdk/chain` the CLI uses, resolved at run time so that the CLI
 * builds while the chain module is being completed.
 */
import * as chainModule from "../chain/index.js";
import { CliFailure } from "./errors.js";

/** The wallet surface the CLI needs. */
export interface CliWallet {
  readonly address: string;
  readonly valoper: string;
  readonly publicKey: Uint8Array;
  readonly publicKeyBase64: string;
  readonly hdPath?: string;
  exportPrivateKey(): Uint8Array;
}

/** The key functions of the chain module. */
export interface ChainKeyApi {
  walletFromMnemonic(mnemonic: string, options?: { hdPath?: string; accountIndex?: number }): Promise<CliWallet>;
  walletFromPrivateKey(privateKey: Uint8Array | string): CliWallet;
  generateWallet(options?: { words?: 12 | 24 }): Promise<{ wallet: CliWallet; mnemonic: string }>;
}

/** The chain module's key functions, or a failure saying they are missing from this build. */
export function chainKeys(): ChainKeyApi {
  const mod: Record<string, unknown> = { ...chainModule };
  for (const name of ["walletFromMnemonic", "walletFromPrivateKey", "generateWallet"]) {
    if (typeof mod[name] !== "function") throw new CliFailure(`gonka-sdk/chain does not export ${name} in this build`);
  }
  return mod as unknown as ChainKeyApi;
}
