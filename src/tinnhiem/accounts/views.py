"""Account pages beyond Django's login and logout: the lockout page of
django-axes, the second factor's enrolment and verification."""

from __future__ import annotations

from base64 import b32encode
from datetime import timedelta
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinnhiem.accounts import second_factor, services
from tinnhiem.common.audit import audit
from tinnhiem.common.permissions import admin_view, signed_in_view

CODE_LENGTH = 6


def lockout(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a login from a locked-out username and address
    (``AXES_LOCKOUT_CALLABLE``): a page that says why and for how long."""
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    minutes = int(cooloff.total_seconds() // 60) if isinstance(cooloff, timedelta) else None
    return render(
        request,
        "accounts/lockout.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
    )


def _next_url(request: HttpRequest, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def _clean_code(raw: str) -> str | None:
    code = "".join(raw.split())
    return code if len(code) == CODE_LENGTH and code.isdigit() else None


def _throttled(device: TOTPDevice) -> bool:
    allowed, _info = device.verify_is_allowed()
    return not allowed


def _check(request: HttpRequest, device: TOTPDevice) -> str | None:
    """An error message, or None when the code posted is the device's."""
    code = _clean_code(request.POST.get("code", ""))
    if code is None:
        return _("Mã xác thực gồm 6 chữ số.")
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if _throttled(locked):
            return _("Nhập sai nhiều lần: hãy đợi một lát rồi thử lại.")
        if not locked.verify_token(code):
            return _("Mã xác thực không đúng hoặc đã hết hạn.")
    device.refresh_from_db()
    return None


def _backup_left(user: Any) -> int:
    device = services.backup_device(user)
    return device.token_set.count() if device is not None else 0


def _show_backup_codes(request: HttpRequest, next_url: str) -> HttpResponse:
    """Issue new backup codes and show them this once."""
    codes = services.backup_codes_issue(acting_user=request.user)
    response = render(request, "accounts/backup_codes.html", {"codes": codes, "next": next_url})
    response["Cache-Control"] = "no-store"
    return response


def _secret_groups(device: TOTPDevice) -> str:
    """The key in base32 in groups of four, for typing into an app by hand."""
    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG QR code (no external service)."""
    qr = segno.make(device.config_url, error="m")
    return str(
        qr.svg_inline(scale=4, border=4, dark="#000", light="#fff", svgclass="qr-code", title="")
    )


@require_http_methods(["GET", "POST"])
@signed_in_view("account.self")
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device, see that one is enrolled, or remove it."""
    user: Any = request.user
    device = second_factor.confirmed_device(user)
    if device is not None and not second_factor.is_verified(user):
        # A confirmed device not used in this session: verify first.
        url = reverse("accounts:otp_verify") + "?next=" + reverse("accounts:otp_setup")
        return redirect(url)
    required = second_factor.required(user)
    error = None
    if device is not None:
        if request.method == "POST" and request.POST.get("action") == "disable":
            if required:
                error = _("Tài khoản của bạn bắt buộc dùng xác thực hai bước: không tắt được.")
            else:
                error = _check(request, device)
                if error is None:
                    with transaction.atomic():
                        TOTPDevice.objects.filter(user_id=user.pk).delete()
                        StaticDevice.objects.filter(user_id=user.pk).delete()
                        audit(
                            actor=user,
                            action="account.otp_disable",
                            obj=user,
                            summary=user.username,
                        )
                    second_factor.remember_state(request, user)
                    messages.success(request, _("Đã tắt xác thực hai bước."))
                    return redirect("accounts:otp_setup")
        if request.method == "POST" and request.POST.get("action") == "backup_codes":
            error = _check(request, device)
            if error is None:
                return _show_backup_codes(request, reverse("accounts:otp_setup"))
        return render(
            request,
            "accounts/otp_setup.html",
            {
                "enabled": True,
                "device": device,
                "required": required,
                "error": error,
                "backup_left": _backup_left(user),
            },
        )

    pending = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").last()
    if request.method == "POST" and request.POST.get("action") == "rekey" and pending is not None:
        pending.delete()
        pending = None
    if pending is None:
        pending = TOTPDevice.objects.create(
            user=user, name=second_factor.DEVICE_NAME, confirmed=False
        )
    if request.method == "POST" and request.POST.get("action") == "enable":
        error = _check(request, pending)
        if error is None:
            with transaction.atomic():
                pending.confirmed = True
                pending.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).delete()
                audit(actor=user, action="account.otp_enable", obj=user, summary=user.username)
            request.session.cycle_key()
            otp_login(request, pending)
            second_factor.remember_state(request, user)
            messages.success(request, _("Đã bật xác thực hai bước."))
            return _show_backup_codes(request, _next_url(request, reverse("accounts:otp_setup")))
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "enabled": False,
            "required": required,
            "error": error,
            "qr_svg": _qr_svg(pending),
            "secret": _secret_groups(pending),
            "issuer": getattr(settings, "OTP_TOTP_ISSUER", ""),
            "next": _next_url(request, ""),
        },
    )


