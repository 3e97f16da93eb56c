"""Hold a session at the second-factor step until it is settled.

A user who logged in with a password but whose session still owes a second
factor (:mod:`tinnhiem.accounts.second_factor`) reaches only the page that
settles it, the logout and the language switch; every other page redirects
there (with ``next``, for a GET), and a request that expects JSON gets 403.
Must come after ``django_otp.middleware.OTPMiddleware``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from tinnhiem.accounts import second_factor

ALWAYS_ALLOWED = {"accounts:logout", "set_language"}
ALLOWED = {
    second_factor.VERIFY: ALWAYS_ALLOWED | {"accounts:otp_verify"},
    second_factor.ENROL: ALWAYS_ALLOWED | {"accounts:otp_setup"},
}
TARGET = {
    second_factor.VERIFY: "accounts:otp_verify",
    second_factor.ENROL: "accounts:otp_setup",
}


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        state = second_factor.session_state(request)
        if not state or second_factor.is_verified(user):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED[state]:
            return None
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"error": _("Cần xác thực hai bước trước.")}, status=403)
        url = reverse(TARGET[state])
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
