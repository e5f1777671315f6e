import { afterEach } from "vitest";
import { createLocalTransferAgent, type LocalTransferAgent, type LocalTransferAgentOptions } from "../../src/inference/node/index.js";
import { requester } from "./fixtures.js";
import { opensslVerify } from "./openssl-verify.js";

const started: LocalTransferAgent[] = [];

/** A local TA that knows the vector requester and verifies signatures with OpenSSL (not with our code). */
export async function startTa(options: LocalTransferAgentOptions = {}): Promise<LocalTransferAgent> {
  const ta = await createLocalTransferAgent({
    accounts: { [requester.address]: requester.publicKeyHex },
    verify: (args) => opensslVerify({ ...args, publicKey: args.publicKey, scheme: args.scheme ?? "hashed-body" }),
    ...options,
  });
  started.push(ta);
  return ta;
}

/** A loopback URL on which nothing listens any more. */
export async function deadUrl(): Promise<string> {
  const ta = await createLocalTransferAgent();
  await ta.close();
  return ta.url;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.close()));
});

export const chatBody = (content: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: "local/echo", messages: [{ role: "user", content }], max_tokens: 16, ...extra });
