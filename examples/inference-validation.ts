/**
 * Inference validation played out on a local devnet: two executors serve chat requests, one of
 * them answers with a different ("cheap") model under the requested name. Every participant's
 * node samples finished inferences (`shouldValidate`), re-runs the sampled ones on its own MLNode
 * with the executor's tokens enforced, scores the top-5 logprobs and sends `MsgValidation` —
 * each of these steps is `validateInference` from `gonka-sdk/inference`. The chain passes honest
 * work, opens an invalidation vote for the cheater's, counts the revalidation votes, and after
 * five invalidations in a row declares the cheater INVALID (its reputation drops to 0).
 *
 *   npx tsx examples/inference-validation.ts
 *
 * Always on a devnet it starts itself: on a real network the re-run needs the served model on a
 * GPU — pass `mlNode: "http://your-vllm:5000"` to `validateInference` there (see
 * docs/inference-validation.md, "The validator flow").
 */
import { gonkaFetch, signerFromPrivateKey } from "gonka-sdk/inference";
import { startDevnet } from "gonka-sdk/devnet";
import { InferenceStatus } from "gonka-sdk/proto/inference/inference/inference_pb";

const MODEL = "Qwen/Qwen2.5-7B-Instruct";

async function main(): Promise<void> {
  const started = Date.now();
  const devnet = await startDevnet({
    inferenceValidation: { executors: [{ name: "honest" }, { name: "cheater", cheat: true }] },
  });
  try {
    const iv = devnet.inferenceValidation!;
    const [honest, cheater] = iv.executors;
    const name = (address: string) => iv.executors.find((e) => e.address === address)?.name ?? "devnet";
    console.log(`Devnet at ${devnet.url}: executors "honest" (${honest!.address}) and "cheater" (${cheater!.address}, serves another model).`);

    // a developer with a pubkey on chain (the public API's unfunded registration)
    const signer = signerFromPrivateKey(crypto.getRandomValues(new Uint8Array(32))); // throwaway, never printed
    await fetch(`${devnet.url}/v1/participants`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ address: signer.address, pub_key: Buffer.from(signer.publicKey).toString("base64") }),
    });
    const signed = gonkaFetch({ signer, sourceUrl: devnet.url });
    const before = iv.standing(cheater!.address).reputation;
    console.log("Each line: the executor, the inference's status after validation, and each node's score (the cheater's node");
    console.log("re-runs with its cheap model too, so it fails honest work — the revalidation vote overrules it).\n");

    let shown = 0;
    for (let round = 1; round <= 20 && iv.standing(cheater!.address).status === "ACTIVE"; round++) {
      const ids: string[] = [];
      for (const question of [`What is validation? (${round}a)`, `Who checks the executor? (${round}b)`]) {
        const res = await signed(`${devnet.url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: question }] }),
        });
        ids.push(((await res.json()) as { id: string }).id);
      }
      await iv.settle();
      for (const id of ids) {
        const inf = devnet.chainState!.inferences.get(id)!;
        const checks = iv.records.filter((r) => r.inferenceId === id && r.result?.outcome === "submitted");
        const how = checks
          .map((r) => `${r.validatorName}${r.revalidation ? " (revalidation)" : ""} ${r.result!.similarity!.toFixed(4)}`)
          .join(", ");
        console.log(`round ${String(round).padStart(2)}: ${name(inf.executedBy).padEnd(7)} executor → ${InferenceStatus[inf.status].padEnd(11)} ${how ? `[${how}]` : "[not sampled]"}`);
      }
      // the failed validations that opened a vote, in the flow's words
      for (const r of iv.records.slice(shown)) {
        if (r.result?.outcome === "submitted" && !r.revalidation && r.result.passes === false) {
          console.log(`          ${r.validatorName}'s node: ${r.result.kind} ${r.result.similarity} ≤ threshold ${r.result.threshold} for ${name(r.result.executor)} → ${r.result.statusAfter}`);
        }
      }
      shown = iv.records.length;
    }

    for (const e of iv.executors) {
      const s = iv.standing(e.address);
      console.log(
        `${e.name}: ${s.status}, reputation ${s.reputation}, validated ${s.validatedInferences}, invalidated ${s.invalidatedInferences}, invalidLLR ${s.invalidLLR}`,
      );
    }
    const excluded = devnet.chainState!.excludedParticipants.find((x) => x.address === cheater!.address);
    if (excluded) console.log(`cheater: INVALID (${excluded.reason}), reputation ${before} → ${iv.standing(cheater!.address).reputation}; the transfer agent no longer routes to it.`);
    console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await devnet.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
