/**
 * The `keyhash` file of a `file` keyring: `golang.org/x/crypto/bcrypt` of the passphrase
 * (`$2a$10$…`, 60 bytes, no newline). It only gates the passphrase prompt; the files are encrypted
 * with the passphrase itself. bcrypt comes from bcryptjs (which produces Go's strings given the
 * same salt); this file is glue.
 */
import bcrypt from "bcryptjs";
import { randomBytes } from "@noble/hashes/utils.js";
import { InvalidKeyringPasswordError, KeyhashError } from "./errors.js";

/** The cost `x/crypto/bcrypt` applies to cosmos's request for cost 2. */
export const KEYHASH_COST = 10;
/** Shortest passphrase the network CLI accepts, in bytes. */
export const MIN_PASSWORD_BYTES = 8;
/** bcrypt reads at most this many bytes; x/crypto refuses to hash more. */
export const MAX_KEYHASH_PASSWORD_BYTES = 72;

const BCRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;

/** UTF-8 length of a password. */
export function passwordBytes(password: string): number {
  return new TextEncoder().encode(password).length;
}

/**
 * Checks a password against a keyhash (bcrypt compares only the first 72 bytes, as Go does).
 *
 * @throws {KeyhashError} when the keyhash is not a bcrypt string.
 */
export async function verifyKeyhash(password: string, keyhash: string): Promise<boolean> {
  if (!BCRYPT.test(keyhash)) throw new KeyhashError("it is not a bcrypt hash ($2a$…, 60 characters)");
  return bcrypt.compare(password, keyhash);
}

/**
 * A new keyhash for a password: `$2a$10$<salt><hash>` as x/crypto/bcrypt writes it.
 *
 * @throws {InvalidKeyringPasswordError} for fewer than 8 or more than 72 bytes.
 */
export async function createKeyhash(password: string, random: (n: number) => Uint8Array = randomBytes): Promise<string> {
  const n = passwordBytes(password);
  if (n < MIN_PASSWORD_BYTES) throw new InvalidKeyringPasswordError("too-short");
  if (n > MAX_KEYHASH_PASSWORD_BYTES) throw new InvalidKeyringPasswordError("too-long");
  const salt = `$2a$${KEYHASH_COST}$${bcrypt.encodeBase64(random(16), 16)}`;
  return bcrypt.hash(password, salt);
}
