"""The e-voting part of ``tinnhiem demo``: a provincial People's Council session
whose delegates vote on tablets, with the ballot box open.

Loaded as the real ceremony runs, through the same files: the three members
of the counting committee make their keys with ``tinnhiem trustee`` (their
keystores land in ``<data>/demo-evote/thanh-vien-N/``, standing for their USB
keys), the cards are drawn as ``tinnhiem cards`` draws them (the printable
sheet in ``<data>/demo-evote/the-bo-phieu.pdf``), cards are handed to the
delegates present, the unissued ones voided, and voting opened. Some
delegates have already voted (their ballots encrypted and signed as their
tablets would); the remaining cards are left for whoever tries the demo.

The people are invented; the council's name is real.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from tinnhiem.cli.trustee_steps import write_private

EVOTE_NUMBER = "KH-HDND-HB-2023"
DELEGATES = 50
PRESENT = 46
SPARE_CARDS = 2
ALREADY_VOTED = 30
CARDS_PDF = "the-bo-phieu.pdf"
#: Only in the demo: the codes of the cards nobody has voted with yet, so that
#: whoever tries the demo can type one (a real card exists only on paper).
UNUSED_CARDS = "the-chua-dung.txt"
POSITIONS = [
    "Chủ tịch Hội đồng nhân dân tỉnh",
    "Phó Chủ tịch Hội đồng nhân dân tỉnh",
    "Phó Chủ tịch Hội đồng nhân dân tỉnh",
    "Trưởng Ban Pháp chế Hội đồng nhân dân tỉnh",
    "Trưởng Ban Kinh tế - Ngân sách Hội đồng nhân dân tỉnh",
    "Trưởng Ban Văn hóa - Xã hội Hội đồng nhân dân tỉnh",
    "Chủ tịch Ủy ban nhân dân tỉnh",
    "Phó Chủ tịch Ủy ban nhân dân tỉnh",
    "Phó Chủ tịch Ủy ban nhân dân tỉnh",
    "Giám đốc Sở Tài chính",
]


def evote_dir(data_dir: Path) -> Path:
    """Where the demo keeps what, in real life, stays off the server."""
    return data_dir / "demo-evote"


def load_evote_demo(users: dict[str, Any], data_dir: Path) -> None:
    """Load the session once (nothing happens if its round exists)."""
    from tinnhiem.campaigns.models import VoteRound

    if VoteRound.objects.filter(number=EVOTE_NUMBER).exists():
        return
    where = evote_dir(data_dir)
    shutil.rmtree(where, ignore_errors=True)  # a load that failed half-way left keys
    conference, election = _session(users)
    cards = _ceremony_and_cards(users, election, where)
    _open_and_vote(users, conference, election, cards)
    write_private(
        where / UNUSED_CARDS, "".join(c + "\n" for c in cards[ALREADY_VOTED:PRESENT]).encode()
    )


def demo_cards(data_dir: Path) -> list[str]:
    """The cards handed out in the demo whose holders have not voted yet."""
    try:
        return (evote_dir(data_dir) / UNUSED_CARDS).read_text().split()
    except OSError:
        return []


def _session(users: dict[str, Any]) -> tuple[Any, Any]:
    from tinnhiem.campaigns.services import (
        agency_create,
        block_create,
        official_create,
        round_create,
    )
    from tinnhiem.conferences.services import candidacy_add, conference_create, voter_add
    from tinnhiem.config.demo import seat_committee_and_open_checkin
    from tinnhiem.demo.names import NameGenerator
    from tinnhiem.evote import services

    organiser = users["bantochuc"]
    vote_round = round_create(
        acting_user=organiser,
        number=EVOTE_NUMBER,
        title="Lấy phiếu tín nhiệm tại kỳ họp thường lệ cuối năm 2023 của Hội đồng nhân dân "
        "tỉnh Hòa Bình (dữ liệu minh họa, bỏ phiếu điện tử)",
        issuing_body="Thường trực Hội đồng nhân dân tỉnh Hòa Bình",
        issued_on=date(2023, 11, 1),
        vote_year=2023,
        profile_id="nq96-2023",
    )
    block = block_create(
        acting_user=organiser, vote_round=vote_round, name="Hội đồng nhân dân tỉnh", order=1
    )
    agency = agency_create(
        acting_user=organiser, block=block, name="Hội đồng nhân dân tỉnh Hòa Bình", order=1
    )
    conference = conference_create(
        acting_user=organiser,
        vote_round=vote_round,
        agency=agency,
        title="Kỳ họp thường lệ cuối năm 2023 (dữ liệu minh họa)",
        date=date(2023, 12, 7),
        place_kind="peoples_council",
        location="Hội trường Hội đồng nhân dân tỉnh Hòa Bình",
        members_total=DELEGATES,
    )
    names = NameGenerator(2023_12)
    for position in POSITIONS:
        official = official_create(
            acting_user=organiser,
            agency=agency,
            full_name=names.name(),
            position=position,
            appointed_or_elected_on=date(2021, 6, 25),
        )
        candidacy_add(acting_user=organiser, conference=conference, official=official)
    delegates = [
        voter_add(
            acting_user=organiser,
            conference=conference,
            full_name=names.name(),
            position="Đại biểu Hội đồng nhân dân tỉnh",
        )
        for _ in range(DELEGATES)
    ]
    conference = seat_committee_and_open_checkin(users, conference, delegates)
    election = services.election_create(
        acting_user=organiser,
        conference=conference,
        members=list(conference.committee.order_by("role", "id")),
        threshold=2,
    )
    return conference, election


def _ceremony_and_cards(users: dict[str, Any], election: Any, where: Path) -> list[str]:
    """The key ceremony with the committee members' own tool, and the cards."""
    from tinnhiem.cli.main import main as cli
    from tinnhiem.crypto import files
    from tinnhiem.crypto.credentials import credential_keypair, generate_credential
    from tinnhiem.crypto.randomness import system_random
    from tinnhiem.documents.cards import Card, render_cards
    from tinnhiem.evote import services
    from tinnhiem.evote.models import Election

    organiser = users["bantochuc"]
    trustees = list(services.trustees_of(election))
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tinnhiem-demo-ceremony-") as tmp:
        exchange = Path(tmp)

        def step(name: str, data: bytes, index: int, *args: str) -> None:
            source = exchange / f"{name}-{index}.json"
            source.write_bytes(data)
            out = exchange / f"out-{name}-{index}.json"
            store = where / f"thanh-vien-{index}"
            with contextlib.redirect_stdout(io.StringIO()):  # the tool's own messages
                code = cli(
                    ["trustee", *args, str(source), "--keystore", str(store), "--out", str(out)]
                )
            if code != 0:
                raise RuntimeError(f"tinnhiem trustee {args[0]} failed for member {index}")
            services.ceremony_upload(
                acting_user=organiser,
                election=Election.objects.get(pk=election.pk),
                trustee_index=index,
                data=out.read_bytes(),
            )

        for t in trustees:
            step("invitation", services.invitation_file(election, t), t.index, "init")
        certificates = services.certificates_file(Election.objects.get(pk=election.pk))
        for t in trustees:
            step("certificates", certificates, t.index, "deal")
        dealings = services.dealings_file(Election.objects.get(pk=election.pk))
        for t in trustees:
            step("dealings", dealings, t.index, "finish")
    election = Election.objects.get(pk=election.pk)
    rng = system_random()
    credentials: dict[str, None] = {}
    while len(credentials) < PRESENT + SPARE_CARDS:
        credentials[generate_credential(rng)] = None
    cards = list(credentials)
    title = str(election.conference.title)
    pdf = render_cards(title, election.uuid, [Card(i, c) for i, c in enumerate(cards, start=1)])
    write_private(where / CARDS_PDF, pdf)
    services.credentials_upload(
        acting_user=organiser,
        election=election,
        data=files.write_credentials(
            election.uuid, [credential_keypair(election.uuid, c).public for c in cards]
        ),
    )
    return cards


