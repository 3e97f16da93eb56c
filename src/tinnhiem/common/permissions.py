"""Who may do what: roles per organisation, and named permissions declared on
every view.

Roles, each held for one organisation:

* ``admin`` — system administrator (``is_superuser``): everything;
* ``organiser`` — the organising department of a round: ``User.is_organiser``
  for every round of the installation, or a ``round_organiser`` grant
  (:class:`tinnhiem.campaigns.models.Grant`) for one round;
* ``agency_organiser`` — the office of one agency (an ``agency_organiser``
  grant): prepares its own agency's conferences, never sees a result;
* ``head`` — Trưởng Ban kiểm phiếu: resolves disagreements, confirms, amends;
* ``clerk`` — a committee member with an entry pass (1 or 2);
* ``member`` — any seat on the counting committee;
* ``supervisor`` — giám sát: reads everything of the conference;
* ``voter`` — a summoned member (thành phần ghi phiếu) with an account: sees the
  result of their own conference once confirmed (Quy định 96-QĐ/TW, KH 240
  §C.V: results are made known to the conference);
* ``official`` — the person polled: their own result only (``/kiem-phieu/
  ket-qua-cua-toi/``).

Every view declares one permission by name (:data:`PERMISSIONS`); the roles
each permission admits are listed there, in one place, and the test
``tests/permissions`` walks every URL for every role against this table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from tinnhiem.conferences.models import CommitteeMember, CommitteeRole, Conference, Supervisor

ORGANISER = "organiser"
AGENCY_ORGANISER = "agency_organiser"
HEAD = "head"
CLERK = "clerk"
MEMBER = "member"
SUPERVISOR = "supervisor"
VOTER = "voter"
SIGNED_IN = "signed_in"  # any account; for pages that show each user only their own
ANYONE = "anyone"  # no account needed: public pages


@dataclass(frozen=True)
class Permission:
    """A named permission: what it allows (Vietnamese) and the roles holding it."""

    name: str
    description: str
    roles: frozenset[str]


def _p(name: str, description: str, *roles: str) -> tuple[str, Permission]:
    return name, Permission(name, description, frozenset(roles))


READERS = (ORGANISER, AGENCY_ORGANISER, MEMBER, SUPERVISOR)
RESULT_READERS = (ORGANISER, HEAD, MEMBER, SUPERVISOR, VOTER)
OVERSEERS = (ORGANISER, HEAD, SUPERVISOR)
PREPARERS = frozenset({ORGANISER, AGENCY_ORGANISER})

#: Every permission a view may declare. Conference permissions are checked
#: against the user's roles at that conference, round permissions against the
#: round, the others need only an account (or nothing).
PERMISSIONS: dict[str, Permission] = dict(
    [
        _p("public.read", "Xem kết quả đã công khai", ANYONE),
        _p("account.self", "Đăng nhập, xác thực hai bước của chính mình", SIGNED_IN),
        _p("round.list", "Xem danh sách kế hoạch", SIGNED_IN),
        _p("round.create", "Tạo kế hoạch", ORGANISER),
        _p("round.read", "Xem kế hoạch, cơ quan, cán bộ, hội nghị", SIGNED_IN),
        _p("round.manage", "Quản lý khối, cơ quan, cán bộ, hội nghị của kế hoạch", ORGANISER),
        _p("round.grants", "Phân quyền trong kế hoạch", ORGANISER),
        _p("round.results", "Xem kết quả, thống kê toàn đợt (Mật)", ORGANISER),
        _p(
            "round.deadlines",
            "Xem thời hạn, hồ sơ của kế hoạch",
            ORGANISER,
            AGENCY_ORGANISER,
            MEMBER,
            SUPERVISOR,
        ),
        _p("templates.download", "Tải tệp mẫu", ORGANISER, AGENCY_ORGANISER),
        _p("conference.read", "Xem hội nghị, điểm danh, thời hạn", *READERS),
        _p("conference.ballot_list", "Lập danh sách người được lấy phiếu", ORGANISER),
        _p(
            "conference.prepare",
            "Chuẩn bị hội nghị: thành phần, Ban kiểm phiếu, hồ sơ, "
            "điểm danh, mở bỏ phiếu, in phiếu",
            *PREPARERS,
        ),
        _p("conference.close_voting", "Kết thúc bỏ phiếu", *sorted(PREPARERS), HEAD),
        _p("counting.work", "Xem việc được giao", SIGNED_IN),
        _p("counting.enter", "Nhập phiếu (lượt của mình)", CLERK),
        _p(
            "counting.read",
            "Xem đối chiếu hai lượt nhập (Mật)",
            ORGANISER,
            HEAD,
            MEMBER,
            SUPERVISOR,
        ),
        _p(
            "results.read",
            "Xem kết quả của hội nghị (Mật; người ghi phiếu: sau khi xác nhận)",
            *RESULT_READERS,
        ),
        _p("counting.decide", "Quyết định phiếu chênh lệch, xác nhận, điều chỉnh kết quả", HEAD),
        _p("counting.records", "Tải hồ sơ, nhật ký, báo cáo, biên bản (Mật)", *OVERSEERS),
        _p(
            "scanning.read",
            "Xem phiếu quét, ảnh gốc, hàng chờ xem xét (Mật)",
            MEMBER,
            SUPERVISOR,
        ),
        _p("scanning.upload", "Tải ảnh phiếu quét lên", HEAD, CLERK),
        _p("scanning.decide", "Quyết định phiếu quét cần xem xét", HEAD),
        _p("documents.jobs", "Theo dõi, tải văn bản mình yêu cầu tạo", SIGNED_IN),
        _p(
            "documents.register",
            "Xem, xuất sổ đăng ký văn bản mật đi (các kế hoạch mình tổ chức)",
            ORGANISER,
        ),
        _p("documents.personal", "Tải báo cáo cá nhân (mẫu)", ORGANISER),
        _p("results.own", "Xem kết quả của chính mình", SIGNED_IN),
        _p("audit.read", "Xem nhật ký kiểm tra", ORGANISER, SUPERVISOR),
        _p("evote.vote", "Bỏ phiếu điện tử bằng thẻ, màn hình hội trường", ANYONE),
        _p("evote.list", "Xem danh sách bỏ phiếu điện tử của mình", SIGNED_IN),
        _p("evote.read", "Xem bỏ phiếu điện tử của hội nghị (không có kết quả)", *READERS),
        _p("evote.manage", "Tổ chức bỏ phiếu điện tử, danh sách thẻ, phát thẻ", *PREPARERS),
        _p("evote.trustee", "Nộp tệp lễ tạo khóa và phần giải mã", ORGANISER, MEMBER),
        _p("evote.close", "Kết thúc phát thẻ, bỏ phiếu điện tử", *sorted(PREPARERS), HEAD),
        _p("evote.archive", "Tải bảng công khai có kết quả (Mật)", ORGANISER, MEMBER, SUPERVISOR),
        _p("evote.integrate", "Xác nhận kết quả chung phiếu giấy và điện tử", HEAD),
        _p("accounts.admin", "Quản trị tài khoản: mở khóa, đặt lại xác thực hai bước"),
    ]
)


def permission(name: str) -> Permission:
    """The declared permission ``name``; a typo fails at import, not at request."""
    try:
        return PERMISSIONS[name]
    except KeyError:
        raise ImproperlyConfigured(f"unknown permission {name!r}") from None


def is_organiser(user: Any) -> bool:
    """The organising department of every round, or an administrator."""
    return bool(user.is_authenticated and (user.is_superuser or user.is_organiser))


def organised_round_ids(user: Any) -> set[int]:
    """The rounds ``user`` organises by a ``round_organiser`` grant."""
    if not user.is_authenticated:
        return set()
    from tinnhiem.campaigns.models import Grant, GrantKind

    return set(
        Grant.objects.filter(user_id=user.pk, kind=GrantKind.ROUND_ORGANISER).values_list(
            "round_id", flat=True
        )
    )


def is_round_organiser(user: Any, vote_round: Any) -> bool:
    """Organising department of ``vote_round``: for every round, or by a grant."""
    return is_organiser(user) or vote_round.pk in organised_round_ids(user)


def round_roles(user: Any, vote_round: Any) -> set[str]:
    """The round-level roles of ``user``: organiser, agency organiser of one
    of its agencies, or a seat (committee, supervisor) at one of its
    conferences."""
    roles: set[str] = set()
    if not user.is_authenticated:
        return roles
    roles.add(SIGNED_IN)
    from tinnhiem.campaigns.models import Grant, GrantKind

    if is_organiser(user):
        roles.add(ORGANISER)
    for kind in set(
        Grant.objects.filter(user_id=user.pk, round=vote_round).values_list("kind", flat=True)
    ):
        roles.add(ORGANISER if kind == GrantKind.ROUND_ORGANISER else AGENCY_ORGANISER)
    if CommitteeMember.objects.filter(user_id=user.pk, conference__round=vote_round).exists():
        roles.add(MEMBER)
    if Supervisor.objects.filter(user_id=user.pk, conference__round=vote_round).exists():
        roles.add(SUPERVISOR)
    return roles


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
    administrator or the organising department of every round; for the
    organiser of some rounds, the entries about those rounds' conferences; for
    a supervisor, those about the conferences they supervise. Anyone else:
    :class:`PermissionDenied`."""
    if is_organiser(user):
        return None
    scope = set(supervised_conference_ids(user))
    rounds = organised_round_ids(user)
    if rounds:
        scope |= set(Conference.objects.filter(round_id__in=rounds).values_list("pk", flat=True))
    if not scope and not rounds:
        raise PermissionDenied
    return sorted(scope)


