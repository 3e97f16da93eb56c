"""Errors raised by the cryptographic core.

Every error is a :class:`CryptoError`; the subclasses say which layer refused
the input. Verification *functions* (``verify_*``) return ``bool`` or typed
findings instead of raising; errors are for inputs that cannot be processed
at all, and for acceptance decisions (a rejected ballot, a DKG complaint).
"""

from __future__ import annotations


class CryptoError(Exception):
    """Base class of every error of :mod:`tinnhiem.crypto`."""


class FormatError(CryptoError, ValueError):
    """A value or document does not have the exact shape the spec requires.

    Raised for malformed JSON, unknown or missing keys, non-canonical hex,
    a scalar ≥ ℓ, an invalid ristretto255 encoding, a wrong length.
    """


class InvalidProofError(CryptoError):
    """A zero-knowledge proof or a signature does not verify."""


class BallotRejectedError(CryptoError):
    """The ballot box refuses a ballot; ``reason`` is a stable code.

    Codes: ``format``, ``election``, ``unknown_credential``,
    ``voided_credential``, ``signature``, ``proof``, ``answers``,
    ``duplicate_ballot``, ``duplicate_ciphertext``, ``closed``.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message


class ShareComplaintError(CryptoError):
    """A trustee received a DKG share that does not match its dealer's commitments.

    The complaint names the dealer ``dealer`` and the recipient ``recipient``
    (trustee indices, 1-based). :func:`tinnhiem.crypto.dkg.make_complaint`
    turns it into a publicly checkable complaint.
    """

    def __init__(self, dealer: int, recipient: int, message: str) -> None:
        super().__init__(f"dealer {dealer} → trustee {recipient}: {message}")
        self.dealer = dealer
        self.recipient = recipient
        self.message = message


class BoardError(CryptoError):
    """An operation would break the bulletin board's rules (order, phase, chain)."""


class DecryptionError(CryptoError):
    """Partial decryptions cannot be combined, or a discrete log is out of range."""
