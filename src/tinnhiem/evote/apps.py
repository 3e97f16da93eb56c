from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvoteConfig(AppConfig):
    name = "tinnhiem.evote"
    label = "evote"
    verbose_name = _("Bỏ phiếu điện tử")
