"""Processing in the background: progress in the database, failures shown, never a hang."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.scanning_web.sheets import Printed
from tinnhiem.conferences.models import Conference
from tinnhiem.scanning import imaging, services, worker
from tinnhiem.scanning.models import ScanJob, ScanSheet


def post(client: Any, conference: Conference, files: list[tuple[str, bytes]]) -> Any:
    return client.post(
        reverse("scanning:upload", args=[conference.pk]),
        {"files": [SimpleUploadedFile(n, d) for n, d in files]},
        HTTP_ACCEPT="application/json",
    )


def test_a_crash_while_reading_fails_the_job_with_a_vietnamese_error_and_retry_resumes(
    counting_conference: Conference,
    printed: Printed,
    clerk1: Any,
    client_for: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sheets = printed.clean([0, 1])
    real = imaging.read_sheet

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(imaging, "read_sheet", broken)
    client = client_for(clerk1)
    response = post(
        client, counting_conference, [("a.png", sheets[0].data), ("b.png", sheets[1].data)]
    )
    assert response.status_code == 200
    job = ScanJob.objects.get()
    assert job.state == ScanJob.State.FAILED
    assert job.error == "Lỗi khi đọc tệp a.png; các tệp khác vẫn được giữ. (MemoryError)"
    assert ScanSheet.objects.count() == 0
    page = client.get(reverse("scanning:index", args=[counting_conference.pk])).content.decode()
    assert "Lỗi khi đọc tệp a.png" in page
    assert "Xử lý tiếp" in page
    monkeypatch.setattr(imaging, "read_sheet", real)
    client.post(reverse("scanning:retry", args=[counting_conference.pk, job.pk]))
    job.refresh_from_db()
    assert job.state == ScanJob.State.DONE
    assert ScanSheet.objects.filter(state=ScanSheet.State.READ).count() == 2


def test_a_job_whose_worker_stopped_shows_as_failed_not_running(
    counting_conference: Conference, clerk1: Any, client_for: Any, printed: Printed
) -> None:
    job = ScanJob.objects.create(
        conference=counting_conference,
        created_by=clerk1,
        state=ScanJob.State.RUNNING,
        heartbeat=timezone.now() - timedelta(minutes=10),
    )
    data = (
        client_for(clerk1).get(reverse("scanning:progress", args=[counting_conference.pk])).json()
    )
    assert data["busy"] is False
    assert data["jobs"][0]["state"] == "failed"
    assert "bị gián đoạn" in data["jobs"][0]["error"]
    job.refresh_from_db()
    assert job.state == ScanJob.State.FAILED


@pytest.mark.django_db(transaction=True)
def test_the_thread_worker_processes_an_upload_after_the_request_returns(
    counting_conference: Conference,
    printed: Printed,
    clerk1: Any,
    client_for: Any,
    settings: Any,
) -> None:
    settings.TINNHIEM_SCAN_WORKER = "thread"
    sheets = printed.clean(range(4))
    response = post(
        client_for(clerk1),
        counting_conference,
        [(f"{i}.png", s.data) for i, s in enumerate(sheets)],
    )
    assert response.json()["job"]["state"] == "queued"
    assert worker.wait(120)
    job = ScanJob.objects.get()
    assert job.state == ScanJob.State.DONE, job.error
    assert job.sheets_done == 4
    assert services.scan_entry_pass(counting_conference) == 2
    assert ScanSheet.objects.filter(state=ScanSheet.State.READ).count() == 4


def test_a_big_batch_is_read_by_worker_processes_with_the_same_result(
    counting_conference: Conference,
    printed: Printed,
    clerk1: Any,
    client_for: Any,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.scanning_web.sheets import truth_digits
    from tinnhiem.counting.models import BallotEntry, EntrySource
    from tinnhiem.counting.selectors import candidate_keys
    from tinnhiem.rules import VoteKind

    settings.TINNHIEM_SCAN_PROCESSES = 2
    monkeypatch.setattr(imaging, "POOL_MIN_SHEETS", 2)
    sheets = printed.clean(range(6))
    post(
        client_for(clerk1),
        counting_conference,
        [(f"{i}{s.suffix}", s.data) for i, s in enumerate(sheets)],
    )
    job = ScanJob.objects.get()
    assert job.state == ScanJob.State.DONE, job.error
    kind = VoteKind(counting_conference.kind)
    keys = candidate_keys(counting_conference)
    got = {
        e.serial: e.digits
        for e in BallotEntry.objects.filter(conference=counting_conference, source=EntrySource.SCAN)
    }
    assert got == {s.truth.serial: truth_digits(s, kind, keys) for s in sheets}
