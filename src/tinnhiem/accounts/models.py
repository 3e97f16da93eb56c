"""Accounts. Roles per organisation and conference come with the permissions
work; here a user has a full name and, per conference, a committee role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    is_organiser = models.BooleanField(
        _("ban tổ chức"),
        default=False,
        help_text=_("Cán bộ Ban Tổ chức / Sở Nội vụ: lập kế hoạch, cơ quan, hội nghị."),
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username
