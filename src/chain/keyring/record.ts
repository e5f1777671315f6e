/**
 * The keyring's `cosmos.crypto.keyring.v1.Record` protobuf (what an `.info` item holds), its
 * public/private key `Any`s and the address of a record's public key.
 *
 * Why hand-written over `BinaryReader`/`BinaryWriter` instead of a generated schema: the message is
 * six fields with three tiny nested messages, the SDK must tell a protobuf record from amino bytes
 * exactly where gogoproto does (wrong wire type, group tags), and `proto/**` plus its generated
 * code belong to another part of the tree; a schema would add a generated file and a registry entry
 * for a type that never travels on the chain.
 */
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import type { KeyType } from "./errors.js";

/** `google.protobuf.Any` with its value still encoded. */
export interface AnyValue {
  typeUrl: string;
  value: Uint8Array;
}

/** `cosmos.crypto.hd.v1.BIP44Params`: the path of a Ledger key. */
export interface Bip44Params {
  purpose: number;
  coinType: number;
  account: number;
  change: boolean;
  addressIndex: number;
}

/** What kind of key a record holds, with the part only that kind has. */
export type RecordItem =
  | { type: "local"; privKey: AnyValue }
  | { type: "ledger"; path: Bip44Params }
  | { type: "multi" }
  | { type: "offline" };

/** A decoded keyring record. */
export interface KeyRecord {
  name: string;
  pubKey: AnyValue;
  item: RecordItem;
}

/** Type URL of a secp256k1 public key. */
export const SECP256K1_PUBKEY_URL = "/cosmos.crypto.secp256k1.PubKey";
/** Type URL of a secp256k1 private key. */
export const SECP256K1_PRIVKEY_URL = "/cosmos.crypto.secp256k1.PrivKey";
/** Type URL of an ed25519 public key. */
export const ED25519_PUBKEY_URL = "/cosmos.crypto.ed25519.PubKey";
/** Type URL of the legacy amino multisig public key. */
export const MULTISIG_PUBKEY_URL = "/cosmos.crypto.multisig.LegacyAminoPubKey";

const FIELD_OF: Record<KeyType, number> = { local: 3, ledger: 4, multi: 5, offline: 6 };

/** Encodes a record as gogoproto does (fields in number order, proto3 defaults omitted). */
export function encodeRecord(r: KeyRecord): Uint8Array {
  const w = new BinaryWriter();
  if (r.name) w.tag(1, WireType.LengthDelimited).string(r.name);
  w.tag(2, WireType.LengthDelimited).bytes(encodeAny(r.pubKey));
  const field = FIELD_OF[r.item.type];
  if (r.item.type === "local") w.tag(field, WireType.LengthDelimited).bytes(new BinaryWriter().tag(1, WireType.LengthDelimited).bytes(encodeAny(r.item.privKey)).finish());
  else if (r.item.type === "ledger") w.tag(field, WireType.LengthDelimited).bytes(new BinaryWriter().tag(1, WireType.LengthDelimited).bytes(encodeBip44(r.item.path)).finish());
  else w.tag(field, WireType.LengthDelimited).bytes(new Uint8Array(0));
  return w.finish();
}

/**
 * Decodes a protobuf record. Throws a plain `Error` (the caller then tries amino) when the bytes
 * are not a well-formed message, or when they lack the public key or the key kind.
 */
export function decodeRecord(bytes: Uint8Array): KeyRecord {
  const r = new BinaryReader(bytes);
  let name = "";
  let pubKey: AnyValue | undefined;
  let item: RecordItem | undefined;
  while (r.pos < r.len) {
    const [no, wt] = tagOf(r);
    if (no >= 1 && no <= 6) {
      expectWire(wt, WireType.LengthDelimited, no);
      const body = r.bytes();
      if (no === 1) name = utf8(body);
      else if (no === 2) pubKey = decodeAny(body);
      else if (no === 3) item = { type: "local", privKey: decodeLocal(body) };
      else if (no === 4) item = { type: "ledger", path: decodeLedger(body) };
      else if (no === 5) item = (checkMessage(body), { type: "multi" });
      else item = (checkMessage(body), { type: "offline" });
    } else {
      skip(r, wt, no);
    }
  }
  if (!pubKey) throw new Error("the record has no public key");
  if (!item) throw new Error("the record has no key type");
  return { name, pubKey, item };
}

/** `Any` of a compressed secp256k1 public key (`value` = `0a 21` ‖ 33 bytes). */
export function secp256k1PubKeyAny(publicKey: Uint8Array): AnyValue {
  return { typeUrl: SECP256K1_PUBKEY_URL, value: new BinaryWriter().tag(1, WireType.LengthDelimited).bytes(publicKey).finish() };
}