@require_http_methods(["GET", "POST"])
@signed_in_view("account.self")
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The step after the password for a user with a confirmed device."""
    user: Any = request.user
    next_url = _next_url(request, reverse(settings.LOGIN_REDIRECT_URL))
    if second_factor.is_verified(user):
        return redirect(next_url)
    device = second_factor.confirmed_device(user)
    if device is None:
        second_factor.remember_state(request, user)
        return redirect(next_url)
    error = None
    if request.method == "POST":
        raw = request.POST.get("code", "")
        if _clean_code(raw) is None and services.backup_code_use(user=user, code=raw):
            # A backup code: one of the ten, spent now.
            request.session.cycle_key()
            otp_login(request, device)
            messages.warning(
                request,
                _("Đã dùng một mã dự phòng; còn %(n)s mã. Tạo mã mới ở trang xác thực hai bước.")
                % {"n": _backup_left(user)},
            )
            return redirect(next_url)
        error = _check(request, device)
        if error is None:
            request.session.cycle_key()
            otp_login(request, device)
            return redirect(next_url)
    return render(
        request,
        "accounts/otp_verify.html",
        {"error": error, "next": next_url},
        status=200 if error is None else 400,
    )


ACCOUNTS_PER_PAGE = 50


@admin_view
def accounts_admin(request: HttpRequest) -> HttpResponse:
    """Quản trị tài khoản, for system administrators: find an account, see
    whether it is locked out and has a second factor, unlock it or reset its
    second factor (a lost phone). Every action is audited."""
    from django.contrib.auth import get_user_model
    from django.core.paginator import Paginator
    from django.db.models import Exists, OuterRef, Q

    user_model = get_user_model()
    if request.method == "POST":
        raw_pk = request.POST.get("user", "")
        target = user_model.objects.filter(pk=int(raw_pk)).first() if raw_pk.isdigit() else None
        action = request.POST.get("action")
        if target is None or action not in ("unlock", "otp_reset"):
            messages.error(request, _("Yêu cầu không hợp lệ."))
        elif action == "unlock":
            services.account_unlock(acting_user=request.user, user=target)
            messages.success(request, _("Đã mở khóa tài khoản %(u)s.") % {"u": target.username})
        else:
            services.second_factor_reset(acting_user=request.user, user=target)
            messages.success(
                request,
                _("Đã đặt lại xác thực hai bước của %(u)s: lần đăng nhập sau phải cài lại.")
                % {"u": target.username},
            )
        return redirect(reverse("accounts:admin") + "?" + request.GET.urlencode())
    from axes.models import AccessAttempt

    search = request.GET.get("q", "")[:100].strip()
    users = user_model.objects.order_by("username").annotate(
        has_otp=Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)),
        locked=Exists(
            AccessAttempt.objects.filter(
                username=OuterRef("username"),
                failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            )
        ),
    )
    if search:
        users = users.filter(Q(username__icontains=search) | Q(full_name__icontains=search))
    page = Paginator(users, ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/admin.html",
        {"page": page, "search": search, "query": query.urlencode()},
    )
