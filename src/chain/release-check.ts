import { fromBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import { reflect } from "@bufbuild/protobuf/reflect";
import { registry } from "../proto/index.js";
import type { MsgExec, MsgGrant } from "../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import { GenericAuthorizationSchema } from "../../generated/proto/cosmos/authz/v1beta1/authz_pb.js";
import type { MsgSubmitProposal } from "../../generated/proto/cosmos/gov/v1/tx_pb.js";
import type { ChainContext } from "./context.js";
import type { ResolvedMessage } from "./messages.js";
import { getNetworkInfo, type NetworkInfo } from "./query/network.js";
import { assertMessageTypesAvailable, UnknownNetworkReleaseError, type TxTypeUrl } from "../network/availability.js";
import { NEWEST_KNOWN_RELEASE } from "../network/info.js";
import type { TxMessageTypes } from "../network/fees.js";

const EXEC = "/cosmos.authz.v1beta1.MsgExec";
const GRANT = "/cosmos.authz.v1beta1.MsgGrant";
const PROPOSAL = "/cosmos.gov.v1.MsgSubmitProposal";
const GENERIC = "/cosmos.authz.v1beta1.GenericAuthorization";

/**
 * Every message type URL a tx makes the chain resolve, with where it sits: the messages, those
 * inside `MsgExec` and `MsgSubmitProposal`, and the type an authz `GenericAuthorization` grants
 * (the chain refuses a grant for a type it does not route).
 */
export function txTypeUrls(messages: readonly ResolvedMessage[]): TxTypeUrl[] {
  const out: TxTypeUrl[] = [];
  const inner = (a: { typeUrl: string; value: Uint8Array }, where: string): TxTypeUrl => {
    const schema = registry.getMessage(a.typeUrl.slice(a.typeUrl.lastIndexOf("/") + 1));
    if (!schema) return { typeUrl: a.typeUrl, where };
    try {
      return { typeUrl: a.typeUrl, where, setFields: setFieldsOf(schema, fromBinary(schema, a.value)) };
    } catch {
      return { typeUrl: a.typeUrl, where };
    }
  };
  messages.forEach((m, i) => {
    const where = `messages[${i}]`;
    out.push({ typeUrl: m.typeUrl, where, setFields: setFieldsOf(m.schema, m.message) });
    if (m.typeUrl === EXEC) (m.message as MsgExec).msgs.forEach((a, j) => out.push(inner(a, `${where}.msgs[${j}]`)));
    if (m.typeUrl === PROPOSAL) (m.message as MsgSubmitProposal).messages.forEach((a, j) => out.push(inner(a, `${where}.messages[${j}]`)));
    if (m.typeUrl === GRANT) {
      const auth = (m.message as MsgGrant).grant?.authorization;
      if (auth?.typeUrl === GENERIC) {
        try {
          out.push({ typeUrl: fromBinary(GenericAuthorizationSchema, auth.value).msg, where: `${where}.grant.authorization.msg` });
        } catch {
          // an undecodable authorization is the chain's to refuse
        }
      }
    }
  });
  return out;
}

/** The proto names of the fields a message sets. */
function setFieldsOf(schema: DescMessage, message: Message): string[] {
  const r = reflect(schema, message);
  return r.fields.filter((f) => r.isSet(f)).map((f) => f.name);
}

/** The top-level message types of a tx, with the types inside each `MsgExec` (for the fee rules). */
export function txMessageTypes(messages: readonly ResolvedMessage[]): TxMessageTypes[] {
  return messages.map((m) => (m.typeUrl === EXEC ? { typeUrl: m.typeUrl, inner: (m.message as MsgExec).msgs.map((a) => a.typeUrl) } : { typeUrl: m.typeUrl }));
}

/**
 * The node's {@link NetworkInfo}, cached per client for `network.infoTtlMs` (60 s by default).
 */
export function cachedNetworkInfo(ctx: ChainContext): Promise<NetworkInfo> {
  return ctx.cache ? ctx.cache.get("networkInfo", ctx.network?.infoTtlMs ?? 60_000, () => getNetworkInfo(ctx)) : getNetworkInfo(ctx);
}

/**
 * Checks every message type of a tx against the release the node runs, before signing (unless
 * the client turned the check off). A node newer than the SDK knows is checked against the newest
 * known release.
 *
 * @throws {MessageTypeNotInReleaseError} for a type the node's release does not have.
 * @throws {UnknownNetworkReleaseError} when the release cannot be determined and the client does not allow that.
 */
export async function checkNodeRelease(ctx: ChainContext, messages: readonly ResolvedMessage[]): Promise<void> {
  const policy = ctx.network;
  if (!policy?.releaseCheck) return;
  let info: NetworkInfo;
  try {
    info = await cachedNetworkInfo(ctx);
  } catch (e) {
    if (policy.allowUnknownRelease) return;
    throw new UnknownNetworkReleaseError("", { cause: e });
  }
  const release = info.release ?? (info.match === "newer" ? NEWEST_KNOWN_RELEASE : undefined);
  if (!release) {
    if (policy.allowUnknownRelease) return;
    throw new UnknownNetworkReleaseError(info.appVersion);
  }
  assertMessageTypesAvailable(txTypeUrls(messages), release);
}
