"""In Chromium, on the demo data: no page is blocked by the content security
policy (no violation reported, no console error), the scripts moved out of
the templates still work, a second factor can be enrolled and used with the
QR page's key, and a locked-out login shows its page.

The violations are collected by a ``securitypolicyviolation`` listener that
Playwright installs before any script of the page (it is not itself subject
to the policy).

Each scenario runs with a Chromium of its own in a thread of its own: the
synchronous Playwright of ``tests/e2e`` (a session fixture there) may still be
running in the main thread, and there can be one per thread."""

from __future__ import annotations

import re
import sys
import threading
from base64 import b32decode
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django_otp.oath import totp
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    Session,
    free_port,
    log_in,
    open_session,
    require_chromium,
    run_cli,
    screenshot,
    start_server,
)

pytestmark = pytest.mark.e2e

PASSWORD = "tinnhiem-demo"

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def in_chromium(scenario: Callable[[Browser], None]) -> None:
    """Run ``scenario`` with a Chromium of its own, in a thread of its own."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    scenario(browser)
                finally:
                    browser.close()
        except BaseException as e:  # re-raised in the test's thread
            failures.append(e)

    thread = threading.Thread(target=run, name="chromium")
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_chromium()
    data_dir: Path = tmp_path_factory.mktemp("demo-hardening")
    loaded = run_cli(["demo", "--no-serve"], data_dir=data_dir)
    assert loaded.returncode == 0, loaded.stderr
    port = free_port()
    server = start_server(
        [sys.executable, "-m", "tinnhiem.cli.main", "demo", "--port", str(port)],
        data_dir=data_dir,
        port=port,
    )
    try:
        yield server
    finally:
        server.stop()


class Watched:
    """A logged-in browser whose every page is checked against the policy."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.page = session.page
        self.violations: list[str] = []

    def collect(self) -> None:
        found = self.page.evaluate("window.__cspViolations || []")
        self.violations += [f"{self.page.url}: {v}" for v in found]

    def visit(self, url: str) -> Page:
        response = self.page.goto(url)
        assert response is not None
        assert response.status == 200, f"{url}: HTTP {response.status}"
        assert "default-src 'self'" in response.headers["content-security-policy"]
        self.page.wait_for_load_state("load")
        self.collect()
        return self.page

    def href(self, name: str | re.Pattern[str], within: str = "main") -> str:
        value = self.page.locator(within).get_by_role("link", name=name).first.get_attribute("href")
        assert value, f"no link {name!r} on {self.page.url}"
        return value

    def assert_clean(self) -> None:
        self.collect()
        assert not self.violations, f"{self.session.username}: CSP violations {self.violations}"
        self.session.assert_no_errors()


def watched(browser: Browser, server: Server, username: str) -> Watched:
    """``username`` logged in, in a context of their own, watched for violations."""
    context, page, errors = open_session(browser, server.url)
    context.add_init_script(WATCH_CSP)
    log_in(page, username, PASSWORD)
    return Watched(Session(username, context, page, errors))


def test_no_page_breaks_the_policy_and_the_moved_scripts_still_run(demo: Server) -> None:
    in_chromium(lambda browser: _walk_every_role(browser, demo))


