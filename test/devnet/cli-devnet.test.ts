import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevnet, type Devnet } from "../../src/devnet/index.js";
import { gonka as run } from "./cli-helpers.js";

let devnet: Devnet;
let home: string;
const gonka = (argv: string[], stdin?: string) =>
  run([...argv, "--node", devnet.url, "--admin", devnet.adminUrl, "--home", home], { env: { KEYRING_PASSWORD: "devnet keyring password" }, ...(stdin === undefined ? {} : { stdin }) });
const KNOWN_MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const KNOWN_ADDRESS = "gonka1k4swv40ur28fvu54p8mskjj4lxkgsj07u9f8ny"; // wire.json keys[0]

beforeAll(async () => {
  devnet = await startDevnet({ pocVersion: 1, blockTimeMs: 20, votingPeriodMs: 2500 }); // `poc simulate --send` posts to the v1 callbacks
  home = mkdtempSync(join(tmpdir(), "gonka-cli-"));
});
afterAll(async () => {
  await devnet.stop();
  rmSync(home, { recursive: true, force: true });
});

describe("gonka CLI against the devnet", () => {
  it("imports a key from stdin into a 0600 keyring and shows the golden address", async () => {
    const r = await gonka(["keys", "import", "op", "--json"], KNOWN_MNEMONIC);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: "op", address: KNOWN_ADDRESS });
    expect(r.stdout + r.stderr).not.toContain("abandon");
    expect(statSync(join(home, "keyring-file", "op.info")).mode & 0o777).toBe(0o600);
    const dup = await gonka(["keys", "import", "op"], KNOWN_MNEMONIC);
    expect(dup.code).toBe(2);
    const list = await gonka(["keys", "list", "--json"]);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: "op", address: KNOWN_ADDRESS })]);
  });

  it("registers a participant, grants ML-ops permissions and reports progress on stderr", async () => {
    devnet.fund(KNOWN_ADDRESS, 10n ** 12n);
    const reg = await gonka(["tx", "submit-new-participant", "--url", "http://10.0.0.1:8000", "--validator-key", devnet.participant.validatorKey, "--from", "op", "--json"]);
    expect(reg.code).toBe(0);
    const out = JSON.parse(reg.stdout);
    expect(out.hash).toMatch(/^[0-9A-F]{64}$/);
    expect(reg.stderr).toMatch(/waiting for inclusion…\n.*included after/);
    expect(devnet.chainState!.participants.get(KNOWN_ADDRESS)?.inferenceUrl).toBe("http://10.0.0.1:8000");

    const warm = JSON.parse((await gonka(["keys", "add", "warm", "--json"])).stdout);
    const grant = await gonka(["tx", "grant-ml-ops-permissions", warm.address, "--from", "op"]);
    expect(grant.code).toBe(0);
    const grantees = await gonka(["query", "grantees", KNOWN_ADDRESS, "/inference.inference.MsgSubmitPocBatch", "--json"]);
    expect(grantees.stdout).toContain(warm.address);
  });

  it("submits a proposal from JSON, votes with power, and the tally passes it", async () => {
    devnet.chainState!.power.set(KNOWN_ADDRESS, 90n);
    devnet.fund("gonka10d07y265gmmuvt4z0w9aw880jnsr700j2h5m33", 100n); // the gov module pays out
    const proposal = join(home, "proposal.json");
    writeFileSync(
      proposal,
      JSON.stringify({
        messages: [{ "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: "gonka10d07y265gmmuvt4z0w9aw880jnsr700j2h5m33", to_address: KNOWN_ADDRESS, amount: [{ denom: "ngonka", amount: "1" }] }],
        title: "Pay the operator",
        summary: "devnet test proposal",
        deposit: "25mgonka",
      }),
    );
    const sub = await gonka(["tx", "submit-proposal", proposal, "--from", "op", "--json"]);
    expect(sub.code, sub.stderr).toBe(0);
    const proposals = JSON.parse((await gonka(["query", "proposals", "--json"])).stdout) as { id: string }[];
    const id = proposals.at(-1)!.id;
    const vote = await gonka(["tx", "vote", id, "yes", "--from", "op"]);
    expect(vote.code, vote.stderr).toBe(0);
    expect(vote.stdout).toMatch(/vote: included in block \d+/);
    const tally = JSON.parse((await gonka(["query", "tally", id, "--json"])).stdout);
    expect(tally.yesCount ?? tally.yes_count ?? tally.yes).toBe("90");
    let final = { status: "" };
    for (let i = 0; i < 40 && final.status !== "PROPOSAL_STATUS_PASSED"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      final = JSON.parse((await gonka(["query", "proposal", id, "--json"])).stdout);
    }
    expect(final.status).toBe("PROPOSAL_STATUS_PASSED");
  });

  it("signs a tx from a proto3-JSON file offline and broadcasts it", async () => {
    const acct = JSON.parse((await gonka(["query", "account", KNOWN_ADDRESS, "--json"])).stdout);
    const msgs = join(home, "send.json");
    writeFileSync(msgs, JSON.stringify([{ "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: KNOWN_ADDRESS, to_address: devnet.participant.address, amount: [{ denom: "ngonka", amount: "7" }] }]));
    const signed = await gonka(["tx", "sign", msgs, "--from", "op", "--chain-id", "gonka-devnet", "--account-number", acct.accountNumber, "--sequence", acct.sequence, "--gas", "200000", "--json"]);
    expect(signed.code, signed.stderr).toBe(0);
    const { txRaw, hash } = JSON.parse(signed.stdout);
    const before = devnet.chainState!.balance(devnet.participant.address, "ngonka");
    const sent = await gonka(["tx", "broadcast", txRaw, "--json"]);
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout).hash).toBe(hash);
    expect(devnet.chainState!.balance(devnet.participant.address, "ngonka") - before).toBe(7n);
  });

  it("refuses when --chain-id is not the chain the node serves (exit 1, nothing broadcast)", async () => {
    const r = await gonka(["tx", "send", devnet.participant.address, "1ngonka", "--from", "op", "--chain-id", "gonka-mainnet", "--gas", "100000"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: .*chain ID/im);
    expect(r.stderr).toContain("gonka-mainnet");
  });

  it("exits 4 when the node refuses the tx in simulation (unjail of a validator that is not jailed)", async () => {
    const r = await gonka(["tx", "unjail", "--from", "op"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("validator not jailed");
  });

  it("manages MLNodes through the admin API", async () => {
    const node = { id: "n1", host: "127.0.0.1", inference_port: 5000, poc_port: 8080, max_concurrent: 10, models: { "Qwen/Qwen2.5-7B-Instruct": { args: [] } } };
    expect((await gonka(["admin", "add-node", JSON.stringify(node)])).code).toBe(0);
    const list = await gonka(["admin", "nodes"]);
    expect(list.stdout).toMatch(/^n1\s+127\.0\.0\.1\s+8080\s+true/m);
    expect((await gonka(["admin", "disable-node", "n1"])).stdout.trim()).toBe("node disabled successfully");
    const missing = await gonka(["admin", "enable-node", "ghost"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("node not found: ghost");
  });
});

describe("gonka poc", () => {
  it("simulates generation, then validates the batch it printed", async () => {
    const sim = await run(["poc", "simulate", "--nonces", "12", "--batch-size", "12", "--block-hash", "00000000000000000000a1b2c3d4e5f6tiny", "--public-key", "gonka1qyqszqgpqyqszqgpqyqszqgpqyqszqgp0test", "--json"]);
    expect(sim.code, sim.stderr).toBe(0);
    expect(sim.stderr).toMatch(/12\/12 nonces, 5 valid, [\d.]+ nonces\/s/);
    const batch = JSON.parse(sim.stdout);
    expect(batch.nonces).toEqual([0, 1, 3, 4, 5]); // poc.json "tiny": distances below r_target
    const file = join(home, "batch.json");
    writeFileSync(file, sim.stdout);
    const ok = await run(["poc", "validate", file, "--json"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ n_invalid: 0, fraud_detected: false });
    writeFileSync(file, JSON.stringify({ ...batch, nonces: [2, 6, 7, 8], dist: [1, 1, 1, 1] }));
    const bad = await run(["poc", "validate", file]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("FRAUD DETECTED");
    expect(bad.stderr).toContain("fraud detected: 4 of 4 nonces do not reproduce");
  });

  it("runs the FAQ's init/generate request and POSTs batches to its callback URL (--request --send)", async () => {
    const tiny = { dim: 64, n_layers: 2, n_heads: 4, n_kv_heads: 4, vocab_size: 100, ffn_dim_multiplier: 1.3, multiple_of: 32, norm_eps: 1e-5, rope_theta: 10000, use_scaled_rope: false, seq_len: 8 };
    const init = {
      node_id: 0,
      node_count: 1,
      block_hash: "00000000000000000000a1b2c3d4e5f6tiny",
      block_height: 77,
      public_key: "gonka1qyqszqgpqyqszqgpqyqszqgpqyqszqgp0test",
      batch_size: 12,
      r_target: 1.4013564660458173,
      fraud_threshold: 1e-7,
      params: tiny,
      url: devnet.pocCallbackUrl,
    };
    const file = join(home, "init.json");
    writeFileSync(file, JSON.stringify(init));
    const r = await run(["poc", "simulate", "--request", file, "--send", "--nonces", "12", "--interval-ms", "50", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ computed: 12, sent: 5, pending: 0 });
    const got = devnet.state.pocBatches.filter((b) => b.block_height === 77).flatMap((b) => b.nonces);
    expect(got).toEqual([0, 1, 3, 4, 5]);
  });

  it("prints distances of given nonces", async () => {
    const r = await run(["poc", "distances", "0", "2", "--block-hash", "00000000000000000000a1b2c3d4e5f6tiny", "--public-key", "gonka1qyqszqgpqyqszqgpqyqszqgpqyqszqgp0test", "--json"]);
    const rows = JSON.parse(r.stdout);
    expect(rows[0].dist).toBeCloseTo(1.3564885304607197, 6);
    expect(rows[1]).toMatchObject({ nonce: 2, valid: false });
  });
});
