/**
 * Child process of the concurrency test: opens the keyring in argv[2], says "ready", waits for a
 * line on stdin, then adds argv[4] keys named `<argv[3]>-<i>` from fresh random private keys and
 * prints their addresses as JSON ("exists" where the name was taken meanwhile).
 */
import { randomBytes } from "@noble/hashes/utils.js";
import { openFileKeyring } from "../../../src/chain/keyring/file-keyring.js";
import { KeyExistsError } from "../../../src/chain/keyring/errors.js";

const [dir, prefix, count] = process.argv.slice(2);
const keyring = await openFileKeyring({ dir: dir!, password: process.env.KEYRING_PASSWORD! });
process.stdout.write("ready\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
const added: Record<string, string> = {};
for (let i = 0; i < Number(count); i++) {
  const name = `${prefix}-${i}`;
  try {
    added[name] = (await keyring.add(name, { privateKey: randomBytes(32) })).address;
  } catch (e) {
    if (!(e instanceof KeyExistsError)) throw e;
    added[name] = "exists";
  }
}
process.stdout.write(`${JSON.stringify(added)}\n`);
process.stdin.destroy();
