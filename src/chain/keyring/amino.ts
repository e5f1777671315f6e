/**
 * Amino-era keyring records (`LegacyInfo`, written by cosmos-sdk up to v0.45): decoded and
 * converted in memory to the protobuf {@link KeyRecord} the network CLI would migrate them to.
 * Nothing is written back (the network CLI rewrites the file; a reader must not).
 */
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import {
  AMINO_MULTISIG_PUBKEY,
  AMINO_SECP256K1_PUBKEY,
  decodeBip44,
  multisigPubKeyAny,
  secp256k1PrivKeyAny,
  secp256k1PubKeyAny,
  type AnyValue,
  type Bip44Params,
  type KeyRecord,
} from "./record.js";

const LOCAL = "0dad153d";
const LEDGER = "a08cb0fb";
const OFFLINE = "1f4d3ed6";
const MULTI = "34878fb8";
/** Amino prefix of tendermint/PrivKeySecp256k1. */
const AMINO_SECP256K1_PRIVKEY = "e1b0f79b";

/**
 * Decodes an amino length-prefixed `LegacyInfo` (local, ledger, offline or multi) into the record
 * the keystore migrates it to. Throws a plain `Error` when the bytes are not one.
 */
export function decodeLegacyInfo(bytes: Uint8Array): KeyRecord {
  const outer = new BinaryReader(bytes);
  const length = outer.uint32();
  const rest = bytes.length - outer.pos;
  if (rest !== length) throw new Error(`amino length prefix says ${length} bytes, ${rest} follow`);
  if (length < 4) throw new Error("amino record shorter than its type prefix");
  const prefix = hex(bytes.subarray(outer.pos, outer.pos + 4));
  const r = new BinaryReader(bytes.subarray(outer.pos + 4));
  let name = "";
  let pubKey: AnyValue | undefined;
  let privKey: AnyValue | undefined;
  let path: Bip44Params | undefined;
  if (prefix !== LOCAL && prefix !== LEDGER && prefix !== OFFLINE && prefix !== MULTI) throw new Error(`unknown amino type prefix ${prefix}`);
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1 && wt === WireType.LengthDelimited) name = new TextDecoder("utf-8", { fatal: true }).decode(r.bytes());
    else if (no === 2 && wt === WireType.LengthDelimited) pubKey = aminoPubKeyToAny(r.bytes());
    else if (no === 3 && prefix === LOCAL && wt === WireType.LengthDelimited) privKey = aminoPrivKeyToAny(r.bytes());
    else if (no === 3 && prefix === LEDGER && wt === WireType.LengthDelimited) path = decodeBip44(r.bytes());
    else if (wt === WireType.StartGroup || wt === WireType.EndGroup || no <= 0) throw new Error("malformed amino field");
    else r.skip(wt, no);
  }
  if (!pubKey) throw new Error("the amino record has no public key");
  if (prefix === LOCAL) {
    if (!privKey) throw new Error("the amino local record has no private key");
    return { name, pubKey, item: { type: "local", privKey } };
  }
  if (prefix === LEDGER) return { name, pubKey, item: { type: "ledger", path: path ?? { purpose: 0, coinType: 0, account: 0, change: false, addressIndex: 0 } } };
  return { name, pubKey, item: { type: prefix === MULTI ? "multi" : "offline" } };
}

/** An amino interface value (prefix ‖ concrete) of a public key → its protobuf `Any`. */
function aminoPubKeyToAny(b: Uint8Array): AnyValue {
  const prefix = hex(b.subarray(0, 4));
  if (prefix === hex(AMINO_SECP256K1_PUBKEY)) {
    if (b.length !== 4 + 1 + 33 || b[4] !== 33) throw new Error("malformed amino secp256k1 public key");
    return secp256k1PubKeyAny(b.slice(5));
  }
  if (prefix === hex(AMINO_MULTISIG_PUBKEY)) {
    const r = new BinaryReader(b.subarray(4));
    let threshold = 0;
    const publicKeys: AnyValue[] = [];
    while (r.pos < r.len) {
      const [no, wt] = r.tag();
      if (no === 1 && wt === WireType.Varint) threshold = r.uint32();
      else if (no === 2 && wt === WireType.LengthDelimited) publicKeys.push(aminoPubKeyToAny(r.bytes()));
      else throw new Error("malformed amino multisig public key");
    }
    return multisigPubKeyAny({ threshold, publicKeys });
  }
  throw new Error(`unsupported amino public key prefix ${prefix}`);
}

/** The `privkey.armor` field: amino `e1 b0 f7 9b 20` ‖ 32 bytes. */
function aminoPrivKeyToAny(b: Uint8Array): AnyValue {
  if (hex(b.subarray(0, 4)) !== AMINO_SECP256K1_PRIVKEY || b.length !== 37 || b[4] !== 32) throw new Error("unsupported amino private key");
  return secp256k1PrivKeyAny(b.slice(5));
}

function hex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}
