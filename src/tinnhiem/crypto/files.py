"""The files that cross between the voting server, the trustees' devices and the card tool.

Every file is one canonical-JSON document (:func:`~.canonical.dumps`, UTF-8,
keys sorted, no whitespace) of the form ::

    {"format": "tinnhiem.evote-<kind>/1", "election_uuid": "…", …}

``write_<kind>(…) -> bytes`` builds it; ``read_<kind>(data, expected_election_uuid=None)``
reads it strictly and raises :class:`~.errors.FormatError` whose message starts
with the JSON path of the fault (``$`` is the document, e.g.
``$.certificates[1].signature[0]: expected a canonical scalar``). A reader
checks, in order: valid JSON, an object, ``format`` (so a file of another kind
is named as such), ``election_uuid`` (syntax, then equality with
``expected_election_uuid`` when given), exactly the keys of the kind, then
every value. Readers check *shape only*; the cryptographic checks are the
core's: :func:`.dkg.verify_certificate`, :func:`.dkg.dealing_problems`,
:func:`.dkg.check_complaint`, :func:`.dkg.verify_trustees`,
:func:`.decryption.partial_decryption_problems`.

The kinds, in ceremony order (``→`` is the direction of travel):

``invitation`` (server → trustee ``i``)
    ``{"title", "trustee": i, "threshold": k, "trustees": [name_1 … name_n]}``:
    everything the trustee's device needs to run the DKG (spec §9). ``n`` is
    the length of ``trustees``; ``1 ≤ k ≤ n``; ``1 ≤ i ≤ n``. :class:`Invitation`.
``certificate`` (trustee ``i`` → server)
    ``{"certificate": Certificate}`` (spec §9 step 1).
``certificates`` (server → every trustee)
    ``{"threshold": k, "certificates": [Certificate_1 … Certificate_n]}``, in
    index order. :class:`CertificateSet`.
``dealing`` (trustee ``i`` → server)
    ``{"dealing": Dealing}`` (step 2).
``dealings`` (server → every trustee)
    ``{"threshold": k, "certificates": […], "dealings": [Dealing_1 … Dealing_n]}``:
    the certificates travel again so that a trustee checks the dealings
    against the very certificates it dealt to. :class:`DealingSet`.
``verification-key`` (trustee ``j`` → server)
    ``{"verification_key": VerificationKey}`` (step 4), when every share checked.
``complaint`` (trustee ``j`` → server)
    ``{"complaint": Complaint}`` (step 3) instead, when a share is bad; the
    server settles it with :func:`.dkg.check_complaint` and restarts the
    ceremony without the party at fault. :func:`read_share_check` reads either.
``credentials`` (card tool → server)
    ``{"credentials": [hex X …]}``: the public credential list ``L``, sorted
    by encoding and distinct (spec §7); its fingerprint is
    :func:`.credentials.credentials_fingerprint`.
``void`` (card tool → server)
    ``{"credentials": [hex X …]}``: the public credentials of the unissued
    cards, sorted and distinct: exactly the payload of a
    ``void_credentials`` board entry.
``partial-decryption`` (trustee ``j`` → server)
    ``{"election_hash": φ, "partial_decryption": PartialDecryption}`` (spec
    §11), made only after the trustee's device verified the whole archive.

The trustees receive the archive itself (``tinnhiem.evote-archive/1``,
:mod:`.board`) to decrypt.

One more kind never leaves a trustee's device: the ``trustee-keystore``
(:class:`Keystore`), holding the trustee's private keys and, once the DKG is
finished, its decryption share ``S_j``. The server never needs it.

The card QR code (:func:`card_qr_payload`) holds ``TNC1:<uuid>:<credential>``;
the voting page reads it with :func:`parse_card_qr`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from tinnhiem.crypto.canonical import (
    JsonOut,
    as_digest,
    as_int,
    as_list,
    as_str,
    digest,
    dumps,
    fields,
    loads,
)
from tinnhiem.crypto.credentials import (
    BASE58_ALPHABET,
    CREDENTIAL_LENGTH,
    credentials_from_json,
    credentials_to_json,
    sorted_credentials,
)
from tinnhiem.crypto.decryption import PartialDecryption
from tinnhiem.crypto.dkg import (
    Certificate,
    Complaint,
    Dealing,
    TrusteeKeys,
    TrusteeShare,
    VerificationKey,
)
from tinnhiem.crypto.elgamal import KeyPair
from tinnhiem.crypto.errors import FormatError
from tinnhiem.crypto.group import Element, Scalar, as_scalar

FORMAT_PREFIX = "tinnhiem.evote-"
FORMAT_VERSION = 1

INVITATION = "invitation"
CERTIFICATE = "certificate"
CERTIFICATES = "certificates"
DEALING = "dealing"
DEALINGS = "dealings"
VERIFICATION_KEY = "verification-key"
COMPLAINT = "complaint"
CREDENTIALS = "credentials"
VOID = "void"
PARTIAL_DECRYPTION = "partial-decryption"
KEYSTORE = "trustee-keystore"

KINDS = (
    INVITATION,
    CERTIFICATE,
    CERTIFICATES,
    DEALING,
    DEALINGS,
    VERIFICATION_KEY,
    COMPLAINT,
    CREDENTIALS,
    VOID,
    PARTIAL_DECRYPTION,
    KEYSTORE,
)
"""Every kind of file of this module."""

ROOT = "$"
"""The JSON path of the document in error messages."""

_UUID = re.compile(r"[A-Za-z0-9_-]{8,64}")  # the election uuid syntax of spec §6


def format_name(kind: str) -> str:
    """``tinnhiem.evote-<kind>/1``."""
    return f"{FORMAT_PREFIX}{kind}/{FORMAT_VERSION}"


def kind_of(data: bytes) -> str | None:
    """The kind of a file of this module (or ``"archive"``), ``None`` if not one."""
    try:
        obj = loads(data)
    except FormatError:
        return None
    if not isinstance(obj, dict):
        return None
    value = obj.get("format")
    if not isinstance(value, str) or not value.startswith(FORMAT_PREFIX):
        return None
    kind, slash, version = value[len(FORMAT_PREFIX) :].partition("/")
    return kind if slash and version == str(FORMAT_VERSION) else None


def election_uuid_of(data: bytes) -> str:
    """The ``election_uuid`` of any file of this module (format not checked)."""
    try:
        obj = loads(data)
    except FormatError as exc:
        raise FormatError(f"{ROOT}: {exc}") from None
    if not isinstance(obj, dict) or "election_uuid" not in obj:
        raise FormatError(f"{ROOT}: missing key election_uuid")
    return check_election_uuid(as_str(obj["election_uuid"], f"{ROOT}.election_uuid"))


def check_election_uuid(value: str, where: str = f"{ROOT}.election_uuid") -> str:
    """``value`` if it is a valid election uuid (8–64 of ``[A-Za-z0-9_-]``)."""
    if not _UUID.fullmatch(value):
        raise FormatError(f"{where}: an election uuid is 8–64 characters from [A-Za-z0-9_-]")
    return value


def _envelope(kind: str, election_uuid: str, body: dict[str, JsonOut]) -> bytes:
    check_election_uuid(election_uuid, "election_uuid")
    return dumps({"format": format_name(kind), "election_uuid": election_uuid, **body})


def _open(
    data: bytes, kind: str, expected_uuid: str | None, keys: Sequence[str]
) -> tuple[str, dict[str, object]]:
    """Parse ``data``, check format and uuid, then exactly ``keys``; ``(uuid, object)``."""
    try:
        obj = loads(data)
    except FormatError as exc:
        raise FormatError(f"{ROOT}: {exc}") from None
    if not isinstance(obj, dict):
        raise FormatError(f"{ROOT}: expected a JSON object")
    expected = format_name(kind)
    if "format" not in obj:
        raise FormatError(f"{ROOT}: missing key format (expected {expected!r})")
    found = obj["format"]
    if found != expected:
        shown = repr(found) if isinstance(found, str) else "a non-string"
        raise FormatError(f"{ROOT}.format: expected {expected!r}, found {shown}")
    if "election_uuid" not in obj:
        raise FormatError(f"{ROOT}: missing key election_uuid")
    uuid = check_election_uuid(as_str(obj["election_uuid"], f"{ROOT}.election_uuid"))
    if expected_uuid is not None and uuid != expected_uuid:
        raise FormatError(
            f"{ROOT}.election_uuid: this file is for election {uuid!r}, not {expected_uuid!r}"
        )
    fields(obj, ROOT, ("format", "election_uuid", *keys))
    return uuid, obj


_T = TypeVar("_T")


def _items(
    value: object, where: str, read: Callable[[object, str], _T], nonempty: bool = True
) -> tuple[_T, ...]:
    items = as_list(value, where)
    if nonempty and not items:
        raise FormatError(f"{where}: must not be empty")
    return tuple(read(v, f"{where}[{i}]") for i, v in enumerate(items))


def _check_indices(indices: Sequence[int], where: str, what: str) -> None:
    for pos, index in enumerate(indices):
        if index != pos + 1:
            raise FormatError(f"{where}[{pos}].{what}: expected {pos + 1} (numbered 1…n in order)")


def _check_threshold(threshold: int, n: int, where: str) -> None:
    if not 1 <= threshold <= n:
        raise FormatError(f"{where}: threshold {threshold} must be in [1, {n}]")


# ------------------------------------------------------------- invitation


@dataclass(frozen=True)
class Invitation:
    """What the server tells trustee ``trustee`` to start the key ceremony."""

    election_uuid: str
    title: str
    trustee: int
    threshold: int
    trustees: tuple[str, ...]

    @property
    def n(self) -> int:
        """The number of trustees."""
        return len(self.trustees)

    @property
    def name(self) -> str:
        """This trustee's name."""
        return self.trustees[self.trustee - 1]


