"""``tinnhiem demo``: load the data once (``--no-serve``), then serve it, and
every main page renders for each role, in Vietnamese, with no error in the
browser console and none in the server's log."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    Server,
    Session,
    free_port,
    run_cli,
    screenshot,
    start_server,
)

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "tinnhiem-demo"
ROUNDS = ["167-KH/TU", "KH-LS-2023", "146-KH/TU", "KH-HDND-HB-2023"]
THADS = "Cục Thi hành án dân sự tỉnh Hòa Bình"


@pytest.fixture
def demo_server(browser: Browser, tmp_path: Path) -> Iterator[Server]:
    data_dir = tmp_path / "demo"
    data_dir.mkdir()
    loaded = run_cli(["demo", "--no-serve"], data_dir=data_dir)
    assert loaded.returncode == 0, loaded.stderr
    for username in ("bantochuc", "truongban", "thuky1", "thuky2", "giamsat", "quantri"):
        assert username in loaded.stdout
    assert "Traceback" not in loaded.stderr
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


def visit(page: Page, url: str) -> None:
    """Open ``url``: answered 200, a Vietnamese page with a heading, not an error page."""
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, f"{url}: HTTP {response.status}"
    assert page.locator("html").get_attribute("lang") == "vi"
    expect(page.locator("main h1").first).to_be_visible()
    expect(page.locator("main h1").first).not_to_have_text(re.compile("Không có quyền|Lỗi"))


def href(page: Page, name: str | re.Pattern[str], within: str = "main") -> str:
    link = page.locator(within).get_by_role("link", name=name).first
    value = link.get_attribute("href")
    assert value, f"no link {name!r} on {page.url}"
    return value


def test_demo_loads_then_serves_every_page_for_every_role(
    demo_server: Server, sessions: Callable[..., Session]
) -> None:
    people = {}

    # Ban Tổ chức: the rounds, a round, the live conference, its check-in,
    # the confidential round results, a confirmed result and its entry log.
    org = people["bantochuc"] = sessions(demo_server, "bantochuc", DEMO_PASSWORD)
    page = org.page
    visit(page, "/")
    rounds = page.locator("main table").first.locator("tbody tr")
    expect(rounds).to_have_count(len(ROUNDS))  # loaded once, not twice
    for number in ROUNDS:
        expect(rounds.filter(has_text=number)).to_have_count(1)
    visit(page, href(page, "167-KH/TU"))
    round_url = page.url
    visit(page, href(page, "Cán bộ thuộc đối tượng lấy phiếu"))
    expect(page.locator("#can-bo ~ table")).to_contain_text("Không")
    visit(page, round_url)
    visit(page, href(page, re.compile("Hội nghị lấy phiếu tín nhiệm")))
    expect(page.locator(".steps li.now")).to_have_text("Điểm danh")
    conference = page.url
    screenshot(page, "demo-hoi-nghi")
    visit(page, href(page, re.compile("Điểm danh và mở bỏ phiếu")))
    expect(page.locator("#voters tbody tr[data-voter]")).to_have_count(14)
    expect(page.get_by_role("button", name="Kiểm tra điều kiện và mở bỏ phiếu")).to_be_visible()
    visit(page, "/")
    visit(page, href(page, "146-KH/TU"))
    visit(page, href(page, re.compile("Kết quả và thống kê toàn đợt")))
    expect(page.locator("main")).to_contain_text("Thống kê")
    screenshot(page, "demo-ket-qua-toan-dot")
    visit(page, href(page, re.compile("Hội nghị lấy phiếu tín nhiệm")))
    expect(page.locator("#results tbody tr").first).to_be_visible()
    visit(page, href(page, "Nhật ký nhập phiếu"))

    # The People's Council session votes electronically: its page, the hall
    # screen (30 delegates have voted) and the casting page, open.
    visit(page, "/")
    visit(page, href(page, "KH-HDND-HB-2023"))
    visit(page, href(page, re.compile("Kỳ họp thường lệ")))
    visit(page, href(page, "Bỏ phiếu điện tử →"))
    cast_url = page.locator("#cast-link").get_attribute("href")
    hall_url = page.locator("#hall-link").get_attribute("href")
    assert cast_url
    assert hall_url
    visit(page, hall_url)
    expect(page.locator("#voters")).to_have_text("30")
    expect(page.locator("#active")).to_have_text("46")
    screenshot(page, "demo-man-hinh-hoi-truong")
    visit(page, cast_url)
    expect(page.locator("#credential")).to_be_visible()

    # Trưởng Ban kiểm phiếu: their seats, a confirmed result, the reconcile page.
    head = people["truongban"] = sessions(demo_server, "truongban", DEMO_PASSWORD)
    page = head.page
    visit(page, "/kiem-phieu/")
    seat = page.locator("main tr").filter(has_text=THADS).first
    expect(seat).to_contain_text("Trưởng Ban kiểm phiếu")
    visit(page, conference)
    visit(page, "/kiem-phieu/")
    confirmed = "main tbody tr:has-text('Đã xác nhận kết quả')"
    visit(page, href(page, "Kết quả", within=confirmed))
    expect(page.locator("main")).to_contain_text("Đã xác nhận")
    visit(page, href(page, "Nhật ký nhập phiếu"))
    visit(page, "/kiem-phieu/")
    visit(page, href(page, "Đối chiếu", within=confirmed))
    expect(page.locator("#n-disagree")).to_have_text("0")

    # The two clerks: the entry page of their pass (not yet open for entry).
    for username, entry_pass in (("thuky1", 1), ("thuky2", 2)):
        clerk = people[username] = sessions(demo_server, username, DEMO_PASSWORD)
        page = clerk.page
        visit(page, "/kiem-phieu/")
        row = page.locator("main tr").filter(has_text=THADS)
        expect(row).to_contain_text(f"Lượt nhập {entry_pass}")
        visit(page, href(page, "Nhập phiếu", within="main tbody"))
        expect(page.locator("h1")).to_contain_text(f"lượt {entry_pass}")
        expect(page.locator("main")).to_contain_text("không nhập được")
        expect(page.locator("#count")).to_have_text("0")
        visit(page, conference)
        visit(page, "/kiem-phieu/")
        visit(page, href(page, "Đối chiếu", within="main tbody"))

    # Giám sát: reads the conference and its check-in, changes nothing.
    supervisor = people["giamsat"] = sessions(demo_server, "giamsat", DEMO_PASSWORD)
    page = supervisor.page
    visit(page, "/")
    visit(page, "/kiem-phieu/")
    visit(page, conference)
    visit(page, href(page, re.compile("Điểm danh và mở bỏ phiếu")))
    expect(page.locator("#voters tbody tr[data-voter]")).to_have_count(14)
    expect(page.get_by_role("button", name="Có mặt")).to_have_count(0)

    # Quản trị: everything an organiser sees.
    admin = people["quantri"] = sessions(demo_server, "quantri", DEMO_PASSWORD)
    page = admin.page
    visit(page, "/")
    visit(page, href(page, "KH-LS-2023"))
    visit(page, href(page, re.compile("Kết quả và thống kê toàn đợt")))

    for person in people.values():
        person.assert_no_errors()
    demo_server.assert_no_tracebacks()