def _walk_every_role(browser: Browser, demo: Server) -> None:
    org = watched(browser, demo, "bantochuc")
    page = org.visit("/")
    page = org.visit(org.href("167-KH/TU"))
    page = org.visit(org.href(re.compile("Hội nghị lấy phiếu tín nhiệm")))
    conference = page.url
    page = org.visit(org.href(re.compile("Điểm danh và mở bỏ phiếu")))
    # checkin.js: the search filters the list (by a name typed without diacritics).
    rows = page.locator("#voters tbody tr[data-voter]")
    expect(rows).to_have_count(14)
    first = rows.first.get_attribute("data-name") or ""
    page.fill("#search", first.split()[-1])
    expect(page.locator("#voters tbody tr[data-voter]:not(.hidden)").first).to_be_visible()
    assert page.locator("#voters tbody tr[data-voter].hidden").count() > 0
    page.keyboard.press("Escape")
    expect(page.locator("#voters tbody tr[data-voter].hidden")).to_have_count(0)
    page = org.visit("/")
    page = org.visit(org.href("146-KH/TU"))
    page = org.visit(org.href(re.compile("Kết quả và thống kê toàn đợt")))
    total = page.locator("tr.total").first
    expect(total).to_be_visible()
    assert total.locator("td").first.evaluate("e => getComputedStyle(e).fontWeight") == "700"
    page = org.visit("/nhat-ky-kiem-tra/")
    expect(page.locator("#chain-status")).to_contain_text("nguyên vẹn")
    page.locator("#audit-log details summary").first.click()
    page = org.visit("/nhat-ky-kiem-tra/?action=voter&page=2")
    page = org.visit("/tai-khoan/xac-thuc-hai-buoc/")
    expect(page.locator("svg.qr-code")).to_be_visible()
    screenshot(page, "hardening-2fa-enrol")
    org.assert_clean()

    head = watched(browser, demo, "truongban")
    page = head.visit("/kiem-phieu/")
    page = head.visit(head.href("Đối chiếu", within="main tbody tr:last-child"))
    page = head.visit(conference)
    head.assert_clean()

    clerk = watched(browser, demo, "thuky1")
    page = clerk.visit("/kiem-phieu/")
    page = clerk.visit(clerk.href("Nhập phiếu", within="main tbody"))
    # entry.js ran: it rendered the (empty) list and its count.
    expect(page.locator("#count")).to_have_text("0")
    assert page.locator("#entry-text").get_attribute("data-ballot") == "Phiếu số"
    clerk.assert_clean()

    supervisor = watched(browser, demo, "giamsat")
    page = supervisor.visit("/kiem-phieu/")
    page = supervisor.visit("/nhat-ky-kiem-tra/")
    expect(page.locator("main")).to_contain_text("những hội nghị mình giám sát")
    screenshot(page, "hardening-audit-supervisor")
    supervisor.assert_clean()
    demo.assert_no_tracebacks()


def _code(secret: str, steps_ahead: int = 0) -> str:
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"


def test_a_second_factor_is_enrolled_from_the_qr_page_and_asked_at_the_next_login(
    demo: Server,
) -> None:
    in_chromium(lambda browser: _enrol_then_log_in(browser, demo))


def _enrol_then_log_in(browser: Browser, demo: Server) -> None:
    context, page, errors = open_session(browser, demo.url)
    context.add_init_script(WATCH_CSP)
    try:
        log_in(page, "quantri", PASSWORD)
        page.goto("/tai-khoan/xac-thuc-hai-buoc/")
        secret = page.locator("#otp-secret").inner_text()
        page.get_by_label("Mã xác thực").fill(_code(secret))
        page.get_by_role("button", name="Bật xác thực hai bước").click()
        # The ten backup codes, shown once, then on to the security page.
        expect(page.locator("#backup-codes li")).to_have_count(10)
        page.get_by_role("link", name="Tôi đã cất giữ các mã, tiếp tục").click()
        expect(page.locator("#otp-enabled")).to_be_visible()
        page.get_by_role("button", name="Đăng xuất").click()
        page.wait_for_url(re.compile("/dang-nhap/"))

        log_in(page, "quantri", PASSWORD)
        expect(page).to_have_url(re.compile("/tai-khoan/xac-minh/"))
        assert page.locator("h1").inner_text() == "Xác thực hai bước"
        page.goto("/nhat-ky-kiem-tra/")  # held at the code
        expect(page).to_have_url(re.compile("/tai-khoan/xac-minh/"))
        screenshot(page, "hardening-2fa-verify")
        page.get_by_label("Mã xác thực").fill(_code(secret, steps_ahead=1))
        page.get_by_role("button", name="Xác nhận").click()
        expect(page).to_have_url(re.compile("/nhat-ky-kiem-tra/"))
        expect(page.locator("main")).to_contain_text("account.otp_enable")
        assert page.evaluate("window.__cspViolations") == []
        assert not errors, errors
    finally:
        context.close()


def test_five_wrong_passwords_show_the_lockout_page(demo: Server) -> None:
    in_chromium(lambda browser: _lock_out(browser, demo))


def _lock_out(browser: Browser, demo: Server) -> None:
    context: BrowserContext
    context, page, _errors = open_session(browser, demo.url)
    context.add_init_script(WATCH_CSP)
    try:
        for _ in range(5):
            page.goto("/tai-khoan/dang-nhap/")
            page.get_by_label("Tên đăng nhập").fill("thuky2")
            page.get_by_label("Mật khẩu").fill("khong-dung-mat-khau")
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_load_state("load")
        expect(page.locator("h1")).to_have_text("Tạm khóa đăng nhập")
        expect(page.locator("#lockout")).to_contain_text("15 phút")
        screenshot(page, "hardening-lockout")
        # The 429 itself is reported on the console; the policy is not.
        assert page.evaluate("window.__cspViolations") == []
    finally:
        context.close()