def write_invitation(invitation: Invitation) -> bytes:
    """The ``invitation`` file."""
    n = len(invitation.trustees)
    if not 1 <= invitation.trustee <= n or not 1 <= invitation.threshold <= n:
        raise ValueError("trustee and threshold must be in [1, n]")
    return _envelope(
        INVITATION,
        invitation.election_uuid,
        {
            "title": invitation.title,
            "trustee": invitation.trustee,
            "threshold": invitation.threshold,
            "trustees": list(invitation.trustees),
        },
    )


def read_invitation(data: bytes, expected_election_uuid: str | None = None) -> Invitation:
    """Read an ``invitation`` file."""
    uuid, obj = _open(
        data, INVITATION, expected_election_uuid, ("title", "trustee", "threshold", "trustees")
    )
    names = _items(obj["trustees"], f"{ROOT}.trustees", as_str)
    for i, name in enumerate(names):
        if not name.strip():
            raise FormatError(f"{ROOT}.trustees[{i}]: a trustee's name must not be empty")
    trustee = as_int(obj["trustee"], f"{ROOT}.trustee", 1)
    if trustee > len(names):
        raise FormatError(f"{ROOT}.trustee: {trustee} is not one of the {len(names)} trustees")
    threshold = as_int(obj["threshold"], f"{ROOT}.threshold", 1)
    _check_threshold(threshold, len(names), f"{ROOT}.threshold")
    title = as_str(obj["title"], f"{ROOT}.title")
    return Invitation(uuid, title, trustee, threshold, names)


