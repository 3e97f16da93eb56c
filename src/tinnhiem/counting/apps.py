from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountingConfig(AppConfig):
    name = "tinnhiem.counting"
    label = "counting"
    verbose_name = _("Kiểm phiếu")
