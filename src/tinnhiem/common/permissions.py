"""Who may do what. The full role matrix per organisation comes with the
trust work; here the roles of one conference:

* ``organiser`` — Ban Tổ chức / Sở Nội vụ (``User.is_organiser``) or an
  administrator: sets up rounds, agencies, officials, conferences, check-in;
* ``head`` — Trưởng Ban kiểm phiếu: resolves disagreements, confirms, amends;
* ``clerk`` — a committee member with an entry pass (1 or 2);
* ``supervisor`` — giám sát: reads everything of the conference.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from tinnhiem.conferences.models import CommitteeMember, CommitteeRole, Conference, Supervisor

ORGANISER = "organiser"
HEAD = "head"
CLERK = "clerk"
MEMBER = "member"
SUPERVISOR = "supervisor"


def is_organiser(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.is_organiser))


def second_factor_required(user: Any) -> bool:
    """Whether ``TINNHIEM_REQUIRE_2FA`` applies to ``user``: administrators
    and committee heads (Trưởng Ban kiểm phiếu of any conference)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(CommitteeMember.objects.filter(user_id=user.pk, role=CommitteeRole.HEAD).exists())


def supervised_conference_ids(user: Any) -> list[int]:
    """The conferences ``user`` supervises (giám sát), by id."""
    if not user.is_authenticated:
        return []
    return list(Supervisor.objects.filter(user_id=user.pk).values_list("conference_id", flat=True))


def audit_scope(user: Any) -> list[int] | None:
    """What of the audit log ``user`` may read: everything (``None``) for an
    administrator or organiser; the entries about the conferences they
    supervise for a supervisor. Anyone else: :class:`PermissionDenied`."""
    if is_organiser(user):
        return None
    supervised = supervised_conference_ids(user)
    if not supervised:
        raise PermissionDenied
    return supervised


def conference_roles(user: Any, conference: Conference) -> set[str]:
    roles: set[str] = set()
    if not user.is_authenticated:
        return roles
    if is_organiser(user):
        roles.add(ORGANISER)
    for seat in conference.committee.filter(user=user):
        roles.add(MEMBER)
        if seat.role == CommitteeRole.HEAD:
            roles.add(HEAD)
        if seat.entry_pass:
            roles.add(CLERK)
    if conference.supervisor_seats.filter(user=user).exists():
        roles.add(SUPERVISOR)
    return roles


def organiser_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_organiser(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def conference_view(
    *allowed: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Load ``pk`` as a conference and require one of ``allowed`` roles.

    The view receives ``conference`` and ``roles`` instead of ``pk``."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
            conference = get_object_or_404(
                Conference.objects.select_related("round", "agency", "agency__block"), pk=pk
            )
            roles = conference_roles(request.user, conference)
            if not roles & set(allowed):
                raise PermissionDenied
            return view(request, *args, conference=conference, roles=roles, **kwargs)

        return wrapped

    return decorate
