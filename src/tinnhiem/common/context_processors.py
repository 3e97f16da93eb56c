"""Template context for the header: which security links a user sees.

``audit_link``: the audit log page is open to administrators, organisers and
supervisors (``tinnhiem.common.permissions.audit_scope``). Administrators and
organisers are known from the user row; whether someone supervises a
conference is looked up once per session (at login) and kept in the session,
so that no page pays a query for its header.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tinnhiem.common.permissions import (
    is_organiser,
    organised_round_ids,
    supervised_conference_ids,
)

AUDIT_READER_SESSION_KEY = "tinnhiem_audit_reader"


def remember_audit_reader(request: HttpRequest, user: Any) -> bool:
    """Look up once whether ``user`` may read the audit log, and keep it in
    the session (called at login and, for older sessions, on first use)."""
    reader = (
        is_organiser(user)
        or bool(organised_round_ids(user))
        or bool(supervised_conference_ids(user))
    )
    request.session[AUDIT_READER_SESSION_KEY] = reader
    return reader


def security(request: HttpRequest) -> dict[str, Any]:
    def audit_link() -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if is_organiser(user):
            return True
        session = getattr(request, "session", None)
        if session is None:
            return False
        cached = session.get(AUDIT_READER_SESSION_KEY)
        if cached is None:
            return remember_audit_reader(request, user)
        return bool(cached)

    return {"audit_link": audit_link}