# ----------------------------------------------------------- certificates


def write_certificate(election_uuid: str, certificate: Certificate) -> bytes:
    """The ``certificate`` file of one trustee."""
    return _envelope(CERTIFICATE, election_uuid, {"certificate": certificate.to_json()})


def read_certificate(data: bytes, expected_election_uuid: str | None = None) -> Certificate:
    """Read a ``certificate`` file (shape only; see :func:`.dkg.verify_certificate`)."""
    _, obj = _open(data, CERTIFICATE, expected_election_uuid, ("certificate",))
    return Certificate.from_json(obj["certificate"], f"{ROOT}.certificate")


@dataclass(frozen=True)
class CertificateSet:
    """The ``certificates`` file: ``k`` and the certificates ``1…n``."""

    election_uuid: str
    threshold: int
    certificates: tuple[Certificate, ...]

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the canonical JSON of ``{"threshold", "certificates"}``."""
        return digest(
            {
                "threshold": self.threshold,
                "certificates": [c.to_json() for c in self.certificates],
            }
        )


def _read_certificates(value: object, where: str) -> tuple[Certificate, ...]:
    certs = _items(value, where, Certificate.from_json)
    _check_indices([c.index for c in certs], where, "index")
    return certs


def write_certificates(
    election_uuid: str, threshold: int, certificates: Sequence[Certificate]
) -> bytes:
    """The ``certificates`` file (certificates in index order ``1…n``)."""
    return _envelope(
        CERTIFICATES,
        election_uuid,
        {"threshold": threshold, "certificates": [c.to_json() for c in certificates]},
    )


def read_certificates(data: bytes, expected_election_uuid: str | None = None) -> CertificateSet:
    """Read a ``certificates`` file: numbered ``1…n`` in order, ``1 ≤ k ≤ n``."""
    uuid, obj = _open(data, CERTIFICATES, expected_election_uuid, ("threshold", "certificates"))
    certs = _read_certificates(obj["certificates"], f"{ROOT}.certificates")
    threshold = as_int(obj["threshold"], f"{ROOT}.threshold", 1)
    _check_threshold(threshold, len(certs), f"{ROOT}.threshold")
    return CertificateSet(uuid, threshold, certs)


# --------------------------------------------------------------- dealings


def write_dealing(election_uuid: str, dealing: Dealing) -> bytes:
    """The ``dealing`` file of one trustee."""
    return _envelope(DEALING, election_uuid, {"dealing": dealing.to_json()})


def read_dealing(data: bytes, expected_election_uuid: str | None = None) -> Dealing:
    """Read a ``dealing`` file (shape only; see :func:`.dkg.dealing_problems`)."""
    _, obj = _open(data, DEALING, expected_election_uuid, ("dealing",))
    return Dealing.from_json(obj["dealing"], f"{ROOT}.dealing")


@dataclass(frozen=True)
class DealingSet:
    """The ``dealings`` file: ``k``, the certificates and the dealings ``1…n``."""

    election_uuid: str
    threshold: int
    certificates: tuple[Certificate, ...]
    dealings: tuple[Dealing, ...]

    @property
    def certificate_set(self) -> CertificateSet:
        """The certificates and ``k`` (compare its fingerprint with the one dealt to)."""
        return CertificateSet(self.election_uuid, self.threshold, self.certificates)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the canonical JSON of the dealings list."""
        return digest([d.to_json() for d in self.dealings])


