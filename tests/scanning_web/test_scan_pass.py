"""Uploading real ballot sheets: read exactly, or sent to review; the scan as one entry pass."""

from __future__ import annotations

import hashlib
from typing import Any

import cv2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.scanning_web.sheets import Printed, marked_page, pdf_of, truth_digits
from tinnhiem.cli.main import main as cli_main
from tinnhiem.common.audit import verify_chain
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.models import AuditEntry
from tinnhiem.conferences.models import Conference
from tinnhiem.counting.models import BallotEntry, EntryLogEntry, EntrySource
from tinnhiem.counting.selectors import candidate_keys, reconcile
from tinnhiem.counting.services import entry_save
from tinnhiem.rules import VoteKind
from tinnhiem.scanning.models import ReviewDecision, ScanFile, ScanJob, ScanSheet


def upload(client: Any, conference: Conference, files: list[tuple[str, bytes]]) -> dict[str, Any]:
    response = client.post(
        reverse("scanning:upload", args=[conference.pk]),
        {"files": [SimpleUploadedFile(name, data) for name, data in files]},
        HTTP_ACCEPT="application/json",
    )
    data: dict[str, Any] = response.json()
    data["status_code"] = response.status_code
    return data


def scan_pass(conference: Conference) -> dict[int, str]:
    return {
        e.number: e.digits
        for e in BallotEntry.objects.filter(conference=conference, source=EntrySource.SCAN)
    }


def test_uploaded_sheets_become_the_scan_pass_equal_to_the_truth(
    counting_conference: Conference, printed: Printed, clerk1: Any, client_for: Any, tmp_path: Any
) -> None:
    sheets = printed.clean(range(12))
    kind = VoteKind(counting_conference.kind)
    keys = candidate_keys(counting_conference)
    files = [(f"scan{i + 1}{s.suffix}", s.data) for i, s in enumerate(sheets[:6])]
    # Two in one multi-page TIFF, the last four in one PDF, as feeder scanners write them.
    tiff = tmp_path / "hai-to.tif"
    assert cv2.imwritemulti(str(tiff), [s.image() for s in sheets[6:8]])
    files.append(("hai-to.tif", tiff.read_bytes()))
    pngs = [bytes(cv2.imencode(".png", s.image())[1].tobytes()) for s in sheets[8:]]
    files.append(("tap-cuoi.pdf", pdf_of(pngs)))
    client = client_for(clerk1)
    data = upload(client, counting_conference, files)
    assert data["ok"], data
    assert [f["status"] for f in data["files"]] == ["accepted"] * 8
    job = ScanJob.objects.get()
    assert job.state == ScanJob.State.DONE, job.error
    assert job.sheets_done == 12
    assert ScanSheet.objects.filter(state=ScanSheet.State.READ).count() == 12
    pages = ScanSheet.objects.filter(file__name="hai-to.tif").values_list("file_page", flat=True)
    assert list(pages) == [1, 2]
    truth = {n + 1: truth_digits(s, kind, keys) for n, s in enumerate(sheets)}
    assert scan_pass(counting_conference) == truth
    serials = list(
        BallotEntry.objects.filter(conference=counting_conference, source=EntrySource.SCAN)
        .order_by("number")
        .values_list("serial", flat=True)
    )
    assert serials == [s.truth.serial for s in sheets]
    # The scan fills pass 2 (nobody typed in it); the page shows it, and the progress JSON.
    assert set(
        BallotEntry.objects.filter(conference=counting_conference).values_list(
            "entry_pass", flat=True
        )
    ) == {2}
    page = client.get(reverse("scanning:index", args=[counting_conference.pk]))
    assert page.status_code == 200
    assert "lượt nhập 2" in page.content.decode()
    progress = client.get(reverse("scanning:progress", args=[counting_conference.pk])).json()
    assert progress["busy"] is False
    assert progress["summary"]["read"] == 12
    assert progress["summary"]["ballots"] == 12


