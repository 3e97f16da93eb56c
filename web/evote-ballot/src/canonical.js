// Canonical JSON (docs/crypto-spec.md §3), byte for byte as Python's
// json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False):
// keys sorted by code point, no spaces, non-ASCII unescaped, integers in decimal, no floats.

import { LONE_SURROGATE } from "./hashing.js";

/** Compare two strings by Unicode code point (Python's str ordering). */
export function compareCodePoints(a, b) {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0);
    const cy = y.value.codePointAt(0);
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

function quote(s) {
  // JSON.stringify escapes exactly what Python's json escapes with ensure_ascii=False
  // (", \, \b \f \n \r \t, other control characters as \u00xx lowercase) for well-formed text.
  if (LONE_SURROGATE.test(s)) throw new TypeError("text with a lone surrogate has no canonical JSON");
  return JSON.stringify(s);
}

/** The canonical JSON text of `value` (objects, arrays, strings, safe integers, booleans, null). */
export function canonicalJson(value) {
  if (value === null) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "string") return quote(value);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new TypeError(`no canonical JSON for the number ${value}`);
    return String(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const keys = Object.keys(value).sort(compareCodePoints);
    return `{${keys.map((k) => `${quote(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  throw new TypeError(`no canonical JSON for a ${typeof value}`);
}

const utf8 = new TextEncoder();

/** The canonical JSON of `value` as UTF-8 bytes. */
export function canonicalBytes(value) {
  return utf8.encode(canonicalJson(value));
}
