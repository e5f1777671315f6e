/**
 * Which Gonka release a node runs, from what it says about itself.
 *
 * A node reports its application version (CometBFT RPC `abci_info` → `response.version`, or REST
 * `/cosmos/base/tendermint/v1beta1/node_info` → `application_version.version`). The chain's build
 * sets it from the git tag (`v0.2.13`, `release/v0.2.13`, `v0.2.9-post3`, …) and, for an untagged
 * build, to `<branch>-<commit>`, which names no release. This module maps that text to a
 * {@link ReleaseName}, says whether gonka-sdk supports it, and, when the text names no release,
 * infers the release from the fields the node's inference params carry.
 *
 * Pure data and functions: the requests live in `gonka-sdk/chain` (`getNetworkInfo`).
 *
 * @example
 * ```ts
 * describeRelease("v0.2.13").support;        // "target"
 * describeRelease("v0.2.11").support;        // "supported"
 * describeRelease("main-8a35022b").support;  // "unknown"
 * ```
 * @module
 */
import { RELEASES, SUPPORTED_RELEASES, TARGET_RELEASE, compareReleases, type ReleaseName } from "./releases.js";

/** How an application version was mapped to a release. */
export type ReleaseMatch =
  /** The version names a known release exactly (`v0.2.13`, `release/v0.2.13-post1`). */
  | "exact"
  /** The version lies between two known releases (a patch build): the older one applies. */
  | "nearest"
  /** The version is newer than every release gonka-sdk knows. */
  | "newer"
  /** The version is older than the mainnet launch release v0.2.0. */
  | "older"
  /** The version names no release; the release was inferred from the node's params fields. */
  | "inferred"
  /** Neither the version nor the params tell the release. */
  | "unknown";

/** What gonka-sdk promises for a release. */
export type ReleaseSupport =
  /** The release the SDK's protos and flows follow (v0.2.13): everything works. */
  | "target"
  /** An older executed release, or the pending v0.2.14 (no proto change): works, with the limits in `notes`. */
  | "supported"
  /** A release newer than the SDK knows: it may have messages and fields the SDK lacks. */
  | "newer"
  /** Older than the releases the SDK supports (the v0.2.0 launch line or before). */
  | "unsupported"
  /** The release could not be determined. */
  | "unknown";

/** A node's release as the SDK understands it. */
export interface ReleaseDescription {
  /** The release whose message set applies to the node, when one could be determined. */
  readonly release: ReleaseName | undefined;
  /** How it was determined. */
  readonly match: ReleaseMatch;
  /** What the SDK supports there. */
  readonly support: ReleaseSupport;
  /** True for `"target"` and `"supported"`. */
  readonly supported: boolean;
  /** The release the SDK targets (v0.2.13). */
  readonly targetRelease: ReleaseName;
  /** Plain sentences: what works and what does not against this node. */
  readonly notes: readonly string[];
}

/** A version triple parsed from an application version string. */
export interface ParsedAppVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Whatever follows the triple (`"post3"`, `"devshard-v2"`), without its separator. */
  readonly suffix: string;
}

/**
 * Finds the `MAJOR.MINOR.PATCH` in an application version string: at its start, after a `v`, or
 * after a `/` or `-` (tags such as `release/v0.2.13`). Returns `undefined` when there is none
 * (`main-8a35022b…`, an empty string).
 *
 * @example
 * ```ts
 * parseAppVersion("v0.2.9-post3"); // { major: 0, minor: 2, patch: 9, suffix: "post3" }
 * ```
 */
export function parseAppVersion(version: string): ParsedAppVersion | undefined {
  const m = /(?:^|[/\-_ ])v?(\d{1,6})\.(\d{1,6})\.(\d{1,6})(?:[-+._]?([0-9A-Za-z.+_-]*))?$/.exec(version.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), suffix: m[4] ?? "" };
}

