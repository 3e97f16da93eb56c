"""Pedersen distributed key generation, k of n, for the counting committee (spec §9).

Trustees ``1…n`` (the committee members) and a threshold ``k``: any ``k`` of
them can decrypt the tally, ``k − 1`` learn nothing, and no dealer ever knows
the election secret key ``x``. The messages follow Belenios' "threshold
trustees" with a signed mini-PKI:

1. **Certificates.** Each trustee ``i`` has a signing key ``(sk_i, SK_i)`` and
   an encryption key ``(dk_i, EK_i)`` and publishes a :class:`Certificate`:
   both public keys, a proof of possession of ``dk_i``, signed with ``sk_i``.
2. **Dealings.** Each trustee ``i`` draws a polynomial
   ``f_i(z) = a_{i0} + a_{i1} z + … + a_{i,k−1} z^{k−1}`` and publishes a
   signed :class:`Dealing`: the commitments ``A_{ik} = g^{a_{ik}}`` with a
   Schnorr proof of knowledge each, and the shares ``s_{ij} = f_i(j)``
   encrypted to every trustee ``j`` (:class:`EncryptedShare`:
   ``E = g^e``, ``K = EK_j^e``, ``pad = H(dkg-share-pad; uuid, i, j, E, K)``,
   ``ct = s_{ij} ⊕ pad``).
3. **Share checks.** Trustee ``j`` decrypts each ``s_{ij}`` and checks
   ``g^{s_{ij}} = Π_k A_{ik}^{j^k}`` (:func:`receive_share`). A failure is a
   :class:`~tinnhiem.crypto.errors.ShareComplaintError`; :func:`make_complaint`
   turns it into a public complaint (``K`` with a Chaum–Pedersen proof) that
   anyone can settle with :func:`check_complaint`. A dealer found at fault
   is excluded and the ceremony restarts.
4. **Verification keys.** Trustee ``j`` keeps ``S_j = Σ_i s_{ij}`` (its
   decryption share, :class:`TrusteeShare`) and publishes a signed
   :class:`VerificationKey` ``VK_j = g^{S_j}`` with a proof of knowledge.
   Anyone checks ``VK_j = Π_k C_k^{j^k}`` with ``C_k = Π_i A_{ik}``.
5. The election public key is ``y = C_0 = Π_i A_{i0}``
   (:attr:`TrusteesPublic.public_key`).

:func:`verify_trustees` performs every public check (spec §(d)3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from tinnhiem.crypto.canonical import (
    JsonOut,
    as_hex,
    as_int,
    as_list,
    as_str,
    digest,
    dumps,
    fields,
)
from tinnhiem.crypto.elgamal import KeyPair, keygen
from tinnhiem.crypto.errors import FormatError, ShareComplaintError
from tinnhiem.crypto.group import (
    Element,
    G,
    Scalar,
    as_element,
    g_pow,
    product,
    random_scalar,
)
from tinnhiem.crypto.hashing import Part, Tag, hash_parts
from tinnhiem.crypto.proofs import (
    CompactProof,
    prove_dleq,
    prove_dlog,
    sign,
    verify_dleq,
    verify_dlog,
    verify_signature,
)
from tinnhiem.crypto.randomness import RandomSource

# ------------------------------------------------------------------ keys


@dataclass(frozen=True)
class TrusteeKeys:
    """A trustee's private PKI keys (stay on the trustee's own device)."""

    index: int
    name: str
    signing: KeyPair
    encryption: KeyPair


def trustee_keys(index: int, name: str, rng: RandomSource) -> TrusteeKeys:
    """Fresh signing and encryption keys for trustee ``index`` (1-based)."""
    return TrusteeKeys(index, name, keygen(rng), keygen(rng))


def trustee_sign(
    context: Sequence[Part], keys: TrusteeKeys, body: JsonOut, rng: RandomSource
) -> CompactProof:
    """Sign the canonical JSON of ``body`` with ``sk_i`` (tag ``trustee-signature``)."""
    return sign(
        Tag.TRUSTEE_SIGNATURE, context, keys.signing.secret, keys.signing.public, dumps(body), rng
    )


def trustee_verify(
    context: Sequence[Part], signing_key: Element, body: JsonOut, signature: CompactProof
) -> bool:
    """Check a :func:`trustee_sign` signature."""
    return verify_signature(Tag.TRUSTEE_SIGNATURE, context, signing_key, dumps(body), signature)


@dataclass(frozen=True)
class Certificate:
    """Trustee ``i``'s public keys ``SK_i`` and ``EK_i``, self-signed (step 1)."""

    index: int
    name: str
    signing_key: Element
    encryption_key: Element
    encryption_proof: CompactProof
    signature: CompactProof

    def body_json(self) -> dict[str, JsonOut]:
        """The signed part."""
        return {
            "index": self.index,
            "name": self.name,
            "signing_key": self.signing_key.hex(),
            "encryption_key": self.encryption_key.hex(),
            "encryption_proof": self.encryption_proof.to_json(),
        }

    def to_json(self) -> dict[str, JsonOut]:
        """The body plus ``"signature"``."""
        return {**self.body_json(), "signature": self.signature.to_json()}

    @staticmethod
    def from_json(value: object, where: str) -> Certificate:
        """Strictly read a certificate."""
        keys = ("index", "name", "signing_key", "encryption_key", "encryption_proof", "signature")
        obj = fields(value, where, keys)
        return Certificate(
            index=as_int(obj["index"], f"{where}.index", 1),
            name=as_str(obj["name"], f"{where}.name"),
            signing_key=as_element(
                obj["signing_key"], f"{where}.signing_key", allow_identity=False
            ),
            encryption_key=as_element(
                obj["encryption_key"], f"{where}.encryption_key", allow_identity=False
            ),
            encryption_proof=CompactProof.from_json(
                obj["encryption_proof"], f"{where}.encryption_proof"
            ),
            signature=CompactProof.from_json(obj["signature"], f"{where}.signature"),
        )


