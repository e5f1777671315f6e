/**
 * Reading a signed transaction for `gonka tx broadcast`: a file (raw protobuf bytes or strict
 * base64 text) or an inline base64 argument. The bytes must decode as a `TxRaw` with a body, auth
 * info and signatures, each decoding strictly, before anything is sent: a key, mnemonic or JSON
 * file given by mistake is refused, and no character of it is shown.
 */
import { readFile, stat } from "node:fs/promises";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { base64 } from "@scure/base";
import { AuthInfoSchema, TxBodySchema, TxRawSchema } from "../../generated/proto/cosmos/tx/v1beta1/tx_pb.js";
import type { CommandContext } from "./command.js";
import { CliUsageError } from "./errors.js";

/** Largest tx file read (the chain's default max tx size is far below). */
const MAX_TX_FILE_BYTES = 4 * 1024 * 1024;

/** Strict base64 (padding, alphabet) of some text, whitespace ignored; `undefined` when it is not. */
function strictBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, "");
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  try {
    return base64.decode(compact);
  } catch {
    return undefined;
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Checks that `bytes` are exactly one `TxRaw` (no unknown fields, re-encoding gives the same
 * bytes) whose body has messages and whose auth info has a signer and a fee. Returns `undefined`
 * otherwise.
 */
export function strictTxRaw(bytes: Uint8Array): Uint8Array | undefined {
  try {
    const raw = fromBinary(TxRawSchema, bytes, { readUnknownFields: false });
    if (!equalBytes(toBinary(TxRawSchema, raw), bytes)) return undefined;
    if (raw.bodyBytes.length === 0 || raw.authInfoBytes.length === 0 || raw.signatures.length === 0) return undefined;
    const body = fromBinary(TxBodySchema, raw.bodyBytes, { readUnknownFields: false });
    const auth = fromBinary(AuthInfoSchema, raw.authInfoBytes, { readUnknownFields: false });
    if (body.messages.length === 0 || auth.signerInfos.length === 0 || !auth.fee) return undefined;
    if (auth.signerInfos.length !== raw.signatures.length) return undefined;
    return bytes;
  } catch {
    return undefined;
  }
}

/**
 * The signed tx an argument names: a file (raw `TxRaw` bytes or base64 of them) or inline base64.
 *
 * @throws {CliUsageError} when it is neither, or does not decode as a signed `TxRaw` (the message
 *   never quotes the argument's or the file's content).
 */
export async function readTxRawArg(ctx: CommandContext, arg: string): Promise<Uint8Array> {
  let isFile = false;
  try {
    isFile = (await stat(arg)).isFile();
  } catch {
    isFile = false;
  }
  if (isFile) {
    const size = (await stat(arg)).size;
    if (size > MAX_TX_FILE_BYTES) throw new CliUsageError("tx file", `the file is ${size} bytes, more than a tx can be (${MAX_TX_FILE_BYTES})`, ctx.path);
    const bytes = new Uint8Array(await readFile(arg));
    const tx = strictTxRaw(bytes) ?? (() => {
      const decoded = strictBase64(new TextDecoder().decode(bytes));
      return decoded ? strictTxRaw(decoded) : undefined;
    })();
    if (!tx) {
      throw new CliUsageError("tx file", "the file does not hold a signed TxRaw (protobuf bytes, or their base64) with a body, auth info and signatures; nothing was sent", ctx.path);
    }
    return tx;
  }
  const decoded = strictBase64(arg);
  if (!decoded) {
    throw new CliUsageError("tx bytes", `the argument (${arg.length} characters) is neither a readable file nor base64 of a signed TxRaw; nothing was sent`, ctx.path);
  }
  const tx = strictTxRaw(decoded);
  if (!tx) throw new CliUsageError("tx bytes", "the base64 does not decode as a signed TxRaw with a body, auth info and signatures; nothing was sent", ctx.path);
  return tx;
}
