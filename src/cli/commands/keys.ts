/**
 * `gonka keys`: create, import, export, list, show and delete keys in a file keyring — our own
 * encrypted store (`<home>/keyring-file`) or, with `--keyring-dir DIR`, the network node's
 * (`DIR/keyring-file`, what `inferenced keys … --keyring-backend file` uses).
 */
import { readFile } from "node:fs/promises";
import { generateWallet, toValoperAddress, type FileKeyring, type KeyDetails } from "../../chain/index.js";
import { DuplicateKeyAddressError, InvalidKeyNameError, KeyExistsError, KeyNotFoundError } from "../../chain/keyring/errors.js";
import { flagBool, flagString, type CommandContext, type CommandSpec, type OptionSpec } from "../command.js";
import { CliFailure, CliUsageError } from "../errors.js";
import { keyStoreOf, openCliKeyring, promptAvailable, promptConfirm, promptHidden } from "../keyring.js";
import { table } from "../output.js";

const ALLOW_DUPLICATE: Record<string, OptionSpec> = {
  "allow-duplicate": { type: "boolean", description: "store the key even if the keyring holds it under another name (its address then resolves to this name)" },
};

const KEEP_MNEMONIC: Record<string, OptionSpec> = {
  "keep-mnemonic": {
    type: "boolean",
    description: "also keep the mnemonic, encrypted, in the keyring (item <hex address>.mnemonic, ignored by inferenced); print it later with `keys show NAME --mnemonic`",
  },
};

/** Name-level keyring errors are usage errors on the command line (exit code 2). */
async function byName<T>(ctx: CommandContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof KeyExistsError || e instanceof KeyNotFoundError || e instanceof DuplicateKeyAddressError || e instanceof InvalidKeyNameError) {
      throw new CliUsageError("key", `${e.shortMessage}${e.details && !(e instanceof InvalidKeyNameError) ? `. ${e.details.replace("{ allowDuplicateAddress: true } (CLI: --allow-duplicate)", "--allow-duplicate")}` : ""}`, ctx.path);
    }
    throw e;
  }
}

function keyName(ctx: CommandContext): string {
  const name = ctx.args[0];
  if (name === undefined || name === "") throw new CliUsageError("name", "give the key's name", ctx.path);
  return name;
}

/** Reads a secret piped on stdin (the whole input, trimmed). */
async function readSecret(ctx: CommandContext, what: string): Promise<string> {
  if (!ctx.io.readStdin) throw new CliUsageError(what, "pipe it on stdin", ctx.path);
  const text = (await ctx.io.readStdin()).trim();
  if (!text) throw new CliUsageError(what, "stdin was empty; pipe the secret in, e.g. `gonka keys import mykey < mnemonic.txt`", ctx.path);
  return text;
}

/** An armor passphrase: a prompt on a terminal (twice when `confirm`), else the first line of stdin. */
async function armorPassphrase(ctx: CommandContext, prompt: string, confirm: boolean): Promise<string> {
  if (promptAvailable(ctx)) {
    const first = await promptHidden(prompt);
    if (confirm && (await promptHidden("Repeat the passphrase: ")) !== first) throw new CliUsageError("passphrase", "the two passphrases differ", ctx.path);
    return first;
  }
  const text = await readSecret(ctx, "passphrase");
  return (text.split(/\r?\n/)[0] ?? "").trim();
}

function publicView(d: KeyDetails): Record<string, unknown> {
  return {
    name: d.name,
    type: d.type,
    address: d.address,
    ...(d.type !== "multi" ? { valoper: toValoperAddress(d.address) } : {}),
    ...(d.publicKey ? { pubkey: Buffer.from(d.publicKey).toString("base64") } : {}),
    ...(d.multisig ? { threshold: d.multisig.threshold, pubkeys: d.multisig.publicKeys.map((k) => Buffer.from(k).toString("base64")) } : {}),
    ...(d.ledgerPath ? { ledgerPath: d.ledgerPath } : {}),
  };
}

async function added(ctx: CommandContext, keyring: FileKeyring, name: string): Promise<Record<string, unknown>> {
  return publicView(await keyring.get(name));
}

