"""The offline verifier: the checks of the design brief's section (d) (spec §15).

:func:`verify_archive` takes an archive (the parsed JSON document of
:meth:`~.board.Board.to_json`) and, optionally, the values written in the
signed minutes (:class:`Minutes`), and returns a :class:`Report` of typed
:class:`Finding` objects. The archive is valid when no finding has severity
``error`` (:attr:`Report.ok`). Values the minutes do not give are not
compared, and an ``info`` finding says so.

Each check of section (d) is a function returning findings, named by its
number: ``d1`` integrity, ``d2`` setup, ``d3`` trustees, ``d4`` credentials,
``d5`` ballots, ``d6`` spoiled ballots, ``d7`` tallied set, ``d8`` encrypted
tally, ``d9`` partial decryptions, ``d10`` result, ``d11`` reconciliation.
The ballot checks (signatures and proofs: nearly all the work) can run on
several processes (``workers``).

Nothing here trusts the server: every hash, signature, proof, aggregate and
decryption is recomputed from the archive.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import cast

from tinnhiem.crypto.ballot import Ballot, BallotBody, BallotSecrets, check_ballot, check_opening
from tinnhiem.crypto.board import Entry, Kind, chain_problems, extends, read_entries
from tinnhiem.crypto.canonical import (
    JsonOut,
    as_digest,
    as_int,
    as_list,
    as_str,
    fields,
)
from tinnhiem.crypto.credentials import credentials_fingerprint, credentials_from_json
from tinnhiem.crypto.decryption import (
    PartialDecryption,
    lagrange_coefficient,
    partial_decryption_problems,
)
from tinnhiem.crypto.dkg import verify_trustees
from tinnhiem.crypto.election import Election
from tinnhiem.crypto.elgamal import ZERO_CIPHERTEXT, Ciphertext
from tinnhiem.crypto.errors import BallotRejectedError, CryptoError, DecryptionError
from tinnhiem.crypto.group import Element, g_pow_int, product
from tinnhiem.crypto.hashing import sha256_hex
from tinnhiem.crypto.setup import Setup
from tinnhiem.crypto.tally import EncryptedTally, Result


class Severity(StrEnum):
    """How bad a finding is."""

    ERROR = "error"
    """The archive is not valid (or could not be checked)."""
    WARNING = "warning"
    """Valid, but against a recommendation of the design."""
    INFO = "info"
    """A fact worth reporting (a value not compared, an archive not yet complete)."""


@dataclass(frozen=True)
class Finding:
    """One result of one check: ``check`` is the section (d) item, e.g. ``d5.proof``."""

    check: str
    severity: Severity
    message: str
    height: int | None = None

    def to_json(self) -> dict[str, JsonOut]:
        """``{"check", "severity", "message", "height"}``."""
        return {
            "check": self.check,
            "severity": self.severity.value,
            "message": self.message,
            "height": self.height,
        }

    def __str__(self) -> str:
        where = "" if self.height is None else f" [entry {self.height}]"
        return f"{self.severity.value.upper():7} {self.check}{where}: {self.message}"


def _error(check: str, message: str, height: int | None = None) -> Finding:
    return Finding(check, Severity.ERROR, message, height)


def _info(check: str, message: str, height: int | None = None) -> Finding:
    return Finding(check, Severity.INFO, message, height)


@dataclass(frozen=True)
class Minutes:
    """Values from the signed minutes (biên bản) that the archive must match.

    Every field is optional; ``None`` means "not compared".
    """

    election_hash: str | None = None
    """φ, as read out and written at the key ceremony."""
    credentials_hash: str | None = None
    """Fingerprint of the public credential list ``L``."""
    void_hash: str | None = None
    """Fingerprint of the sorted list of voided credentials."""
    e_voters: int | None = None
    """Members who took a card (e-voters on the roll) = expected active credentials."""
    threshold: int | None = None
    """``k``, the number of committee members needed to decrypt."""
    trustee_names: tuple[str, ...] | None = None
    """The committee members, in trustee order."""
    verification_keys: tuple[str, ...] | None = None
    """``VK_1 … VK_n`` (hex), as shown at the ceremony."""
    closing_head: str | None = None
    """The head hash at ``end_ballots`` (the hash of that entry)."""
    closing_ballots: int | None = None
    """The number of ballot entries at closing (re-votes included)."""
    saved_heads: tuple[str, ...] = ()
    """Head hashes saved by members or observers during voting."""
    trackers: tuple[str, ...] | None = None
    """The tracker list published in the hall (the counted ballots)."""
    t_min: int | None = None
    """The minimum number of e-ballots for a separate electronic count."""
    present: int | None = None
    """Members present (d11)."""
    paper_ballots: int | None = None
    """Paper ballots in the box (d11)."""

    @staticmethod
    def from_json(value: object, where: str = "minutes") -> Minutes:
        """Read minutes from JSON; every key is optional, unknown keys are refused."""
        names = tuple(Minutes.__dataclass_fields__)
        obj = fields(value, where, (), names)

        def opt_int(key: str) -> int | None:
            v = obj.get(key)
            return None if v is None else as_int(v, f"{where}.{key}", 0)

        def opt_digest(key: str) -> str | None:
            v = obj.get(key)
            return None if v is None else as_digest(v, f"{where}.{key}")

        def opt_strs(key: str, read: Callable[[object, str], str]) -> tuple[str, ...] | None:
            v = obj.get(key)
            if v is None:
                return None
            return tuple(read(x, f"{where}.{key}[{i}]") for i, x in enumerate(as_list(v, key)))

        return Minutes(
            election_hash=opt_digest("election_hash"),
            credentials_hash=opt_digest("credentials_hash"),
            void_hash=opt_digest("void_hash"),
            e_voters=opt_int("e_voters"),
            threshold=opt_int("threshold"),
            trustee_names=opt_strs("trustee_names", as_str),
            verification_keys=opt_strs("verification_keys", as_digest),
            closing_head=opt_digest("closing_head"),
            closing_ballots=opt_int("closing_ballots"),
            saved_heads=opt_strs("saved_heads", as_digest) or (),
            trackers=opt_strs("trackers", as_digest),
            t_min=opt_int("t_min"),
            present=opt_int("present"),
            paper_ballots=opt_int("paper_ballots"),
        )


@dataclass(frozen=True)
class Report:
    """All findings, and a few figures of the archive."""

    findings: tuple[Finding, ...]
    figures: Mapping[str, int | str | None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """No finding of severity ``error``."""
        return not self.errors

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings of severity ``error``."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    def checks_failed(self) -> set[str]:
        """The ``dN`` items with at least one error."""
        return {f.check.split(".")[0] for f in self.errors}

    def to_json(self) -> dict[str, JsonOut]:
        """``{"ok", "figures", "findings"}``."""
        return {
            "ok": self.ok,
            "figures": dict(self.figures),
            "findings": [f.to_json() for f in self.findings],
        }


# ----------------------------------------------------------------- d1


def check_integrity(entries: Sequence[Entry], minutes: Minutes) -> list[Finding]:
    """d1: heights, payload hashes, parent links, kinds in phase order, closing and saved heads."""
    out = [_error("d1.chain", msg, h) for h, msg in chain_problems(entries)]
    kinds = [e.kind for e in entries]
    end = next((e for e in entries if e.kind == Kind.END_BALLOTS), None)
    if end is None:
        out.append(_info("d1.phase", "voting is not closed (no end_ballots entry)"))
    elif minutes.closing_head is None:
        out.append(_info("d1.closing_head", "no closing head in the minutes: not compared"))
    elif end.hash != minutes.closing_head:
        out.append(
            _error("d1.closing_head", "the end_ballots entry is not the closing head", end.height)
        )
    if Kind.RESULT not in kinds:
        out.append(_info("d1.phase", "no result entry yet"))
    for saved in minutes.saved_heads:
        if not extends(entries, saved):
            out.append(
                _error("d1.saved_head", f"saved head {saved[:16]}… is not an entry of this board")
            )
    return out


# ----------------------------------------------------------------- d2


def check_setup(setup: Setup, minutes: Minutes) -> list[Finding]:
    """d2: φ against the minutes, consistency of the setup, the level encoding."""
    out: list[Finding] = []
    election = setup.election
    if minutes.election_hash is None:
        out.append(_info("d2.fingerprint", "no φ in the minutes: not compared"))
    elif election.fingerprint != minutes.election_hash:
        out.append(_error("d2.fingerprint", "the election fingerprint φ differs from the minutes"))
    out += [_error("d2.setup", p, 0) for p in setup.problems()]
    if election.base != election.n_max + 1:
        out.append(Finding("d2.base", Severity.WARNING, f"B = {election.base} is not N_max + 1", 0))
    if minutes.t_min is not None and minutes.t_min != election.t_min:
        out.append(_error("d2.t_min", "T_min differs from the minutes", 0))
    return out


# ----------------------------------------------------------------- d3


def check_trustees(setup: Setup, minutes: Minutes) -> list[Finding]:
    """d3: the DKG transcript, ``y = Π A_i0``, threshold, names and keys against the minutes."""
    trustees = setup.trustees
    out = [_error("d3.dkg", p, 0) for p in verify_trustees(setup.election.uuid, trustees)]
    n, k = len(trustees.certificates), trustees.threshold
    if n and k < n // 2 + 1:
        out.append(
            Finding("d3.threshold", Severity.WARNING, f"k = {k} is not a majority of n = {n}", 0)
        )
    if minutes.threshold is not None and minutes.threshold != k:
        out.append(_error("d3.threshold", f"threshold {k} differs from the minutes", 0))
    names = tuple(c.name for c in trustees.certificates)
    if minutes.trustee_names is not None and minutes.trustee_names != names:
        out.append(_error("d3.names", "trustee names differ from the minutes", 0))
    keys = tuple(v.key.hex() for v in trustees.verification_keys)
    if minutes.verification_keys is not None and minutes.verification_keys != keys:
        out.append(_error("d3.keys", "verification keys differ from the minutes", 0))
    if minutes.threshold is None and minutes.verification_keys is None:
        out.append(_info("d3.minutes", "no threshold or keys in the minutes: not compared"))
    return out


# ----------------------------------------------------------------- d4


def check_credentials(
    setup: Setup, voided: Sequence[tuple[int, Element]], minutes: Minutes
) -> list[Finding]:
    """d4: fingerprint of ``L``, voided ⊆ ``L``, void fingerprint, #active = #e-voters."""
    out: list[Finding] = []
    creds = set(setup.credentials)
    fingerprint = credentials_fingerprint(setup.credentials)
    if minutes.credentials_hash is None:
        out.append(_info("d4.fingerprint", "no credential fingerprint in the minutes"))
    elif fingerprint != minutes.credentials_hash:
        out.append(_error("d4.fingerprint", "the credential list differs from the minutes", 0))
    seen: set[Element] = set()
    for height, c in voided:
        if c not in creds:
            out.append(_error("d4.void", "a voided credential is not in the list", height))
        if c in seen:
            out.append(_error("d4.void", "a credential is voided twice", height))
        seen.add(c)
    if minutes.void_hash is not None and credentials_fingerprint(seen) != minutes.void_hash:
        out.append(_error("d4.void", "the void list differs from the minutes"))
    active = len(creds) - len(seen & creds)
    if minutes.e_voters is not None and active != minutes.e_voters:
        out.append(
            _error(
                "d4.active",
                f"{active} active credentials but {minutes.e_voters} e-voters in the minutes",
            )
        )
    return out


