import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { getOption, type DescMessage, type Message, type Registry } from "@bufbuild/protobuf";
import { signer as signerOption } from "../../generated/proto/cosmos/msg/v1/msg_pb.js";
import type { MsgSubmitNewParticipant, MsgSubmitPocBatch } from "../../generated/proto/inference/inference/tx_pb.js";
import type { MsgExec } from "../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import type { MsgVote } from "../../generated/proto/cosmos/gov/v1/tx_pb.js";
import type { MsgDepositCollateral, MsgWithdrawCollateral } from "../../generated/proto/inference/collateral/tx_pb.js";
import { InvalidArgumentError } from "../errors.js";
import { decodeAddress, ACCOUNT_PREFIX, VALOPER_PREFIX } from "./address.js";
import { tryFromBase64 } from "./bytes.js";
import { loadedTypes, registryNeeded } from "../proto/registry-hook.js";
import type { ResolvedMessage } from "./messages.js";

/** Names of the signer fields of a message type (from its `cosmos.msg.v1.signer` option). */
export function signerFieldsOf(schema: DescMessage): string[] {
  const declared = getOption(schema, signerOption);
  return Array.isArray(declared) ? declared : [];
}

/** The signer addresses of a message, in declaration order (empty strings kept). */
export function signersOf(schema: DescMessage, message: Message): { field: string; value: string }[] {
  return signerFieldsOf(schema).map((name) => {
    const field = schema.fields.find((f) => f.name === name);
    const value = field ? (message as unknown as Record<string, unknown>)[field.localName] : undefined;
    return { field: name, value: typeof value === "string" ? value : "" };
  });
}

/**
 * Checks that every top-level message names a signer and that the signer is `address` (the
 * same 20 bytes; valoper-encoded signers such as `MsgUnjail.validator_addr` count).
 *
 * @throws {InvalidArgumentError} naming the message index and the field.
 */
export function checkSigners(messages: readonly ResolvedMessage[], address: string): void {
  const own = decodeAddress(address, ACCOUNT_PREFIX, "wallet.address");
  messages.forEach((m, i) => {
    const signers = signersOf(m.schema, m.message);
    if (signers.length === 0) {
      throw new InvalidArgumentError(`messages[${i}]`, `${m.typeUrl} declares no signer field; it cannot be sent in a tx`);
    }
    for (const s of signers) {
      const where = `messages[${i}].${s.field}`;
      if (!s.value) throw new InvalidArgumentError(where, `is empty: ${m.typeUrl} must name its signer`);
      const bytes = decodeSigner(where, s.value);
      if (!equalBytes(bytes, own)) {
        throw new InvalidArgumentError(where, `is ${s.value}, but the tx is signed by ${address}`, {
          details: "Sign with the key of that account, or wrap the message in an authz MsgExec (execAs).",
        });
      }
    }
  });
}

/**
 * Runs the chain's `ValidateBasic` checks the SDK knows for each message (and for messages
 * wrapped in `MsgExec`), so that bad input fails before signing.
 *
 * The messages inside a `MsgExec` are decoded with `registry`: by default the SDK's registry
 * when it is loaded (always in Node); with none (`null`, or nothing loaded) a `MsgExec` is
 * refused, never passed unchecked.
 *
 * @throws {InvalidArgumentError} naming the message and field at fault.
 */
export function validateMessages(messages: readonly ResolvedMessage[], prefix = "messages", registry: Registry | null | undefined = loadedTypes()?.registry): void {
  messages.forEach((m, i) => validateOne(registry, m.typeUrl, m.message, `${prefix}[${i}]`));
}

function validateOne(registry: Registry | null | undefined, typeUrl: string, message: Message, where: string): void {
  switch (typeUrl) {
    case "/inference.inference.MsgSubmitPocBatch":
      return validatePocBatch(message as MsgSubmitPocBatch, where);
    case "/inference.inference.MsgSubmitNewParticipant": {
      const m = message as MsgSubmitNewParticipant;
      if (m.url) checkParticipantUrl(`${where}.url`, m.url);
      if (m.validatorKey) checkEd25519Key(`${where}.validatorKey`, m.validatorKey);
      if (m.workerKey) checkEd25519Key(`${where}.workerKey`, m.workerKey);
      return;
    }
    case "/cosmos.gov.v1.MsgVote": {
      if ((message as MsgVote).option === 0) throw new InvalidArgumentError(`${where}.option`, "must not be VOTE_OPTION_UNSPECIFIED");
      return;
    }
    case "/inference.collateral.MsgDepositCollateral":
    case "/inference.collateral.MsgWithdrawCollateral": {
      const amount = (message as MsgDepositCollateral | MsgWithdrawCollateral).amount;
      if (!amount || amount.denom !== "ngonka") {
        throw new InvalidArgumentError(`${where}.amount`, "collateral must be in ngonka");
      }
      return;
    }
    case "/cosmos.authz.v1beta1.MsgExec": {
      const exec = message as MsgExec;
      if (exec.msgs.length === 0) throw new InvalidArgumentError(`${where}.msgs`, "MsgExec needs at least one message");
      if (!registry) throw registryNeeded(where, "is a MsgExec, whose messages are google.protobuf.Any values");
      exec.msgs.forEach((any, j) => {
        const inner = anyUnpack(any, registry);
        if (!inner) throw new InvalidArgumentError(`${where}.msgs[${j}]`, `unknown type URL ${any.typeUrl}`);
        const schema = registry.getMessage(inner.$typeName);
        if (schema) {
          for (const s of signersOf(schema, inner)) {
            if (!s.value) throw new InvalidArgumentError(`${where}.msgs[${j}].${s.field}`, `is empty: ${any.typeUrl} must name its signer`);
            decodeSigner(`${where}.msgs[${j}].${s.field}`, s.value);
          }
        }
        validateOne(registry, any.typeUrl, inner, `${where}.msgs[${j}]`);
      });
      return;
    }
  }
}

