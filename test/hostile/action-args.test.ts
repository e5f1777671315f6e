import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import { createChainClient, type ChainClient } from "../../src/chain/client.js";
import { walletFromPrivateKey } from "../../src/chain/keys.js";
import * as chainModule from "../../src/chain/index.js";

const ACTIONS = [
  "submitNewParticipant", "grantMlOpsPermissions", "revokeMlOpsPermissions", "submitProposal", "proposeInferenceParams", "proposeBlsParams",
  "setPoCDelegation", "refusePoCDelegation", "declarePoCIntent", "startInference", "finishInference", "submitValidation", "respondDealerComplaints",
  "transferWithVesting", "batchTransferWithVesting", "deposit", "vote", "voteWeighted", "depositCollateral", "withdrawCollateral", "send", "execAs",
] as const;

const GARBAGE: unknown[] = [null, 42, "x", [1, 2], { proposalId: "zz", option: "MAYBE", amount: "abc", to: 5, epochId: -1, messages: "m", options: 3 }, { proposalId: 2n ** 64n, option: "yes" }];

describe("actions refuse wrong-typed arguments with InvalidArgumentError", () => {
  // A closed port: anything that got past validation would end as a NetworkError, and fail the test.
  const chain: ChainClient = createChainClient({ url: "http://127.0.0.1:9", chainId: "gonka-mainnet", releaseCheck: false, timeoutMs: 2000 });
  const wallet = walletFromPrivateKey("11".repeat(32));
  for (const name of ACTIONS) {
    it(`${name} with garbage arguments`, async () => {
      const action = chain[name] as unknown as (w: unknown, a: unknown) => Promise<unknown>;
      for (const args of GARBAGE) {
        const err = await action(wallet, args).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, `${name}(${String(args)})`).toBeInstanceOf(InvalidArgumentError);
      }
    });
  }

  // The same actions exported standalone (`vote(ctx, wallet, args)`), not through the client.
  for (const name of [...ACTIONS, "storePoCV2Commit", "submitMLNodeWeightDistribution", "submitPocValidationsV2", "unjail"] as const) {
    it(`standalone ${name}(ctx, wallet, garbage)`, async () => {
      const action = chainModule[name] as unknown as (c: unknown, w: unknown, a: unknown) => Promise<unknown>;
      expect(action.name).toBe(name);
      for (const args of name === "unjail" ? GARBAGE.filter((g) => g !== null && typeof g !== "object") : GARBAGE) {
        const err = await action(chain, wallet, args).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, `${name}(${String(args)})`).toBeInstanceOf(InvalidArgumentError);
      }
    });
  }

  it("unjail's arguments are optional", async () => {
    // past validation it reaches the closed port: a network error, not an argument error
    const err = await chainModule.unjail(chain, wallet).then(() => undefined, (e: unknown) => e);
    expect(err).not.toBeInstanceOf(InvalidArgumentError);
    expect(err).toBeInstanceOf(Error);
  });

  it("vote refuses an unknown option and a proposal id of 2^64", async () => {
    await expect(chain.vote(wallet, { proposalId: 1n, option: "MAYBE" as never })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(chain.vote(wallet, { proposalId: 2n ** 64n, option: "yes" })).rejects.toThrow(/proposalId/);
  });
});