# ----------------------------------------------------------------- d5


@dataclass(frozen=True)
class BallotCheck:
    """What a worker learnt about one ballot entry."""

    height: int
    problem: tuple[str, str] | None
    credential: str | None
    tracker: str | None
    alphas: tuple[bytes, ...]


_REASON_CHECK = {
    "election": "d5.election",
    "answers": "d5.answers",
    "signature": "d5.signature",
    "proof": "d5.proof",
}


def _check_entry(
    election: Election, height: int, payload: object
) -> tuple[BallotCheck, Ballot | None]:
    credential = payload.get("credential") if isinstance(payload, dict) else None
    try:
        ballot = Ballot.from_json(payload, election, f"entry {height}")
    except CryptoError as exc:
        return BallotCheck(height, ("d5.format", str(exc)), None, None, ()), None
    alphas = tuple(a.ciphertext.alpha.to_bytes() for a in ballot.body.answers)
    body_bytes = ballot.body.canonical()
    tracker = sha256_hex(body_bytes)
    try:
        check_ballot(election, ballot, body_bytes)
    except BallotRejectedError as exc:
        problem = (_REASON_CHECK.get(exc.reason, "d5"), exc.message)
        return BallotCheck(height, problem, None, tracker, alphas), None
    return BallotCheck(height, None, cast(str, credential), tracker, alphas), ballot


