import { InvalidArgumentError } from "../errors.js";

/** Gonka's SLIP-44 coin type (the chain's `inferenced keys` default). Keplr/cosmjs default to 118. */
export const GONKA_COIN_TYPE = 1200;
/** The default derivation path of Gonka account keys. */
export const DEFAULT_HD_PATH = "m/44'/1200'/0'/0/0";

/** Options that pick a BIP-44 path: either a full `hdPath` or its parts. */
export interface HdPathOptions {
  /** A full path such as `m/44'/1200'/0'/0/0`; overrides the other fields. */
  hdPath?: string;
  /** SLIP-44 coin type (default 1200; 118 is the Cosmos Hub / Keplr default and gives other addresses). */
  coinType?: number;
  /** The hardened account level (`m/44'/c'/ACCOUNT'/0/i`), default 0 (`inferenced keys add --account`). */
  account?: number;
  /** The last level (`m/44'/c'/a'/0/INDEX`), default 0 (`inferenced keys add --index`). */
  accountIndex?: number;
}

/**
 * Resolves {@link HdPathOptions} to a validated path string.
 *
 * @example
 * ```ts
 * resolveHdPath({ accountIndex: 1 }); // "m/44'/1200'/0'/0/1"
 * ```
 */
export function resolveHdPath(opts: HdPathOptions = {}): string {
  if (opts.hdPath !== undefined) {
    if (!/^m(\/\d+'?)+$/.test(opts.hdPath)) {
      throw new InvalidArgumentError("hdPath", "expected a BIP-32 path like m/44'/1200'/0'/0/0");
    }
    for (const part of opts.hdPath.split("/").slice(1)) {
      if (Number(part.replace("'", "")) >= 2 ** 31) throw new InvalidArgumentError("hdPath", "an index is ≥ 2^31");
    }
    return opts.hdPath;
  }
  const coin = checkIndex("coinType", opts.coinType ?? GONKA_COIN_TYPE);
  const account = checkIndex("account", opts.account ?? 0);
  const index = checkIndex("accountIndex", opts.accountIndex ?? 0);
  return `m/44'/${coin}'/${account}'/0/${index}`;
}

function checkIndex(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v >= 2 ** 31) {
    throw new InvalidArgumentError(name, "expected an integer in [0, 2^31)");
  }
  return v;
}
