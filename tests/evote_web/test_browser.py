"""Twenty members vote on cards in Debian's Chromium, one audits the encryption
before casting, one re-votes; three committee members decrypt through their
page; the result equals the paper count (``tinnhiem.rules``) of the same choices.

The key ceremony and the cards are made in this process through the files of
``tinnhiem.crypto.files`` (what ``tinnhiem trustee`` and ``tinnhiem cards`` do on
their own devices); everything a voter or the committee does at the
conference goes through the browser, against Django's live server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.conftest import screenshot
from tests.evote_web.helpers import Scenario, issue_and_open, make_scenario, partial_file
from tests.web.builders import (
    add_voters,
    make_agency,
    make_conference,
    make_officials,
    make_round,
    make_user,
    names,
    seat_committee,
)
from tinnhiem.conferences.services import checkin_open, voting_close
from tinnhiem.counting.models import ConfirmedResult
from tinnhiem.counting.selectors import result_json, tally_ballots
from tinnhiem.evote import services
from tinnhiem.evote.models import Phase

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VOTERS = 20
LEVELS = ("cao", "tin_nhiem", "thap")
DIGIT = {"cao": "1", "tin_nhiem": "2", "thap": "3"}


def build(trustees: int = 4, threshold: int = 3) -> Scenario:
    organiser = make_user("bantochuc", organiser=True, full_name="Chuyên viên Ban Tổ chức")
    vote_round = make_round(organiser)
    agency = make_agency(organiser, vote_round)
    people = names(7, 3 + VOTERS + 2)
    conference = make_conference(organiser, agency, make_officials(organiser, agency, people[:3]))
    voters = add_voters(organiser, conference, people[3:])
    seat_committee(
        organiser,
        conference,
        voters,
        head=make_user("truongban", full_name="Trưởng Ban kiểm phiếu"),
        clerk1=make_user("thuky1"),
        clerk2=make_user("thuky2"),
        member=make_user("thanhvien"),
    )
    conference = checkin_open(acting_user=organiser, conference=conference)
    return make_scenario(
        organiser,
        conference,
        voters,
        present=VOTERS,
        spare_cards=2,
        trustees=trustees,
        threshold=threshold,
        seed=b"evote-browser",
    )


def choices_for(i: int) -> tuple[str, str, str]:
    return (LEVELS[i % 3], LEVELS[(i * 2 + 1) % 3], LEVELS[(i // 2) % 3])


def encrypt(page: Page) -> str:
    """Encrypt the marked ballot; the tracker shown. While it is shown, the page
    sends the body for checking (decision 0019): the server answers with the
    same tracker."""
    with page.expect_response(lambda r: r.url.endswith("/chuan-bi.json")) as prepared:
        page.click("#encrypt")
        page.wait_for_selector("#step-confirm:not(.hidden)")
    tracker = page.inner_text("#tracker")
    assert prepared.value.json() == {"ok": True, "tracker": tracker}
    return tracker


def vote(
    page: Page,
    url: str,
    card: str,
    choices: tuple[str, ...],
    *,
    audit: bool = False,
    shots: bool = False,
) -> str:
    """One voter at the hall tablet; returns the tracker of the counted ballot."""
    page.goto(url)
    page.wait_for_selector("#persons fieldset >> nth=2", state="attached")
    page.fill("#credential", card)
    page.click("#card-next")
    for p, level in enumerate(choices):
        page.check(f'input[name="p-{p}"][value="{level}"]')
    if shots:
        screenshot(page, "evote-cast-ballot")
    first = encrypt(page)
    if shots:
        screenshot(page, "evote-cast-confirm")
    if audit:
        page.click("#audit-button")
        page.wait_for_selector("#step-audit:not(.hidden)")
        if shots:
            screenshot(page, "evote-cast-audit")
        assert page.inner_text("#audit-tracker") == first
        assert "r = " in page.inner_text("#opening")
        page.click("#reencrypt")
        # The choices are still marked; a fresh encryption gives a new tracker.
        assert encrypt(page) != first
    tracker = page.inner_text("#tracker")
    page.click("#cast-button")
    page.wait_for_selector("#step-done:not(.hidden)")
    if shots:
        screenshot(page, "evote-cast-done")
    assert page.inner_text("#receipt-tracker") == tracker
    page.click("#done")
    page.wait_for_load_state()
    return tracker


def login(browser: Browser, live_server: Any, user: Any) -> Page:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def test_twenty_cards_one_audit_one_revote_three_trustees(
    browser: Browser, live_server: Any
) -> None:
    s = build()
    cards = issue_and_open(s, cards=VOTERS)
    url = f"{live_server.url}/bo-phieu-dien-tu/{s.election.uuid}/"
    tablet = browser.new_context(viewport={"width": 412, "height": 915}, locale="vi-VN")
    page = tablet.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    final: dict[int, tuple[str, ...]] = {}
    for i, card in enumerate(cards):
        # Cards are typed as printed (groups), or read from the QR code.
        typed = f"TNC1:{s.election.uuid}:{card}" if i % 2 else " ".join([card[:4], card[4:]])
        vote(page, url, typed, choices_for(i), audit=i == 0, shots=i == 0)
        final[i] = choices_for(i)
    final[5] = choices_for(11)
    vote(page, url, cards[5], final[5])  # a re-vote: the last ballot counts
    assert tablet.cookies() == []
    hall = tablet.new_page()
    hall.goto(f"{live_server.url}/bo-phieu-dien-tu/{s.election.uuid}/man-hinh/")
    screenshot(hall, "evote-hall")
    assert hall.inner_text("#voters") == str(VOTERS)
    assert hall.inner_text("#head") == s.refresh().head
    assert errors == []

    s.conference = voting_close(acting_user=s.organiser, conference=s.conference)
    head = login(browser, live_server, s.head)
    head.goto(f"/bo-phieu-dien-tu/hoi-nghi/{s.conference.pk}/")
    screenshot(head, "evote-manage-voting")
    head.click("#evote-end")
    head.wait_for_selector("#decrypt")
    election = s.refresh()
    assert election.ballots == VOTERS + 1
    assert election.voters == VOTERS
    for j in (1, 2, 4):  # three of the four key holders, on their own devices
        data = partial_file(s, j)
        head.set_input_files(
            "#decrypt input[type=file]",
            files=[{"name": f"giai-ma-{j}.json", "mimeType": "application/json", "buffer": data}],
        )
        head.click("#decrypt-upload")
        head.wait_for_load_state()
    assert s.refresh().phase == Phase.FINAL
    screenshot(head, "evote-manage-final")
    head.click("#evote-integrate")
    head.wait_for_url(f"**/kiem-phieu/{s.conference.pk}/ket-qua/")
    confirmed = ConfirmedResult.objects.get(conference=s.conference, is_current=True)
    paper_count = tally_ballots(
        s.conference,
        [
            {
                "digits": "".join(DIGIT[c] for c in choices),
                "issued": True,
                "crossed_out": [],
                "added_names": 0,
                "other_writing": False,
                "signed": False,
            }
            for choices in final.values()
        ],
    )
    assert confirmed.result == result_json(paper_count)
    kinds = [e["kind"] for e in services.archive_json(s.refresh())["entries"]]  # type: ignore[index]
    assert kinds.count("spoiled_ballot") == 1
    assert kinds.count("partial_decryption") == 3
    tablet.close()
    head.context.close()
