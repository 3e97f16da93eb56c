"""Writes about accounts, each recorded in the audit log: an administrator
unlocking an account or resetting its second factor, a user's backup codes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinnhiem.common.audit import audit

BACKUP_CODES = 10
BACKUP_DEVICE_NAME = "Mã dự phòng"


def is_locked(username: str) -> bool:
    """Whether django-axes refuses this username now (failures ≥ the limit)."""
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(
        username=username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()


@transaction.atomic
def account_unlock(*, acting_user: Any, user: Any) -> int:
    """Clear the failed logins that lock ``user`` out (django-axes); returns
    how many records were cleared."""
    from axes.utils import reset

    cleared = reset(username=user.username)
    audit(
        actor=acting_user,
        action="account.unlock",
        obj=user,
        summary=user.username,
        after={"cleared": cleared},
    )
    return cleared


@transaction.atomic
def second_factor_reset(*, acting_user: Any, user: Any) -> None:
    """Remove ``user``'s authenticator and backup codes (a lost phone): at the
    next login they enrol again, and must if the second factor is required."""
    totp = TOTPDevice.objects.filter(user_id=user.pk).delete()[0]
    static = StaticDevice.objects.filter(user_id=user.pk).delete()[0]
    audit(
        actor=acting_user,
        action="account.otp_reset",
        obj=user,
        summary=user.username,
        before={"devices": totp, "backup_devices": static},
    )


@transaction.atomic
def backup_codes_issue(*, acting_user: Any) -> list[str]:
    """New single-use backup codes for ``acting_user`` (the old ones stop
    working). Returned once, to be shown once; only django-otp keeps them."""
    StaticDevice.objects.filter(user_id=acting_user.pk).delete()
    device = StaticDevice.objects.create(user=acting_user, name=BACKUP_DEVICE_NAME)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    # The codes themselves never enter the audit log.
    audit(
        actor=acting_user,
        action="account.backup_codes",
        obj=acting_user,
        summary=acting_user.username,
        after={"count": len(codes)},
    )
    return codes


def backup_device(user: Any) -> StaticDevice | None:
    return StaticDevice.objects.filter(user_id=user.pk, confirmed=True).first()


@transaction.atomic
def backup_code_use(*, user: Any, code: str) -> bool:
    """Spend one backup code of ``user``; whether it was valid."""
    device = StaticDevice.objects.select_for_update().filter(user_id=user.pk).first()
    if device is None:
        return False
    allowed, _info = device.verify_is_allowed()
    if not allowed or not device.verify_token(code.strip().lower()):
        return False
    audit(
        actor=user,
        action="account.backup_code_used",
        obj=user,
        summary=user.username,
        after={"left": device.token_set.count()},
    )
    return True
