"""Fixtures of the hardening tests: those of ``tests/web`` (one account per
role, a conference at each step, all built through the services) plus
accounts that log in with a real password, through the login page."""

from __future__ import annotations

from collections.abc import Callable

import django
import pytest

# ``pytest tests/hardening`` imports this file before the root conftest's
# pytest_configure has set Django up; the models below need it now.
django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from tinnhiem.accounts.models import User  # noqa: E402

PASSWORD = "mat-khau-thu-nghiem-dai"
LOGIN_URL = reverse("accounts:login")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The audit page remembers its last full verification in the cache, which
    outlives each test's database: start every test without it."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def with_password() -> Callable[[User], User]:
    """``with_password(user)``: give a fixture account the password ``PASSWORD``."""

    def give(user: User) -> User:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        return user

    return give


def post_login(client: Client, username: str, password: str = PASSWORD, **extra: str) -> object:
    """Log in through the login page, as a browser does."""
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra})
