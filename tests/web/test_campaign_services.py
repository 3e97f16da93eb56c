"""Campaign services and the round selectors: rounds under a profile, blocks,
agencies, officials, and eligibility as the round page shows it."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.builders import (
    APPOINTED_THIS_YEAR,
    make_agency,
    make_conference,
    make_officials,
    make_round,
    names,
)
from tinnhiem.accounts.models import User
from tinnhiem.campaigns.models import Agency, Official, VoteRound
from tinnhiem.campaigns.selectors import (
    official_rows,
    officials_query,
    round_overview,
    round_results_view,
)
from tinnhiem.campaigns.services import (
    agency_create,
    block_create,
    official_create,
    round_create,
    round_profile,
    round_set_parameters,
)
from tinnhiem.common.errors import ServiceError
from tinnhiem.conferences.models import Conference
from tinnhiem.counting.models import ConfirmedResult
from tinnhiem.rules import Basis


def test_a_round_is_created_under_a_profile_with_its_named_overrides(organiser: User) -> None:
    vote_round = make_round(organiser, overrides={"percentage_base": "issued"})
    assert vote_round.profile_id == "qd96-2023"
    assert round_profile(vote_round).params.percentage_base is Basis.ISSUED


@pytest.mark.parametrize(
    ("profile_id", "overrides", "code"),
    [
        ("qd96-9999", {}, "unknown_profile"),
        ("qd96-2023", {"khong_co_tham_so": 1}, "invalid_parameter"),
        ("qd96-2023", {"percentage_base": "half"}, "invalid_parameter"),
    ],
)
def test_a_round_under_an_unknown_profile_or_parameter_is_refused(
    organiser: User, profile_id: str, overrides: dict[str, object], code: str
) -> None:
    with pytest.raises(ServiceError) as e:
        make_round(organiser, profile_id=profile_id, overrides=overrides)
    assert e.value.code == code
    assert e.value.message
    assert not VoteRound.objects.exists()


def test_parameters_change_until_a_result_is_confirmed(
    organiser: User, confirmed: ConfirmedResult, vote_round: VoteRound
) -> None:
    with pytest.raises(ServiceError) as e:
        round_set_parameters(
            acting_user=organiser, vote_round=vote_round, overrides={"percentage_base": "issued"}
        )
    assert e.value.code == "round_has_results"
    assert VoteRound.objects.get(pk=vote_round.pk).parameter_overrides == {}


def test_parameters_can_be_changed_before_any_confirmation(
    organiser: User, vote_round: VoteRound
) -> None:
    round_set_parameters(
        acting_user=organiser, vote_round=vote_round, overrides={"percentage_base": "issued"}
    )
    with pytest.raises(ServiceError) as e:
        round_set_parameters(
            acting_user=organiser, vote_round=vote_round, overrides={"quorum_fraction": "x"}
        )
    assert e.value.code == "invalid_parameter"
    stored = VoteRound.objects.get(pk=vote_round.pk)
    assert stored.parameter_overrides == {"percentage_base": "issued"}


def test_block_and_agency_names_are_unique_within_a_round(
    organiser: User, vote_round: VoteRound, agency: Agency
) -> None:
    with pytest.raises(ServiceError) as e:
        block_create(acting_user=organiser, vote_round=vote_round, name=" Khối chính quyền ")
    assert e.value.code == "duplicate_block"
    with pytest.raises(ServiceError) as e:
        agency_create(acting_user=organiser, block=agency.block, name="Sở Tư pháp")
    assert e.value.code == "duplicate_agency"
    other = make_round(organiser, number="3-KH/KHAC")
    same_name = block_create(acting_user=organiser, vote_round=other, name="Khối chính quyền")
    assert agency_create(acting_user=organiser, block=same_name, name="Sở Tư pháp").pk


def test_an_officials_name_is_stored_in_nfc_however_it_was_typed(
    organiser: User, agency: Agency
) -> None:
    name = names(61, 1)[0]
    official = official_create(
        acting_user=organiser,
        agency=agency,
        full_name="  " + unicodedata.normalize("NFD", name) + " ",
        position=unicodedata.normalize("NFD", "Phó Giám đốc"),
    )
    assert official.full_name == name
    assert official.position == "Phó Giám đốc"


def test_the_round_overview_shows_every_official_with_the_rules_cores_decision(
    organiser: User, agency: Agency, conference: Conference, officials: list[Official]
) -> None:
    newcomer = make_officials(organiser, agency, names(62, 1), appointed_on=APPOINTED_THIS_YEAR)[0]
    retiring = official_create(
        acting_user=organiser,
        agency=agency,
        full_name=names(63, 1)[0],
        position="Trưởng phòng",
        retirement_notice=True,
        appointed_or_elected_on=date(2015, 1, 1),
    )
    everyone = list(officials_query(agency.round))
    rows = {r.official.pk: r for r in official_rows(agency.round, everyone)}
    assert len(rows) == len(everyone) == len(officials) + 2
    assert all(rows[o.pk].eligibility.eligible for o in officials)
    assert rows[officials[0].pk].places == ["Nơi công tác"]
    for excluded, code in ((newcomer, "appointed_in_vote_year"), (retiring, "retirement_notice")):
        row = rows[excluded.pk]
        assert [x.code.value for x in row.eligibility.exclusions] == [code]
        assert row.eligibility.exclusions[0].article.startswith("Điều 3 khoản 1 Quy định 96-QĐ/TW")
        assert row.places == []


def test_the_officials_list_filters_by_name_position_and_agency(
    organiser: User, agency: Agency, officials: list[Official]
) -> None:
    other = make_agency(organiser, agency.round, name="Sở Tài chính")
    stranger = official_create(
        acting_user=organiser, agency=other, full_name=names(64, 1)[0], position="Giám đốc"
    )
    by_name = list(officials_query(agency.round, search=officials[1].full_name.split()[-1]))
    assert officials[1] in by_name
    assert stranger not in by_name
    # Typed in decomposed Unicode (NFD), found as stored (NFC).
    nfd = unicodedata.normalize("NFD", officials[0].full_name)
    assert list(officials_query(agency.round, search=nfd)) == [officials[0]]
    assert list(officials_query(agency.round, agency_id=other.pk)) == [stranger]
    assert set(officials_query(agency.round, search="Giám đốc")) >= {stranger}
    assert list(officials_query(agency.round, search="không có ai tên này")) == []


def test_the_round_overview_hides_conferences_a_member_has_no_part_in(
    organiser: User,
    supervisor_user: User,
    outsider: User,
    agency: Agency,
    checkin_conference: Conference,
) -> None:
    make_conference(organiser, agency, title="Hội nghị khác của cơ quan")
    assert len(round_overview(agency.round, organiser).conferences) == 2
    seen = round_overview(agency.round, supervisor_user)
    assert (seen.conferences, seen.hidden_conferences) == ([checkin_conference], 1)
    nothing = round_overview(agency.round, outsider)
    assert (nothing.conferences, nothing.hidden_conferences) == ([], 2)


def test_round_results_gather_every_confirmed_conference_and_its_statistics(
    confirmed: ConfirmedResult, vote_round: VoteRound
) -> None:
    view = round_results_view(vote_round)
    assert [res for _conf, res in view.results] == [confirmed]
    assert view.agencies_total == 1
    assert view.statistics is not None
    assert view.statistics.overall.persons == 3
    assert view.two_places == []


def test_a_plan_issued_on_29_february_for_the_next_year_shows_its_officials(
    organiser: User, client: Client
) -> None:
    vote_round = round_create(
        acting_user=organiser,
        number="29-KH/TU",
        title="Kế hoạch ban hành ngày 29 tháng 02",
        issuing_body="Ban Thường vụ Tỉnh ủy",
        issued_on=date(2024, 2, 29),
        vote_year=2025,
        profile_id="qd96-2023",
    )
    agency = make_agency(organiser, vote_round)
    official = make_officials(organiser, agency, names(64, 1))[0]
    rows = official_rows(vote_round, list(officials_query(vote_round)))
    assert [(r.official, r.eligibility.eligible) for r in rows] == [(official, True)]
    client.force_login(organiser)
    assert client.get(reverse("campaigns:round", args=[vote_round.pk])).status_code == 200
    assert client.get(reverse("campaigns:officials", args=[vote_round.pk])).status_code == 200
