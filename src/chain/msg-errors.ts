import { fromBinary, type DescField, type DescMessage } from "@bufbuild/protobuf";
import type { Any } from "@bufbuild/protobuf/wkt";
import { MsgExecResponseSchema, MsgExecSchema } from "../../generated/proto/cosmos/authz/v1beta1/tx_pb.js";
import { registry, typeNameOfUrl } from "../proto/index.js";
import type { MsgFailure } from "./errors.js";

const EXEC = "/cosmos.authz.v1beta1.MsgExec";
const EXEC_RESPONSE = "/cosmos.authz.v1beta1.MsgExecResponse";

/** The string field `error_message` of a response schema, when it has one. */
function errorField(schema: DescMessage | undefined): DescField | undefined {
  return schema?.fields.find((f) => f.name === "error_message" && f.fieldKind === "scalar");
}

function errorOf(schema: DescMessage, field: DescField, bytes: Uint8Array): string {
  try {
    const v = (fromBinary(schema, bytes) as unknown as Record<string, unknown>)[field.localName];
    return typeof v === "string" ? v : "";
  } catch {
    return "";
  }
}

/**
 * The messages of an included tx whose response reports a failure in `error_message` (every
 * response type of the SDK's registry that has such a field: today `MsgStartInferenceResponse` and
 * `MsgFinishInferenceResponse`). Responses inside `MsgExecResponse.results` carry no type URL, so
 * they are read as the response of the matching message inside the tx's `MsgExec`; pass the tx's
 * messages for that.
 *
 * @param responses `TxMsgData.msg_responses`
 * @param messages the tx body's messages (optional; needed for `MsgExec`)
 * @example
 * ```ts
 * const failures = msgFailures(result.msgResponses, body.messages);
 * if (failures.length) console.log(failures[0].errorMessage);
 * ```
 */
export function msgFailures(responses: readonly Any[], messages?: readonly Any[]): MsgFailure[] {
  const out: MsgFailure[] = [];
  responses.forEach((resp, i) => {
    const responseTypeUrl = `/${typeNameOfUrl(resp.typeUrl)}`;
    const schema = registry.getMessage(typeNameOfUrl(resp.typeUrl));
    const field = errorField(schema);
    const sent = messages?.[i];
    if (schema && field) {
      const errorMessage = errorOf(schema, field, resp.value);
      if (errorMessage) out.push({ messageIndex: i, messageTypeUrl: sent?.typeUrl ?? responseTypeUrl.replace(/Response$/, ""), responseTypeUrl, errorMessage });
    }
    if (responseTypeUrl === EXEC_RESPONSE && sent?.typeUrl === EXEC) {
      let inner: Any[];
      let results: Uint8Array[];
      try {
        inner = fromBinary(MsgExecSchema, sent.value).msgs;
        results = fromBinary(MsgExecResponseSchema, resp.value).results;
      } catch {
        return;
      }
      results.forEach((bytes, j) => {
        const innerUrl = inner[j]?.typeUrl;
        if (!innerUrl) return;
        const innerSchema = registry.getMessage(`${typeNameOfUrl(innerUrl)}Response`);
        const innerField = errorField(innerSchema);
        if (!innerSchema || !innerField) return;
        const errorMessage = errorOf(innerSchema, innerField, bytes);
        if (errorMessage) out.push({ messageIndex: i, innerIndex: j, messageTypeUrl: innerUrl, responseTypeUrl: `/${innerSchema.typeName}`, errorMessage });
      });
    }
  });
  return out;
}
