"""The timeline page of a conference and the round's dashboard: who may open
them, what they show (NĐ 30 dates, status badges), and the organisers' forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import tinnhiem
from tests.dossiers.conftest import PEOPLE
from tests.web.builders import make_agency, make_conference, make_officials
from tinnhiem.accounts.models import User
from tinnhiem.conferences.dossiers import dossier_item_record, question_forward, question_record
from tinnhiem.conferences.models import Conference, DossierItem, WrittenQuestion

pytestmark = pytest.mark.django_db

ROLES = ("organiser", "supervisor_user", "member_user", "outsider")
TEMPLATES = Path(tinnhiem.__file__).parent / "templates" / "conferences"


def _statuses(
    request: pytest.FixtureRequest, client_for: Callable[[User | None], Client], url: str
) -> dict[str, int]:
    out = {}
    for role in ROLES:
        response = client_for(request.getfixturevalue(role)).get(url)
        out[role] = response.status_code
        if response.status_code == 403:
            assert "Không có quyền" in response.content.decode()
    return out


def test_the_timeline_opens_for_the_conference_people_and_is_forbidden_to_others(
    request: pytest.FixtureRequest,
    conference: Conference,
    client_for: Callable[[User | None], Client],
) -> None:
    url = reverse("conferences:timeline", args=[conference.pk])
    assert _statuses(request, client_for, url) == {
        "organiser": 200,
        "supervisor_user": 200,
        "member_user": 200,
        "outsider": 403,
    }
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_dashboard_opens_for_organisers_and_seated_people_only(
    request: pytest.FixtureRequest,
    conference: Conference,
    client_for: Callable[[User | None], Client],
) -> None:
    url = reverse("conferences:dashboard", args=[conference.round_id])
    assert _statuses(request, client_for, url) == {
        "organiser": 200,
        "supervisor_user": 200,
        "member_user": 200,
        "outsider": 403,
    }
    assert client_for(None).get(url).status_code == 302


def test_the_timeline_shows_the_deadlines_in_administrative_style_with_statuses(
    organiser: User, conference: Conference, client_for: Callable[[User | None], Client]
) -> None:
    first = conference.candidacies.get(order=1)
    dossier_item_record(
        acting_user=organiser, candidacy=first, kind="report", received_on=date(2023, 6, 5)
    )
    dossier_item_record(
        acting_user=organiser,
        candidacy=first,
        kind="asset_declaration",
        received_on=date(2023, 6, 9),
    )
    q = question_record(
        acting_user=organiser,
        candidacy=first,
        asked_by="Đại diện Ủy ban Kiểm tra",
        received_on=date(2023, 6, 15),
        text="Đề nghị làm rõ nội dung kê khai.",
    )
    question_forward(acting_user=organiser, question=q, forwarded_on=date(2023, 6, 16))

    url = reverse("conferences:timeline", args=[conference.pk])
    page = client_for(organiser).get(url, {"ngay": "2023-06-20"}).content.decode()
    assert "ngày 12 tháng 6 năm 2023" in page  # D−15: dossiers to the ballot-fillers
    assert "ngày 24 tháng 6 năm 2023" in page  # D−3: answers
    assert "ngày 05 tháng 6 năm 2023" in page  # the report, received
    assert "Tình trạng tính đến ngày 20 tháng 6 năm 2023" in page
    assert 'data-status="on_time"' in page
    assert 'data-status="late"' in page  # the declaration, after D−20
    assert 'data-status="overdue"' in page  # the other persons' dossiers
    assert 'data-status="pending"' in page  # the answer, due D−3
    assert "Đề nghị làm rõ nội dung kê khai." in page
    assert reverse("conferences:question_answer", args=[conference.pk, q.pk]) in page
    assert 'id="ghi-ho-so"' in page

    supervisor = client_for(conference.supervisor_seats.get().user)
    supervisor_page = supervisor.get(url).content.decode()
    assert 'id="ghi-ho-so"' not in supervisor_page
    assert reverse("conferences:question_answer", args=[conference.pk, q.pk]) not in supervisor_page


def test_the_pages_are_linked_from_the_conference_and_the_round(
    conference: Conference, organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(organiser)
    detail = client.get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    assert reverse("conferences:timeline", args=[conference.pk]) in detail
    round_page = client.get(reverse("campaigns:round", args=[conference.round_id]))
    assert (
        reverse("conferences:dashboard", args=[conference.round_id]) in round_page.content.decode()
    )


def test_an_organiser_records_items_questions_forwarding_and_answers_through_the_forms(
    organiser: User, conference: Conference, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(organiser)
    first = conference.candidacies.get(order=1)
    response = client.post(
        reverse("conferences:dossier_item_add", args=[conference.pk]),
        {"candidacy": first.pk, "kind": "report", "received_on": "2023-06-05", "note": ""},
        follow=True,
    )
    assert "Đã ghi nhận hồ sơ" in response.content.decode()
    assert DossierItem.objects.get(candidacy=first).received_on == date(2023, 6, 5)

    client.post(
        reverse("conferences:question_add", args=[conference.pk]),
        {
            "candidacy": first.pk,
            "asked_by": "Một người ghi phiếu",
            "received_on": "2023-06-14",
            "text": "Đề nghị làm rõ.",
        },
    )
    q = WrittenQuestion.objects.get(candidacy=first)
    client.post(
        reverse("conferences:question_forward", args=[conference.pk, q.pk]),
        {"forwarded_on": "2023-06-15"},
    )
    client.post(
        reverse("conferences:question_answer", args=[conference.pk, q.pk]),
        {"answered_on": "2023-06-23", "note": "Giải trình bằng văn bản"},
    )
    q.refresh_from_db()
    assert (q.forwarded_on, q.answered_on, q.answer_note) == (
        date(2023, 6, 15),
        date(2023, 6, 23),
        "Giải trình bằng văn bản",
    )


def test_a_refused_record_shows_the_reason_and_writes_nothing(
    organiser: User, conference: Conference, client_for: Callable[[User | None], Client]
) -> None:
    first = conference.candidacies.get(order=1)
    response = client_for(organiser).post(
        reverse("conferences:dossier_item_add", args=[conference.pk]),
        {"candidacy": first.pk, "kind": "report", "received_on": "2023-06-28"},
        follow=True,
    )
    assert response.status_code == 200
    assert "sau ngày lấy phiếu" in response.content.decode()
    assert not DossierItem.objects.exists()


def test_only_organisers_may_record(
    conference: Conference,
    supervisor_user: User,
    member_user: User,
    client_for: Callable[[User | None], Client],
) -> None:
    first = conference.candidacies.get(order=1)
    for user in (supervisor_user, member_user):
        response = client_for(user).post(
            reverse("conferences:dossier_item_add", args=[conference.pk]),
            {"candidacy": first.pk, "kind": "report", "received_on": "2023-06-05"},
        )
        assert response.status_code == 403
    assert not DossierItem.objects.exists()


def test_a_question_of_another_conference_is_not_found(
    organiser: User, conference: Conference, client_for: Callable[[User | None], Client]
) -> None:
    agency = make_agency(organiser, conference.round, name="Sở Nội vụ")
    other = make_conference(
        organiser, agency, make_officials(organiser, agency, PEOPLE[4:5]), title="Hội nghị khác"
    )
    q = question_record(
        acting_user=organiser,
        candidacy=other.candidacies.get(),
        asked_by="Cấp có thẩm quyền",
        received_on=date(2023, 6, 10),
        text="Nội dung",
    )
    response = client_for(organiser).post(
        reverse("conferences:question_forward", args=[conference.pk, q.pk]),
        {"forwarded_on": "2023-06-12"},
    )
    assert response.status_code == 404


def test_a_supervisor_sees_on_the_dashboard_only_the_conferences_of_their_seats(
    organiser: User,
    supervisor_user: User,
    conference: Conference,
    client_for: Callable[[User | None], Client],
) -> None:
    agency = make_agency(organiser, conference.round, name="Sở Nội vụ")
    make_conference(
        organiser,
        agency,
        make_officials(organiser, agency, PEOPLE[4:5]),
        title="Hội nghị Sở Nội vụ",
    )
    url = reverse("conferences:dashboard", args=[conference.round_id])
    mine = client_for(supervisor_user).get(url, {"ngay": "2023-06-20"}).content.decode()
    everything = client_for(organiser).get(url, {"ngay": "2023-06-20"}).content.decode()
    assert "Hội nghị Sở Nội vụ" in everything
    assert "Hội nghị Sở Nội vụ" not in mine
    assert conference.title in mine
    assert "Quá hạn" in mine


@pytest.mark.parametrize("name", ["timeline.html", "dashboard.html"])
def test_the_templates_carry_no_inline_script_or_style(name: str) -> None:
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    assert "<script" not in text
    assert "style=" not in text
    assert "<style" not in text
