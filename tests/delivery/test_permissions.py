"""Round-level documents are for the organising department only; a job is
seen and downloaded by the person who asked for it, nobody else."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tinnhiem.accounts.models import User
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.models import AuditEntry
from tinnhiem.counting.models import ConfirmedResult
from tinnhiem.delivery import runner
from tinnhiem.delivery.models import DocumentJob, JobKind
from tinnhiem.delivery.services import job_start

ClientFor = Callable[[User | None], Client]


def test_only_the_organising_department_opens_the_round_pages(
    confirmed: ConfirmedResult,
    head_user: User,
    clerk1: User,
    supervisor_user: User,
    outsider: User,
    organiser: User,
    client_for: ClientFor,
) -> None:
    r = confirmed.conference.round.pk
    urls = [
        f"/van-ban/ke-hoach/{r}/",
        f"/van-ban/ke-hoach/{r}/thong-ke/",
        "/van-ban/so-dang-ky/",
        "/van-ban/so-dang-ky.xlsx",
    ]
    for user in (head_user, clerk1, supervisor_user, outsider):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user.username, url)
        response = client.post(f"/van-ban/ke-hoach/{r}/tao/round_ballots/", {"extra": "0"})
        assert response.status_code == 403
    assert client_for(None).get(urls[0]).status_code == 302  # to the login page
    assert not DocumentJob.objects.exists()
    assert not AuditEntry.objects.filter(action="statistics.view").exists()
    client = client_for(organiser)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_service_refuses_a_round_job_to_a_committee_member(
    confirmed: ConfirmedResult, head_user: User
) -> None:
    with pytest.raises(ServiceError) as e:
        job_start(
            acting_user=head_user,
            kind=JobKind.ROUND_STATS_PDF,
            vote_round=confirmed.conference.round,
        )
    assert e.value.code == "forbidden"


def test_a_job_is_invisible_to_everyone_but_its_requester(
    confirmed: ConfirmedResult,
    organiser: User,
    head_user: User,
    clerk1: User,
    outsider: User,
    client_for: ClientFor,
) -> None:
    job = job_start(
        acting_user=organiser, kind=JobKind.ROUND_STATS_XLSX, vote_round=confirmed.conference.round
    )
    runner.run_pending()
    other_organiser = User.objects.create(username="bantochuc2", is_organiser=True)
    for user in (head_user, clerk1, outsider, other_organiser):
        client = client_for(user)
        for suffix in ("", "trang-thai.json", "tai-ve/"):
            assert client.get(f"/van-ban/viec/{job.pk}/{suffix}").status_code == 404
    assert not AuditEntry.objects.filter(action="document.job_download").exists()
    assert client_for(organiser).get(f"/van-ban/viec/{job.pk}/tai-ve/").status_code == 200


def test_the_head_may_have_a_large_report_built_but_a_clerk_may_not(
    confirmed: ConfirmedResult,
    head_user: User,
    clerk1: User,
    client_for: ClientFor,
    settings: object,
) -> None:
    settings.TINNHIEM_BACKGROUND_PERSONS = 1  # type: ignore[attr-defined]
    conference = confirmed.conference
    assert client_for(clerk1).get(f"/kiem-phieu/{conference.pk}/bao-cao.pdf").status_code == 403
    response = client_for(head_user).get(f"/kiem-phieu/{conference.pk}/bien-ban.docx")
    job = DocumentJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/van-ban/viec/{job.pk}/"
    assert job.kind == JobKind.CONFERENCE_REPORT
    assert job.params == {"fmt": "docx", "minutes": True}
    runner.run_pending()
    job.refresh_from_db()
    assert job.result_name.startswith("bien-ban-kiem-phieu-")
    assert job.result_name.endswith(".docx")