def test_doubtful_sheet_goes_to_review_with_a_crop_and_a_decision_changes_the_pass(
    counting_conference: Conference,
    printed: Printed,
    clerk1: Any,
    head_user: Any,
    client_for: Any,
) -> None:
    levels = printed.gen.layout.levels
    files = [
        ("a.png", marked_page(printed, 0, {"1": levels[0], "2": levels[1], "3": levels[2]})),
        ("b.png", marked_page(printed, 1, {"1": levels[1], "2": levels[1]}, faint=["3"])),
    ]
    data = upload(client_for(clerk1), counting_conference, files)
    assert data["ok"], data
    doubtful = ScanSheet.objects.get(file__name="b.png")
    assert doubtful.state == ScanSheet.State.REVIEW
    assert "box_doubt" in doubtful.reasons
    assert doubtful.reading["homography"] is not None
    # Only the clean ballot is in the pass; the doubtful one waits for a person.
    assert scan_pass(counting_conference) == {1: "123"}

    client = client_for(head_user)
    queue = client.get(reverse("scanning:queue", args=[counting_conference.pk])).content.decode()
    assert f'id="s{doubtful.pk}"' in queue
    assert "ô có dấu không rõ" in queue
    page = client.get(reverse("scanning:sheet", args=[counting_conference.pk, doubtful.pk]))
    crop_url = reverse("scanning:crop", args=[counting_conference.pk, doubtful.pk, "3"])
    assert crop_url in page.content.decode()
    seen = AuditEntry.objects.filter(action="scan.evidence_view").count()
    crop = client.get(crop_url)
    assert crop.status_code == 200
    assert crop["Content-Type"] == "image/png"
    assert crop.content.startswith(b"\x89PNG")
    assert AuditEntry.objects.filter(action="scan.evidence_view").count() == seen + 1
    whole = client.get(reverse("scanning:page_png", args=[counting_conference.pk, doubtful.pk]))
    assert whole.content.startswith(b"\x89PNG")

    # A clerk may look but not decide.
    clerk_post = client_for(clerk1).post(
        reverse("scanning:decide", args=[counting_conference.pk, doubtful.pk]),
        {"mark_1": "2", "mark_2": "2", "mark_3": "3", "issued": "1"},
    )
    assert clerk_post.status_code == 403

    client = client_for(head_user)
    # A missing digit is refused with the person's number, nothing saved.
    bad = client.post(
        reverse("scanning:decide", args=[counting_conference.pk, doubtful.pk]),
        {"mark_1": "2", "mark_2": "2", "mark_3": "", "issued": "1"},
        follow=True,
    )
    assert "Người số 3" in bad.content.decode()
    assert not ReviewDecision.objects.exists()
    ok = client.post(
        reverse("scanning:decide", args=[counting_conference.pk, doubtful.pk]),
        {"mark_1": "2", "mark_2": "2", "mark_3": "3", "issued": "1", "note": "dấu mờ ở ô thấp"},
    )
    assert ok.status_code == 302
    decision = ReviewDecision.objects.get()
    assert decision.user == head_user
    assert decision.before["state"] == "review"
    assert decision.after["digits"] == {"1": "2", "2": "2", "3": "3"}
    assert AuditEntry.objects.filter(
        action="scan.review_accept", object_id=str(doubtful.pk)
    ).exists()
    doubtful.refresh_from_db()
    assert doubtful.state == ScanSheet.State.ACCEPTED
    assert scan_pass(counting_conference) == {1: "123", 2: "223"}
    # The reviewer changes their mind: the pass follows, every step logged.
    client.post(
        reverse("scanning:decide", args=[counting_conference.pk, doubtful.pk]),
        {"mark_1": "2", "mark_2": "2", "mark_3": "0", "issued": "1"},
    )
    assert scan_pass(counting_conference) == {1: "123", 2: "220"}
    assert ReviewDecision.objects.count() == 2
    log = EntryLogEntry.objects.filter(conference=counting_conference, number=2, entry_pass=2)
    assert [e.action for e in log] == ["create", "update"]
    # Rejecting needs a reason; then the ballot leaves the pass.
    client.post(
        reverse("scanning:decide", args=[counting_conference.pk, doubtful.pk]),
        {"reject": "1", "note": ""},
    )
    assert scan_pass(counting_conference) == {1: "123", 2: "220"}
    client.post(
        reverse("scanning:decide", args=[counting_conference.pk, doubtful.pk]),
        {"reject": "1", "note": "tờ chụp thử"},
    )
    assert scan_pass(counting_conference) == {1: "123"}
    assert verify_chain() is None


