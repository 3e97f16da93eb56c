"""Hội nghị lấy phiếu tín nhiệm, người được lấy phiếu, thành phần ghi phiếu,
ban kiểm phiếu."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinnhiem.campaigns.models import Agency, Official, VoteRound
from tinnhiem.common.models import TimeStamped


class Kind(models.TextChoices):
    POLL = "poll", _("Lấy phiếu tín nhiệm")
    BINDING = "binding", _("Bỏ phiếu tín nhiệm")


class PlaceKind(models.TextChoices):
    """Nơi lấy phiếu, in the priority order of the Hải Dương plan [S1]."""

    PARTY_COMMITTEE = "party_committee", _("Cấp ủy cao nhất")
    PEOPLES_COUNCIL = "peoples_council", _("Hội đồng nhân dân")
    WORKPLACE = "workplace", _("Nơi công tác")


class Status(models.TextChoices):
    PREPARING = "preparing", _("Chuẩn bị")
    CHECKIN = "checkin", _("Điểm danh")
    VOTING = "voting", _("Đang bỏ phiếu")
    COUNTING = "counting", _("Kiểm phiếu")
    CONFIRMED = "confirmed", _("Đã xác nhận kết quả")


class Conference(TimeStamped):
    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="conferences")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="conferences")
    title = models.CharField(_("tên hội nghị"), max_length=300)
    kind = models.CharField(_("hình thức"), max_length=16, choices=Kind.choices, default=Kind.POLL)
    place_kind = models.CharField(
        _("nơi lấy phiếu"), max_length=32, choices=PlaceKind.choices, default=PlaceKind.WORKPLACE
    )
    date = models.DateField(_("ngày hội nghị"))
    location = models.CharField(_("địa điểm"), max_length=200, blank=True)
    chair = models.CharField(_("chủ trì"), max_length=150, blank=True)
    supervisors = models.TextField(_("giám sát"), blank=True)
    members_total = models.PositiveIntegerField(
        _("tổng số ủy viên (đại biểu)"), null=True, blank=True
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.PREPARING
    )
    ballots_issued = models.PositiveIntegerField(_("số phiếu phát ra"), null=True, blank=True)
    voting_opened_at = models.DateTimeField(_("bắt đầu bỏ phiếu"), null=True, blank=True)
    voting_closed_at = models.DateTimeField(_("kết thúc bỏ phiếu"), null=True, blank=True)
    counting_started_at = models.DateTimeField(_("bắt đầu kiểm phiếu"), null=True, blank=True)
    counting_finished_at = models.DateTimeField(_("kết thúc kiểm phiếu"), null=True, blank=True)
    # Attendance figures frozen when balloting opens (Phụ lục 4, mục 1); an
    # imported record sets them from the record.
    summoned_count = models.PositiveIntegerField(_("số được triệu tập"), null=True, blank=True)
    present_at_conference = models.PositiveIntegerField(
        _("số có mặt dự hội nghị"), null=True, blank=True
    )
    absent_before_voting = models.PositiveIntegerField(
        _("số vắng mặt từ đầu hội nghị đến trước thời điểm bỏ phiếu"), null=True, blank=True
    )
    present_at_voting = models.PositiveIntegerField(
        _("số có mặt tại thời điểm bỏ phiếu"), null=True, blank=True
    )

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")

    def __str__(self) -> str:
        return self.title

    @property
    def record_id(self) -> str:
        return f"r{self.round_id}-c{self.pk}"


class Candidacy(models.Model):
    """A person printed on this conference's ballot, in ballot order."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="candidacies")
    official = models.ForeignKey(Official, on_delete=models.PROTECT, related_name="candidacies")
    order = models.PositiveIntegerField(_("số thứ tự"))
    printed_position = models.CharField(_("chức vụ, đơn vị công tác"), max_length=250)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "official"], name="candidacy_once"),
            models.UniqueConstraint(fields=["conference", "order"], name="candidacy_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.official.full_name}"

    @property
    def key(self) -> str:
        """The candidate id in conference records: the ballot order."""
        return str(self.order)


class Attendance(models.TextChoices):
    NOT_ARRIVED = "not_arrived", _("Chưa có mặt")
    PRESENT = "present", _("Có mặt")
    LEFT = "left", _("Vắng mặt trước thời điểm bỏ phiếu")


class Voter(models.Model):
    """Thành phần ghi phiếu: a member summoned to fill in a ballot."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="voters")
    full_name = models.CharField(_("họ và tên"), max_length=150)
    position = models.CharField(_("chức vụ, đơn vị"), max_length=250, blank=True)
    official = models.ForeignKey(
        Official, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voter_seats",
        help_text=_("Người ghi phiếu xem được kết quả của hội nghị mình sau khi xác nhận."),
    )
    order = models.PositiveIntegerField(_("số thứ tự"), default=0)
    attendance = models.CharField(
        _("điểm danh"), max_length=16, choices=Attendance.choices, default=Attendance.NOT_ARRIVED
    )
    checked_in_at = models.DateTimeField(_("có mặt lúc"), null=True, blank=True)
    left_at = models.DateTimeField(_("vắng mặt từ"), null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("người ghi phiếu")
        verbose_name_plural = _("thành phần ghi phiếu")

    def __str__(self) -> str:
        return self.full_name


class CommitteeRole(models.TextChoices):
    HEAD = "head", _("Trưởng Ban kiểm phiếu")
    MEMBER = "member", _("Thành viên")


class CommitteeMember(models.Model):
    """Ban kiểm phiếu, elected at the conference (Quy định 96-QĐ/TW Điều 9, Bước 2)."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="committee")
    voter = models.ForeignKey(Voter, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("vai trò"), max_length=16, choices=CommitteeRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_seats",
        verbose_name=_("tài khoản"),
    )
    entry_pass = models.PositiveSmallIntegerField(
        _("lượt nhập phiếu"),
        null=True,
        blank=True,
        choices=[(1, _("Lượt 1")), (2, _("Lượt 2"))],
        help_text=_("Hai thành viên nhập độc lập hai lượt; hệ thống đối chiếu từng phiếu."),
    )

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "voter"], name="committee_once"),
            models.UniqueConstraint(
                fields=["conference"],
                condition=models.Q(role="head"),
                name="committee_one_head",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter.full_name} ({self.get_role_display()})"


