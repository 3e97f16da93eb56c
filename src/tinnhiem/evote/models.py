"""Bỏ phiếu điện tử: the election of one conference, its trustees, its board, the roll.

What is stored, and what is never stored (design brief, threats T2, T5, T7):

* :class:`Election` — the election of a conference: uuid, ``N_max``,
  ``T_min``, the threshold ``k`` of ``n`` trustees, the phase, the public
  credential list ``L`` (public keys only; the private credentials are
  printed on cards on an offline device and never reach the server);
* :class:`Trustee` — a counting-committee member's public ceremony messages
  (certificate, dealing, verification key). Private keys and decryption
  shares stay on the member's own device;
* :class:`BoardEntry` — the bulletin board, append-only and hash-chained
  exactly as :mod:`tinnhiem.crypto.board` (height, parent, kind, payload
  hash, payload). It holds no person, no user, no address, no time;
* :class:`Issuance` — the attendance roll's mode: for one summoned member,
  "card" or "paper", never both, and nothing else (no card serial, no time).

No table links a person (``conferences.Voter``, ``accounts.User``) to a
credential or to a ballot; a test inspects every model's fields to keep it so.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from tinnhiem.conferences.models import CommitteeMember, Conference, Voter


class Phase(models.TextChoices):
    """Where an electronic election is (the ceremony steps come first)."""

    CEREMONY = "ceremony", _("Lễ tạo khóa")
    CREDENTIALS = "credentials", _("Nhận danh sách thẻ")
    ISSUANCE = "issuance", _("Phát thẻ khi điểm danh")
    VOTING = "voting", _("Đang bỏ phiếu điện tử")
    DECRYPTING = "decrypting", _("Giải mã kết quả")
    FINAL = "final", _("Đã có kết quả")
    REFUSED = "refused", _("Không đủ phiếu điện tử để kiểm riêng")


class Election(models.Model):
    """The electronic election of one conference (at most one)."""

    conference = models.OneToOneField(
        Conference, on_delete=models.PROTECT, related_name="evote_election"
    )
    uuid = models.CharField(_("mã cuộc bỏ phiếu"), max_length=64, unique=True)
    kind = models.CharField(_("hình thức"), max_length=16)
    n_max = models.PositiveIntegerField(_("số người ghi phiếu tối đa"))
    t_min = models.PositiveIntegerField(_("số phiếu điện tử tối thiểu"))
    threshold = models.PositiveSmallIntegerField(_("số thành viên cần để giải mã"))
    phase = models.CharField(
        _("bước"), max_length=16, choices=Phase.choices, default=Phase.CEREMONY
    )
    credentials = models.JSONField(_("danh sách khóa công khai của thẻ"), null=True, blank=True)
    credentials_hash = models.CharField(max_length=64, blank=True)
    election_hash = models.CharField(_("dấu vân tay cuộc bỏ phiếu"), max_length=64, blank=True)
    height = models.PositiveIntegerField(_("số mục trên bảng"), default=0)
    head = models.CharField(_("mã băm đầu bảng"), max_length=64, blank=True)
    ballots = models.PositiveIntegerField(_("số lần bỏ phiếu"), default=0)
    voters = models.PositiveIntegerField(_("số thẻ đã bỏ phiếu"), default=0)
    active_cards = models.PositiveIntegerField(_("số thẻ còn hiệu lực"), null=True, blank=True)
    closing_head = models.CharField(_("mã băm khi kết thúc"), max_length=64, blank=True)
    result = models.JSONField(_("kết quả giải mã"), null=True, blank=True)
    integrated = models.BooleanField(_("đã đưa vào kết quả hội nghị"), default=False)

    class Meta:
        verbose_name = _("cuộc bỏ phiếu điện tử")
        verbose_name_plural = _("cuộc bỏ phiếu điện tử")

    def __str__(self) -> str:
        return f"{self.conference} — {self.uuid}"


class Trustee(models.Model):
    """A key holder: one member of the counting committee (trustee ``index``)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="trustees")
    index = models.PositiveSmallIntegerField(_("số thứ tự"))
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("họ và tên"), max_length=150)
    certificate = models.JSONField(null=True, blank=True)
    dealing = models.JSONField(null=True, blank=True)
    verification_key = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["election", "index"]
        constraints = [
            models.UniqueConstraint(fields=["election", "index"], name="evote_trustee_index"),
            models.UniqueConstraint(fields=["election", "member"], name="evote_trustee_once"),
        ]

    def __str__(self) -> str:
        return f"{self.index}. {self.name}"


class BoardEntry(models.Model):
    """One entry of the bulletin board (spec §13). Rows are only ever inserted."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="entries")
    height = models.PositiveIntegerField()
    parent = models.CharField(max_length=64, null=True, blank=True)
    kind = models.CharField(max_length=32)
    payload_hash = models.CharField(max_length=64)
    payload = models.JSONField()
    entry_hash = models.CharField(max_length=64)
    tracker = models.CharField(max_length=64, blank=True, db_index=True)
    """For a ballot or an audited ballot: its tracker (SHA-256 of the body), so a
    voter can look it up; it is public on the board anyway."""

    class Meta:
        ordering = ["election", "height"]
        constraints = [
            models.UniqueConstraint(fields=["election", "height"], name="evote_board_height"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("board entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("board entries are append-only")


class Mode(models.TextChoices):
    CARD = "card", _("Thẻ bỏ phiếu điện tử")
    PAPER = "paper", _("Phiếu giấy")


class Issuance(models.Model):
    """What the member received at check-in: a card drawn from the box, or a paper ballot."""

    voter = models.OneToOneField(Voter, on_delete=models.CASCADE, related_name="evote_issuance")
    mode = models.CharField(_("hình thức"), max_length=8, choices=Mode.choices)

    class Meta:
        verbose_name = _("hình thức nhận phiếu")