function tripleOf(name: ReleaseName): [number, number, number] {
  const p = parseAppVersion(name)!;
  return [p.major, p.minor, p.patch];
}

function compareTriples(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Maps an application version string to a known release.
 *
 * @example
 * ```ts
 * releaseForAppVersion("0.2.13");        // { release: "v0.2.13", match: "exact" }
 * releaseForAppVersion("v0.2.1");        // { release: "v0.2.0", match: "nearest" }
 * releaseForAppVersion("v0.3.0");        // { release: undefined, match: "newer" }
 * releaseForAppVersion("main-8a35022b"); // { release: undefined, match: "unknown" }
 * ```
 */
export function releaseForAppVersion(version: string): { release: ReleaseName | undefined; match: ReleaseMatch } {
  const parsed = parseAppVersion(version);
  if (!parsed) return { release: undefined, match: "unknown" };
  const t = [parsed.major, parsed.minor, parsed.patch];
  let best: ReleaseName | undefined;
  for (const r of RELEASES) {
    const c = compareTriples(tripleOf(r.name), t);
    if (c === 0) return { release: r.name, match: "exact" };
    if (c < 0) best = r.name;
  }
  const newest = RELEASES[RELEASES.length - 1]!.name;
  if (compareTriples(t, tripleOf(newest)) > 0) return { release: undefined, match: "newer" };
  if (!best) return { release: undefined, match: "older" };
  return { release: best, match: "nearest" };
}

/**
 * The newest release gonka-sdk knows (the pending v0.2.14): the message set used to check a node
 * newer than that.
 */
export const NEWEST_KNOWN_RELEASE: ReleaseName = RELEASES[RELEASES.length - 1]!.name;

/**
 * Describes a node's release: which one, whether it is supported, and what works there.
 *
 * @param appVersion the node's application version string
 * @param inferred a release inferred by other means (see {@link releaseFromParamsJson}), used when
 *   the version string names none
 *
 * @example
 * ```ts
 * describeRelease("v0.2.11").notes[0];
 * // "v0.2.11 is older than the SDK's target v0.2.13: message types added since (…) are refused before signing …"
 * ```
 */
export function describeRelease(appVersion: string, inferred?: ReleaseName): ReleaseDescription {
  let { release, match } = releaseForAppVersion(appVersion);
  if (match === "unknown" && inferred) {
    release = inferred;
    match = "inferred";
  }
  const notes: string[] = [];
  let support: ReleaseSupport;
  if (match === "newer") {
    support = "newer";
    notes.push(
      `The node runs ${appVersion}, newer than every release gonka-sdk knows (newest ${NEWEST_KNOWN_RELEASE}). ` +
        "Messages are checked against the newest known release; message types, fields and queries that release added are unknown to this SDK version. Upgrade gonka-sdk.",
    );
  } else if (match === "older" || release === "v0.2.0") {
    support = "unsupported";
    notes.push(
      `The node runs ${appVersion || "an unnamed build"}, the mainnet launch line (before v0.2.2): not supported. ` +
        "Message layouts, the ML-ops grant list, params and queries changed since; use a gonka-sdk release that followed the chain at launch.",
    );
  } else if (release === undefined) {
    support = "unknown";
    notes.push(
      `The node's application version "${appVersion}" names no release, and its params did not tell one either. ` +
        "gonka-sdk cannot check message types against it; transactions are refused unless the client allows unknown releases (allowUnknownRelease) or names the release (assumeRelease).",
    );
  } else if (release === TARGET_RELEASE) {
    support = "target";
    notes.push(`${release} is the release gonka-sdk targets: every message, query and flow of the SDK applies.`);
  } else if (compareReleases(release, TARGET_RELEASE) > 0) {
    support = "supported";
    notes.push(`${release} is a pending upgrade without proto changes of its own: everything that works on ${TARGET_RELEASE} works.`);
  } else {
    support = SUPPORTED_RELEASES.includes(release) ? "supported" : "unsupported";
    notes.push(
      `${release} is older than the SDK's target ${TARGET_RELEASE}: message types added since are refused before signing (MessageTypeNotInReleaseError); ` +
        "messages whose layout changed since (Start/Finish inference hashes v0.2.6, MsgValidation.value_decimal v0.2.8, the v0.2.12 ML-ops list and fee allowance) may be refused by the node; " +
        "queries added since answer 404 / Unimplemented.",
    );
  }
  if (match === "inferred") notes.push(`The release was inferred from the fields of the node's inference params (the version "${appVersion}" names none).`);
  if (match === "nearest") notes.push(`The version ${appVersion} is not a release name; the nearest older release ${release} applies.`);
  return { release, match, support, supported: support === "target" || support === "supported", targetRelease: TARGET_RELEASE, notes };
}

/**
 * The params fields each release added (spec chain-upgrades §1 and §3.1), by their proto names,
 * as `[sub-message or "", field, release]`. The REST gateway prints every field the node knows,
 * zero or not, so the newest release whose field appears is the node's release at least.
 */
const PARAMS_FIELD_RELEASES: readonly [string, string, ReleaseName][] = [
  ["epoch_params", "inference_pruning_max", "v0.2.4"],
  ["bandwidth_limits_params", "invalidations_limit", "v0.2.4"],
  ["", "confirmation_poc_params", "v0.2.5"],
  ["epoch_params", "poc_slot_allocation", "v0.2.5"],
  ["validation_params", "binom_test_p0", "v0.2.6"],
  ["bandwidth_limits_params", "max_inferences_per_block", "v0.2.6"],
  ["", "genesis_guardian_params", "v0.2.7"],
  ["", "participant_access_params", "v0.2.7"],
  ["poc_params", "poc_v2_enabled", "v0.2.8"],
  ["", "transfer_agent_access_params", "v0.2.9"],
  ["poc_params", "validation_slots", "v0.2.10"],
  ["validation_params", "claim_validation_enabled", "v0.2.11"],
  ["", "subnet_escrow_params", "v0.2.11"],
  ["", "fee_params", "v0.2.12"],
  ["", "delegation_params", "v0.2.12"],
  ["", "devshard_escrow_params", "v0.2.12"],
  ["devshard_escrow_params", "max_nonce", "v0.2.13"],
  ["devshard_escrow_params", "devshard_requests_enabled", "v0.2.13"],
];

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function has(obj: unknown, name: string): boolean {
  return obj !== null && typeof obj === "object" && !Array.isArray(obj) && (name in obj || camel(name) in obj);
}

function get(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== "object") return undefined;
  const o = obj as Record<string, unknown>;
  return name in o ? o[name] : o[camel(name)];
}

/**
 * Infers the node's release from the REST JSON of its inference params
 * (`/productscience/inference/inference/params`, the whole response or its `params`): the newest
 * release whose params field is present. The gateway prints every field the node knows, zero or
 * not, so this is exact up to releases that added no params field: params without any field
 * added since launch give `"v0.2.0"` (v0.2.2 and v0.2.3 added none).
 *
 * @returns the release, or `undefined` for something that is not params JSON
 * @example
 * ```ts
 * releaseFromParamsJson(await (await fetch(`${node}/chain-api/productscience/inference/inference/params`)).json()); // "v0.2.13"
 * ```
 */
export function releaseFromParamsJson(json: unknown): ReleaseName | undefined {
  const params = has(json, "params") ? get(json, "params") : json;
  if (!has(params, "epoch_params") || !has(params, "poc_params")) return undefined;
  let found: ReleaseName = "v0.2.0";
  for (const [sub, field, release] of PARAMS_FIELD_RELEASES) {
    const holder = sub ? get(params, sub) : params;
    if (has(holder, field) && compareReleases(release, found) > 0) found = release;
  }
  return found;
}
