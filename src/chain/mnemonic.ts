import { entropyToMnemonic, mnemonicToEntropy } from "@scure/bip39";
import { wordlist as english } from "@scure/bip39/wordlists/english.js";
import { InvalidMnemonicError } from "./errors.js";

const WORDS = /* @__PURE__ */ new Set(english);
const VALID_LENGTHS = [12, 15, 18, 21, 24];

/**
 * Normalises a BIP-39 English mnemonic (NFKD, single spaces, lower case) and checks its length,
 * every word and the checksum. Errors name the failing check and word position, never a word.
 *
 * @example
 * ```ts
 * const phrase = checkMnemonic("  Abandon abandon … about "); // "abandon abandon … about"
 * ```
 * @throws {InvalidMnemonicError}
 */
export function checkMnemonic(mnemonic: string): string {
  if (typeof mnemonic !== "string") throw new InvalidMnemonicError("length", "expected a string of words");
  const words = mnemonic.normalize("NFKD").trim().toLowerCase().split(/\s+/).filter((w) => w.length > 0);
  if (!VALID_LENGTHS.includes(words.length)) {
    throw new InvalidMnemonicError("length", `has ${words.length} words, expected 12, 15, 18, 21 or 24`);
  }
  const bad: number[] = [];
  words.forEach((w, i) => {
    if (!WORDS.has(w)) bad.push(i + 1);
  });
  if (bad.length > 0) {
    throw new InvalidMnemonicError(
      "word",
      `word${bad.length > 1 ? "s" : ""} at position ${bad.join(", ")} ${bad.length > 1 ? "are" : "is"} not in the BIP-39 English wordlist`,
    );
  }
  const phrase = words.join(" ");
  try {
    mnemonicToEntropy(phrase, english);
  } catch {
    throw new InvalidMnemonicError("checksum", "checksum does not match (a word is wrong or the words are out of order)");
  }
  return phrase;
}

/** A fresh random BIP-39 English mnemonic of 24 words (256 bits) or 12 words (128 bits). */
export function generateMnemonic(words: 12 | 24 = 24): string {
  const entropy = new Uint8Array(words === 24 ? 32 : 16);
  globalThis.crypto.getRandomValues(entropy);
  return entropyToMnemonic(entropy, english);
}