def write_dealings(
    election_uuid: str,
    threshold: int,
    certificates: Sequence[Certificate],
    dealings: Sequence[Dealing],
) -> bytes:
    """The ``dealings`` file (both lists in index order)."""
    return _envelope(
        DEALINGS,
        election_uuid,
        {
            "threshold": threshold,
            "certificates": [c.to_json() for c in certificates],
            "dealings": [d.to_json() for d in dealings],
        },
    )


def read_dealings(data: bytes, expected_election_uuid: str | None = None) -> DealingSet:
    """Read a ``dealings`` file: one dealing per certificate, both numbered ``1…n``."""
    uuid, obj = _open(
        data, DEALINGS, expected_election_uuid, ("threshold", "certificates", "dealings")
    )
    certs = _read_certificates(obj["certificates"], f"{ROOT}.certificates")
    threshold = as_int(obj["threshold"], f"{ROOT}.threshold", 1)
    _check_threshold(threshold, len(certs), f"{ROOT}.threshold")
    dealings = _items(obj["dealings"], f"{ROOT}.dealings", Dealing.from_json)
    _check_indices([d.dealer for d in dealings], f"{ROOT}.dealings", "dealer")
    if len(dealings) != len(certs):
        raise FormatError(
            f"{ROOT}.dealings: {len(dealings)} dealings for {len(certs)} certificates"
        )
    return DealingSet(uuid, threshold, certs, dealings)


# ------------------------------------------- verification keys, complaints


