"""Quét phiếu: uploaded scans (evidence), processing jobs, sheets read, review decisions.

* :class:`ScanFile` — one uploaded file, kept under the data directory by its
  SHA-256 (the evidence; the digest is in the audit chain);
* :class:`ScanJob` — reading the files of one upload in the background; its
  progress is in the database, so a reload shows it and a crash shows an error;
* :class:`ScanSheet` — one sheet (an image, or a page of a PDF/TIFF) with what
  the scanning core read on it, its reasons and its status;
* :class:`ReviewDecision` — every decision of a reviewer (who, when, before →
  after);
* :class:`ScanPass` — which of the two entry passes the scanned ballots fill.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinnhiem.conferences.models import Conference


class ScanPass(models.Model):
    """The entry pass (1 or 2) that the scanned ballots stand as; the other is typed."""

    conference = models.OneToOneField(
        Conference, on_delete=models.CASCADE, related_name="scan_pass"
    )
    entry_pass = models.PositiveSmallIntegerField(_("lượt nhập"))


class ScanJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ xử lý")
        RUNNING = "running", _("Đang xử lý")
        DONE = "done", _("Đã xử lý xong")
        FAILED = "failed", _("Lỗi khi xử lý")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="scan_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    files_total = models.PositiveIntegerField(default=0)
    files_done = models.PositiveIntegerField(default=0)
    sheets_done = models.PositiveIntegerField(default=0)
    heartbeat = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "id"]


class ScanFile(models.Model):
    """An uploaded file: evidence, content-addressed by its SHA-256."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="scan_files")
    job = models.ForeignKey(ScanJob, on_delete=models.CASCADE, related_name="files")
    sha256 = models.CharField(max_length=64)
    name = models.CharField(_("tên tệp"), max_length=255)
    kind = models.CharField(max_length=4)
    """``png``, ``jpeg``, ``tiff`` or ``pdf`` (from the file's first bytes)."""
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    processed = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "sha256"], name="scanfile_once"),
        ]


class ScanSheet(models.Model):
    """One sheet: what the core read, and where it stands."""

    class State(models.TextChoices):
        READ = "read", _("Đọc được")
        REVIEW = "review", _("Cần kiểm tra")
        ACCEPTED = "accepted", _("Đã kiểm tra, chấp nhận")
        REJECTED = "rejected", _("Đã loại")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="scan_sheets")
    file = models.ForeignKey(ScanFile, on_delete=models.CASCADE, related_name="sheets")
    file_page = models.PositiveIntegerField(null=True, blank=True)
    """1-based page of a multi-page PDF or TIFF; None for a single image."""
    serial = models.CharField(_("mã phiếu"), max_length=64, blank=True)
    """As read from the QR code (empty: none read)."""
    page = models.PositiveSmallIntegerField(null=True, blank=True)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    reading = models.JSONField()
    """What the core read: ``boxes``, ``flags``, ``reasons`` (its own), ``qr``, ``homography``."""
    reasons = models.JSONField(default=list)
    """Every reason that applies now (the core's and the batch's: register, duplicates, pages)."""
    state = models.CharField(max_length=8, choices=State.choices, default=State.REVIEW)
    decision = models.JSONField(null=True, blank=True)
    """The reviewer's last decision (see :mod:`tinnhiem.scanning.services`)."""
    ballot_number = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["conference", "state"])]

    @property
    def label(self) -> str:
        return self.file.name if self.file_page is None else f"{self.file.name} #{self.file_page}"


class ReviewDecision(models.Model):
    """Nhật ký kiểm tra phiếu quét: one reviewer decision on one sheet."""

    class Action(models.TextChoices):
        ACCEPT = "accept", _("Chấp nhận")
        REJECT = "reject", _("Loại")

    sheet = models.ForeignKey(ScanSheet, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(max_length=8, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