def make_certificate(election_uuid: str, keys: TrusteeKeys, rng: RandomSource) -> Certificate:
    """Step 1: prove possession of ``dk_i`` (context ``(uuid, i)``) and sign the certificate."""
    proof = prove_dlog(
        Tag.KEY_POSSESSION,
        [election_uuid, keys.index],
        keys.encryption.secret,
        keys.encryption.public,
        rng,
    )
    unsigned = Certificate(
        keys.index, keys.name, keys.signing.public, keys.encryption.public, proof, proof
    )
    signature = trustee_sign(
        [election_uuid, "certificate", keys.index], keys, unsigned.body_json(), rng
    )
    return Certificate(
        keys.index, keys.name, keys.signing.public, keys.encryption.public, proof, signature
    )


def verify_certificate(election_uuid: str, cert: Certificate) -> bool:
    """Check the proof of possession of ``EK_i`` and the self-signature."""
    return verify_dlog(
        Tag.KEY_POSSESSION, [election_uuid, cert.index], cert.encryption_key, cert.encryption_proof
    ) and trustee_verify(
        [election_uuid, "certificate", cert.index],
        cert.signing_key,
        cert.body_json(),
        cert.signature,
    )


# --------------------------------------------------------------- dealings


@dataclass(frozen=True)
class Polynomial:
    """``f(z) = Σ_k a_k z^k`` over ℤ_ℓ (private to its dealer)."""

    coefficients: tuple[Scalar, ...]

    def __call__(self, z: int) -> Scalar:
        """``f(z)`` by Horner's rule."""
        acc = Scalar(0)
        zs = Scalar.reduce(z)
        for a in reversed(self.coefficients):
            acc = acc * zs + a
        return acc


@dataclass(frozen=True)
class EncryptedShare:
    """``s_{ij}`` encrypted to trustee ``j``: ``E = g^e`` and ``ct = s_{ij} ⊕ pad``."""

    recipient: int
    ephemeral: Element
    ciphertext: bytes

    def to_json(self) -> dict[str, JsonOut]:
        """``{"recipient", "ephemeral", "ciphertext"}`` (hex)."""
        return {
            "recipient": self.recipient,
            "ephemeral": self.ephemeral.hex(),
            "ciphertext": self.ciphertext.hex(),
        }

    @staticmethod
    def from_json(value: object, where: str) -> EncryptedShare:
        """Strictly read an encrypted share."""
        obj = fields(value, where, ("recipient", "ephemeral", "ciphertext"))
        return EncryptedShare(
            as_int(obj["recipient"], f"{where}.recipient", 1),
            as_element(obj["ephemeral"], f"{where}.ephemeral", allow_identity=False),
            as_hex(obj["ciphertext"], f"{where}.ciphertext", 32),
        )


def _share_pad(
    election_uuid: str, dealer: int, recipient: int, ephemeral: Element, key: Element
) -> bytes:
    return hash_parts(Tag.SHARE_PAD, election_uuid, dealer, recipient, ephemeral, key)[:32]


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


