"""A whole conference through the browser, in Vietnamese, as the people at a
real conference would do it.

The organiser sets up the round and the conference, checks members in (a
missing quorum blocks the vote), opens and closes balloting; two clerks,
each in a browser of their own, enter the same 15 ballots independently
with the keyboard only, one ballot differently on purpose; the head of the
counting committee resolves it on the reconcile page and confirms. The
result page must then say exactly what ``tinnhiem tally --json`` says of the
record downloaded from that page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import Server, Session, run_cli, screenshot

pytestmark = pytest.mark.e2e

VOTE_YEAR = 2025
CONFERENCE_DATE = "2025-06-20"

ROUND = {
    "Số kế hoạch": "12-KH/BTC",
    "Tên kế hoạch": "Lấy phiếu tín nhiệm đối với cán bộ lãnh đạo, quản lý năm 2025",
    "Cơ quan ban hành": "Ban Thường vụ Tỉnh ủy",
    "Ngày ban hành": "2025-04-02",
    "Năm lấy phiếu": str(VOTE_YEAR),
}
BLOCK = "Khối các sở, ban, ngành"
AGENCY = "Sở Nội vụ"
CONFERENCE_TITLE = "Hội nghị lấy phiếu tín nhiệm cán bộ lãnh đạo Sở Nội vụ năm 2025"

# Invented people. (name, position, appointed or elected on)
ON_BALLOT = [
    ("Trần Minh Khôi", "Giám đốc", "2021-03-01"),
    ("Lê Thu Hà", "Phó Giám đốc", "2020-09-15"),
    ("Phạm Quốc Bảo", "Phó Giám đốc", "2022-01-10"),
]
EXCLUDED = ("Đỗ Hải Yến", "Phó Giám đốc", "2025-02-10")  # appointed in the vote year

VOTERS = [
    ("Nguyễn Thị Ánh Tuyết", "Chánh Văn phòng"),
    ("Vương Đình Lộc", "Trưởng phòng Tổ chức, biên chế"),
    ("Hà Thị Bích Ngọc", "Trưởng phòng Xây dựng chính quyền"),
    ("Lục Văn Thắng", "Trưởng phòng Công chức, viên chức"),
    ("Mai Xuân Trường", "Phó Chánh Văn phòng"),
    ("Tạ Thị Hồng Nhung", "Phó Trưởng phòng Tổ chức, biên chế"),
    ("Kiều Minh Đức", "Chánh Thanh tra"),
    ("Đàm Thị Thu Trang", "Phó Chánh Thanh tra"),
    ("Âu Văn Khải", "Chi cục trưởng Chi cục Văn thư - Lưu trữ"),
    ("Ông Thị Diệu Linh", "Phó Chi cục trưởng"),
    ("Quan Văn Tiến", "Trưởng ban Ban Thi đua - Khen thưởng"),
    ("Thân Thị Mỹ Hạnh", "Phó Trưởng ban Ban Thi đua - Khen thưởng"),
    ("Bế Văn Quyết", "Trưởng ban Ban Tôn giáo"),
    ("Lã Thị Thanh Xuân", "Phó Trưởng ban Ban Tôn giáo"),
    ("Khổng Đức Anh", "Phó Trưởng phòng Công chức, viên chức"),
]
# Members of the counting committee, elected at the conference:
# (voter, role, account shown by its full name, entry pass)
COMMITTEE = [
    ("Vương Đình Lộc", "Trưởng Ban kiểm phiếu", "truongban", "—"),
    ("Hà Thị Bích Ngọc", "Thành viên", "thuky1", "Lượt 1"),
    ("Kiều Minh Đức", "Thành viên", "thuky2", "Lượt 2"),
]
FIRST_CHECKED_IN = 9  # of 15: below 2/3, so balloting must not open
# Checked in later by searching the name, with or without diacritics.
LATE_ARRIVALS = ["ha ngoc", "Lộc", "kieu minh", "thân thị mỹ", "quan van", "khổng"]

# The 15 ballots as a clerk types them: one digit per person (1 tín nhiệm cao,
# 2 tín nhiệm, 3 tín nhiệm thấp, 0 no box, 9 several boxes), k = not issued by
# the committee, s = signed, v = other writing, + = one name written in, Tab
# then a number = that person's name crossed out.
BALLOTS = [
    "111",
    "112",
    "121",
    "211",
    "113\t2",
    "123",
    "222",
    "111",
    "331",
    "101",
    "911",
    "111k",
    "122s",
    "311v",
    "211+",
]
DISAGREEMENT = 7  # the second clerk misreads the third box of ballot 7
SECOND_PASS = {DISAGREEMENT: "223"}


def _form(page: Page, button: str) -> Locator:
    """The form whose submit button says ``button``."""
    return page.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))


def _submit(form: Locator, button: str) -> None:
    form.get_by_role("button", name=button, exact=True).click()


def _message(page: Page) -> Locator:
    return page.locator("main .msg").first


def _number(text: str) -> str:
    return text.strip().replace(",", ".")


def set_up_round(page: Page) -> None:
    page.goto("/")
    form = _form(page, "Tạo kế hoạch")
    for label, value in ROUND.items():
        form.get_by_label(label).fill(value)
    form.get_by_label("Quy định áp dụng").select_option("qd96-2023")
    _submit(form, "Tạo kế hoạch")
    expect(_message(page)).to_contain_text("Đã tạo kế hoạch 12-KH/BTC")
    expect(page.locator("h1")).to_have_text(ROUND["Tên kế hoạch"])

    round_url = page.url
    page.locator("#organisation-link").click()
    form = _form(page, "Thêm khối")
    form.get_by_label("Tên khối").fill(BLOCK)
    _submit(form, "Thêm khối")
    expect(_message(page)).to_contain_text("Đã thêm khối")

    form = _form(page, "Thêm cơ quan, đơn vị")
    form.get_by_label("Khối").select_option(label=BLOCK)
    form.get_by_label("Tên cơ quan, đơn vị").fill(AGENCY)
    _submit(form, "Thêm cơ quan, đơn vị")
    expect(_message(page)).to_contain_text("Đã thêm cơ quan, đơn vị")

    page.get_by_role("link", name="Cán bộ thuộc đối tượng lấy phiếu").click()
    for name, position, appointed in [*ON_BALLOT, EXCLUDED]:
        form = _form(page, "Thêm cán bộ")
        form.get_by_label("Cơ quan, đơn vị").select_option(label=AGENCY)
        form.get_by_label("Họ và tên").fill(name)
        form.get_by_label(re.compile(r"^Chức vụ:?$")).fill(position)
        form.get_by_label("Ngày bổ nhiệm, bầu cử").fill(appointed)
        _submit(form, "Thêm cán bộ")
        expect(_message(page)).to_contain_text(f"Đã thêm cán bộ {name}")
    officials = page.locator("#can-bo ~ table tbody tr")
    expect(officials).to_have_count(4)
    excluded_row = officials.filter(has_text=EXCLUDED[0])
    expect(excluded_row).to_contain_text("Không")
    expect(excluded_row).to_contain_text("được bổ nhiệm, bầu cử trong năm lấy phiếu")
    page.goto(round_url)


def set_up_conference(page: Page) -> None:
    page.locator("#create-conference").click()
    form = _form(page, "Tạo hội nghị")
    form.get_by_label("Cơ quan, đơn vị").select_option(label=AGENCY)
    form.get_by_label("Tên hội nghị").fill(CONFERENCE_TITLE)
    form.get_by_label("Ngày hội nghị").fill(CONFERENCE_DATE)
    form.get_by_label("Địa điểm").fill("Hội trường tầng 3, Sở Nội vụ")
    form.get_by_label("Chủ trì").fill(ON_BALLOT[0][0])
    _submit(form, "Tạo hội nghị")
    expect(_message(page)).to_contain_text("Đã tạo hội nghị")
    expect(page.locator("h1")).to_have_text(CONFERENCE_TITLE)
    expect(page.locator(".steps li.now")).to_have_text("Chuẩn bị")

    # The excluded official: the reason and the article, and no way to add her.
    candidates = page.locator("#them-nguoi table tbody tr")
    excluded = candidates.filter(has_text=EXCLUDED[0])
    expect(excluded).to_contain_text("Không lấy phiếu")
    expect(excluded).to_contain_text("được bổ nhiệm, bầu cử trong năm lấy phiếu (10/02/2025)")
    expect(excluded).to_contain_text("Điều 3 khoản 1 Quy định 96-QĐ/TW")
    expect(excluded.get_by_role("button")).to_have_count(0)

    for name, _position, _appointed in ON_BALLOT:
        page.locator("#them-nguoi tr").filter(has_text=name).get_by_role(
            "button", name="Thêm vào phiếu"
        ).click()
        expect(_message(page)).to_contain_text(f"Đã thêm {name} vào phiếu")
    ballot = page.locator("#phieu + table tbody tr")
    expect(ballot).to_have_count(3)
    for i, (name, position, _appointed) in enumerate(ON_BALLOT, start=1):
        expect(ballot.nth(i - 1)).to_contain_text(f"{i}")
        expect(ballot.nth(i - 1)).to_contain_text(name)
        expect(ballot.nth(i - 1)).to_contain_text(f"{position}, {AGENCY}")

    form = _form(page, "Thêm thành phần ghi phiếu")
    form.get_by_label("Thành phần ghi phiếu").fill("\n".join(f"{n}; {p}" for n, p in VOTERS))
    _submit(form, "Thêm thành phần ghi phiếu")
    expect(_message(page)).to_contain_text("Đã thêm thành phần ghi phiếu")
    expect(page.locator("#thanh-phan")).to_contain_text("(15)")

    for voter, role, account, entry_pass in COMMITTEE:
        form = _form(page, "Thêm vào Ban kiểm phiếu")
        form.get_by_label("Thành viên").select_option(label=voter)
        form.get_by_label("Vai trò").select_option(label=role)
        form.get_by_label("Tài khoản").fill(account)
        form.get_by_label("Lượt nhập phiếu").select_option(label=entry_pass)
        _submit(form, "Thêm vào Ban kiểm phiếu")
        expect(_message(page)).to_contain_text("Đã thêm vào Ban kiểm phiếu")
    committee = page.locator("#ban-kiem-phieu + table tbody tr")
    expect(committee).to_have_count(3)
    expect(committee.filter(has_text="Vương Đình Lộc")).to_contain_text("truongban")
    screenshot(page, "03-hoi-nghi-chuan-bi")


def check_in(page: Page) -> None:
    page.get_by_role("button", name="Mở điểm danh").click()
    expect(page).to_have_url(re.compile(r"/diem-danh/$"))
    expect(page.locator(".steps li.now")).to_have_text("Điểm danh")
    rows = page.locator("#voters tbody tr[data-voter]")
    expect(rows).to_have_count(15)
    present = page.locator("#counts b[data-k=present_at_voting]")

    late = {"Hà Thị Bích Ngọc", "Vương Đình Lộc", "Kiều Minh Đức", "Thân Thị Mỹ Hạnh"}
    late |= {"Quan Văn Tiến", "Khổng Đức Anh"}
    early = [n for n, _p in VOTERS if n not in late]
    assert len(early) == FIRST_CHECKED_IN
    for i, name in enumerate(early, start=1):
        rows.filter(has_text=name).get_by_role("button", name="Có mặt", exact=True).click()
        expect(present).to_have_text(str(i))
    expect(rows.filter(has_text=early[0]).locator(".state")).to_have_text("Có mặt")
    expect(page.locator("#quorum-state")).to_contain_text("Chưa đủ điều kiện")
    expect(page.get_by_label("Số phiếu phát ra")).to_have_value(str(FIRST_CHECKED_IN))
    screenshot(page, "04-diem-danh")

    # 9 of 15 is below 2/3: the vote must not open.
    page.get_by_role("button", name="Kiểm tra điều kiện và mở bỏ phiếu").click()
    expect(_message(page)).to_contain_text(
        "Chưa đủ điều kiện tiến hành: có mặt 9/15 người được triệu tập, cần ít nhất 10"
    )
    expect(page.locator(".steps li.now")).to_have_text("Điểm danh")
    screenshot(page, "05-diem-danh-chua-du")

    # Latecomers: search (with or without diacritics), then click or press Enter.
    search = page.get_by_label("Tìm theo tên")
    for i, query in enumerate(LATE_ARRIVALS, start=FIRST_CHECKED_IN + 1):
        search.fill(query)
        visible = page.locator("#voters tbody tr[data-voter]:visible")
        expect(visible).to_have_count(1)
        if i % 2:
            visible.get_by_role("button", name="Có mặt", exact=True).click()
        else:
            search.press("Enter")
        expect(present).to_have_text(str(i))
        expect(search).to_have_value("")
        expect(search).to_be_focused()
    expect(page.locator("#quorum-state")).to_contain_text("Đủ điều kiện")
    expect(page.get_by_label("Số phiếu phát ra")).to_have_value("15")

    page.get_by_role("button", name="Kiểm tra điều kiện và mở bỏ phiếu").click()
    expect(_message(page)).to_contain_text("Đủ điều kiện: đã mở bỏ phiếu")
    expect(page.locator(".steps li.now")).to_have_text("Đang bỏ phiếu")
    page.get_by_role("button", name="Kết thúc bỏ phiếu, bắt đầu kiểm phiếu").click()
    expect(_message(page)).to_contain_text("Đã kết thúc bỏ phiếu")
    expect(page.locator(".steps li.now")).to_have_text("Kiểm phiếu")


def open_entry(clerk: Session, entry_pass: int) -> Page:
    page = clerk.page
    page.get_by_role("link", name="Việc của tôi").click()
    row = page.locator("tr").filter(has_text=CONFERENCE_TITLE)
    expect(row).to_contain_text(f"Lượt nhập {entry_pass}")
    row.get_by_role("link", name="Nhập phiếu").click()
    expect(page.locator("h1")).to_contain_text(f"lượt {entry_pass}")
    expect(page.locator("#digits")).to_be_focused()
    return page


def type_ballot(page: Page, keys: str) -> None:
    """Keyboard only: the digits and toggles, Tab to the crossed-out field,
    Enter to save."""
    for part in re.split(r"(\t)", keys):
        if part == "\t":
            page.keyboard.press("Tab")
        elif part:
            page.keyboard.type(part)
    page.keyboard.press("Enter")


def enter_ballots(clerk1: Session, clerk2: Session) -> None:
    first, second = clerk1.page, clerk2.page
    # A slip first: two digits for three people. The page says so and gives
    # the ballot back; the clerk clears it and goes on.
    first.keyboard.type("11")
    first.keyboard.press("Enter")
    expect(first.locator("#entry-error")).to_contain_text("Phiếu có 3 người; đã nhập 2 chữ số")
    expect(first.locator("#digits")).to_have_value("11")
    expect(first.locator("#number")).to_have_value("1")
    # The refusal (HTTP 409) is the only console message the browser logs.
    assert len(clerk1.errors) == 1
    assert "409" in clerk1.errors[0]
    clerk1.errors.clear()
    first.keyboard.press("Escape")
    expect(first.locator("#entry-error")).to_be_hidden()

    for number, keys in enumerate(BALLOTS, start=1):
        for page, entry_pass in ((first, 1), (second, 2)):
            expect(page.locator("#number")).to_have_value(str(number))
            type_ballot(page, SECOND_PASS.get(number, keys) if entry_pass == 2 else keys)
            expect(page.locator("#count")).to_have_text(str(number))
            expect(page.locator("#digits")).to_be_focused()
            expect(page.locator("#digits")).to_have_value("")
    expect(first.locator("#entered tbody tr")).to_have_count(15)
    # ↑ brings the last ballot back for correction, Esc leaves it as it was.
    first.keyboard.type("12s")
    expect(first.locator("#picks .pick").nth(1)).to_have_text("2 · Tín nhiệm")
    expect(first.locator("#f-signed")).to_have_text("✎ có ký tên")
    screenshot(first, "06-nhap-phieu")
    first.keyboard.press("ArrowUp")
    expect(first.locator("#number")).to_have_value("15")
    expect(first.locator("#digits")).to_have_value("211")
    expect(first.locator("#f-editing")).to_have_text("đang sửa phiếu số 15")
    expect(first.locator("#f-added")).to_have_text("+1 tên ghi thêm")
    first.keyboard.press("Escape")
    expect(first.locator("#number")).to_have_value("16")
    expect(first.locator("#digits")).to_have_value("")
    expect(first.locator("#entered tr[data-number='5']")).to_contain_text("gạch tên 2")
    expect(first.locator("#entered tr[data-number='12']")).to_contain_text("KHÔNG do BKP phát ra")
    expect(first.locator("#entered tr[data-number='13']")).to_contain_text("có ký tên")
    expect(first.locator("#entered tr[data-number='14']")).to_contain_text("ghi thông tin khác")
    expect(first.locator("#entered tr[data-number='15']")).to_contain_text("1 tên ghi thêm")


def reconcile_and_confirm(page: Page) -> None:
    page.goto("/kiem-phieu/")
    row = page.locator("tr").filter(has_text=CONFERENCE_TITLE)
    row.get_by_role("link", name="Đối chiếu").click()
    expect(page.locator("#n-disagree")).to_have_text("1")
    section = page.locator(f"#p{DISAGREEMENT}")
    expect(section.locator("h2")).to_contain_text(f"Phiếu số {DISAGREEMENT}")
    passes = section.locator("tr.diff")
    expect(passes.nth(0)).to_contain_text("Lượt 1")
    expect(passes.nth(0).locator("td.digits")).to_have_text("222")
    expect(passes.nth(1)).to_contain_text("Lượt 2")
    expect(passes.nth(1).locator("td.digits")).to_have_text("223")
    expect(section.locator(".diff-positions")).to_have_text("3")
    expect(section.locator("td.digits .diffchar")).to_have_count(2)
    screenshot(page, "07-doi-chieu")

    section.get_by_label("Theo lượt 1").check()
    section.get_by_label("Lý do").fill(
        "Ban kiểm phiếu đã xem phiếu gốc số 7: người số 3 đánh dấu ô 2"
    )
    section.get_by_role("button", name="Ghi quyết định").click()
    expect(_message(page)).to_contain_text(f"Đã ghi quyết định cho phiếu số {DISAGREEMENT}")
    expect(page.locator("#n-disagree")).to_have_text("0")
    page.get_by_role("link", name="Xem kết quả").click()
    expect(page.locator("main")).to_contain_text("Kết quả tạm tính")
    page.get_by_role("button", name="Xác nhận kết quả").click()
    expect(_message(page)).to_contain_text("Đã xác nhận kết quả (SHA-256")


def page_figures(page: Page) -> dict[str, Any]:
    rows = page.locator("#results tbody tr")
    candidates = []
    for i in range(rows.count()):
        cells = [_number(t) for t in rows.nth(i).locator("td").all_inner_texts()]
        band_class = rows.nth(i).locator("td").last.get_attribute("class") or ""
        candidates.append(
            {
                "name": cells[1],
                "valid": int(cells[3]),
                "counts": [int(c) for c in cells[4:10:2]],
                "percent": cells[5:11:2],
                "band": band_class.removeprefix("band-"),
            }
        )
    return {
        "issued": int(page.locator("#issued").inner_text()),
        "collected": int(page.locator("#collected").inner_text()),
        "candidates": candidates,
    }


def tally_figures(result: dict[str, Any]) -> dict[str, Any]:
    levels = ["cao", "tin_nhiem", "thap"]
    return {
        "issued": result["ballots"]["issued"],
        "collected": result["ballots"]["collected"],
        "candidates": [
            {
                "name": c["name"],
                "valid": c["valid"],
                "counts": [c["counts"][lv] for lv in levels],
                "percent": [c["percent"][lv] for lv in levels],
                "band": c["band"],
            }
            for c in result["candidates"]
        ],
    }


def test_conference_from_setup_to_confirmed_result(
    app_server: Server, sessions: Callable[..., Session], tmp_path: Path
) -> None:
    organiser = sessions(app_server, "bantochuc", login_screenshot="01-dang-nhap")
    page = organiser.page
    set_up_round(page)
    screenshot(page, "02-ke-hoach")
    set_up_conference(page)
    check_in(page)

    clerk1 = sessions(app_server, "thuky1")
    clerk2 = sessions(app_server, "thuky2")
    open_entry(clerk1, 1)
    open_entry(clerk2, 2)
    enter_ballots(clerk1, clerk2)

    head = sessions(app_server, "truongban")
    reconcile_and_confirm(head.page)
    screenshot(head.page, "08-ket-qua")

    # The record downloaded from the page, tallied by the command line.
    with head.page.expect_download() as download:
        head.page.get_by_role("link", name=re.compile("Tải hồ sơ hội nghị")).click()
    record = tmp_path / download.value.suggested_filename
    download.value.save_as(record)
    assert record.suffix == ".json"
    tallied = run_cli(["tally", str(record), "--json"], data_dir=tmp_path)
    assert tallied.returncode == 0, tallied.stderr
    result = json.loads(tallied.stdout)
    shown = page_figures(head.page)
    assert shown == tally_figures(result)
    assert shown["collected"] == 15
    assert [c["name"] for c in shown["candidates"]] == [n for n, _p, _d in ON_BALLOT]

    # The entry log: 15 ballots from each clerk and the committee's decision.
    head.page.get_by_role("link", name="Nhật ký nhập phiếu").click()
    log = head.page.locator("main table tbody tr")
    expect(log).to_have_count(31)
    expect(
        log.filter(has_text="Nhập mới").filter(has_text="Thành viên nhập phiếu lượt 1")
    ).to_have_count(15)
    expect(
        log.filter(has_text="Nhập mới").filter(has_text="Thành viên nhập phiếu lượt 2")
    ).to_have_count(15)
    decision = log.filter(has_text="Ban kiểm phiếu quyết định")
    expect(decision).to_have_count(1)
    expect(decision).to_contain_text("Ban kiểm phiếu đã xem phiếu gốc số 7")
    screenshot(head.page, "09-nhat-ky")

    # The organiser's conference page now leads to the confirmed result.
    page.reload()
    expect(page.locator(".steps li.now")).to_have_text("Đã xác nhận kết quả")
    page.get_by_role("link", name="Kết quả đã xác nhận").click()
    assert page_figures(page) == shown

    for s in (organiser, clerk1, clerk2, head):
        s.assert_no_errors()
    app_server.assert_no_tracebacks()
