"""Việc tạo văn bản chạy nền và sổ đăng ký văn bản mật đi.

* :class:`DocumentJob` — a large document built in the background (all
  ballot papers of a round, the province statistics, a large conference's
  document): who asked, what, its state, progress ``done/total``, the result
  file, a Vietnamese error.
* :class:`SecretRegisterEntry` — one line of the register of outgoing secret
  documents (*sổ đăng ký bí mật nhà nước đi*, Mẫu số 14 of Thông tư
  24/2020/TT-BCA under Nghị định 26/2020/NĐ-CP): every download of a *Mật*
  document, numbered consecutively per year (:class:`RegisterCounter`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinnhiem.campaigns.models import VoteRound
from tinnhiem.conferences.models import Conference


class JobKind(models.TextChoices):
    ROUND_BALLOTS = "round_ballots", _("Phiếu tín nhiệm của toàn đợt (ZIP)")
    ROUND_STATS_PDF = "round_stats_pdf", _("Báo cáo thống kê toàn đợt (PDF)")
    ROUND_STATS_XLSX = "round_stats_xlsx", _("Báo cáo thống kê toàn đợt (XLSX)")
    CONFERENCE_BALLOTS = "conference_ballots", _("Phiếu tín nhiệm của hội nghị (PDF)")
    CONFERENCE_REPORT = "conference_report", _("Báo cáo, biên bản kiểm phiếu của hội nghị")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Không tạo được")


class DocumentJob(models.Model):
    """One document built in the background for one person."""

    kind = models.CharField(_("loại văn bản"), max_length=32, choices=JobKind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="document_jobs"
    )
    vote_round = models.ForeignKey(
        VoteRound, on_delete=models.CASCADE, related_name="document_jobs"
    )
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="document_jobs", null=True, blank=True
    )
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    progress_done = models.PositiveIntegerField(_("đã làm"), default=0)
    progress_total = models.PositiveIntegerField(_("tổng số bước"), default=0)
    step = models.CharField(_("bước đang làm"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    worker = models.CharField(_("tiến trình xử lý"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.BinaryField(_("tệp kết quả"), null=True, blank=True, editable=False)
    result_name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    result_type = models.CharField(_("kiểu tệp"), max_length=120, blank=True)
    result_size = models.PositiveBigIntegerField(_("dung lượng"), default=0)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("việc tạo văn bản")
        verbose_name_plural = _("việc tạo văn bản")
        indexes = [models.Index(fields=["state", "created_at"], name="delivery_job_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        """Whole percent done, for the progress bar (integer arithmetic)."""
        if self.state == JobState.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)


class RegisterCounter(models.Model):
    """The last register number given in a year (numbers restart each year)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class SecretRegisterEntry(models.Model):
    """Một dòng của sổ đăng ký văn bản mật đi (Mẫu số 14, Thông tư 24/2020/TT-BCA):
    số thứ tự đăng ký, ngày, số và ký hiệu, trích yếu nội dung, độ mật, số
    lượng bản, nơi nhận / người nhận, người phát hành, ghi chú."""

    year = models.PositiveIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số đăng ký"))
    issued_at = models.DateTimeField(_("ngày, giờ"))
    document_kind = models.CharField(_("tên loại văn bản"), max_length=60)
    reference = models.CharField(_("số, ký hiệu văn bản"), max_length=100, blank=True)
    summary = models.CharField(_("trích yếu nội dung"), max_length=400)
    secrecy = models.CharField(_("độ mật"), max_length=20, default="Mật")
    copies = models.PositiveSmallIntegerField(_("số lượng bản"), default=1)
    recipient = models.CharField(_("nơi nhận, người nhận"), max_length=200)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="secret_documents_received",
        verbose_name=_("người nhận"),
    )
    issued_by = models.CharField(_("đơn vị phát hành"), max_length=200)
    vote_round = models.ForeignKey(
        VoteRound, on_delete=models.PROTECT, related_name="secret_register"
    )
    conference = models.ForeignKey(
        Conference,
        on_delete=models.PROTECT,
        related_name="secret_register",
        null=True,
        blank=True,
    )
    filename = models.CharField(_("tên tệp"), max_length=200)
    sha256 = models.CharField(_("mã băm SHA-256 của tệp"), max_length=64)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("văn bản mật đi")
        verbose_name_plural = _("sổ đăng ký văn bản mật đi")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="secret_register_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.year}"

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}"
