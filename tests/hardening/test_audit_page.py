"""The audit log page: open to administrators, organisers and supervisors
only; newest first, 50 a page, with filters; the chain's status at the top,
which turns red when an entry is edited or deleted behind the application's
back; each view is itself an audit entry. (``verify_chain`` itself is tested
in ``tests/web/test_audit.py``.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.web.builders import add_voters, make_agency, make_conference, names
from tinnhiem.accounts.models import User
from tinnhiem.common.audit_views import CHAIN_CACHE_KEY, FULL_CHECK_EVERY, PAGE_SIZE
from tinnhiem.common.models import AuditEntry
from tinnhiem.conferences.models import Conference

URL = reverse("common:audit")


def shown(response: Any) -> list[AuditEntry]:
    return list(response.context["page"].object_list)


@pytest.fixture
def other_conference(organiser: User, entered_conference: Conference) -> Conference:
    """A second conference, in another agency, that the supervisor does not supervise."""
    agency = make_agency(organiser, entered_conference.round, name="Sở Xây dựng")
    other = make_conference(organiser, agency, title="Hội nghị lấy phiếu Sở Xây dựng")
    add_voters(organiser, other, names(77, 3))
    return other


# ------------------------------------------------------------------ access


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("organiser", 200),
        ("admin", 200),
        ("supervisor_user", 200),
        ("head_user", 403),
        ("clerk1", 403),
        ("member_user", 403),
        ("outsider", 403),
    ],
)
def test_only_administrators_organisers_and_supervisors_may_read_it(
    request: pytest.FixtureRequest,
    checkin_conference: Conference,
    client_for: Callable[[User | None], Client],
    who: str,
    status: int,
) -> None:
    if who == "admin":
        user = User.objects.create(username="quantri", is_superuser=True, is_staff=True)
    else:
        user = request.getfixturevalue(who)
    before = AuditEntry.objects.count()
    response = client_for(user).get(URL)
    assert response.status_code == status
    # A refused read appends nothing; a granted one appends its audit.view.
    assert AuditEntry.objects.count() == before + (1 if status == 200 else 0)


def test_an_anonymous_visitor_is_sent_to_the_login_page(
    client_for: Callable[[User | None], Client], db: None
) -> None:
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_header_links_to_it_only_for_those_who_may_read_it(
    checkin_conference: Conference,
    organiser: User,
    supervisor_user: User,
    clerk1: User,
    client_for: Callable[[User | None], Client],
) -> None:
    link = f'href="{URL}"'
    home = reverse("counting:my_work")
    assert link in client_for(organiser).get(home).content.decode()
    assert link in client_for(supervisor_user).get(home).content.decode()
    assert link not in client_for(clerk1).get(home).content.decode()


# ---------------------------------------------------------------- content


def test_newest_first_with_the_chain_status_and_the_view_itself_audited(
    entered_conference: Conference, organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    total = AuditEntry.objects.count()
    response = client_for(organiser).get(URL)
    html = response.content.decode()
    assert "Chuỗi nhật ký nguyên vẹn" in html
    assert f"{total + 1} mục, không mục nào bị sửa hay xóa" in html
    rows = shown(response)
    assert len(rows) == PAGE_SIZE
    assert [e.seq for e in rows] == list(range(total + 1, total + 1 - PAGE_SIZE, -1))
    view = rows[0]
    assert (view.action, view.actor_id) == ("audit.view", organiser.pk)
    assert view.after == {"filters": {}, "page": "1"}


def test_before_and_after_are_shown_on_demand(
    checkin_conference: Conference, organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(organiser).get(URL, {"action": "voter.add"})
    html = response.content.decode()
    assert "<details" in html
    assert "<pre" in html
    entry = AuditEntry.objects.filter(action="voter.add").first()
    assert entry is not None
    assert entry.after["full_name"] in html


def test_filter_by_action_actor_and_object_type(
    entered_conference: Conference, organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(organiser)
    rows = shown(client.get(URL, {"action": "entry"}))
    assert rows
    assert {e.action for e in rows} == {"entry.create"}
    rows = shown(client.get(URL, {"action": "entry", "actor": "thuky2"}))
    assert len(rows) == 12
    assert {e.actor_name for e in rows} == {"thuky2"}
    rows = shown(client.get(URL, {"object_type": "conferences.voter"}))
    assert rows
    assert {e.object_type for e in rows} == {"conferences.voter"}
    rows = shown(client.get(URL, {"object_type": "Counting"}))
    assert rows
    assert all(e.object_type.startswith("counting.") for e in rows)
    view = AuditEntry.objects.order_by("-seq").first()
    assert view is not None
    assert view.after == {
        "filters": {"object_type": "Counting"},
        "page": "1",
    }


def test_filter_by_date_range(
    checkin_conference: Conference, organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(organiser)
    today = timezone.localdate()
    everything = client.get(URL, {"date_from": today.isoformat(), "date_to": today.isoformat()})
    # Everything, this view's own entry included (it is appended first).
    assert everything.context["page"].paginator.count == AuditEntry.objects.count()
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert shown(client.get(URL, {"date_from": tomorrow})) == []
    yesterday = (today - timedelta(days=1)).isoformat()
    assert shown(client.get(URL, {"date_to": yesterday})) == []
    wrong_way = client.get(URL, {"date_from": today.isoformat(), "date_to": yesterday})
    assert "Ngày kết thúc trước ngày bắt đầu" in wrong_way.content.decode()


def test_filter_by_conference(
    entered_conference: Conference,
    other_conference: Conference,
    organiser: User,
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(organiser)
    rows = shown(client.get(URL, {"conference": other_conference.pk}))
    # conference.create and three voter.add
    assert sorted(e.action for e in rows) == ["conference.create"] + ["voter.add"] * 3
    response = client.get(URL, {"conference": entered_conference.pk, "action": "entry"})
    assert response.context["page"].paginator.count == 24
    response = client.get(URL, {"conference": entered_conference.pk})
    actions = {e.action for e in response.context["page"].paginator.object_list}
    assert {"conference.create", "candidacy.add", "voter.add", "committee.add"} <= actions
    assert {"voter.attendance", "conference.voting_open", "entry.create"} <= actions
    assert "round.create" not in actions
    assert "audit.view" not in actions


def test_a_supervisor_reads_only_the_conferences_they_supervise(
    entered_conference: Conference,
    other_conference: Conference,
    supervisor_user: User,
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(supervisor_user)
    response = client.get(URL)
    html = response.content.decode()
    assert "những hội nghị mình giám sát" in html
    every = list(response.context["page"].paginator.object_list)
    assert every
    assert not {"round.create", "official.create", "block.create"} & {e.action for e in every}
    other_ids = {str(other_conference.pk)}
    assert not [
        e for e in every if e.object_type == "conferences.conference" and e.object_id in other_ids
    ]
    assert other_conference.title not in html  # not even in the conference filter
    refused = client.get(URL, {"conference": other_conference.pk})
    assert refused.status_code == 200
    assert refused.context["form"].errors  # not a choice for them


def test_pages_keep_the_filters(
    entered_conference: Conference, organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(organiser)
    first = client.get(URL, {"object_type": "c"})
    assert first.context["page"].paginator.num_pages >= 2
    assert "?object_type=c&amp;page=2" in first.content.decode()
    second = client.get(URL, {"object_type": "c", "page": 2})
    assert second.context["page"].number == 2
    assert shown(second)[0].seq < shown(first)[-1].seq


def test_the_page_costs_the_same_queries_whatever_the_log_holds(
    entered_conference: Conference,
    organiser: User,
    client_for: Callable[[User | None], Client],
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(organiser)
    client.get(URL)
    with django_assert_max_num_queries(14):
        client.get(URL, {"conference": entered_conference.pk})


# ------------------------------------------------------------- tampering


def _middle() -> AuditEntry:
    return AuditEntry.objects.get(seq=AuditEntry.objects.count() // 2)


def test_an_edited_entry_turns_the_status_red(
    entered_conference: Conference, organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    victim = _middle()
    AuditEntry.objects.filter(pk=victim.pk).update(actor_name="nguoikhac")
    html = client_for(organiser).get(URL).content.decode()
    assert "Chuỗi nhật ký BỊ PHÁ VỠ" in html
    assert f"tại mục #{victim.seq}" in html
    assert "nội dung không khớp mã băm" in html


def test_a_deleted_entry_turns_the_status_red(
    entered_conference: Conference, organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    victim = _middle()
    victim.delete()
    html = client_for(organiser).get(URL).content.decode()
    assert "Chuỗi nhật ký BỊ PHÁ VỠ" in html
    assert f"tại mục #{victim.seq}" in html
    assert "thiếu mục" in html


def test_a_deleted_last_entry_is_found_although_the_view_appends_after_it(
    entered_conference: Conference, organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None
    last.delete()
    html = client_for(organiser).get(URL).content.decode()
    assert "Chuỗi nhật ký BỊ PHÁ VỠ" in html
    assert f"tại mục #{last.seq}" in html


def test_between_full_checks_only_the_new_entries_are_verified(
    entered_conference: Conference, organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    """The documented trade-off: a page view verifies what was written since
    the last full verification; the whole chain again after five minutes, or
    at once when asked (and ``tinnhiem audit verify`` always)."""
    client = client_for(organiser)
    assert "nguyên vẹn" in client.get(URL).content.decode()  # full
    victim = _middle()
    AuditEntry.objects.filter(pk=victim.pk).update(summary="đã sửa")
    assert "nguyên vẹn" in client.get(URL).content.decode()  # only the new entries
    html = client.get(URL, {"full": "1"}).content.decode()
    assert f"tại mục #{victim.seq}" in html
    assert "full=1" in html  # the link that asks for it
    assert cache.get(CHAIN_CACHE_KEY) is None
    # Five minutes after the last full verification, the next view does one.
    client.get(URL, {"full": "1"})
    AuditEntry.objects.filter(pk=victim.pk).update(summary=victim.summary)
    assert "nguyên vẹn" in client.get(URL).content.decode()
    AuditEntry.objects.filter(pk=victim.pk).update(summary="đã sửa")
    known = cache.get(CHAIN_CACHE_KEY)
    cache.set(CHAIN_CACHE_KEY, {**known, "full_at": known["full_at"] - FULL_CHECK_EVERY})
    assert f"tại mục #{victim.seq}" in client.get(URL).content.decode()


def test_a_stale_record_of_the_last_check_raises_no_false_alarm(
    entered_conference: Conference, organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    """After a restore, say: the remembered end of the chain is not this
    database's; the whole chain is verified instead."""
    cache.set(CHAIN_CACHE_KEY, {"seq": 10**6, "hash": "f" * 64, "full_at": timezone.now()}, None)
    assert "nguyên vẹn" in client_for(organiser).get(URL).content.decode()
    cache.set(CHAIN_CACHE_KEY, {"seq": 3, "hash": "f" * 64, "full_at": timezone.now()}, None)
    assert "nguyên vẹn" in client_for(organiser).get(URL).content.decode()
