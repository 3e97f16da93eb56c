// Hashing with domain separation and length-prefixed items (docs/crypto-spec.md §2),
// byte for byte as src/tinnhiem/crypto/hashing.py.
//
// enc(x) = kind byte ‖ 8-byte big-endian length ‖ bytes; H(tag; x1…xn) = SHA-512 of
// enc(tag) ‖ enc(x1) ‖ … ‖ enc(xn). Kinds: 01 bytes, 02 text (UTF-8), 03 integer
// (0 ≤ n < 2^64, 8 bytes big-endian), 04 list (length = number of items), 05 element,
// 06 scalar.

import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

export const PROTOCOL_VERSION = "tinnhiem/v1";

/** The domain-separation tags used by the voter's device (spec §2, table of tags). */
export const Tag = Object.freeze({
  HASH_TO_SCALAR: `${PROTOCOL_VERSION}/hash-to-scalar`,
  CREDENTIAL: `${PROTOCOL_VERSION}/credential`,
  MEMBERSHIP: `${PROTOCOL_VERSION}/membership-proof`,
  BALLOT_SIGNATURE: `${PROTOCOL_VERSION}/ballot-signature`,
});

const KIND_BYTES = 0x01;
const KIND_TEXT = 0x02;
const KIND_INT = 0x03;
const KIND_LIST = 0x04;
export const KIND_ELEMENT = 0x05;
export const KIND_SCALAR = 0x06;

const TWO_64 = 1n << 64n;
const utf8 = new TextEncoder();
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A value hashed with its own kind byte: an element (KIND_ELEMENT) or a scalar
 * (KIND_SCALAR), given by its canonical 32-byte encoding.
 */
export class Typed {
  /** @param {number} kind @param {Uint8Array} bytes */
  constructor(kind, bytes) {
    this.kind = kind;
    this.bytes = bytes;
  }
}

function header(kind, length) {
  const out = new Uint8Array(9);
  out[0] = kind;
  new DataView(out.buffer).setBigUint64(1, BigInt(length), false);
  return out;
}

function uint64(n) {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n, false);
  return out;
}

/** Push enc(part) onto `chunks`. */
function encodeInto(part, chunks) {
  if (part instanceof Typed) {
    chunks.push(header(part.kind, part.bytes.length), part.bytes);
  } else if (part instanceof Uint8Array) {
    chunks.push(header(KIND_BYTES, part.length), part);
  } else if (typeof part === "string") {
    if (LONE_SURROGATE.test(part)) throw new TypeError("text with a lone surrogate cannot be hashed");
    const data = utf8.encode(part);
    chunks.push(header(KIND_TEXT, data.length), data);
  } else if (typeof part === "number" || typeof part === "bigint") {
    if (typeof part === "number" && !Number.isSafeInteger(part)) {
      throw new TypeError(`cannot hash the number ${part}`);
    }
    const n = BigInt(part);
    if (n < 0n || n >= TWO_64) throw new RangeError(`integer ${n} out of [0, 2^64)`);
    chunks.push(header(KIND_INT, 8), uint64(n));
  } else if (Array.isArray(part)) {
    chunks.push(header(KIND_LIST, part.length));
    for (const item of part) encodeInto(item, chunks);
  } else {
    throw new TypeError(`cannot hash a ${typeof part}`);
  }
}

/** enc(part) as one byte array. */
export function encodePart(part) {
  const chunks = [];
  encodeInto(part, chunks);
  return concat(chunks);
}

/** H(tag; parts…): the 64-byte SHA-512 digest of the framed items. */
export function hashParts(tag, ...parts) {
  const h = sha512.create();
  const chunks = [];
  encodeInto(tag, chunks);
  for (const p of parts) encodeInto(p, chunks);
  for (const c of chunks) h.update(c);
  return h.digest();
}

/** Lowercase hex SHA-256 of `data`: the name of a document (φ, trackers). */
export function sha256Hex(data) {
  return bytesToHex(sha256(data));
}

export function concat(chunks) {
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
