"""Nhập phiếu, nhật ký nhập phiếu, đối chiếu, kết quả đã xác nhận.

A ballot as a clerk types it: one digit per person in ballot order —
``1`` cao, ``2`` tín nhiệm, ``3`` thấp (binding vote: ``1`` tín nhiệm,
``2`` không tín nhiệm), ``0`` no box marked, ``9`` several boxes marked —
plus the whole-ballot toggles.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinnhiem.conferences.models import Conference


class BallotFields(models.Model):
    digits = models.CharField(_("đánh dấu"), max_length=500, blank=True)
    issued = models.BooleanField(_("do ban kiểm phiếu phát ra"), default=True)
    crossed_out = models.JSONField(_("gạch tên (số thứ tự)"), default=list, blank=True)
    added_names = models.PositiveSmallIntegerField(_("số tên ghi thêm"), default=0)
    other_writing = models.BooleanField(_("ghi thêm thông tin khác"), default=False)
    signed = models.BooleanField(_("có ký tên"), default=False)

    class Meta:
        abstract = True

    def payload(self) -> dict[str, object]:
        return {
            "digits": self.digits,
            "issued": self.issued,
            "crossed_out": sorted(self.crossed_out, key=int),
            "added_names": self.added_names,
            "other_writing": self.other_writing,
            "signed": self.signed,
        }


class EntrySource(models.TextChoices):
    """Where an entry comes from: a clerk's typing, or the scanner (a whole pass)."""

    TYPED = "typed", _("Nhập bằng bàn phím")
    SCAN = "scan", _("Quét phiếu")


class BallotEntry(BallotFields):
    """One ballot as entered in one of the two independent passes.

    A pass is either typed by a clerk or, whole, the reading of the scanned
    ballots (``source`` scan, written only by the scanning app: see
    :func:`tinnhiem.counting.services.scan_pass_sync`); the two passes are
    reconciled the same way either way.
    """

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="entries")
    entry_pass = models.PositiveSmallIntegerField(_("lượt nhập"))
    number = models.PositiveIntegerField(_("số phiếu"))
    source = models.CharField(
        _("nguồn"), max_length=8, choices=EntrySource.choices, default=EntrySource.TYPED
    )
    serial = models.CharField(_("mã phiếu"), max_length=64, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["entry_pass", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "entry_pass", "number"], name="entry_unique_number"
            ),
        ]


class EntryLogEntry(models.Model):
    """Nhật ký nhập phiếu: every change to an entry, with who and when."""

    class Action(models.TextChoices):
        CREATE = "create", _("Nhập mới")
        UPDATE = "update", _("Sửa")
        DELETE = "delete", _("Xóa")
        RESOLVE = "resolve", _("Ban kiểm phiếu quyết định")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="entry_log")
    entry_pass = models.PositiveSmallIntegerField(_("lượt nhập"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số phiếu"))
    action = models.CharField(_("thao tác"), max_length=16, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.CharField(_("lý do"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]


class Resolution(BallotFields):
    """The committee's decision on a ballot the two passes disagree on."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="resolutions")
    number = models.PositiveIntegerField(_("số phiếu"))
    exists = models.BooleanField(
        _("phiếu có thật"), default=True, help_text=_("Bỏ chọn nếu số phiếu này bị nhập thừa.")
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("lý do"), max_length=300)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conference", "number"], name="resolution_once"),
        ]


class ConfirmedResult(models.Model):
    """A frozen result: the conference record and the tally, with a digest.

    Version 1 is the head's confirmation; each amendment adds a version with
    its reason, and only the newest is current.
    """

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="results")
    version = models.PositiveIntegerField()
    record = models.JSONField()
    result = models.JSONField()
    sha256 = models.CharField(max_length=64)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("lý do điều chỉnh"), max_length=500, blank=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["conference", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "version"], name="result_version"),
        ]


class BallotPrint(models.Model):
    """Sổ phiếu đã in: the serials of one print run and the layout they follow.

    A ballot whose serial is in no print run of the conference was "not
    issued by the counting committee" (Quy định 96-QĐ/TW Điều 6 khoản 3); the
    layout is what the scanner reads. No voter is ever linked to a serial.
    """

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="ballot_prints"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    count = models.PositiveIntegerField(_("số phiếu in"))
    serials = models.JSONField()
    layout = models.JSONField()

    class Meta:
        ordering = ["conference", "created_at"]
