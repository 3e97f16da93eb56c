// Known answers of tests/crypto/vectors, computed by the JavaScript modules (node --test).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";

import { buildBallot } from "../src/ballot.js";
import { canonicalJson } from "../src/canonical.js";
import { checkCredential, credentialKeypair } from "../src/credentials.js";
import {
  Point, elementHex, elementPart, gPow, hashToScalar, pow, scalarHex, scalarPart,
} from "../src/group.js";
import { hashParts } from "../src/hashing.js";
import { proveMembership } from "../src/proofs.js";
import { seededRandom } from "./seeded.js";

// TINNHIEM_VECTORS (a folder) lets the pytest run use a copy of this project elsewhere.
const VECTORS = process.env.TINNHIEM_VECTORS
  ? pathToFileURL(`${process.env.TINNHIEM_VECTORS}/`)
  : new URL("../../../tests/crypto/vectors/", import.meta.url);
const load = (name) => JSON.parse(readFileSync(new URL(name, VECTORS), "utf-8"));
const primitives = load("primitives.json");

function part(value) {
  const [[kind, v]] = Object.entries(value);
  switch (kind) {
    case "bytes": return hexToBytes(v);
    case "text": return v;
    case "int": return v;
    case "element": return elementPart(Point.fromBytes(hexToBytes(v)));
    case "scalar": return scalarPart(BigInt(`0x${bytesToHex(hexToBytes(v).reverse())}`));
    case "list": return v.map(part);
    default: throw new Error(kind);
  }
}

const scalarOf = (hex) => BigInt(`0x${bytesToHex(hexToBytes(hex).reverse())}`);

test("seeded random stream", () => {
  const v = primitives.seeded_random;
  assert.equal(bytesToHex(seededRandom(v.seed)(100)), v.first_100_bytes);
});

test("hash and hash to scalar", () => {
  for (const h of primitives.hash) {
    const parts = h.parts.map(part);
    assert.equal(bytesToHex(hashParts(h.tag, ...parts)), h.sha512);
    assert.equal(scalarHex(hashToScalar(h.tag, ...parts)), h.hash_to_scalar);
  }
});

test("ElGamal encryptions", () => {
  const v = primitives.elgamal;
  const y = Point.fromBytes(hexToBytes(v.public));
  assert.equal(elementHex(gPow(scalarOf(v.secret))), v.public);
  for (const e of v.encryptions) {
    const r = scalarOf(e.r);
    assert.equal(elementHex(gPow(r)), e.alpha);
    const beta = e.m === 0 ? pow(y, r) : pow(y, r).add(gPow(BigInt(e.m)));
    assert.equal(elementHex(beta), e.beta);
  }
});

test("membership proofs", () => {
  const v = primitives.membership;
  const y = Point.fromBytes(hexToBytes(v.public_key));
  const values = v.values.map(BigInt);
  const rng = seededRandom(v.seed);
  for (const p of v.proofs) {
    // The vector's nonces come from the same stream, before each proof (see tests/crypto/kat.py).
    const nonce = scalarOf(p.nonce);
    const alpha = Point.fromBytes(hexToBytes(p.alpha));
    const beta = Point.fromBytes(hexToBytes(p.beta));
    rng(64); // r_p
    const proof = proveMembership(v.context.map(part), y, alpha, beta, values, p.index, nonce, rng);
    assert.deepEqual(proof, p.proof);
  }
});

test("credential key pair", () => {
  const v = primitives.credential;
  const keys = credentialKeypair(v.uuid, v.credential);
  assert.equal(scalarHex(keys.secret), v.secret);
  assert.equal(elementHex(keys.public), v.public);
  assert.ok(checkCredential(v.credential));
  for (const bad of ["", "0".repeat(22), `${v.credential}1`, v.credential.slice(1), "O".repeat(22)]) {
    assert.equal(checkCredential(bad), false, bad);
  }
});

test("the committed ballot vector, byte for byte", () => {
  const v = load("ballot.json");
  const election = load("archive-poll.json").archive.entries[0].payload.election;
  const out = buildBallot(election, v.credential, v.choices, seededRandom("tinnhiem-kat-ballot"));
  assert.equal(canonicalJson(out.ballot), canonicalJson(v.ballot));
  assert.equal(out.tracker, v.tracker);
  assert.deepEqual(out.opening, v.secrets);
});
