"""Login throttling (django-axes): five failed logins for one username from
one address lock that pair out for fifteen minutes, with a page that says so
in Vietnamese; the right password does not get through while locked; other
accounts and addresses are not affected; a successful login resets the count."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.hardening.conftest import PASSWORD, post_login
from tinnhiem.accounts.models import User

WRONG = "sai-mat-khau-roi"


def fail(client: Client, username: str, times: int, **extra: str) -> list[int]:
    return [
        post_login(client, username, WRONG, **extra).status_code  # type: ignore[attr-defined]
        for _ in range(times)
    ]


def test_the_policy_is_five_failures_per_username_and_address_for_fifteen_minutes() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)  # noqa: SIM300
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_four_failures_then_the_right_password_logs_in(
    client: Client, organiser: User, with_password: Callable[[User], User]
) -> None:
    with_password(organiser)
    assert fail(client, organiser.username, 4) == [200] * 4
    response = post_login(client, organiser.username)
    assert response.status_code == 302  # type: ignore[attr-defined]
    # ... and the count starts again from zero.
    client.logout()
    assert fail(client, organiser.username, 4) == [200] * 4


def test_the_fifth_failure_locks_the_account_out_with_a_vietnamese_page(
    client: Client, organiser: User, with_password: Callable[[User], User]
) -> None:
    with_password(organiser)
    assert fail(client, organiser.username, 5) == [200, 200, 200, 200, 429]
    response = post_login(client, organiser.username)  # the right password
    assert response.status_code == 429  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    assert "Tạm khóa đăng nhập" in page
    assert "15 phút" in page
    assert "Đã đăng nhập sai 5 lần" in page
    assert "_auth_user_id" not in client.session
    assert response["Content-Security-Policy"]  # type: ignore[index]
    # Every page is still closed to this browser: it never logged in.
    assert client.get(reverse("campaigns:home")).status_code == 302


def test_the_lockout_is_per_username_and_address(
    client: Client,
    organiser: User,
    supervisor_user: User,
    with_password: Callable[[User], User],
) -> None:
    with_password(organiser)
    with_password(supervisor_user)
    fail(client, organiser.username, 5)
    # Another account from the same address logs in.
    response = post_login(client, supervisor_user.username)
    assert response.status_code == 302  # type: ignore[attr-defined]
    # The same account from another address too (one clerk's typos do not
    # lock the whole conference room out).
    other = Client(REMOTE_ADDR="10.0.0.7")
    response = other.post(
        reverse("accounts:login"), {"username": organiser.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_the_lockout_ends_after_the_cool_off(
    client: Client, organiser: User, with_password: Callable[[User], User]
) -> None:
    with_password(organiser)
    fail(client, organiser.username, 5)
    assert post_login(client, organiser.username).status_code == 429  # type: ignore[attr-defined]
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert post_login(client, organiser.username).status_code == 302  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_lockout_page_is_a_full_page_of_the_site(
    client: Client, organiser: User, language: str
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    fail(client, organiser.username, 5)
    response = post_login(client, organiser.username, WRONG)
    assert response.status_code == 429  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    assert "<h1>" in page
    assert 'id="lockout"' in page
    assert WRONG not in page
