/**
 * The OpenPGP ASCII armor container (RFC 4880 §6) as `golang.org/x/crypto/openpgp/armor` writes
 * and reads it: a BEGIN line, `key: value` headers, a blank line, base64 in 64-character lines, an
 * optional `=CRC-24` line and the END line.
 */
import { base64 } from "@scure/base";
import { ArmorError } from "./errors.js";

/** A decoded armor block. */
export interface ArmorBlock {
  blockType: string;
  headers: Record<string, string>;
  data: Uint8Array;
}

/** OpenPGP's CRC-24 (init 0xB704CE, polynomial 0x1864CFB). */
export function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const b of data) {
    crc ^= b << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

function crcText(data: Uint8Array): string {
  const c = crc24(data);
  return base64.encode(Uint8Array.of((c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff));
}

/**
 * Encodes an armor block byte for byte as x/crypto does (headers in the order given; no newline
 * after the END line).
 */
export function encodeArmor(block: ArmorBlock): string {
  const body = base64.encode(block.data);
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  const headers = Object.entries(block.headers)
    .map(([k, v]) => `${k}: ${v}\n`)
    .join("");
  return `-----BEGIN ${block.blockType}-----\n${headers}\n${lines.join("\n")}\n=${crcText(block.data)}\n-----END ${block.blockType}-----`;
}

const MAX_LINE = 96;

/**
 * Decodes the first armor block in `text` (leading text is skipped, as x/crypto does; anything
 * after the END line is ignored). The CRC line is optional but checked when present.
 *
 * @throws {ArmorError} (`format` or `checksum`).
 */
export function decodeArmor(text: string): ArmorBlock {
  const lines = text.split(/\r?\n/);
  let i = 0;
  let blockType: string | undefined;
  for (; i < lines.length; i++) {
    const m = /^-----BEGIN (.+)-----$/.exec(lines[i]!.trim());
    if (m) {
      blockType = m[1]!;
      i++;
      break;
    }
  }
  if (blockType === undefined) throw new ArmorError("format", "no -----BEGIN …----- line (is this an exported key?)");
  const headers: Record<string, string> = {};
  for (; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") {
      i++;
      break;
    }
    const at = line.indexOf(": ");
    if (at < 0) throw new ArmorError("format", `header line ${i + 1} is not "key: value"`);
    headers[line.slice(0, at)] = line.slice(at + 2);
  }
  let body = "";
  let crc: string | undefined;
  let ended = false;
  for (; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === `-----END ${blockType}-----`) {
      ended = true;
      break;
    }
    if (line.length > MAX_LINE) throw new ArmorError("format", `line ${i + 1} is longer than ${MAX_LINE} characters`);
    if (line.startsWith("=") && line.length === 5) {
      crc = line.slice(1);
      continue;
    }
    if (crc !== undefined && line !== "") throw new ArmorError("format", "text after the checksum line");
    body += line;
  }
  if (!ended) throw new ArmorError("format", `no -----END ${blockType}----- line`);
  let data: Uint8Array;
  try {
    data = base64.decode(body);
  } catch {
    throw new ArmorError("format", "the armor body is not base64");
  }
  if (crc !== undefined && crc !== crcText(data)) throw new ArmorError("checksum", "the CRC-24 checksum does not match the body (the armor was altered or damaged)");
  return { blockType, headers, data };
}