@dataclass(frozen=True)
class Dealing:
    """Trustee ``i``'s signed commitments ``A_{ik}``, their proofs, and the encrypted shares."""

    dealer: int
    commitments: tuple[Element, ...]
    proofs: tuple[CompactProof, ...]
    shares: tuple[EncryptedShare, ...]
    signature: CompactProof

    def body_json(self) -> dict[str, JsonOut]:
        """The signed part."""
        return {
            "dealer": self.dealer,
            "commitments": [a.hex() for a in self.commitments],
            "proofs": [p.to_json() for p in self.proofs],
            "shares": [s.to_json() for s in self.shares],
        }

    def to_json(self) -> dict[str, JsonOut]:
        """The body plus ``"signature"``."""
        return {**self.body_json(), "signature": self.signature.to_json()}

    @staticmethod
    def from_json(value: object, where: str) -> Dealing:
        """Strictly read a dealing."""
        obj = fields(value, where, ("dealer", "commitments", "proofs", "shares", "signature"))
        return Dealing(
            dealer=as_int(obj["dealer"], f"{where}.dealer", 1),
            commitments=tuple(
                as_element(a, f"{where}.commitments[{k}]")
                for k, a in enumerate(as_list(obj["commitments"], f"{where}.commitments"))
            ),
            proofs=tuple(
                CompactProof.from_json(p, f"{where}.proofs[{k}]")
                for k, p in enumerate(as_list(obj["proofs"], f"{where}.proofs"))
            ),
            shares=tuple(
                EncryptedShare.from_json(s, f"{where}.shares[{j}]")
                for j, s in enumerate(as_list(obj["shares"], f"{where}.shares"))
            ),
            signature=CompactProof.from_json(obj["signature"], f"{where}.signature"),
        )

    def expected_share_image(self, recipient: int) -> Element:
        """``Π_k A_{ik}^{j^k}`` = ``g^{f_i(j)}``, what ``g^{s_{ij}}`` must equal."""
        return _poly_image(self.commitments, recipient)


def _poly_image(commitments: Sequence[Element], z: int) -> Element:
    acc = commitments[-1]
    zs = Scalar.reduce(z)
    for a in reversed(commitments[:-1]):
        acc = acc**zs * a
    return acc


def deal(
    election_uuid: str,
    threshold: int,
    certificates: Sequence[Certificate],
    keys: TrusteeKeys,
    rng: RandomSource,
) -> tuple[Dealing, Polynomial]:
    """Step 2 for dealer ``i = keys.index``: a random polynomial of degree ``k − 1``.

    Randomness order: the ``k`` coefficients, then one proof nonce per
    coefficient, then ``e`` for each recipient ``1…n``, then the signature.
    """
    if not 1 <= threshold <= len(certificates):
        raise ValueError("threshold must be in [1, n]")
    poly = Polynomial(tuple(random_scalar(rng) for _ in range(threshold)))
    commitments = tuple(g_pow(a) for a in poly.coefficients)
    proofs = tuple(
        prove_dlog(Tag.COEFFICIENT, [election_uuid, keys.index, k], a, commitments[k], rng)
        for k, a in enumerate(poly.coefficients)
    )
    shares = []
    for cert in certificates:
        e = random_scalar(rng)
        ephemeral = g_pow(e)
        pad = _share_pad(election_uuid, keys.index, cert.index, ephemeral, cert.encryption_key**e)
        shares.append(EncryptedShare(cert.index, ephemeral, _xor(poly(cert.index).to_bytes(), pad)))
    unsigned = Dealing(keys.index, commitments, proofs, tuple(shares), proofs[0])
    signature = trustee_sign(
        [election_uuid, "dealing", keys.index], keys, unsigned.body_json(), rng
    )
    return Dealing(keys.index, commitments, proofs, tuple(shares), signature), poly


