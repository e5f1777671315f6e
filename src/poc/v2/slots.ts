/**
 * Validation slots (spec §12.1): when `validation_slots > 0`, each (participant, model) is checked
 * by a deterministic sample of validators drawn from the validation snapshot.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { InvalidArgumentError } from "../../errors.js";
import { requireBigInt, requireInt, utf8 } from "./bytes.js";

const I64_MAX = (1n << 63n) - 1n;

/** One voter of a model: address and voting power. */
export interface SlotEntry {
  address: string;
  weight: bigint;
}

/**
 * How many slots a model gets: `⌊modelVotingPower · nSlots / totalNetworkWeight⌋`, 0 when either
 * weight is ≤ 0, `nSlots` when the model holds all the weight (or more).
 *
 * @example
 * ```ts
 * sampledSlotCount({ modelVotingPower: 40, totalNetworkWeight: 100, nSlots: 128 }); // 51
 * ```
 */
export function sampledSlotCount(args: { modelVotingPower: number | bigint; totalNetworkWeight: number | bigint; nSlots: number }): number {
  const mvp = requireBigInt(args.modelVotingPower, "modelVotingPower", -I64_MAX - 1n, I64_MAX);
  const total = requireBigInt(args.totalNetworkWeight, "totalNetworkWeight", -I64_MAX - 1n, I64_MAX);
  const nSlots = requireInt(args.nSlots, "nSlots", 0, 2 ** 31 - 1);
  if (mvp <= 0n || total <= 0n || nSlots === 0) return 0;
  if (mvp >= total) return nSlots;
  return Number((mvp * BigInt(nSlots)) / total);
}

/** The voters that can hold slots: weight > 0, sorted by address (byte order). */
export function sortedSlotEntries(weights: Record<string, number | bigint>): SlotEntry[] {
  if (weights === null || typeof weights !== "object") throw new InvalidArgumentError("weights", "expected an object of address → weight");
  const out: SlotEntry[] = [];
  for (const [address, w] of Object.entries(weights)) {
    const weight = requireBigInt(w, `weights.${address}`, -I64_MAX - 1n, I64_MAX);
    if (weight > 0n) out.push({ address, weight });
  }
  const enc = (s: string): Uint8Array => utf8(s);
  out.sort((a, b) => compareBytes(enc(a.address), enc(b.address)));
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * The random value of slot `slot`: `BigEndian64(SHA256(appHash ‖ participant ‖ modelId ‖ decimal(slot))[0:8]) mod totalWeight`,
 * all four parts as their UTF-8 text (`appHash` is the snapshot's lower-case hex string).
 */
export function slotRandomValue(args: { appHash: string; participant: string; modelId: string; slot: number; totalWeight: bigint | number }): bigint {
  const total = requireBigInt(args.totalWeight, "totalWeight", 1n, I64_MAX);
  const slot = requireInt(args.slot, "slot", 0, 2 ** 31 - 1);
  const d = sha256(utf8(`${args.appHash}${args.participant}${args.modelId}${slot}`));
  return new DataView(d.buffer, d.byteOffset, 8).getBigUint64(0, false) % total;
}

/**
 * The holder of each of `nSlots` slots for one (participant, model), in slot order: the entry
 * (sorted by address, weight > 0) whose cumulative-weight range contains the slot's random value.
 * A holder's vote counts once per slot it holds.
 *
 * @example
 * ```ts
 * assignSlots({ appHash, participant, modelId, nSlots: 16, weights: { gonka1aaa: 100, gonka1bbb: 250, gonka1ddd: 650 } });
 * ```
 */
export function assignSlots(args: { appHash: string; participant: string; modelId: string; nSlots: number; weights: Record<string, number | bigint> }): string[] {
  const { appHash, participant, modelId } = args;
  for (const [name, v] of [["appHash", appHash], ["participant", participant], ["modelId", modelId]] as const) {
    if (typeof v !== "string") throw new InvalidArgumentError(name, "expected a string");
  }
  const nSlots = requireInt(args.nSlots, "nSlots", 0, 2 ** 31 - 1);
  const entries = sortedSlotEntries(args.weights);
  const total = entries.reduce((s, e) => s + e.weight, 0n);
  if (nSlots === 0 || total === 0n) return [];
  const out: string[] = new Array(nSlots);
  for (let i = 0; i < nSlots; i++) {
    const v = slotRandomValue({ appHash, participant, modelId, slot: i, totalWeight: total });
    let cum = 0n;
    for (const e of entries) {
      cum += e.weight;
      if (v < cum) {
        out[i] = e.address;
        break;
      }
    }
  }
  return out;
}
