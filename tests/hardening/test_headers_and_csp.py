"""Security headers and the content security policy on every page; no inline
script, inline style or event handler in any template (the policy forbids
them, so one would be a broken page); sessions that expire; secure cookies
under ``TINNHIEM_HTTPS=1``; CSRF refused with a page of the site."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

import tinnhiem
from tests.hardening.conftest import post_login
from tinnhiem.accounts.models import User
from tinnhiem.conferences.models import Conference
from tinnhiem.counting.models import ConfirmedResult

PACKAGE = Path(tinnhiem.__file__).parent
TEMPLATES = sorted(PACKAGE.rglob("templates/**/*.html"))

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I)
STYLE_TAG = re.compile(r"<style\b", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def csp(response: HttpResponse) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    policy: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


def assert_hardened(response: HttpResponse, url: str) -> None:
    assert "Content-Security-Policy" in response, url
    policy = csp(response)
    assert policy["default-src"] == ["'self'"], url
    assert policy["script-src"] == ["'self'"], url
    assert policy["style-src"] == ["'self'"], url
    assert policy["object-src"] == ["'none'"], url
    assert policy["frame-ancestors"] == ["'none'"], url
    assert policy["form-action"] == ["'self'"], url
    assert policy["base-uri"] == ["'none'"], url
    header = response["Content-Security-Policy"]
    for weak in ("unsafe-inline", "unsafe-eval", "data:", "*", "http:", "https:"):
        assert weak not in header, (url, weak)
    assert response["X-Frame-Options"] == "DENY", url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
    assert "camera=()" in response["Permissions-Policy"], url
    assert "no-store" in response["Cache-Control"], url


def assert_no_inline_code(html: str, where: str) -> None:
    for attrs, body in SCRIPT_TAG.findall(html):
        if 'type="application/json"' in attrs:  # json_script: data, never run
            continue
        assert "src=" in attrs, f"{where}: inline <script>{body[:80]}"
        assert not body.strip(), f"{where}: <script src> with a body"
    assert not EVENT_HANDLER.search(html), f"{where}: inline event handler"
    assert not STYLE_ATTRIBUTE.search(html), f"{where}: inline style attribute"
    assert not STYLE_TAG.search(html), f"{where}: <style> element"
    assert not JS_URL.search(html), f"{where}: javascript: URL"


# --------------------------------------------------------------- templates


def test_the_templates_are_found() -> None:
    names = {p.name for p in TEMPLATES}
    assert {"base.html", "checkin.html", "entry.html", "reconcile.html", "audit.html"} <= names


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_template_has_inline_script_style_or_handlers(path: Path) -> None:
    assert_no_inline_code(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))


def test_every_script_a_template_loads_is_a_static_file_of_the_site() -> None:
    loaded = set()
    for path in TEMPLATES:
        loaded |= set(re.findall(r"""\{%\s*static\s+['"]([^'"]+\.js)['"]""", path.read_text()))
    assert {"tinnhiem/checkin.js", "tinnhiem/entry.js", "tinnhiem/reconcile.js"} <= loaded
    for name in loaded:
        assert finders.find(name), name


# ------------------------------------------------------------------- pages


@pytest.fixture
def pages(
    entered_conference: Conference,
    confirmed: ConfirmedResult,
    organiser: User,
    head_user: User,
    clerk1: User,
    supervisor_user: User,
) -> list[tuple[User | None, str]]:
    c = entered_conference
    return [
        (None, reverse("accounts:login")),
        (organiser, reverse("campaigns:home")),
        (organiser, reverse("campaigns:round", args=[c.round_id])),
        (organiser, reverse("campaigns:round_results", args=[c.round_id])),
        (organiser, reverse("conferences:detail", args=[c.pk])),
        (organiser, reverse("conferences:checkin", args=[c.pk])),
        (organiser, reverse("common:audit")),
        (organiser, reverse("accounts:otp_setup")),
        (head_user, reverse("counting:reconcile", args=[c.pk])),
        (head_user, reverse("counting:results", args=[c.pk])),
        (head_user, reverse("counting:entry_log", args=[c.pk])),
        (clerk1, reverse("counting:entry", args=[c.pk, 1])),
        (clerk1, reverse("counting:my_work")),
        (supervisor_user, reverse("common:audit")),
        (clerk1, reverse("common:audit")),  # 403 page
        (organiser, "/khong-co-trang-nay/"),  # 404 page
    ]


def test_every_page_has_the_policy_and_the_headers_and_no_inline_code(
    pages: list[tuple[User | None, str]], client_for: Callable[[User | None], Client]
) -> None:
    statuses = []
    for user, url in pages:
        response = client_for(user).get(url)
        statuses.append(response.status_code)
        assert_hardened(response, url)
        assert_no_inline_code(response.content.decode(), url)
    assert statuses.count(200) == len(pages) - 2
    assert statuses[-2:] == [403, 404]


def test_json_answers_carry_the_headers_too(
    checkin_conference: Conference, organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(organiser).get(
        reverse("conferences:counts", args=[checkin_conference.pk]),
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert_hardened(response, "counts")


def test_the_entry_page_passes_its_texts_as_data_attributes(
    counting_conference: Conference, clerk1: User, client_for: Callable[[User | None], Client]
) -> None:
    page = client_for(clerk1).get(reverse("counting:entry", args=[counting_conference.pk, 1]))
    html = page.content.decode()
    assert 'id="entry-text"' in html
    assert 'data-not-issued="KHÔNG do BKP phát ra"' in html
    assert '<script id="rows" type="application/json">' in html


# ---------------------------------------------------------------- sessions


def test_sessions_expire_at_browser_close_and_after_a_working_day(
    client: Client, organiser: User, with_password: Callable[[User], User]
) -> None:
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    with_password(organiser)
    response = post_login(client, organiser.username)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]  # type: ignore[attr-defined]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert not cookie["expires"]
    assert not cookie["max-age"]
    assert client.session.get_expiry_age() <= 8 * 3600


def test_without_https_cookies_are_not_marked_secure() -> None:
    assert not settings.SESSION_COOKIE_SECURE
    assert not settings.CSRF_COOKIE_SECURE
    assert not settings.SECURE_SSL_REDIRECT
    assert settings.SECURE_HSTS_SECONDS == 0


def _settings_under(env: dict[str, str]) -> dict[str, object]:
    code = (
        "import json; from tinnhiem.config import settings as s; print(json.dumps({"
        "k: getattr(s, k, None) for k in ('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER', "
        "'TINNHIEM_REQUIRE_2FA')}))"
    )
    environ = {**os.environ, "TINNHIEM_SECRET_KEY": "x", **env}
    out = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout))


def test_with_https_cookies_are_secure_and_hsts_is_sent() -> None:
    on = _settings_under({"TINNHIEM_HTTPS": "1"})
    assert on["SESSION_COOKIE_SECURE"] is True
    assert on["CSRF_COOKIE_SECURE"] is True
    assert on["SECURE_SSL_REDIRECT"] is True
    assert on["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert on["SECURE_PROXY_SSL_HEADER"] is None
    behind_proxy = _settings_under({"TINNHIEM_HTTPS": "1", "TINNHIEM_TRUST_PROXY": "1"})
    assert behind_proxy["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert _settings_under({"TINNHIEM_REQUIRE_2FA": "1"})["TINNHIEM_REQUIRE_2FA"] is True


# -------------------------------------------------------------------- CSRF


def test_a_form_posted_without_its_token_is_refused_with_a_page_of_the_site(
    checkin_conference: Conference, organiser: User
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    response = client.post(
        reverse("conferences:open_voting", args=[checkin_conference.pk]),
        {"ballots_issued": "12"},
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Biểu mẫu đã hết hạn" in html
    assert "CSRF" not in html
    assert_hardened(response, "csrf")
    checkin_conference.refresh_from_db()
    assert checkin_conference.status == "checkin"


def test_the_login_form_needs_its_token_too(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
