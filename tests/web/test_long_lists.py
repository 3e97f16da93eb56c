"""Pages that would list a whole province show a page or a search instead:
the officials of a round, the people to add to a ballot, the entry log, the
account of a committee member."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from tests.web.builders import make_agency, make_officials, names
from tinnhiem.accounts.models import User
from tinnhiem.campaigns.models import Agency, Official
from tinnhiem.campaigns.selectors import OFFICIALS_PER_PAGE
from tinnhiem.conferences.models import CommitteeRole, Conference, Voter
from tinnhiem.counting.views import ENTRY_LOG_PER_PAGE


def test_the_officials_page_is_paginated_and_searchable(
    organiser: User,
    agency: Agency,
    officials: list[Official],
    client_for: Callable[[User | None], Client],
) -> None:
    extra = make_officials(organiser, agency, names(100, OFFICIALS_PER_PAGE))
    url = reverse("campaigns:officials", args=[agency.round_id])
    client = client_for(organiser)
    first = client.get(url).content.decode()
    total = len(officials) + len(extra)
    assert f"{total} cán bộ." in first
    assert "Trang 1/2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "Trang 2/2" in second
    assert extra[-1].full_name in second
    assert extra[-1].full_name not in first
    found = client.get(url, {"q": officials[2].full_name}).content.decode()
    assert "1 cán bộ." in found
    assert officials[2].full_name in found
    nothing = client.get(url, {"q": "không có ai tên này"}).content.decode()
    assert "Không có cán bộ nào khớp." in nothing
    # A page number out of range shows the last page, a wrong one the first.
    assert "Trang 2/2" in client.get(url, {"page": 99}).content.decode()
    assert "Trang 1/2" in client.get(url, {"page": "x"}).content.decode()


def test_a_conference_in_preparation_lists_its_own_agency_and_searches_the_rest(
    organiser: User,
    agency: Agency,
    conference: Conference,
    client_for: Callable[[User | None], Client],
) -> None:
    own = make_officials(organiser, agency, names(120, 1))[0]
    elsewhere = make_agency(organiser, agency.round, name="Sở Xây dựng")
    stranger = make_officials(organiser, elsewhere, names(121, 1))[0]
    url = reverse("conferences:detail", args=[conference.pk])
    client = client_for(organiser)
    page = client.get(url).content.decode()
    assert f'data-add-official="{own.full_name}"' in page
    assert stranger.full_name not in page
    found = client.get(url, {"q": stranger.full_name}).content.decode()
    assert f'data-add-official="{stranger.full_name}"' in found
    response = client.post(
        reverse("conferences:candidate_add", args=[conference.pk]), {"official": stranger.pk}
    )
    assert response.status_code == 302
    assert conference.candidacies.filter(official=stranger).exists()


def test_a_committee_account_is_typed_as_its_login_name(
    organiser: User,
    clerk1: User,
    conference: Conference,
    voters: list[Voter],
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(organiser)
    add = reverse("conferences:committee_add", args=[conference.pk])
    page = client.get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    assert '<select name="user"' not in page  # no list of every account
    response = client.post(
        add, {"voter": voters[0].pk, "role": CommitteeRole.HEAD, "user": "khong-co-ai"}, follow=True
    )
    assert "Không có tài khoản đang hoạt động có tên đăng nhập “khong-co-ai”." in (
        response.content.decode()
    )
    assert not conference.committee.exists()
    client.post(
        add,
        {
            "voter": voters[0].pk,
            "role": CommitteeRole.HEAD,
            "user": clerk1.username,
            "entry_pass": 1,
        },
    )
    member = conference.committee.get()
    assert (member.user, member.entry_pass) == (clerk1, 1)


def test_the_entry_log_is_paginated_and_filtered_by_pass_and_ballot(
    entered_conference: Conference,
    head_user: User,
    client_for: Callable[[User | None], Client],
) -> None:
    url = reverse("counting:entry_log", args=[entered_conference.pk])
    client = client_for(head_user)
    lines = entered_conference.entry_log.count()
    assert 0 < lines < ENTRY_LOG_PER_PAGE
    page = client.get(url).content.decode()
    assert f"{lines} dòng." in page
    first_pass = entered_conference.entry_log.filter(entry_pass=1).count()
    assert f"{first_pass} dòng." in client.get(url, {"luot": "1"}).content.decode()
    ballot = entered_conference.entry_log.filter(number=3).count()
    assert ballot == 2  # once in each pass
    assert f"{ballot} dòng." in client.get(url, {"so": "3"}).content.decode()
    assert "0 dòng." in client.get(url, {"luot": "bkp"}).content.decode()
    # Nonsense filters are ignored, not an error.
    assert f"{lines} dòng." in client.get(url, {"luot": "x", "so": "y"}).content.decode()
