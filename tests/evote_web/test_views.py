"""The pages: the committee's setup page with per-field errors, the anonymous
casting page and its JSON endpoints, the hall screen and the archive."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.evote_web.helpers import Scenario, issue_and_open, make_ballot
from tinnhiem.accounts.models import User
from tinnhiem.common.models import AuditEntry
from tinnhiem.conferences.models import Conference
from tinnhiem.crypto.verify import verify_archive
from tinnhiem.evote import services
from tinnhiem.evote.models import Election, Issuance, Phase

Login = Callable[[User | None], Client]


def test_manage_page_needs_a_role(
    checkin_conference: Conference, client_for: Login, outsider: User
) -> None:
    url = reverse("evote:manage", args=[checkin_conference.pk])
    assert client_for(None).get(url).status_code == 302
    assert client_for(outsider).get(url).status_code == 403


def test_create_with_errors_beside_the_fields(
    checkin_conference: Conference, client_for: Login, organiser: User
) -> None:
    client = client_for(organiser)
    url = reverse("evote:create", args=[checkin_conference.pk])
    members = list(checkin_conference.committee.values_list("pk", flat=True))[:3]
    response = client.post(url, {"members": members, "threshold": 5})
    assert response.status_code == 400
    assert "Số thành viên cần để giải mã phải từ 1 đến 3." in response.content.decode()
    response = client.post(url, {"members": members, "threshold": 2})
    assert response.status_code == 302
    page = client.get(reverse("evote:manage", args=[checkin_conference.pk])).content.decode()
    assert "Lễ tạo khóa" in page
    assert "Tải" in page


def test_a_bad_ceremony_file_gets_a_clear_error_and_nothing_is_lost(
    checkin_conference: Conference, client_for: Login, organiser: User
) -> None:
    members = list(checkin_conference.committee.order_by("role", "id"))[:3]
    election = services.election_create(
        acting_user=organiser, conference=checkin_conference, members=members, threshold=2
    )
    client = client_for(organiser)
    url = reverse("evote:ceremony_upload", args=[checkin_conference.pk])
    bad = SimpleUploadedFile("x.json", b"{not json", content_type="application/json")
    response = client.post(url, {"trustee": 1, "file": bad})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tệp không đúng: $:" in body
    assert re.search(r"errorlist[^>]*>\s*<li>Tệp không đúng", body)
    response = client.post(url, {"trustee": 1})
    assert response.status_code == 400
    assert "Chọn một tệp." in response.content.decode()
    assert all(t.certificate is None for t in services.trustees_of(election))
    invitation = client.get(
        reverse("evote:ceremony_file_for", args=[checkin_conference.pk, "invitation", 2])
    )
    assert invitation.status_code == 200
    assert json.loads(invitation.content)["trustee"] == 2
    assert (
        client.get(
            reverse("evote:ceremony_file", args=[checkin_conference.pk, "dealings"])
        ).status_code
        == 404
    )


def test_issuance_page_records_only_the_mode(scenario: Scenario, client_for: Login) -> None:
    s = scenario
    client = client_for(s.organiser)
    url = reverse("evote:issuance", args=[s.conference.pk])
    voter = s.present[0]
    assert client.post(url, {"voter": voter.pk, "mode": "card"}).status_code == 302
    assert Issuance.objects.get(voter=voter).mode == "card"
    page = client.get(url).content.decode()
    assert voter.full_name in page
    assert "Rút thẻ" in page


def test_close_issuance_error_is_beside_the_codes(scenario: Scenario, client_for: Login) -> None:
    s = scenario
    client = client_for(s.organiser)
    for v in s.present:
        services.issuance_set(acting_user=s.organiser, voter=v, mode="card")
    url = reverse("evote:issuance_close", args=[s.conference.pk])
    response = client.post(url, {"codes": "abc"})
    assert response.status_code == 400
    assert "Dòng 1: mã thẻ không đúng" in response.content.decode()
    response = client.post(url, {"codes": "\n".join(s.cards[12:])})
    assert response.status_code == 302
    assert s.refresh().phase == Phase.VOTING


def test_cast_page_loads_only_bundled_scripts_and_sets_no_cookie(
    scenario: Scenario, client: Client
) -> None:
    s = scenario
    issue_and_open(s, cards=12)
    response = client.get(reverse("evote:cast", args=[s.election.uuid]))
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == [
        '<script src="/static/evote/ballot.js">',
        '<script src="/static/evote/cast.js">',
    ]
    assert re.search(r"<script[^>]*>\s*[^<\s]", html) is None  # no inline code
    assert "style=" not in html
    assert not response.cookies
    assert "camera=(self)" in response["Permissions-Policy"]


def test_cast_endpoint_accepts_a_ballot_and_returns_a_receipt(
    scenario: Scenario, client: Client
) -> None:
    s = scenario
    cards = issue_and_open(s, cards=12)
    data = client.get(reverse("evote:election_json", args=[s.election.uuid])).json()
    assert data["ok"]
    assert data["open"]
    assert data["election"]["uuid"] == s.election.uuid
    assert [lv["code"] for lv in data["levels"]] == ["cao", "tin_nhiem", "thap"]
    ballot = make_ballot(s, cards[0], ("cao", "thap", "tin_nhiem")).to_json()
    url = reverse("evote:cast_json", args=[s.election.uuid])
    response = client.post(url, json.dumps(ballot), content_type="application/json")
    assert response.status_code == 200, response.content
    receipt = response.json()
    assert receipt["ok"]
    assert receipt["height"] == 2
    assert len(receipt["tracker"]) == 64
    assert not response.cookies
    again = client.post(url, json.dumps(ballot), content_type="application/json")
    assert again.status_code == 400
    assert again.json()["code"] == "duplicate_ballot"
    assert "đã có trên bảng" in again.json()["message"]
    broken = client.post(url, b'{"a": 1, "a": 2}', content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["code"] == "format"


def test_hall_screen_shows_counts_and_hashes_never_choices(
    scenario: Scenario, client: Client
) -> None:
    s = scenario
    cards = issue_and_open(s, cards=12)
    receipt = services.ballot_cast(
        election=s.refresh(), ballot=make_ballot(s, cards[0], ("cao", "cao", "cao")).to_json()
    )
    page = client.get(reverse("evote:hall", args=[s.election.uuid]))
    assert page.status_code == 200
    assert not page.cookies
    assert re.findall(r"<script[^>]*>", page.content.decode()) == [
        '<script src="/static/evote/hall.js">'
    ]
    status = client.get(reverse("evote:hall_json", args=[s.election.uuid])).json()
    assert set(status) == {
        "phase", "phase_label", "height", "head", "ballots", "voters", "active_cards",
        "election_hash", "closing_head",
    }  # fmt: skip
    assert status["voters"] == 1
    assert status["active_cards"] == 12
    assert status["head"] == receipt.head
    assert "cao" not in json.dumps(status)


def test_archive_download_is_verifiable_and_audited(
    scenario: Scenario, client_for: Login, supervisor_user: User
) -> None:
    s = scenario
    cards = issue_and_open(s, cards=12)
    for card in cards[:3]:
        services.ballot_cast(
            election=s.refresh(), ballot=make_ballot(s, card, ("cao",) * 3).to_json()
        )
    response = client_for(supervisor_user).get(reverse("evote:archive", args=[s.conference.pk]))
    assert response.status_code == 200
    archive = json.loads(response.content)
    assert archive["format"] == "tinnhiem.evote-archive/1"
    assert verify_archive(archive).ok
    assert AuditEntry.objects.filter(action="evote.archive.view", actor=supervisor_user).exists()


def test_casting_is_rate_limited_per_address(scenario: Scenario, client: Client) -> None:
    from django.core.cache import cache

    from tinnhiem.evote.views import CAST_RATE_LIMIT

    s = scenario
    issue_and_open(s, cards=12)
    cache.clear()
    url = reverse("evote:cast_json", args=[s.election.uuid])
    codes = [
        client.post(url, b"{}", content_type="application/json", REMOTE_ADDR="10.0.0.9").status_code
        for _ in range(CAST_RATE_LIMIT + 1)
    ]
    assert codes[:-1] == [400] * CAST_RATE_LIMIT
    assert codes[-1] == 429
    other = client.post(url, b"{}", content_type="application/json", REMOTE_ADDR="10.0.0.10")
    assert other.status_code == 400
    cache.clear()


def test_unknown_election_is_404(client: Client, db: None) -> None:
    assert client.get(reverse("evote:cast", args=["no-such-election"])).status_code == 404


def test_whole_flow_through_the_pages(
    scenario: Scenario, client_for: Login, head_user: User
) -> None:
    """End, trustee uploads, integration: the committee's buttons."""
    from tests.evote_web.helpers import partial_file
    from tinnhiem.conferences.services import voting_close

    s = scenario
    cards = issue_and_open(s, cards=12)
    for i, card in enumerate(cards):
        services.ballot_cast(
            election=s.refresh(),
            ballot=make_ballot(
                s, card, ("cao", "tin_nhiem", "thap")[i % 3 :] + ("cao",) * (i % 3)
            ).to_json(),
        )
    s.conference = voting_close(acting_user=s.organiser, conference=s.conference)
    client = client_for(head_user)
    pk = s.conference.pk
    assert client.post(reverse("evote:end", args=[pk])).status_code == 302
    assert s.refresh().phase == Phase.DECRYPTING
    url = reverse("evote:decrypt", args=[pk])
    bad = client.post(url, {"file": SimpleUploadedFile("p.json", b"[]")})
    assert bad.status_code == 400
    assert "Tệp giải mã không đúng" in bad.content.decode()
    for j in (1, 2):
        response = client.post(url, {"file": SimpleUploadedFile("p.json", partial_file(s, j))})
        assert response.status_code == 302
    assert s.refresh().phase == Phase.FINAL
    response = client.post(reverse("evote:integrate", args=[pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("counting:results", args=[pk])
    assert Election.objects.get(pk=s.election.pk).integrated
    page = client.get(response["Location"]).content.decode()
    assert "Tín nhiệm cao" in page


def test_index_lists_the_conferences_of_the_user(
    scenario: Scenario, client_for: Login, head_user: User, outsider: User
) -> None:
    page = client_for(head_user).get(reverse("evote:index")).content.decode()
    assert scenario.conference.title in page
    assert "Phát thẻ khi điểm danh" in page
    assert (
        scenario.conference.title
        not in client_for(outsider).get(reverse("evote:index")).content.decode()
    )


def test_the_archive_verifies_offline_against_the_minutes(
    scenario: Scenario, client_for: Login, head_user: User, tmp_path: Any
) -> None:
    """``tinnhiem verify ARCHIVE --minutes FILE`` on the two downloads: valid; and a
    minutes file with another closing head makes it fail."""
    from tests.evote_web.helpers import decrypt
    from tinnhiem.cli.main import main as cli
    from tinnhiem.conferences.services import voting_close

    s = scenario
    cards = issue_and_open(s, cards=12)
    for i, card in enumerate(cards):
        services.ballot_cast(
            election=s.refresh(),
            ballot=make_ballot(s, card, (("cao", "thap", "tin_nhiem")[i % 3],) * 3).to_json(),
        )
    s.conference = voting_close(acting_user=s.organiser, conference=s.conference)
    services.voting_end(acting_user=s.head, election=s.refresh())
    decrypt(s, 1, 2)
    client = client_for(head_user)
    archive = tmp_path / "archive.json"
    minutes = tmp_path / "minutes.json"
    archive.write_bytes(client.get(reverse("evote:archive", args=[s.conference.pk])).content)
    data = client.get(reverse("evote:minutes", args=[s.conference.pk])).json()
    assert data["e_voters"] == 12
    assert len(data["trackers"]) == 12
    assert data["paper_ballots"] == 0
    minutes.write_text(json.dumps(data), encoding="utf-8")
    assert (
        cli(["verify", str(archive), "--minutes", str(minutes), "--workers", "1", "--quiet"]) == 0
    )
    data["closing_head"] = "0" * 64
    minutes.write_text(json.dumps(data), encoding="utf-8")
    assert (
        cli(["verify", str(archive), "--minutes", str(minutes), "--workers", "1", "--quiet"]) == 1
    )


def test_the_ceremony_through_the_page(
    checkin_conference: Conference, client_for: Login, member_user: User
) -> None:
    """A committee member uploads each trustee's files; the page then shows the
    ceremony's fingerprint for the minutes."""
    from tinnhiem.crypto import files
    from tinnhiem.crypto.dkg import deal, finish, make_certificate, trustee_keys
    from tinnhiem.crypto.randomness import SeededRandom

    organiser = User.objects.get(username="bantochuc")
    members = list(checkin_conference.committee.order_by("role", "id"))[:3]
    election = services.election_create(
        acting_user=organiser, conference=checkin_conference, members=members, threshold=2
    )
    client = client_for(member_user)
    pk = checkin_conference.pk
    rng = SeededRandom(b"page")

    def upload(index: int, data: bytes) -> None:
        file = SimpleUploadedFile("f.json", data, content_type="application/json")
        response = client.post(
            reverse("evote:ceremony_upload", args=[pk]), {"trustee": index, "file": file}
        )
        assert response.status_code == 302, response.content.decode()[:2000]

    keys = []
    for t in services.trustees_of(election):
        invitation = files.read_invitation(
            client.get(reverse("evote:ceremony_file_for", args=[pk, "invitation", t.index])).content
        )
        k = trustee_keys(invitation.trustee, invitation.name, rng)
        keys.append(k)
        upload(
            t.index, files.write_certificate(election.uuid, make_certificate(election.uuid, k, rng))
        )
    certs = files.read_certificates(
        client.get(reverse("evote:ceremony_file", args=[pk, "certificates"])).content
    )
    for k in keys:
        upload(
            k.index,
            files.write_dealing(
                election.uuid, deal(election.uuid, 2, certs.certificates, k, rng)[0]
            ),
        )
    dealt = files.read_dealings(
        client.get(reverse("evote:ceremony_file", args=[pk, "dealings"])).content
    )
    for k in keys:
        _, vk = finish(election.uuid, 2, dealt.certificates, dealt.dealings, k, rng)
        upload(k.index, files.write_verification_key(election.uuid, vk))
    page = client.get(reverse("evote:manage", args=[pk])).content.decode()
    fingerprint = services.trustees_public(Election.objects.get(pk=election.pk)).fingerprint
    assert fingerprint in page
    assert "Nhận danh sách thẻ" in page
    # What each member's device printed, to compare aloud (tinnhiem trustee deal/finish).
    assert services.grouped(certs.fingerprint[:32]) in page
    assert services.grouped(dealt.fingerprint[:32]) in page


def test_a_voter_looks_up_a_tracker(scenario: Scenario, client: Client) -> None:
    from tinnhiem.crypto.ballot import encrypt_ballot
    from tinnhiem.crypto.credentials import credential_keypair

    s = scenario
    cards = issue_and_open(s, cards=12)
    first = services.ballot_cast(
        election=s.refresh(), ballot=make_ballot(s, cards[0], ("cao",) * 3).to_json()
    )
    url = reverse("evote:tracker_json", args=[s.election.uuid])
    answer = client.get(url, {"t": first.tracker}).json()
    assert answer["found"]
    assert answer["counted"]
    second = services.ballot_cast(
        election=s.refresh(), ballot=make_ballot(s, cards[0], ("thap",) * 3).to_json()
    )
    answer = client.get(url, {"t": first.tracker}).json()
    assert answer["found"]
    assert not answer["counted"]
    assert "đã được thay" in answer["message"]
    assert client.get(url, {"t": second.tracker}).json()["counted"]
    core = s.core
    keys = credential_keypair(core.uuid, cards[1])
    body, secrets = encrypt_ballot(core, keys.public, ("cao",) * 3, s.rng)
    services.ballot_spoil(
        election=s.refresh(), opened={"ballot": body.to_json(), "secrets": secrets.to_json()}
    )
    answer = client.get(url, {"t": body.tracker()}).json()
    assert "kiểm tra mã hóa" in answer["message"]
    assert not answer["counted"]
    assert not client.get(url, {"t": "0" * 64}).json()["found"]
    assert client.get(url, {"t": "xyz"}).status_code == 400