class Supervisor(models.Model):
    """A supervisor's account attached to a conference (giám sát)."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="supervisor_seats"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conference", "user"], name="supervisor_once"),
        ]


class DossierKind(models.TextChoices):
    """Danh mục hồ sơ người được lấy phiếu tín nhiệm (KH 240/KH-UBND, Phụ lục 1)."""

    REPORT = "report", _("Báo cáo của người được lấy phiếu tín nhiệm")
    ASSET_DECLARATION = "asset_declaration", _("Bản kê khai tài sản, thu nhập")
    EXPLANATION = "explanation", _("Báo cáo giải trình")


class DossierItem(TimeStamped):
    """Một thành phần hồ sơ của người được lấy phiếu, with the day the personnel
    office (bộ phận tham mưu về công tác cán bộ) received it.

    Hồ sơ (KH 240/KH-UBND Phụ lục 1, implementing Quy định 96-QĐ/TW Điều 9,
    Bước 1): (1) báo cáo của người được lấy phiếu, (2) bản kê khai tài sản, thu
    nhập, (3) báo cáo giải trình (nếu có). Under Nghị quyết 96/2023/QH15 Điều
    10–11 the report and the asset declaration go to UBTVQH / Thường trực HĐND.
    One item of each kind per person; recording it again corrects it.
    """

    candidacy = models.ForeignKey(
        Candidacy,
        on_delete=models.CASCADE,
        related_name="dossier_items",
        verbose_name=_("người được lấy phiếu"),
    )
    kind = models.CharField(_("loại hồ sơ"), max_length=32, choices=DossierKind.choices)
    received_on = models.DateField(_("ngày nhận"))
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người ghi nhận"),
    )

    class Meta:
        ordering = ["candidacy__order", "kind"]
        verbose_name = _("hồ sơ người được lấy phiếu")
        verbose_name_plural = _("hồ sơ người được lấy phiếu")
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "kind"], name="dossier_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.candidacy.official.full_name}"


class WrittenQuestion(TimeStamped):
    """Yêu cầu làm rõ bằng văn bản đối với người được lấy phiếu, and its answer.

    Asked by a ballot-filler (người ghi phiếu) or the competent level (cấp có
    thẩm quyền) "chậm nhất là 10 ngày trước ngày lấy phiếu" (KH 240 §C.III.4);
    the office forwards it to the person "trước 10 ngày" (§C.IV, Bước 1); the
    person answers — báo cáo, giải trình — "chậm nhất 03 ngày trước ngày lấy
    phiếu" (§C.III.3). Quy định 96-QĐ/TW Điều 9.
    """

    candidacy = models.ForeignKey(
        Candidacy,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("người được lấy phiếu"),
    )
    asked_by = models.CharField(
        _("người ghi phiếu hoặc cấp có thẩm quyền đặt yêu cầu"), max_length=250
    )
    received_on = models.DateField(_("ngày nhận yêu cầu"))
    text = models.TextField(_("nội dung cần làm rõ"))
    forwarded_on = models.DateField(_("ngày gửi người được lấy phiếu"), null=True, blank=True)
    answered_on = models.DateField(_("ngày nhận báo cáo giải trình"), null=True, blank=True)
    answer_note = models.TextField(_("ghi chú về nội dung giải trình"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người ghi nhận"),
    )

    class Meta:
        ordering = ["candidacy__order", "received_on", "id"]
        verbose_name = _("yêu cầu làm rõ")
        verbose_name_plural = _("yêu cầu làm rõ")

    def __str__(self) -> str:
        return f"{self.asked_by} → {self.candidacy.official.full_name}"