def test_reconciliation_against_a_typed_pass_shows_exactly_the_planted_disagreement(
    counting_conference: Conference, printed: Printed, clerk1: Any, clerk2: Any, client_for: Any
) -> None:
    sheets = printed.clean(range(12))
    kind = VoteKind(counting_conference.kind)
    keys = candidate_keys(counting_conference)
    data = upload(
        client_for(clerk1),
        counting_conference,
        [(f"p{i:02}{s.suffix}", s.data) for i, s in enumerate(sheets)],
    )
    assert data["ok"]
    planted = 5
    for number, sheet in enumerate(sheets, start=1):
        digits = truth_digits(sheet, kind, keys)
        if number == planted:
            digits = ("3" if digits[0] != "3" else "1") + digits[1:]
        entry_save(
            acting_user=clerk1,
            conference=counting_conference,
            entry_pass=1,
            number=number,
            payload={"digits": digits},
        )
    recon = reconcile(counting_conference)
    assert [r.number for r in recon.disagreements] == [planted]
    assert recon.disagreements[0].differing_positions() == [1]
    # The reconciliation page says which pass the scanner made.
    page = client_for(clerk1).get(reverse("counting:reconcile", args=[counting_conference.pk]))
    assert page.content.decode().count("Lượt 2 (quét phiếu)") == 2  # the count and the ballot
    # Nobody types into the scanned pass.
    with pytest.raises(ServiceError) as e:
        entry_save(
            acting_user=clerk2,
            conference=counting_conference,
            entry_pass=2,
            number=13,
            payload={"digits": "111"},
        )
    assert e.value.code == "scan_pass"


def test_duplicates_and_non_images_give_clear_errors_and_save_nothing_bad(
    counting_conference: Conference, printed: Printed, clerk1: Any, client_for: Any
) -> None:
    sheet = printed.clean([0])[0]
    client = client_for(clerk1)
    first = upload(
        client, counting_conference, [("mot.png", sheet.data), ("ban-sao.png", sheet.data)]
    )
    assert [f["status"] for f in first["files"]] == ["accepted", "duplicate"]
    assert "trùng với tệp đã tải lên “mot.png”" in first["files"][1]["message"]
    again = upload(client, counting_conference, [("lai.png", sheet.data)])
    assert again["files"][0]["status"] == "duplicate"
    assert again["job"] is None
    assert ScanFile.objects.count() == 1
    assert ScanSheet.objects.count() == 1
    bad = upload(
        client,
        counting_conference,
        [
            ("ghichu.png", b"khong phai anh"),
            ("rong.jpg", b""),
            ("hong.pdf", b"%PDF-1.7\nnot really a pdf"),
        ],
    )
    statuses = [(f["status"], f["message"]) for f in bad["files"]]
    assert statuses == [
        ("refused", "ghichu.png: không phải ảnh PNG, JPEG, TIFF hay tệp PDF."),
        ("refused", "rong.jpg: tệp rỗng."),
        ("refused", "hong.pdf: không mở được tệp PDF (tệp hỏng?)."),
    ]
    assert ScanFile.objects.count() == 1
    none = client.post(
        reverse("scanning:upload", args=[counting_conference.pk]),
        {},
        HTTP_ACCEPT="application/json",
    )
    assert none.status_code == 400
    assert none.json()["error"] == "Chưa chọn tệp nào."
    # A PNG that does not decode, and a blurred page: review items, never a crash.
    blurred = cv2.GaussianBlur(printed.gen.render_page(1, 1), (0, 0), 25)
    broken = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    data = upload(
        client,
        counting_conference,
        [("hong.png", broken), ("mo.png", bytes(cv2.imencode(".png", blurred)[1]))],
    )
    assert [f["status"] for f in data["files"]] == ["accepted", "accepted"]
    assert ScanJob.objects.filter(state=ScanJob.State.FAILED).count() == 0
    assert ScanSheet.objects.get(file__name="hong.png").reasons == ["unreadable_image"]
    mo = ScanSheet.objects.get(file__name="mo.png")
    assert mo.state == ScanSheet.State.REVIEW
    assert mo.reasons


