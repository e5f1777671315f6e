/** `gonka network`: which network the node belongs to, its release, and what the SDK supports there. */
import { RELEASES, SUPPORTED_RELEASES, TARGET_RELEASE } from "../../network/releases.js";
import { chainClientFor } from "../chain-client.js";
import type { CommandSpec } from "../command.js";

/** The `network` command. */
export const networkCommand: CommandSpec = {
  name: "network",
  summary: "which network the node is on: chain id, application version, release, and whether gonka-sdk supports it",
  description:
    "Reads the chain id (CometBFT /status) and the node's application version (CometBFT abci_info, else REST node_info), " +
    `maps it to a Gonka release and says what works there. gonka-sdk targets ${TARGET_RELEASE}; it supports ${SUPPORTED_RELEASES[0]} … ${SUPPORTED_RELEASES[SUPPORTED_RELEASES.length - 1]}.`,
  options: { releases: { type: "boolean", description: "list the releases gonka-sdk knows instead of asking the node" } },
  examples: ["gonka network --node http://node2.gonka.ai:8000", "gonka network --json", "gonka network --releases"],
  async run(ctx) {
    if (ctx.flags.releases === true) {
      const rows = RELEASES.map((r) => ({
        release: r.name,
        executed: r.executed,
        mergedOn: r.mergedOn ?? "",
        supported: r.name === TARGET_RELEASE ? "target" : SUPPORTED_RELEASES.includes(r.name) ? "supported" : r.executed ? "no" : "pending (no proto change)",
        summary: r.summary,
      }));
      ctx.out.result(rows, () => rows.map((r) => `${r.release.padEnd(8)} ${r.supported.padEnd(26)} ${r.mergedOn.padEnd(10)} ${r.summary}`));
      return;
    }
    const chain = chainClientFor(ctx);
    try {
      const info = await chain.networkInfo();
      ctx.out.result(info, () => [
        `chain id:     ${info.chainId}`,
        `app version:  ${info.appVersion || "(none reported)"}${info.versionSource !== "none" ? ` (${info.versionSource})` : ""}`,
        `release:      ${info.release ?? "unknown"}${info.match !== "exact" ? ` (${info.match})` : ""}`,
        `supported:    ${info.support}${info.supported ? "" : " — see below"}`,
        ...(info.latestHeight !== undefined ? [`height:       ${info.latestHeight}`] : []),
        ...(info.cometVersion ? [`cometbft:     ${info.cometVersion}`] : []),
        "",
        ...info.notes,
      ]);
    } finally {
      chain.close();
    }
  },
};