def write_verification_key(election_uuid: str, verification_key: VerificationKey) -> bytes:
    """The ``verification-key`` file of one trustee."""
    return _envelope(
        VERIFICATION_KEY, election_uuid, {"verification_key": verification_key.to_json()}
    )


def read_verification_key(
    data: bytes, expected_election_uuid: str | None = None
) -> VerificationKey:
    """Read a ``verification-key`` file."""
    _, obj = _open(data, VERIFICATION_KEY, expected_election_uuid, ("verification_key",))
    return VerificationKey.from_json(obj["verification_key"], f"{ROOT}.verification_key")


def write_complaint(election_uuid: str, complaint: Complaint) -> bytes:
    """The ``complaint`` file of one trustee."""
    return _envelope(COMPLAINT, election_uuid, {"complaint": complaint.to_json()})


def read_complaint(data: bytes, expected_election_uuid: str | None = None) -> Complaint:
    """Read a ``complaint`` file (settle it with :func:`.dkg.check_complaint`)."""
    _, obj = _open(data, COMPLAINT, expected_election_uuid, ("complaint",))
    return Complaint.from_json(obj["complaint"], f"{ROOT}.complaint")


def read_share_check(
    data: bytes, expected_election_uuid: str | None = None
) -> VerificationKey | Complaint:
    """Read what ``finish`` produced: a ``verification-key`` or a ``complaint`` file."""
    if kind_of(data) == COMPLAINT:
        return read_complaint(data, expected_election_uuid)
    return read_verification_key(data, expected_election_uuid)


# ------------------------------------------------------------ credentials


def write_credentials(election_uuid: str, publics: Sequence[Element]) -> bytes:
    """The ``credentials`` file: ``L`` sorted (duplicates refused)."""
    creds = sorted_credentials(publics)
    if not creds:
        raise ValueError("no credentials")
    return _envelope(CREDENTIALS, election_uuid, {"credentials": credentials_to_json(creds)})


def read_credentials(data: bytes, expected_election_uuid: str | None = None) -> tuple[Element, ...]:
    """Read a ``credentials`` file: non-empty, sorted, distinct, no identity."""
    _, obj = _open(data, CREDENTIALS, expected_election_uuid, ("credentials",))
    where = f"{ROOT}.credentials"
    creds = credentials_from_json(obj["credentials"], where)
    if not creds:
        raise FormatError(f"{where}: must not be empty")
    return creds


def write_void(election_uuid: str, publics: Sequence[Element]) -> bytes:
    """The ``void`` file: the voided public credentials, sorted (duplicates refused)."""
    creds = sorted_credentials(publics)
    return _envelope(VOID, election_uuid, {"credentials": credentials_to_json(creds)})


def read_void(data: bytes, expected_election_uuid: str | None = None) -> tuple[Element, ...]:
    """Read a ``void`` file: sorted, distinct (may be empty: no card left over)."""
    _, obj = _open(data, VOID, expected_election_uuid, ("credentials",))
    return credentials_from_json(obj["credentials"], f"{ROOT}.credentials")


# ---------------------------------------------------- partial decryption


@dataclass(frozen=True)
class PartialDecryptionFile:
    """The ``partial-decryption`` file: φ and trustee ``j``'s partial decryption."""

    election_uuid: str
    election_hash: str
    partial_decryption: PartialDecryption


def write_partial_decryption(
    election_uuid: str, election_hash: str, partial: PartialDecryption
) -> bytes:
    """The ``partial-decryption`` file of one trustee."""
    as_digest(election_hash, "election_hash")
    return _envelope(
        PARTIAL_DECRYPTION,
        election_uuid,
        {"election_hash": election_hash, "partial_decryption": partial.to_json()},
    )


def read_partial_decryption(
    data: bytes, expected_election_uuid: str | None = None
) -> PartialDecryptionFile:
    """Read a ``partial-decryption`` file (check it with
    :func:`.decryption.partial_decryption_problems`)."""
    uuid, obj = _open(
        data,
        PARTIAL_DECRYPTION,
        expected_election_uuid,
        ("election_hash", "partial_decryption"),
    )
    return PartialDecryptionFile(
        uuid,
        as_digest(obj["election_hash"], f"{ROOT}.election_hash"),
        PartialDecryption.from_json(obj["partial_decryption"], f"{ROOT}.partial_decryption"),
    )


