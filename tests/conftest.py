"""Fixtures shared by every test folder.

``browser``: one Debian Chromium for the whole session, driven by Playwright's
sync API. Playwright allows one sync instance per thread at a time, so every
browser test takes this fixture instead of starting its own. While it runs,
Playwright keeps an event loop in the test thread, which Django's guard
against ORM calls from async code would mistake for async code: tests that
use the ORM beside the browser (the live-server tests) are plain sync code,
so the guard is lifted for the rest of the session.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, require_chromium

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev group installs it
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("playwright not installed (uv sync --group dev)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
