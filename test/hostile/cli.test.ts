import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base64 } from "@scure/base";
import { gonka } from "../devnet/cli-helpers.js";
import { strictTxRaw } from "../../src/cli/tx-file.js";
import { signTx } from "../../src/chain/tx.js";
import { walletFromPrivateKey } from "../../src/chain/keys.js";
import { recorder, type HostileServer } from "./servers.js";

const KEY_HEX = "1111111111111111111111111111111111111111111111111111111111111111";
const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

let node: HostileServer;
let dir: string;
beforeAll(async () => {
  node = await recorder();
  dir = mkdtempSync(join(tmpdir(), "gonka-hostile-"));
});
afterAll(() => node.close());

async function signed(): Promise<Uint8Array> {
  const wallet = walletFromPrivateKey(KEY_HEX);
  const tx = await signTx({
    wallet,
    chainId: "gonka-mainnet",
    accountNumber: 1n,
    sequence: 0n,
    gasLimit: 200_000n,
    fee: [],
    messages: [{ "@type": "/cosmos.bank.v1beta1.MsgSend", fromAddress: wallet.address, toAddress: wallet.address, amount: [{ denom: "ngonka", amount: "1" }] }],
  });
  return tx.txRaw;
}

describe("gonka tx broadcast reads only a signed TxRaw", () => {
  it("refuses key, mnemonic, JSON and keyring files without sending or showing them", async () => {
    const files: Record<string, string> = {
      "key.hex": KEY_HEX,
      "mnemonic.txt": MNEMONIC,
      "secret.json": JSON.stringify({ mnemonic: MNEMONIC }),
      "keyring.json": JSON.stringify({ keys: [{ name: "op", privateKey: KEY_HEX }] }),
    };
    for (const [name, content] of Object.entries(files)) {
      const path = join(dir, name);
      writeFileSync(path, content);
      const r = await gonka(["tx", "broadcast", path], { env: { GONKA_NODE: node.url } });
      expect(r.code, name).not.toBe(0);
      expect(r.stderr).toMatch(/does not hold a signed TxRaw/);
      expect(r.stderr).not.toContain(KEY_HEX.slice(0, 10));
      expect(r.stderr).not.toContain("abandon");
    }
    expect(node.requests).toHaveLength(0);
  });

  it("broadcast %%% is a usage error, not a raw error", async () => {
    const r = await gonka(["tx", "broadcast", "%%%"], { env: { GONKA_NODE: node.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CliUsageError|neither a readable file nor base64/);
    expect(node.requests).toHaveLength(0);
  });

  it("accepts a real signed TxRaw as bytes and as base64; refuses trailing garbage", async () => {
    const raw = await signed();
    expect(strictTxRaw(raw)).toEqual(raw);
    expect(strictTxRaw(new Uint8Array([...raw, 0x42, 0x01, 0x00]))).toBeUndefined();
    expect(strictTxRaw(base64.decode(base64.encode(raw)))).toEqual(raw);
    expect(strictTxRaw(new TextEncoder().encode(KEY_HEX))).toBeUndefined();
  });
});

describe("CLI arguments", () => {
  it("--timeout 0 and --timeout 3000000000 are usage errors", async () => {
    for (const t of ["0", "3000000000"]) {
      const r = await gonka(["--timeout", t, "tx", "vote", "1", "yes"], { env: { GONKA_NODE: node.url, GONKA_PRIVATE_KEY: KEY_HEX } });
      expect(r.code, t).toBe(2);
      expect(r.stderr).toMatch(/--timeout/);
    }
  });

  it("vote 2^64 is a usage error", async () => {
    const r = await gonka(["tx", "vote", "18446744073709551616", "yes"], { env: { GONKA_NODE: node.url, GONKA_PRIVATE_KEY: KEY_HEX } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/18446744073709551615/);
  });

  it("deposit-collateral 5atom is refused, not read as 5 ngonka", async () => {
    const r = await gonka(["tx", "deposit-collateral", "5atom"], { env: { GONKA_NODE: node.url, GONKA_PRIVATE_KEY: KEY_HEX } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a Gonka denomination/);
  });

  it("a key file passed where JSON is expected shows none of its characters", async () => {
    const path = join(dir, "k.hex");
    const hexKey = `ab${KEY_HEX.slice(2)}`;
    writeFileSync(path, hexKey);
    const r = await gonka(["tx", "sign", path, "--chain-id", "gonka-mainnet", "--account-number", "1", "--sequence", "0", "--gas", "1"], { env: { GONKA_NODE: node.url, GONKA_PRIVATE_KEY: KEY_HEX } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not valid JSON/);
    expect(r.stderr).not.toContain(hexKey.slice(0, 6));
    const mn = join(dir, "m.txt");
    writeFileSync(mn, MNEMONIC);
    const r2 = await gonka(["tx", "sign", mn, "--chain-id", "gonka-mainnet", "--account-number", "1", "--sequence", "0", "--gas", "1"], { env: { GONKA_NODE: node.url, GONKA_PRIVATE_KEY: KEY_HEX } });
    expect(r2.stderr).toMatch(/not valid JSON/);
    expect(r2.stderr).not.toContain("abandon");
  });

  it("a password in --node is never shown", async () => {
    const url = node.url.replace("http://", "http://op:hunter2-secret@");
    const before = node.requests.length;
    const r = await gonka(["--node", url, "network"], {});
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toContain("hunter2-secret");
    expect(r.stderr).not.toMatch(/unreachable/i);
    expect(node.requests.length).toBeGreaterThan(before);
  });
});

describe("environment values are not echoed", () => {
  it("a private key put into GONKA_ENDPOINTS or GONKA_BROKER_URL by mistake is not in the error", async () => {
    const { gonkaFetchOptionsFromEnv } = await import("../../src/inference/env.js");
    const { gonkaFetch } = await import("../../src/inference/index.js");
    const secret = "ab".repeat(32);
    for (const env of [{ GONKA_PRIVATE_KEY: KEY_HEX, GONKA_ENDPOINTS: secret }, { GONKA_API_KEY: "k", GONKA_BROKER_URL: secret }, { GONKA_PRIVATE_KEY: KEY_HEX, GONKA_SOURCE_URL: secret }]) {
      let message = "";
      try {
        gonkaFetch(gonkaFetchOptionsFromEnv(env) as never);
      } catch (e) {
        message = `${(e as Error).message} ${JSON.stringify(e)}`;
      }
      expect(message).not.toBe("");
      expect(message).not.toContain(secret.slice(0, 8));
    }
  });
});

describe("arguments that may be secrets are not echoed", () => {
  it("a mnemonic typed where a command is expected is not repeated", async () => {
    const r = await gonka([MNEMONIC]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command \(an argument of \d+ characters\)/);
    expect(r.stderr).not.toContain("abandon");
  });

  it("a node's huge JSON-RPC error is quoted as a bounded excerpt", async () => {
    const { startHostile } = await import("./servers.js");
    const { createCometRpc } = await import("../../src/chain/transport/rpc.js");
    const liar = await startHostile((_q, res) => void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: 1, error: { code: -1, message: "m".repeat(1_000_000) } })));
    try {
      const err = (await createCometRpc({ baseUrl: liar.url }).status().catch((e: unknown) => e)) as Error;
      expect(err.message.length).toBeLessThan(1200);
    } finally {
      await liar.close();
    }
  });
});