# ---------------------------------------------------------- the card QR

CARD_QR_PREFIX = "TNC1"
"""First field of a card's QR payload (Tín Nhiệm card, version 1)."""


def card_qr_payload(election_uuid: str, credential: str) -> str:
    """``TNC1:<uuid>:<credential>``, the text in a credential card's QR code."""
    check_election_uuid(election_uuid, "election_uuid")
    if len(credential) != CREDENTIAL_LENGTH or any(c not in BASE58_ALPHABET for c in credential):
        raise FormatError(f"a credential is {CREDENTIAL_LENGTH} Base58 characters")
    return f"{CARD_QR_PREFIX}:{election_uuid}:{credential}"


def parse_card_qr(text: str, expected_election_uuid: str | None = None) -> tuple[str, str]:
    """``(uuid, credential)`` from a card QR payload; :class:`FormatError` if not one."""
    parts = text.strip().split(":")
    if len(parts) != 3 or parts[0] != CARD_QR_PREFIX:
        raise FormatError("not a Tín Nhiệm credential card (expected TNC1:<uuid>:<credential>)")
    uuid = check_election_uuid(parts[1], "card.election_uuid")
    if expected_election_uuid is not None and uuid != expected_election_uuid:
        raise FormatError(f"card.election_uuid: this card is for election {uuid!r}")
    credential = normalize_credential(parts[2])
    return uuid, credential


def normalize_credential(text: str) -> str:
    """A credential typed in readable groups (spaces or dashes allowed), checked."""
    credential = "".join(ch for ch in text if ch not in " -\t")
    if len(credential) != CREDENTIAL_LENGTH:
        raise FormatError(
            f"a credential is {CREDENTIAL_LENGTH} characters, found {len(credential)}"
        )
    bad = [ch for ch in credential if ch not in BASE58_ALPHABET]
    if bad:
        raise FormatError(f"character {bad[0]!r} is not used in credentials")
    return credential


CREDENTIAL_GROUPS = (4, 4, 4, 4, 3, 3)
"""How a credential is printed for reading: ``abcd efgh ijkl mnop qrs tuv``."""


def credential_groups(credential: str) -> tuple[str, ...]:
    """The credential cut into :data:`CREDENTIAL_GROUPS`."""
    out: list[str] = []
    start = 0
    for size in CREDENTIAL_GROUPS:
        out.append(credential[start : start + size])
        start += size
    return tuple(out)


# -------------------------------------------------------------- keystore


@dataclass(frozen=True)
class Keystore:
    """A trustee's private state on its own device (never sent anywhere).

    Filled in as the ceremony advances: after ``init`` the invitation and the
    PKI keys; after ``deal`` the fingerprint of the certificate set dealt to
    and the dealing; after ``finish`` the fingerprint of the dealings, the
    decryption share ``S_j`` and the published verification key.
    """

    invitation: Invitation
    signing_secret: Scalar
    encryption_secret: Scalar
    certificate: Certificate
    certificates_hash: str | None = None
    dealing: Dealing | None = None
    dealings_hash: str | None = None
    share_secret: Scalar | None = None
    verification_key: VerificationKey | None = None

    @property
    def keys(self) -> TrusteeKeys:
        """The PKI keys."""
        inv = self.invitation
        return TrusteeKeys(
            inv.trustee,
            inv.name,
            KeyPair.from_secret(self.signing_secret),
            KeyPair.from_secret(self.encryption_secret),
        )

    @property
    def share(self) -> TrusteeShare | None:
        """The decryption share, once the DKG is finished."""
        if self.share_secret is None or self.verification_key is None:
            return None
        return TrusteeShare(self.invitation.trustee, self.share_secret, self.verification_key.key)