def dealing_problems(
    election_uuid: str, threshold: int, certificates: Sequence[Certificate], dealing: Dealing
) -> list[str]:
    """Public checks of a dealing: sizes, recipients, proofs of knowledge, signature."""
    out: list[str] = []
    i = dealing.dealer
    if not 1 <= i <= len(certificates):
        return [f"dealer {i} is not a trustee"]
    if len(dealing.commitments) != threshold or len(dealing.proofs) != threshold:
        out.append(f"dealing {i}: expected {threshold} commitments and proofs")
    elif any(
        not verify_dlog(Tag.COEFFICIENT, [election_uuid, i, k], a, p)
        for k, (a, p) in enumerate(zip(dealing.commitments, dealing.proofs, strict=True))
    ):
        out.append(f"dealing {i}: a coefficient proof of knowledge does not verify")
    if [s.recipient for s in dealing.shares] != [c.index for c in certificates]:
        out.append(f"dealing {i}: expected one share per trustee, in order")
    if not trustee_verify(
        [election_uuid, "dealing", i],
        certificates[i - 1].signing_key,
        dealing.body_json(),
        dealing.signature,
    ):
        out.append(f"dealing {i}: the signature does not verify")
    return out


def _open_share(election_uuid: str, dealing: Dealing, recipient: int, key: Element) -> Scalar:
    share = dealing.shares[recipient - 1]
    pad = _share_pad(election_uuid, dealing.dealer, recipient, share.ephemeral, key)
    return Scalar.from_bytes(_xor(share.ciphertext, pad))


def receive_share(
    election_uuid: str,
    threshold: int,
    certificates: Sequence[Certificate],
    dealing: Dealing,
    keys: TrusteeKeys,
) -> Scalar:
    """Step 3 for recipient ``j = keys.index``: decrypt ``s_{ij}`` and check it.

    Raises :class:`ShareComplaintError` if the dealing fails its public checks,
    the share does not decrypt to a canonical scalar, or
    ``g^{s_{ij}} ≠ Π_k A_{ik}^{j^k}``.
    """
    j = keys.index
    problems = dealing_problems(election_uuid, threshold, certificates, dealing)
    if problems:
        raise ShareComplaintError(dealing.dealer, j, "; ".join(problems))
    share = dealing.shares[j - 1]
    try:
        s = _open_share(election_uuid, dealing, j, share.ephemeral**keys.encryption.secret)
    except FormatError:
        raise ShareComplaintError(
            dealing.dealer, j, "the share is not a canonical scalar"
        ) from None
    if g_pow(s) != dealing.expected_share_image(j):
        raise ShareComplaintError(dealing.dealer, j, "the share does not match the commitments")
    return s


# -------------------------------------------------------------- complaints


@dataclass(frozen=True)
class Complaint:
    """Trustee ``j`` reveals ``K = E^{dk_j}`` for dealer ``i``'s share, with a DLEQ proof."""

    dealer: int
    recipient: int
    key: Element
    proof: CompactProof

    def to_json(self) -> dict[str, JsonOut]:
        """``{"dealer", "recipient", "key", "proof"}``."""
        return {
            "dealer": self.dealer,
            "recipient": self.recipient,
            "key": self.key.hex(),
            "proof": self.proof.to_json(),
        }

    @staticmethod
    def from_json(value: object, where: str) -> Complaint:
        """Strictly read a complaint."""
        obj = fields(value, where, ("dealer", "recipient", "key", "proof"))
        return Complaint(
            as_int(obj["dealer"], f"{where}.dealer", 1),
            as_int(obj["recipient"], f"{where}.recipient", 1),
            as_element(obj["key"], f"{where}.key"),
            CompactProof.from_json(obj["proof"], f"{where}.proof"),
        )


def make_complaint(
    election_uuid: str, dealing: Dealing, keys: TrusteeKeys, rng: RandomSource
) -> Complaint:
    """Reveal ``K = E^{dk_j}`` and prove ``log_g EK_j = log_E K`` (context ``(uuid, i, j)``)."""
    j = keys.index
    ephemeral = dealing.shares[j - 1].ephemeral
    key = ephemeral**keys.encryption.secret
    proof = prove_dleq(
        Tag.COMPLAINT,
        [election_uuid, dealing.dealer, j],
        keys.encryption.secret,
        G,
        keys.encryption.public,
        ephemeral,
        key,
        rng,
    )
    return Complaint(dealing.dealer, j, key, proof)


def check_complaint(
    election_uuid: str,
    threshold: int,
    certificates: Sequence[Certificate],
    dealing: Dealing,
    complaint: Complaint,
) -> bool:
    """Settle a complaint publicly: ``True`` if the dealer is at fault.

    ``False`` means the complaint is unfounded (the revealed key is not proven,
    or the share it opens is valid): the complainer is then at fault.
    """
    j = complaint.recipient
    if complaint.dealer != dealing.dealer or not 1 <= j <= len(certificates):
        return False
    if dealing_problems(election_uuid, threshold, certificates, dealing):
        return True
    ephemeral = dealing.shares[j - 1].ephemeral
    if not verify_dleq(
        Tag.COMPLAINT,
        [election_uuid, dealing.dealer, j],
        G,
        certificates[j - 1].encryption_key,
        ephemeral,
        complaint.key,
        complaint.proof,
    ):
        return False
    try:
        s = _open_share(election_uuid, dealing, j, complaint.key)
    except FormatError:
        return True
    return g_pow(s) != dealing.expected_share_image(j)


