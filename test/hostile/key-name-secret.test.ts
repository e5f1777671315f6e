import { describe, expect, it } from "vitest";
import { memoryKeyringStorage, openFileKeyring } from "../../src/chain/index.js";
import { keyNameForDisplay } from "../../src/chain/keyring/errors.js";

const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const HEX_KEY = "9e8ba689e9ced5459627b3689c88fd7c9ad4766eaf71abb0e8b57a83c0bcb74c";

/** Everything an error exposes: message, details, stack, own fields. */
function exposed(e: unknown): string {
  const err = e as Error & Record<string, unknown>;
  return [err.message, err.stack, JSON.stringify({ ...err })].join("\n");
}

describe("a secret typed where a key name belongs is never echoed", () => {
  it("signer(mnemonic) and signer(hex key) fail without repeating the value", async () => {
    const keyring = await openFileKeyring({ storage: memoryKeyringStorage(), password: "correct horse battery" });
    for (const secret of [MNEMONIC, HEX_KEY, `0x${HEX_KEY}`]) {
      const err = await keyring.signer(secret).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      const text = exposed(err);
      expect(text).not.toContain(HEX_KEY.slice(0, 16));
      expect(text).not.toContain("abandon abandon");
      expect((err as Error).message).toMatch(/not shown; give the key's name/);
    }
  });

  it("ordinary names are still quoted", () => {
    expect(keyNameForDisplay("operator")).toBe('"operator"');
    expect(keyNameForDisplay("my warm key")).toBe('"my warm key"');
    expect(keyNameForDisplay("gonka1k4swv40ur28fvu54p8mskjj4lxkgsj07u9f8ny")).toBe('"gonka1k4swv40ur28fvu54p8mskjj4lxkgsj07u9f8ny"');
  });
});