def write_keystore(keystore: Keystore) -> bytes:
    """The ``trustee-keystore`` file (PRIVATE: store with permissions 0600)."""
    inv = keystore.invitation
    dealing = keystore.dealing
    vk = keystore.verification_key
    share = keystore.share_secret
    return _envelope(
        KEYSTORE,
        inv.election_uuid,
        {
            "private": True,
            "title": inv.title,
            "trustee": inv.trustee,
            "threshold": inv.threshold,
            "trustees": list(inv.trustees),
            "signing_secret": keystore.signing_secret.hex(),
            "encryption_secret": keystore.encryption_secret.hex(),
            "certificate": keystore.certificate.to_json(),
            "certificates_hash": keystore.certificates_hash,
            "dealing": None if dealing is None else dealing.to_json(),
            "dealings_hash": keystore.dealings_hash,
            "share_secret": None if share is None else share.hex(),
            "verification_key": None if vk is None else vk.to_json(),
        },
    )


_KEYSTORE_KEYS = (
    "private",
    "title",
    "trustee",
    "threshold",
    "trustees",
    "signing_secret",
    "encryption_secret",
    "certificate",
    "certificates_hash",
    "dealing",
    "dealings_hash",
    "share_secret",
    "verification_key",
)


def _optional(value: object, read: Callable[[object, str], _T], where: str) -> _T | None:
    return None if value is None else read(value, where)


def read_keystore(data: bytes, expected_election_uuid: str | None = None) -> Keystore:
    """Read a ``trustee-keystore`` file and check its keys against its certificate."""
    uuid, obj = _open(data, KEYSTORE, expected_election_uuid, _KEYSTORE_KEYS)
    if obj["private"] is not True:
        raise FormatError(f"{ROOT}.private: expected true")
    names = _items(obj["trustees"], f"{ROOT}.trustees", as_str)
    trustee = as_int(obj["trustee"], f"{ROOT}.trustee", 1)
    if trustee > len(names):
        raise FormatError(f"{ROOT}.trustee: {trustee} is not one of the {len(names)} trustees")
    threshold = as_int(obj["threshold"], f"{ROOT}.threshold", 1)
    _check_threshold(threshold, len(names), f"{ROOT}.threshold")
    invitation = Invitation(uuid, as_str(obj["title"], f"{ROOT}.title"), trustee, threshold, names)
    signing = as_scalar(obj["signing_secret"], f"{ROOT}.signing_secret")
    encryption = as_scalar(obj["encryption_secret"], f"{ROOT}.encryption_secret")
    cert = Certificate.from_json(obj["certificate"], f"{ROOT}.certificate")
    if (
        cert.index != trustee
        or cert.name != names[trustee - 1]
        or cert.signing_key != KeyPair.from_secret(signing).public
        or cert.encryption_key != KeyPair.from_secret(encryption).public
    ):
        raise FormatError(f"{ROOT}.certificate: does not match the keys of this keystore")
    dealing = _optional(obj["dealing"], Dealing.from_json, f"{ROOT}.dealing")
    if dealing is not None and dealing.dealer != trustee:
        raise FormatError(f"{ROOT}.dealing.dealer: expected {trustee}")
    vk = _optional(obj["verification_key"], VerificationKey.from_json, f"{ROOT}.verification_key")
    if vk is not None and vk.trustee != trustee:
        raise FormatError(f"{ROOT}.verification_key.trustee: expected {trustee}")
    share = _optional(obj["share_secret"], as_scalar, f"{ROOT}.share_secret")
    if (vk is None) != (share is None):
        raise FormatError(f"{ROOT}.share_secret: must be given with verification_key")
    if vk is not None and share is not None and KeyPair.from_secret(share).public != vk.key:
        raise FormatError(f"{ROOT}.verification_key: does not match share_secret")
    return Keystore(
        invitation=invitation,
        signing_secret=signing,
        encryption_secret=encryption,
        certificate=cert,
        certificates_hash=_optional(
            obj["certificates_hash"], as_digest, f"{ROOT}.certificates_hash"
        ),
        dealing=dealing,
        dealings_hash=_optional(obj["dealings_hash"], as_digest, f"{ROOT}.dealings_hash"),
        share_secret=share,
        verification_key=vk,
    )
