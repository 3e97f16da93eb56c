"""The round results page: confidential, audited on every view, and never
stale although its body is kept between requests."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from tinnhiem.accounts.models import User
from tinnhiem.campaigns.services import official_create
from tinnhiem.common.models import AuditEntry
from tinnhiem.counting.models import ConfirmedResult
from tinnhiem.counting.services import result_amend


def test_every_view_is_audited_and_an_amendment_shows_at_once(
    confirmed: ConfirmedResult,
    organiser: User,
    head_user: User,
    client_for: Callable[[User | None], Client],
) -> None:
    conference = confirmed.conference
    url = reverse("campaigns:round_results", args=[conference.round_id])
    client = client_for(organiser)
    first = client.get(url).content.decode()
    again = client.get(url).content.decode()
    main = slice(first.index("<main"), first.index("</main>"))
    assert first[main] == again[main]
    assert confirmed.sha256[:16] in first
    views = AuditEntry.objects.filter(action="round.results_view", actor_id=organiser.pk)
    assert views.count() == 2
    amended = result_amend(
        acting_user=head_user,
        conference=conference,
        number=1,
        payload={"digits": "333"},
        reason="Phúc tra",
    )
    after = client.get(url).content.decode()
    assert amended.sha256[:16] in after
    assert confirmed.sha256[:16] not in after


def test_a_new_official_changes_the_fingerprint(
    confirmed: ConfirmedResult, organiser: User
) -> None:
    from tinnhiem.campaigns.selectors import round_results_fingerprint

    vote_round = confirmed.conference.round
    before = round_results_fingerprint(vote_round)
    assert round_results_fingerprint(vote_round) == before
    official_create(
        acting_user=organiser,
        agency=confirmed.conference.agency,
        full_name="Người Mới Thêm",
        position="Phó Giám đốc",
    )
    assert round_results_fingerprint(vote_round) != before
