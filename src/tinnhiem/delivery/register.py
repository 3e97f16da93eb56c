"""Sổ đăng ký văn bản mật đi: every copy of a *Mật* document that leaves the
system is registered before it is handed over.

Luật Bảo vệ bí mật nhà nước 2018 (Điều 13 khoản 6: việc giao, nhận phải được
ghi đầy đủ vào sổ theo dõi riêng), Nghị định 26/2020/NĐ-CP and Mẫu số 14
"Sổ đăng ký bí mật nhà nước đi" of Thông tư 24/2020/TT-BCA: a consecutive
number per year, the date, the document's number and symbol, its summary
(trích yếu), the secrecy level, the number of copies, the recipient, who
issued it, notes. See ``docs/glossary.md``.

The number is taken, the document rendered with the number and the trace
line printed on it, the entry written and audited in ONE transaction: a
document that fails to render leaves no gap in the numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tinnhiem.campaigns.models import VoteRound
from tinnhiem.common.audit import audit
from tinnhiem.conferences.models import Conference
from tinnhiem.delivery.models import RegisterCounter, SecretRegisterEntry

SECRECY = "Mật"


def next_number(year: int) -> int:
    """The next register number of ``year`` (1, 2, 3 … without gaps).

    Call inside a transaction: the counter row stays locked (PostgreSQL row
    lock; SQLite's single writer) until it commits, so two downloads at once
    never get the same number, and a rollback gives the number back."""
    for _attempt in range(2):
        if RegisterCounter.objects.filter(year=year).update(last=F("last") + 1):
            return RegisterCounter.objects.get(year=year).last
        try:
            with transaction.atomic():
                RegisterCounter.objects.create(year=year, last=1)
            return 1
        except IntegrityError:  # created at the same moment by another download
            continue
    raise RuntimeError("register counter could not be advanced")  # pragma: no cover


def trace_line(user: Any, label: str, at: datetime) -> str:
    """What every registered copy prints at its foot."""
    local = timezone.localtime(at)
    name = getattr(user, "display_name", "") or getattr(user, "username", "")
    return (
        f"Số đăng ký văn bản mật đi: {label} — bản tải về bởi {name} "
        f"({getattr(user, 'username', '')}) lúc {local:%H:%M} ngày {local:%d/%m/%Y} — "
        "tài liệu MẬT, không được sao, chụp"
    )


@dataclass(frozen=True)
class Registered:
    entry: SecretRegisterEntry
    content: bytes


def register_secret(
    *,
    acting_user: Any,
    render: Callable[[str], bytes],
    document_kind: str,
    summary: str,
    filename: str,
    vote_round: VoteRound,
    conference: Conference | None = None,
    issued_by: str = "",
    reference: str = "",
    copies: int = 1,
    note: str = "",
) -> Registered:
    """Register one outgoing *Mật* document and render it with its number.

    ``render(trace)`` builds the document with ``trace`` printed on it; any
    exception it raises undoes the registration."""
    import hashlib

    with transaction.atomic():
        now = timezone.now()
        year = timezone.localtime(now).year
        number = next_number(year)
        label = f"{number}/{year}"
        content = render(trace_line(acting_user, label, now))
        recipient = getattr(acting_user, "display_name", "") or acting_user.username
        entry = SecretRegisterEntry.objects.create(
            year=year,
            number=number,
            issued_at=now,
            document_kind=document_kind[:60],
            reference=reference[:100],
            summary=summary[:400],
            secrecy=SECRECY,
            copies=copies,
            recipient=f"{recipient} ({acting_user.username})"[:200],
            received_by=acting_user,
            issued_by=(issued_by or vote_round.issuing_body)[:200],
            vote_round=vote_round,
            conference=conference,
            filename=filename[:200],
            sha256=hashlib.sha256(content).hexdigest(),
            note=note[:300],
        )
        audit(
            actor=acting_user,
            action="register.secret",
            obj=entry,
            summary=f"Số {label} — {document_kind}: {summary}",
            after={
                "number": number,
                "year": year,
                "filename": entry.filename,
                "sha256": entry.sha256,
                "conference": conference.pk if conference else None,
                "round": vote_round.pk,
            },
        )
    return Registered(entry, content)