def _open_and_vote(users: dict[str, Any], conference: Any, election: Any, cards: list[str]) -> None:
    """Check-in, cards handed out, the spares voided, voting opened, first ballots."""
    import random

    from tinnhiem.conferences.models import Attendance
    from tinnhiem.conferences.services import voter_set_attendance, voting_open
    from tinnhiem.crypto.ballot import encrypt_ballot, sign_ballot
    from tinnhiem.crypto.credentials import credential_keypair
    from tinnhiem.crypto.randomness import system_random
    from tinnhiem.evote import services
    from tinnhiem.evote.models import Election, Mode

    organiser = users["bantochuc"]
    for delegate in conference.voters.order_by("order", "id")[:PRESENT]:
        voter_set_attendance(acting_user=organiser, voter=delegate, attendance=Attendance.PRESENT)
        services.issuance_set(acting_user=organiser, voter=delegate, mode=Mode.CARD)
    spares = [credential_keypair(election.uuid, c).public for c in cards[PRESENT:]]
    services.issuance_close(
        acting_user=organiser, election=Election.objects.get(pk=election.pk), voided=spares
    )
    voting_open(acting_user=organiser, conference=conference, ballots_issued=PRESENT)
    election = Election.objects.get(pk=election.pk)
    core = services.election_setup(election).election
    rng = system_random()
    # Mostly high confidence, as in the published figures; a few low.
    weights = {"cao": 70, "tin_nhiem": 25, "thap": 5}
    pick = random.Random(2023)
    for card in cards[:ALREADY_VOTED]:
        keys = credential_keypair(core.uuid, card)
        choices = [
            pick.choices(list(weights), weights=list(weights.values()))[0] for _ in core.persons
        ]
        body, _ = encrypt_ballot(core, keys.public, choices, rng)
        services.ballot_cast(
            election=Election.objects.get(pk=election.pk),
            ballot=sign_ballot(core, body, keys.secret, rng).to_json(),
        )
