// The group ristretto255 (RFC 9496) through @noble/curves (docs/crypto-spec.md §1), with
// the conventions of src/tinnhiem/crypto/group.py: scalars are integers modulo ℓ encoded as
// 32 bytes little-endian; elements are canonical 32-byte encodings; both are written in JSON
// as exactly 64 lowercase hex digits.

import { ristretto255 } from "@noble/curves/ed25519.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { BallotInputError } from "./errors.js";
import { KIND_ELEMENT, KIND_SCALAR, Tag, Typed, hashParts } from "./hashing.js";

export const Point = ristretto255.Point;

/** ℓ, the prime order of ristretto255. */
export const ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;

/** The standard generator g. */
export const G = Point.BASE;

/** The identity element 1. */
export const IDENTITY = Point.ZERO;

/** k mod ℓ, always in [0, ℓ). */
export function mod(k) {
  const r = k % ORDER;
  return r < 0n ? r + ORDER : r;
}

/** Little-endian bytes → non-negative integer. */
export function bytesToIntLE(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

/** A scalar's canonical encoding: 32 bytes little-endian. */
export function scalarToBytes(k) {
  const out = new Uint8Array(32);
  let n = k;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/** A scalar as 64 lowercase hex digits. */
export function scalarHex(k) {
  return bytesToHex(scalarToBytes(k));
}

/** An element as 64 lowercase hex digits. */
export function elementHex(point) {
  return bytesToHex(point.toBytes());
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Decode an element from 64 lowercase hex digits (Element.from_hex): refuses uppercase,
 * wrong lengths, non-canonical and invalid encodings; the identity only if allowed.
 */
export function elementFromHex(text, where, allowIdentity = true) {
  if (typeof text !== "string" || !HEX64.test(text)) {
    throw new BallotInputError("election", `${where}: expected 64 lowercase hex digits`);
  }
  let point;
  try {
    point = Point.fromBytes(hexToBytes(text));
  } catch {
    throw new BallotInputError("election", `${where}: invalid ristretto255 encoding`);
  }
  if (!allowIdentity && point.is0()) {
    throw new BallotInputError("election", `${where}: the identity element is not allowed here`);
  }
  return point;
}

let baseTable = false;

/** g^k for any scalar 0 ≤ k < ℓ (the zero scalar gives the identity, as group.py). */
export function gPow(k) {
  if (k === 0n) return IDENTITY;
  if (!baseTable) {
    // Six of the ten exponentiations per person are by g: a wider window table than
    // noble's default halves their cost (4,096 points, built once per page).
    G.precompute(8, false);
    baseTable = true;
  }
  return G.multiply(k);
}

/** a^k for any scalar 0 ≤ k < ℓ. */
export function pow(a, k) {
  return k === 0n || a.is0() ? IDENTITY : a.multiply(k);
}

/** Wrap an element for hashing (kind 05). */
export function elementPart(point) {
  return new Typed(KIND_ELEMENT, point.toBytes());
}

/** Wrap a scalar for hashing (kind 06). */
export function scalarPart(k) {
  return new Typed(KIND_SCALAR, scalarToBytes(k));
}

/** H_ℓ(tag; parts…) = H("tinnhiem/v1/hash-to-scalar"; tag, parts…), little-endian, mod ℓ. */
export function hashToScalar(tag, ...parts) {
  return mod(bytesToIntLE(hashParts(Tag.HASH_TO_SCALAR, tag, ...parts)));
}

/** The browser's CSPRNG: `crypto.getRandomValues`. */
export function systemRandomBytes(n) {
  const out = new Uint8Array(n);
  globalThis.crypto.getRandomValues(out);
  return out;
}

/** A uniformly random non-zero scalar: 64 random bytes reduced mod ℓ, redrawn on zero. */
export function randomScalar(randomBytes) {
  for (;;) {
    const bytes = randomBytes(64);
    if (!(bytes instanceof Uint8Array) || bytes.length !== 64) {
      throw new TypeError("the randomness source must return a Uint8Array of the requested length");
    }
    const k = mod(bytesToIntLE(bytes));
    if (k !== 0n) return k;
  }
}
