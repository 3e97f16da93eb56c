"""Fixtures of the browser tests: Debian's Chromium through Playwright, and
the web application served by a separate process on a throwaway SQLite
database, exactly as ``tinnhiem demo`` serves it (threaded, WAL, one writer
at a time).

Without ``/usr/bin/chromium`` the tests are skipped, except under ``CI=true``
where they fail: CI installs the package, so a missing browser is a broken
machine, not a reason to run nothing.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = "Debian chromium not installed (apt-get install chromium)"

PASSWORD = "tinnhiem-e2e"
# username, full name, organiser?
ACCOUNTS = [
    ("bantochuc", "Chuyên viên Ban Tổ chức", True),
    ("truongban", "Trưởng Ban kiểm phiếu", False),
    ("thuky1", "Thành viên nhập phiếu lượt 1", False),
    ("thuky2", "Thành viên nhập phiếu lượt 2", False),
]

# Migrate a fresh database and create the accounts; everything else of the
# conference is done through the browser.
SEED = f"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from tinnhiem.accounts.models import User
for username, full_name, organiser in {ACCOUNTS!r}:
    User.objects.create_user(
        username, password={PASSWORD!r}, full_name=full_name, is_organiser=organiser
    )
"""

STARTUP_SECONDS = 60


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    pytest.skip(MISSING_CHROMIUM)


# ------------------------------------------------------------------ servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(data_dir: Path) -> dict[str, str]:
    """The environment of a server process: its own SQLite database, never the
    developer's ``./var`` or a ``DATABASE_URL`` meant for other tests."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tinnhiem.config.settings",
            "TINNHIEM_DATA_DIR": str(data_dir),
            "TINNHIEM_SECRET_KEY": "e2e-tests-only-not-secret",
            "TINNHIEM_DEBUG": "",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@dataclass
class Server:
    """A web server in a child process, its log in a file."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str] = field(repr=False)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def assert_no_tracebacks(self) -> None:
        text = self.log_text()
        assert "Traceback" not in text, f"the server logged an error:\n{text[-4000:]}"
        assert not re.search(r'" 500 \d+', text), f"the server answered 500:\n{text[-4000:]}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(command: list[str], *, data_dir: Path, port: int) -> Server:
    """Start ``command`` (which must serve on ``port``) and wait until the
    login page answers."""
    env = server_env(data_dir)
    log = data_dir / "server.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, cwd=data_dir, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(f"http://127.0.0.1:{port}", process, log, env)
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{server.log_text()}")
        try:
            with urllib.request.urlopen(server.url + "/tai-khoan/dang-nhap/", timeout=2) as r:
                if r.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            pytest.fail(f"the server did not start in {STARTUP_SECONDS} s:\n{server.log_text()}")
        time.sleep(0.2)


def run_cli(
    args: list[str], *, data_dir: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``tinnhiem ARGS`` as a user runs it, in the server's environment."""
    return subprocess.run(
        [sys.executable, "-m", "tinnhiem.cli.main", *args],
        cwd=data_dir,
        env=server_env(data_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def app_server(browser: Browser, tmp_path: Path) -> Iterator[Server]:
    """An empty application with one account per role."""
    data_dir = tmp_path / "app"
    data_dir.mkdir()
    seeded = subprocess.run(
        [sys.executable, "-c", SEED],
        cwd=data_dir,
        env=server_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert seeded.returncode == 0, seeded.stderr
    port = free_port()
    server = start_server(
        [sys.executable, "-m", "django", "runserver", "--noreload", f"127.0.0.1:{port}"],
        data_dir=data_dir,
        port=port,
    )
    try:
        yield server
    finally:
        server.stop()


# ------------------------------------------------------------------ pages


@dataclass
class Session:
    """One person at one browser: a context of their own, logged in."""

    username: str
    context: BrowserContext
    page: Page
    errors: list[str]

    def assert_no_errors(self) -> None:
        assert not self.errors, f"{self.username}: browser console errors: {self.errors}"


def open_session(browser: Browser, base_url: str) -> tuple[BrowserContext, Page, list[str]]:
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 1280, "height": 900},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []

    def on_console(msg: Any) -> None:
        if msg.type == "error":
            errors.append(f"{page.url}: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    return context, page, errors


def log_in(page: Page, username: str, password: str, login_screenshot: str | None = None) -> None:
    page.goto("/tai-khoan/dang-nhap/")
    if login_screenshot:
        screenshot(page, login_screenshot)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)


@pytest.fixture
def sessions(browser: Browser) -> Iterator[Callable[..., Session]]:
    """``sessions(server, "thuky1")``: a logged-in person in a fresh context."""
    opened: list[Session] = []

    def make(
        server: Server,
        username: str,
        password: str = PASSWORD,
        login_screenshot: str | None = None,
    ) -> Session:
        context, page, errors = open_session(browser, server.url)
        log_in(page, username, password, login_screenshot)
        session = Session(username, context, page, errors)
        opened.append(session)
        return session

    yield make
    for s in opened:
        s.context.close()


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
