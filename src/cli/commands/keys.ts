/** `gonka keys`: create, import, list, show and delete keys in the CLI keyring. */
import { generateWallet, walletFromMnemonic, walletFromPrivateKey } from "../../chain/index.js";
import { flagBool, flagString, type CommandContext, type CommandSpec } from "../command.js";
import { CliUsageError } from "../errors.js";
import { checkKeyName, Keyring, type KeyEntry } from "../keyring.js";
import { table } from "../output.js";

function publicView(k: KeyEntry, valoper?: string): Record<string, string> {
  return { name: k.name, address: k.address, ...(valoper ? { valoper } : {}), pubkey: k.pubkey, ...(k.hdPath ? { hdPath: k.hdPath } : {}) };
}

async function readSecret(ctx: CommandContext, what: string): Promise<string> {
  if (!ctx.io.readStdin) throw new CliUsageError(what, "pipe it on stdin", ctx.path);
  const text = (await ctx.io.readStdin()).trim();
  if (!text) throw new CliUsageError(what, "stdin was empty; pipe the secret in, e.g. `gonka keys import mykey < mnemonic.txt`", ctx.path);
  return text;
}

const add: CommandSpec = {
  name: "add",
  summary: "create a new key (24-word mnemonic, m/44'/1200'/0'/0/0) and store it",
  usage: "<name>",
  options: { words: { type: "string", placeholder: "<12|24>", description: "mnemonic length (default 24)" } },
  examples: ["gonka keys add operator", "gonka keys add ml-ops --json"],
  async run(ctx) {
    const name = checkKeyName(ctx.args[0]);
    const words = flagString(ctx, "words") ?? "24";
    if (words !== "12" && words !== "24") throw new CliUsageError("--words", "expected 12 or 24", ctx.path);
    const { wallet, mnemonic } = await generateWallet({ words: Number(words) as 12 | 24 });
    const entry: KeyEntry = { name, address: wallet.address, pubkey: wallet.publicKeyBase64, hdPath: wallet.hdPath, mnemonic, createdAt: new Date().toISOString() };
    await new Keyring(ctx.global.home).add(entry);
    ctx.out.result({ ...publicView(entry, wallet.valoper), mnemonic }, () => [
      `- name: ${name}`,
      `  address: ${wallet.address}`,
      `  valoper: ${wallet.valoper}`,
      `  pubkey: ${wallet.publicKeyBase64}`,
      "",
      "**Write this mnemonic down and keep it safe. It is the only way to recover the key.**",
      "",
      mnemonic,
    ]);
  },
};

const importKey: CommandSpec = {
  name: "import",
  summary: "import a key from a mnemonic (or, with --private-key, a hex private key) read from stdin",
  usage: "<name>",
  options: {
    "private-key": { type: "boolean", description: "stdin holds a 64-hex-digit private key instead of a mnemonic" },
    "account-index": { type: "string", placeholder: "<n>", description: "HD account index (default 0)" },
  },
  examples: ["gonka keys import operator < mnemonic.txt", "echo $HEX | gonka keys import warm --private-key"],
  async run(ctx) {
    const name = checkKeyName(ctx.args[0]);
    const secret = await readSecret(ctx, flagBool(ctx, "private-key") ? "private key" : "mnemonic");
    const index = flagString(ctx, "account-index");
    if (index !== undefined && !/^\d+$/.test(index)) throw new CliUsageError("--account-index", "expected a non-negative integer", ctx.path);
    const wallet = flagBool(ctx, "private-key")
      ? walletFromPrivateKey(secret)
      : await walletFromMnemonic(secret, index !== undefined ? { accountIndex: Number(index) } : {});
    const entry: KeyEntry = {
      name,
      address: wallet.address,
      pubkey: wallet.publicKeyBase64,
      ...(wallet.hdPath ? { hdPath: wallet.hdPath, mnemonic: secret } : { privateKeyHex: Buffer.from(wallet.exportPrivateKey()).toString("hex") }),
      createdAt: new Date().toISOString(),
    };
    await new Keyring(ctx.global.home).add(entry);
    ctx.out.result(publicView(entry, wallet.valoper), () => [`imported ${name}: ${wallet.address}`]);
  },
};

const list: CommandSpec = {
  name: "list",
  summary: "list stored keys",
  async run(ctx) {
    const keys = await new Keyring(ctx.global.home).list();
    ctx.out.result(
      keys.map((k) => publicView(k)),
      () => (keys.length ? table([["NAME", "ADDRESS"], ...keys.map((k) => [k.name, k.address])]) : [`no keys in ${ctx.global.home}`]),
    );
  },
};

const show: CommandSpec = {
  name: "show",
  summary: "show a key's address, valoper address and public key",
  usage: "<name|address>",
  async run(ctx) {
    const entry = await new Keyring(ctx.global.home).get(checkKeyName(ctx.args[0]));
    const valoper = entry.mnemonic
      ? (await walletFromMnemonic(entry.mnemonic, entry.hdPath ? { hdPath: entry.hdPath } : {})).valoper
      : entry.privateKeyHex
        ? walletFromPrivateKey(entry.privateKeyHex).valoper
        : undefined;
    const view = publicView(entry, valoper);
    ctx.out.result(view, () => Object.entries(view).map(([k, v]) => `${k}: ${v}`));
  },
};

const del: CommandSpec = {
  name: "delete",
  summary: "delete a key from the keyring",
  usage: "<name>",
  async run(ctx) {
    const name = checkKeyName(ctx.args[0]);
    const removed = await new Keyring(ctx.global.home).delete(name);
    if (!removed) throw new CliUsageError("key", `no key "${name}"`, ctx.path);
    ctx.out.result({ deleted: name }, () => `deleted ${name}`);
  },
};

/** The `keys` command group. */
export const keysCommand: CommandSpec = {
  name: "keys",
  summary: "manage signing keys (file keyring in --home, mode 0600, unencrypted like inferenced's test backend)",
  subcommands: [add, importKey, list, show, del],
};