const add: CommandSpec = {
  name: "add",
  summary: "create a new key (a fresh mnemonic, m/44'/1200'/0'/0/0) or, with --recover, restore one from a mnemonic on stdin",
  usage: "<name>",
  options: {
    words: { type: "string", placeholder: "<12|24>", description: "mnemonic length (default 24)" },
    recover: { type: "boolean", description: "read the mnemonic from stdin instead of creating one" },
    "account-index": { type: "string", placeholder: "<n>", description: "HD address index (m/44'/1200'/0'/0/n, default 0)" },
    "hd-path": { type: "string", placeholder: "<path>", description: "full HD path (overrides --account-index)" },
    ...ALLOW_DUPLICATE,
    ...KEEP_MNEMONIC,
  },
  examples: ["gonka keys add operator", "gonka keys add ml-ops --json --keyring-dir ~/.inference", "gonka keys add cold --recover < mnemonic.txt"],
  async run(ctx) {
    const name = keyName(ctx);
    const words = flagString(ctx, "words") ?? "24";
    if (words !== "12" && words !== "24") throw new CliUsageError("--words", "expected 12 or 24", ctx.path);
    const index = flagString(ctx, "account-index");
    if (index !== undefined && !/^\d+$/.test(index)) throw new CliUsageError("--account-index", "expected a non-negative integer", ctx.path);
    const hdPath = flagString(ctx, "hd-path") ?? `m/44'/1200'/0'/0/${index ?? 0}`;
    const recover = flagBool(ctx, "recover");
    const mnemonic = recover ? await readSecret(ctx, "mnemonic") : (await generateWallet({ words: Number(words) as 12 | 24 })).mnemonic;
    const keyring = await openCliKeyring(ctx);
    const keepMnemonic = flagBool(ctx, "keep-mnemonic");
    await byName(ctx, () => keyring.add(name, { mnemonic, hdPath }, { allowDuplicateAddress: flagBool(ctx, "allow-duplicate"), keepMnemonic }));
    const view: Record<string, unknown> = { ...(await added(ctx, keyring, name)), hdPath, ...(keepMnemonic ? { mnemonicKept: true } : {}) };
    ctx.out.result(recover ? view : { ...view, mnemonic }, () => [
      `- name: ${name}`,
      `  type: local`,
      `  address: ${String(view.address)}`,
      `  valoper: ${String(view.valoper)}`,
      `  pubkey: ${String(view.pubkey)}`,
      ...(keepMnemonic ? ["  mnemonic: kept encrypted in the keyring (gonka keys show NAME --mnemonic)"] : []),
      ...(recover
        ? []
        : [
            "",
            keepMnemonic
              ? "**Write this mnemonic down and keep it safe. The keyring keeps an encrypted copy, but a lost keyring password or directory loses that copy too.**"
              : "**Write this mnemonic down and keep it safe. It is the only way to recover the key; the keyring keeps the key, not the words.**",
            "",
            mnemonic,
          ]),
    ]);
  },
};

const importKey: CommandSpec = {
  name: "import",
  summary: "import an armored key (inferenced keys export) from a file, or a mnemonic / hex private key from stdin",
  usage: "<name> [armor-file]",
  description:
    "With an armor file: the armor passphrase is asked on a terminal, else read from the first line of stdin.\n" +
    "Without: stdin holds a mnemonic (or, with --private-key, 64 hex digits); secrets never go on the command line.",
  options: {
    "private-key": { type: "boolean", description: "stdin holds a 64-hex-digit private key instead of a mnemonic" },
    "account-index": { type: "string", placeholder: "<n>", description: "HD address index for a mnemonic (default 0)" },
    ...ALLOW_DUPLICATE,
    ...KEEP_MNEMONIC,
  },
  examples: ["gonka keys import cold cold.armor", "gonka keys import operator < mnemonic.txt", "echo $HEX | gonka keys import warm --private-key"],
  async run(ctx) {
    const name = keyName(ctx);
    const file = ctx.args[1];
    const allowDuplicateAddress = flagBool(ctx, "allow-duplicate");
    const keepMnemonic = flagBool(ctx, "keep-mnemonic");
    if (keepMnemonic && (flagBool(ctx, "private-key") || file !== undefined)) throw new CliUsageError("--keep-mnemonic", "only a key imported from a mnemonic has one to keep", ctx.path);
    if (file !== undefined) {
      let armor: string;
      try {
        armor = await readFile(file, "utf8");
      } catch {
        throw new CliUsageError("armor-file", `cannot read ${file}`, ctx.path);
      }
      const passphrase = await armorPassphrase(ctx, "Enter passphrase to decrypt your key: ", false);
      const keyring = await openCliKeyring(ctx);
      await byName(ctx, () => keyring.importArmor(name, armor, passphrase, { allowDuplicateAddress }));
      const view = await added(ctx, keyring, name);
      ctx.out.result(view, () => [`imported ${name}: ${String(view.address)}`]);
      return;
    }
    const secret = await readSecret(ctx, flagBool(ctx, "private-key") ? "private key" : "mnemonic");
    const index = flagString(ctx, "account-index");
    if (index !== undefined && !/^\d+$/.test(index)) throw new CliUsageError("--account-index", "expected a non-negative integer", ctx.path);
    const keyring = await openCliKeyring(ctx);
    const input = flagBool(ctx, "private-key") ? { privateKey: secret } : { mnemonic: secret, hdPath: `m/44'/1200'/0'/0/${index ?? 0}` };
    await byName(ctx, () => keyring.add(name, input, { allowDuplicateAddress, keepMnemonic }));
    const view = await added(ctx, keyring, name);
    ctx.out.result(view, () => [`imported ${name}: ${String(view.address)}`]);
  },
};