/** The checks of `MsgSubmitPocBatch.ValidateBasic`. */
export function validatePocBatch(m: Pick<MsgSubmitPocBatch, "pocStageStartBlockHeight" | "batchId" | "nonces" | "dist">, where = "batch"): void {
  if (m.pocStageStartBlockHeight <= 0n) throw new InvalidArgumentError(`${where}.pocStageStartBlockHeight`, "must be > 0");
  if (!m.batchId.trim()) throw new InvalidArgumentError(`${where}.batchId`, "must not be blank");
  if (m.nonces.length === 0) throw new InvalidArgumentError(`${where}.nonces`, "must not be empty");
  if (m.dist.length === 0) throw new InvalidArgumentError(`${where}.dist`, "must not be empty");
  if (m.nonces.length !== m.dist.length) {
    throw new InvalidArgumentError(`${where}.dist`, `has ${m.dist.length} entries but nonces has ${m.nonces.length}`);
  }
  m.nonces.forEach((n, k) => {
    if (n < 0n) throw new InvalidArgumentError(`${where}.nonces[${k}]`, "must be ≥ 0");
  });
  m.dist.forEach((d, k) => {
    if (!Number.isFinite(d)) throw new InvalidArgumentError(`${where}.dist[${k}]`, `is ${d}; distances must be finite`);
    if (d < 0) throw new InvalidArgumentError(`${where}.dist[${k}]`, "must be ≥ 0");
  });
}

/** Checks a participant's public URL: http or https with a host. */
export function checkParticipantUrl(where: string, url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidArgumentError(where, "is not a URL");
  }
  if ((u.protocol !== "http:" && u.protocol !== "https:") || !u.hostname) {
    throw new InvalidArgumentError(where, "must be an http:// or https:// URL with a host");
  }
}

/** Checks a consensus/worker key: standard base64 of exactly 32 bytes (an ed25519 public key). */
export function checkEd25519Key(where: string, key: string): void {
  const bytes = tryFromBase64(key);
  if (!bytes) throw new InvalidArgumentError(where, "is not standard base64 (the form /status shows in validator_info.pub_key.value)");
  if (bytes.length !== 32) throw new InvalidArgumentError(where, `decodes to ${bytes.length} bytes; an ed25519 public key is 32`);
}

function decodeSigner(where: string, value: string): Uint8Array {
  return value.startsWith(`${VALOPER_PREFIX}1`)
    ? decodeAddress(value, VALOPER_PREFIX, where)
    : decodeAddress(value, ACCOUNT_PREFIX, where);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Wraps an action `(ctx, wallet, args, …)` so that wrong-typed arguments end as
 * {@link InvalidArgumentError}: `args` must be an object, and a raw `TypeError`, `RangeError` or
 * `SyntaxError` (what `BigInt("zz")` or reading a field of `null` throws) is reported as one,
 * with the original as `cause`. Errors of the SDK pass through unchanged.
 *
 * @example
 * ```ts
 * const safeVote = guardAction("vote", vote);
 * await safeVote(chain, wallet, null as never); // InvalidArgumentError: Invalid vote arguments: …
 * ```
 */
export function guardAction<F extends (ctx: never, wallet: never, args: never, ...rest: never[]) => Promise<unknown>>(name: string, action: F, argsOptional = false): F {
  const guarded = async (ctx: unknown, wallet: unknown, args: unknown, ...rest: unknown[]): Promise<unknown> => {
    if (!(argsOptional && args === undefined) && (args === null || typeof args !== "object" || Array.isArray(args))) {
      throw new InvalidArgumentError(`${name} arguments`, `expected an object of named arguments, got ${args === null ? "null" : Array.isArray(args) ? "an array" : typeof args}`);
    }
    try {
      return await (action as unknown as (...a: unknown[]) => Promise<unknown>)(ctx, wallet, args, ...rest);
    } catch (e) {
      if (e instanceof TypeError || e instanceof RangeError || e instanceof SyntaxError) {
        throw new InvalidArgumentError(`${name} arguments`, e.message.length > 200 ? `${e.message.slice(0, 200)}…` : e.message, { cause: e });
      }
      throw e;
    }
  };
  Object.defineProperty(guarded, "name", { value: name });
  return guarded as unknown as F;
}
