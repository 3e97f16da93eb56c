// Voter credentials (docs/crypto-spec.md §7), as src/tinnhiem/crypto/credentials.py:
// a private credential is 22 characters of Bitcoin's Base58 alphabet; its signing key is
// x = H_ℓ(credential; uuid, c) and the public credential X = g^x.

import { BallotInputError } from "./errors.js";
import { gPow, hashToScalar } from "./group.js";
import { Tag } from "./hashing.js";

export const BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
export const CREDENTIAL_LENGTH = 22;

/** Whether `credential` is 22 Base58 characters (syntax only, as check_credential_syntax). */
export function checkCredential(credential) {
  if (typeof credential !== "string" || credential.length !== CREDENTIAL_LENGTH) return false;
  for (const ch of credential) if (!BASE58_ALPHABET.includes(ch)) return false;
  return true;
}

/** {secret: x, public: X} for a credential of the election `uuid`. */
export function credentialKeypair(uuid, credential) {
  if (!checkCredential(credential)) {
    throw new BallotInputError("credential", `a credential is ${CREDENTIAL_LENGTH} Base58 characters`);
  }
  const secret = hashToScalar(Tag.CREDENTIAL, uuid, credential);
  return { secret, public: gPow(secret) };
}
