"""Background builds: queued → running → done with a moving progress bar, a
clear Vietnamese error on failure, stale jobs recovered after a restart, the
file handed over (audited) to the person who asked only."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.documents._helpers import pypdf_pages, squash
from tinnhiem.accounts.models import User
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.models import AuditEntry
from tinnhiem.conferences.models import Conference
from tinnhiem.counting.models import BallotPrint, ConfirmedResult
from tinnhiem.delivery import runner
from tinnhiem.delivery.models import DocumentJob, JobKind, JobState
from tinnhiem.delivery.services import job_start

ClientFor = Callable[[User | None], Client]


def _watch_progress(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, int]]:
    """Record (state seen in the database, done, total) at every progress step."""
    seen: list[tuple[str, int, int]] = []
    original = runner._progress

    def spy(job: DocumentJob) -> Callable[[int, int, str], None]:
        report = original(job)

        def wrapped(done: int, total: int, step: str) -> None:
            report(done, total, step)
            row = DocumentJob.objects.get(pk=job.pk)
            seen.append((row.state, row.progress_done, row.progress_total))

        return wrapped

    monkeypatch.setattr(runner, "_progress", spy)
    return seen


def test_a_round_statistics_job_goes_from_queued_to_running_to_done(
    confirmed: ConfirmedResult,
    organiser: User,
    client_for: ClientFor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    vote_round = confirmed.conference.round
    client = client_for(organiser)
    response = client.post(f"/van-ban/ke-hoach/{vote_round.pk}/tao/round_stats_pdf/")
    job = DocumentJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/van-ban/viec/{job.pk}/"
    assert job.state == JobState.QUEUED
    assert job.requested_by == organiser
    status = client.get(f"/van-ban/viec/{job.pk}/trang-thai.json").json()
    assert (status["state"], status["percent"], status["download"]) == ("queued", 0, None)

    seen = _watch_progress(monkeypatch)
    assert runner.run_pending() == 1
    # Every step was written while the job was running, and the bar only moves forward.
    assert seen
    assert {s for s, _, _ in seen} == {JobState.RUNNING}
    dones = [d for _, d, _ in seen]
    assert dones == sorted(dones)
    assert len(set(dones)) >= 2

    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert job.percent == 100
    assert job.attempts == 1
    assert job.finished_at is not None
    status = client.get(f"/van-ban/viec/{job.pk}/trang-thai.json").json()
    assert status["state"] == "done"
    assert status["percent"] == 100
    assert status["download"] == f"/van-ban/viec/{job.pk}/tai-ve/"

    page = client.get(f"/van-ban/viec/{job.pk}/").content.decode()
    assert 'id="job-progress"' in page
    assert "delivery/progress.js" in page
    assert "<script>" not in page  # no inline script (CSP)

    download = client.get(status["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    text = squash(" ".join(pypdf_pages(download.content)))
    year = timezone.localtime().year
    assert f"Số đăng ký văn bản mật đi: 1/{year}" in text
    assert f"({organiser.username})" in text
    assert AuditEntry.objects.filter(action="document.job_start").count() == 1
    assert AuditEntry.objects.filter(action="document.job_done").count() == 1
    assert AuditEntry.objects.filter(action="document.job_download").count() == 1
    assert AuditEntry.objects.filter(action="register.secret").count() == 1


def test_round_ballots_come_as_one_zip_with_a_folder_per_conference(
    checkin_conference: Conference, organiser: User
) -> None:
    job = job_start(
        acting_user=organiser,
        kind=JobKind.ROUND_BALLOTS,
        vote_round=checkin_conference.round,
        params={"extra": "2"},
    )
    assert job.progress_total == 15 + 2  # fifteen summoned, two spare
    runner.run_pending()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    z = zipfile.ZipFile(io.BytesIO(bytes(job.result)))
    names = z.namelist()
    folder = f"001-{checkin_conference.record_id}"
    assert f"{folder}/phieu-tin-nhiem-{checkin_conference.record_id}.pdf" in names
    issued = json.loads(z.read(f"{folder}/issued.json"))
    printed = BallotPrint.objects.get(conference=checkin_conference)
    assert issued["serials"] == printed.serials
    assert len(set(printed.serials)) == 17
    manifest = json.loads(z.read("danh-sach.json"))
    assert manifest["conferences"][0]["ballots"] == 17
    text = " ".join(
        pypdf_pages(z.read(f"{folder}/phieu-tin-nhiem-{checkin_conference.record_id}.pdf"))
    )
    for serial in printed.serials:
        assert f"Mã phiếu: {serial}" in text


def test_a_large_ballot_print_goes_to_the_background_in_chunks(
    checkin_conference: Conference,
    organiser: User,
    client_for: ClientFor,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.TINNHIEM_BACKGROUND_PAGES = 10
    client = client_for(organiser)
    response = client.post(f"/kiem-phieu/{checkin_conference.pk}/in-phieu/", {"count": "60"})
    job = DocumentJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/van-ban/viec/{job.pk}/"
    assert job.kind == JobKind.CONFERENCE_BALLOTS
    assert job.conference == checkin_conference
    seen = _watch_progress(monkeypatch)
    runner.run_pending()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert [d for _, d, _ in seen][:2] == [0, 50]  # typeset fifty at a time
    pages = pypdf_pages(bytes(job.result))
    printed = BallotPrint.objects.get(conference=checkin_conference)
    assert printed.count == 60
    assert len(set(printed.serials)) == 60
    text = " ".join(pages)
    assert all(f"Mã phiếu: {s}" in text for s in printed.serials)
    # A small print is still answered at once.
    small = client.post(f"/kiem-phieu/{checkin_conference.pk}/in-phieu/", {"count": "3"})
    assert small.status_code == 200
    assert small["Content-Type"] == "application/pdf"


def test_a_failed_build_shows_a_vietnamese_message_and_keeps_nothing(
    checkin_conference: Conference, organiser: User, client_for: ClientFor
) -> None:
    job = job_start(
        acting_user=organiser,
        kind=JobKind.CONFERENCE_BALLOTS,
        vote_round=checkin_conference.round,
        conference=checkin_conference,
        params={"count": "5"},
    )
    checkin_conference.candidacies.all().delete()  # the list was emptied meanwhile
    runner.run_pending()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "Chưa có người được lấy phiếu trên phiếu."
    assert job.result is None
    client = client_for(organiser)
    status = client.get(f"/van-ban/viec/{job.pk}/trang-thai.json").json()
    assert status["state"] == "failed"
    assert status["error"] == job.error
    page = client.get(f"/van-ban/viec/{job.pk}/").content.decode()
    assert job.error in page
    download = client.get(f"/van-ban/viec/{job.pk}/tai-ve/", follow=True)
    assert "Văn bản chưa tạo xong." in download.content.decode()
    assert AuditEntry.objects.filter(action="document.job_failed").count() == 1


def test_an_unexpected_error_is_reported_without_a_traceback(
    confirmed: ConfirmedResult, organiser: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tinnhiem.delivery import builders

    def broken(job: DocumentJob, progress: Any) -> Any:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(builders, "build", broken)
    job = job_start(
        acting_user=organiser, kind=JobKind.ROUND_STATS_XLSX, vote_round=confirmed.conference.round
    )
    runner.run_pending()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error.startswith("Lỗi không mong muốn khi tạo văn bản (việc số ")
    assert "Traceback" not in job.error
    assert "ZeroDivisionError" not in job.error


def test_a_job_left_running_by_a_dead_process_is_built_again_after_a_restart(
    confirmed: ConfirmedResult, organiser: User
) -> None:
    job = job_start(
        acting_user=organiser, kind=JobKind.ROUND_STATS_XLSX, vote_round=confirmed.conference.round
    )
    claimed = runner.claim_next(worker="old-process")
    assert claimed is not None
    assert claimed.pk == job.pk
    # The process dies: no heartbeat any more.
    DocumentJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=10)
    )
    assert runner.claim_next() is None  # a running job is never claimed twice
    assert runner.recover_stale() == 1
    job.refresh_from_db()
    assert job.state == JobState.QUEUED
    assert job.attempts == 1
    assert runner.run_pending() == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert job.attempts == 2
    assert bytes(job.result).startswith(b"PK")


def test_a_job_interrupted_twice_fails_with_a_message(
    confirmed: ConfirmedResult, organiser: User
) -> None:
    job = job_start(
        acting_user=organiser, kind=JobKind.ROUND_STATS_PDF, vote_round=confirmed.conference.round
    )
    DocumentJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING,
        attempts=runner.MAX_ATTEMPTS,
        heartbeat_at=timezone.now() - timedelta(minutes=10),
    )
    fresh = job_start(
        acting_user=organiser, kind=JobKind.ROUND_STATS_PDF, vote_round=confirmed.conference.round
    )
    DocumentJob.objects.filter(pk=fresh.pk).update(
        state=JobState.RUNNING, heartbeat_at=timezone.now()
    )
    assert runner.recover_stale() == 1  # the live one is left alone
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == runner.INTERRUPTED
    assert DocumentJob.objects.get(pk=fresh.pk).state == JobState.RUNNING


def test_bad_parameters_are_refused_in_vietnamese(
    checkin_conference: Conference, organiser: User, client_for: ClientFor
) -> None:
    vote_round = checkin_conference.round
    with pytest.raises(ServiceError) as e:
        job_start(
            acting_user=organiser,
            kind=JobKind.ROUND_BALLOTS,
            vote_round=vote_round,
            params={"extra": "nhiều"},
        )
    assert (
        e.value.message == "Số phiếu dự phòng mỗi hội nghị phải là số nguyên (nhận được: 'nhiều')."
    )
    with pytest.raises(ServiceError) as e:
        job_start(acting_user=organiser, kind=JobKind.ROUND_STATS_PDF, vote_round=vote_round)
    assert e.value.code == "no_results"
    response = client_for(organiser).post(
        f"/van-ban/ke-hoach/{vote_round.pk}/tao/round_ballots/", {"extra": "500"}, follow=True
    )
    assert "Số phiếu dự phòng mỗi hội nghị phải từ 0 đến 100 (nhận được: 500)." in (
        response.content.decode()
    )
    assert not DocumentJob.objects.exists()
