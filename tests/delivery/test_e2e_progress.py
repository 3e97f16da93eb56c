"""In a real browser against ``tinnhiem demo``: Ban Tổ chức starts the build
of every ballot paper of a round, watches the progress bar reach 100% (the
worker thread of the web process builds it) and downloads the ZIP; the
statistics page draws its charts with no script and no CSP error."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (  # noqa: F401 - fixtures
    Server,
    Session,
    screenshot,
    sessions,
)
from tests.e2e.test_demo import DEMO_PASSWORD, demo_server  # noqa: F401 - fixture

pytestmark = pytest.mark.e2e


def _round_pk(session: Session, number: str) -> str:
    page = session.page
    page.goto("/")
    page.locator("main").get_by_role("link", name=number).first.click()
    page.wait_for_url("**/ke-hoach/*/")
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def test_a_round_ballots_build_reaches_100_percent_and_downloads(
    demo_server: Server,  # noqa: F811
    sessions: Callable[..., Session],  # noqa: F811
) -> None:
    org = sessions(demo_server, "bantochuc", DEMO_PASSWORD)
    page = org.page
    round_pk = _round_pk(org, "167-KH/TU")
    page.goto(f"/van-ban/ke-hoach/{round_pk}/")
    expect(page.locator("main h1")).to_contain_text("Văn bản của toàn đợt")
    screenshot(page, "delivery-round")
    page.get_by_label("Số phiếu dự phòng mỗi hội nghị").fill("1")
    page.get_by_role("button", name="Tạo phiếu của toàn đợt").click()
    page.wait_for_url("**/van-ban/viec/*/")
    bar = page.locator("#job-progress")
    expect(bar).to_be_visible()
    expect(bar).to_have_attribute("value", "100", timeout=120_000)
    expect(page.locator("#job-percent")).to_have_text("100%")
    expect(page.locator("#job-state")).to_have_text("Đã xong")
    expect(page.locator("#job-error")).to_be_hidden()
    screenshot(page, "delivery-job-done")
    with page.expect_download() as info:
        page.locator("#job-download").click()
    download = info.value
    assert download.suggested_filename == f"phieu-tin-nhiem-ke-hoach-{round_pk}.zip"
    path = download.path()
    assert path is not None
    with open(path, "rb") as f:
        z = zipfile.ZipFile(io.BytesIO(f.read()))
    manifest = json.loads(z.read("danh-sach.json"))
    assert manifest["round"] == "167-KH/TU"
    assert manifest["conferences"]
    assert all(c["ballots"] > 1 for c in manifest["conferences"])
    assert any(n.endswith(".pdf") for n in z.namelist())

    # The statistics page of the province round: two charts, no console error (CSP).
    stats_round = _round_pk(org, "146-KH/TU")
    page.goto(f"/van-ban/ke-hoach/{stats_round}/thong-ke/")
    expect(page.locator("svg.chart")).to_have_count(2)
    expect(page.locator("svg.chart g.bar")).to_have_count(3)
    expect(page.locator("#classes-table")).to_contain_text("145/156 = 92,95%")
    screenshot(page, "delivery-statistics")
    # A Mật download goes into the register, which lists it.
    xlsx = org.context.request.get(f"/kiem-phieu/ke-hoach/{stats_round}/thong-ke.xlsx")
    assert xlsx.ok
    page.goto(f"/van-ban/so-dang-ky/?round={stats_round}")
    expect(page.locator("#register tbody tr")).to_have_count(1)
    expect(page.locator("#register")).to_contain_text("Báo cáo thống kê")
    screenshot(page, "delivery-register")
    org.assert_no_errors()
    demo_server.assert_no_tracebacks()
