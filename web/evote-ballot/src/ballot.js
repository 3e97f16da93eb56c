// Ballots (docs/crypto-spec.md §8), as encrypt_ballot and sign_ballot in
// src/tinnhiem/crypto/ballot.py: one exponential-ElGamal ciphertext per person with its
// membership proof (context [φ, X, p]), the Schnorr signature of the body's canonical JSON
// (context [φ]), the tracker (SHA-256 of the body's canonical JSON) and the opening
// {"choices", "nonces"} that check_opening verifies in a Benaloh audit.

import { canonicalBytes } from "./canonical.js";
import { credentialKeypair } from "./credentials.js";
import { Election } from "./election.js";
import { BallotInputError } from "./errors.js";
import { elementHex, elementPart, gPow, pow, randomScalar, scalarHex } from "./group.js";
import { Tag, sha256Hex } from "./hashing.js";
import { proveMembership, sign } from "./proofs.js";

/**
 * Encrypt, prove and sign one ballot.
 *
 * `randomBytes(n)` must return n uniformly random bytes; the default is the browser's
 * CSPRNG. Draw order (as the Python device): for each person, r_p then the proof's
 * randomness; then the signature's nonce.
 */
export function buildBallot(electionJson, credential, choices, randomBytes) {
  const election = new Election(electionJson);
  const keys = credentialKeypair(election.uuid, credential);
  if (!Array.isArray(choices)) throw new BallotInputError("choices", "choices: expected an array");
  if (choices.length !== election.persons) {
    throw new BallotInputError(
      "choices",
      `choices: expected ${election.persons} choices, got ${choices.length}`,
    );
  }
  const indices = choices.map((level, p) => election.levelIndex(level, `choices[${p}]`));
  const phi = election.fingerprint;
  const y = election.publicKey;
  const credentialPart = elementPart(keys.public);
  const answers = [];
  const nonces = [];
  indices.forEach((index, p) => {
    const m = election.values[index];
    const r = randomScalar(randomBytes);
    const alpha = gPow(r);
    const yr = pow(y, r);
    const beta = m === 0n ? yr : yr.add(gPow(m));
    const proof = proveMembership(
      [phi, credentialPart, p], y, alpha, beta, election.values, index, r, randomBytes,
    );
    answers.push({ alpha: elementHex(alpha), beta: elementHex(beta), proof });
    nonces.push(scalarHex(r));
  });
  const body = {
    election_uuid: election.uuid,
    election_hash: phi,
    credential: elementHex(keys.public),
    answers,
  };
  const bodyBytes = canonicalBytes(body);
  const tracker = sha256Hex(bodyBytes);
  const signature = sign(Tag.BALLOT_SIGNATURE, [phi], keys.secret, keys.public, bodyBytes, randomBytes);
  return {
    ballot: { ...body, signature },
    tracker,
    opening: { choices: [...choices], nonces },
  };
}
