"""Kế hoạch lấy phiếu tín nhiệm, khối, cơ quan, cán bộ."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tinnhiem.common.models import TimeStamped
from tinnhiem.rules import PROFILES

PROFILE_CHOICES = [(p.id, f"{p.short_name_vi} ({p.id})") for p in PROFILES.values()]


class VoteRound(TimeStamped):
    """Kế hoạch lấy phiếu tín nhiệm: one round under one regulation profile."""

    number = models.CharField(_("số kế hoạch"), max_length=64, help_text=_("Ví dụ: 240/KH-UBND"))
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200)
    issued_on = models.DateField(_("ngày ban hành"))
    vote_year = models.PositiveIntegerField(_("năm lấy phiếu"))
    profile_id = models.CharField(_("quy định áp dụng"), max_length=32, choices=PROFILE_CHOICES)
    parameter_overrides = models.JSONField(
        _("tham số điều chỉnh"),
        default=dict,
        blank=True,
        help_text=_("Các tham số có tên của quy định được thay đổi cho đợt này."),
    )
    scope = models.TextField(_("phạm vi, đối tượng"), blank=True)

    class Meta:
        ordering = ["-vote_year", "number"]
        verbose_name = _("kế hoạch lấy phiếu")
        verbose_name_plural = _("kế hoạch lấy phiếu")

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


class Block(models.Model):
    """Khối: a group of agencies in the round's statistics."""

    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="blocks")
    name = models.CharField(_("tên khối"), max_length=200)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="block_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """Cơ quan, đơn vị: where conferences are held."""

    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="agencies")
    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(_("tên cơ quan, đơn vị"), max_length=200)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["block__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="agency_unique_name"),
        ]
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")

    def __str__(self) -> str:
        return self.name


class Official(TimeStamped):
    """Cán bộ thuộc đối tượng lấy phiếu tín nhiệm."""

    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="officials")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="officials")
    full_name = models.CharField(_("họ và tên"), max_length=150)
    position = models.CharField(_("chức vụ"), max_length=200)
    appointed_or_elected_on = models.DateField(_("ngày bổ nhiệm, bầu cử"), null=True, blank=True)
    reappointed_same_post = models.BooleanField(_("bổ nhiệm lại cùng chức vụ"), default=False)
    retirement_notice = models.BooleanField(
        _("đã có thông báo nghỉ công tác chờ nghỉ hưu"), default=False
    )
    illness_leave_since = models.DateField(
        _("nghỉ điều trị bệnh hiểm nghèo từ ngày"), null=True, blank=True
    )
    medical_certificate = models.BooleanField(_("có xác nhận của cơ sở y tế"), default=False)
    in_post_since = models.DateField(_("đảm nhiệm chức vụ liên tục từ"), null=True, blank=True)
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("tài khoản của cán bộ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="official_records",
        help_text=_("Người được lấy phiếu xem được kết quả của chính mình."),
    )

    class Meta:
        ordering = ["agency__order", "id"]
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.position})"


class GrantKind(models.TextChoices):
    """The roles given per organisation (phân quyền theo tổ chức)."""

    ROUND_ORGANISER = "round_organiser", _("Cơ quan tổ chức của kế hoạch")
    AGENCY_ORGANISER = "agency_organiser", _("Bộ phận tổ chức của cơ quan, đơn vị")


class Grant(TimeStamped):
    """A role given to an account for one organisation.

    * ``round_organiser`` — the organising department of one vote round (Ban Tổ
      chức cấp ủy / Sở Nội vụ or a district's equivalent, "cơ quan tham mưu về
      công tác cán bộ", Quy định 96-QĐ/TW Điều 7): everything of that round,
      its confidential results included. ``User.is_organiser`` is the same for
      every round of the installation.
    * ``agency_organiser`` — the office of one agency that prepares its own
      conference (summoned members, committee, check-in, ballot papers), and
      nothing of another agency's; it never sees the confidential result.
    """

    kind = models.CharField(_("vai trò"), max_length=32, choices=GrantKind.choices)
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="grants",
    )
    round = models.ForeignKey(
        VoteRound, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="grants"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan, đơn vị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="grants",
    )

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "user", "round", "agency"], name="grant_unique"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="round_organiser", agency__isnull=True)
                    | models.Q(kind="agency_organiser", agency__isnull=False)
                ),
                name="grant_agency_iff_agency_organiser",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user} · {self.agency or self.round}"
