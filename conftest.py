"""Test-wide settings, set before Django is configured: no secret key or
database is written into the checkout."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinnhiem.config.settings")
os.environ.setdefault("TINNHIEM_SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("TINNHIEM_DATA_DIR", tempfile.mkdtemp(prefix="tinnhiem-tests-"))

# The web fixtures (accounts per role, a round, conferences at each step), for
# every test folder.
pytest_plugins = ["tests.web.fixtures"]


def pytest_configure() -> None:
    import django

    django.setup()
