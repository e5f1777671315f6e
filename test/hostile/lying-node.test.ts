import { afterEach, describe, expect, it } from "vitest";
import { base64 } from "@scure/base";
import { broadcastTx, waitForTx } from "../../src/chain/broadcast.js";
import { createChainClient } from "../../src/chain/client.js";
import { NodeAnswerMismatchError } from "../../src/chain/errors.js";
import { encodeTxRaw, txHash } from "../../src/chain/tx.js";
import { lyingNode, type HostileServer } from "./servers.js";

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const ours = encodeTxRaw({ bodyBytes: new Uint8Array([10, 0]), authInfoBytes: new Uint8Array([18, 0]), signatures: [new Uint8Array(64)] });
const OURS = txHash(ours);
const theirs = encodeTxRaw({ bodyBytes: new Uint8Array([10, 1, 1]), authInfoBytes: new Uint8Array([18, 0]), signatures: [new Uint8Array(64)] });
const THEIRS = txHash(theirs);

async function clientOf(script: Parameters<typeof lyingNode>[0], via: "rpc" | "service", chainId?: string) {
  const node = await lyingNode(script);
  servers.push(node);
  return createChainClient({
    rpcUrl: node.url,
    restUrl: node.url,
    broadcastVia: via,
    pollIntervalMs: 10,
    confirmTimeoutMs: 2000,
    releaseCheck: false,
    ...(chainId ? { chainId } : {}),
  });
}

describe("a lying node cannot fake a broadcast or an inclusion", () => {
  for (const via of ["rpc", "service"] as const) {
    it(`broadcastTx refuses a hash other than sha256(txRaw) (${via})`, async () => {
      const chain = await clientOf({ broadcastHash: () => THEIRS, lookup: () => undefined }, via);
      const err = await broadcastTx(chain, ours).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NodeAnswerMismatchError);
      expect((err as NodeAnswerMismatchError).expected).toBe(OURS);
    });

    it(`broadcastTx returns our own hash when the node agrees (${via})`, async () => {
      const chain = await clientOf({ broadcastHash: (b64) => txHash(base64.decode(b64)), lookup: () => undefined }, via);
      expect(await broadcastTx(chain, ours)).toBe(OURS);
    });

    it(`waitForTx refuses an answer for another hash (${via})`, async () => {
      const chain = await clientOf({ broadcastHash: () => OURS, lookup: () => ({ hash: THEIRS, height: "7", txBase64: base64.encode(theirs) }) }, via);
      await expect(waitForTx(chain, OURS)).rejects.toBeInstanceOf(NodeAnswerMismatchError);
    });

    it(`waitForTx refuses an inclusion height below 1 (${via})`, async () => {
      const chain = await clientOf({ broadcastHash: () => OURS, lookup: (h) => ({ hash: h, height: "0", txBase64: base64.encode(ours) }) }, via);
      await expect(waitForTx(chain, OURS)).rejects.toBeInstanceOf(NodeAnswerMismatchError);
    });
  }

  it("waitForTx refuses tx bytes that do not hash to the looked-up hash (rpc)", async () => {
    const chain = await clientOf({ broadcastHash: () => OURS, lookup: (h) => ({ hash: h, height: "7", txBase64: base64.encode(theirs) }) }, "rpc");
    const err = await waitForTx(chain, OURS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeAnswerMismatchError);
    expect((err as NodeAnswerMismatchError).received).toBe(THEIRS);
  });

  it("waitForTx accepts an honest answer (rpc)", async () => {
    const chain = await clientOf({ broadcastHash: () => OURS, lookup: (h) => (h === OURS ? { hash: h, height: "7", txBase64: base64.encode(ours) } : undefined) }, "rpc");
    const r = await waitForTx(chain, OURS.toLowerCase());
    expect(r.hash).toBe(OURS);
    expect(r.height).toBe(7n);
  });

  it("a node of another chain than the configured chain ID is refused", async () => {
    const chain = await clientOf({ broadcastHash: () => OURS, lookup: () => undefined, chainId: "gonka-testnet" }, "rpc", "gonka-mainnet");
    await expect(chain.getChainId()).rejects.toBeInstanceOf(NodeAnswerMismatchError);
    const same = await clientOf({ broadcastHash: () => OURS, lookup: () => undefined, chainId: "gonka-mainnet" }, "rpc", "gonka-mainnet");
    expect(await same.getChainId()).toBe("gonka-mainnet");
  });
});
