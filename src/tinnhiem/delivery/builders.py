"""What each kind of background job builds, through the same services as a
direct download (:mod:`tinnhiem.counting.documents`): the same figures, the
same register of serials, the same sổ đăng ký văn bản mật đi.

All ballot papers of a round come as one ZIP with a folder per conference —
the ballots PDF and its register of serials (``tinnhiem.ballots-issued/1``)
— because each conference has its own list of persons, its own serials and
its own committee that prints and hands out its ballots; one merged PDF
would have to be cut up by hand (``docs/decisions/0015-e-background-documents.md``).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tinnhiem.common.errors import ServiceError
from tinnhiem.conferences.models import Conference
from tinnhiem.delivery.models import DocumentJob, JobKind
from tinnhiem.delivery.services import ballots_for

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Built:
    content: bytes
    filename: str
    content_type: str


def _round_conferences(job: DocumentJob, extra: int) -> list[tuple[Conference, int]]:
    conferences = (
        job.vote_round.conferences.select_related("agency", "agency__block", "round")
        .order_by("agency__block__order", "agency__order", "date", "pk")
        .prefetch_related("candidacies")
    )
    out = []
    for c in conferences:
        count = ballots_for(c, extra)
        if count and c.candidacies.all():
            out.append((c, count))
    return out


def round_ballots(job: DocumentJob, progress: Progress) -> Built:
    from tinnhiem.counting.documents import ballots_issued_json, ballots_print

    plan = _round_conferences(job, int(job.params.get("extra", 0)))
    if not plan:
        raise ServiceError("nothing_to_print", _("Không còn hội nghị nào để in phiếu."))
    total = sum(n for _, n in plan)
    buffer = io.BytesIO()
    manifest = []
    done = 0
    # PDFs are compressed already: store them, deflate only the JSON.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        for i, (conference, count) in enumerate(plan, start=1):
            offset = done

            def step(
                k: int, _n: int, _text: str, *, c: Conference = conference, at: int = offset
            ) -> None:
                progress(at + k, total, f"{c.agency.name}: {k}/{_n} phiếu")

            progress(done, total, f"{conference.agency.name}: bắt đầu")
            download = ballots_print(
                acting_user=job.requested_by, conference=conference, count=count, progress=step
            )
            printed = conference.ballot_prints.order_by("-pk").first()
            assert printed is not None
            folder = f"{i:03d}-{conference.record_id}"
            z.writestr(f"{folder}/{download.filename}", download.content)
            z.writestr(
                f"{folder}/issued.json",
                json.dumps(ballots_issued_json(printed), ensure_ascii=False, indent=1),
                compress_type=zipfile.ZIP_DEFLATED,
            )
            manifest.append(
                {
                    "folder": folder,
                    "conference": conference.title,
                    "agency": conference.agency.name,
                    "block": conference.agency.block.name,
                    "ballots": count,
                }
            )
            done += count
            progress(done, total, f"{conference.agency.name}: xong")
        z.writestr(
            "danh-sach.json",
            json.dumps(
                {"round": job.vote_round.number, "conferences": manifest},
                ensure_ascii=False,
                indent=1,
            ),
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return Built(buffer.getvalue(), f"phieu-tin-nhiem-ke-hoach-{job.vote_round.pk}.zip", ZIP)


ZIP = "application/zip"


def round_statistics(job: DocumentJob, progress: Progress, fmt: str) -> Built:
    from tinnhiem.counting.documents import statistics_download

    d = statistics_download(
        acting_user=job.requested_by, vote_round=job.vote_round, fmt=fmt, progress=progress
    )
    return Built(d.content, d.filename, d.content_type)


def conference_ballots(job: DocumentJob, progress: Progress) -> Built:
    from tinnhiem.counting.documents import ballots_print

    assert job.conference is not None
    d = ballots_print(
        acting_user=job.requested_by,
        conference=job.conference,
        count=int(job.params["count"]),
        progress=progress,
    )
    return Built(d.content, d.filename, d.content_type)


def conference_report(job: DocumentJob, progress: Progress) -> Built:
    from tinnhiem.counting.documents import report_download

    assert job.conference is not None
    d = report_download(
        acting_user=job.requested_by,
        conference=job.conference,
        fmt=str(job.params["fmt"]),
        minutes=bool(job.params.get("minutes")),
        progress=progress,
    )
    return Built(d.content, d.filename, d.content_type)


def build(job: DocumentJob, progress: Progress) -> Built:
    """The file of ``job``.

    :raises ServiceError: with the Vietnamese message shown on the job's page."""
    if job.kind == JobKind.ROUND_BALLOTS:
        return round_ballots(job, progress)
    if job.kind == JobKind.ROUND_STATS_PDF:
        return round_statistics(job, progress, "pdf")
    if job.kind == JobKind.ROUND_STATS_XLSX:
        return round_statistics(job, progress, "xlsx")
    if job.kind == JobKind.CONFERENCE_BALLOTS:
        return conference_ballots(job, progress)
    if job.kind == JobKind.CONFERENCE_REPORT:
        return conference_report(job, progress)
    raise ServiceError("bad_kind", _("Không có loại văn bản “%(kind)s”.") % {"kind": job.kind})
