"""Appending to and verifying the hash-chained audit log."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from tinnhiem.common.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


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


def verify_chain(entries: Iterator[AuditEntry] | None = None) -> ChainProblem | None:
    """The first broken or missing link, or None when the chain is whole."""
    prev = GENESIS
    expected_seq = 1
    it = entries if entries is not None else AuditEntry.objects.order_by("seq").iterator()
    for e in it:
        if e.seq != expected_seq:
            return ChainProblem(expected_seq, "missing entry")
        if e.prev_hash != prev:
            return ChainProblem(e.seq, "previous hash does not match")
        digest = entry_digest(
            seq=e.seq,
            at=e.at,
            actor_id=e.actor_id,
            actor_name=e.actor_name,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            summary=e.summary,
            before=e.before,
            after=e.after,
            prev_hash=e.prev_hash,
        )
        if digest != e.entry_hash:
            return ChainProblem(e.seq, "content does not match its hash")
        prev = e.entry_hash
        expected_seq += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != expected_seq - 1:
        return ChainProblem(expected_seq, "entries after this one are missing")
    return None
