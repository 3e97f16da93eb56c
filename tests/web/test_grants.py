"""Roles per organisation: the organising department of one round, the
office of one agency, a summoned member with an account."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.builders import (
    make_agency,
    make_conference,
    make_officials,
    make_round,
    make_user,
    names,
)
from tinnhiem.accounts.models import User
from tinnhiem.campaigns.models import Agency, Grant, GrantKind, Official
from tinnhiem.campaigns.services import grant_add, grant_remove
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.models import AuditEntry
from tinnhiem.conferences.models import Conference
from tinnhiem.conferences.services import voters_add_many
from tinnhiem.counting.models import ConfirmedResult


def test_a_grant_names_an_active_account_and_for_an_office_an_agency_of_the_round(
    organiser: User, agency: Agency
) -> None:
    user = make_user("vp_so")
    vote_round = agency.round
    with pytest.raises(ServiceError) as e:
        grant_add(
            acting_user=organiser,
            vote_round=vote_round,
            kind="agency_organiser",
            username="khong-co",
        )
    assert e.value.code == "unknown_account"
    with pytest.raises(ServiceError) as e:
        grant_add(
            acting_user=organiser, vote_round=vote_round, kind="agency_organiser", username="vp_so"
        )
    assert e.value.code == "grant_agency"
    other_round = make_round(organiser, number="98-KH/TU")
    foreign = make_agency(organiser, other_round, name="Sở Y tế")
    with pytest.raises(ServiceError):
        grant_add(
            acting_user=organiser,
            vote_round=vote_round,
            kind="agency_organiser",
            username="vp_so",
            agency=foreign,
        )
    grant = grant_add(
        acting_user=organiser,
        vote_round=vote_round,
        kind="agency_organiser",
        username="vp_so",
        agency=agency,
    )
    with pytest.raises(ServiceError) as e:
        grant_add(
            acting_user=organiser,
            vote_round=vote_round,
            kind="agency_organiser",
            username="vp_so",
            agency=agency,
        )
    assert e.value.code == "grant_exists"
    grant_remove(acting_user=organiser, grant=grant)
    assert not Grant.objects.filter(user=user).exists()
    actions = list(
        AuditEntry.objects.filter(object_type="campaigns.grant").values_list("action", flat=True)
    )
    assert actions == ["grant.add", "grant.remove"]


def test_an_agencys_office_prepares_its_own_conference_and_sees_no_result(
    organiser: User,
    agency: Agency,
    conference: Conference,
    confirmed: ConfirmedResult,
    client_for: Callable[[User | None], Client],
) -> None:
    office = make_user("vp_so")
    grant_add(
        acting_user=organiser,
        vote_round=agency.round,
        kind="agency_organiser",
        username="vp_so",
        agency=agency,
    )
    other_agency = make_agency(organiser, agency.round, name="Sở Xây dựng")
    others = make_officials(organiser, other_agency, names(130, 2))
    elsewhere = make_conference(organiser, other_agency, others, title="Hội nghị Sở Xây dựng")
    client = client_for(office)
    assert client.get(reverse("conferences:detail", args=[conference.pk])).status_code == 200
    # Prepares: the summoned members of its agency's conference in preparation.
    preparing = make_conference(organiser, agency, title="Hội nghị bổ sung")
    response = client.post(
        reverse("conferences:voters_add", args=[preparing.pk]), {"lines": "Người Mới; Chuyên viên"}
    )
    assert response.status_code == 302
    assert preparing.voters.filter(full_name="Người Mới").exists()
    # Neither the result nor the people on the ballot nor another agency.
    assert (
        client.get(reverse("counting:results", args=[confirmed.conference_id])).status_code == 403
    )
    assert client.get(reverse("conferences:detail", args=[elsewhere.pk])).status_code == 403
    assert client.get(reverse("campaigns:round_results", args=[agency.round_id])).status_code == 403
    official: Official = others[0]
    response = client.post(
        reverse("conferences:candidate_add", args=[conference.pk]), {"official": official.pk}
    )
    assert response.status_code == 403
    # The round page shows its agency's conferences, not the others.
    page = client.get(reverse("campaigns:round", args=[agency.round_id])).content.decode()
    assert conference.title in page
    assert elsewhere.title not in page


def test_the_organiser_of_one_round_sees_its_results_and_not_another_rounds(
    organiser: User,
    confirmed: ConfirmedResult,
    client_for: Callable[[User | None], Client],
) -> None:
    vote_round = confirmed.conference.round
    other = make_round(organiser, number="98-KH/TU")
    user = make_user("btc_huyen")
    grant_add(
        acting_user=organiser, vote_round=vote_round, kind="round_organiser", username="btc_huyen"
    )
    client = client_for(user)
    assert client.get(reverse("campaigns:round_results", args=[vote_round.pk])).status_code == 200
    assert client.get(reverse("campaigns:round_results", args=[other.pk])).status_code == 403
    assert client.get(reverse("campaigns:grants", args=[vote_round.pk])).status_code == 200
    assert client.get(reverse("campaigns:grants", args=[other.pk])).status_code == 403
    # The audit log, limited to that round's conferences.
    assert client.get(reverse("common:audit")).status_code == 200


def test_the_grants_page_gives_and_takes_back_a_role(
    organiser: User, agency: Agency, client_for: Callable[[User | None], Client]
) -> None:
    make_user("vp_so")
    url = reverse("campaigns:grants", args=[agency.round_id])
    client = client_for(organiser)
    response = client.post(url, {"username": "vp_so", "kind": "agency_organiser", "agency": ""})
    assert "Hãy chọn một cơ quan, đơn vị của kế hoạch này." in response.content.decode()
    response = client.post(
        url, {"username": "vp_so", "kind": "agency_organiser", "agency": agency.pk}
    )
    assert response.status_code == 302
    grant = Grant.objects.get(user__username="vp_so")
    assert (grant.kind, grant.agency) == (GrantKind.AGENCY_ORGANISER, agency)
    assert "vp_so" in client.get(url).content.decode()
    client.post(url, {"remove": grant.pk})
    assert not Grant.objects.exists()


def test_a_summoned_member_with_an_account_sees_the_result_once_confirmed(
    organiser: User,
    head_user: User,
    entered_conference: Conference,
    client_for: Callable[[User | None], Client],
) -> None:
    from tinnhiem.counting.services import results_confirm

    member = make_user("nguoighiphieu")
    seated = entered_conference.committee.values_list("voter_id", flat=True)
    voter = entered_conference.voters.exclude(pk__in=list(seated)).first()
    assert voter is not None
    voter.user = member
    voter.save()
    url = reverse("counting:results", args=[entered_conference.pk])
    client = client_for(member)
    assert client.get(url).status_code == 403  # counting: not yet
    results_confirm(acting_user=head_user, conference=entered_conference)
    assert client.get(url).status_code == 200
    assert (
        client.get(reverse("counting:reconcile", args=[entered_conference.pk])).status_code == 403
    )
    assert (
        client.get(reverse("counting:entry_log", args=[entered_conference.pk])).status_code == 403
    )


def test_summoned_members_are_linked_to_accounts_by_login_name_all_or_nothing(
    organiser: User, conference: Conference
) -> None:
    make_user("an.nv")
    with pytest.raises(ServiceError) as e:
        voters_add_many(
            acting_user=organiser,
            conference=conference,
            lines="Nguyễn Văn An; Chuyên viên; an.nv\nTrần Thị Bình; Kế toán; khong-co",
        )
    assert "Dòng 2:" in e.value.message
    assert "khong-co" in e.value.message
    assert not conference.voters.exists()
    added = voters_add_many(
        acting_user=organiser,
        conference=conference,
        lines="Nguyễn Văn An; Chuyên viên; an.nv\nTrần Thị Bình; Kế toán",
    )
    assert [(v.user.username if v.user else None) for v in added] == ["an.nv", None]
    assert added[0].position == "Chuyên viên"


def test_whoever_creates_a_round_organises_it(
    organiser: User, agency: Agency, client_for: Callable[[User | None], Client]
) -> None:
    district = make_user("btc_huyen")
    grant_add(
        acting_user=organiser, vote_round=agency.round, kind="round_organiser", username="btc_huyen"
    )
    form = {
        "number": "07-KH/HU",
        "title": "Lấy phiếu tín nhiệm cấp huyện (thử nghiệm)",
        "issuing_body": "Ban Thường vụ Huyện ủy",
        "issued_on": "2023-09-01",
        "vote_year": "2023",
        "profile_id": "qd96-2023",
    }
    url = reverse("campaigns:round_create")
    assert client_for(make_user("nguoingoai")).post(url, form).status_code == 403
    response = client_for(district).post(url, form)
    assert response.status_code == 302
    created = Grant.objects.get(user=district, round__number="07-KH/HU")
    assert created.kind == GrantKind.ROUND_ORGANISER
    # The installation-wide organiser needs no grant.
    form["number"] = "08-KH/TU"
    assert client_for(organiser).post(url, form).status_code == 302
    assert not Grant.objects.filter(round__number="08-KH/TU").exists()
