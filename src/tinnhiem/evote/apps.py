from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _integrated_ballots(conference: Any) -> list[dict[str, Any]]:
    """The electronic ballots that joined ``conference``'s result."""
    from tinnhiem.evote.models import Election, Phase
    from tinnhiem.evote.services import electronic_payloads

    election = Election.objects.filter(conference=conference, phase=Phase.FINAL).first()
    if election is None or election.result is None or not election.integrated:
        return []
    return electronic_payloads(election)


class EvoteConfig(AppConfig):
    name = "tinnhiem.evote"
    label = "evote"
    verbose_name = _("Bỏ phiếu điện tử")

    def ready(self) -> None:
        from tinnhiem.counting.services import register_electronic_source

        register_electronic_source(_integrated_ballots)
