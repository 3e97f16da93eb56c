// The election document, its fingerprint φ and the level encoding (docs/crypto-spec.md §6),
// read as strictly as Election.from_json in src/tinnhiem/crypto/election.py.

import { canonicalBytes } from "./canonical.js";
import { BallotInputError } from "./errors.js";
import { elementFromHex } from "./group.js";
import { PROTOCOL_VERSION, sha256Hex } from "./hashing.js";

export const ELECTION_VERSION = 1;
export const GROUP_NAME = "ristretto255";

/** (kind, allow blank) → levels in encoding order; level i is encoded as 0 or B^(i−1). */
export const STANDARD_LEVELS = Object.freeze({
  poll: [
    ["thap", "tin_nhiem", "cao"],
    ["blank", "tin_nhiem", "cao", "thap"],
  ],
  binding: [
    ["khong_tin_nhiem", "tin_nhiem"],
    ["blank", "tin_nhiem", "khong_tin_nhiem"],
  ],
});

const KEYS = [
  "version", "protocol", "group", "uuid", "title", "kind", "levels", "base",
  "n_max", "t_min", "persons", "public_key", "trustees_hash", "credentials_hash",
];
const UUID = /^[A-Za-z0-9_-]{8,64}$/;
const DIGEST = /^[0-9a-f]{64}$/;

const KEYS_SEEN = new Map();

/**
 * The election key y, decoded and given a window table (y is the base of four of the ten
 * exponentiations per person). Kept for the page's life, so that a second ballot (after an
 * audit, or a re-vote) does not rebuild the table.
 */
function publicKey(hex) {
  let point = KEYS_SEEN.get(hex);
  if (point === undefined) {
    point = elementFromHex(hex, "election.public_key", false);
    point.precompute(8, false);
    if (KEYS_SEEN.size >= 4) KEYS_SEEN.clear();
    KEYS_SEEN.set(hex, point);
  }
  return point;
}

function fail(message) {
  throw new BallotInputError("election", `election${message}`);
}

function isPlainObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function exactKeys(obj, keys, where) {
  if (!isPlainObject(obj)) fail(`${where}: expected an object`);
  const missing = keys.filter((k) => !Object.hasOwn(obj, k));
  if (missing.length) fail(`${where}: missing key(s) ${missing.join(", ")}`);
  const unknown = Object.keys(obj).filter((k) => !keys.includes(k)).sort();
  if (unknown.length) fail(`${where}: unknown key(s) ${unknown.join(", ")}`);
}

function str(v, where) {
  if (typeof v !== "string") fail(`${where}: expected a string`);
  return v;
}

function int(v, where, minimum) {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) fail(`${where}: expected an integer`);
  if (v < minimum) fail(`${where}: must be ≥ ${minimum}`);
  return v;
}

function sameList(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * A checked election: the document as given (`json`), φ (`fingerprint`), the public key
 * `y` as a point with a precomputed window table, and the plaintext `values` M (BigInt).
 */
export class Election {
  constructor(json) {
    exactKeys(json, KEYS, "");
    if (int(json.version, ".version", 0) !== ELECTION_VERSION) {
      fail(`.version: only version ${ELECTION_VERSION} is known`);
    }
    if (str(json.protocol, ".protocol") !== PROTOCOL_VERSION) fail(`.protocol: expected ${PROTOCOL_VERSION}`);
    if (str(json.group, ".group") !== GROUP_NAME) fail(`.group: expected ${GROUP_NAME}`);
    this.uuid = str(json.uuid, ".uuid");
    if (!UUID.test(this.uuid)) fail(".uuid: must be 8–64 characters from [A-Za-z0-9_-]");
    str(json.title, ".title");
    this.kind = str(json.kind, ".kind");
    if (!Array.isArray(json.levels)) fail(".levels: expected an array");
    this.levels = json.levels.map((v, i) => str(v, `.levels[${i}]`));
    const standard = STANDARD_LEVELS[this.kind];
    if (!Object.hasOwn(STANDARD_LEVELS, this.kind)) fail(".kind: must be 'poll' or 'binding'");
    if (!standard.some((l) => sameList(l, this.levels))) {
      fail(`.levels: [${this.levels.join(", ")}] is not a standard list for kind ${this.kind}`);
    }
    this.base = int(json.base, ".base", 2);
    this.nMax = int(json.n_max, ".n_max", 1);
    const tMin = int(json.t_min, ".t_min", 0);
    if (this.base <= this.nMax) fail(`: base B = ${this.base} must exceed n_max = ${this.nMax}`);
    if (tMin > this.nMax) fail(": t_min must be in [0, n_max]");
    if (!Array.isArray(json.persons)) fail(".persons: expected an array");
    const ids = new Set();
    json.persons.forEach((p, i) => {
      exactKeys(p, ["id", "name"], `.persons[${i}]`);
      ids.add(str(p.id, `.persons[${i}].id`));
      str(p.name, `.persons[${i}].name`);
    });
    this.persons = json.persons.length;
    if (this.persons === 0) fail(": at least one person");
    if (ids.size !== this.persons) fail(": person ids must be distinct");
    this.publicKey = publicKey(json.public_key);
    for (const key of ["trustees_hash", "credentials_hash"]) {
      if (typeof json[key] !== "string" || !DIGEST.test(json[key])) {
        fail(`.${key}: expected a SHA-256 digest (64 lowercase hex digits)`);
      }
    }
    const b = BigInt(this.base);
    this.values = this.levels.map((_, i) => (i === 0 ? 0n : b ** BigInt(i - 1)));
    if (this.values[this.values.length - 1] * BigInt(this.nMax) >= 2n ** 63n) {
      fail(": encoded totals would not fit in 63 bits");
    }
    this.json = json;
    this.fingerprint = sha256Hex(canonicalBytes(json));
  }

  /** The index in `levels` (and `values`) of a level code. */
  levelIndex(level, where) {
    const i = typeof level === "string" ? this.levels.indexOf(level) : -1;
    if (i < 0) {
      throw new BallotInputError(
        "choices",
        `${where}: unknown level ${JSON.stringify(level)}; expected one of ${this.levels.join(", ")}`,
      );
    }
    return i;
  }
}
