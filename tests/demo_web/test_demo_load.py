"""`tinnhiem demo` loads a realistic round through the services, once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tinnhiem.accounts.models import User
from tinnhiem.campaigns.models import Agency, Official, VoteRound
from tinnhiem.campaigns.selectors import round_results_view
from tinnhiem.cli.main import main as cli
from tinnhiem.common.audit import verify_chain
from tinnhiem.conferences.models import Conference, Status
from tinnhiem.conferences.services import voting_close
from tinnhiem.config.demo import HB2018_NUMBER, HB2023_NUMBER, LS2023_NUMBER, load_demo
from tinnhiem.config.demo_evote import (
    ALREADY_VOTED,
    CARDS_PDF,
    EVOTE_NUMBER,
    PRESENT,
    demo_cards,
    evote_dir,
)
from tinnhiem.counting.models import ConfirmedResult
from tinnhiem.crypto.ballot import encrypt_ballot, sign_ballot
from tinnhiem.crypto.canonical import dumps
from tinnhiem.crypto.credentials import credential_keypair
from tinnhiem.crypto.randomness import SeededRandom
from tinnhiem.crypto.verify import verify_archive
from tinnhiem.evote import services
from tinnhiem.evote.models import Election, Phase
from tinnhiem.rules import Level
from tinnhiem.rules.statistics import ShareBand

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_demo_loads_the_published_figures_a_live_conference_and_an_intact_audit_chain() -> None:
    load_demo()
    _the_province_round_reproduces_the_published_hoa_binh_figures()
    _the_thads_conference_waits_at_check_in_with_its_committee()
    assert verify_chain() is None


def _the_province_round_reproduces_the_published_hoa_binh_figures() -> None:
    vote_round = VoteRound.objects.get(number=HB2018_NUMBER)
    view = round_results_view(vote_round)
    stats = view.statistics
    assert stats is not None
    overall = stats.overall
    assert (overall.agencies_held, overall.agencies_total) == (49, 50)
    assert overall.persons == 156
    assert [
        overall.classes[lv].percent_vi() for lv in (Level.HIGH, Level.CONFIDENCE, Level.LOW)
    ] == [
        "92,95%",
        "6,41%",
        "0,64%",
    ]
    assert [overall.classes[lv].count for lv in (Level.HIGH, Level.CONFIDENCE, Level.LOW)] == [
        145,
        10,
        1,
    ]
    bands = overall.high_share_bands
    assert [
        bands[b].count
        for b in (ShareBand.FULL, ShareBand.FROM_80, ShareBand.FROM_70, ShareBand.FROM_60)
    ] == [
        56,
        73,
        10,
        6,
    ]
    assert bands[ShareBand.FULL].percent_vi() == "38,62%"
    assert overall.high_at_least_70.percent_vi() == "95,86%"
    assert [(b.agencies_held, b.agencies_total, b.persons) for b in stats.blocks] == [
        (14, 15, 41),
        (26, 26, 90),
        (9, 9, 25),
    ]


def _the_thads_conference_waits_at_check_in_with_its_committee() -> None:
    conference = Conference.objects.get(round__number=HB2023_NUMBER)
    assert conference.status == Status.CHECKIN
    assert conference.candidacies.count() == 3
    assert conference.voters.count() == 14
    roles = sorted(
        (m.role, m.entry_pass, m.user.username if m.user else None)
        for m in conference.committee.all()
    )
    assert roles == [("head", None, "truongban"), ("member", 1, "thuky1"), ("member", 2, "thuky2")]
    # The official appointed in the vote year exists but is not on the ballot.
    on_ballot = set(conference.candidacies.values_list("official_id", flat=True))
    assert Official.objects.filter(round=conference.round).exclude(pk__in=on_ballot).count() == 1


def test_loading_twice_neither_fails_nor_duplicates() -> None:
    load_demo()
    counts = (
        VoteRound.objects.count(),
        Agency.objects.count(),
        Official.objects.count(),
        Conference.objects.count(),
        ConfirmedResult.objects.count(),
    )
    load_demo()
    assert (
        VoteRound.objects.count(),
        Agency.objects.count(),
        Official.objects.count(),
        Conference.objects.count(),
        ConfirmedResult.objects.count(),
    ) == counts
    assert set(VoteRound.objects.values_list("number", flat=True)) == {
        HB2018_NUMBER,
        HB2023_NUMBER,
        LS2023_NUMBER,
        EVOTE_NUMBER,
    }


def test_the_demo_has_an_open_electronic_ballot_box_its_committee_can_count(
    settings: Any, tmp_path: Path
) -> None:
    """The People's Council session: keys made with the members' own tool, cards
    handed out, 30 delegates voted; a demo card casts, and two members' demo
    keystores decrypt the closed box with ``tinnhiem trustee decrypt``."""
    settings.DATA_DIR = tmp_path
    load_demo()
    election = Election.objects.get(conference__round__number=EVOTE_NUMBER)
    conference = election.conference
    assert (election.phase, conference.status) == (Phase.VOTING, Status.VOTING)
    assert (election.ballots, election.voters) == (ALREADY_VOTED, ALREADY_VOTED)
    assert verify_archive(services.archive_json(election)).ok
    cards = demo_cards(tmp_path)
    assert len(cards) == PRESENT - ALREADY_VOTED
    assert (evote_dir(tmp_path) / CARDS_PDF).read_bytes().startswith(b"%PDF")
    core = services.election_setup(election).election
    rng = SeededRandom(b"demo-voter")
    keys = credential_keypair(core.uuid, cards[0])
    body, _ = encrypt_ballot(core, keys.public, ["thap"] * len(core.persons), rng)
    services.ballot_cast(
        election=election, ballot=sign_ballot(core, body, keys.secret, rng).to_json()
    )

    head = User.objects.get(username="truongban")
    voting_close(acting_user=head, conference=Conference.objects.get(pk=conference.pk))
    election = services.voting_end(acting_user=head, election=Election.objects.get(pk=election.pk))
    archive, minutes = tmp_path / "archive.json", tmp_path / "minutes.json"
    archive.write_bytes(dumps(services.archive_json(election)))
    minutes.write_bytes(dumps(services.minutes_json(election)))
    for j in (1, 3):
        out = tmp_path / f"partial-{j}.json"
        store = evote_dir(tmp_path) / f"thanh-vien-{j}"
        argv = ["trustee", "decrypt", str(archive), "--keystore", str(store)]
        assert cli([*argv, "--minutes", str(minutes), "--workers", "1", "--out", str(out)]) == 0
        services.partial_decryption_upload(
            acting_user=head, election=Election.objects.get(pk=election.pk), data=out.read_bytes()
        )
    election = Election.objects.get(pk=election.pk)
    assert election.phase == Phase.FINAL
    assert election.result is not None
    for counts in election.result["counts"]:
        assert sum(counts.values()) == ALREADY_VOTED + 1
        assert counts["thap"] >= 1
    assert verify_chain() is None
