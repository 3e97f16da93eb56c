"""Every kind of doubt lands in the queue; each decision settles it, logged."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from django.urls import reverse

from tests.scanning_web.sheets import PX_PER_MM, Printed, marked_page
from tests.scanning_web.test_scan_pass import scan_pass, upload
from tinnhiem.conferences.models import Conference
from tinnhiem.counting.models import BallotEntry, BallotPrint, EntrySource
from tinnhiem.scanning.models import ReviewDecision, ScanSheet


def _levels(printed: Printed) -> tuple[str, ...]:
    return printed.gen.layout.levels


def test_a_sheet_without_a_readable_code_is_decided_with_the_serial_printed_on_it(
    counting_conference: Conference, printed: Printed, clerk1: Any, head_user: Any, client_for: Any
) -> None:
    lv = _levels(printed)
    data = marked_page(printed, 3, {"1": lv[0], "2": lv[0], "3": lv[1]})
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    qr = printed.gen.layout.pages[0].qr
    x0, y0 = round((qr.x - 1) * PX_PER_MM), round((qr.y - 1) * PX_PER_MM)
    x1, y1 = round((qr.right + 1) * PX_PER_MM), round((qr.bottom + 1) * PX_PER_MM)
    image[y0:y1, x0:x1] = 255
    after = marked_page(printed, 4, {"1": lv[2], "2": lv[2], "3": lv[2]})
    upload(
        client_for(clerk1),
        counting_conference,
        [("khong-ma.png", cv2.imencode(".png", image)[1].tobytes()), ("sau.png", after)],
    )
    sheet = ScanSheet.objects.get(file__name="khong-ma.png")
    # The ballot after it keeps its place (number 2) while this one is decided.
    assert scan_pass(counting_conference) == {2: "333"}
    assert sheet.state == ScanSheet.State.REVIEW
    assert sheet.serial == ""
    assert set(sheet.reasons) & {"qr_unreadable", "registration_failed"}
    client = client_for(head_user)
    page = client.get(reverse("scanning:sheet", args=[counting_conference.pk, sheet.pk]))
    assert 'name="serial"' in page.content.decode()
    url = reverse("scanning:decide", args=[counting_conference.pk, sheet.pk])
    no_serial = client.post(
        url, {"mark_1": "1", "mark_2": "1", "mark_3": "2", "issued": "1"}, follow=True
    )
    assert "hãy nhập mã phiếu in trên tờ phiếu" in no_serial.content.decode()
    serial = printed.serials[3]
    client.post(
        url,
        {
            "serial": serial.lower(),
            "page": "1",
            "mark_1": "1",
            "mark_2": "1",
            "mark_3": "2",
            "issued": "1",
        },
    )
    sheet.refresh_from_db()
    assert sheet.state == ScanSheet.State.ACCEPTED
    entry = BallotEntry.objects.get(
        conference=counting_conference, source=EntrySource.SCAN, number=1
    )
    assert (entry.serial, entry.digits, entry.issued) == (serial, "112", True)
    assert scan_pass(counting_conference) == {1: "112", 2: "333"}


def test_a_serial_not_in_the_register_is_counted_only_as_not_issued(
    counting_conference: Conference, printed: Printed, clerk1: Any, head_user: Any, client_for: Any
) -> None:
    p = BallotPrint.objects.get(conference=counting_conference)
    outside = p.serials.pop(0)  # as if this ballot had never been issued
    p.save()
    lv = _levels(printed)
    upload(
        client_for(clerk1),
        counting_conference,
        [("la.png", marked_page(printed, 0, {"1": lv[0], "2": lv[0], "3": lv[0]}))],
    )
    sheet = ScanSheet.objects.get()
    assert sheet.serial == outside
    assert sheet.reasons == ["serial_not_issued"]
    assert scan_pass(counting_conference) == {}
    client_for(head_user).post(
        reverse("scanning:decide", args=[counting_conference.pk, sheet.pk]),
        {"mark_1": "1", "mark_2": "1", "mark_3": "1", "issued": "1"},
    )
    entry = BallotEntry.objects.get(conference=counting_conference, source=EntrySource.SCAN)
    assert entry.issued is False
    assert ReviewDecision.objects.get().after["issued"] is False


def test_the_same_sheet_scanned_twice_waits_until_one_copy_is_rejected(
    counting_conference: Conference, printed: Printed, clerk1: Any, head_user: Any, client_for: Any
) -> None:
    lv = _levels(printed)
    data = marked_page(printed, 2, {"1": lv[2], "2": lv[1], "3": lv[0]})
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    again = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes()
    upload(client_for(clerk1), counting_conference, [("lan1.png", data), ("lan2.jpg", again)])
    first, second = ScanSheet.objects.order_by("id")
    assert first.reasons == second.reasons == ["duplicate_sheet"]
    assert scan_pass(counting_conference) == {}
    client = client_for(head_user)
    # Accepting one copy does not count it while the other is there.
    client.post(
        reverse("scanning:decide", args=[counting_conference.pk, first.pk]),
        {"mark_1": "3", "mark_2": "2", "mark_3": "1", "issued": "1"},
    )
    assert scan_pass(counting_conference) == {}
    client.post(
        reverse("scanning:decide", args=[counting_conference.pk, second.pk]),
        {"reject": "1", "note": "quét hai lần"},
    )
    first.refresh_from_db()
    assert first.state == ScanSheet.State.ACCEPTED
    assert scan_pass(counting_conference) == {1: "321"}


def test_blank_backs_of_a_duplex_scan_are_rejected_at_once_and_logged(
    counting_conference: Conference, printed: Printed, clerk1: Any, head_user: Any, client_for: Any
) -> None:
    lv = _levels(printed)
    white = cv2.imencode(".png", np.full((2339, 1654), 250, dtype=np.uint8))[1].tobytes()
    front = marked_page(printed, 0, {"1": lv[0], "2": lv[1], "3": lv[2]})
    upload(
        client_for(clerk1), counting_conference, [("mat-truoc.png", front), ("mat-sau.png", white)]
    )
    back = ScanSheet.objects.get(file__name="mat-sau.png")
    assert back.reasons == ["blank_page"]
    assert back.ballot_number is None
    client = client_for(head_user)
    queue = client.get(reverse("scanning:queue", args=[counting_conference.pk])).content.decode()
    assert "Loại 1 trang trắng" in queue
    client.post(reverse("scanning:reject_blank", args=[counting_conference.pk]))
    back.refresh_from_db()
    assert back.state == ScanSheet.State.REJECTED
    assert ReviewDecision.objects.get(sheet=back).user == head_user
    assert scan_pass(counting_conference) == {1: "123"}


def test_a_struck_name_and_margin_writing_go_to_review_and_the_decision_carries_them(
    counting_conference: Conference, printed: Printed, clerk1: Any, head_user: Any, client_for: Any
) -> None:
    from tinnhiem.omr.synth import CLASSES, Mix

    mix = Mix(blank_line=0.0, struck_name=1.0, other_writing=1.0, added_name=0.0, signature=0.0)
    (sheet,) = printed.gen.ballot(5, CLASSES["clean"], mix)
    assert {"name_struck", "margin_writing"} <= set(sheet.truth.must_review)
    upload(client_for(clerk1), counting_conference, [("gach-ten.png", sheet.data)])
    got = ScanSheet.objects.get()
    assert got.state == ScanSheet.State.REVIEW
    assert {"name_struck", "margin_writing"} <= set(got.reasons)
    struck = sheet.truth.crossed_out[0]
    client = client_for(head_user)
    page = client.get(reverse("scanning:sheet", args=[counting_conference.pk, got.pk]))
    html = page.content.decode()
    assert reverse("scanning:crop", args=[counting_conference.pk, got.pk, struck]) in html
    assert f'name="crossed_out" value="{struck}" checked' in html
    keys = ["1", "2", "3"]
    digits = {
        f"mark_{k}": {lv: str(i) for i, lv in enumerate(_levels(printed), start=1)}[
            sheet.truth.marks[k][0]
        ]
        for k in keys
    }
    client.post(
        reverse("scanning:decide", args=[counting_conference.pk, got.pk]),
        {**digits, "crossed_out": struck, "other_writing": "1", "issued": "1"},
    )
    entry = BallotEntry.objects.get(conference=counting_conference, source=EntrySource.SCAN)
    assert entry.crossed_out == [struck]
    assert entry.other_writing is True


def test_a_page_missing_holds_its_ballot_until_it_is_scanned(
    organiser: Any,
    agency: Any,
    head_user: Any,
    clerk1: Any,
    clerk2: Any,
    client_for: Any,
) -> None:
    from tests.scanning_web.sheets import print_ballots, truth_digits
    from tests.web.builders import build_counting_conference
    from tinnhiem.counting.selectors import candidate_keys
    from tinnhiem.omr.synth import CLASSES, PLAIN
    from tinnhiem.rules import VoteKind

    conference = build_counting_conference(
        organiser=organiser,
        head=head_user,
        clerk1=clerk1,
        clerk2=clerk2,
        agency=agency,
        candidates=30,
        summoned=6,
        present=4,
    )
    printed = print_ballots(organiser, conference, 4)
    try:
        first, second = printed.gen.ballot(0, CLASSES["clean"], PLAIN)
    finally:
        printed.gen.close()
    assert (first.truth.page, second.truth.page) == (1, 2)
    client = client_for(clerk1)
    upload(client, conference, [("trang1.png", first.data)])
    sheet = ScanSheet.objects.get()
    assert sheet.reasons == ["missing_page"]
    assert scan_pass(conference) == {}
    upload(client, conference, [("trang2.png", second.data)])
    assert set(ScanSheet.objects.values_list("state", flat=True)) == {"read"}
    kind = VoteKind(conference.kind)
    keys = candidate_keys(conference)
    whole = "".join(
        truth_digits(first, kind, keys)[i]
        if k in first.truth.marks
        else truth_digits(second, kind, keys)[i]
        for i, k in enumerate(keys)
    )
    assert scan_pass(conference) == {1: whole}
