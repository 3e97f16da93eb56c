"""Appending to and verifying the hash-chained audit log."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from tinnhiem.common.models import AuditEntry, AuditHead

GENESIS = "0" * 64

# One encoder for every entry (``json.dumps`` with options builds one per
# call). ``_ENCODER.encode(v)`` is exactly ``json.dumps(v, ensure_ascii=False,
# sort_keys=True, separators=(",", ":"), default=str)``: the hash is unchanged.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
_canonical = _ENCODER.encode

# The columns that verify_chain reads, in the order of ``_digest``'s arguments
# followed by the stored hash.
_CHAIN_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "summary",
    "before",
    "after",
    "prev_hash",
    "entry_hash",
)
VERIFY_CHUNK = 10_000


def _digest(
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    summary: str,
    before: Any,
    after: Any,
    prev_hash: str,
) -> str:
    body = _canonical(
        {
            "seq": seq,
            "at": at.isoformat(),
            "actor_id": actor_id,
            "actor_name": actor_name,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "summary": summary,
            "before": before,
            "after": after,
        }
    )
    return hashlib.sha256((prev_hash + "\n" + body).encode("utf-8")).hexdigest()


def entry_digest(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    summary: str,
    before: Any,
    after: Any,
    prev_hash: str,
) -> str:
    """The hash of one entry: SHA-256 of the previous entry's hash, a newline
    and the entry's canonical JSON (sorted keys, no spaces, UTF-8)."""
    return _digest(
        seq,
        at,
        actor_id,
        actor_name,
        action,
        object_type,
        object_id,
        summary,
        before,
        after,
        prev_hash,
    )


def audit(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append one entry. Call inside the service's transaction, so the entry and
    the change it records are committed together or not at all."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        seq = head.last_seq + 1
        at = timezone.now()
        actor_id = getattr(actor, "pk", None)
        actor_name = getattr(actor, "username", "") or ("hệ thống" if actor is None else "")
        object_type = obj._meta.label_lower if obj is not None else ""
        object_id = str(obj.pk) if obj is not None else ""
        before_j = json.loads(_canonical(before)) if before is not None else None
        after_j = json.loads(_canonical(after)) if after is not None else None
        digest = entry_digest(
            seq=seq,
            at=at,
            actor_id=actor_id,
            actor_name=actor_name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            summary=summary[:300],
            before=before_j,
            after=after_j,
            prev_hash=head.last_hash,
        )
        entry = AuditEntry.objects.create(
            seq=seq,
            at=at,
            actor_id=actor_id,
            actor_name=actor_name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            summary=summary[:300],
            before=before_j,
            after=after_j,
            prev_hash=head.last_hash,
            entry_hash=digest,
        )
        head.last_seq = seq
        head.last_hash = digest
        head.save(update_fields=["last_seq", "last_hash"])
        return entry


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def _walk(
    rows: Iterable[tuple[Any, ...]], expected_seq: int = 1, prev: str = GENESIS
) -> ChainProblem | int:
    """The first problem of ``rows`` (in ``seq`` order, the first one being
    ``expected_seq`` and linking to ``prev``), or the ``seq`` after the last."""
    for row in rows:
        seq = row[0]
        if seq != expected_seq:
            return ChainProblem(expected_seq, "missing entry")
        if row[10] != prev:
            return ChainProblem(seq, "previous hash does not match")
        prev = row[11]
        try:
            ok = _digest(*row[:11]) == prev
        except (AttributeError, TypeError, ValueError):  # a value of the wrong type
            ok = False
        if not ok:
            return ChainProblem(seq, "content does not match its hash")
        expected_seq += 1
    return expected_seq


def verify_chain(
    entries: Iterable[AuditEntry] | None = None,
    *,
    after: tuple[int, str] | None = None,
    chunk_size: int = VERIFY_CHUNK,
) -> ChainProblem | None:
    """The first broken or missing link, or None when the chain is whole.

    Reads the log in ``seq`` order, ``chunk_size`` rows at a time (a
    server-side cursor on PostgreSQL), as plain tuples without model
    instances: a million entries verify in well under the 30 s goal
    (``bench/bench_audit.py``). With ``entries``, verifies those instead (in
    the order given). With ``after=(seq, hash)``, only the entries after
    ``seq``, the first of which must link to ``hash``: the part of the chain
    written since an earlier full verification that ended there."""
    rows: Iterable[tuple[Any, ...]]
    start_seq, prev = (after[0] + 1, after[1]) if after is not None else (1, GENESIS)
    if entries is None:
        rows = (
            AuditEntry.objects.filter(seq__gte=start_seq)
            .order_by("seq")
            .values_list(*_CHAIN_FIELDS)
            .iterator(chunk_size=chunk_size)
        )
    else:
        rows = ((*(getattr(e, f) for f in _CHAIN_FIELDS),) for e in entries)
    result = _walk(rows, start_seq, prev)
    if isinstance(result, ChainProblem):
        return result
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != result - 1:
        return ChainProblem(result, "entries after this one are missing")
    return None