def conference_roles(user: Any, conference: Conference, *, voter: bool = True) -> set[str]:
    """The roles ``user`` holds at ``conference`` (``voter=False``: without
    looking up whether they were summoned, one query less)."""
    roles: set[str] = set()
    if not user.is_authenticated:
        return roles
    roles.add(SIGNED_IN)
    from tinnhiem.campaigns.models import Grant, GrantKind

    if is_organiser(user):
        roles.add(ORGANISER)
    # Both kinds of grant in one query.
    for kind in Grant.objects.filter(
        Q(kind=GrantKind.ROUND_ORGANISER, round_id=conference.round_id)
        | Q(kind=GrantKind.AGENCY_ORGANISER, agency_id=conference.agency_id),
        user_id=user.pk,
    ).values_list("kind", flat=True):
        roles.add(ORGANISER if kind == GrantKind.ROUND_ORGANISER else AGENCY_ORGANISER)
    for seat in conference.committee.filter(user=user):
        roles.add(MEMBER)
        if seat.role == CommitteeRole.HEAD:
            roles.add(HEAD)
        if seat.entry_pass:
            roles.add(CLERK)
    if conference.supervisor_seats.filter(user=user).exists():
        roles.add(SUPERVISOR)
    if voter and is_voter(user, conference):
        roles.add(VOTER)
    return roles


