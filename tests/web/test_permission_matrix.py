"""The permission matrix: every URL of the application, for every role.

Each view declares one named permission (``tinnhiem.common.permissions``);
this test walks the whole URL configuration, fails for a view that declares
none, and requests every URL as each of the roles below, asserting that those
the declared permission admits get through (any answer but 403 or a server
error) and that everyone else gets 403 (or, without an account, the login
page). The roles each test account holds are written out here by hand, not
computed by the code under test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from tests.web.builders import make_agency, make_round, make_user
from tinnhiem.accounts.models import User
from tinnhiem.campaigns.models import Grant, GrantKind
from tinnhiem.common.permission_docs import UNDECLARED, markdown
from tinnhiem.common.permissions import (
    AGENCY_ORGANISER,
    CLERK,
    HEAD,
    MEMBER,
    ORGANISER,
    PERMISSIONS,
    SIGNED_IN,
    SUPERVISOR,
    VOTER,
    Permission,
)
from tinnhiem.counting.models import ConfirmedResult

NOT_DECLARED = UNDECLARED  # outside the permission table, each with its reason

S = SIGNED_IN


@dataclass(frozen=True)
class Account:
    """A test account and the roles it holds: in the round under test, at its
    conference, and anywhere (for pages not tied to a round)."""

    round: frozenset[str]
    conference: frozenset[str]
    anywhere: frozenset[str] = frozenset()
    admin: bool = False


def _f(*roles: str) -> frozenset[str]:
    return frozenset(roles)


ACCOUNTS: dict[str, Account] = {
    "admin": Account(_f(S, ORGANISER), _f(S, ORGANISER), _f(ORGANISER), admin=True),
    "organiser": Account(_f(S, ORGANISER), _f(S, ORGANISER), _f(ORGANISER)),
    "round_organiser": Account(_f(S, ORGANISER), _f(S, ORGANISER), _f(ORGANISER)),
    "other_round_organiser": Account(_f(S), _f(S), _f(ORGANISER)),
    "agency_organiser": Account(
        _f(S, AGENCY_ORGANISER), _f(S, AGENCY_ORGANISER), _f(AGENCY_ORGANISER)
    ),
    "other_agency_organiser": Account(_f(S, AGENCY_ORGANISER), _f(S), _f(AGENCY_ORGANISER)),
    "head_user": Account(_f(S, MEMBER), _f(S, MEMBER, HEAD)),
    "clerk1": Account(_f(S, MEMBER), _f(S, MEMBER, CLERK)),
    "member_user": Account(_f(S, MEMBER), _f(S, MEMBER)),
    "supervisor_user": Account(_f(S, SUPERVISOR), _f(S, SUPERVISOR), _f(SUPERVISOR)),
    "voter_user": Account(_f(S), _f(S, VOTER)),
    "official_user": Account(_f(S), _f(S)),
    "outsider": Account(_f(S), _f(S)),
}


def allowed(account: Account, perm: Permission, scope: str) -> bool:
    """What the declared permission should let ``account`` do."""
    if scope == "public":
        return True
    if scope == "admin":
        return account.admin
    if scope == "account":
        return SIGNED_IN in perm.roles or bool(account.anywhere & perm.roles)
    if scope == "round":
        return bool(account.round & perm.roles)
    assert scope == "conference", scope
    return bool(account.conference & perm.roles)


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: tuple[tuple[str, bool], ...]
    """Each keyword of the URL, and whether it is an integer."""
    callback: Any


def _routes(patterns: list[Any], namespace: str = "") -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            yield from _routes(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern):
            yield Route(
                f"{namespace}{p.name}" if p.name else f"{namespace}<unnamed {p.pattern}>",
                tuple(
                    (name, isinstance(c, IntConverter)) for name, c in p.pattern.converters.items()
                ),
                p.callback,
            )


ROUTES = sorted(_routes(get_resolver().url_patterns), key=lambda r: r.name)


def test_every_view_declares_a_named_permission() -> None:
    undeclared = [
        r.name
        for r in ROUTES
        if r.name not in NOT_DECLARED
        and not isinstance(getattr(r.callback, "permission", None), Permission)
    ]
    assert undeclared == [], f"views without a declared permission: {undeclared}"
    names = {r.callback.permission.name for r in ROUTES if r.name not in NOT_DECLARED}
    unknown = names - set(PERMISSIONS)
    assert unknown == set(), f"undeclared permission names: {unknown}"


def test_the_documented_matrix_is_current() -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
    assert doc.read_text(encoding="utf-8") == markdown(), (
        "docs/permissions.md is out of date: regenerate it with "
        "`python -m tinnhiem.common.permission_docs > docs/permissions.md`"
    )


def test_every_declared_permission_is_used_by_some_view() -> None:
    used = {r.callback.permission.name for r in ROUTES if hasattr(r.callback, "permission")}
    assert set(PERMISSIONS) - used == set()


@pytest.fixture
def accounts(
    confirmed: ConfirmedResult,
    organiser: User,
    head_user: User,
    clerk1: User,
    member_user: User,
    supervisor_user: User,
    outsider: User,
) -> dict[str, User]:
    conference = confirmed.conference
    vote_round = conference.round
    other_round = make_round(organiser, number="98-KH/TU")
    other_agency = make_agency(organiser, vote_round, name="Sở Y tế")
    admin = make_user("quantri")
    admin.is_superuser = True
    admin.save()
    users = {
        "admin": admin,
        "organiser": organiser,
        "round_organiser": make_user("btc_dot"),
        "other_round_organiser": make_user("btc_khac"),
        "agency_organiser": make_user("vp_so"),
        "other_agency_organiser": make_user("vp_so_khac"),
        "head_user": head_user,
        "clerk1": clerk1,
        "member_user": member_user,
        "supervisor_user": supervisor_user,
        "voter_user": make_user("cu_tri"),
        "official_user": make_user("can_bo"),
        "outsider": outsider,
    }
    Grant.objects.create(
        kind=GrantKind.ROUND_ORGANISER, user=users["round_organiser"], round=vote_round
    )
    Grant.objects.create(
        kind=GrantKind.ROUND_ORGANISER, user=users["other_round_organiser"], round=other_round
    )
    Grant.objects.create(
        kind=GrantKind.AGENCY_ORGANISER,
        user=users["agency_organiser"],
        round=vote_round,
        agency=conference.agency,
    )
    Grant.objects.create(
        kind=GrantKind.AGENCY_ORGANISER,
        user=users["other_agency_organiser"],
        round=vote_round,
        agency=other_agency,
    )
    # A summoned member without a committee seat, with an account.
    seated = set(conference.committee.values_list("voter_id", flat=True))
    voter = conference.voters.exclude(pk__in=seated).first()
    assert voter is not None
    voter.user = users["voter_user"]
    voter.save()
    polled = conference.candidacies.first()
    assert polled is not None
    polled.official.user = users["official_user"]
    polled.official.save()
    assert set(users) == set(ACCOUNTS)
    return users


def _kwargs(route: Route, scope: str, confirmed: ConfirmedResult) -> dict[str, Any]:
    conference = confirmed.conference
    values: dict[str, Any] = {
        "round_pk": conference.round_id,
        "entry_pass": 1,
        "cand_pk": conference.candidacies.values_list("pk", flat=True).first(),
        "voter_pk": conference.voters.values_list("pk", flat=True).first(),
        "number": 1,
        "fmt": "pdf",
    }
    out: dict[str, Any] = {}
    for name, is_int in route.kwargs:
        if name == "pk":
            out[name] = conference.round_id if scope == "round" else conference.pk
        elif name in values:
            out[name] = values[name]
        else:
            # Any other object of the page: the gate runs before it is read.
            out[name] = 1 if is_int else "x"
    return out


def _request(client: Client, url: str) -> int:
    response = client.get(url)
    if response.status_code == 405:  # a form's target: POST only
        response = client.post(url, {})
    return response.status_code


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.name not in NOT_DECLARED], ids=lambda r: r.name
)
def test_every_url_for_every_role(
    route: Route,
    accounts: dict[str, User],
    confirmed: ConfirmedResult,
    client_for: Callable[[User | None], Client],
) -> None:
    perm: Permission = route.callback.permission
    scope: str = route.callback.permission_scope
    url = reverse(route.name, kwargs=_kwargs(route, scope, confirmed))
    expected = {name: allowed(ACCOUNTS[name], perm, scope) for name in ACCOUNTS}
    # Those refused first: an allowed POST may change the conference.
    seen: dict[str, int] = {}
    for name in sorted(expected, key=lambda n: expected[n]):
        seen[name] = _request(client_for(accounts[name]), url)
    wrong = {
        name: status
        for name, status in seen.items()
        if (status == 403) == expected[name] or status >= 500
    }
    assert wrong == {}, f"{url} ({perm.name}): allowed={sorted(n for n in expected if expected[n])}"
    anonymous = client_for(None).get(url)
    if scope == "public":
        # Open to anyone; a result its profile keeps confidential is not found.
        assert anonymous.status_code in (200, 404)
    else:
        assert anonymous.status_code in (302, 405)
        if anonymous.status_code == 302:
            assert anonymous["Location"].startswith(reverse("accounts:login"))
