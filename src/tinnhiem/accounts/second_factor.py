"""The second factor (TOTP, RFC 6238, through django-otp): who must give one
and what a session still owes.

After the password, a session owes one of:

* ``""``: nothing (no confirmed device, and none required);
* ``"verify"``: a code from the user's confirmed device
  (``accounts:otp_verify``);
* ``"enrol"``: a device, first (``accounts:otp_setup``), because
  ``TINNHIEM_REQUIRE_2FA`` is on and the user is an administrator or a
  committee head.

It is worked out once, at login, and kept in the session, so that pages pay
no query for it; :class:`tinnhiem.accounts.middleware.SecondFactorMiddleware`
sends an unverified session that owes something to the page that settles it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinnhiem.common.permissions import second_factor_required

SESSION_KEY = "tinnhiem_second_factor"
NOTHING = ""
VERIFY = "verify"
ENROL = "enrol"

DEVICE_NAME = "Tín Nhiệm"


def required(user: Any) -> bool:
    """Whether ``user`` may not log in without a second factor."""
    return bool(getattr(settings, "TINNHIEM_REQUIRE_2FA", False)) and second_factor_required(user)


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def state_for(user: Any) -> str:
    if user_has_device(user, confirmed=True):
        return VERIFY
    if required(user):
        return ENROL
    return NOTHING


def remember_state(request: HttpRequest, user: Any) -> str:
    state = state_for(user)
    request.session[SESSION_KEY] = state
    return state


def session_state(request: HttpRequest) -> str:
    """What the session of ``request.user`` still owes (looked up once)."""
    state = request.session.get(SESSION_KEY)
    if state is None:
        state = remember_state(request, request.user)
    return str(state)


def is_verified(user: Any) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False
