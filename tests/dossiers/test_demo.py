"""The demo's THADS conference has a few dossier items and a question, so the
round's dashboard is not empty; loading twice records nothing twice."""

from __future__ import annotations

from datetime import date

import pytest

from tinnhiem.campaigns.models import VoteRound
from tinnhiem.common.audit import verify_chain
from tinnhiem.conferences.dossiers import conference_timeline, round_dashboard
from tinnhiem.conferences.models import DossierItem, WrittenQuestion
from tinnhiem.config.demo import HB2023_NUMBER, load_demo
from tinnhiem.rules import DeadlineStatus

pytestmark = pytest.mark.django_db


def test_the_demo_dashboard_shows_overdue_steps_and_loading_twice_adds_nothing() -> None:
    load_demo()
    counts = (DossierItem.objects.count(), WrittenQuestion.objects.count())
    assert counts == (3, 1)
    vote_round = VoteRound.objects.get(number=HB2023_NUMBER)
    conference = vote_round.conferences.get()

    dashboard = round_dashboard(vote_round, date(2023, 6, 26))
    assert dashboard.overdue
    assert {r.conference.pk for r in dashboard.overdue} == {conference.pk}
    timeline = conference_timeline(conference, date(2023, 6, 26))
    statuses = [p.item("report").status for p in timeline.people]
    assert statuses == [DeadlineStatus.ON_TIME, DeadlineStatus.LATE, DeadlineStatus.OVERDUE]

    load_demo()
    assert (DossierItem.objects.count(), WrittenQuestion.objects.count()) == counts
    assert verify_chain() is None
