import type { ChainContext } from "../context.js";
import { NodeRequestError } from "../errors.js";
import type { CallOptions } from "../transport/types.js";
import { describeRelease, releaseFromParamsJson, type ReleaseDescription } from "../../network/info.js";
import { isReleaseName, type ReleaseName } from "../../network/releases.js";
import { messageOf } from "../../errors.js";

/** Which network a client is talking to: chain, software version, release and what the SDK supports there. */
export interface NetworkInfo extends ReleaseDescription {
  /** Chain ID (`gonka-mainnet`). */
  chainId: string;
  /** The application's software version as the node reports it (`""` when it reports none). */
  appVersion: string;
  /** The application's name (`abci_info` `data`, or `application_version.name`). */
  appName: string;
  /** Where the version came from. */
  versionSource: "abci_info" | "node_info" | "assumed" | "none";
  /** Latest block height, when the node reported it. */
  latestHeight?: bigint;
  /** CometBFT version, when reported. */
  cometVersion?: string;
  /** Cosmos SDK version of the build, when reported (REST `node_info` only). */
  cosmosSdkVersion?: string;
  /** Git commit of the build, when reported (REST `node_info` only). */
  gitCommit?: string;
}

const NODE_INFO = "/cosmos/base/tendermint/v1beta1/node_info";
const PARAMS = "/productscience/inference/inference/params";

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/**
 * Reads which network the client is talking to: the chain ID, the node's application version
 * (CometBFT RPC `abci_info` → `response.version`; REST `node_info` →
 * `application_version.version` when RPC cannot answer), the release that version names, and
 * whether gonka-sdk supports it. When the version names no release (an untagged build reports
 * `<branch>-<commit>`), the release is inferred from the fields of the node's inference params.
 *
 * @example
 * ```ts
 * const info = await getNetworkInfo(chain);
 * console.log(info.chainId, info.appVersion, info.release, info.support); // "gonka-mainnet" "v0.2.13" "v0.2.13" "target"
 * for (const note of info.notes) console.log(note);
 * ```
 * @throws {NodeRequestError} when the node answers neither on CometBFT RPC nor on REST.
 */
export async function getNetworkInfo(ctx: ChainContext, options: CallOptions = {}): Promise<NetworkInfo> {
  const rest = ctx.restTransport ?? (ctx.transport.getJson ? ctx.transport : undefined);
  let chainId = "";
  let latestHeight: bigint | undefined;
  let cometVersion: string | undefined;
  let appVersion = "";
  let appName = "";
  let versionSource: NetworkInfo["versionSource"] = "none";
  let cosmosSdkVersion: string | undefined;
  let gitCommit: string | undefined;
  const failures: unknown[] = [];

  const [status, abci] = await Promise.allSettled([ctx.rpc.status(options.timeoutMs), ctx.rpc.abciInfo(options.timeoutMs)]);
  if (status.status === "fulfilled") {
    chainId = status.value.chainId;
    latestHeight = status.value.latestHeight;
    if (status.value.cometVersion) cometVersion = status.value.cometVersion;
  } else failures.push(status.reason);
  if (abci.status === "fulfilled" && abci.value.version) {
    appVersion = abci.value.version;
    appName = abci.value.data;
    versionSource = "abci_info";
  } else if (abci.status === "rejected") failures.push(abci.reason);

  if ((!appVersion || !chainId) && rest?.getJson) {
    try {
      const j = (await rest.getJson({ path: NODE_INFO }, options)) as Record<string, unknown> | null;
      const node = (j?.default_node_info ?? {}) as Record<string, unknown>;
      const app = (j?.application_version ?? {}) as Record<string, unknown>;
      if (!chainId) chainId = str(node.network);
      cometVersion ??= str(node.version) || undefined;
      if (!appVersion && str(app.version)) {
        appVersion = str(app.version);
        appName = str(app.name) || str(app.app_name);
        versionSource = "node_info";
      }
      cosmosSdkVersion = str(app.cosmos_sdk_version) || undefined;
      gitCommit = str(app.git_commit) || undefined;
    } catch (e) {
      failures.push(e);
    }
  }
  if (!chainId) {
    try {
      chainId = await ctx.getChainId();
    } catch (e) {
      failures.push(e);
    }
  }
  if (!chainId && !appVersion) {
    throw new NodeRequestError("chain-rpc abci_info / chain-api node_info", failures.map(messageOf).join("; ") || "no answer", {}, { cause: failures[0] });
  }

  let described: ReleaseDescription;
  const assumed = ctx.network?.assumeRelease;
  if (assumed && isReleaseName(assumed)) {
    described = describeRelease(assumed);
    versionSource = appVersion ? versionSource : "assumed";
    described = { ...described, notes: [`The client assumes ${assumed} (assumeRelease); the node reported "${appVersion}".`, ...described.notes] };
  } else {
    let inferred: ReleaseName | undefined;
    if (describeRelease(appVersion).match === "unknown" && rest?.getJson) {
      try {
        inferred = releaseFromParamsJson(await rest.getJson({ path: PARAMS }, options));
      } catch {
        inferred = undefined;
      }
    }
    described = describeRelease(appVersion, inferred);
  }
  return {
    ...described,
    chainId,
    appVersion,
    appName,
    versionSource,
    ...(latestHeight !== undefined ? { latestHeight } : {}),
    ...(cometVersion ? { cometVersion } : {}),
    ...(cosmosSdkVersion ? { cosmosSdkVersion } : {}),
    ...(gitCommit ? { gitCommit } : {}),
  };
}
