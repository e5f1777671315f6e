/**
 * Admin-API-specific errors.
 * @module
 */
import { GonkaError } from "../errors.js";
import type { HttpError } from "../http/index.js";

/**
 * `POST /admin/v1/nodes/batch` answered **400** `{"error":{"error":"all nodes failed validation",
 * "errors":[…]}}`: no node was registered. `errors` holds one line per entry,
 * `node[i] (id: X): <reason>`.
 */
export class NodeBatchRejectedError extends GonkaError {
  override name = "NodeBatchRejectedError";
  /** One line per refused entry, as the node wrote it. */
  readonly errors: readonly string[];
  /** Full URL of the request. */
  readonly url: string;
  constructor(cause: HttpError, errors: readonly string[]) {
    super(`The network node refused every MLNode of the batch (HTTP 400 from ${cause.method} ${cause.url})`, {
      cause,
      metaMessages: errors.slice(0, 20).map((e) => `- ${e}`),
      details: "Fix the listed entries: ids and hosts non-empty, ports 1–65535, max_concurrent > 0, at least one governance model.",
    });
    this.errors = errors;
    this.url = cause.url;
  }
}
