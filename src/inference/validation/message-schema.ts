/**
 * The message checks a transfer agent and an executor apply to a chat body before rewriting it
 * (inference-flow.md §3.2 step 1, rest-upgrades.md §2.2): each message is an object with a
 * non-empty string `role`; `content` is a string, `null` or an array of typed parts (text parts
 * need a non-empty `text`); user, system and developer messages need non-empty content and no
 * `tool_calls`; tool messages need `tool_call_id`.
 *
 * The error texts of the cases the vectors pin (`messages[0].role: is required`,
 * `messages[0].content: is required`, `messages[0].content: must be a string or an array of
 * typed content parts`) are the node's; the texts of the other checks follow the same pattern
 * but are not pinned by a vector.
 */
import type { JsonValue } from "./go-json.js";

type JsonObject = { [key: string]: JsonValue };

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function has(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function requiredString(o: JsonObject, key: string): string | { error: string } {
  if (!has(o, key) || o[key] === null) return { error: "is required" };
  const v = o[key];
  if (typeof v !== "string") return { error: "must be a string" };
  if (v.trim() === "") return { error: "must not be empty" };
  return v;
}

const CONTENT_SHAPE = "must be a string or an array of typed content parts";

/** Checks a content value's shape; returns an error suffix or undefined. */
function contentShapeError(content: JsonValue | undefined): string | undefined {
  if (content === undefined || content === null || typeof content === "string") return undefined;
  if (!Array.isArray(content)) return CONTENT_SHAPE;
  for (let i = 0; i < content.length; i++) {
    const part = content[i];
    if (!isObject(part)) return `[${i}] must be an object`;
    const type = requiredString(part, "type");
    if (typeof type !== "string") return `[${i}].type: ${type.error}`;
    if (type === "text") {
      const text = requiredString(part, "text");
      if (typeof text !== "string") return `[${i}].text: ${text.error}`;
    }
  }
  return undefined;
}

function contentIsEmpty(content: JsonValue | undefined): boolean {
  if (typeof content === "string") return content.trim() === "";
  if (Array.isArray(content)) return content.length === 0;
  return false;
}

/**
 * Returns the node's error text for a chat body that fails the message checks, or undefined when
 * the body passes (a body without `messages`, such as a completions body, is not checked here).
 *
 * @example
 * ```ts
 * messageSchemaError({ messages: [{ role: "user" }] }); // "messages[0].content: is required"
 * ```
 */
export function messageSchemaError(body: { [key: string]: JsonValue }): string | undefined {
  if (!has(body, "messages")) return undefined;
  const messages = body["messages"];
  if (!Array.isArray(messages)) return "messages must be an array";
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (!isObject(message)) return `messages[${i}] must be an object`;
    const role = requiredString(message, "role");
    if (typeof role !== "string") return `messages[${i}].role: ${role.error}`;
    const content = has(message, "content") ? message["content"] : undefined;
    if (role === "user" || role === "system" || role === "developer") {
      if (has(message, "tool_calls")) return `messages[${i}]: tool_calls is not allowed for this role`;
      if (content === undefined || content === null) return `messages[${i}].content: is required`;
    }
    if (role === "tool") {
      const id = requiredString(message, "tool_call_id");
      if (typeof id !== "string") return `messages[${i}].tool_call_id: ${id.error}`;
    }
    const shape = contentShapeError(content);
    if (shape !== undefined) return `messages[${i}].content${shape.startsWith("[") ? "" : ": "}${shape}`;
    if ((role === "user" || role === "system" || role === "developer") && contentIsEmpty(content)) {
      return `messages[${i}].content: must not be empty`;
    }
  }
  return undefined;
}