const exportKey: CommandSpec = {
  name: "export",
  summary: "print a local key as an armor for `inferenced keys import` (Argon2id + ChaCha20-Poly1305)",
  usage: "<name|address>",
  description: "The armor passphrase (at least 8 bytes) is asked twice on a terminal, else read from the first line of stdin.",
  examples: ["gonka keys export cold > cold.armor", "gonka keys export warm --keyring-dir ~/.inference < passphrase.txt"],
  async run(ctx) {
    const name = keyName(ctx);
    const keyring = await openCliKeyring(ctx);
    await byName(ctx, () => keyring.get(name));
    const passphrase = await armorPassphrase(ctx, "Enter passphrase to encrypt the exported key: ", true);
    const armor = await byName(ctx, () => keyring.exportArmor(name, passphrase));
    ctx.out.result({ name, armor }, () => armor);
  },
};

const list: CommandSpec = {
  name: "list",
  summary: "list the keys of the store (name, type, address)",
  async run(ctx) {
    const keyring = await openCliKeyring(ctx);
    const keys = await keyring.list();
    ctx.out.result(keys, () =>
      keys.length ? table([["NAME", "TYPE", "ADDRESS"], ...keys.map((k) => [k.name, k.type, k.address])]) : [`no keys in ${keyStoreOf(ctx).dir}`],
    );
  },
};

const show: CommandSpec = {
  name: "show",
  summary: "show a key's type, address, valoper address and public key (with --mnemonic: its kept mnemonic)",
  usage: "<name|address>",
  description:
    "--mnemonic prints the mnemonic the keyring keeps for the key (keys migrated from keyring.json, or added with\n" +
    "--keep-mnemonic), after a [y/N] confirmation on a terminal; --yes skips it (needed when not on a terminal).",
  options: {
    mnemonic: { type: "boolean", description: "also print the kept mnemonic, its HD path (and BIP-39 passphrase, if any)" },
    yes: { type: "boolean", short: "y", description: "do not ask before printing the mnemonic" },
  },
  examples: ["gonka keys show cold", "gonka keys show op --mnemonic", "gonka keys show op --mnemonic --yes --json"],
  async run(ctx) {
    const name = keyName(ctx);
    const keyring = await openCliKeyring(ctx);
    const view = publicView(await byName(ctx, () => keyring.get(name)));
    if (!flagBool(ctx, "mnemonic")) {
      ctx.out.result(view, () => Object.entries(view).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : String(v)}`));
      return;
    }
    if (!flagBool(ctx, "yes")) {
      if (!promptAvailable(ctx)) throw new CliUsageError("--yes", "printing a mnemonic needs a confirmation: run in a terminal to be asked, or pass --yes", ctx.path);
      const question = `Print the mnemonic of ${JSON.stringify(name)} (${String(view.address)})? Anyone who sees it controls the key.`;
      if (!(await promptConfirm(question))) throw new CliFailure("cancelled: the mnemonic was not printed");
    }
    const kept = await keyring.exportMnemonic(name);
    const out = { ...view, hdPath: kept.hdPath, mnemonic: kept.mnemonic, ...(kept.bip39Passphrase ? { bip39Passphrase: kept.bip39Passphrase } : {}) };
    ctx.out.result(out, () => Object.entries(out).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : String(v)}`));
  },
};

const del: CommandSpec = {
  name: "delete",
  summary: "delete a key from the store",
  usage: "<name>",
  async run(ctx) {
    const name = keyName(ctx);
    const keyring = await openCliKeyring(ctx);
    await byName(ctx, () => keyring.delete(name));
    ctx.out.result({ deleted: name }, () => `deleted ${name}`);
  },
};

/** The `keys` command group. */
export const keysCommand: CommandSpec = {
  name: "keys",
  summary: "manage signing keys in an encrypted file keyring (ours in --home, or the network node's with --keyring-dir)",
  description:
    "Keys live in the network CLI's `file` keyring format, encrypted with the keyring password\n" +
    "(KEYRING_PASSWORD, --password-fd N, or a prompt). Our own store is <home>/keyring-file;\n" +
    "--keyring-dir DIR works on DIR/keyring-file, the directory `inferenced --keyring-backend file` uses.",
  subcommands: [add, importKey, exportKey, list, show, del],
};