def is_voter(user: Any, conference: Conference) -> bool:
    """Summoned to ``conference`` with this account (directly, or as an official)."""
    return bool(conference.voters.filter(Q(user=user) | Q(official__user=user)).exists())


ViewFunc = Callable[..., HttpResponse]


def _declare(wrapped: ViewFunc, perm: Permission, scope: str) -> ViewFunc:
    wrapped.permission = perm  # type: ignore[attr-defined]
    wrapped.permission_scope = scope  # type: ignore[attr-defined]
    return wrapped


def public_view(name: str) -> Callable[[ViewFunc], ViewFunc]:
    """A page anyone may open, declared as such."""
    perm = permission(name)

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return view(request, *args, **kwargs)

        return _declare(wrapped, perm, "public")

    return decorate


def signed_in_view(name: str) -> Callable[[ViewFunc], ViewFunc]:
    """A page for any account (it shows each user only what is theirs), or,
    for a permission held by organisers, for organisers of any round."""
    perm = permission(name)

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if SIGNED_IN not in perm.roles and not _holds_anywhere(request.user, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _declare(wrapped, perm, "account")

    return decorate


def _holds_anywhere(user: Any, perm: Permission) -> bool:
    """For pages not tied to one round (templates, the audit log): whether the
    user holds one of ``perm``'s roles somewhere."""
    if ORGANISER in perm.roles and (is_organiser(user) or organised_round_ids(user)):
        return True
    from tinnhiem.campaigns.models import Grant, GrantKind

    if (
        AGENCY_ORGANISER in perm.roles
        and Grant.objects.filter(user_id=user.pk, kind=GrantKind.AGENCY_ORGANISER).exists()
    ):
        return True
    return SUPERVISOR in perm.roles and bool(supervised_conference_ids(user))


def admin_view(view: ViewFunc) -> ViewFunc:
    """A page for system administrators only (``accounts.admin``)."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return _declare(wrapped, permission("accounts.admin"), "admin")


def round_view(name: str, *, kwarg: str = "pk") -> Callable[[ViewFunc], ViewFunc]:
    """Load the round named by ``kwarg`` and require permission ``name`` there.

    The view receives ``vote_round`` and ``roles`` instead of ``kwarg``."""
    perm = permission(name)

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            from tinnhiem.campaigns.models import VoteRound

            vote_round = get_object_or_404(VoteRound, pk=kwargs.pop(kwarg))
            roles = round_roles(request.user, vote_round)
            if not roles & perm.roles:
                raise PermissionDenied
            return view(request, *args, vote_round=vote_round, roles=roles, **kwargs)

        return _declare(wrapped, perm, "round")

    return decorate


def conference_view(name: str) -> Callable[[ViewFunc], ViewFunc]:
    """Load ``pk`` as a conference and require permission ``name`` there.

    The view receives ``conference`` and ``roles`` instead of ``pk``."""
    perm = permission(name)

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
            conference = get_object_or_404(
                Conference.objects.select_related("round", "agency", "agency__block"), pk=pk
            )
            roles = conference_roles(request.user, conference, voter=False)
            if (
                not roles & perm.roles
                and VOTER in perm.roles
                and is_voter(request.user, conference)
            ):
                roles.add(VOTER)
            if not roles & perm.roles:
                raise PermissionDenied
            if roles & perm.roles == {VOTER} and conference.status != "confirmed":
                # A voter sees the result of their conference once confirmed.
                raise PermissionDenied
            return view(request, *args, conference=conference, roles=roles, **kwargs)

        return _declare(wrapped, perm, "conference")

    return decorate
