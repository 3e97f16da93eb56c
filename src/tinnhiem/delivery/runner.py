"""The worker that builds queued documents: a thread in the web process.

No extra daemon (``docs/decisions/0015-e-background-documents.md``): the
first job queued (or the first look at a job's progress) starts one daemon
thread per process (:class:`tinnhiem.common.background.BackgroundThread`);
it claims jobs one at a time with a conditional UPDATE
(``queued → running`` only if still queued — atomic on SQLite and on
PostgreSQL, so two processes never build the same job), writes progress and
a heartbeat after every step, stores the file in the job row, and stops after
a minute without work. A job whose heartbeat is older than
``TINNHIEM_JOB_STALE_SECONDS`` (its process died or was restarted) is queued
again once, then marked failed with a Vietnamese message.

Tests call :func:`run_pending` / :func:`recover_stale` directly; setting
``TINNHIEM_JOB_WORKER = False`` keeps the thread from starting.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tinnhiem.common.audit import audit
from tinnhiem.common.background import BackgroundThread
from tinnhiem.common.errors import ServiceError
from tinnhiem.delivery.models import DocumentJob, JobState

logger = logging.getLogger(__name__)

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
MAX_ATTEMPTS = 2
POLL_SECONDS = 2.0
IDLE_EXIT_SECONDS = 60.0
RECOVER_EVERY_SECONDS = 30.0

INTERRUPTED = gettext_noop(
    "Việc tạo văn bản bị gián đoạn hai lần (máy chủ dừng hoặc khởi động lại khi đang tạo). "
    "Hãy yêu cầu tạo lại."
)
UNEXPECTED = gettext_noop(
    "Lỗi không mong muốn khi tạo văn bản (việc số %(pk)s). Không có dữ liệu nào bị mất; hãy thử "
    "lại, nếu vẫn lỗi hãy báo quản trị hệ thống kèm số việc."
)


def stale_after() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "TINNHIEM_JOB_STALE_SECONDS", 120)))


def worker_enabled() -> bool:
    return bool(getattr(settings, "TINNHIEM_JOB_WORKER", True))


# ------------------------------------------------------------------ one job


def claim_next(worker: str = WORKER_ID) -> DocumentJob | None:
    """The oldest queued job, now running under ``worker``; None when none is left."""
    for _attempt in range(10):
        pk = (
            DocumentJob.objects.filter(state=JobState.QUEUED)
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            return None
        now = timezone.now()
        claimed = DocumentJob.objects.filter(pk=pk, state=JobState.QUEUED).update(
            state=JobState.RUNNING,
            worker=worker,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            progress_done=0,
            step="",
            error="",
        )
        if claimed:
            return DocumentJob.objects.select_related(
                "requested_by", "vote_round", "conference"
            ).get(pk=pk)
    return None  # pragma: no cover - ten jobs taken by others in a row


def _progress(job: DocumentJob) -> Callable[[int, int, str], None]:
    def report(done: int, total: int, step: str) -> None:
        DocumentJob.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
            progress_done=max(0, min(done, total)),
            progress_total=max(total, 1),
            step=step[:300],
            heartbeat_at=timezone.now(),
        )

    return report


def _fail(job: DocumentJob, message: str) -> None:
    with transaction.atomic():
        DocumentJob.objects.filter(pk=job.pk).update(
            state=JobState.FAILED, error=message, finished_at=timezone.now(), result=None
        )
        audit(
            actor=job.requested_by,
            action="document.job_failed",
            obj=job,
            summary=message,
        )


def run_job(job: DocumentJob) -> None:
    """Build ``job`` (already claimed) and store its file or its error."""
    from tinnhiem.delivery.builders import build

    try:
        made = build(job, _progress(job))
    except ServiceError as e:
        _fail(job, e.message)
        return
    except Exception:
        logger.exception("document job %s failed", job.pk)
        _fail(job, _(UNEXPECTED) % {"pk": job.pk})
        return
    with transaction.atomic():
        total = DocumentJob.objects.filter(pk=job.pk).values_list("progress_total", flat=True)
        DocumentJob.objects.filter(pk=job.pk).update(
            state=JobState.DONE,
            result=made.content,
            result_name=made.filename,
            result_type=made.content_type,
            result_size=len(made.content),
            progress_done=total.get() or 1,
            step="",
            finished_at=timezone.now(),
        )
        audit(
            actor=job.requested_by,
            action="document.job_done",
            obj=job,
            summary=f"{made.filename} ({len(made.content)} byte)",
        )


def run_pending(worker: str = WORKER_ID) -> int:
    """Build every queued job now, in this thread; the number built."""
    n = 0
    while (job := claim_next(worker)) is not None:
        run_job(job)
        n += 1
    return n


def recover_stale(now: datetime | None = None) -> int:
    """Jobs left running by a process that died: queue them again (once),
    else mark them failed. Returns how many were recovered."""
    now = now or timezone.now()
    stale = list(
        DocumentJob.objects.filter(
            state=JobState.RUNNING, heartbeat_at__lt=now - stale_after()
        ).select_related("requested_by")
    )
    for job in stale:
        with transaction.atomic():
            if job.attempts < MAX_ATTEMPTS:
                changed = DocumentJob.objects.filter(
                    pk=job.pk, state=JobState.RUNNING, heartbeat_at=job.heartbeat_at
                ).update(state=JobState.QUEUED, worker="", step=_("Tạo lại sau khi bị gián đoạn"))
                action = "document.job_requeued"
            else:
                changed = DocumentJob.objects.filter(
                    pk=job.pk, state=JobState.RUNNING, heartbeat_at=job.heartbeat_at
                ).update(state=JobState.FAILED, error=_(INTERRUPTED), finished_at=now)
                action = "document.job_failed"
            if changed:
                audit(
                    actor=None,
                    action=action,
                    obj=job,
                    summary=f"việc #{job.pk} bị gián đoạn (tiến trình {job.worker})",
                )
    return len(stale)


# ------------------------------------------------------------------ the thread

_thread = BackgroundThread(
    "tinnhiem-documents",
    run_pending,
    idle_seconds=IDLE_EXIT_SECONDS,
    poll_seconds=POLL_SECONDS,
    every=(RECOVER_EVERY_SECONDS, recover_stale),
)


def wake() -> None:
    """Make sure this process has a worker, and tell it there is work."""
    if worker_enabled():
        _thread.wake()
