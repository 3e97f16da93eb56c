"""Who sees a confirmed result (công khai kết quả): an HĐND post under
Nghị quyết 96/2023/QH15 is public once confirmed (khoản 6 Điều 19); a party
post under Quy định 96-QĐ/TW never is; the polled person sees their own."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.web.builders import (
    build_counting_conference,
    enter_both,
    make_agency,
    make_round,
    make_user,
)
from tinnhiem.accounts.models import User
from tinnhiem.common.models import AuditEntry
from tinnhiem.conferences.models import Conference
from tinnhiem.counting.services import results_confirm
from tinnhiem.rules import get_profile

pytestmark = pytest.mark.django_db


def _confirmed(profile_id: str, place_kind: str, seed: int) -> tuple[Conference, User]:
    org = make_user(f"org{seed}", organiser=True)
    head = make_user(f"head{seed}")
    c1 = make_user(f"c1x{seed}")
    c2 = make_user(f"c2x{seed}")
    vote_round = make_round(org, number=f"{seed}-KH", profile_id=profile_id)
    conference = build_counting_conference(
        organiser=org,
        head=head,
        clerk1=c1,
        clerk2=c2,
        agency=make_agency(org, vote_round),
        candidates=3,
        summoned=6,
        present=5,
        seed=seed,
        title=f"Hội nghị {profile_id} {place_kind}",
    )
    Conference.objects.filter(pk=conference.pk).update(place_kind=place_kind)
    n = conference.candidacies.count()
    enter_both(conference, c1, c2, ["1" * n, "2" * n, "1" * n])
    results_confirm(acting_user=head, conference=conference)
    return conference, org


def test_the_profiles_say_who_may_see_results() -> None:
    assert get_profile("nq96-2023").disclosure.public
    assert get_profile("nq85-2014").disclosure.public
    assert not get_profile("qd96-2023").disclosure.public
    assert not get_profile("qd262-2014").disclosure.public
    assert "Cá nhân người được lấy phiếu tín nhiệm" in get_profile("qd96-2023").disclosure.audiences


def test_an_hdnd_post_under_nq96_is_public_once_confirmed_and_a_party_post_never(
    client: Client,
) -> None:
    public, _ = _confirmed("nq96-2023", "peoples_council", 61)
    secret, _ = _confirmed("qd96-2023", "party_committee", 62)
    listing = client.get("/cong-khai/").content.decode()
    assert public.title in listing
    assert secret.title not in listing
    page = client.get(f"/cong-khai/{public.pk}/")
    assert page.status_code == 200
    name = public.candidacies.first().official.full_name  # type: ignore[union-attr]
    assert name in page.content.decode()
    assert client.get(f"/cong-khai/{secret.pk}/").status_code == 404


def test_the_polled_person_sees_their_own_result_and_nobody_elses(
    client_for_user: Callable[[User], Client],
) -> None:
    conference, _org = _confirmed("qd96-2023", "workplace", 63)
    first, second = list(conference.candidacies.select_related("official"))[:2]
    person = make_user("nguoiduoclayphieu")
    first.official.user = person
    first.official.save()
    page = client_for_user(person).get("/kiem-phieu/ket-qua-cua-toi/").content.decode()
    assert conference.title in page
    assert 'id="my-results"' in page
    assert AuditEntry.objects.filter(action="result.view_own", actor=person).exists()
    # The other person's name is nowhere on the page.
    assert second.official.full_name not in page
    # And the confidential conference page stays closed to them.
    assert client_for_user(person).get(f"/kiem-phieu/{conference.pk}/ket-qua/").status_code == 403


@pytest.fixture
def client_for_user(client: Client) -> Callable[[User], Client]:
    def login(user: User) -> Client:
        client.force_login(user)
        return client

    return login
