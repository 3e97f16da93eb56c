// Entry point of the bundle: window.TinNhiemBallot, the API the casting page uses.

import { buildBallot } from "./ballot.js";
import { checkCredential } from "./credentials.js";
import { BallotInputError } from "./errors.js";
import { systemRandomBytes } from "./group.js";

export const VERSION = "tinnhiem/v1 ballot 1.0.0";

/**
 * Encrypt a ballot. `election` is Election.to_json() as published on the board,
 * `credential` the 22-character card, `choices` one level code per person in election
 * order. Resolves to {ballot, tracker, opening}; rejects with a BallotInputError whose
 * `code` is "election", "credential" or "choices" on bad input.
 *
 * `options.randomBytes` replaces the browser's CSPRNG: for known-answer tests only.
 */
export async function encryptBallot(election, credential, choices, options = undefined) {
  const randomBytes = options?.randomBytes ?? systemRandomBytes;
  // Let the page paint its "encrypting…" state before the main thread is busy.
  await new Promise((resolve) => setTimeout(resolve, 0));
  return buildBallot(election, credential, choices, randomBytes);
}

export const TinNhiemBallot = Object.freeze({
  version: VERSION,
  checkCredential,
  encryptBallot,
  BallotInputError,
});

if (typeof window !== "undefined") {
  window.TinNhiemBallot = TinNhiemBallot;
}
