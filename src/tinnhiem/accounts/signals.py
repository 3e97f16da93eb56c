"""At login: what the session owes (a second factor?) and whether the user
may read the audit log, each looked up once and kept in the session."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from tinnhiem.accounts import second_factor
from tinnhiem.common.context_processors import remember_audit_reader


@receiver(user_logged_in, dispatch_uid="tinnhiem.accounts.session_flags")
def remember_session_flags(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    if request is None or not hasattr(request, "session"):
        return
    second_factor.remember_state(request, user)
    remember_audit_reader(request, user)