def check_ballot_entry(election: Election, height: int, payload: object) -> BallotCheck:
    """Parse one ballot entry and check its signature and every proof."""
    return _check_entry(election, height, payload)[0]


_Work = tuple[dict[str, JsonOut], list[tuple[int, object]], frozenset[int]]
_SHARED: _Work | None = None


def _set_shared(work: _Work) -> None:
    global _SHARED
    _SHARED = work


def _chunk_worker(bounds: tuple[int, int]) -> tuple[list[BallotCheck], list[tuple[bytes, bytes]]]:
    assert _SHARED is not None
    election_json, ballots, counted = _SHARED
    election = Election.from_json(election_json)
    checks: list[BallotCheck] = []
    sums = [ZERO_CIPHERTEXT] * len(election.persons)
    for height, payload in ballots[bounds[0] : bounds[1]]:
        check, ballot = _check_entry(election, height, payload)
        checks.append(check)
        if height in counted and ballot is not None:
            for p, answer in enumerate(ballot.body.answers):
                sums[p] = sums[p] * answer.ciphertext
    return checks, [(c.alpha.to_bytes(), c.beta.to_bytes()) for c in sums]


def _run_ballot_checks(
    election: Election,
    ballots: list[tuple[int, object]],
    counted: frozenset[int],
    workers: int,
) -> tuple[list[BallotCheck], list[Ciphertext]]:
    work: _Work = (election.to_json(), ballots, counted)
    n = len(ballots)
    workers = max(1, min(workers, n))
    pieces = 1 if workers == 1 else workers * 4
    bounds = [(n * i // pieces, n * (i + 1) // pieces) for i in range(pieces)]
    if workers == 1:
        _set_shared(work)
        try:
            results = [_chunk_worker(b) for b in bounds]
        finally:
            _set_shared(cast(_Work, None))
    else:
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
        if ctx.get_start_method() == "fork":
            _set_shared(work)  # inherited by the forked workers, never pickled
            try:
                with ctx.Pool(workers) as pool:
                    results = pool.map(_chunk_worker, bounds, chunksize=1)
            finally:
                _set_shared(cast(_Work, None))
        else:  # pragma: no cover - platforms without fork
            with ctx.Pool(workers, initializer=_set_shared, initargs=(work,)) as pool:
                results = pool.map(_chunk_worker, bounds, chunksize=1)
    checks: list[BallotCheck] = []
    sums = [ZERO_CIPHERTEXT] * len(election.persons)
    for chunk_checks, chunk_sums in results:
        checks += chunk_checks
        for p, (a, b) in enumerate(chunk_sums):
            sums[p] = sums[p] * Ciphertext(Element.decode(a), Element.decode(b))
    return checks, sums


def _credential_hex(payload: object) -> str | None:
    if isinstance(payload, dict):
        value = payload.get("credential")
        if isinstance(value, str):
            return value
    return None


def check_ballots(
    checks: Sequence[BallotCheck],
    setup: Setup,
    voided: set[Element],
    spoiled_alphas: Mapping[bytes, int],
) -> list[Finding]:
    """d5: per-ballot results, credential in ``L`` and not voided, no duplicate body or ``α``."""
    out: list[Finding] = []
    creds = {c.hex() for c in setup.credentials}
    voided_hex = {c.hex() for c in voided}
    trackers: dict[str, int] = {}
    alphas: dict[bytes, int] = dict(spoiled_alphas)
    for check in checks:
        h = check.height
        if check.problem is not None:
            out.append(_error(check.problem[0], check.problem[1], h))
        if check.credential is not None:
            if check.credential not in creds:
                out.append(_error("d5.credential", "the credential is not in the list", h))
            elif check.credential in voided_hex:
                out.append(_error("d5.credential", "the credential is voided", h))
        if check.tracker is not None:
            if check.tracker in trackers:
                out.append(
                    _error("d5.duplicate", f"same ballot as entry {trackers[check.tracker]}", h)
                )
            trackers.setdefault(check.tracker, h)
        for alpha in check.alphas:  # a repeated α inside one ballot is a repeated nonce
            if alpha in alphas:
                out.append(
                    _error(
                        "d5.duplicate", f"a ciphertext already appears in entry {alphas[alpha]}", h
                    )
                )
            else:
                alphas[alpha] = h
    return out


# ----------------------------------------------------------------- d6


def check_spoiled(
    setup: Setup, spoiled: Sequence[tuple[int, object]]
) -> tuple[list[Finding], dict[bytes, int]]:
    """d6: each audited body is from a listed credential and opens to its published
    choices and nonces; returns its ``α``s (which no cast ballot may reuse)."""
    election = setup.election
    credentials = set(setup.credentials)
    out: list[Finding] = []
    alphas: dict[bytes, int] = {}
    for height, payload in spoiled:
        try:
            obj = fields(payload, f"entry {height}", ("ballot", "secrets"))
            body = BallotBody.from_json(obj["ballot"], "ballot", len(election.levels))
            secrets = BallotSecrets.from_json(obj["secrets"], "secrets")
        except CryptoError as exc:
            out.append(_error("d6.format", str(exc), height))
            continue
        if body.election_hash != election.fingerprint or body.election_uuid != election.uuid:
            out.append(_error("d6.election", "the audited ballot is for another election", height))
        if body.credential not in credentials:
            out.append(_error("d6.credential", "the credential is not in the list", height))
        out += [_error("d6.opening", p, height) for p in check_opening(election, body, secrets)]
        for a in body.answers:
            if a.ciphertext.alpha.to_bytes() in alphas:
                out.append(_error("d6.duplicate", "a ciphertext appears twice", height))
            alphas[a.ciphertext.alpha.to_bytes()] = height
    return out, alphas


# ----------------------------------------------------------------- d7


def check_tallied_set(
    election: Election,
    counted: Sequence[BallotCheck],
    ballot_entries: int,
    active: int,
    end: Entry | None,
    minutes: Minutes,
) -> list[Finding]:
    """d7: ``num_tallied = |last(B)|`` against ``end_ballots``, T_min, #active, N_max, trackers."""
    out: list[Finding] = []
    n = len(counted)
    if end is not None:
        try:
            obj = fields(end.payload, "end_ballots", ("num_ballots", "num_voters"))
            if as_int(obj["num_ballots"], "num_ballots") != ballot_entries:
                out.append(_error("d7.count", "end_ballots.num_ballots is wrong", end.height))
            if as_int(obj["num_voters"], "num_voters") != n:
                out.append(_error("d7.count", "end_ballots.num_voters ≠ |last(B)|", end.height))
        except CryptoError as exc:
            out.append(_error("d7.format", str(exc), end.height))
    if minutes.closing_ballots is not None and minutes.closing_ballots != ballot_entries:
        out.append(
            _error(
                "d7.count",
                f"{ballot_entries} ballot entries, minutes say {minutes.closing_ballots}",
            )
        )
    if n < election.t_min:
        out.append(_error("d7.t_min", f"|last(B)| = {n} < T_min = {election.t_min}"))
    if n > active:
        out.append(_error("d7.active", f"|last(B)| = {n} > {active} active credentials"))
    if n > election.n_max:
        out.append(_error("d7.n_max", f"|last(B)| = {n} > N_max = {election.n_max}"))
    if minutes.trackers is None:
        out.append(_info("d7.trackers", "no tracker list in the minutes: not compared"))
    else:
        listed = set(minutes.trackers)
        mine = {c.tracker for c in counted if c.tracker is not None}
        for t in sorted(listed - mine):
            out.append(_error("d7.trackers", f"tracker {t[:16]}… of the hall list is not counted"))
        for t in sorted(mine - listed):
            out.append(_error("d7.trackers", f"counted tracker {t[:16]}… is not in the hall list"))
    return out


# ----------------------------------------------------------------- d8


def check_encrypted_tally(
    recomputed: Sequence[Ciphertext], num_tallied: int, entry: Entry | None
) -> tuple[list[Finding], EncryptedTally | None]:
    """d8: the published encrypted tally equals ``(Π α, Π β)`` over ``last(B)``."""
    if entry is None:
        return [], None
    try:
        published = EncryptedTally.from_json(entry.payload)
    except CryptoError as exc:
        return [_error("d8.format", str(exc), entry.height)], None
    out: list[Finding] = []
    if published.num_tallied != num_tallied:
        out.append(_error("d8.num_tallied", "num_tallied ≠ |last(B)|", entry.height))
    if list(published.ciphertexts) != list(recomputed):
        out.append(
            _error("d8.tally", "the encrypted tally is not the product over last(B)", entry.height)
        )
    return out, published


# ----------------------------------------------------------------- d9


def check_partial_decryptions(
    setup: Setup, tally: EncryptedTally, partials: Sequence[tuple[int, object]]
) -> tuple[list[Finding], dict[int, PartialDecryption]]:
    """d9: known, distinct trustees; signatures; factor proofs bound to φ and the tally hash."""
    out: list[Finding] = []
    valid: dict[int, PartialDecryption] = {}
    trustees = setup.trustees
    n = len(trustees.certificates)
    for height, payload in partials:
        try:
            pd = PartialDecryption.from_json(payload)
        except CryptoError as exc:
            out.append(_error("d9.format", str(exc), height))
            continue
        j = pd.trustee
        if not 1 <= j <= n or len(trustees.verification_keys) < j:
            out.append(_error("d9.trustee", f"trustee {j} is not in the DKG", height))
            continue
        if j in valid:
            out.append(_error("d9.trustee", f"trustee {j} appears twice", height))
            continue
        problems = partial_decryption_problems(
            setup.election.fingerprint,
            tally,
            trustees.verification_keys[j - 1].key,
            trustees.certificates[j - 1].signing_key,
            pd,
        )
        out += [_error("d9.proof", p, height) for p in problems]
        if not problems:
            valid[j] = pd
    return out, valid


# ---------------------------------------------------------------- d10


def check_result(
    setup: Setup,
    tally: EncryptedTally,
    partials: Mapping[int, PartialDecryption],
    entry: Entry,
) -> list[Finding]:
    """d10: ``g^{T_p} = β_p / Π_{j∈T} F_{pj}^{λ_j}`` for exactly the set ``T``; the counts."""
    h = entry.height
    election = setup.election
    try:
        result = Result.from_json(entry.payload)
    except CryptoError as exc:
        return [_error("d10.format", str(exc), h)]
    out: list[Finding] = []
    chosen = list(result.trustees)
    if result.tally_hash != tally.fingerprint:
        out.append(_error("d10.tally_hash", "the result is for another tally", h))
    if result.num_tallied != tally.num_tallied:
        out.append(_error("d10.num_tallied", "num_tallied differs from the tally", h))
    k = setup.trustees.threshold
    if len(set(chosen)) != len(chosen) or len(chosen) < k:
        return [
            *out,
            _error("d10.trustees", f"{len(set(chosen))} distinct trustees, {k} needed", h),
        ]
    missing = [j for j in chosen if j not in partials]
    if missing:
        return [*out, _error("d10.trustees", f"no valid partial decryption of {missing}", h)]
    persons = len(tally.ciphertexts)
    if len(result.totals) != persons or len(result.counts) != persons:
        return [*out, _error("d10.format", f"expected {persons} totals and counts", h)]
    lambdas = [lagrange_coefficient(j, chosen) for j in chosen]
    for p, ct in enumerate(tally.ciphertexts):
        factor = product(
            partials[j].factors[p] ** lam for j, lam in zip(chosen, lambdas, strict=True)
        )
        if g_pow_int(result.totals[p]) != ct.beta / factor:
            out.append(_error("d10.decryption", f"person {p}: g^T ≠ β / Π F^λ", h))
            continue
        try:
            counts = election.decode_total(result.totals[p], tally.num_tallied)
        except DecryptionError as exc:
            out.append(_error("d10.counts", f"person {p}: {exc}", h))
            continue
        if dict(result.counts[p]) != counts:
            out.append(_error("d10.counts", f"person {p}: counts do not decode the total", h))
    return out


# ---------------------------------------------------------------- d11


def check_reconciliation(num_tallied: int, minutes: Minutes) -> list[Finding]:
    """d11 (from the minutes, not the cryptography): e-ballots + paper ballots ≤ present."""
    if minutes.present is None:
        return [_info("d11", "no attendance in the minutes: reconciliation not checked")]
    paper = minutes.paper_ballots or 0
    if num_tallied + paper > minutes.present:
        return [
            _error("d11", f"{num_tallied} e-ballots + {paper} paper > {minutes.present} present")
        ]
    return []


# --------------------------------------------------------------- driver


def _guard(check: str, out: list[Finding], fn: Callable[[], Iterable[Finding]]) -> bool:
    """Run a check; an unexpected exception becomes an error finding (never a crash)."""
    try:
        out.extend(fn())
        return True
    except Exception as exc:  # a verifier must report, not crash, on hostile input
        out.append(_error(check, f"could not be checked: {type(exc).__name__}: {exc}"))
        return False


def verify_archive(archive: object, minutes: Minutes | None = None, *, workers: int = 1) -> Report:
    """Run every check of section (d) on an archive; see the module documentation.

    Never raises: an unexpected failure anywhere becomes an ``error`` finding.
    """
    try:
        return _verify(archive, minutes or Minutes(), workers)
    except Exception as exc:  # a verifier must report, not crash, on hostile input
        return Report((_error("d1", f"verification stopped: {type(exc).__name__}: {exc}"),))


def _verify(archive: object, minutes: Minutes, workers: int) -> Report:
    out: list[Finding] = []
    try:
        entries = read_entries(archive)
    except CryptoError as exc:
        return Report((_error("d1.format", str(exc)),))
    out += check_integrity(entries, minutes)
    if not entries or entries[0].kind != Kind.SETUP:
        out.append(_error("d2.setup", "the first entry is not the setup"))
        return Report(tuple(out))
    try:
        setup = Setup.from_json(entries[0].payload)
    except CryptoError as exc:
        out.append(_error("d2.format", str(exc), 0))
        return Report(tuple(out))
    election = setup.election
    out += check_setup(setup, minutes)
    _guard("d3", out, lambda: check_trustees(setup, minutes))

    by_kind: dict[str, list[tuple[int, object]]] = {}
    for e in entries:
        by_kind.setdefault(e.kind, []).append((e.height, e.payload))
    voided: list[tuple[int, Element]] = []
    for height, payload in by_kind.get(Kind.VOID_CREDENTIALS, []):
        try:
            obj = fields(payload, f"entry {height}", ("credentials",))
            voided += [
                (height, c) for c in credentials_from_json(obj["credentials"], "credentials")
            ]
        except CryptoError as exc:
            out.append(_error("d4.format", str(exc), height))
    out += check_credentials(setup, voided, minutes)
    voided_set = {c for _, c in voided}
    active = len(set(setup.credentials) - voided_set)

    spoiled_findings, spoiled_alphas = check_spoiled(setup, by_kind.get(Kind.SPOILED_BALLOT, []))
    out += spoiled_findings

    ballots = by_kind.get(Kind.BALLOT, [])
    active_hex = {c.hex() for c in setup.credentials if c not in voided_set}
    last: dict[str, int] = {}
    for height, payload in ballots:
        cred = _credential_hex(payload)
        if cred in active_hex:
            last.pop(cred, None)
            last[cred] = height
    counted_heights = frozenset(last.values())
    checks, sums = _run_ballot_checks(election, ballots, counted_heights, workers)
    out += check_ballots(checks, setup, voided_set, spoiled_alphas)
    counted = [c for c in checks if c.height in counted_heights and c.problem is None]
    bad_counted = len(counted_heights) - len(counted)
    if bad_counted:
        out.append(_error("d7.invalid", f"{bad_counted} ballot(s) of last(B) are invalid"))
    end = next((e for e in entries if e.kind == Kind.END_BALLOTS), None)
    out += check_tallied_set(election, counted, len(ballots), active, end, minutes)

    tally_entry = next((e for e in entries if e.kind == Kind.ENCRYPTED_TALLY), None)
    tally_findings, tally = check_encrypted_tally(sums, len(counted), tally_entry)
    out += tally_findings
    partials: dict[int, PartialDecryption] = {}
    if tally is not None:
        pd_findings, partials = check_partial_decryptions(
            setup, tally, by_kind.get(Kind.PARTIAL_DECRYPTION, [])
        )
        out += pd_findings
        result_entry = next((e for e in entries if e.kind == Kind.RESULT), None)
        if result_entry is not None:
            _guard("d10", out, lambda: check_result(setup, tally, partials, result_entry))
    out += check_reconciliation(len(counted), minutes)
    figures: dict[str, int | str | None] = {
        "entries": len(entries),
        "head": entries[-1].hash,
        "election_hash": election.fingerprint,
        "credentials": len(setup.credentials),
        "voided": len(voided_set),
        "ballot_entries": len(ballots),
        "spoiled": len(by_kind.get(Kind.SPOILED_BALLOT, [])),
        "num_tallied": len(counted),
        "partial_decryptions": len(partials),
    }
    return Report(tuple(out), figures)