def test_evidence_hashes_are_in_the_audit_chain_and_served_only_to_the_committee(
    counting_conference: Conference,
    printed: Printed,
    clerk1: Any,
    supervisor_user: Any,
    outsider: Any,
    client_for: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sheets = printed.clean([0, 1])
    upload(
        client_for(clerk1),
        counting_conference,
        [("x.png", sheets[0].data), ("y.png", sheets[1].data)],
    )
    for s in sheets:
        digest = hashlib.sha256(s.data).hexdigest()
        entry = AuditEntry.objects.get(action="scan.evidence", after__sha256=digest)
        assert entry.actor_id == clerk1.pk
    f = ScanFile.objects.get(name="x.png")
    url = reverse("scanning:evidence", args=[counting_conference.pk, f.pk])
    assert client_for(outsider).get(url).status_code == 403
    assert (
        client_for(outsider)
        .get(reverse("scanning:index", args=[counting_conference.pk]))
        .status_code
        == 403
    )
    got = client_for(supervisor_user).get(url)
    assert got.status_code == 200
    assert hashlib.sha256(b"".join(got.streaming_content)).hexdigest() == f.sha256
    read = AuditEntry.objects.filter(action="scan.evidence_view").latest("seq")
    assert read.actor_id == supervisor_user.pk
    assert verify_chain() is None
    # `tinnhiem audit verify`, as an operator runs it, on the same database.
    assert cli_main(["audit", "verify"]) == 0
    assert "chuỗi nguyên vẹn" in capsys.readouterr().out


def test_too_many_files_in_one_upload_are_refused_in_vietnamese(
    counting_conference: Conference, printed: Printed, clerk1: Any, client_for: Any
) -> None:
    files = [(f"{i}.png", b"\x89PNG\r\n\x1a\n" + bytes([i % 256, i // 256])) for i in range(101)]
    data = upload(client_for(clerk1), counting_conference, files)
    assert data["status_code"] == 400
    assert data["error"] == "Quá nhiều tệp trong một lần tải lên (tối đa 100)."
    assert not ScanFile.objects.exists()


def test_size_and_page_limits_are_refused_in_vietnamese(
    counting_conference: Conference,
    printed: Printed,
    clerk1: Any,
    client_for: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tinnhiem.scanning import services

    monkeypatch.setattr(services, "MAX_PAGES_PER_FILE", 2)
    three = pdf_of([marked_page(printed, i, {}) for i in range(3)])
    client = client_for(clerk1)
    data = upload(client, counting_conference, [("ba-trang.pdf", three)])
    assert data["files"][0]["message"] == "ba-trang.pdf: 3 trang, quá giới hạn 2 trang một tệp."
    monkeypatch.setattr(services, "MAX_FILE_BYTES", 2**20)
    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2**20
    data = upload(client, counting_conference, [("lon.png", big)])
    assert data["files"][0]["message"] == "lon.png: tệp lớn hơn 1 MB."
    assert not ScanFile.objects.exists()
    assert list(services.evidence_dir().glob(".upload-*")) == []


def test_the_form_works_without_the_script_messages_on_the_page(
    counting_conference: Conference, printed: Printed, clerk1: Any, client_for: Any
) -> None:
    sheet = printed.clean([0])[0]
    client = client_for(clerk1)
    url = reverse("scanning:upload", args=[counting_conference.pk])
    files = [SimpleUploadedFile("mot.png", sheet.data), SimpleUploadedFile("x.txt", b"abc")]
    response = client.post(url, {"files": files}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "scanning:index", args=[counting_conference.pk]
    )
    assert "mot.png: đã nhận." in html
    assert "x.txt: không phải ảnh PNG, JPEG, TIFF hay tệp PDF." in html
    assert scan_pass(counting_conference) == {
        1: truth_digits(sheet, VoteKind("poll"), ["1", "2", "3"])
    }