/** `Any` of a secp256k1 private key (`value` = `0a 20` ‖ 32 bytes). */
export function secp256k1PrivKeyAny(privateKey: Uint8Array): AnyValue {
  return { typeUrl: SECP256K1_PRIVKEY_URL, value: new BinaryWriter().tag(1, WireType.LengthDelimited).bytes(privateKey).finish() };
}

/** The `key` bytes (field 1) of a secp256k1/ed25519 key `Any`'s value. */
export function keyBytesOf(any: AnyValue): Uint8Array {
  const r = new BinaryReader(any.value);
  let key: Uint8Array | undefined;
  while (r.pos < r.len) {
    const [no, wt] = tagOf(r);
    if (no === 1) {
      expectWire(wt, WireType.LengthDelimited, no);
      key = r.bytes();
    } else skip(r, wt, no);
  }
  if (!key) throw new Error(`the ${any.typeUrl} has no key bytes`);
  return key;
}

/** A decoded `LegacyAminoPubKey`. */
export interface MultisigPubKey {
  threshold: number;
  publicKeys: AnyValue[];
}

/** Decodes a `LegacyAminoPubKey` value (`threshold` 1, repeated `public_keys` 2). */
export function decodeMultisig(value: Uint8Array): MultisigPubKey {
  const r = new BinaryReader(value);
  let threshold = 0;
  const publicKeys: AnyValue[] = [];
  while (r.pos < r.len) {
    const [no, wt] = tagOf(r);
    if (no === 1) {
      expectWire(wt, WireType.Varint, no);
      threshold = r.uint32();
    } else if (no === 2) {
      expectWire(wt, WireType.LengthDelimited, no);
      publicKeys.push(decodeAny(r.bytes()));
    } else skip(r, wt, no);
  }
  return { threshold, publicKeys };
}

/** Encodes a `LegacyAminoPubKey` into its `Any`. */
export function multisigPubKeyAny(m: MultisigPubKey): AnyValue {
  const w = new BinaryWriter();
  if (m.threshold) w.tag(1, WireType.Varint).uint32(m.threshold);
  for (const k of m.publicKeys) w.tag(2, WireType.LengthDelimited).bytes(encodeAny(k));
  return { typeUrl: MULTISIG_PUBKEY_URL, value: w.finish() };
}

/** Amino prefix of tendermint/PubKeySecp256k1. */
export const AMINO_SECP256K1_PUBKEY = Uint8Array.of(0xeb, 0x5a, 0xe9, 0x87);
/** Amino prefix of tendermint/PubKeyEd25519. */
export const AMINO_ED25519_PUBKEY = Uint8Array.of(0x16, 0x24, 0xde, 0x64);
/** Amino prefix of tendermint/PubKeyMultisigThreshold. */
export const AMINO_MULTISIG_PUBKEY = Uint8Array.of(0x22, 0xc1, 0xf7, 0xe2);

/** The amino encoding of a public key (what multisig addresses are hashed from). */
export function aminoPubKey(any: AnyValue): Uint8Array {
  if (any.typeUrl === SECP256K1_PUBKEY_URL) return concat(AMINO_SECP256K1_PUBKEY, Uint8Array.of(33), checkLength(keyBytesOf(any), 33, any.typeUrl));
  if (any.typeUrl === ED25519_PUBKEY_URL) return concat(AMINO_ED25519_PUBKEY, Uint8Array.of(32), checkLength(keyBytesOf(any), 32, any.typeUrl));
  if (any.typeUrl === MULTISIG_PUBKEY_URL) {
    const m = decodeMultisig(any.value);
    const w = new BinaryWriter();
    w.raw(AMINO_MULTISIG_PUBKEY);
    if (m.threshold) w.tag(1, WireType.Varint).uint32(m.threshold);
    for (const k of m.publicKeys) w.tag(2, WireType.LengthDelimited).bytes(aminoPubKey(k));
    return w.finish();
  }
  throw new Error(`unsupported public key type ${any.typeUrl}`);
}

/**
 * The 20 address bytes of a record's public key: secp256k1 → RIPEMD-160(SHA-256(key)); ed25519 →
 * SHA-256(key)[0:20]; multisig → SHA-256(amino encoding)[0:20].
 */
export function addressBytesOf(any: AnyValue): Uint8Array {
  if (any.typeUrl === SECP256K1_PUBKEY_URL) return ripemd160(sha256(checkLength(keyBytesOf(any), 33, any.typeUrl)));
  if (any.typeUrl === ED25519_PUBKEY_URL) return sha256(checkLength(keyBytesOf(any), 32, any.typeUrl)).subarray(0, 20);
  if (any.typeUrl === MULTISIG_PUBKEY_URL) return sha256(aminoPubKey(any)).subarray(0, 20);
  throw new Error(`unsupported public key type ${any.typeUrl}`);
}

