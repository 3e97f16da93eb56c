// Proofs and signatures with strong Fiat–Shamir (docs/crypto-spec.md §5), as
// src/tinnhiem/crypto/proofs.py: the membership proof (disjunctive Chaum–Pedersen,
// Belenios iprove) and the Schnorr signature. The randomness is drawn in the same order
// as the Python prover, so that a seeded stream gives byte-identical proofs.

import { G, elementPart, gPow, hashToScalar, mod, pow, randomScalar, scalarHex } from "./group.js";
import { Tag } from "./hashing.js";

/**
 * Prove that (α, β) = Enc_y(M_index; r) without revealing `index`.
 *
 * Draw w; for each j ≠ i in increasing order draw c_j then s_j, and with
 * t_j = s_j + r·c_j set A_j = g^t_j, B_j = y^t_j · g^(c_j (M_i − M_j)); set A_i = g^w,
 * B_i = y^w; c = H_ℓ(membership-proof; context, g, y, [M…], α, β, [A_0, B_0, …]);
 * c_i = c − Σ_{j≠i} c_j and s_i = w − r·c_i. Returns [[c_j, s_j] hex…].
 */
export function proveMembership(context, y, alpha, beta, values, index, nonce, randomBytes) {
  const k = values.length;
  const mi = values[index];
  const w = randomScalar(randomBytes);
  const simulated = new Map();
  for (let j = 0; j < k; j++) {
    if (j !== index) simulated.set(j, [randomScalar(randomBytes), randomScalar(randomBytes)]);
  }
  const commitments = [];
  for (let j = 0; j < k; j++) {
    if (j === index) {
      commitments.push(elementPart(gPow(w)), elementPart(pow(y, w)));
    } else {
      const [cj, sj] = simulated.get(j);
      const tj = mod(sj + nonce * cj);
      const shift = mod(cj * mod(mi - values[j]));
      commitments.push(elementPart(gPow(tj)), elementPart(pow(y, tj).add(gPow(shift))));
    }
  }
  const c = hashToScalar(
    Tag.MEMBERSHIP,
    context,
    elementPart(G),
    elementPart(y),
    values,
    elementPart(alpha),
    elementPart(beta),
    commitments,
  );
  let ci = c;
  for (const [cj] of simulated.values()) ci = mod(ci - cj);
  const branches = [];
  for (let j = 0; j < k; j++) {
    const [cj, sj] = j === index ? [ci, mod(w - nonce * ci)] : simulated.get(j);
    branches.push([scalarHex(cj), scalarHex(sj)]);
  }
  return branches;
}

/**
 * Schnorr signature of `message` (bytes): draw w, A = g^w,
 * c = H_ℓ(tag; [...context, message], g, X, A), s = w − x·c. Returns [c, s] hex.
 */
export function sign(tag, context, secret, publicPoint, message, randomBytes) {
  const w = randomScalar(randomBytes);
  const commitment = gPow(w);
  const c = hashToScalar(
    tag,
    [...context, message],
    elementPart(G),
    elementPart(publicPoint),
    elementPart(commitment),
  );
  return [scalarHex(c), scalarHex(mod(w - secret * c))];
}
