"""A person polled in two places is shown with both results, for the competent
level's "xem xét tổng thể" (Quy định 96-QĐ/TW Điều 11; KH 240 §C.VI.4)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tinnhiem.accounts.models import User
from tinnhiem.campaigns.selectors import round_results_view
from tinnhiem.campaigns.services import agency_create, block_create, official_create, round_create
from tinnhiem.common.errors import ServiceError
from tinnhiem.conferences.models import CommitteeRole, PlaceKind
from tinnhiem.conferences.services import (
    candidacy_add,
    checkin_open,
    committee_member_add,
    conference_create,
    voter_add,
    voter_set_attendance,
    voting_close,
    voting_open,
)
from tinnhiem.counting.services import entry_save, results_confirm

pytestmark = pytest.mark.django_db


def _run_conference(org, head, c1, c2, vote_round, agency, official, place, digits):  # type: ignore[no-untyped-def]
    conf = conference_create(
        acting_user=org,
        vote_round=vote_round,
        agency=agency,
        title=f"Hội nghị {place}",
        date=date(2023, 9, 12),
        place_kind=place,
    )
    candidacy_add(acting_user=org, conference=conf, official=official)
    voters = [
        voter_add(acting_user=org, conference=conf, full_name=f"Đại biểu {place} {i}")
        for i in range(1, 4)
    ]
    for voter, (role, user, entry_pass) in zip(
        voters,
        [
            (CommitteeRole.HEAD, head, None),
            (CommitteeRole.MEMBER, c1, 1),
            (CommitteeRole.MEMBER, c2, 2),
        ],
        strict=True,
    ):
        committee_member_add(
            acting_user=org,
            conference=conf,
            voter=voter,
            role=role,
            user=user,
            entry_pass=entry_pass,
        )
    checkin_open(acting_user=org, conference=conf)
    for v in voters:
        voter_set_attendance(acting_user=org, voter=v, attendance="present")
    voting_open(acting_user=org, conference=conf, ballots_issued=3)
    voting_close(acting_user=org, conference=conf)
    for entry_pass, clerk in ((1, c1), (2, c2)):
        for number, d in enumerate(digits, start=1):
            entry_save(
                acting_user=clerk,
                conference=conf,
                entry_pass=entry_pass,
                number=number,
                payload={"digits": d},
            )
    results_confirm(acting_user=head, conference=conf)
    return conf


def test_a_person_polled_in_two_places_is_flagged_with_both_results() -> None:
    org = User.objects.create_user("org", password="x", is_organiser=True)
    head = User.objects.create_user("head", password="x")
    c1 = User.objects.create_user("c1", password="x")
    c2 = User.objects.create_user("c2", password="x")
    vote_round = round_create(
        acting_user=org,
        number="9-KH/TU",
        title="Đợt thử",
        issuing_body="Tỉnh ủy",
        issued_on=date(2023, 8, 1),
        vote_year=2023,
        profile_id="qd96-2023",
    )
    block = block_create(acting_user=org, vote_round=vote_round, name="Khối thử")
    agency = agency_create(acting_user=org, block=block, name="Sở Thử nghiệm")
    official = official_create(
        acting_user=org, agency=agency, full_name="Đoàn Minh Khuê", position="Giám đốc"
    )
    _run_conference(
        org, head, c1, c2, vote_round, agency, official, PlaceKind.PARTY_COMMITTEE, ["1", "1", "3"]
    )
    second = _run_conference(
        org, head, c1, c2, vote_round, agency, official, PlaceKind.WORKPLACE, ["2", "2", "1"]
    )

    client = Client()
    client.force_login(head)
    page = client.get(f"/kiem-phieu/{second.pk}/ket-qua/").content.decode()
    assert "Được lấy phiếu ở hai nơi" in page
    assert "Cấp ủy cao nhất" in page

    view = round_results_view(vote_round)
    assert [(o.full_name, len(places)) for o, places in view.two_places] == [("Đoàn Minh Khuê", 2)]

    # A third place is refused by the rules core (at most 2 places, 96-QĐ/TW).
    third = conference_create(
        acting_user=org,
        vote_round=vote_round,
        agency=agency,
        title="Hội nghị HĐND",
        date=date(2023, 9, 12),
        place_kind=PlaceKind.PEOPLES_COUNCIL,
    )
    with pytest.raises(ServiceError) as refused:
        candidacy_add(acting_user=org, conference=third, official=official)
    assert refused.value.code == "too_many_places"