/** A BIP-44 path as the network prints it: `m/44'/1200'/0'/0/1`. */
export function bip44PathString(p: Bip44Params): string {
  return `m/${p.purpose}'/${p.coinType}'/${p.account}'/${p.change ? 1 : 0}/${p.addressIndex}`;
}

/** Encodes `BIP44Params` (all varints, zero values omitted). */
export function encodeBip44(p: Bip44Params): Uint8Array {
  const w = new BinaryWriter();
  if (p.purpose) w.tag(1, WireType.Varint).uint32(p.purpose);
  if (p.coinType) w.tag(2, WireType.Varint).uint32(p.coinType);
  if (p.account) w.tag(3, WireType.Varint).uint32(p.account);
  if (p.change) w.tag(4, WireType.Varint).bool(true);
  if (p.addressIndex) w.tag(5, WireType.Varint).uint32(p.addressIndex);
  return w.finish();
}

/** Decodes `BIP44Params`. */
export function decodeBip44(bytes: Uint8Array): Bip44Params {
  const r = new BinaryReader(bytes);
  const p: Bip44Params = { purpose: 0, coinType: 0, account: 0, change: false, addressIndex: 0 };
  while (r.pos < r.len) {
    const [no, wt] = tagOf(r);
    if (no >= 1 && no <= 5) {
      expectWire(wt, WireType.Varint, no);
      if (no === 1) p.purpose = r.uint32();
      else if (no === 2) p.coinType = r.uint32();
      else if (no === 3) p.account = r.uint32();
      else if (no === 4) p.change = r.bool();
      else p.addressIndex = r.uint32();
    } else skip(r, wt, no);
  }
  return p;
}

/** Encodes an `Any` (`type_url` 1, `value` 2). */
export function encodeAny(a: AnyValue): Uint8Array {
  const w = new BinaryWriter();
  if (a.typeUrl) w.tag(1, WireType.LengthDelimited).string(a.typeUrl);
  if (a.value.length) w.tag(2, WireType.LengthDelimited).bytes(a.value);
  return w.finish();
}

/** Decodes an `Any`. */
export function decodeAny(bytes: Uint8Array): AnyValue {
  const r = new BinaryReader(bytes);
  let typeUrl = "";
  let value: Uint8Array = new Uint8Array(0);
  while (r.pos < r.len) {
    const [no, wt] = tagOf(r);
    if (no === 1) {
      expectWire(wt, WireType.LengthDelimited, no);
      typeUrl = utf8(r.bytes());
    } else if (no === 2) {
      expectWire(wt, WireType.LengthDelimited, no);
      value = r.bytes();
    } else skip(r, wt, no);
  }
  return { typeUrl, value };
}

function decodeLocal(bytes: Uint8Array): AnyValue {
  const r = new BinaryReader(bytes);
  let priv: AnyValue | undefined;
  while (r.pos < r.len) {
    const [no, wt] = tagOf(r);
    if (no === 1) {
      expectWire(wt, WireType.LengthDelimited, no);
      priv = decodeAny(r.bytes());
    } else skip(r, wt, no);
  }
  if (!priv) throw new Error("the local record has no private key");
  return priv;
}

function decodeLedger(bytes: Uint8Array): Bip44Params {
  const r = new BinaryReader(bytes);
  let path: Bip44Params = { purpose: 0, coinType: 0, account: 0, change: false, addressIndex: 0 };
  while (r.pos < r.len) {
    const [no, wt] = tagOf(r);
    if (no === 1) {
      expectWire(wt, WireType.LengthDelimited, no);
      path = decodeBip44(r.bytes());
    } else skip(r, wt, no);
  }
  return path;
}

function checkMessage(bytes: Uint8Array): void {
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [no, wt] = tagOf(r);
    skip(r, wt, no);
  }
}

/** Reads a tag, refusing field 0 and the wire types gogoproto refuses. */
function tagOf(r: BinaryReader): [number, WireType] {
  const [no, wt] = r.tag();
  if (no <= 0) throw new Error(`illegal tag ${no}`);
  if (wt === WireType.EndGroup) throw new Error("wiretype end group for non-group");
  if (wt > 5) throw new Error(`illegal wireType ${wt as number}`);
  return [no, wt];
}

function expectWire(actual: WireType, expected: WireType, no: number): void {
  if (actual !== expected) throw new Error(`wrong wireType ${actual} for field ${no}`);
}

function skip(r: BinaryReader, wt: WireType, no: number): void {
  if (wt === WireType.StartGroup) throw new Error(`group in field ${no}`);
  r.skip(wt, no);
  if (r.pos > r.len) throw new Error("unexpected end of message");
}

function utf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

function checkLength(key: Uint8Array, n: number, what: string): Uint8Array {
  if (key.length !== n) throw new Error(`the ${what} is ${key.length} bytes, expected ${n}`);
  return key;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
