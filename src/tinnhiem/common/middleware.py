"""Response headers that Django's own middleware does not set.

* ``Permissions-Policy`` (``settings.PERMISSIONS_POLICY``): no camera,
  microphone, location, payment or USB for any page;
* ``Cache-Control: no-store, private`` on every page the application renders
  (not on static files, which WhiteNoise serves before this middleware): a
  result, a ballot entry page or the audit log must not stay in the browser's
  or a proxy's cache after the session ends. A view that sets its own
  ``Cache-Control`` keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.permissions_policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions_policy
        if "Cache-Control" not in response:
            patch_cache_control(response, no_store=True, private=True)
        return response