# ------------------------------------------------------ verification keys


@dataclass(frozen=True)
class TrusteeShare:
    """Trustee ``j``'s decryption share ``S_j`` and ``VK_j`` (private; the sealed envelope)."""

    index: int
    secret: Scalar
    verification_key: Element

    def to_json(self) -> dict[str, JsonOut]:
        """``{"private": true, "index", "secret", "verification_key"}`` — never publish."""
        return {
            "private": True,
            "index": self.index,
            "secret": self.secret.hex(),
            "verification_key": self.verification_key.hex(),
        }


@dataclass(frozen=True)
class VerificationKey:
    """``VK_j = g^{S_j}`` with a proof of knowledge, signed by trustee ``j`` (step 4)."""

    trustee: int
    key: Element
    proof: CompactProof
    signature: CompactProof

    def body_json(self) -> dict[str, JsonOut]:
        """The signed part."""
        return {"trustee": self.trustee, "key": self.key.hex(), "proof": self.proof.to_json()}

    def to_json(self) -> dict[str, JsonOut]:
        """The body plus ``"signature"``."""
        return {**self.body_json(), "signature": self.signature.to_json()}

    @staticmethod
    def from_json(value: object, where: str) -> VerificationKey:
        """Strictly read a verification key."""
        obj = fields(value, where, ("trustee", "key", "proof", "signature"))
        return VerificationKey(
            as_int(obj["trustee"], f"{where}.trustee", 1),
            as_element(obj["key"], f"{where}.key", allow_identity=False),
            CompactProof.from_json(obj["proof"], f"{where}.proof"),
            CompactProof.from_json(obj["signature"], f"{where}.signature"),
        )


def finish(
    election_uuid: str,
    threshold: int,
    certificates: Sequence[Certificate],
    dealings: Sequence[Dealing],
    keys: TrusteeKeys,
    rng: RandomSource,
) -> tuple[TrusteeShare, VerificationKey]:
    """Steps 3–4 for trustee ``j``: check every share, sum them, publish ``VK_j``.

    Raises :class:`ShareComplaintError` for the first bad share.
    """
    if [d.dealer for d in dealings] != [c.index for c in certificates]:
        raise ValueError("expected one dealing per trustee, in order")
    total = Scalar(0)
    for dealing in dealings:
        total = total + receive_share(election_uuid, threshold, certificates, dealing, keys)
    j = keys.index
    vk = g_pow(total)
    proof = prove_dlog(Tag.VERIFICATION_KEY, [election_uuid, j], total, vk, rng)
    unsigned = VerificationKey(j, vk, proof, proof)
    signature = trustee_sign(
        [election_uuid, "verification-key", j], keys, unsigned.body_json(), rng
    )
    return TrusteeShare(j, total, vk), VerificationKey(j, vk, proof, signature)


# -------------------------------------------------------- public structure


