"""Verifiable electronic ballots: the cryptographic core (pure, no Django).

Belenios' homomorphic protocol over ristretto255 (libsodium through ``rbcl``):
signed anonymous credentials, one exponential-ElGamal ciphertext per person
with a strong-Fiat–Shamir membership proof, a hash-chained bulletin board,
Pedersen k-of-n threshold keys for the counting committee, and an offline
verifier of every check (``python -m tinnhiem.crypto ARCHIVE``).

The protocol and the archive format are specified symbol by symbol in
``docs/crypto-spec.md``; the choices and deviations from the design brief are
in ``docs/decisions/0010-crypto-core.md``. One concept per module: ``group``,
``hashing``, ``randomness``, ``canonical``, ``elgamal``, ``proofs``,
``election``, ``credentials``, ``ballot``, ``dkg``, ``tally``, ``decryption``,
``setup``, ``board``, ``ballot_box``, ``verify``; ``simulate`` runs whole
elections for tests and benchmarks.

No function draws randomness on its own: every nonce comes from a
:class:`~tinnhiem.crypto.randomness.RandomSource` argument
(:func:`~tinnhiem.crypto.randomness.system_random` for real use).
"""
