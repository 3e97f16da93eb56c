"""The server and the committee members' own tool (``tinnhiem trustee``) speak the
same files: a whole ceremony and decryption where every member's step is the real
command, fed with the files downloaded from the pages and its outputs uploaded."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.evote_web.helpers import Scenario, make_ballot, make_cards
from tinnhiem.accounts.models import User
from tinnhiem.cli.main import main as cli
from tinnhiem.conferences.models import Attendance, Conference
from tinnhiem.conferences.services import voter_set_attendance, voting_close, voting_open
from tinnhiem.crypto.randomness import SeededRandom
from tinnhiem.evote import services
from tinnhiem.evote.models import Election, Phase

Login = Callable[[User | None], Client]


def test_ceremony_and_decryption_with_the_trustee_tool(
    organiser: User,
    checkin_conference: Conference,
    voters: list,
    head_user: User,
    client_for: Login,
    tmp_path: Path,
) -> None:
    members = list(checkin_conference.committee.order_by("role", "id"))[:3]
    election = services.election_create(
        acting_user=organiser, conference=checkin_conference, members=members, threshold=2
    )
    pk = checkin_conference.pk
    client = client_for(head_user)

    def fetch(name: str, index: int = 0) -> Path:
        url = (
            reverse("evote:ceremony_file_for", args=[pk, name, index])
            if index
            else reverse("evote:ceremony_file", args=[pk, name])
        )
        response = client.get(url)
        assert response.status_code == 200
        path = tmp_path / f"{name}-{index}.json"
        path.write_bytes(response.content)
        return path

    def upload(index: int, path: Path) -> None:
        file = SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/json")
        response = client.post(
            reverse("evote:ceremony_upload", args=[pk]), {"trustee": index, "file": file}
        )
        assert response.status_code == 302, response.content.decode()[-3000:]

    def tool(*args: str) -> None:
        assert cli(["trustee", *args]) == 0

    stores = {j: tmp_path / f"usb-{j}" for j in (1, 2, 3)}
    for j, store in stores.items():
        store.mkdir()
        out = tmp_path / f"cert-{j}.json"
        tool("init", str(fetch("invitation", j)), "--keystore", str(store), "--out", str(out))
        upload(j, out)
    certificates = fetch("certificates")
    for j, store in stores.items():
        out = tmp_path / f"deal-{j}.json"
        tool("deal", str(certificates), "--keystore", str(store), "--out", str(out))
        upload(j, out)
    dealings = fetch("dealings")
    for j, store in stores.items():
        out = tmp_path / f"vk-{j}.json"
        tool("finish", str(dealings), "--keystore", str(store), "--out", str(out))
        upload(j, out)
    election = Election.objects.get(pk=election.pk)
    assert election.phase == Phase.CREDENTIALS

    rng = SeededRandom(b"tool")
    cards = make_cards(organiser, election, 12, rng)
    present = voters[:12]
    for v in present:
        voter_set_attendance(acting_user=organiser, voter=v, attendance=Attendance.PRESENT)
        services.issuance_set(acting_user=organiser, voter=v, mode="card")
    services.issuance_close(
        acting_user=organiser, election=Election.objects.get(pk=election.pk), voided=[]
    )
    conference = voting_open(
        acting_user=organiser, conference=checkin_conference, ballots_issued=12
    )
    s = Scenario(
        organiser, conference, Election.objects.get(pk=election.pk), present, [], cards, rng
    )
    for i, card in enumerate(cards):
        level = ("cao", "tin_nhiem", "thap")[i % 3]
        services.ballot_cast(
            election=s.refresh(), ballot=make_ballot(s, card, (level,) * 3).to_json()
        )
    voting_close(acting_user=organiser, conference=conference)
    assert client.post(reverse("evote:end", args=[pk])).status_code == 302

    archive = tmp_path / "archive.json"
    archive.write_bytes(client.get(reverse("evote:archive", args=[pk])).content)
    minutes = tmp_path / "minutes.json"
    minutes.write_bytes(client.get(reverse("evote:minutes", args=[pk])).content)
    for j in (1, 3):
        out = tmp_path / f"partial-{j}.json"
        tool(
            "decrypt", str(archive), "--keystore", str(stores[j]),
            "--minutes", str(minutes), "--workers", "1", "--out", str(out),
        )  # fmt: skip
        file = SimpleUploadedFile(out.name, out.read_bytes(), content_type="application/json")
        assert client.post(reverse("evote:decrypt", args=[pk]), {"file": file}).status_code == 302
    election = Election.objects.get(pk=election.pk)
    assert election.phase == Phase.FINAL
    assert election.result is not None
    assert election.result["counts"][0] == {"cao": 4, "tin_nhiem": 4, "thap": 4}
    assert json.loads(minutes.read_text())["e_voters"] == 12


def test_the_card_tools_list_is_taken_by_the_page(
    organiser: User, checkin_conference: Conference, client_for: Login, tmp_path: Path
) -> None:
    from tests.evote_web.helpers import run_ceremony
    from tinnhiem.crypto import files
    from tinnhiem.crypto.credentials import credentials_fingerprint

    members = list(checkin_conference.committee.order_by("role", "id"))[:3]
    election = services.election_create(
        acting_user=organiser, conference=checkin_conference, members=members, threshold=2
    )
    run_ceremony(organiser, election, SeededRandom(b"cards"))
    client = client_for(organiser)
    invitation = tmp_path / "inv.json"
    invitation.write_bytes(
        client.get(
            reverse("evote:ceremony_file_for", args=[checkin_conference.pk, "invitation", 1])
        ).content
    )
    pdf, listed = tmp_path / "the.pdf", tmp_path / "list.json"
    argv = ["cards", "generate", "--count", "16", "--invitation", str(invitation)]
    assert cli([*argv, "--pdf", str(pdf), "--list", str(listed)]) == 0
    file = SimpleUploadedFile("list.json", listed.read_bytes(), content_type="application/json")
    response = client.post(
        reverse("evote:credentials", args=[checkin_conference.pk]), {"file": file}
    )
    assert response.status_code == 302
    election = Election.objects.get(pk=election.pk)
    assert election.phase == Phase.ISSUANCE
    publics = files.read_credentials(listed.read_bytes())
    assert election.credentials_hash == credentials_fingerprint(publics)