@dataclass(frozen=True)
class TrusteesPublic:
    """The public DKG transcript (the ``trustees`` part of the setup)."""

    threshold: int
    certificates: tuple[Certificate, ...]
    dealings: tuple[Dealing, ...]
    verification_keys: tuple[VerificationKey, ...]

    @cached_property
    def public_key(self) -> Element:
        """``y = Π_i A_{i0}``."""
        return product(d.commitments[0] for d in self.dealings if d.commitments)

    def expected_verification_key(self, j: int) -> Element:
        """``Π_k C_k^{j^k}`` with ``C_k = Π_i A_{ik}`` (= ``g^{S_j}`` for an honest DKG)."""
        combined = [product(d.commitments[k] for d in self.dealings) for k in range(self.threshold)]
        return _poly_image(combined, j)

    def to_json(self) -> dict[str, JsonOut]:
        """``{"threshold", "certificates", "dealings", "verification_keys"}``."""
        return {
            "threshold": self.threshold,
            "certificates": [c.to_json() for c in self.certificates],
            "dealings": [d.to_json() for d in self.dealings],
            "verification_keys": [v.to_json() for v in self.verification_keys],
        }

    @cached_property
    def fingerprint(self) -> str:
        """SHA-256 of the canonical JSON (the election's ``trustees_hash``)."""
        return digest(self.to_json())

    @staticmethod
    def from_json(value: object, where: str = "trustees") -> TrusteesPublic:
        """Strictly read the public transcript (checks are in :func:`verify_trustees`)."""
        keys = ("threshold", "certificates", "dealings", "verification_keys")
        obj = fields(value, where, keys)
        return TrusteesPublic(
            threshold=as_int(obj["threshold"], f"{where}.threshold", 1),
            certificates=tuple(
                Certificate.from_json(c, f"{where}.certificates[{i}]")
                for i, c in enumerate(as_list(obj["certificates"], f"{where}.certificates"))
            ),
            dealings=tuple(
                Dealing.from_json(d, f"{where}.dealings[{i}]")
                for i, d in enumerate(as_list(obj["dealings"], f"{where}.dealings"))
            ),
            verification_keys=tuple(
                VerificationKey.from_json(v, f"{where}.verification_keys[{i}]")
                for i, v in enumerate(
                    as_list(obj["verification_keys"], f"{where}.verification_keys")
                )
            ),
        )


def verify_trustees(election_uuid: str, trustees: TrusteesPublic) -> list[str]:
    """Every public check of the DKG transcript; returns the problems found.

    Certificates numbered ``1…n`` with valid signatures and proofs; ``1 ≤ k ≤ n``;
    one valid dealing per trustee; one verification key per trustee, each with
    ``VK_j = Π_k C_k^{j^k}``, a valid proof of knowledge and signature.
    """
    out: list[str] = []
    certs = trustees.certificates
    n, k = len(certs), trustees.threshold
    if n == 0:
        return ["no trustees"]
    if not 1 <= k <= n:
        out.append(f"threshold {k} not in [1, {n}]")
        return out
    if [c.index for c in certs] != list(range(1, n + 1)):
        return [*out, "certificates must be numbered 1…n in order"]
    for cert in certs:
        if not verify_certificate(election_uuid, cert):
            out.append(f"certificate {cert.index}: proof or signature does not verify")
    if [d.dealer for d in trustees.dealings] != list(range(1, n + 1)):
        return [*out, "expected one dealing per trustee, in order"]
    for dealing in trustees.dealings:
        out += dealing_problems(election_uuid, k, certs, dealing)
    if out:
        return out
    if [v.trustee for v in trustees.verification_keys] != list(range(1, n + 1)):
        return [*out, "expected one verification key per trustee, in order"]
    for vk in trustees.verification_keys:
        j = vk.trustee
        if vk.key != trustees.expected_verification_key(j):
            out.append(f"verification key {j}: VK_j ≠ Π_k C_k^(j^k)")
        if not verify_dlog(Tag.VERIFICATION_KEY, [election_uuid, j], vk.key, vk.proof):
            out.append(f"verification key {j}: the proof of knowledge does not verify")
        if not trustee_verify(
            [election_uuid, "verification-key", j],
            certs[j - 1].signing_key,
            vk.body_json(),
            vk.signature,
        ):
            out.append(f"verification key {j}: the signature does not verify")
    if trustees.public_key.is_identity():
        out.append("the public key y is the identity")
    return out


# ------------------------------------------------------------ simulation


@dataclass(frozen=True)
class Ceremony:
    """A whole key ceremony run in one process (tests, benchmarks, demos)."""

    trustees: TrusteesPublic
    keys: tuple[TrusteeKeys, ...]
    shares: tuple[TrusteeShare, ...]


def run_ceremony(
    election_uuid: str, names: Sequence[str], threshold: int, rng: RandomSource
) -> Ceremony:
    """Run steps 1–5 for every trustee in one process.

    In a real ceremony each trustee runs its own steps on its own device; this
    helper exists for tests, benchmarks and demonstrations.
    """
    keys = tuple(trustee_keys(i, name, rng) for i, name in enumerate(names, start=1))
    certs = tuple(make_certificate(election_uuid, kk, rng) for kk in keys)
    dealings = tuple(deal(election_uuid, threshold, certs, kk, rng)[0] for kk in keys)
    finished = [finish(election_uuid, threshold, certs, dealings, kk, rng) for kk in keys]
    trustees = TrusteesPublic(threshold, certs, dealings, tuple(vk for _, vk in finished))
    return Ceremony(trustees, keys, tuple(share for share, _ in finished))
