// SeededRandom of src/tinnhiem/crypto/randomness.py, for known-answer tests only:
// block i = H("tinnhiem/v1/rng"; seed bytes, i), concatenated.

import { concat, hashParts } from "../src/hashing.js";

export function seededRandom(seed) {
  const seedBytes = new TextEncoder().encode(seed);
  let counter = 0;
  let buffer = new Uint8Array(0);
  return (n) => {
    while (buffer.length < n) {
      buffer = concat([buffer, hashParts("tinnhiem/v1/rng", seedBytes, counter)]);
      counter += 1;
    }
    const out = buffer.slice(0, n);
    buffer = buffer.slice(n);
    return out;
  };
}
