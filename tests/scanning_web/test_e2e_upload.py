"""The upload page in a real browser: the progress bars, then the sheets read."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import (
    ROOT,
    Server,
    free_port,
    log_in,
    open_session,
    screenshot,
    server_env,
    start_server,
)

pytestmark = pytest.mark.e2e

PASSWORD = "tinnhiem-e2e"
BALLOTS = 6

# A conference in counting with its ballots printed, built through the services
# exactly as the web tests build it; the printed PDF and register are written out
# for the test to generate scans from.
SEED = f"""
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from tests.web.builders import build_counting_conference, make_agency, make_round, make_user
from tinnhiem.counting.documents import ballots_print
from tinnhiem.counting.models import BallotPrint
from tinnhiem.documents.ballots import issued_register
organiser = make_user("bantochuc", organiser=True, full_name="Chuyên viên Ban Tổ chức")
head = make_user("truongban", full_name="Trưởng Ban kiểm phiếu")
clerk1 = make_user("thuky1", full_name="Thành viên nhập lượt 1")
clerk2 = make_user("thuky2", full_name="Thành viên nhập lượt 2")
for u in (organiser, head, clerk1, clerk2):
    u.set_password({PASSWORD!r}); u.save()
vote_round = make_round(organiser)
agency = make_agency(organiser, vote_round)
c = build_counting_conference(organiser=organiser, head=head, clerk1=clerk1, clerk2=clerk2,
    agency=agency, candidates=3, summoned=9, present={BALLOTS})
d = ballots_print(acting_user=organiser, conference=c, count={BALLOTS})
p = BallotPrint.objects.get(conference=c)
open("ballots.pdf", "wb").write(d.content)
info = {{"conference": c.pk, "issued": issued_register(p.layout, p.serials)}}
json.dump(info, open("issued.json", "w"))
"""


@pytest.fixture
def scan_server(browser: Any, tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    data_dir = tmp_path / "app"
    data_dir.mkdir()
    env = server_env(data_dir)
    env["PYTHONPATH"] = str(ROOT)
    seeded = subprocess.run(
        [sys.executable, "-c", SEED],
        cwd=data_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
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
        yield server, data_dir
    finally:
        server.stop()


def test_upload_shows_progress_then_the_head_settles_a_doubt_by_keyboard(
    browser: Any, scan_server: tuple[Server, Path], tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    from tests.scanning_web.sheets import Printed, marked_page
    from tinnhiem.omr.synth import CLASSES, PLAIN, SheetGenerator

    server, data_dir = scan_server
    info = json.loads((data_dir / "issued.json").read_text(encoding="utf-8"))
    pdf = (data_dir / "ballots.pdf").read_bytes()
    gen = SheetGenerator(pdf, info["issued"], seed=11)
    scans = tmp_path / "scans"
    scans.mkdir()
    paths = []
    for i, sheet in enumerate(gen.sheets([CLASSES["clean"]], PLAIN, ballots=range(BALLOTS - 1))):
        path = scans / f"to-{i + 1}{sheet.suffix}"
        path.write_bytes(sheet.data)
        paths.append(str(path))
    # The last ballot: two clear marks and a faint smudge in person 3's middle box.
    lv = gen.layout.levels
    doubtful = marked_page(
        Printed(pdf, info["issued"], gen), BALLOTS - 1, {"1": lv[0], "2": lv[1]}, ["3"]
    )
    (scans / "to-cuoi.png").write_bytes(doubtful)
    paths.append(str(scans / "to-cuoi.png"))
    gen.close()
    (scans / "ghi-chu.png").write_bytes(b"day khong phai anh")
    paths.append(str(scans / "ghi-chu.png"))

    context, page, errors = open_session(browser, server.url)
    try:
        log_in(page, "thuky1", PASSWORD)
        page.goto(f"/quet-phieu/{info['conference']}/")
        page.set_input_files("#scan-files", paths)
        page.get_by_role("button", name="Tải lên và đọc phiếu").click()
        # The upload bar fills (upload events), then the processing bar (polled).
        expect(page.locator("#upload-bar")).to_have_js_property("value", 100, timeout=30_000)
        expect(page.locator("#upload-text")).to_contain_text(f"{BALLOTS + 1} tệp")
        expect(page.locator("#process-text")).to_have_text("Đã xử lý xong.", timeout=60_000)
        expect(page.locator("#process-bar")).to_have_js_property("value", 1)
        expect(page.locator('[data-count="read"]')).to_have_text(str(BALLOTS - 1))
        expect(page.locator('[data-count="review"]')).to_have_text("1")
        expect(page.locator('[data-count="ballots"]')).to_have_text(str(BALLOTS - 1))
        expect(page.locator("#scan-entries tr")).to_have_count(BALLOTS - 1)
        messages = page.locator("#scan-file-messages li")
        assert messages.count() == BALLOTS + 1
        refused = "ghi-chu.png: không phải ảnh PNG, JPEG, TIFF hay tệp PDF."
        assert refused in messages.all_inner_texts()
        screenshot(page, "scan-upload")
        page.reload()
        assert page.locator("#job-rows tr").first.get_attribute("data-state") == "done"
        assert errors == []
    finally:
        context.close()

    context, page, errors = open_session(browser, server.url)
    try:
        log_in(page, "truongban", PASSWORD)
        page.goto(f"/quet-phieu/{info['conference']}/kiem-tra/")
        # Keyboard only: the first sheet of the queue has focus; Enter opens it.
        page.keyboard.press("Enter")
        page.wait_for_url("**/to/*/")
        expect(page.locator("img.crop")).to_have_count(1)
        expect(page.locator("img.crop")).to_have_js_property("complete", True)
        assert page.locator("img.crop").evaluate("i => i.naturalWidth") > 100
        # The doubtful row's box has focus: one digit, then Ctrl+Enter accepts.
        expect(page.locator("input[name=mark_3]")).to_be_focused()
        screenshot(page, "scan-review")
        page.keyboard.type("3")
        page.keyboard.press("Control+Enter")
        page.wait_for_url("**/kiem-tra/")
        expect(page.locator("#review-log tbody tr")).to_have_count(1)
        page.goto(f"/quet-phieu/{info['conference']}/")
        expect(page.locator('[data-count="ballots"]')).to_have_text(str(BALLOTS))
        expect(page.locator('[data-count="accepted"]')).to_have_text("1")
        assert errors == []
    finally:
        context.close()
    server.assert_no_tracebacks()
